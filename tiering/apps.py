from django.apps import AppConfig


class TieringConfig(AppConfig):
    name = "tiering"
    verbose_name = "Tiering and POM allocation"
