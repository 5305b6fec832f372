"""Pure choices for the national data set (``manage.py seed_national``): the prisons, their sizes and staff numbers.

No database here: ``omic.national_seed`` builds the rows from these plans. The estate follows the demo's mix (men's
closed local and training prisons, men's open, women's, youth) at national proportions: about 120 prisons holding
about 85,000 people, about 3,000 POMs and 15,000 key workers. Everything is drawn from the seeded generator.
"""

import dataclasses
import datetime as dt
import random
import string

from cases.models import Prison

CODE_PREFIX = "Y"  # national prisons are YAA, YAB, ... (no real prison code starts with Y); the seed's marker
USERNAME_PREFIX = "national."  # national staff: national.yaa.pom001, national.yaa.kw0001, national.yaa.homd
COM_EMAIL_DOMAIN = "national.probation.example.gov.uk"
LDU_PREFIX = "NATL_"
PRISONERS_PER_POM = 28  # about 3,000 POMs for 85,000 prisoners
PRISONERS_PER_KEY_WORKER = 5.7  # about 15,000 key workers
PRISONERS_PER_COM = 40

REGIONS = (  # probation region, country, delivery units
    ("North East", "england", 3),
    ("North West", "england", 4),
    ("Yorkshire and the Humber", "england", 4),
    ("Greater Manchester", "england", 3),
    ("East Midlands", "england", 3),
    ("West Midlands", "england", 4),
    ("East of England", "england", 4),
    ("London", "england", 6),
    ("Kent, Surrey and Sussex", "england", 4),
    ("South West", "england", 3),
    ("South Central", "england", 3),
    ("Wales", "wales", 4),
)


@dataclasses.dataclass(frozen=True)
class PrisonKind:
    label: str
    estate: str
    functions: tuple[bool, bool, bool]  # reception, training, resettlement
    share: float  # of the prisons
    size: int  # typical population
    female: bool
    youth: bool
    categories: tuple[tuple[str, int], ...]


# fmt: off
KINDS = (
    PrisonKind("local", Prison.Estate.MENS_CLOSED, (True, False, True), 0.20, 1600, False, False,
               (("B", 55), ("C", 42), ("D", 3))),
    PrisonKind("womens", Prison.Estate.WOMENS, (True, False, True), 0.10, 300, True, False, (("R", 85), ("T", 15))),
    PrisonKind("open", Prison.Estate.MENS_OPEN, (False, False, True), 0.10, 400, False, False, (("D", 100),)),
    PrisonKind("training", Prison.Estate.MENS_CLOSED, (False, True, False), 0.55, 560, False, False,
               (("B", 25), ("C", 75))),
    PrisonKind("youth", Prison.Estate.YOUTH, (True, True, False), 0.05, 200, False, True, (("I", 90), ("V", 10))),
)
# fmt: on


@dataclasses.dataclass(frozen=True)
class PrisonPlan:
    code: str
    name: str
    kind: PrisonKind
    prisoners: int
    poms: int
    key_workers: int
    region: int  # index into REGIONS: where most of its prisoners come from


def prison_code(i: int) -> str:
    letters = string.ascii_uppercase
    return f"{CODE_PREFIX}{letters[i // 26 % 26]}{letters[i % 26]}"


def all_prison_codes(n: int = 26 * 26) -> list[str]:
    return [prison_code(i) for i in range(n)]


def kinds_for(n: int) -> list[PrisonKind]:
    """Each kind's share of ``n`` prisons: every kind once first (so a small estate has the whole mix), then the
    kind furthest below its share."""
    chosen: list[PrisonKind] = list(KINDS[:n])
    while len(chosen) < n:
        deficit = {kind: kind.share * (len(chosen) + 1) - chosen.count(kind) for kind in KINDS}
        chosen.append(max(KINDS, key=lambda kind: deficit[kind]))
    return chosen


def estate_plan(rng: random.Random, *, prisons: int, prisoners: int) -> list[PrisonPlan]:
    """Prisons with sizes proportional to their kind's typical size (give or take 15%), adding up to ``prisoners``."""
    kinds = kinds_for(prisons)
    weights = [kind.size * rng.uniform(0.85, 1.15) for kind in kinds]
    sizes = [max(1, int(prisoners * w / sum(weights))) for w in weights]
    for i in range(prisoners - sum(sizes)):  # the remainder, one each, largest prisons first
        sizes[sorted(range(prisons), key=lambda j: -weights[j])[i % prisons]] += 1
    plans = []
    for i, (kind, size) in enumerate(zip(kinds, sizes, strict=True)):
        name = f"HMP National {kind.label.capitalize()} {i + 1}"
        poms = max(2, round(size / PRISONERS_PER_POM))
        key_workers = max(2, round(size / PRISONERS_PER_KEY_WORKER))
        plans.append(PrisonPlan(prison_code(i), name, kind, size, poms, key_workers, i % len(REGIONS)))
    return plans


def delivery_units() -> list[tuple[str, str, str, str, int]]:
    """(code, name, probation region, country, region index) for every national delivery unit."""
    units = []
    for r, (region, country, count) in enumerate(REGIONS):
        for j in range(count):
            units.append((f"{LDU_PREFIX}{r:02d}_{j + 1}", f"{region} delivery unit {j + 1}", region, country, r))
    return units


def tier_inputs(rng: random.Random) -> dict:
    """Plausible V2 tier inputs, weighted to lower risk as the estate is."""
    needs = ["ACCOMMODATION", "RELATIONSHIPS", "DRUG_MISUSE", "ALCOHOL_MISUSE", "THINKING_AND_BEHAVIOUR", "ATTITUDES"]
    inputs = {"rsr": rng.choice([0, 1.5, 2.99, 3.0, 5.2, 7.0, 12.4, 30.0]), "ogrs": rng.randint(0, 100)}
    if rng.random() < 0.3:
        inputs["rosh"] = rng.choice(["LOW", "MEDIUM", "MEDIUM", "HIGH", "VERY_HIGH"])
    if rng.random() < 0.1:
        inputs["mappa_level"] = rng.choice(["M1", "M1", "M2", "M3"])
    severities = ["NO_NEED", "STANDARD", "SEVERE"]
    inputs["assessment"] = {"needs": {n: rng.choice(severities) for n in rng.sample(needs, 3)}}
    inputs["iom_nominal"] = rng.random() < 0.05
    return inputs


def pom_fields(rng: random.Random) -> dict:
    """A POM's type (40% probation), working pattern (70% full time) and status (a few away or unavailable)."""
    fte = "1.0" if rng.random() < 0.7 else rng.choice(("0.5", "0.6", "0.7", "0.8"))
    status = rng.choices(("active", "unavailable", "away"), (96, 2, 2))[0]
    return {"pom_type": rng.choices(("probation", "prison"), (40, 60))[0], "working_pattern": fte, "status": status}


def key_worker_status(rng: random.Random, today: dt.date) -> tuple[str, dt.date | None]:
    draw = rng.random()
    if draw < 0.06:
        return "annual_leave", today + dt.timedelta(days=rng.randint(2, 14))
    if draw < 0.09:
        return "long_term_absence", None
    return "active", None
