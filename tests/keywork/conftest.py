import pytest

from tests.factories.keywork import KeyworkConfigurationFactory


@pytest.fixture
def homs_user(staff_user_factory, prison):
    return staff_user_factory(roles=["homs"], prisons=[prison], username="homs")


@pytest.fixture
def config(prison):
    return KeyworkConfigurationFactory(prison=prison)
