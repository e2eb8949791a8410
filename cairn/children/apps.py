from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "cairn.children"
    label = "children"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from cairn.children import models as m

        # Field-level change history. Free text and identifiers are masked in the history: the
        # history shows that they changed and who changed them, not what they said.
        auditlog.register(m.Child, mask_fields=["postcode"])
        auditlog.register(m.Placement)
        auditlog.register(m.Involvement)
        auditlog.register(m.ChildAlias, mask_fields=["name"])
        auditlog.register(m.ChildIdentifier, mask_fields=["value"])
        auditlog.register(m.CaseNote, mask_fields=["text", "subject"])
        auditlog.register(m.ChildVoice, mask_fields=["text"])
        auditlog.register(m.BreakGlassGrant)
