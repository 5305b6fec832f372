"""The OMiC case manager project package: settings, URLs, the Celery app and shared utilities."""

from omic.celery import app as celery_app

__all__ = ["celery_app"]
