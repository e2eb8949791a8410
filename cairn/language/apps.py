from django.apps import AppConfig


class LanguageConfig(AppConfig):
    name = "cairn.language"
    label = "language"
    verbose_name = "Children-first language"
    default_auto_field = "django.db.models.BigAutoField"
