from celery import shared_task


@shared_task(name="omic.worker_heartbeat")
def worker_heartbeat() -> str:
    from omic.services import worker_heartbeat_record

    return worker_heartbeat_record().isoformat()
