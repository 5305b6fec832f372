from django.apps import AppConfig


class OmicConfig(AppConfig):
    name = "omic"
    verbose_name = "OMiC case manager"

    def ready(self):
        from omic import request_id  # noqa: F401  (connects the Celery signals that carry the request id)
