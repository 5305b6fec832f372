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
