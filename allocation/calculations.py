"""Pure allocation calculations: the weighted caseload and the ranked POM suggestion ("beyond the anchors").

No ORM, no settings, no clock. The selectors gather the facts (case counts, FTE, the case's previous POMs and the
recommended POM type) and pass them in; the setting ``ALLOCATION_WORKLOAD_WEIGHTS`` reaches here as a plain dict.

Weighted caseload (issue #4, "Weighted caseload"): each case a POM holds counts by its tier and the POM's role on it.
The defaults below are documented data, not policy: a responsible tier A case counts 1.5, a supporting tier D case
0.5, and a co-working case half of what the same case counts for a responsible POM. A prison may change any of them
through the setting, for example ``{"responsible": {"A": 2.0}, "co_working_factor": 0.4}``.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

RESPONSIBLE = "responsible"
SUPPORTING = "supporting"
CO_WORKING = "co_working"
ROLES = (RESPONSIBLE, SUPPORTING, CO_WORKING)
ROLE_LABELS = {RESPONSIBLE: "Responsible", SUPPORTING: "Supporting", CO_WORKING: "Co-working"}
TIERS = ("A", "B", "C", "D", "E", "F", "G")
UNKNOWN_TIER = ""

# The documented defaults. V2 tiers A-D and V3 tiers A-G share the letters; E-G (lower need in V3) weigh as D or less.
DEFAULT_WORKLOAD_WEIGHTS: dict = {
    RESPONSIBLE: {"A": "1.5", "B": "1.25", "C": "1.0", "D": "0.75", "E": "0.75", "F": "0.6", "G": "0.5"},
    SUPPORTING: {"A": "1.0", "B": "0.85", "C": "0.7", "D": "0.5", "E": "0.5", "F": "0.4", "G": "0.35"},
    # A co-working POM shares the case: it counts this share of what the case counts for a responsible POM.
    "co_working_factor": "0.5",
    # A case with no tier yet (it should not normally be allocated) counts as a tier C case.
    "unknown_tier": "C",
}


def _dec(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


@dataclass(frozen=True)
class WorkloadWeights:
    responsible: Mapping[str, Decimal]
    supporting: Mapping[str, Decimal]
    co_working_factor: Decimal
    unknown_tier: str

    def weight(self, *, role: str, tier: str) -> Decimal:
        """What one case counts for a POM in ``role`` on a case of ``tier`` (an unknown tier: ``unknown_tier``)."""
        tier = tier if tier in self.responsible else self.unknown_tier
        if role == CO_WORKING:
            return self.responsible[tier] * self.co_working_factor
        if role == SUPPORTING:
            return self.supporting[tier]
        return self.responsible[tier]


def workload_weights(overrides: Mapping | None = None) -> WorkloadWeights:
    """The defaults with any overrides (the ``ALLOCATION_WORKLOAD_WEIGHTS`` setting) laid over them, tier by tier."""
    overrides = overrides or {}
    merged = {}
    for role in (RESPONSIBLE, SUPPORTING):
        table = {**DEFAULT_WORKLOAD_WEIGHTS[role], **(overrides.get(role) or {})}
        unknown = set(table) - set(TIERS)
        if unknown:
            raise ValueError(f"ALLOCATION_WORKLOAD_WEIGHTS[{role!r}] has unknown tiers {sorted(unknown)}")
        merged[role] = {tier: _dec(w) for tier, w in table.items()}
        if any(w < 0 for w in merged[role].values()):
            raise ValueError(f"ALLOCATION_WORKLOAD_WEIGHTS[{role!r}] has a negative weight")
    unknown_tier = overrides.get("unknown_tier", DEFAULT_WORKLOAD_WEIGHTS["unknown_tier"])
    if unknown_tier not in TIERS:
        raise ValueError("ALLOCATION_WORKLOAD_WEIGHTS['unknown_tier'] must be a tier letter")
    return WorkloadWeights(
        responsible=merged[RESPONSIBLE],
        supporting=merged[SUPPORTING],
        co_working_factor=_dec(overrides.get("co_working_factor", DEFAULT_WORKLOAD_WEIGHTS["co_working_factor"])),
        unknown_tier=unknown_tier,
    )


def pom_role_for(*, allocation_role: str, responsibility: str) -> str:
    """The POM's role on a case: co-working for a co-working allocation; for the primary POM, supporting when the
    COM is responsible (handover responsibility ``Community``), otherwise responsible (including not yet known)."""
    if allocation_role == "co_working":
        return CO_WORKING
    return SUPPORTING if responsibility == "Community" else RESPONSIBLE


@dataclass
class CaseMix:
    """How many cases a POM holds, by (role, tier). ``counts[(RESPONSIBLE, "A")] == 3``."""

    counts: dict[tuple[str, str], int] = field(default_factory=dict)

    def add(self, *, role: str, tier: str, n: int = 1) -> None:
        key = (role, tier or UNKNOWN_TIER)
        self.counts[key] = self.counts.get(key, 0) + n

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def by_role(self) -> dict[str, int]:
        return {role: sum(n for (r, _), n in self.counts.items() if r == role) for role in ROLES}

    def by_tier(self) -> dict[str, int]:
        result = {tier: 0 for tier in (*TIERS, UNKNOWN_TIER)}
        for (_, tier), n in self.counts.items():
            result[tier] = result.get(tier, 0) + n
        return result


def weighted_load(mix: CaseMix | Iterable[tuple[str, str]], *, weights: WorkloadWeights) -> Decimal:
    """The weighted caseload: the sum over cases of the weight for the POM's role and the case's tier.

    ``mix`` is a CaseMix or an iterable of (role, tier) pairs, one per case. Rounded to 2 decimal places.
    """
    pairs = mix.counts.items() if isinstance(mix, CaseMix) else ((pair, 1) for pair in mix)
    total = sum((weights.weight(role=role, tier=tier) * n for (role, tier), n in pairs), Decimal("0"))
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def load_per_fte(load: Decimal, fte: Decimal) -> Decimal:
    """Weighted load per full-time equivalent: a 0.5 FTE POM with a load of 10 carries 20 per FTE."""
    fte = _dec(fte)
    if fte <= 0:
        raise ValueError("A working pattern is more than 0 FTE")
    return (_dec(load) / fte).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class PomCandidate:
    """One POM who might take the case, as the ranking sees them."""

    pom_id: int
    name: str
    pom_type: str  # "probation" | "prison"
    status: str  # "active" | "unavailable" | "away"
    fte: Decimal
    load: Decimal


@dataclass(frozen=True)
class RankedPom:
    rank: int
    candidate: PomCandidate
    per_fte: Decimal
    continuity: bool
    type_match: bool | None  # None when there is no recommended type
    reasons: tuple[str, ...]


TYPE_LABELS = {"probation": "probation POM", "prison": "prison POM"}


def rank_poms(
    candidates: Iterable[PomCandidate], *, recommended_type: str, previous_pom_ids: Iterable[int] = ()
) -> list[RankedPom]:
    """Rank the POMs who can take a new case, best first, with the reasons for each place.

    Only active POMs are ranked (unavailable and away POMs take no new cases). The order is:
    1. continuity: a POM who held this case before comes first (DECISIONS.md D-09);
    2. type match: the recommended POM type (D-08) before the other type;
    3. headroom: the lowest weighted load per FTE first;
    then the name, so that the order is stable.
    """
    previous = set(previous_pom_ids)
    rows = []
    for c in candidates:
        if c.status != "active":
            continue
        per_fte = load_per_fte(c.load, c.fte)
        match = None if recommended_type not in TYPE_LABELS else c.pom_type == recommended_type
        rows.append((c, per_fte, c.pom_id in previous, match))
    rows.sort(key=lambda r: (not r[2], r[3] is False, r[1], r[0].name, r[0].pom_id))
    lightest = min((r[1] for r in rows), default=None)
    ranked = []
    for rank, (c, per_fte, continuity, match) in enumerate(rows, start=1):
        reasons = []
        if continuity:
            reasons.append("Has worked with this prisoner before (continuity)")
        if match is True:
            reasons.append(f"Is a {TYPE_LABELS[c.pom_type]}, the recommended type")
        elif match is False:
            reasons.append(f"Is a {TYPE_LABELS.get(c.pom_type, c.pom_type)}, not the recommended type")
        headroom = f"Weighted load {c.load} at {c.fte} FTE: {per_fte} per FTE"
        if per_fte == lightest:
            headroom += " (the lightest)"
        reasons.append(headroom)
        ranked.append(
            RankedPom(
                rank=rank, candidate=c, per_fte=per_fte, continuity=continuity, type_match=match, reasons=tuple(reasons)
            )
        )
    return ranked


def days_waiting(*, arrival, last_deallocated, today) -> int | None:
    """Days a case has waited for a POM: since the later of arrival in this prison and the last deallocation."""
    since = max((d for d in (arrival, last_deallocated) if d is not None), default=None)
    return None if since is None else max((today - since).days, 0)


# Ending allocations when the prisoner record changes (issue #4: "Transfers and releases (through import or the API)
# end the allocation with the right trigger"). The legal statuses a case may hold a POM in: sentenced and recalled
# people, immigration detainees (D-08 gives them a prison POM), and remand and civil prisoners (D-13). Anything else
# (convicted but not yet sentenced) is outside OMiC allocation.
OMIC_ALLOCATION_LEGAL_STATUSES = frozenset({"sentenced", "recall", "immigration_detainee", "remand", "civil"})
# The legal status of a released person. The records layer has no such status yet (cases.LegalStatus): until it does,
# no record can reach it and a release ends allocations only through end_allocations_for.
RELEASED = "released"


def allocation_end_trigger(
    *, prison_before: str, prison_after: str, status_before: str, status_after: str
) -> str | None:
    """The trigger that ends a case's allocations after its record changed, or None to keep them.

    A release first; then a move to another prison (``transfer``, D-09: allocated afresh there); then a change to a
    legal status outside OMiC allocation (``legal_status``). The values are ``PomAllocation.EndTrigger`` values.
    """
    if status_after == RELEASED and status_before != RELEASED:
        return "release"
    if prison_after != prison_before:
        return "transfer"
    if status_after != status_before and status_after not in OMIC_ALLOCATION_LEGAL_STATUSES:
        return "legal_status"
    return None
