from celery import shared_task


@shared_task(name="omic.worker_heartbeat")
def worker_heartbeat() -> str:
    from omic.services import worker_heartbeat_record

    return worker_heartbeat_record().isoformat()


@shared_task(name="omic.jobs_catch_up")
def jobs_catch_up() -> dict:
    """Every five minutes: run the jobs the broker missed while it was down (manage.py jobs_catch_up). Idempotent."""
    from omic.queueing import jobs_catch_up as catch_up

    return catch_up().as_dict()


@shared_task(name="omic.sign_in_records_tidy")
def sign_in_records_tidy() -> dict:
    """Nightly: expired sessions and old sign-in records (manage.py sign_in_records_tidy). A rerun deletes nothing."""
    from django.utils import timezone

    from omic.services import sign_in_records_tidy as tidy

    return tidy(now=timezone.now()).as_dict()
