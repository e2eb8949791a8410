from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "cairn.reporting"
    label = "reporting"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Fill the KPI registry (cairn.reporting.kpis.KPIS) in DOMAIN.md order.
        from cairn.reporting import measures  # noqa: F401
