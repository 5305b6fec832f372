"""A ``replica`` database for the read-replica tests, as settings add it when DATABASE_REPLICA_URL is set: a TEST
MIRROR of ``default``, so in tests the "replica" is a second connection to the test database itself.

It is registered when this file is imported, during collection, so that the test databases are set up with it. The
router is not installed here: each test that wants it installs it (``replica_router``), so every other test in the
run sees the service as it is without a replica.
"""

import pytest
from django.conf import settings
from django.db import connections

from omic.db_router import REPLICA

if REPLICA not in settings.DATABASES:
    _replica = {**settings.DATABASES["default"], "ATOMIC_REQUESTS": False, "TEST": {"MIRROR": "default"}}
    settings.DATABASES[REPLICA] = _replica
    configured = connections.configure_settings({"default": settings.DATABASES["default"], REPLICA: _replica})
    connections.settings[REPLICA] = configured[REPLICA]


@pytest.fixture
def replica_router(settings):
    settings.DATABASE_ROUTERS = ["omic.db_router.ReplicaRouter"]
    settings.REPLICA_PIN_SECONDS = 10
    return settings
