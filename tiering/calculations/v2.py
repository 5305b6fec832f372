"""The HMPPS tier, version 2: a protect level A–D from risk points and a change level 0–3 from need points.

keywork-tier-reference.md sections 2.3 (protect) and 2.4 (change), with DECISIONS.md D-21 (the RSR bands). The input
fields and their defaults are those of section 3 ("V2 input fields"). Pure: no ORM, no settings, no clock.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from tiering.calculations.parsing import (
    InputError,
    read_bool,
    read_choice,
    read_integer,
    read_list,
    read_number,
    read_object,
    read_string,
)

GENDERS = ("male", "female")
ROSH_LEVELS = ("VERY_HIGH", "HIGH", "MEDIUM", "LOW")
# M0 is a real Delius level; section 2.2 says it is skipped, so it scores as no MAPPA.
MAPPA_LEVELS = ("M0", "M1", "M2", "M3")
NEED_SEVERITIES = ("NO_NEED", "STANDARD", "SEVERE")

# Section 2.3: 2 points for each distinct one of these active registrations.
COMPLEXITY_FACTORS = {
    "RMDO": "Mental health issues",
    "ALSH": "Attempted suicide or self-harm",
    "RVLN": "Vulnerability",
    "RCCO": "Child concerns",
    "RCPR": "Child protection",
    "RCHD": "Risk to children",
    "RPIR": "Public interest",
    "RVAD": "Adult at risk",
    "STRG": "Street gangs",
    "RTAO": "Terrorism Act offender",
}
# Section 2.4: need name -> (weight, label).
NEEDS = {
    "ACCOMMODATION": (1, "Accommodation"),
    "EDUCATION_TRAINING_AND_EMPLOYABILITY": (1, "Education, training and employability"),
    "RELATIONSHIPS": (1, "Relationships"),
    "LIFESTYLE_AND_ASSOCIATES": (1, "Lifestyle and associates"),
    "DRUG_MISUSE": (1, "Drug misuse"),
    "ALCOHOL_MISUSE": (1, "Alcohol misuse"),
    "THINKING_AND_BEHAVIOUR": (2, "Thinking and behaviour"),
    "ATTITUDES": (2, "Attitudes"),
    "FINANCIAL_MANAGEMENT_AND_INCOME": (0, "Financial management and income"),
    "EMOTIONAL_WELL_BEING": (0, "Emotional well-being"),
}
SEVERITY_SCORE = {"NO_NEED": 0, "STANDARD": 1, "SEVERE": 2}
CUSTODIAL_SENTENCE_TYPES = ("NC", "SC")
NO_MANDATE_REQUIREMENTS = ("W", "W1")  # unpaid work, order extended

ROSH_POINTS = {"VERY_HIGH": 150, "HIGH": 20, "MEDIUM": 10, "LOW": 0}
MAPPA_POINTS = {"M3": 150, "M2": 150, "M1": 5, "M0": 0}
RSR_HIGH_FROM, RSR_HIGH_TO, RSR_MEDIUM_FROM = Decimal("7.00"), Decimal("99.99"), Decimal("3.00")

DEFAULT_CONVICTIONS = ({"sentence_type": "SC", "terminated": False, "requirements": []},)


@dataclass(frozen=True, slots=True)
class Requirement:
    main_category: str
    restrictive: bool = False


@dataclass(frozen=True, slots=True)
class Conviction:
    sentence_type: str
    terminated: bool = False
    requirements: tuple[Requirement, ...] = ()


@dataclass(frozen=True, slots=True)
class WomenFactors:
    parenting_responsibilities: bool = False
    impulsivity: int = 0
    temper_control: int = 0


@dataclass(frozen=True, slots=True)
class V2Input:
    gender: str = "male"
    rsr: Decimal | None = None
    ogrs: int | None = None
    rosh: str | None = None
    mappa_level: str | None = None
    complexity_registrations: tuple[str, ...] = ()
    iom_nominal: bool = False
    unsupervised_prc: bool = False
    previous_enforcement_activity: bool = False
    women_factors: WomenFactors = field(default_factory=WomenFactors)
    convictions: tuple[Conviction, ...] = (Conviction("SC"),)
    needs: dict[str, str] | None = field(default_factory=dict)  # None: no valid assessment


@dataclass(frozen=True, slots=True)
class V2Result:
    protect: str
    protect_points: int
    change: int
    change_points: int
    tier_score: str
    protect_breakdown: tuple[tuple[str, int], ...]
    change_breakdown: tuple[tuple[str, int], ...]

    @property
    def tier(self) -> str:
        """The letter custody uses (section 2.7: Manage POM Cases takes the first character of the score)."""
        return self.protect

    @property
    def breakdown(self) -> list[tuple[str, int]]:
        return [
            *(("Protect: " + f, p) for f, p in self.protect_breakdown),
            *(("Change: " + f, p) for f, p in self.change_breakdown),
        ]

    def as_output(self) -> dict:
        return {
            "protect": self.protect,
            "protect_points": self.protect_points,
            "change": self.change,
            "change_points": self.change_points,
            "tier_score": self.tier_score,
        }


def _parse_conviction(raw, path: str) -> Conviction:
    data = read_object(raw, path.rstrip("."))
    requirements = []
    for i, req in enumerate(read_list(data, "requirements", [], path=path)):
        req_path = f"{path}requirements[{i}]."
        req_data = read_object(req, req_path.rstrip("."))
        requirements.append(
            Requirement(
                main_category=read_string(req_data, "main_category", "", path=req_path),
                restrictive=read_bool(req_data, "restrictive", False, path=req_path),
            )
        )
    return Conviction(
        sentence_type=read_string(data, "sentence_type", "", path=path),
        terminated=read_bool(data, "terminated", False, path=path),
        requirements=tuple(requirements),
    )


def _parse_needs(data: dict):
    assessment = data.get("assessment", {"needs": {}})
    if assessment is None:
        return None
    assessment = read_object(assessment, "assessment")
    raw = assessment.get("needs", {})
    if raw is None:
        raw = {}
    raw = read_object(raw, "assessment.needs")
    needs = {}
    for name, severity in raw.items():
        if name not in NEEDS:
            raise InputError(f"assessment.needs.{name}", "is not one of the ten needs")
        if severity is None:  # an absent need is not the same as NO_NEED, but scores the same
            continue
        needs[name] = read_choice(raw, name, NEED_SEVERITIES, None, path="assessment.needs.")
    return needs


def parse_v2_input(data) -> V2Input:
    """Read a V2 input object; raise InputError naming the first bad field."""
    data = read_object(data, "input")
    ogrs = read_integer(data, "ogrs", 0, nullable=True)
    if ogrs is not None and ogrs < 0:
        raise InputError("ogrs", "must be 0 or more")
    registrations = read_list(data, "complexity_registrations", [])
    for i, code in enumerate(registrations):
        if not isinstance(code, str):
            raise InputError(f"complexity_registrations[{i}]", "must be a registration code (a string)")
    raw_women = data.get("women_factors")
    women = read_object({} if raw_women is None else raw_women, "women_factors")
    women_factors = WomenFactors(
        parenting_responsibilities=read_bool(women, "parenting_responsibilities", False, path="women_factors."),
        impulsivity=read_choice_int(women, "impulsivity"),
        temper_control=read_choice_int(women, "temper_control"),
    )
    convictions = read_list(data, "convictions", list(DEFAULT_CONVICTIONS))
    return V2Input(
        gender=read_choice(data, "gender", GENDERS, "male"),
        rsr=read_number(data, "rsr", 0, nullable=True),
        ogrs=ogrs,
        rosh=read_choice(data, "rosh", ROSH_LEVELS, None, nullable=True),
        mappa_level=read_choice(data, "mappa_level", MAPPA_LEVELS, None, nullable=True),
        complexity_registrations=tuple(registrations),
        iom_nominal=read_bool(data, "iom_nominal", False),
        unsupervised_prc=read_bool(data, "unsupervised_prc", False),
        previous_enforcement_activity=read_bool(data, "previous_enforcement_activity", False),
        women_factors=women_factors,
        convictions=tuple(_parse_conviction(c, f"convictions[{i}].") for i, c in enumerate(convictions)),
        needs=_parse_needs(data),
    )


def read_choice_int(data: dict, name: str) -> int:
    value = read_integer(data, name, 0, path="women_factors.")
    if value not in (0, 1, 2):
        raise InputError(f"women_factors.{name}", "must be 0 (none), 1 (some) or 2 (significant)")
    return value


def rsr_points(rsr: Decimal | None) -> int:
    """D-21: 20 from 7.00 up to and including 99.99; 10 from 3.00 up to (not including) 7.00; else 0."""
    if rsr is None:
        return 0
    if RSR_HIGH_FROM <= rsr <= RSR_HIGH_TO:
        return 20
    if RSR_MEDIUM_FROM <= rsr < RSR_HIGH_FROM:
        return 10
    return 0


def protect_level(points: int) -> str:
    """Section 2.3 thresholds: A 150+, B 20–149, C 10–19, D 0–9."""
    if points >= 150:
        return "A"
    if points >= 20:
        return "B"
    if points >= 10:
        return "C"
    return "D"


def change_level(points: int) -> int:
    """Section 2.4 thresholds, where there is a mandate and an assessment: 3 for 20+, 2 for 10–19, 1 for 0–9."""
    if points >= 20:
        return 3
    if points >= 10:
        return 2
    return 1


def has_mandate_for_change(convictions: tuple[Conviction, ...]) -> bool:
    """Section 2.4 step 1: a current conviction with a custodial sentence, or with a non-restrictive requirement
    other than unpaid work or an order extension."""
    for conviction in convictions:
        if conviction.terminated:
            continue
        if conviction.sentence_type in CUSTODIAL_SENTENCE_TYPES:
            return True
        if any(not r.restrictive and r.main_category not in NO_MANDATE_REQUIREMENTS for r in conviction.requirements):
            return True
    return False


def _protect(inp: V2Input) -> tuple[int, list[tuple[str, int]]]:
    lines: list[tuple[str, int]] = []
    rsr = rsr_points(inp.rsr)
    rosh = ROSH_POINTS.get(inp.rosh, 0) if inp.rosh else 0
    # RSR and RoSH are not added together: only the higher of the two counts.
    if rsr or rosh:
        if rsr > rosh:
            lines.append((f"RSR {inp.rsr} (the higher of RSR and RoSH)", rsr))
        else:
            lines.append((f"RoSH {inp.rosh.replace('_', ' ').lower()} (the higher of RSR and RoSH)", rosh))
    if inp.mappa_level and MAPPA_POINTS[inp.mappa_level]:
        lines.append((f"MAPPA level {inp.mappa_level}", MAPPA_POINTS[inp.mappa_level]))
    for code in sorted(set(inp.complexity_registrations) & COMPLEXITY_FACTORS.keys()):
        lines.append((f"Complexity factor: {COMPLEXITY_FACTORS[code]} ({code})", 2))
    if inp.gender == "female":
        women = inp.women_factors
        if women.parenting_responsibilities:
            lines.append(("Women: parenting responsibilities", 2))
        if women.impulsivity > 0 or women.temper_control > 0:
            lines.append(("Women: impulsivity or temper control", 2))
        if inp.previous_enforcement_activity:
            lines.append(("Women: breach or recall", 2))
    return sum(points for _, points in lines), lines


def _change(inp: V2Input) -> tuple[int, int, list[tuple[str, int]]]:
    if not has_mandate_for_change(inp.convictions):
        return 0, 0, [("No mandate for change: change level 0", 0)]
    if inp.needs is None:
        return 2, 0, [("No valid assessment: change level 2", 0)]
    lines: list[tuple[str, int]] = []
    for name, severity in inp.needs.items():
        weight, label = NEEDS[name]
        points = weight * SEVERITY_SCORE[severity]
        if points:
            lines.append((f"Need: {label} ({severity.replace('_', ' ').lower()}, weight {weight})", points))
    ogrs = (inp.ogrs or 0) // 10
    if ogrs:
        lines.append((f"OGRS {inp.ogrs}% (tenths)", ogrs))
    if inp.iom_nominal:
        lines.append(("IOM nominal", 2))
    points = sum(p for _, p in lines)
    return change_level(points), points, lines


def calculate_v2(inp: V2Input) -> V2Result:
    """The V2 tier of one case: protect level, change level and the tier score (with `S` for a PRC registration)."""
    protect_points, protect_lines = _protect(inp)
    change, change_points, change_lines = _change(inp)
    protect = protect_level(protect_points)
    score = f"{protect}{change}{'S' if inp.unsupervised_prc else ''}"
    return V2Result(
        protect=protect,
        protect_points=protect_points,
        change=change,
        change_points=change_points,
        tier_score=score,
        protect_breakdown=tuple(protect_lines),
        change_breakdown=tuple(change_lines),
    )
