from django.apps import AppConfig


class AllocationConfig(AppConfig):
    name = "allocation"
    verbose_name = "POM allocation"

    def ready(self):
        from allocation import signals

        signals.connect()
