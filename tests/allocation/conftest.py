import pytest

from cases.models import PomProfile
from tests.factories import PomProfileFactory, StaffProfileFactory, UserFactory


def make_pom(prison, *, username, first, last, pom_type=PomProfile.PomType.PRISON, fte="1.0", status="active"):
    user = UserFactory(username=username, first_name=first, last_name=last, roles=["pom"])
    StaffProfileFactory(user=user, prisons=[prison])
    return PomProfileFactory(user=user, prison=prison, pom_type=pom_type, working_pattern=fte, status=status)


@pytest.fixture
def poms(prison):
    """Two prison POMs and one probation POM at the prison (all active, full time), with email addresses."""
    return {
        "prison_a": make_pom(prison, username="pa", first="Priya", last="Adams"),
        "prison_b": make_pom(prison, username="pb", first="Paul", last="Baker"),
        "probation": make_pom(prison, username="po", first="Olu", last="Okoro", pom_type=PomProfile.PomType.PROBATION),
    }


@pytest.fixture(autouse=True)
def eager_emails():
    """Run the after-commit email tasks in-process, also where CELERY_BROKER_URL points at a real broker: these
    tests check what the emails say; tests/omic/test_celery.py covers a real worker."""
    from omic.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before
