"""Pure choices for the demo estate: each takes the random generator and the reference day, and touches no database.

``omic.demo`` builds the rows from these; keeping them apart keeps both files short and these easy to test.
"""

import datetime as dt
import random

from cases.models import CaseInformation, Prisoner, Sentence

YEAR = 365
NO_SENTENCE_DATES = {"conditional_release_date": None, "sentence_expiry_date": None, "licence_expiry_date": None}


def case_mix(rng: random.Random, n: int) -> list[str]:
    """Exact quotas (at least one of each) shuffled, so even a tiny estate has every kind of case."""
    kinds: list[str] = []
    for kind, share in (("indeterminate", 0.15), ("recall", 0.10), ("remand", 0.015), ("immigration", 0.015)):
        kinds += [kind] * max(1, round(n * share))
    kinds += ["determinate"] * (n - len(kinds))
    rng.shuffle(kinds)
    return kinds


def prison_number(rng: random.Random, used: set[str]) -> str:
    """A1234BC, unique against ``used`` (drawn from the seeded generator: Faker's unique proxy is not reproducible)."""
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    return _unused(
        used, lambda: f"{rng.choice('AAG')}{rng.randint(0, 9999):04d}{rng.choice(letters)}{rng.choice(letters)}"
    )


def crn(rng: random.Random, used: set[str]) -> str:
    return _unused(used, lambda: f"{rng.choice('XXXDEJN')}{rng.randint(0, 999999):06d}")


def _unused(used: set[str], draw) -> str:
    while (value := draw()) in used:
        pass
    used.add(value)
    return value


def _determinate(rng: random.Random, today: dt.date, training: bool) -> tuple[str, dict, int]:
    """Weeks to decades; released at the half (CRD), some old-style (ARD), some extended (PED then CRD)."""
    bands = ((28, YEAR - 1), (YEAR, 4 * YEAR), (4 * YEAR, 10 * YEAR), (10 * YEAR, 30 * YEAR))
    length = rng.randint(*rng.choices(bands, (5, 25, 40, 30) if training else (25, 40, 25, 10))[0])
    variant = rng.choices(("crd", "ard", "eds"), (80, 8, 12))[0]
    if variant == "eds" and length < 4 * YEAR or variant == "ard" and length >= 4 * YEAR:
        variant = "crd"
    custodial = rng.randint(length // 2, length * 4 // 5) if variant == "eds" else length // 2
    served = rng.randint(1, max(1, custodial - 1))
    start = today - dt.timedelta(days=served)
    release = start + dt.timedelta(days=custodial)
    expiry = start + dt.timedelta(days=length)
    fields = {"sentence_start_date": start, "sentence_expiry_date": expiry, "release_date": release}
    if variant == "ard":
        return "ADIMP", {**fields, "automatic_release_date": release}, served
    fields |= {"conditional_release_date": release, "licence_expiry_date": expiry}
    if variant == "eds":
        fields["parole_eligibility_date"] = start + dt.timedelta(days=custodial * 2 // 3)
        return "EDS21", fields, served
    if 84 <= length < 4 * YEAR and rng.random() < 0.5:
        earliest = start + dt.timedelta(days=28)
        fields["home_detention_curfew_eligibility_date"] = max(
            earliest, release - dt.timedelta(days=min(180, custodial // 2))
        )
    return "ADIMP_ORA", fields, served


def _indeterminate(rng: random.Random, today: dt.date) -> tuple[str, dict, int]:
    """Life and IPP: a tariff (TED), sometimes a PED, no release or expiry dates; some are past tariff."""
    ipp = rng.random() < 0.2
    tariff = rng.randint(2 * YEAR, 5 * YEAR) if ipp else rng.randint(8 * YEAR, 30 * YEAR)
    served = rng.randint(180, min(tariff + 12 * YEAR, 35 * YEAR))
    start = today - dt.timedelta(days=served)
    ted = start + dt.timedelta(days=tariff)
    fields = {"sentence_start_date": start, "tariff_expiry_date": ted}
    if rng.random() < 0.5:
        fields["parole_eligibility_date"] = ted
    return ("IPP" if ipp else "LIFE"), fields, served


def _recall(rng: random.Random, today: dt.date) -> tuple[str, dict, int]:
    """Released at the CRD, recalled on licence; a fixed-term recall comes back out 14 or 28 days after recall."""
    length = rng.randint(YEAR, 10 * YEAR)
    start = today - dt.timedelta(days=rng.randint(length // 2 + 60, length - 60))
    release = start + dt.timedelta(days=length // 2)
    expiry = start + dt.timedelta(days=length)
    recall_type = rng.choices(Sentence.RecallType.values, (25, 30, 45))[0]
    fixed = {Sentence.RecallType.FIXED_TERM_14: 14, Sentence.RecallType.FIXED_TERM_28: 28}.get(recall_type)
    if fixed:
        recalled_on = today - dt.timedelta(days=rng.randint(0, fixed - 1))
        prrd = min(expiry, recalled_on + dt.timedelta(days=fixed))
        status = "14FTR_ORA" if fixed == 14 else "FTR_ORA"
    else:
        recalled_on = max(release + dt.timedelta(days=7), today - dt.timedelta(days=rng.randint(7, 400)))
        prrd, status = expiry, "LR_ORA"
    dates = {"sentence_start_date": start, "conditional_release_date": release, "post_recall_release_date": prrd}
    fields = {**dates, "licence_expiry_date": expiry, "sentence_expiry_date": expiry, "recall_type": recall_type}
    return status, {**fields, "recalled": True}, (today - recalled_on).days


def case_shape(rng: random.Random, today: dt.date, kind: str, *, training: bool = False):
    """(legal status, imprisonment status code, sentence fields or None, days since arrival) for one kind of case."""
    if kind == "remand":
        return Prisoner.LegalStatus.REMAND, "RX", None, rng.randint(1, 300)
    if kind == "immigration":
        return Prisoner.LegalStatus.IMMIGRATION_DETAINEE, "DET", None, rng.randint(1, 200)
    if kind == "recall":
        status, fields, in_custody = _recall(rng, today)
        return Prisoner.LegalStatus.RECALL, status, {**fields, "sentence_type": "determinate"}, in_custody
    if kind == "indeterminate":
        status, fields, served = _indeterminate(rng, today)
        fields["sentence_type"] = Sentence.SentenceType.INDETERMINATE
    else:
        status, fields, served = _determinate(rng, today, training)
        fields["sentence_type"] = Sentence.SentenceType.DETERMINATE
    return Prisoner.LegalStatus.SENTENCED, status, fields, rng.randint(0, min(served, (6 if training else 2) * YEAR))


def probation_fields(rng: random.Random, today: dt.date, *, female: bool) -> dict:
    """Tier (weighted to C and D), RoSH following the tier, MAPPA mostly 0 or not known, enhanced mostly set."""
    tier = rng.choices("ABCD", (5, 20, 40, 35))[0]
    rosh_weights = {"A": (0, 10, 60, 30), "B": (5, 30, 55, 10), "C": (20, 60, 18, 2), "D": (60, 35, 5, 0)}[tier]
    rosh = rng.choices(CaseInformation.RoshLevel.values, rosh_weights)[0] if rng.random() > 0.02 else ""
    return {
        "tier": tier,
        "tier_source": CaseInformation.TierSource.IMPORTED,
        "tier_date": today - dt.timedelta(days=rng.randint(7, 2 * YEAR)),
        "rosh_level": rosh,
        "mappa_level": rng.choices((None, 0, 1, 2, 3), (25, 60, 10, 4, 1))[0],
        "enhanced_resourcing": rng.choices((True, False, None), (75, 20, 5))[0],
        "womens_complexity": rng.choices(CaseInformation.Complexity.values, (35, 45, 20))[0] if female else "",
    }


# --- Database -------------------------------------------------------------------------------------------------
