"""The national data set behind ``manage.py seed_national``: about 120 prisons, 85,000 prisoners, 3,000 POMs and
15,000 key workers, for benchmarks at national scale (``bench/national.py``).

The plan (prisons, sizes, staff numbers) comes from ``omic.national_estate`` and each case's shape from the demo's
pure choices (``omic.demo_choices``: the same mix of determinate, indeterminate, recall, remand and immigration
cases, tiers and probation details). Prisoners, sentences, case information, tier inputs and allocations are
inserted with ``cases.bulk.insert_rows`` (COPY on PostgreSQL, ``bulk_create`` elsewhere); staff rows, whose ids
the later rows need, with ``bulk_create``. Nothing writes history or audit rows, and no handovers are stored: the
handover sweep, tier recalculation and task recompute are what the benchmark times. Staff get unusable passwords.

Everything it makes is marked: prison codes starting ``Y``, usernames starting ``national.``, COM emails at
``national.probation.example.gov.uk`` and delivery unit codes starting ``NATL_``. ``national_estate_delete``
deletes exactly those rows and whatever points at them.
"""

import datetime as dt
import random
from collections import Counter, defaultdict
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, models, transaction
from django.utils import timezone

from cases.bulk import insert_rows
from cases.models import (
    CaseInformation,
    CommunityOffenderManager,
    LocalDeliveryUnit,
    PomAllocation,
    PomProfile,
    Prison,
    Prisoner,
    Role,
    Sentence,
    StaffProfile,
)
from keywork.models import KeyworkAllocation, KeyworkConfiguration, KeyWorkerProfile
from omic import national_estate as plan
from omic.demo_choices import NO_SENTENCE_DATES, YEAR, case_mix, case_shape, crn, prison_number, probation_fields
from tiering.models import TierInputs
from tiering.selectors import recommended_pom_type

ACTOR = "seed_national"
POM_ALLOCATED_SHARE = 0.8  # of the cases ready to allocate
CO_WORKING_SHARE = 0.05
KEY_WORK_ALLOCATED_SHARE = 0.6  # of the eligible prisoners in prisons that deliver key work
COUNTS = ("prisons", "prisoners", "determinate", "indeterminate", "recall", "remand", "immigration")
COUNTS += ("case information", "tier inputs", "delivery units", "COMs", "cases with a COM", "users", "POMs")
COUNTS += ("key workers", "POM allocations", "co-working allocations", "key work allocations")  # POM: primary


def _users():
    return get_user_model().objects.filter(username__startswith=plan.USERNAME_PREFIX)


def national_estate_exists() -> bool:
    return Prison.objects.filter(code__in=plan.all_prison_codes()).exists() or _users().exists()


def _purge(queryset, depth: int = 0) -> None:
    """Raw-delete the rows and, first, every row pointing at them (SET_NULL links are cleared instead), history
    tables included. No signals and no history rows: fast at national sizes, and only rows reached from ours."""
    for relation in queryset.model._meta.get_fields(include_hidden=True):
        if relation.concrete or not relation.auto_created or not (relation.one_to_many or relation.one_to_one):
            continue
        field = relation.field
        related = relation.related_model._base_manager.filter(**{f"{field.name}__in": queryset.values("pk")})
        if field.remote_field.on_delete is models.SET_NULL:
            related.update(**{field.name: None})
        elif depth < 6 and relation.related_model is not queryset.model:
            _purge(related, depth + 1)
    queryset._raw_delete(queryset.db)


def national_estate_delete() -> None:
    """Delete what the seed made (see the module docstring) and everything that points at it, in one transaction."""
    with transaction.atomic():
        _purge(Prison.objects.filter(code__in=plan.all_prison_codes()))
        _purge(_users())
        _purge(CommunityOffenderManager.objects.filter(email__endswith="@" + plan.COM_EMAIL_DOMAIN))
        _purge(LocalDeliveryUnit.objects.filter(code__startswith=plan.LDU_PREFIX))


def national_estate_build(*, seed: int, today: dt.date, prisons: int, prisoners: int, replace: bool, progress=None):
    """Build the national estate in one transaction; returns the counts. ``progress``: a text stream for the tqdm
    bars (None: no bars)."""
    from tqdm import tqdm

    def bar(description: str, total: int, unit: str):
        return tqdm(total=total, desc=description, file=progress, disable=progress is None, unit=unit)

    rng, tally = random.Random(seed), Counter()
    estate = plan.estate_plan(rng, prisons=prisons, prisoners=prisoners)
    with transaction.atomic():
        if replace:
            with bar("Deleting the old national estate", 1, "step") as step:
                national_estate_delete()
                step.update(1)
        with bar("Prisons, delivery units and COMs", len(estate), "prison") as step:
            _prisons(estate, tally, step)
            ldus, coms = _ldus_and_coms(rng, prisoners, tally)
        with bar("Staff", sum(p.poms + p.key_workers + 1 for p in estate), "user") as step:
            poms, key_workers = _staff(rng, estate, today, tally, step)
        names = _name_pools(seed)
        used_numbers = set(Prisoner.objects.values_list("prison_number", flat=True))
        used_crns = set(CaseInformation.objects.exclude(crn="").values_list("crn", flat=True))
        with bar("Prisoners", prisoners, "prisoner") as step:
            for prison in estate:
                step.set_postfix_str(prison.code)
                cases = _prisoners(rng, today, prison, names, ldus, coms, used_numbers, used_crns, tally)
                _pom_allocations(rng, today, cases, poms[prison.code], tally)
                if prison.kind.estate != Prison.Estate.MENS_OPEN:
                    _keywork_allocations(rng, today, prison, cases, key_workers[prison.code], tally)
                step.update(prison.prisoners)
    if connection.vendor == "postgresql":  # as autovacuum would do later: fresh planner statistics and, outside a
        with connection.cursor() as cursor:  # transaction, the space of a replaced estate's dead rows reclaimed
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    return {label: tally[label] for label in COUNTS}


def _prisons(estate, tally: Counter, step) -> None:
    rows = []
    for p in estate:
        functions = dict(zip(("is_reception", "is_training", "is_resettlement"), p.kind.functions, strict=True))
        country = plan.REGIONS[p.region][1]
        rows.append(Prison(code=p.code, name=p.name, estate=p.kind.estate, country=country, **functions))
        step.update(1)
    Prison.objects.bulk_create(rows)
    configurations = []
    for p in estate:
        fortnightly = p.kind.functions == (False, True, False)
        target = max(6, min(40, round(p.prisoners * KEY_WORK_ALLOCATED_SHARE / p.key_workers) + 2))
        configurations.append(
            KeyworkConfiguration(
                prison_id=p.code,
                is_enabled=p.kind.estate != Prison.Estate.MENS_OPEN,
                allow_auto_allocation=True,
                frequency_weeks=2 if fortnightly else 1,
                session_minutes=90 if fortnightly else 45,
                target_caseload=target,
                maximum_caseload=min(50, target + 3),
            )
        )
    KeyworkConfiguration.objects.bulk_create(configurations)
    tally["prisons"] = len(rows)


def _ldus_and_coms(rng: random.Random, prisoners: int, tally: Counter):
    """Delivery units by region, and COMs in each (about one for every 40 prisoners)."""
    units = plan.delivery_units()
    ldus = LocalDeliveryUnit.objects.bulk_create(
        LocalDeliveryUnit(
            code=code,
            name=name,
            probation_region=region,
            country=country,
            email=f"{code.lower()}@{plan.COM_EMAIL_DOMAIN}",
        )
        for code, name, region, country, _ in units
    )
    by_region = defaultdict(list)
    for ldu, unit in zip(ldus, units, strict=True):
        by_region[unit[4]].append(ldu)
    total = max(len(ldus), prisoners // plan.PRISONERS_PER_COM)
    coms = CommunityOffenderManager.objects.bulk_create(
        (
            CommunityOffenderManager(
                name=f"COM {i + 1:05d}",
                email=f"com{i + 1:05d}@{plan.COM_EMAIL_DOMAIN}",
                local_delivery_unit=ldus[i % len(ldus)],
            )
            for i in range(total)
        ),
        batch_size=1000,
    )
    coms_by_ldu = defaultdict(list)
    for com in coms:
        coms_by_ldu[com.local_delivery_unit_id].append(com.pk)
    tally.update({"delivery units": len(ldus), "COMs": len(coms)})
    return by_region, coms_by_ldu


def _staff(rng: random.Random, estate, today: dt.date, tally: Counter, step):
    """A head of offender management delivery, POMs and key workers for each prison (unusable passwords)."""
    user_model = get_user_model()
    specs = []  # (username, role, prison plan, number)
    for p in estate:
        prefix = f"{plan.USERNAME_PREFIX}{p.code.lower()}."
        specs.append((f"{prefix}homd", Role.HOMD, p, 0))
        specs += [(f"{prefix}pom{i + 1:03d}", Role.POM, p, i) for i in range(p.poms)]
        specs += [(f"{prefix}kw{i + 1:04d}", Role.KEY_WORKER, p, i) for i in range(p.key_workers)]
    users = [
        user_model(
            username=username,
            first_name=f"{Role(role).name.title().replace('_', ' ')} {number + 1}",
            last_name=f"National {p.code}",
            password=make_password(None),
        )
        for username, role, p, number in specs
    ]
    users = user_model.objects.bulk_create(users, batch_size=2000)
    step.update(len(users))
    profiles = StaffProfile.objects.bulk_create(
        [StaffProfile(user=u, job_title=Role(s[1]).label) for u, s in zip(users, specs, strict=True)], batch_size=2000
    )
    groups = {role: Group.objects.get_or_create(name=role)[0].pk for role in (Role.HOMD, Role.POM, Role.KEY_WORKER)}
    through = user_model.groups.through
    through.objects.bulk_create(
        [through(user_id=u.pk, group_id=groups[s[1]]) for u, s in zip(users, specs, strict=True)], batch_size=2000
    )
    postings = StaffProfile.prisons.through
    postings.objects.bulk_create(
        [postings(staffprofile_id=sp.pk, prison_id=s[2].code) for sp, s in zip(profiles, specs, strict=True)],
        batch_size=2000,
    )
    pom_profiles, kw_profiles = [], []
    for user, (_, role, p, _) in zip(users, specs, strict=True):
        if role == Role.POM:
            fields = plan.pom_fields(rng)
            fields["working_pattern"] = Decimal(fields["working_pattern"])
            pom_profiles.append(PomProfile(user=user, prison_id=p.code, **fields))
        elif role == Role.KEY_WORKER:
            status, back = plan.key_worker_status(rng, today)
            kw_profiles.append(KeyWorkerProfile(user=user, prison_id=p.code, status=status, return_date=back))
    pom_profiles = PomProfile.objects.bulk_create(pom_profiles, batch_size=2000)
    kw_profiles = KeyWorkerProfile.objects.bulk_create(kw_profiles, batch_size=2000)
    poms, key_workers = defaultdict(list), defaultdict(list)
    for profile in pom_profiles:
        poms[profile.prison_id].append(profile)
    for profile in kw_profiles:
        key_workers[profile.prison_id].append(profile)
    tally.update({"users": len(users), "POMs": len(pom_profiles), "key workers": len(kw_profiles)})
    return poms, key_workers


def _name_pools(seed: int) -> dict[str, list[str]]:
    """First and last names drawn once from Faker (seeded): far faster than a Faker call for each prisoner."""
    from faker import Faker

    faker = Faker("en_GB")
    faker.seed_instance(seed)
    return {
        "male": [faker.first_name_male() for _ in range(400)],
        "female": [faker.first_name_female() for _ in range(400)],
        "last": [faker.last_name() for _ in range(1500)],
    }


def _prisoners(rng, today, prison, names, ldus, coms, used_numbers, used_crns, tally) -> list[dict]:
    """Insert the prison's prisoners, sentences, case information and tier inputs; returns the cases (dicts)."""
    kind, now = prison.kind, timezone.now()
    kinds = case_mix(rng, prison.prisoners)
    categories, weights = zip(*kind.categories, strict=True)
    ages = (15 * YEAR, 18 * YEAR - 30) if kind.youth else (19 * YEAR, 75 * YEAR)
    prisoners, sentences, case_information, inputs, cases = [], [], [], [], []
    for case_kind in kinds:
        legal_status, status, sentence, days_here = case_shape(rng, today, case_kind, training=kind.functions[1])
        sentenced = sentence is not None
        number = prison_number(rng, used_numbers)
        arrival = today - dt.timedelta(days=days_here)
        prisoners.append(
            {
                "prison_number": number,
                "first_name": rng.choice(names["female" if kind.female else "male"]),
                "last_name": rng.choice(names["last"]),
                "date_of_birth": today - dt.timedelta(days=rng.randint(*ages)),
                "sex": Prisoner.Sex.FEMALE if kind.female else Prisoner.Sex.MALE,
                "prison_id": prison.code,
                "prison_arrival_date": arrival,
                "legal_status": legal_status,
                "imprisonment_status": status,
                "cell_location": f"{rng.choice('ABCDEFGH')}-{rng.randint(1, 4)}-{rng.randint(1, 42):03d}",
                "security_category": rng.choices(categories, weights)[0] if sentenced else "U",
                "category_approved_date": min(today, arrival + dt.timedelta(days=rng.randint(0, 42)))
                if sentenced
                else None,
                "care_experienced": rng.random() < 0.2,
                "updated_at": now,
            }
        )
        if sentenced:
            sentences.append({**NO_SENTENCE_DATES, **sentence, "prisoner_id": number, "updated_at": now})
        case = {"number": number, "kind": case_kind, "arrival": arrival, "tier": "", "complexity": ""}
        if case_kind != "immigration" and rng.random() >= 0.05:  # 5% are missing their probation details
            fields = probation_fields(rng, today, female=kind.female)
            regional = ldus[prison.region] if rng.random() < 0.7 else ldus[rng.randrange(len(ldus))]
            ldu = rng.choice(regional)
            com = rng.choice(coms[ldu.pk]) if coms[ldu.pk] and rng.random() < 0.6 else None
            fields |= {"crn": crn(rng, used_crns), "probation_region": ldu.probation_region}
            fields |= {"local_delivery_unit_id": ldu.pk, "com_id": com, "prisoner_id": number, "updated_at": now}
            case_information.append(fields)
            case |= {"tier": fields["tier"], "rosh": fields["rosh_level"], "complexity": fields["womens_complexity"]}
            tally["cases with a COM"] += com is not None
            inputs.append(
                {
                    "prisoner_id": number,
                    "model": "v2",
                    "inputs": plan.tier_inputs(rng),
                    "source": "probation",
                    "updated_at": now - dt.timedelta(days=rng.randint(1, 300)),
                    "updated_by": ACTOR,
                }
            )
        cases.append(case)
    insert_rows(Prisoner, prisoners)
    insert_rows(Sentence, sentences)
    insert_rows(CaseInformation, case_information)
    insert_rows(TierInputs, inputs)
    tally.update(kinds)
    tally.update({"prisoners": len(prisoners), "case information": len(case_information), "tier inputs": len(inputs)})
    return cases


def _since(rng: random.Random, today: dt.date, arrival: dt.date) -> dt.datetime:
    held = max(0, min(400, (today - arrival).days))
    return timezone.now() - dt.timedelta(days=rng.randint(0, held), minutes=rng.randint(0, 600))


def _pom_allocations(rng: random.Random, today: dt.date, cases: list[dict], poms: list, tally: Counter) -> None:
    """Most sentenced cases with a tier get a primary POM of the recommended type (else the other type, "no staff"),
    the least loaded for their working pattern; a few also get a co-working POM."""
    active = [p for p in poms if p.status == PomProfile.Status.ACTIVE]
    if len(active) < 2:
        return
    load = dict.fromkeys((p.pk for p in active), 0)
    rows = []
    for case in cases:
        if not case["tier"] or case["kind"] in ("remand", "immigration") or rng.random() >= POM_ALLOCATED_SHARE:
            continue
        recommended, _ = recommended_pom_type(
            tier=case["tier"], pom_responsible=True, immigration_case=False, rosh_level=case["rosh"]
        )
        matching = [p for p in active if p.pom_type == recommended] or active
        pom = min(matching, key=lambda p: (load[p.pk] / float(p.working_pattern), p.pk))
        load[pom.pk] += 1
        since = _since(rng, today, case["arrival"])
        override = "" if pom.pom_type == recommended or recommended == "none" else PomAllocation.OverrideReason.NO_STAFF
        row = {"prisoner_id": case["number"], "pom_id": pom.pk, "role": PomAllocation.Role.PRIMARY}
        rows.append(row | {"allocated_at": since, "recommended_pom_type": recommended, "override_reason": override})
        if rng.random() < CO_WORKING_SHARE:
            co = rng.choice([p for p in active if p.pk != pom.pk])
            rows.append({"prisoner_id": case["number"], "pom_id": co.pk, "role": "co_working", "allocated_at": since})
    insert_rows(PomAllocation, rows)
    co_working = sum(row["role"] == "co_working" for row in rows)
    tally.update({"POM allocations": len(rows) - co_working, "co-working allocations": co_working})


def _keywork_allocations(rng, today, prison, cases: list[dict], key_workers: list, tally: Counter) -> None:
    """Some eligible prisoners (not high complexity, here for more than two days) get an active key worker, up to
    each key worker's share of the prison's caseload."""
    active = [k for k in key_workers if k.status == "active"]
    if not active:
        return
    capacity = max(6, min(40, round(prison.prisoners * KEY_WORK_ALLOCATED_SHARE / prison.key_workers) + 2))
    load = dict.fromkeys((k.pk for k in active), 0)
    rows, turn = [], 0
    for case in cases:
        eligible = case["complexity"] != "high" and (today - case["arrival"]).days > 2
        if not eligible or rng.random() >= KEY_WORK_ALLOCATED_SHARE:
            continue
        for _ in range(len(active)):
            worker = active[turn % len(active)]
            turn += 1
            if load[worker.pk] < capacity:
                break
        else:
            break  # everyone is full
        load[worker.pk] += 1
        since = _since(rng, today, case["arrival"])
        rows.append(
            {
                "prisoner_id": case["number"],
                "prison_id": prison.code,
                "key_worker_id": worker.pk,
                "allocation_type": "manual",
                "allocated_at": since,
            }
        )
    insert_rows(KeyworkAllocation, rows)
    tally["key work allocations"] += len(rows)
