from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "cairn.risk"
    label = "risk"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from cairn.risk import models as m

        auditlog.register(m.RiskAssessment, mask_fields=["rationale"])
        auditlog.register(m.OutcomeScore)
