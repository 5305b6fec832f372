"""The production shape in docker-compose.yml and deploy/nginx.conf stays consistent with the code: every Celery
queue has a worker, exactly one beat, every web container is behind nginx, and the health checks name real URLs."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from django.test import Client

from omic.celery import QUEUES

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
NGINX = (ROOT / "deploy" / "nginx.conf").read_text()


def _command(service: dict) -> list[str]:
    command = service.get("command", [])
    return command.split() if isinstance(command, str) else command


def _workers() -> dict[str, list[str]]:
    found = {}
    for name, service in SERVICES.items():
        command = _command(service)
        if command[:4] == ["celery", "-A", "omic", "worker"]:
            queues = next((c.split("=", 1)[1] for c in command if c.startswith("--queues=")), ",".join(QUEUES))
            found[name] = queues.split(",")
    return found


def test_every_queue_has_a_worker_and_no_worker_listens_to_an_unknown_queue():
    workers = _workers()
    assert len(workers) >= 2
    consumed = {q for queues in workers.values() for q in queues}
    assert consumed == set(QUEUES)


def test_exactly_one_beat_and_no_worker_runs_beat_too():
    beats = [n for n, s in SERVICES.items() if _command(s)[:4] == ["celery", "-A", "omic", "beat"]]
    assert beats == ["beat"]
    assert "replicas" not in SERVICES["beat"].get("deploy", {})
    assert not any("--beat" in _command(s) or "-B" in _command(s) for s in SERVICES.values())


def test_two_web_containers_behind_nginx_and_nothing_else_published():
    web = [n for n, s in SERVICES.items() if _command(s)[:1] == ["gunicorn"]]
    assert len(web) >= 2
    upstream = re.search(r"upstream omic_web \{(.*?)\}", NGINX, flags=re.S).group(1)
    assert sorted(re.findall(r"server (\w+):8000", upstream)) == sorted(web)
    published = [n for n, s in SERVICES.items() if s.get("ports")]
    assert published == ["nginx"]
    for name in web:
        assert "migrate" in SERVICES[name]["depends_on"]
        assert SERVICES[name]["environment"]["DJANGO_ENV"] == "production"


def test_nginx_passes_the_headers_the_settings_trust():
    for header in (
        "Host $http_host",
        "X-Forwarded-Proto $forwarded_proto",
        "X-Forwarded-For $proxy_add_x_forwarded_for",
    ):
        assert f"proxy_set_header {header};" in NGINX
    assert "API_NUM_PROXIES" in str(SERVICES["web1"]["environment"])


@pytest.mark.django_db
def test_the_health_check_urls_answer():
    client = Client()
    assert client.get("/health/ping").status_code == 200
    healthchecks = " ".join(" ".join(s.get("healthcheck", {}).get("test", [])) for s in SERVICES.values())
    assert "/health/ping" in healthchecks


@pytest.mark.skipif(not shutil.which("docker-compose"), reason="docker-compose is not installed")
@pytest.mark.parametrize("profiles", [[], ["--profile", "replica", "--profile", "pgbouncer"]])
def test_docker_compose_accepts_the_file(profiles):
    result = subprocess.run(
        ["docker-compose", *profiles, "config", "--quiet"],
        cwd=ROOT,
        env={"SECRET_KEY": "x" * 50, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
