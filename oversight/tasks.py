"""Management oversight's Celery job: thin and idempotent, with the management command ``oversight_sample``."""

from celery import shared_task
from django.utils import timezone


@shared_task(name="oversight.draw_sample")
def draw_sample() -> dict:
    """Monthly (the 1st): draw this month's sample of each POM's cases in every prison. A POM already sampled this
    month keeps their sample, so a retried or repeated run draws nothing new."""
    from oversight.services import oversight_samples_draw_all

    return oversight_samples_draw_all(today=timezone.localdate(), now=timezone.now())
