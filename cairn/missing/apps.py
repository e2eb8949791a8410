from django.apps import AppConfig


class MissingConfig(AppConfig):
    name = "cairn.missing"
    label = "missing"
    verbose_name = "Missing episodes"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from cairn.missing import models as m

        auditlog.register(m.MissingEpisode, mask_fields=["clothing_worn", "last_seen_with"])
        auditlog.register(m.ReturnInterview, mask_fields=["summary", "harm_detail"])
        auditlog.register(
            m.PhilomenaProfile,
            mask_fields=[
                "distinguishing_features",
                "phones",
                "social_media",
                "associates",
                "places",
                "medical_needs",
            ],
        )
