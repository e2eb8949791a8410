"""Missing episodes, return home interviews, repeat-missing alerts and Philomena Protocol profiles
(DOMAIN.md "Missing"; EXCHANGE.md missing_episodes.csv and return_interviews.csv).

Times are stored as aware date-times (UTC in the database); periods and clocks are read in
Europe/London time (settings.TIME_ZONE)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PoliceRisk(models.TextChoices):
    """College of Policing APP grades (2017+). "Absent" is the old name for no apparent risk."""

    NO_APPARENT_RISK = "no_apparent_risk", "No apparent risk"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


#: Highest first, for the "currently missing" board.
POLICE_RISK_RANK = {"high": 3, "medium": 2, "low": 1, "no_apparent_risk": 0}


class Concern(models.TextChoices):
    EXPLOITATION = "exploitation", "Exploitation"
    SEXUAL = "sexual", "Sexual exploitation"
    CRIMINAL = "criminal", "Criminal exploitation"
    TRAFFICKING = "trafficking", "Trafficking"
    VIOLENCE = "violence", "Violence"
    SUBSTANCE = "substance", "Drugs or alcohol"
    OTHER = "other", "Other"


class MissingEpisode(models.Model):
    """From when the child was last seen until they return or are found."""

    episode_ref = models.CharField("reference", max_length=64, unique=True)
    child = models.ForeignKey(
        "children.Child", on_delete=models.CASCADE, related_name="missing_episodes"
    )
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    placement = models.ForeignKey(
        "children.Placement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="missing_episodes",
        help_text="The placement the child went missing from, if any",
    )
    # Going missing
    last_seen_at = models.DateTimeField()
    last_seen_place = models.CharField("where last seen", max_length=200, blank=True)
    last_seen_with = models.CharField("who they were last seen with", max_length=200, blank=True)
    clothing_worn = models.TextField("clothing worn", blank=True)
    reported_at = models.DateTimeField()
    reported_by = models.CharField("reported by", max_length=200, blank=True)
    police_reference = models.CharField(max_length=64, blank=True)
    police_risk = models.CharField(
        "police risk grade", max_length=16, choices=PoliceRisk.choices, default=PoliceRisk.MEDIUM
    )
    concerns = models.JSONField(default=list, blank=True)
    # Returning
    returned_at = models.DateTimeField("returned or found at", null=True, blank=True)
    found_place = models.CharField("where found", max_length=200, blank=True)
    found_ward = models.ForeignKey(
        "core.Ward", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    out_of_area = models.BooleanField("found out of area", default=False)
    found_with = models.CharField("who they were with", max_length=200, blank=True)
    travel = models.CharField("how they travelled", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-reported_at", "-id"]
        indexes = [
            models.Index(fields=["child", "reported_at"]),
            models.Index(fields=["reported_at"]),
            models.Index(fields=["returned_at"]),
            models.Index(
                fields=["reported_at"],
                condition=models.Q(returned_at__isnull=True),
                name="missing_open_episodes",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(returned_at__isnull=True)
                | models.Q(returned_at__gte=models.F("last_seen_at")),
                name="missing_return_after_last_seen",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.episode_ref}: {self.child}"

    @property
    def is_open(self) -> bool:
        return self.returned_at is None

    @property
    def concern_labels(self) -> list[str]:
        return [str(Concern(c).label) if c in Concern.values else c for c in self.concerns]


class ReturnInterview(models.Model):
    """The statutory return home interview for one episode: offered, attempted, completed or
    declined, and what the child shared."""

    interview_ref = models.CharField("reference", max_length=64, unique=True)
    episode = models.OneToOneField(
        MissingEpisode, on_delete=models.CASCADE, related_name="return_interview"
    )
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    offered_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    declined = models.BooleanField("the child declined", default=False)
    declined_reason = models.TextField(blank=True)
    not_held_reason = models.TextField(
        "reason for deciding not to hold one", blank=True
    )  # a professional decision, distinct from the child declining
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    interviewer_name = models.CharField(max_length=200, blank=True)
    interviewer_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    push_factors = models.TextField("what made them leave (push factors)", blank=True)
    pull_factors = models.TextField("what drew them away (pull factors)", blank=True)
    where_stayed = models.TextField("where they were", blank=True)
    with_whom = models.TextField("who they were with", blank=True)
    travel = models.CharField("how they travelled", max_length=200, blank=True)
    harm_disclosed = models.BooleanField(default=False)
    harm_detail = models.TextField("harm disclosed", blank=True)
    support_offered = models.TextField(blank=True)
    intelligence_shared = models.BooleanField("intelligence passed on", default=False)
    intelligence_shared_with = models.CharField(max_length=200, blank=True)
    summary = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=~(models.Q(completed_at__isnull=False) & models.Q(declined=True)),
                name="rhi_completed_or_declined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.interview_ref} ({self.episode.episode_ref})"


class InterviewAttempt(models.Model):
    """An attempt to hold the interview that did not happen (the child was out, not ready...)."""

    interview = models.ForeignKey(
        ReturnInterview, on_delete=models.CASCADE, related_name="attempts"
    )
    attempted_at = models.DateTimeField()
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["attempted_at", "id"]

    def __str__(self) -> str:
        return f"attempt at {self.attempted_at:%Y-%m-%d %H:%M}"


class RepeatMissingAlert(models.Model):
    """Raised when a child reaches CAIRN_REPEAT_MISSING_EPISODES episodes reported within
    CAIRN_REPEAT_MISSING_DAYS days: prompts a strategy discussion and a risk review. One open
    (unacknowledged) alert per child at a time."""

    child = models.ForeignKey(
        "children.Child", on_delete=models.CASCADE, related_name="repeat_missing_alerts"
    )
    episode = models.ForeignKey(
        MissingEpisode,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The episode that raised it",
    )
    episodes = models.PositiveIntegerField(help_text="Episodes in the window when raised")
    window_days = models.PositiveIntegerField()
    raised_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=models.Q(acknowledged_at__isnull=True),
                name="missing_one_open_alert_per_child",
            )
        ]

    def __str__(self) -> str:
        return f"{self.child}: {self.episodes} episodes in {self.window_days} days"


class PhilomenaProfile(models.Model):
    """The Philomena Protocol profile of a child in care: kept by the carer and the local
    authority, given to police only when the child goes missing. It belongs to the child, so it
    moves with them between placements; it is reviewed at least every
    CAIRN_PHILOMENA_REVIEW_MONTHS months and when the child moves placement."""

    child = models.OneToOneField(
        "children.Child", on_delete=models.CASCADE, related_name="philomena_profile"
    )
    height = models.CharField(max_length=50, blank=True)
    build = models.CharField(max_length=100, blank=True)
    hair = models.CharField(max_length=100, blank=True)
    eyes = models.CharField(max_length=100, blank=True)
    distinguishing_features = models.TextField("scars, tattoos and piercings", blank=True)
    clothing_style = models.TextField(blank=True)
    phones = models.TextField("phone numbers and handsets", blank=True)
    social_media = models.TextField(
        "social media usernames", blank=True, help_text="Usernames only: never passwords"
    )
    associates = models.TextField("friends and associates", blank=True)
    places = models.TextField("places and addresses they go to", blank=True)
    risk_locations = models.TextField("risk-assessed locations", blank=True)
    medical_needs = models.TextField("medical needs and medication", blank=True)
    vulnerabilities = models.TextField(blank=True)
    languages = models.CharField(max_length=200, blank=True)
    reviewed_on = models.DateField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    placement_at_review = models.ForeignKey(
        "children.Placement", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Philomena profile: {self.child}"


class ProfilePhoto(models.Model):
    """A photo on a Philomena profile: re-encoded without EXIF (location, device) on upload,
    stored outside the web root (CAIRN_PRIVATE_MEDIA_ROOT) and served only through an
    access-checked view."""

    profile = models.ForeignKey(PhilomenaProfile, on_delete=models.CASCADE, related_name="photos")
    path = models.CharField(max_length=200, unique=True)  # relative to the private media root
    content_type = models.CharField(max_length=32)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    taken_on = models.DateField("date taken")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-taken_on", "-id"]

    def __str__(self) -> str:
        return f"photo taken {self.taken_on}"
