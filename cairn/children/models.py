"""The child record: identity, identifiers, placements, involvements, notes, the child's views."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models

from cairn.core.models import TimeStamped


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Not known"


class LegalStatus(models.TextChoices):
    NONE = "none", "No statutory status"
    CHILD_IN_NEED = "child_in_need", "Child in need"
    CHILD_PROTECTION = "child_protection", "Child protection plan"
    LOOKED_AFTER = "looked_after", "Looked after (in care)"
    CARE_LEAVER = "care_leaver", "Care leaver"


class EducationStatus(models.TextChoices):
    ON_ROLL = "on_roll", "On roll"
    SUSPENDED = "suspended", "Suspended"
    PERMANENTLY_EXCLUDED = "permanently_excluded", "Permanently excluded"
    ALTERNATIVE_PROVISION = "alternative_provision", "Alternative provision"
    ELECTIVE_HOME_EDUCATION = "elective_home_education", "Elective home education"
    MISSING_EDUCATION = "missing_education", "Missing education"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class ImmigrationStatus(models.TextChoices):
    NOT_APPLICABLE = "not_applicable", "Not applicable (British or settled)"
    CLAIM_PENDING = "claim_pending", "Asylum claim pending"
    REFUGEE = "refugee", "Refugee status"
    HUMANITARIAN = "humanitarian_protection", "Humanitarian protection"
    UASC_LEAVE = "uasc_leave", "UASC leave"
    REFUSED = "refused", "Claim refused / appeal"
    EU_SETTLEMENT = "eu_settlement", "EU Settlement Scheme"
    UNKNOWN = "unknown", "Not known"


class Child(TimeStamped):
    child_ref = models.CharField("reference", max_length=64, unique=True)
    agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        related_name="recorded_children",
        help_text="The agency that recorded the child.",
    )
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    other_names = models.CharField(max_length=200, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=16, choices=Sex.choices, default=Sex.UNKNOWN)
    ethnicity = models.CharField(max_length=64, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    ward = models.ForeignKey(
        "core.Ward", on_delete=models.SET_NULL, null=True, blank=True, related_name="children"
    )
    legal_status = models.CharField(
        max_length=32, choices=LegalStatus.choices, default=LegalStatus.NONE
    )
    home_authority = models.CharField(
        max_length=16, blank=True, help_text="Code of the responsible local authority."
    )
    uasc = models.BooleanField("Unaccompanied asylum-seeking child (UASC)", default=False)
    immigration_status = models.CharField(
        max_length=32, choices=ImmigrationStatus.choices, default=ImmigrationStatus.NOT_APPLICABLE
    )
    school_urn = models.CharField("school URN", max_length=12, blank=True)
    education_status = models.CharField(max_length=32, choices=EducationStatus.choices, blank=True)
    learning_disability = models.BooleanField(default=False)
    lead_professional = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lead_for",
    )

    class Meta:
        verbose_name_plural = "children"
        ordering = ["family_name", "given_name", "id"]
        indexes = [
            models.Index(fields=["family_name", "given_name"]),
            models.Index(fields=["date_of_birth"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from cairn.children.rules import date_of_birth_problem

        problem = date_of_birth_problem(self.date_of_birth)
        if problem:
            raise ValidationError({"date_of_birth": problem})

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth is None:
            return None
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


class ChildAlias(models.Model):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name_plural = "child aliases"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ChildIdentifier(models.Model):
    class Kind(models.TextChoices):
        POLICE = "police", "Police reference"
        SOCIAL_CARE = "social_care", "Social care ID"
        NHS_NUMBER = "nhs_number", "NHS number"
        SCHOOL_UPN = "school_upn", "Unique pupil number"
        OTHER = "other", "Other"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    value = models.CharField(max_length=64)
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="identifier_unique_kind_value")
        ]
        indexes = [models.Index(fields=["value"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class PlacementType(models.TextChoices):
    HOME = "home", "Home"
    FOSTER = "foster", "Foster care"
    KINSHIP = "kinship", "Kinship care"
    CHILDRENS_HOME = "childrens_home", "Children's home"
    SEMI_INDEPENDENT = "semi_independent", "Semi-independent"
    SECURE = "secure", "Secure"
    OTHER = "other", "Other"


class Placement(models.Model):
    placement_ref = models.CharField("reference", max_length=64, unique=True)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="placements")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT)
    provider_name = models.CharField(max_length=200, blank=True)
    placement_type = models.CharField(max_length=32, choices=PlacementType.choices)
    ward = models.ForeignKey("core.Ward", on_delete=models.SET_NULL, null=True, blank=True)
    out_of_area = models.BooleanField(default=False)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="placement_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_placement_type_display()}: {self.provider_name or 'unnamed'}"


class Involvement(models.Model):
    """A professional or team working with a child: the basis of 'involved' access."""

    class Reason(models.TextChoices):
        LEAD = "lead", "Lead professional"
        ALLOCATED = "allocated", "Allocated worker"
        SUPPORT = "support", "Support or intervention"
        INVESTIGATION = "investigation", "Investigation"
        EDUCATION = "education", "Education"
        HEALTH = "health", "Health"
        OTHER = "other", "Other"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="involvements")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="involvements",
    )
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="involvements",
    )
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT)
    reason = models.CharField(max_length=32, choices=Reason.choices)
    detail = models.CharField(max_length=200, blank=True)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | models.Q(team__isnull=False),
                name="involvement_has_user_or_team",
            )
        ]
        indexes = [models.Index(fields=["user", "ended_on"]), models.Index(fields=["agency"])]

    def __str__(self) -> str:
        who = self.user or self.team
        return f"{who}: {self.get_reason_display()}"


class Handling(models.TextChoices):
    """Handling code of a note: who beyond the child's professionals may read it."""

    STANDARD = "standard", "Standard: the child's professionals"
    SENSITIVE = "sensitive", "Sensitive: the child's professionals, not panel members"
    RESTRICTED = "restricted", "Restricted: the recording agency and named people only"


class CaseNote(models.Model):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT)
    handling = models.CharField(max_length=16, choices=Handling.choices, default=Handling.STANDARD)
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="restricted_notes"
    )
    occurred_on = models.DateField()
    subject = models.CharField(max_length=200)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-created_at"]

    def __str__(self) -> str:
        return self.subject


class ChildVoice(models.Model):
    """The child's own views, in their words where possible."""

    class Method(models.TextChoices):
        SPOKEN = "spoken", "Said to a professional"
        WRITTEN = "written", "Written by the child"
        ADVOCATE = "advocate", "Through an advocate"
        OBSERVED = "observed", "Observed (non-verbal)"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="voices")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    recorded_on = models.DateField()
    method = models.CharField(max_length=16, choices=Method.choices, default=Method.SPOKEN)
    text = models.TextField("what the child said or showed")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.child}: {self.recorded_on}"


class BreakGlassGrant(models.Model):
    """Time-limited read access declared with a reason; shown to the child's lead professional."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="break_glass_grants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_grants"
    )
    reason = models.TextField()
    granted_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["user", "child", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.user} → {self.child} until {self.expires_at:%Y-%m-%d %H:%M}"
