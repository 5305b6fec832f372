from django.core.management.base import BaseCommand
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from omic.schedules import SCHEDULES


class Command(BaseCommand):
    help = "Write every periodic job in omic/schedules.py into django-celery-beat; remove jobs no longer listed."

    @transaction.atomic
    def handle(self, *args, **options):
        names = []
        for schedule in SCHEDULES:
            names.append(schedule.name)
            defaults = {"task": schedule.task, "queue": schedule.queue, "enabled": True}
            if schedule.every_seconds is not None:
                interval, _ = IntervalSchedule.objects.get_or_create(
                    every=schedule.every_seconds, period=IntervalSchedule.SECONDS
                )
                defaults.update({"interval": interval, "crontab": None})
            else:
                crontab, _ = CrontabSchedule.objects.get_or_create(**schedule.crontab, timezone="Europe/London")
                defaults.update({"crontab": crontab, "interval": None})
            PeriodicTask.objects.update_or_create(name=schedule.name, defaults=defaults)
        removed, _ = PeriodicTask.objects.exclude(name__in=names).exclude(name__startswith="celery.").delete()
        self.stdout.write(f"{len(names)} periodic job(s) set up; {removed} stale job(s) removed.")
