"""Contract tests of the webhook subscription operations: scope, ownership (another client's is a 404), prisons,
the secret shown once, and the delivery log with pinned query counts."""

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from api import scopes
from handover.services.recalculation import recalculate
from integration.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from tests.factories import PrisonFactory
from tests.factories.handover import handover_case

pytestmark = pytest.mark.django_db

URL = "/api/v1/webhooks"


@pytest.fixture(autouse=True)
def _fresh_subscription_cache():
    from django.core.cache import cache

    from integration.webhook_services import SUBSCRIPTIONS_CACHE_KEY

    cache.delete(SUBSCRIPTIONS_CACHE_KEY)


@pytest.fixture
def leeds(db):
    return PrisonFactory(code="LEI", name="HMP Leeds")


@pytest.fixture
def manager(bearer, leeds):
    return bearer(scopes=[scopes.MANAGE_WEBHOOKS])


def new(caller, **changes):
    body = {"name": "Our receiver", "url": "https://receiver.example/hook", "eventTypes": ["handover.changed"]}
    return caller.post(URL, {**body, **changes}, format="json")


def test_a_subscription_is_made_with_its_secret_shown_once(manager):
    made = new(manager)
    assert made.status_code == 201, made.content
    data = made.json()
    assert data["secret"] == WebhookSubscription.objects.get(pk=data["id"]).secret
    shown = manager.get(f"{URL}/{data['id']}")
    assert shown.status_code == 200
    assert "secret" not in shown.json()
    assert [s["id"] for s in manager.get(URL).json()["results"]] == [data["id"]]


def test_without_the_scope_it_is_forbidden(bearer, leeds):
    assert new(bearer(scopes=[scopes.WRITE_PRISONERS])).status_code == 403
    assert bearer(scopes=[scopes.READ_HANDOVERS]).get(URL).status_code == 403


def test_another_clients_subscription_is_not_found(bearer, manager):
    made = new(manager).json()
    other = bearer(scopes=[scopes.MANAGE_WEBHOOKS])
    assert other.get(f"{URL}/{made['id']}").status_code == 404
    assert other.delete(f"{URL}/{made['id']}").status_code == 404
    assert other.get(f"{URL}/{made['id']}/deliveries").status_code == 404
    assert other.get(URL).json()["results"] == []
    assert manager.delete(f"{URL}/{made['id']}").status_code == 204
    assert WebhookSubscription.objects.get(pk=made["id"]).active is False


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"url": "not a url"}, "url"),
        ({"eventTypes": []}, "eventTypes"),
        ({"eventTypes": ["prisoner.released"]}, "eventTypes.0"),
        ({"prisons": ["leeds"]}, "prisons.0"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(manager, changes, field):
    response = new(manager, **changes)
    assert response.status_code == 400, response.content
    assert field in [e["field"] for e in response.json()["errors"]]
    assert not WebhookSubscription.objects.exists()


def test_a_client_limited_to_prisons_subscribes_only_to_them(bearer, leeds):
    PrisonFactory(code="MDI", name="HMP Moorland")
    leeds_only = bearer(scopes=[scopes.MANAGE_WEBHOOKS], prisons=[leeds])
    refused = new(leeds_only, prisons=["MDI"])
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "prisons"
    assert new(leeds_only).json()["prisons"] == ["LEI"]


@pytest.mark.parametrize("cases", [1, 6])
def test_the_delivery_log_in_constant_queries(manager, leeds, cases, django_assert_num_queries):
    made = new(manager).json()
    for _ in range(cases):
        prisoner = handover_case(prison=leeds, release_in=relativedelta(months=30))
        recalculate(prisoner.pk, today=timezone.localdate(), trigger="test")
    assert WebhookDelivery.objects.count() == cases
    # The token and rate counter are cached after the first call. The request's savepoint and its release
    # (ATOMIC_REQUESTS inside the test's transaction), the subscription, the count and the page.
    manager.get(f"{URL}/{made['id']}/deliveries")
    with django_assert_num_queries(5):
        log = manager.get(f"{URL}/{made['id']}/deliveries?status=pending")
    assert log.status_code == 200
    assert log.json()["count"] == cases
    assert {row["status"] for row in log.json()["results"]} == {DeliveryStatus.PENDING}


def test_a_failed_delivery_can_be_retried_by_its_owner(manager, leeds, django_capture_on_commit_callbacks):
    made = new(manager).json()
    prisoner = handover_case(prison=leeds, release_in=relativedelta(months=30))
    recalculate(prisoner.pk, today=timezone.localdate(), trigger="test")
    delivery = WebhookDelivery.objects.get()
    url = f"{URL}/{made['id']}/deliveries/{delivery.delivery_id}/retry"
    assert manager.post(url).status_code == 400  # still pending: only a failed one can be retried
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED, attempts=8)
    response = manager.post(url)
    assert response.status_code == 202
    assert response.json()["status"] == DeliveryStatus.PENDING


# --- A subscription has only its client's CURRENT rights -------------------------------------------------------


def _change(client, *, scopes_=None, prisons=None):
    from api.client_services import api_client_update

    api_client_update(
        client=client,
        scopes=scopes_ if scopes_ is not None else client.scopes,
        prisons=prisons if prisons is not None else list(client.prisons.all()),
        rate_limit_per_minute=client.rate_limit_per_minute,
        actor_label="tests",
    )


def _handover_in(prison):
    recalculate(
        handover_case(prison=prison, release_in=relativedelta(months=30)).pk, today=timezone.localdate(), trigger="t"
    )


def _reissue(client):
    from rest_framework.test import APIClient

    from api.client_services import api_token_issue

    caller = APIClient()
    caller.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_issue(client=client).access_token}")
    return caller


@pytest.mark.parametrize("lose", ["scope", "active", "prison"])
def test_a_client_that_lost_its_rights_gets_no_new_deliveries(manager, leeds, lose):
    from api.client_services import api_client_set_active

    assert new(manager).status_code == 201  # every prison (the client is not limited)
    client = manager.api_client
    if lose == "scope":
        _change(client, scopes_=[scopes.READ_HANDOVERS])
    elif lose == "active":
        api_client_set_active(client=client, active=False, actor_label="tests")
    else:
        _change(client, prisons=[PrisonFactory(code="MDI", name="HMP Moorland")])
    _handover_in(leeds)
    assert not WebhookDelivery.objects.exists()


def test_a_client_limited_to_a_prison_later_gets_only_that_prisons_deliveries(manager, leeds):
    moorland = PrisonFactory(code="MDI", name="HMP Moorland")
    assert new(manager).status_code == 201
    _change(manager.api_client, prisons=[moorland])
    _handover_in(leeds)
    _handover_in(moorland)
    assert list(WebhookDelivery.objects.values_list("payload__additionalInformation__prisonId", flat=True)) == ["MDI"]


@pytest.mark.parametrize("lose", ["scope", "active", "prison"])
def test_a_delivery_written_before_the_client_lost_its_rights_is_not_sent(manager, leeds, lose, monkeypatch):
    from api.client_services import api_client_set_active
    from integration import webhook_services

    posted = []
    monkeypatch.setattr(webhook_services, "_post", lambda *args: posted.append(args) or 204)
    assert new(manager).status_code == 201
    _handover_in(leeds)
    delivery = WebhookDelivery.objects.get()
    client = manager.api_client
    if lose == "scope":
        _change(client, scopes_=[scopes.READ_HANDOVERS])
    elif lose == "active":
        api_client_set_active(client=client, active=False, actor_label="tests")
    else:
        _change(client, prisons=[PrisonFactory(code="MDI", name="HMP Moorland")])
    assert webhook_services.delivery_send(delivery_pk=delivery.pk) == "failed"
    assert posted == []
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED


def test_the_delivery_log_shows_only_the_clients_current_prisons(manager, leeds):
    moorland = PrisonFactory(code="MDI", name="HMP Moorland")
    made = new(manager).json()
    _handover_in(leeds)
    _handover_in(moorland)
    assert manager.get(f"{URL}/{made['id']}/deliveries").json()["count"] == 2
    _change(manager.api_client, prisons=[moorland])
    log = _reissue(manager.api_client).get(f"{URL}/{made['id']}/deliveries").json()
    assert log["count"] == 1
    mdi = WebhookDelivery.objects.get(payload__additionalInformation__prisonId="MDI")
    assert log["results"][0]["deliveryId"] == str(mdi.delivery_id)
