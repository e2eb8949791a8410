from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "cairn.demo"
    label = "demo"
    default_auto_field = "django.db.models.BigAutoField"
