"""The demo estate behind ``manage.py seed_demo``: three prisons with their prisoners, staff and probation records.

Rows are built with the factory-boy factories in ``tests.factories`` (imported inside functions: they are test
support, not part of the running service), seeded so that one seed always gives the same estate, and saved with plain
``bulk_create`` in batches. Demo rows therefore carry no django-simple-history records. This module never reads the
clock: the caller passes the reference day ``today`` and every date is relative to it.
"""

import contextlib
import dataclasses
import datetime as dt
import random
from collections import Counter
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from django.test.utils import override_settings

from cases.models import (
    CaseInformation,
    CommunityOffenderManager,
    LocalDeliveryUnit,
    PomProfile,
    Prison,
    Prisoner,
    Role,
    Sentence,
    StaffProfile,
)
from omic.demo_choices import (
    NO_SENTENCE_DATES,
    YEAR,
    case_mix,
    case_shape,
    crn,
    prison_number,
    probation_fields,
)

DEMO_PASSWORD = "demo-password-1"  # noqa: S105 - a published demo password, never used in production
USERNAME_PREFIX = "demo."  # generated staff (POMs, key workers) are demo.pom01, demo.kw001 ...
COM_EMAIL_DOMAIN = "demo.probation.example.gov.uk"
BATCH_SIZE = 500
MIN_PRISONERS_PER_PRISON = 10
COUNTS = ("prisons", "prisoners", "determinate", "indeterminate", "recall", "remand", "immigration", "case information")
COUNTS += ("without case information", "delivery units", "COMs", "POMs", "key workers", "demo users")
COUNTS += ("parole reviews", "early allocation assessments")
COUNTS += ("stored handovers",)
COUNTS += ("POM allocations",)
COUNTS += ("key work allocations", "key work sessions")
COUNTS += ("COM allocation dates", "case tasks")
COUNTS += ("oversight samples", "oversight audits", "oversight actions")
COUNTS += ("prison measures",)
FUNCTIONS = ("is_reception", "is_training", "is_resettlement")


@dataclasses.dataclass(frozen=True)
class DemoPrison:
    code: str
    name: str
    estate: str
    functions: tuple[bool, bool, bool]  # reception, training, resettlement
    prisoners: int
    female: bool
    wings: str
    categories: tuple[tuple[str, int], ...]  # security category and weight
    ldu_weights: tuple[int, ...]  # one weight per DEMO_LDUS entry: where the prisoners come from
    poms: int  # generated POMs, besides the named logins
    key_workers: int


# fmt: off
DEMO_PRISONS = (
    DemoPrison("LEI", "HMP Leeds", Prison.Estate.MENS_CLOSED, (True, False, True), 1200, False, "ABCDEFG",
               (("B", 55), ("C", 40), ("D", 5)), (50, 25, 5, 5, 10, 5), 11, 69),
    DemoPrison("SKI", "HMP Swaleside", Prison.Estate.MENS_CLOSED, (False, True, False), 800, False, "ABCDEFGHJ",
               (("B", 80), ("C", 20)), (10, 5, 45, 5, 20, 15), 10, 50),
    DemoPrison("LNI", "HMP Low Newton", Prison.Estate.WOMENS, (True, False, True), 350, True, "ABCFGH",
               (("R", 85), ("T", 15)), (20, 10, 0, 55, 10, 5), 8, 30),
)
# fmt: on
DEMO_PRISON_CODES = tuple(p.code for p in DEMO_PRISONS)

DEMO_LDUS = (  # code, name, probation region, country
    ("N07LEEDS", "Leeds", "Yorkshire and the Humber", "england"),
    ("N07BRADCAL", "Bradford and Calderdale", "Yorkshire and the Humber", "england"),
    ("N57WKENT", "West Kent", "Kent, Surrey and Sussex", "england"),
    ("N54DURHAM", "County Durham and Darlington", "North East", "england"),
    ("N50MANCN", "Manchester North", "Greater Manchester", "england"),
    ("N03CARDIFF", "Cardiff and the Vale", "Wales", "wales"),
)
COMS_TOTAL = 40

# The named logins in README.md: username, role, prisons, first and last name.
NAMED_LOGINS = (
    ("pom", Role.POM, ("LEI",), "Alex", "Morgan"),
    ("homd", Role.HOMD, DEMO_PRISON_CODES, "Jordan", "Hale"),
    ("homs", Role.HOMS, DEMO_PRISON_CODES, "Casey", "Wright"),
    ("caseadmin", Role.CASE_ADMIN, ("LEI",), "Robin", "Patel"),
    ("keyworker", Role.KEY_WORKER, ("LEI",), "Jamie", "Clarke"),
    ("national", Role.NATIONAL_VIEWER, (), "Morgan", "Evans"),
    ("admin", Role.SERVICE_ADMIN, (), "Sam", "Admin"),
)
NAMED_USERNAMES = tuple(login[0] for login in NAMED_LOGINS)


@dataclasses.dataclass
class DemoResult:
    seed: int
    logins: list[tuple[str, str, str]]  # username, role, prisons
    counts: dict[str, int]
    kept_logins: list[str]  # named logins that existed already and were left as they were


def _demo_users():
    return get_user_model().objects.filter(Q(username__startswith=USERNAME_PREFIX) | Q(username__in=NAMED_USERNAMES))


def demo_estate_exists() -> bool:
    return (
        Prisoner.objects.filter(prison_id__in=DEMO_PRISON_CODES).exists()
        or get_user_model().objects.filter(username__startswith=USERNAME_PREFIX).exists()
        or CommunityOffenderManager.objects.filter(email__endswith="@" + COM_EMAIL_DOMAIN).exists()
    )


def _case_history_models() -> list:
    from cases.models import EarlyAllocation, ParoleReview, PomAllocation
    from casework.models import CaseTask
    from handover.models import ResponsibilityOverride

    return [PomAllocation, EarlyAllocation, ParoleReview, CaseTask, ResponsibilityOverride]


def demo_estate_delete() -> None:
    """Delete what the demo made: the demo prisons' prisoners (and their history), demo users, COMs and LDUs.

    The prisons stay (other rows may point at them). Deleting does not write history rows either.
    """
    from keywork.demo import demo_keywork_delete

    demo_keywork_delete(prison_codes=DEMO_PRISON_CODES)
    prisoners = Prisoner.objects.filter(prison_id__in=DEMO_PRISON_CODES)
    numbers = prisoners.values("prison_number")
    # SIMPLE_HISTORY_ENABLED is simple-history's only switch: without it each delete writes a history row (2x slower).
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        CaseInformation.history.filter(prisoner_id__in=numbers).delete()
        Sentence.history.filter(prisoner_id__in=numbers).delete()
        Prisoner.history.filter(prison_number__in=numbers).delete()
        for model in _case_history_models():  # allocations, early allocation, parole, tasks, overrides
            model.history.filter(prisoner_id__in=numbers).delete()
        CaseInformation.objects.filter(prisoner__prison_id__in=DEMO_PRISON_CODES).delete()
        Sentence.objects.filter(prisoner__prison_id__in=DEMO_PRISON_CODES).delete()
        prisoners.delete()
        _demo_users().delete()
        CommunityOffenderManager.objects.filter(email__endswith="@" + COM_EMAIL_DOMAIN).delete()
        LocalDeliveryUnit.objects.filter(code__in=[ldu[0] for ldu in DEMO_LDUS], cases__isnull=True).delete()


def demo_estate_build(*, seed: int, today: dt.date, scale: float = 1.0, reset: bool = False, progress=None):
    """Build the demo estate in one transaction; ``progress`` is a text stream for the tqdm bar (None: no bar)."""
    from tqdm import tqdm

    rng, tally = random.Random(seed), Counter()
    plan = [(prison, max(MIN_PRISONERS_PER_PRISON, round(prison.prisoners * scale))) for prison in DEMO_PRISONS]
    with (
        tqdm(total=sum(n for _, n in plan), file=progress, disable=progress is None, unit="prisoner") as bar,
        _factory_seed(seed),
        transaction.atomic(),
    ):
        if reset:
            bar.set_description_str("Deleting the old demo estate")
            demo_estate_delete()
        bar.set_description_str("Prisons, delivery units and COMs")
        prisons = {}
        for p in DEMO_PRISONS:
            fields = {"name": p.name, "estate": p.estate, **dict(zip(FUNCTIONS, p.functions, strict=True))}
            prisons[p.code] = Prison.objects.update_or_create(code=p.code, defaults=fields)[0]
        tally["prisons"] = len(prisons)
        ldus, coms = _ldus_and_coms(tally)
        bar.set_description_str("Staff")
        logins, kept = _staff(rng, prisons, tally)
        used_numbers = set(Prisoner.objects.values_list("prison_number", flat=True))
        used_crns = set(CaseInformation.objects.exclude(crn="").values_list("crn", flat=True))
        for demo_prison, n in plan:
            bar.set_description_str(f"Prisoners at {demo_prison.code}")
            where = (demo_prison, prisons[demo_prison.code], n)
            tally.update(_prisoners(rng, today, *where, ldus, coms, used_numbers, used_crns, bar))
        bar.set_description_str("Parole reviews and early allocation")
        from casework.demo import demo_casework_make

        tally.update(demo_casework_make(rng=rng, prison_codes=DEMO_PRISON_CODES, today=today))
        bar.set_description_str("Handovers")
        tally["stored handovers"] = _handovers_calculate(today)
        bar.set_description_str("POM allocations")
        from allocation.demo import demo_allocations_make

        tally["POM allocations"] = demo_allocations_make(rng=rng, prison_codes=DEMO_PRISON_CODES, today=today)
        bar.set_description_str("Key work")
        from keywork.demo import demo_keywork_make

        tally.update(demo_keywork_make(rng=rng, prison_codes=DEMO_PRISON_CODES, today=today))
        bar.set_description_str("Case tasks")
        from casework.demo import demo_tasks_make

        tally.update(demo_tasks_make(rng=rng, prison_codes=DEMO_PRISON_CODES, today=today))
        bar.set_description_str("Management oversight")
        from oversight.demo import demo_oversight_make

        tally.update(demo_oversight_make(rng=rng, prison_codes=DEMO_PRISON_CODES, today=today))
        bar.set_description_str("OMiC measures")
        from dashboards.national_services import measures_snapshot_all

        tally["prison measures"] = measures_snapshot_all(today=today, prison_codes=DEMO_PRISON_CODES)["recorded"]
        bar.set_description_str("Done")
    return DemoResult(seed=seed, logins=logins, counts={label: tally[label] for label in COUNTS}, kept_logins=kept)


def _handovers_calculate(today: dt.date) -> int:
    """Run the handover sweep over the demo prisons so that the demo has stored handovers and alerts."""
    from handover.services.sweep import SweepLocked, sweep

    computed = 0
    for code in DEMO_PRISON_CODES:
        with contextlib.suppress(SweepLocked):
            computed += sweep(today=today, prison_code=code, trigger="demo").computed
    return computed


@contextlib.contextmanager
def _factory_seed(seed: int):
    """Seed factory-boy and its Faker for the build, then give back the state they had."""
    import factory.random

    saved = factory.random.get_random_state()
    factory.random.reseed_random(seed)
    yield
    factory.random.set_random_state(saved)


def _ldus_and_coms(tally: Counter):
    from tests.factories import CommunityOffenderManagerFactory

    ldus = []
    for code, name, region, country in DEMO_LDUS:
        defaults = {"name": name, "probation_region": region, "country": country}
        defaults["email"] = f"{code.lower()}.omic@{COM_EMAIL_DOMAIN}"
        ldus.append(LocalDeliveryUnit.objects.update_or_create(code=code, defaults=defaults)[0])
    coms = []
    for i in range(COMS_TOTAL):
        com = CommunityOffenderManagerFactory.build(local_delivery_unit=ldus[i % len(ldus)], email="")
        local = "".join(c for c in com.name.lower().replace(" ", ".") if c.isalnum() or c == ".")
        com.email = f"{local}.{i + 1:02d}@{COM_EMAIL_DOMAIN}"
        coms.append(com)
    CommunityOffenderManager.objects.bulk_create(coms, batch_size=BATCH_SIZE)
    tally.update({"delivery units": len(ldus), "COMs": len(coms)})
    by_ldu = {ldu.pk: [c for c in coms if c.local_delivery_unit_id == ldu.pk] for ldu in ldus}
    return ldus, by_ldu


def _staff(rng: random.Random, prisons: dict[str, Prison], tally: Counter):
    """Named logins, then generated POMs and key workers; one password hash shared by every demo user."""
    import factory

    from tests.factories import PomProfileFactory, StaffProfileFactory, UserFactory

    user_model = get_user_model()
    kept = sorted(user_model.objects.filter(username__in=NAMED_USERNAMES).values_list("username", flat=True))
    full_time = (PomProfile.PomType.PROBATION, Decimal("1.0"), PomProfile.Status.ACTIVE)
    specs = [  # username, role, prison codes, names, POM profile (type, FTE, status) or None
        (name, role, codes, {"first_name": first, "last_name": last}, full_time if role == Role.POM else None)
        for name, role, codes, first, last in NAMED_LOGINS
        if name not in kept
    ]
    poms = [(demo.code, i) for demo in DEMO_PRISONS for i in range(demo.poms)]
    away = dict(zip(rng.sample(range(len(poms)), 3), ("unavailable", "unavailable", "away"), strict=True))
    for number, (code, _) in enumerate(poms):
        pom_type = rng.choices(PomProfile.PomType.values, (40, 60))[0]
        fte = Decimal("1.0") if rng.random() < 0.7 else Decimal(rng.choice(("0.5", "0.6", "0.7", "0.8")))
        pom = (pom_type, fte, away.get(number, PomProfile.Status.ACTIVE))
        specs.append((f"{USERNAME_PREFIX}pom{number + 1:02d}", Role.POM, (code,), {}, pom))
    key_workers = [demo.code for demo in DEMO_PRISONS for _ in range(demo.key_workers)]
    specs += [(f"{USERNAME_PREFIX}kw{i + 1:03d}", Role.KEY_WORKER, (c,), {}, None) for i, c in enumerate(key_workers)]

    password = factory.Transformer.Force(make_password(DEMO_PASSWORD))  # hashed once: hashing is slow by design
    users = []
    for username, role, _, names, _ in specs:
        admin = role == Role.SERVICE_ADMIN
        flags = {"is_staff": admin, "is_superuser": admin}  # the service admin also gets the Django admin
        users.append(UserFactory.build(username=username, password=password, **names, **flags))
    user_model.objects.bulk_create(users, batch_size=BATCH_SIZE)
    groups = {role: Group.objects.get_or_create(name=role)[0] for role in Role.values}
    profiles = [
        StaffProfileFactory.build(user=u, job_title=Role(s[1]).label) for u, s in zip(users, specs, strict=True)
    ]
    StaffProfile.objects.bulk_create(profiles, batch_size=BATCH_SIZE)
    memberships, postings, pom_profiles = [], [], []
    for user, profile, (_, role, codes, _, pom) in zip(users, profiles, specs, strict=True):
        memberships.append(user_model.groups.through(user_id=user.pk, group_id=groups[role].pk))
        postings += [StaffProfile.prisons.through(staffprofile_id=profile.pk, prison_id=code) for code in codes]
        if pom:
            fields = {"pom_type": pom[0], "working_pattern": pom[1], "status": pom[2]}
            pom_profiles.append(PomProfileFactory.build(user=user, prison=prisons[codes[0]], **fields))
    user_model.groups.through.objects.bulk_create(memberships, batch_size=BATCH_SIZE)
    StaffProfile.prisons.through.objects.bulk_create(postings, batch_size=BATCH_SIZE)
    PomProfile.objects.bulk_create(pom_profiles, batch_size=BATCH_SIZE)
    tally.update({"POMs": len(pom_profiles), "key workers": len(key_workers) + 1 - ("keyworker" in kept)})
    tally["demo users"] += len(users)
    return [(u, Role(r).label, ", ".join(c) or "none") for u, r, c, *_ in NAMED_LOGINS], kept


def _prisoners(rng, today, demo: DemoPrison, prison: Prison, n: int, ldus, coms, used_numbers, used_crns, bar):
    import factory

    from tests.factories import CaseInformationFactory, PrisonerFactory, SentenceFactory

    kinds = case_mix(rng, n)
    candidates = [i for i, kind in enumerate(kinds) if kind != "immigration"]
    without_case_information = set(rng.sample(candidates, max(1, round(n * 0.05))))
    first_name = factory.Faker("first_name_female" if demo.female else "first_name_male", locale="en_GB")
    sex = Prisoner.Sex.FEMALE if demo.female else Prisoner.Sex.MALE
    categories, weights = zip(*demo.categories, strict=True)
    prisoners, sentences, case_information = [], [], []
    for i, kind in enumerate(kinds):
        legal_status, status, sentence, days_here = case_shape(rng, today, kind, training=demo.functions[1])
        arrival = today - dt.timedelta(days=days_here)
        sentenced = sentence is not None
        category = rng.choices(categories, weights)[0] if sentenced else Prisoner.SecurityCategory.U
        cell = f"{rng.choice(demo.wings)}-{rng.randint(1, 4)}-{rng.randint(1, 42):03d}"  # wing-landing-cell
        approved = min(today, arrival + dt.timedelta(days=rng.randint(0, 42))) if sentenced else None
        born = today - dt.timedelta(days=rng.randint(19 * YEAR, 75 * YEAR))
        cell = "RECP" if rng.random() < 0.01 else cell  # a few are still in reception
        # fmt: off
        prisoner = PrisonerFactory.build(
            prison_number=prison_number(rng, used_numbers), first_name=first_name, date_of_birth=born, sex=sex,
            prison=prison, prison_arrival_date=arrival, legal_status=legal_status, imprisonment_status=status,
            cell_location=cell, security_category=category, category_approved_date=approved,
            care_experienced=rng.random() < 0.2,
        )
        # fmt: on
        prisoners.append(prisoner)
        if sentenced:
            sentences.append(SentenceFactory.build(prisoner=prisoner, **{**NO_SENTENCE_DATES, **sentence}))
        if kind != "immigration" and i not in without_case_information:
            fields = probation_fields(rng, today, female=demo.female)
            ldu = rng.choices(ldus, demo.ldu_weights)[0]
            com = rng.choice(coms[ldu.pk]) if coms[ldu.pk] and rng.random() < 0.6 else None
            fields |= {"crn": crn(rng, used_crns), "probation_region": ldu.probation_region, "com": com}
            case_information.append(CaseInformationFactory.build(prisoner=prisoner, local_delivery_unit=ldu, **fields))
        bar.update(1)
    Prisoner.objects.bulk_create(prisoners, batch_size=BATCH_SIZE)
    Sentence.objects.bulk_create(sentences, batch_size=BATCH_SIZE)
    CaseInformation.objects.bulk_create(case_information, batch_size=BATCH_SIZE)
    known = len(case_information)
    return Counter(kinds) + Counter({"prisoners": n, "case information": known, "without case information": n - known})
