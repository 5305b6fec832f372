"""Which type of POM a case should have: the two recommendation strategies of Manage POM Cases.

keywork-tier-reference.md section 2.7 and DECISIONS.md D-08 and D-21. Advice only: staff may choose the other type
with a recorded reason. Pure.
"""

from dataclasses import dataclass

from tiering.calculations.parsing import InputError, read_bool, read_object

PROBATION, PRISON, NONE = "probation", "prison", "none"
STRATEGIES = ("tier", "rosh")
TIER_LETTERS = ("A", "B", "C", "D", "E", "F", "G")
UNKNOWN_TIERS = ("", "NOT_SUPERVISED", "MISSING")
ROSH_LEVELS = ("VERY_HIGH", "HIGH", "MEDIUM", "LOW")


@dataclass(frozen=True, slots=True)
class PomTypeInput:
    tier: str | None = None  # A–G; None when not known
    pom_responsible: bool = True
    immigration_case: bool = False
    rosh_level: str | None = None  # VERY_HIGH / HIGH / MEDIUM / LOW; None when not known


@dataclass(frozen=True, slots=True)
class PomTypeRecommendation:
    pom_type: str  # "probation", "prison" or "none"
    reason: str

    def as_output(self) -> dict:
        return {"recommended_pom_type": self.pom_type}


def tier_letter(value) -> str | None:
    """A–G from a tier letter or a V2 tier score (custody takes the first character: `B2S` is B); None if unknown."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(value)
    text = value.strip().upper()
    if text in UNKNOWN_TIERS:
        return None
    if text in TIER_LETTERS:
        return text
    if len(text) in (2, 3) and text[0] in "ABCD" and text[1] in "0123" and text[2:] in ("", "S"):
        return text[0]
    raise ValueError(value)


def parse_pom_type_input(data, *, with_rosh: bool) -> PomTypeInput:
    data = read_object(data, "input")
    try:
        tier = tier_letter(data.get("tier"))
    except ValueError as error:
        raise InputError("tier", 'must be a tier letter "A" to "G", a V2 tier score such as "B2S", or null') from error
    rosh = None
    if with_rosh and data.get("rosh_level") is not None:
        raw = data["rosh_level"]
        rosh = raw.upper() if isinstance(raw, str) else raw
        if rosh not in ROSH_LEVELS:
            raise InputError("rosh_level", 'must be one of "VERY_HIGH", "HIGH", "MEDIUM", "LOW" or null')
    return PomTypeInput(
        tier=tier,
        pom_responsible=read_bool(data, "pom_responsible", True),
        immigration_case=read_bool(data, "immigration_case", False),
        rosh_level=rosh,
    )


def _custody_rules(inp: PomTypeInput) -> PomTypeRecommendation | None:
    if inp.immigration_case:
        return PomTypeRecommendation(PRISON, "Immigration case: a prison POM (D-08).")
    if not inp.pom_responsible:
        return PomTypeRecommendation(PRISON, "The COM is responsible and the POM supports: a prison POM (D-08).")
    return None


def recommend_by_tier(inp: PomTypeInput) -> PomTypeRecommendation:
    """The default strategy (D-08, D-21): with the POM responsible, tier A or B → probation POM, C or D → prison
    POM; tiers E–G and an unknown tier get no recommendation."""
    decided = _custody_rules(inp)
    if decided:
        return decided
    if inp.tier in ("A", "B"):
        return PomTypeRecommendation(PROBATION, f"Tier {inp.tier} with the POM responsible: a probation POM (D-08).")
    if inp.tier in ("C", "D"):
        return PomTypeRecommendation(PRISON, f"Tier {inp.tier} with the POM responsible: a prison POM (D-08).")
    if inp.tier is None:
        return PomTypeRecommendation(NONE, "The tier is not known, so there is no recommendation (D-21).")
    return PomTypeRecommendation(NONE, f"Tier {inp.tier} has no recommended POM type (D-21).")


def recommend_by_rosh(inp: PomTypeInput) -> PomTypeRecommendation:
    """The RoSH strategy (section 2.7, a setting): tier A or high/very high RoSH → probation POM; RoSH not known →
    no recommendation (record a reason); otherwise a prison POM."""
    decided = _custody_rules(inp)
    if decided:
        return decided
    if inp.tier == "A":
        return PomTypeRecommendation(PROBATION, "Tier A with the POM responsible: a probation POM.")
    if inp.rosh_level in ("VERY_HIGH", "HIGH"):
        level = inp.rosh_level.replace("_", " ").lower()
        return PomTypeRecommendation(PROBATION, f"RoSH {level} with the POM responsible: a probation POM.")
    if inp.rosh_level is None:
        return PomTypeRecommendation(NONE, "RoSH is not known, so there is no recommendation: record a reason.")
    level = inp.rosh_level.lower()
    return PomTypeRecommendation(PRISON, f"RoSH {level} with the POM responsible: a prison POM.")


def recommend_pom_type(inp: PomTypeInput, *, strategy: str = "tier") -> PomTypeRecommendation:
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown POM type strategy {strategy!r}")
    return recommend_by_rosh(inp) if strategy == "rosh" else recommend_by_tier(inp)
