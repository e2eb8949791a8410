"""Exploitation risk: the indicator catalogue (data, versioned), assessments and outcomes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import OuterRef, Subquery
from django.db.models.signals import post_delete
from django.dispatch import receiver


class ExploitationType(models.TextChoices):
    SEXUAL = "sexual", "Sexual"
    CRIMINAL = "criminal", "Criminal"
    COUNTY_LINES = "county_lines", "County lines"
    TRAFFICKING = "trafficking", "Trafficking"
    ONLINE = "online", "Online"
    LABOUR = "labour", "Labour"
    OTHER = "other", "Other"


class RiskLevel(models.TextChoices):
    """One scale, with the words partnerships use (DOMAIN.md)."""

    NONE = "none", "None (no apparent risk)"
    LOW = "low", "Low (emerging)"
    MEDIUM = "medium", "Medium (significant)"
    HIGH = "high", "High (serious)"


LEVEL_ORDER = {RiskLevel.NONE: 0, RiskLevel.LOW: 1, RiskLevel.MEDIUM: 2, RiskLevel.HIGH: 3}


class CinFactor(models.TextChoices):
    """Children in Need census assessment factors (DfE) recorded on assessments (DOMAIN.md)."""

    UASC = "9A", "9A Unaccompanied asylum-seeking child"
    MISSING = "10A", "10A Going or being missing"
    CSE = "11A", "11A Child sexual exploitation"
    TRAFFICKING = "12A", "12A Trafficking"
    GANGS = "13A", "13A Gangs"
    CCE = "24A", "24A Child criminal exploitation"
    ALCOHOL_CHILD = "1A", "1A Alcohol misuse by the child"
    DRUGS_CHILD = "2A", "2A Drug misuse by the child"
    BEHAVIOUR = "14A", "14A Socially unacceptable behaviour"
    SELF_HARM = "15A", "15A Self-harm"
    PHYSICAL_CHILD_ON_CHILD = "18B", "18B Physical abuse: child on child"
    SEXUAL_CHILD_ON_CHILD = "19B", "19B Sexual abuse: child on child"
    PHYSICAL_ADULT_ON_CHILD = "18C", "18C Physical abuse: adult on child"
    SEXUAL_ADULT_ON_CHILD = "19C", "19C Sexual abuse: adult on child"


class IndicatorCategory(models.TextChoices):
    VULNERABILITY = "vulnerability", "Vulnerability"
    MODERATE = "moderate", "Moderate indicator"
    SIGNIFICANT = "significant", "Significant indicator"


class Recency(models.TextChoices):
    """When an indicator was last seen. Vulnerabilities carry no recency."""

    NOT_APPLICABLE = "", "Not applicable"
    WITHIN_6_MONTHS = "within_6_months", "Within the last 6 months"
    SIX_TO_12_MONTHS = "6_to_12_months", "6 to 12 months ago"


class CatalogueVersion(models.Model):
    number = models.PositiveIntegerField(unique=True)
    published_at = models.DateTimeField()
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"Indicator catalogue v{self.number}"


class Indicator(models.Model):
    """One indicator of the catalogue. Codes are stable; retiring keeps old assessments whole."""

    code = models.SlugField(max_length=64, unique=True)
    category = models.CharField(max_length=16, choices=IndicatorCategory.choices)
    wording = models.CharField(max_length=300)
    group = models.CharField(
        max_length=32, blank=True, help_text="For significant indicators: sexual, criminal, ..."
    )
    exploitation_types = models.JSONField(default=list, blank=True)
    recency_matters = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)
    added_in = models.ForeignKey(CatalogueVersion, on_delete=models.PROTECT, related_name="+")
    retired_in = models.ForeignKey(
        CatalogueVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["category", "position", "code"]

    def __str__(self) -> str:
        return self.wording


class RiskAssessment(models.Model):
    assessment_ref = models.CharField("reference", max_length=64, unique=True)
    child = models.ForeignKey(
        "children.Child", on_delete=models.CASCADE, related_name="risk_assessments"
    )
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    assessed_on = models.DateField()
    catalogue_version = models.ForeignKey(CatalogueVersion, on_delete=models.PROTECT)
    score = models.PositiveIntegerField(default=0)
    suggested_level = models.CharField(max_length=8, choices=RiskLevel.choices)
    floor_applied = models.BooleanField(default=False)
    level = models.CharField(max_length=8, choices=RiskLevel.choices)
    exploitation_types = models.JSONField(default=list, blank=True)
    cin_factors = models.JSONField(default=list, blank=True)
    rationale = models.TextField(blank=True)
    next_review_due = models.DateField(null=True, blank=True)
    #: The child's latest assessment (greatest `assessed_on`, then highest id): their current
    #: level. Kept by `services.current_assessments_refresh`, which everything that writes
    #: assessments calls (the screening service, the import, the synthetic county), so that the
    #: register joins one row per child instead of searching each child's history.
    is_current = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-id"]
        indexes = [
            models.Index(fields=["child", "assessed_on"]),
            models.Index(
                fields=["level", "next_review_due"],
                condition=models.Q(is_current=True),
                name="risk_current_level",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=models.Q(is_current=True),
                name="risk_one_current_assessment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.child}: {self.get_level_display()} on {self.assessed_on}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save, then keep the child's current assessment right (bulk writes call
        `current_assessments_refresh` themselves)."""
        with transaction.atomic():
            previous_child = None
            if self.pk is not None:
                previous_child = (
                    RiskAssessment.objects.filter(pk=self.pk)
                    .values_list("child_id", flat=True)
                    .first()
                )
            self.is_current = False  # the refresh decides (the row may have moved child)
            super().save(*args, **kwargs)
            current_assessments_refresh(
                [pk for pk in (self.child_id, previous_child) if pk is not None]
            )
            self.is_current = RiskAssessment.objects.filter(pk=self.pk, is_current=True).exists()


class AssessmentIndicator(models.Model):
    assessment = models.ForeignKey(
        RiskAssessment, on_delete=models.CASCADE, related_name="indicators"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT)
    recency = models.CharField(max_length=16, choices=Recency.choices, blank=True)
    points = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator"], name="assessment_indicator_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} ({self.points})"


class OutcomeDomain(models.TextChoices):
    SAFETY = "safety", "Safety"
    RELATIONSHIPS = "relationships", "Relationships"
    MISSING = "missing", "Missing"
    EDUCATION = "education", "Education"
    HEALTH = "health", "Health"
    SUBSTANCE_USE = "substance_use", "Substance use"
    EMOTIONAL_WELLBEING = "emotional_wellbeing", "Emotional wellbeing"


class OutcomeStage(models.TextChoices):
    START = "start", "Start"
    SIX_WEEKS = "six_weeks", "6 weeks"
    END = "end", "End"


class Intervention(models.Model):
    """A piece of work with a child whose outcomes are scored ("distance travelled")."""

    child = models.ForeignKey(
        "children.Child", on_delete=models.CASCADE, related_name="interventions"
    )
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT)
    name = models.CharField(max_length=200)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-started_on", "id"]

    def __str__(self) -> str:
        return self.name


class OutcomeScore(models.Model):
    """A 1–5 score per domain at one stage (1 not safe … 5 safe and well)."""

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="scores")
    stage = models.CharField(max_length=16, choices=OutcomeStage.choices)
    domain = models.CharField(max_length=32, choices=OutcomeDomain.choices)
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    recorded_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )

    class Meta:
        ordering = ["intervention", "domain", "stage"]
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "stage", "domain"], name="outcome_score_once_per_stage"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1) & models.Q(score__lte=5),
                name="outcome_score_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.domain} {self.stage}: {self.score}"


#: Children per statement when refreshing current assessments (keeps SQLite under its limit on
#: query parameters).
_REFRESH_CHUNK = 5000


def current_assessments_refresh(child_ids: Iterable[int] | None = None) -> None:
    """Mark each child's latest assessment as current (`RiskAssessment.is_current`), and no
    other: for these children, or for every child when `child_ids` is None. Call it after
    writing, changing or removing assessments; it is idempotent."""
    latest = (
        RiskAssessment.objects.filter(child=OuterRef("child"))
        .order_by("-assessed_on", "-id")
        .values("id")[:1]
    )
    ids = None if child_ids is None else sorted(set(child_ids))
    chunks: list[list[int] | None] = [None]
    if ids is not None:
        chunks = [
            ids[start : start + _REFRESH_CHUNK] for start in range(0, len(ids), _REFRESH_CHUNK)
        ]
    with transaction.atomic():
        for chunk in chunks:
            assessments = RiskAssessment.objects.all()
            if chunk is not None:
                assessments = assessments.filter(child_id__in=chunk)
            # Clear first, so that the one-current-per-child constraint holds at every step.
            assessments.filter(is_current=True).exclude(pk=Subquery(latest)).update(
                is_current=False
            )
            assessments.filter(is_current=False, pk=Subquery(latest)).update(is_current=True)


@receiver(post_delete, sender=RiskAssessment)
def _current_assessment_after_delete(sender: Any, instance: RiskAssessment, **kwargs: Any) -> None:
    """Removing an assessment (one, or a queryset's worth) may make an earlier one current."""
    current_assessments_refresh([instance.child_id])
