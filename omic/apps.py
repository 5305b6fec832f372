from django.apps import AppConfig


class OmicConfig(AppConfig):
    name = "omic"
    verbose_name = "OMiC case manager"
