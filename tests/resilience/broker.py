"""Point the Celery app at another broker for one test, and back (the connection pools are rebuilt both ways)."""

import contextlib

from omic.celery import app

CLOSED_PORT = "redis://127.0.0.1:1/0"  # nothing listens on port 1: every connection is refused


def _reset_pools() -> None:
    app._after_fork()  # drops the app's connection and producer pools; the next publish builds them for the new URL


@contextlib.contextmanager
def broker_at(url: str, *, eager: bool = False):
    names = ("broker_url", "broker_write_url", "broker_read_url", "task_always_eager", "broker_transport_options")
    saved = {name: app.conf[name] for name in names}
    app.conf.broker_url = app.conf.broker_write_url = app.conf.broker_read_url = url  # the last two were resolved
    app.conf.task_always_eager = eager
    if url.startswith("redis://"):
        # as omic/settings/base.py sets them for a Redis broker
        app.conf.broker_transport_options = {
            "socket_connect_timeout": 2,
            "socket_timeout": 2,
            "max_retries": 1,
            "interval_start": 0,
        }
    _reset_pools()
    try:
        yield
    finally:
        for name, value in saved.items():
            app.conf[name] = value
        _reset_pools()
