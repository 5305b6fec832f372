import pytest

from tests.integration.receiver import Receiver


@pytest.fixture
def receiver(settings):
    """A webhook receiver on localhost: ``receiver.url``, ``receiver.received``, ``receiver.answer`` (status).
    Sending to localhost is refused unless WEBHOOK_ALLOW_PRIVATE_ADDRESSES: set here, for the tests using it only."""
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    with Receiver() as running:
        yield running


@pytest.fixture(autouse=True)
def _eager_jobs_and_a_fresh_cache(request):
    """Queued jobs run inline, even with a real broker configured (test_end_to_end.py, marked ``worker``, uses the
    real worker); the cache (subscriptions, "recalculation queued" flags) starts empty."""
    from django.core.cache import cache

    from omic.celery import app

    cache.clear()
    if "worker" in request.keywords:
        yield
        return
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved
    cache.clear()
