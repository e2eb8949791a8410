from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "cairn.api"
    label = "cairn_api"
    default_auto_field = "django.db.models.BigAutoField"
