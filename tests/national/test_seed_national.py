"""``manage.py seed_national``: a small national estate on whichever database the suite runs on (SQLite or
PostgreSQL with COPY), its counts and mix, the refusal to run twice, ``--replace``, and the handover sweep over it."""

import io
import random
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from cases.models import CaseInformation, PomAllocation, PomProfile, Prison, Prisoner, Sentence
from handover.models import CalculatedHandover
from handover.services.sweep import sweep
from keywork.models import KeyworkAllocation, KeyWorkerProfile
from omic import national_estate
from tiering.models import TierInputs
from tiering.services import tier_recalculate_all

pytestmark = pytest.mark.django_db

PRISONS, PRISONERS = 3, 300


def _seed(*extra) -> str:
    out = io.StringIO()
    call_command(
        "seed_national", "--prisons", PRISONS, "--prisoners", PRISONERS, *extra, stdout=out, stderr=io.StringIO()
    )
    return out.getvalue()


def _national():
    return Prisoner.objects.filter(prison_id__in=national_estate.all_prison_codes())


def test_estate_plan_adds_up_and_keeps_the_mix_at_national_size():
    estate = national_estate.estate_plan(random.Random(1), prisons=120, prisoners=85_000)
    assert sum(p.prisoners for p in estate) == 85_000
    kinds = {kind.label: sum(p.kind is kind for p in estate) for kind in national_estate.KINDS}
    assert kinds == {"local": 24, "training": 66, "womens": 12, "open": 12, "youth": 6}
    assert min(p.prisoners for p in estate if p.kind.label == "local") >= 1_300
    assert max(p.prisoners for p in estate if p.kind.label == "youth") <= 300
    assert 2_700 <= sum(p.poms for p in estate) <= 3_300
    assert 13_500 <= sum(p.key_workers for p in estate) <= 16_500
    assert len({p.code for p in estate}) == 120


def test_seed_builds_the_counts_and_the_mix():
    output = _seed()
    prisons = Prison.objects.filter(code__in=national_estate.all_prison_codes())
    assert sorted(prisons.values_list("estate", flat=True)) == ["mens_closed", "mens_open", "womens"]
    people = _national()
    assert people.count() == PRISONERS
    assert re.search(rf"^  prisoners +{PRISONERS}$", output, re.MULTILINE)  # the summary line
    women = people.filter(prison__estate="womens")
    assert women.exists()
    assert not women.exclude(sex="female").exists()
    # The demo's mix: about 15% indeterminate, 10% recall, a few remand and immigration cases.
    sentences = Sentence.objects.filter(prisoner__in=people)
    indeterminate = sentences.filter(sentence_type="indeterminate").count()
    assert 0.10 * PRISONERS <= indeterminate <= 0.20 * PRISONERS
    assert 0.05 * PRISONERS <= sentences.filter(recalled=True).count() <= 0.15 * PRISONERS
    assert people.filter(legal_status="remand").exists()
    assert people.filter(legal_status="immigration_detainee").exists()
    assert sentences.count() == people.exclude(legal_status__in=["remand", "immigration_detainee"]).count()
    cases = CaseInformation.objects.filter(prisoner__in=people)
    assert 0.85 * PRISONERS <= cases.count() < PRISONERS
    assert not cases.filter(tier="").exists()
    assert not cases.filter(local_delivery_unit=None).exists()
    assert cases.exclude(com=None).exists()
    assert cases.filter(com=None).exists()
    assert TierInputs.objects.filter(prisoner__in=people).count() == cases.count()
    # Staff: a POM for about every 28 prisoners, a key worker for about every 6, with unusable passwords.
    poms = PomProfile.objects.filter(prison__in=prisons)
    assert poms.count() >= 3 * 2
    assert KeyWorkerProfile.objects.filter(prison__in=prisons).count() >= PRISONERS // 8
    users = get_user_model().objects.filter(username__startswith=national_estate.USERNAME_PREFIX)
    assert not any(user.has_usable_password() for user in users)
    assert users.filter(groups__name="homd").count() == PRISONS
    # Most cases ready to allocate have a primary POM; some prisoners have a key worker, none in the open estate.
    allocated = PomAllocation.objects.filter(prisoner__in=people, role="primary", ended_at=None).count()
    ready = cases.filter(prisoner__legal_status__in=["sentenced", "recall"]).count()
    assert 0.6 * ready <= allocated <= ready
    key_work = KeyworkAllocation.objects.filter(prisoner__in=people)
    assert key_work.exists()
    assert not key_work.filter(prison__estate="mens_open").exists()


def test_the_handover_sweep_and_tier_recalculation_run_over_it():
    _seed()
    today = timezone.localdate()
    with_case_information = CaseInformation.objects.filter(prisoner__in=_national()).count()
    computed = errors = 0
    for code in national_estate.all_prison_codes(PRISONS):
        run = sweep(today=today, prison_code=code, trigger="test")
        computed, errors = computed + run.computed, errors + run.errors
    assert (computed, errors) == (with_case_information, 0)
    assert CalculatedHandover.objects.filter(prisoner__in=_national()).count() == with_case_information
    counts = {"checked": 0, "failed": 0}
    for prison in Prison.objects.filter(code__in=national_estate.all_prison_codes(PRISONS)):
        result = tier_recalculate_all(prison, today=today)
        counts = {k: counts[k] + result[k] for k in counts}
    assert counts == {"checked": with_case_information, "failed": 0}


def test_refuses_to_run_twice_and_replace_rebuilds_only_its_own_rows(prison):
    _seed()
    with pytest.raises(CommandError, match="already exists"):
        _seed()
    first = sorted(_national().values_list("prison_number", flat=True))
    sweep(today=timezone.localdate(), prison_code=national_estate.prison_code(0), trigger="test")  # rows pointing in
    _seed("--replace")
    assert sorted(_national().values_list("prison_number", flat=True)) == first  # same seed, same estate
    assert Prison.objects.filter(pk=prison.pk).exists()
    call_command("seed_national", "--delete", stdout=io.StringIO())
    assert not _national().exists()
    assert not get_user_model().objects.filter(username__startswith=national_estate.USERNAME_PREFIX).exists()
    assert Prison.objects.filter(pk=prison.pk).exists()
