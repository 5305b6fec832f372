"""One environment-driven settings tree; the defaults are the quick start (SQLite, eager Celery, locmem cache)."""

from omic.settings.base import *  # noqa: F403
