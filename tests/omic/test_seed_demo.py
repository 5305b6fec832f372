"""``manage.py seed_demo``: a deterministic demo estate, the README's demo logins, idempotent, never in production."""

import datetime as dt
import io

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from cases.models import CaseInformation, PomProfile, Prison, Prisoner, Sentence, StaffProfile
from keywork.models import (
    KeyworkAllocation,
    KeyworkConfiguration,
    KeyWorkerProfile,
    KeyworkSession,
    PomContact,
    PrisonKeyworkDailyStat,
    ProgressionPlan,
    QualityCheck,
)
from keywork.recording_calculations import DueStatus, previous_month
from keywork.recording_selectors import caseload_for_key_worker
from keywork.selectors import key_worker_list_for_prison
from tests.factories import PrisonerFactory, PrisonFactory, StaffProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

DEMO_PRISONS = ("LEI", "SKI", "LNI")


def seed(**options) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("seed_demo", scale=0.05, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def snapshot() -> list[tuple]:
    return list(
        Prisoner.objects.order_by("prison_number").values_list(
            "prison_number", "first_name", "last_name", "date_of_birth", "prison_id", "legal_status"
        )
    )


@pytest.fixture
def seeded():
    return seed()


def test_builds_the_three_demo_prisons_with_prisoners_in_each(seeded):
    prisons = {p.code: p for p in Prison.objects.filter(code__in=DEMO_PRISONS)}
    assert set(prisons) == set(DEMO_PRISONS)
    assert prisons["LEI"].estate == prisons["SKI"].estate == Prison.Estate.MENS_CLOSED
    assert prisons["LEI"].functions == ["reception", "resettlement"]
    assert prisons["SKI"].functions == ["training"]
    assert prisons["LNI"].estate == Prison.Estate.WOMENS
    assert {code: Prisoner.objects.filter(prison_id=code).count() for code in DEMO_PRISONS} == {
        "LEI": 60,
        "SKI": 40,
        "LNI": 18,
    }
    women = Prisoner.objects.filter(prison_id="LNI")
    assert set(women.values_list("sex", flat=True)) == {Prisoner.Sex.FEMALE}
    assert set(
        women.exclude(legal_status__in=["remand", "immigration_detainee"]).values_list("security_category", flat=True)
    ) <= {"R", "T"}
    assert not CaseInformation.objects.filter(prisoner__prison_id="LNI", womens_complexity="").exists()
    men = Prisoner.objects.filter(prison_id__in=["LEI", "SKI"], sentence__isnull=False)
    assert set(men.values_list("security_category", flat=True)) <= {"B", "C", "D"}
    assert "Demo logins" in seeded[0]
    assert "prisoners" in seeded[0]
    assert "prisoner" in seeded[1], "the progress bar goes to stderr"


@pytest.mark.parametrize(
    ("username", "group", "prisons"),
    [
        ("pom", "pom", {"LEI"}),
        ("homd", "homd", set(DEMO_PRISONS)),
        ("homs", "homs", set(DEMO_PRISONS)),
        ("caseadmin", "case_admin", {"LEI"}),
        ("keyworker", "key_worker", {"LEI"}),
        ("national", "national_viewer", set()),
        ("admin", "service_admin", set()),
    ],
)
def test_the_readme_logins_sign_in_with_their_role_and_prisons(seeded, username, group, prisons):
    user = authenticate(username=username, password="demo-password-1")
    assert user is not None
    assert list(user.groups.values_list("name", flat=True)) == [group]
    assert set(user.staff_profile.prisons.values_list("code", flat=True)) == prisons
    assert user.is_superuser == user.is_staff == (username == "admin")
    assert username in seeded[0]


def test_staff_poms_and_key_workers(seeded):
    user_model = get_user_model()
    assert not user_model.objects.filter(staff_profile__isnull=True).exists(), "every demo user has a staff profile"
    assert PomProfile.objects.get(user__username="pom").prison_id == "LEI"
    poms = PomProfile.objects.filter(prison_id__in=DEMO_PRISONS)
    assert poms.count() == 30
    assert {code: poms.filter(prison_id=code).count() for code in DEMO_PRISONS} == {"LEI": 12, "SKI": 10, "LNI": 8}
    assert poms.filter(working_pattern__lt=1).exists()
    assert set(poms.values_list("pom_type", flat=True)) == {"probation", "prison"}
    assert poms.exclude(status=PomProfile.Status.ACTIVE).count() == 3
    assert user_model.objects.filter(groups__name="key_worker").count() == 150
    assert not StaffProfile.objects.filter(user__groups__name="key_worker", prisons__isnull=True).exists()


def test_the_case_mix(seeded):
    today = timezone.localdate()
    prisoners = Prisoner.objects.filter(prison_id__in=DEMO_PRISONS)
    indeterminate = Sentence.objects.filter(sentence_type=Sentence.SentenceType.INDETERMINATE)
    assert indeterminate.exists()
    assert not indeterminate.filter(tariff_expiry_date__isnull=True).exists()
    assert not indeterminate.filter(conditional_release_date__isnull=False).exists()
    recalls = prisoners.filter(legal_status=Prisoner.LegalStatus.RECALL)
    assert recalls.exists()
    for sentence in Sentence.objects.filter(prisoner__in=recalls):
        assert sentence.recalled
        assert sentence.recall_type in Sentence.RecallType.values
        assert sentence.post_recall_release_date is not None
    for status in (Prisoner.LegalStatus.REMAND, Prisoner.LegalStatus.IMMIGRATION_DETAINEE):
        assert prisoners.filter(legal_status=status).exists()
        assert not prisoners.filter(legal_status=status, sentence__isnull=False).exists()
    assert prisoners.filter(case_information__isnull=True, legal_status="sentenced").exists(), "missing details"
    determinate = Sentence.objects.filter(sentence_type=Sentence.SentenceType.DETERMINATE, recalled=False)
    assert not determinate.filter(conditional_release_date__isnull=True, automatic_release_date__isnull=True).exists()
    assert not determinate.filter(conditional_release_date__isnull=False, automatic_release_date__isnull=False).exists()
    assert not Sentence.objects.filter(sentence_start_date__gt=today).exists()
    assert not determinate.filter(release_date__lte=today).exists(), "still in custody"
    tiers = set(CaseInformation.objects.values_list("tier", flat=True))
    assert tiers <= {"A", "B", "C", "D"}
    assert len(tiers) >= 3
    assert not CaseInformation.objects.exclude(tier_source="imported").exists()
    assert CaseInformation.objects.filter(com__isnull=False).exists()


def test_every_row_passes_model_validation(seeded):
    for model in (Prisoner, Sentence, CaseInformation):
        for row in model.objects.all()[:60]:
            row.full_clean()


def test_running_twice_does_not_duplicate(seeded):
    before = (Prisoner.objects.count(), get_user_model().objects.count(), CaseInformation.objects.count())
    out, _ = seed()
    assert "already exists" in out
    assert (Prisoner.objects.count(), get_user_model().objects.count(), CaseInformation.objects.count()) == before


def test_the_same_seed_rebuilds_the_same_estate_and_another_seed_a_different_one(seeded):
    first = snapshot()
    users = sorted(get_user_model().objects.values_list("username", "first_name", "last_name"))
    seed(reset=True)
    assert snapshot() == first
    assert sorted(get_user_model().objects.values_list("username", "first_name", "last_name")) == users
    seed(reset=True, seed=2)
    other = snapshot()
    assert len(other) == len(first)
    assert {row[0] for row in other}.isdisjoint({row[0] for row in first})
    assert [row[1:3] for row in other] != [row[1:3] for row in first]


def test_reset_leaves_other_data_alone(seeded):
    elsewhere = PrisonerFactory(prison=PrisonFactory(code="MDI", name="HMP Moorland"))
    colleague = StaffProfileFactory(user=UserFactory(username="real.person", roles=["pom"])).user
    seed(reset=True)
    assert Prisoner.objects.filter(pk=elsewhere.pk).exists()
    assert get_user_model().objects.filter(pk=colleague.pk).exists()
    assert Prisoner.objects.filter(prison_id="LEI").count() == 60


def test_if_empty_skips_when_any_prisoner_exists():
    PrisonerFactory(prison=PrisonFactory(code="MDI", name="HMP Moorland"))
    out, _ = seed(if_empty=True)
    assert out == ""
    assert not Prisoner.objects.filter(prison_id__in=DEMO_PRISONS).exists()


def test_if_empty_builds_on_an_empty_database():
    seed(if_empty=True)
    assert Prisoner.objects.filter(prison_id="LEI").exists()


def test_refuses_to_run_in_production(settings):
    settings.PRODUCTION = True
    settings.DJANGO_ENV = "production"
    with pytest.raises(CommandError, match="production"):
        seed()
    assert not Prisoner.objects.exists()


def test_key_work(seeded):
    """Each demo prison's standard and key workers, most eligible prisoners allocated within capacity, six weeks of
    sessions and daily figures, contacts, plans, last month's quality sample; the keyworker login has work due."""
    today = timezone.localdate()
    configs = {c.prison_id: c for c in KeyworkConfiguration.objects.filter(prison_id__in=DEMO_PRISONS)}
    assert set(configs) == set(DEMO_PRISONS)
    assert all(c.is_enabled for c in configs.values())  # no men's open prison in the demo
    assert configs["SKI"].frequency_weeks == 2
    assert configs["SKI"].fortnightly_approval
    user_model = get_user_model()
    assert KeyWorkerProfile.objects.count() == user_model.objects.filter(groups__name="key_worker").count() == 150
    assert KeyWorkerProfile.objects.filter(status="annual_leave", return_date__gt=today).exists()
    for code in DEMO_PRISONS:
        prison = Prison.objects.get(code=code)
        for row in key_worker_list_for_prison(prison=prison):
            assert row.allocated <= row.capacity, row
            if row.status not in ("active", "annual_leave"):
                assert row.allocated == 0
        eligible = Prisoner.objects.filter(prison=prison).exclude(case_information__womens_complexity="high")
        allocated = eligible.filter(keywork_allocations__ended_at__isnull=True).count()
        assert allocated >= 0.75 * eligible.count(), code
    active = KeyworkAllocation.objects.filter(ended_at__isnull=True)
    assert not active.filter(prisoner__case_information__womens_complexity="high").exists()
    assert KeyworkAllocation.objects.filter(ended_at__isnull=False, deallocation_reason="staff_change").exists()

    sessions = KeyworkSession.objects.all()
    assert not sessions.filter(session_date__gt=today).exists()
    assert not sessions.filter(session_date__lt=today - dt.timedelta(days=42)).exists()
    assert set(sessions.values_list("session_type", flat=True)) == {"session", "attempted", "entry"}
    assert sessions.filter(is_sensitive=True).exists()
    for session in sessions.select_related("prisoner")[:200]:
        session.full_clean()
    assert PomContact.objects.exists()
    assert ProgressionPlan.objects.filter(goals__isnull=False).distinct().count() >= 2
    days = PrisonKeyworkDailyStat.objects.filter(prison_id__in=DEMO_PRISONS)
    assert days.count() == 42 * 3
    assert days.filter(session_count__gt=0).exists()
    checks = QualityCheck.objects.filter(sample__month=previous_month(today))
    assert checks.filter(rated_at__isnull=False).exists()
    assert checks.filter(rated_at__isnull=True).exists()

    keyworker = user_model.objects.get(username="keyworker")
    caseload = caseload_for_key_worker(user=keyworker, prison=Prison.objects.get(code="LEI"), today=today)
    statuses = {row.due.status for row in caseload.rows}
    assert {DueStatus.OVERDUE, DueStatus.DUE_THIS_WEEK, DueStatus.NOT_DUE} <= statuses
    assert caseload.overdue
    assert caseload.due_this_week


def test_key_work_is_the_same_for_the_same_seed(seeded):
    def key_work():
        allocations = KeyworkAllocation.objects.order_by("prisoner_id", "allocated_at")
        sessions = KeyworkSession.objects.order_by("prisoner_id", "session_date", "session_type", "notes")
        return (
            list(allocations.values_list("prisoner_id", "key_worker__user__username", "allocated_at", "ended_at")),
            list(sessions.values_list("prisoner_id", "key_worker__username", "session_date", "session_type", "notes")),
        )

    first = key_work()
    seed(reset=True)
    assert key_work() == first
