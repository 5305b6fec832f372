from django.apps import AppConfig


class HandoverConfig(AppConfig):
    name = "handover"
    verbose_name = "Handover and responsibility"

    def ready(self):
        from handover import signals

        signals.connect()
