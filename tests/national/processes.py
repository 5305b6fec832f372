"""Real processes against the test database: Celery workers and gunicorns on loopback (helper 5's ports 8150-8159).

The test database must hold committed data (``django_db(transaction=True)``): the subprocesses read it through
their own connections, with the same broker and cache as the test process.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def wait_for(check, seconds: float = 60, every: float = 0.05):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := check():
            return value
        time.sleep(every)
    return check()


def process_env() -> dict:
    """The environment of a subprocess using the test database, broker and cache, with real (not eager) Celery."""
    db = connection.settings_dict
    user = db["USER"] or "postgres"
    url = f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "CELERY_BROKER_URL": settings.CELERY_BROKER_URL}
    env.update({"CELERY_TASK_ALWAYS_EAGER": "false", "DJANGO_SETTINGS_MODULE": "omic.settings", "CONN_MAX_AGE": "0"})
    if settings.REDIS_URL:
        env["REDIS_URL"] = settings.REDIS_URL
    return env


def worker_start(name: str, *, queues: str = "recalc", log: Path) -> subprocess.Popen:
    """A Celery worker (solo pool: the task runs in the process a SIGKILL kills) named ``name@fanout-test``."""
    command = [str(BIN / "celery"), "-A", "omic", "worker", "-Q", queues, "-P", "solo", "-c", "1"]
    command += ["-n", f"{name}@fanout-test", "--without-gossip", "--without-mingle", "--loglevel=INFO"]
    return subprocess.Popen(
        command, cwd=ROOT, env=process_env(), stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True
    )


def workers_ready(app, names: list[str], seconds: float = 60) -> bool:
    hosts = [f"{name}@fanout-test" for name in names]

    def answered():
        replies = app.control.ping(destination=hosts, timeout=0.5)
        return {host for reply in replies for host in reply} >= set(hosts)

    return bool(wait_for(answered, seconds, every=0.2))


def gunicorn_start(port: int, *, log: Path) -> subprocess.Popen:
    command = [str(BIN / "gunicorn"), "omic.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1", "--threads", "2"]
    return subprocess.Popen(
        command, cwd=ROOT, env=process_env(), stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True
    )


def http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def stop(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    """Stop one process we started (by its own process group, which holds only it and its children)."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
