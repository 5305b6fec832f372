"""The engine's input and output records. Every field mirrors HANDOVER-CLI.md, with dates as `date` objects."""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class HandoverFacts:
    """What the engine knows about one case. None means not known (an absent field in the CLI)."""

    sentence_type: str | None = None  # "determinate" | "indeterminate"
    sentence_start_date: date | None = None
    conditional_release_date: date | None = None
    automatic_release_date: date | None = None
    parole_eligibility_date: date | None = None
    tariff_expiry_date: date | None = None
    target_hearing_date: date | None = None
    hdc_eligibility_date: date | None = None
    hdc_actual_date: date | None = None
    recalled: bool | None = None
    immigration_case: bool | None = None
    imprisonment_status: str | None = None
    age: int | None = None
    mappa_level: int | None = None
    latest_parole_outcome: str | None = None  # "none" | "release" | "not_release"
    additional_future_isp: bool | None = None
    early_allocation: bool | None = None
    prison_estate: str | None = None  # "mens_closed" | "mens_open" | "womens"
    prison_code: str | None = None
    category_code: str | None = None
    category_active_since: date | None = None
    prison_arrival_date: date | None = None
    welsh_offender: bool | None = None
    probation_provider: str | None = None  # "NPS" | "CRC" (legacy policies only)
    prison_operator: str | None = None  # "public" | "private"
    enhanced_resourcing: bool | None = None  # for the handover type (D-07); None = unknown = enhanced


@dataclass(frozen=True, slots=True)
class HandoverResult:
    inside_omic_policy: bool
    reason: str
    policy: str
    earliest_release_type: str | None = None  # "TED" | "THD" | "PED" | "ARD" | "CRD"
    earliest_release_date: date | None = None
    handover_start_date: date | None = None
    handover_date: date | None = None
    responsibility: str | None = None  # "CustodyOnly" | "CustodyWithCom" | "Community"
    pom_role: str | None = None  # "responsible" | "supporting"
    com_role: str | None = None  # "not_involved" | "supporting" | "responsible"
    handover_type: str | None = None  # "none" | "standard" | "enhanced" (D-07)
