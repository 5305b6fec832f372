"""The A–G tier model (V3, 2026): the highest tier any step gives, with a provisional flag.

keywork-tier-reference.md section 2.5, with DECISIONS.md D-21: a lifer or IPP case whose release date is still in
the future scores as released within a year (B), and a MEDIUM direct-contact sexual score below 0.60 scores nothing.
The provisional rules follow hmpps-tier's provisional-status calculation as the reference describes it. Pure: the
calculation day is an input.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from tiering.calculations.parsing import (
    InputError,
    read_bool,
    read_choice,
    read_date,
    read_number,
    read_object,
)

TIERS = ("A", "B", "C", "D", "E", "F", "G")
NOT_SUPERVISED, MISSING = "NOT_SUPERVISED", "MISSING"
PREDICTOR_TYPES = ("DYNAMIC", "STATIC")
ROSH_LEVELS = ("VERY_HIGH", "HIGH", "MEDIUM", "LOW")
DCSRP_BANDS = ("VERY_HIGH", "HIGH", "MEDIUM", "LOW", "NOT_APPLICABLE", "N/A")
DEFAULT_CALCULATION_DATE = "2026-09-01"

CSRP_ROWS = (Decimal("6.9"), Decimal("3.0"), Decimal("1.0"), Decimal("0.5"), Decimal("0"))
ARP_COLUMNS = (Decimal("90"), Decimal("75"), Decimal("50"), Decimal("25"), Decimal("15"), Decimal("0"))
TABLE = (
    "AABBBB",  # CSRP 6.9+
    "ABCCCC",  # CSRP 3.0+
    "BCDEEE",  # CSRP 1.0+
    "CDEEFF",  # CSRP 0.5+
    "DDEFFG",  # CSRP 0+
)
INFINITY = Decimal("Infinity")

# The calculation steps, in the order they are shown.
REOFFENDING = "Reoffending predictors (ARP and CSRP)"
SEXUAL_REOFFENDING = "Direct contact sexual reoffending predictor (DC-SRP)"
MAPPA_ROSH = "MAPPA and RoSH"
LIFER_IPP = "Lifer or IPP release"
DOMESTIC_ABUSE = "Domestic abuse registration"
STALKING = "Stalking registration"
CHILD_PROTECTION = "Child protection registration"
SEXUAL_OFFENCE = "Ever committed a sexual offence"


@dataclass(frozen=True, slots=True)
class V3Input:
    active_event: bool = True
    oasys_present: bool = True
    arp: Decimal = Decimal("0")
    csrp: Decimal = Decimal("0")
    arp_type: str = "DYNAMIC"
    csrp_type: str = "DYNAMIC"
    dcsrp_score: Decimal | None = None
    dcsrp_band: str | None = None
    mappa: bool = False
    rosh: str | None = None
    lifer_ipp: bool = False
    latest_release_date: dt.date | None = None
    calculation_date: dt.date = dt.date(2026, 9, 1)
    domestic_abuse: bool = False
    stalking: bool = False
    child_protection: bool = False
    ever_sexual_offence: bool = False


@dataclass(frozen=True, slots=True)
class V3Result:
    tier: str  # A–G, or NOT_SUPERVISED / MISSING
    provisional: bool
    steps: tuple[tuple[str, str | None], ...]  # each step and the tier it gives (None: it does not apply)

    @property
    def tier_score(self) -> str:
        return self.tier

    @property
    def breakdown(self) -> list[tuple[str, str]]:
        return [(step, tier) for step, tier in self.steps if tier]

    def as_output(self) -> dict:
        return {"tier": self.tier, "provisional": self.provisional}


def parse_v3_input(data) -> V3Input:
    """Read a V3 input object (section 3 "V3 input fields"); raise InputError naming the first bad field."""
    data = read_object(data, "input")
    arp = read_number(data, "arp", 0)
    csrp = read_number(data, "csrp", 0)
    for name, value in (("arp", arp), ("csrp", csrp)):
        if value < 0:
            raise InputError(name, "must be 0 or more")
    dcsrp = data.get("dcsrp")
    score = band = None
    if dcsrp is not None:
        dcsrp = read_object(dcsrp, "dcsrp")
        score = read_number(dcsrp, "score", None, path="dcsrp.", nullable=True)
        band = read_choice(dcsrp, "band", DCSRP_BANDS, None, path="dcsrp.", nullable=True)
    return V3Input(
        active_event=read_bool(data, "active_event", True),
        oasys_present=read_bool(data, "oasys_present", True),
        arp=arp,
        csrp=csrp,
        arp_type=read_choice(data, "arp_type", PREDICTOR_TYPES, "DYNAMIC"),
        csrp_type=read_choice(data, "csrp_type", PREDICTOR_TYPES, "DYNAMIC"),
        dcsrp_score=score,
        dcsrp_band=band,
        mappa=read_bool(data, "mappa", False),
        rosh=read_choice(data, "rosh", ROSH_LEVELS, None, nullable=True),
        lifer_ipp=read_bool(data, "lifer_ipp", False),
        latest_release_date=read_date(data, "latest_release_date", None, nullable=True),
        calculation_date=read_date(data, "calculation_date", DEFAULT_CALCULATION_DATE),
        domestic_abuse=read_bool(data, "domestic_abuse", False),
        stalking=read_bool(data, "stalking", False),
        child_protection=read_bool(data, "child_protection", False),
        ever_sexual_offence=read_bool(data, "ever_sexual_offence", False),
    )


def highest(*tiers: str | None) -> str | None:
    """The highest of the tiers given (A is highest); None if none is given."""
    present = [t for t in tiers if t]
    return min(present) if present else None


def predictor_table(arp: Decimal, csrp: Decimal) -> str:
    """Table 1: the row is the first CSRP threshold met, the column the first ARP threshold met."""
    row = next(i for i, threshold in enumerate(CSRP_ROWS) if csrp >= threshold)
    column = next(i for i, threshold in enumerate(ARP_COLUMNS) if arp >= threshold)
    return TABLE[row][column]


def dcsrp_tier(score: Decimal | None, band: str | None) -> str | None:
    """Tables 2a/2b. Ignored when the score is 0 or less, or the band is missing or not applicable. A MEDIUM band
    reads the "without" then the "with risk reduction" thresholds; below 0.60 it scores nothing (D-21)."""
    if score is None or score <= 0 or band in (None, "NOT_APPLICABLE", "N/A"):
        return None
    if band == "VERY_HIGH":
        return "A"
    if band == "HIGH":
        return "B"
    if band == "MEDIUM":
        for threshold, tier in (("3.36", "C"), ("2.11", "D"), ("1.12", "C"), ("0.60", "D")):
            if score >= Decimal(threshold):
                return tier
        return None
    return "E"


def mappa_rosh_tier(mappa: bool, rosh: str | None) -> str | None:
    if mappa:
        return {"VERY_HIGH": "A", "HIGH": "C", "MEDIUM": "D"}.get(rosh, "E")
    return {"VERY_HIGH": "C", "HIGH": "D"}.get(rosh)


def lifer_tier(lifer_ipp: bool, release: dt.date | None, today: dt.date) -> str | None:
    """Released within a year (inclusive) → B, within 5 years → D, longer ago → E; a future release date counts as
    within a year (D-21). Month and year steps clamp to the end of a shorter month (relativedelta)."""
    if not lifer_ipp or release is None:
        return None
    if release >= today - relativedelta(years=1):
        return "B"
    if release >= today - relativedelta(years=5):
        return "D"
    return "E"


def _static_provisional(inp: V3Input, others: str) -> bool:
    """A static predictor makes the tier provisional unless the other steps already reach the best tier the table
    could give whatever the static predictor's true value."""
    arp_static, csrp_static = inp.arp_type == "STATIC", inp.csrp_type == "STATIC"
    if arp_static and csrp_static:
        return others > "A"
    if arp_static:
        return others > predictor_table(INFINITY, inp.csrp)
    if csrp_static:
        return others > predictor_table(inp.arp, INFINITY)
    return False


def _rosh_provisional(inp: V3Input, steps: dict[str, str | None]) -> bool:
    """Missing RoSH makes the tier provisional unless the steps other than MAPPA/RoSH (the predictor table only when
    both predictors are dynamic) give A for a MAPPA case, or C or higher otherwise."""
    if inp.rosh is not None:
        return False
    dynamic = inp.arp_type == "DYNAMIC" and inp.csrp_type == "DYNAMIC"
    others = highest(*(t for s, t in steps.items() if s != MAPPA_ROSH and (s != REOFFENDING or dynamic))) or "G"
    return others > ("A" if inp.mappa else "C")


def calculate_v3(inp: V3Input) -> V3Result:
    """The V3 tier of one case on ``inp.calculation_date``."""
    if not inp.active_event:
        return V3Result(NOT_SUPERVISED, False, ())
    if not inp.oasys_present:
        return V3Result(MISSING, False, ())
    steps = {
        REOFFENDING: predictor_table(inp.arp, inp.csrp),
        SEXUAL_REOFFENDING: dcsrp_tier(inp.dcsrp_score, inp.dcsrp_band),
        MAPPA_ROSH: mappa_rosh_tier(inp.mappa, inp.rosh),
        LIFER_IPP: lifer_tier(inp.lifer_ipp, inp.latest_release_date, inp.calculation_date),
        DOMESTIC_ABUSE: "E" if inp.domestic_abuse else None,
        STALKING: "F" if inp.stalking else None,
        CHILD_PROTECTION: "F" if inp.child_protection else None,
        SEXUAL_OFFENCE: "E" if inp.ever_sexual_offence else None,
    }
    tier = highest(*steps.values()) or "G"
    others = highest(*(t for s, t in steps.items() if s != REOFFENDING)) or "G"
    provisional = _static_provisional(inp, others) or _rosh_provisional(inp, steps)
    return V3Result(tier, provisional, tuple(steps.items()))
