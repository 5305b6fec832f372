"""Health endpoints in the HMPPS style: /health/ping (liveness) and /health (readiness of each component)."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from omic.celery import app as celery_app
from omic.services import worker_heartbeat_last


def _database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means the component is down
        return {"status": "DOWN", "details": {"error": type(exc).__name__}}
    return {"status": "UP", "details": {"vendor": connection.vendor}}


def _broker() -> dict:
    transport = settings.CELERY_BROKER_URL.split("://", 1)[0]
    try:
        # A fresh connection to the configured URL, not the app's pool: health must see the broker as it is now.
        with celery_app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # noqa: BLE001
        return {"status": "DOWN", "details": {"transport": transport, "error": type(exc).__name__}}
    details = {"transport": transport, "eager": settings.CELERY_TASK_ALWAYS_EAGER}
    last = worker_heartbeat_last()
    details["last_worker_heartbeat"] = last.isoformat() if last else None
    return {"status": "UP", "details": details}


@never_cache
@require_GET
def health(request):
    components = {"db": _database(), "broker": _broker()}
    up = all(c["status"] == "UP" for c in components.values())
    return JsonResponse({"status": "UP" if up else "DOWN", "components": components}, status=200 if up else 503)


@never_cache
@require_GET
def ping(request):
    return JsonResponse({"status": "UP"})
