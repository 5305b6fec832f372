import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_ping_is_up(client):
    response = client.get("/health/ping")
    assert response.status_code == 200
    assert response.json() == {"status": "UP"}


def test_health_reports_each_component(client):
    response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "UP"
    assert body["components"]["db"]["status"] == "UP"
    assert body["components"]["broker"]["status"] == "UP"


def test_health_is_down_when_the_broker_is_unreachable(client):
    with override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0"):
        response = client.get("/health")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "DOWN"
    assert body["components"]["broker"]["status"] == "DOWN"
    assert body["components"]["db"]["status"] == "UP"
