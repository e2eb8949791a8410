from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "cairn.panels"
    label = "panels"
    verbose_name = "Multi-agency panels"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from cairn.panels import models as m

        auditlog.register(m.Panel)
        auditlog.register(m.PanelMember)
        auditlog.register(m.Meeting, mask_fields=["minutes"])
        auditlog.register(m.Discussion, mask_fields=["summary", "decisions"])
        auditlog.register(m.Plan, mask_fields=["summary"])
        auditlog.register(m.Action, mask_fields=["evidence"])
        auditlog.register(m.DisruptionActivity, mask_fields=["detail"])
