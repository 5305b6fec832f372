import pytest

from tests.factories import PrisonFactory, StaffProfileFactory, UserFactory


@pytest.fixture
def prison(db):
    return PrisonFactory(code="LEI", name="HMP Leeds")


@pytest.fixture
def other_prison(db):
    return PrisonFactory(code="MDI", name="HMP Moorland")


@pytest.fixture
def staff_user_factory(db):
    """Make a signed-in-able user with roles and prisons: ``staff_user_factory(roles=["pom"], prisons=[prison])``."""

    def make(*, roles, prisons=(), username=None):
        kwargs = {"roles": roles}
        if username:
            kwargs["username"] = username
        user = UserFactory(**kwargs)
        StaffProfileFactory(user=user, prisons=list(prisons))
        return user

    return make


@pytest.fixture
def pom_user(staff_user_factory, prison):
    return staff_user_factory(roles=["pom"], prisons=[prison], username="pom")


@pytest.fixture
def homd_user(staff_user_factory, prison):
    return staff_user_factory(roles=["homd"], prisons=[prison], username="homd")


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests skip on SQLite, and real-worker tests skip on the in-memory broker, with a reason."""
    from django.conf import settings

    on_postgres = settings.DATABASE_IS_POSTGRES
    real_broker = not settings.CELERY_BROKER_URL.startswith("memory://")
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://... (.ci/run does)")
    skip_worker = pytest.mark.skip(reason="needs a real broker: set CELERY_BROKER_URL=redis://... (.ci/run does)")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip_pg)
        if "worker" in item.keywords and not real_broker:
            item.add_marker(skip_worker)
