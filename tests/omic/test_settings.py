"""The settings tree: quick-start defaults, the environment switches, and production's refusals."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 64


def _settings(env: dict) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL", "DEBUG"}
    }
    clean.update(env)
    code = (
        "import django, json; from django.conf import settings; django.setup();"
        "print(json.dumps({'db': settings.DATABASES['default']['ENGINE'],"
        " 'opts': settings.DATABASES['default'].get('OPTIONS', {}), 'broker': settings.CELERY_BROKER_URL,"
        " 'eager': settings.CELERY_TASK_ALWAYS_EAGER, 'cache': settings.CACHES['default']['BACKEND'],"
        " 'tz': settings.TIME_ZONE, 'use_tz': settings.USE_TZ, 'debug': settings.DEBUG}))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "omic.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_quick_start_defaults():
    result = _settings({})
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["db"] == "django.db.backends.sqlite3"
    assert "journal_mode=WAL" in values["opts"]["init_command"]
    assert values["broker"] == "memory://"
    assert values["eager"] is True
    assert values["cache"].endswith("LocMemCache")
    assert values["tz"] == "Europe/London"
    assert values["use_tz"] is True


def test_environment_switches_to_postgres_redis():
    result = _settings(
        {
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/omic",
            "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
            "REDIS_URL": "redis://127.0.0.1:6379/1",
        }
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["db"] == "omic.postgresql"  # Django's backend with a cheaper health check
    assert values["broker"] == "redis://127.0.0.1:6379/0"
    assert values["eager"] is False
    assert values["cache"].endswith("RedisCache")


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_ENV": "production", "ALLOWED_HOSTS": "omic.example"}, "SECRET_KEY"),
        ({"DJANGO_ENV": "production", "ALLOWED_HOSTS": "omic.example", "SECRET_KEY": "short"}, "SECRET_KEY"),
        (
            {"DJANGO_ENV": "production", "ALLOWED_HOSTS": "omic.example", "SECRET_KEY": GOOD_KEY, "DEBUG": "true"},
            "DEBUG",
        ),
        ({"DJANGO_ENV": "production", "SECRET_KEY": GOOD_KEY}, "ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_unsafe_settings(env, message):
    result = _settings(env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_starts_with_safe_settings():
    result = _settings({"DJANGO_ENV": "production", "ALLOWED_HOSTS": "omic.example", "SECRET_KEY": GOOD_KEY})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["debug"] is False
