"""Multi-agency panels (MACE/MASE), their meetings, agendas, attendance and minutes; safety and
disruption plans with owned actions; the disruption log (DOMAIN.md "Multi-agency panels and
plans"; EXCHANGE.md meetings.csv).

A panel member sees a child only through the published agenda of a panel they sit on, from
publication until CAIRN_PANEL_ACCESS_DAYS days after the meeting (cairn.accounts.access)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class PanelType(models.TextChoices):
    MACE = "mace", "MACE (multi-agency child exploitation)"
    MASE = "mase", "MASE (multi-agency sexual exploitation)"
    MISSING_CRIMINAL = "missing_criminal", "Missing and criminal exploitation"
    NRM = "nrm", "NRM decision panel"
    OTHER = "other", "Other"


class MeetingType(models.TextChoices):
    """EXCHANGE.md meetings.csv `meeting_type`."""

    MACE = "mace", "MACE"
    MASE = "mase", "MASE"
    STRATEGY = "strategy", "Strategy discussion"
    RISK = "risk", "Risk management meeting"
    OTHER = "other", "Other"


class Panel(models.Model):
    name = models.CharField(max_length=120, unique=True)
    panel_type = models.CharField("type", max_length=20, choices=PanelType.choices)
    cadence_days = models.PositiveIntegerField(
        "meets every (days)", default=28, help_text="28 for monthly, 14 for fortnightly"
    )
    agencies = models.ManyToManyField(
        "accounts.Agency", blank=True, related_name="panels", verbose_name="member agencies"
    )
    terms_of_reference = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PanelMember(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", "Chair"
        MEMBER = "member", "Member"

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="panel_memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["panel", "user"], name="panels_one_membership"),
        ]
        indexes = [models.Index(fields=["user", "panel"])]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.panel})"


class Meeting(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        AGENDA_PUBLISHED = "agenda_published", "Agenda published"
        HELD = "held", "Held"
        SIGNED_OFF = "signed_off", "Minutes signed off"
        CANCELLED = "cancelled", "Cancelled"

    meeting_ref = models.CharField("reference", max_length=64, unique=True)
    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="meetings")
    meeting_type = models.CharField("type", max_length=10, choices=MeetingType.choices)
    held_on = models.DateField("date")
    location = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    agenda_published_at = models.DateTimeField(null=True, blank=True)
    agenda_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    minutes = models.TextField("general minutes", blank=True)
    themes = models.TextField("trends and themes", blank=True, help_text="VOLT: themes")
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["held_on"]),
            models.Index(fields=["panel", "held_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.panel} on {self.held_on:%d %b %Y}"

    @property
    def is_signed_off(self) -> bool:
        return self.signed_off_at is not None


class AgendaReason(models.TextChoices):
    NEW_RISK = "new_risk", "New at medium or high risk"
    REVIEW_DUE = "review_due", "Due for review"
    ESCALATED = "escalated", "Escalated by a professional"
    REPEAT_MISSING = "repeat_missing", "Repeat-missing alert"
    ADDED_BY_CHAIR = "added_by_chair", "Added by the chair"


class AgendaItem(models.Model):
    """A child on a meeting's agenda, with why. Removed items are kept, with the reason."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    child = models.ForeignKey(
        "children.Child", on_delete=models.CASCADE, related_name="agenda_items"
    )
    reason = models.CharField(max_length=20, choices=AgendaReason.choices)
    reason_detail = models.CharField(max_length=300, blank=True)
    position = models.PositiveIntegerField(default=0)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    removal_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "child"], name="panels_agenda_child_once"),
        ]
        indexes = [models.Index(fields=["child", "meeting"])]

    def __str__(self) -> str:
        return f"{self.child} on {self.meeting}"


class Escalation(models.Model):
    """A professional asks for a child to go to a panel's next meeting."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="escalations")
    child = models.ForeignKey(
        "children.Child", on_delete=models.CASCADE, related_name="panel_escalations"
    )
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    raised_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField()
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="escalations"
    )

    class Meta:
        indexes = [models.Index(fields=["panel", "agenda_item"])]

    def __str__(self) -> str:
        return f"{self.child} escalated to {self.panel}"


class Attendance(models.Model):
    class Status(models.TextChoices):
        ATTENDED = "attended", "Attended"
        APOLOGIES = "apologies", "Sent apologies"
        ABSENT = "absent", "Absent"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=150, blank=True, help_text="For people without a login")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ATTENDED)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=Q(user__isnull=False),
                name="panels_attendance_user_once",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(name=""), name="panels_attendance_who"
            ),
        ]

    def __str__(self) -> str:
        who = self.user.display_name if self.user else self.name
        return f"{who} ({self.agency}): {self.get_status_display()}"


class Discussion(models.Model):
    """What the meeting agreed about one child. `meetings.csv` has one row per discussion."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="discussions")
    child = models.ForeignKey(
        "children.Child", on_delete=models.CASCADE, related_name="panel_discussions"
    )
    agenda_item = models.OneToOneField(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="discussion"
    )
    summary = models.TextField(blank=True)
    agreed_level = models.CharField(
        "agreed risk level", max_length=8, blank=True, help_text="none, low, medium or high"
    )
    risk_assessment = models.OneToOneField(
        "risk.RiskAssessment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="panel_discussion",
        help_text="The assessment the agreed level was recorded as (the risk history)",
    )
    decisions = models.TextField(blank=True)
    nrm_threshold_met = models.BooleanField("NRM threshold met", null=True, blank=True)
    nrm_referral_agreed = models.BooleanField("NRM referral agreed", null=True, blank=True)
    outcome = models.CharField(
        max_length=200, blank=True, help_text="meetings.csv `outcome`: a short summary"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "child"], name="panels_discussed_once"),
        ]
        indexes = [models.Index(fields=["child", "meeting"])]

    def __str__(self) -> str:
        return f"{self.child} at {self.meeting}"


class MinutesAmendment(models.Model):
    """A change to signed-off minutes: who, when, why, and what it said before."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="amendments")
    discussion = models.ForeignKey(
        Discussion, on_delete=models.CASCADE, null=True, blank=True, related_name="amendments"
    )
    field = models.CharField(max_length=50)
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)
    reason = models.TextField()
    amended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    amended_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["amended_at", "id"]

    def __str__(self) -> str:
        return f"{self.field} amended on {self.amended_at:%d %b %Y}"


class MinutesCirculation(models.Model):
    """Minutes sent to one person (attendees and the children's professionals only)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="circulations")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    circulated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    circulated_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.meeting} minutes to {self.recipient}"


class PlanKind(models.TextChoices):
    SAFETY = "safety", "Safety plan"
    DISRUPTION = "disruption", "Disruption plan"


class Plan(models.Model):
    """A child's safety plan, or a disruption plan against the people and places around them."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"

    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="plans")
    kind = models.CharField(max_length=12, choices=PlanKind.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACTIVE)
    summary = models.TextField(blank=True)
    subjects = models.TextField(
        "people and places of concern",
        blank=True,
        help_text="Who and where the disruption plan is about",
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="plans"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["child", "kind", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "kind"],
                condition=Q(status="active"),
                name="panels_one_active_plan_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.child}"


class FourP(models.TextChoices):
    PURSUE = "pursue", "Pursue (prosecute and disrupt)"
    PREVENT = "prevent", "Prevent (stop people engaging)"
    PROTECT = "protect", "Protect (increase protection)"
    PREPARE = "prepare", "Prepare (reduce impact)"


class Action(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    text = models.TextField("action")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_actions"
    )
    owner_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT)
    due_on = models.DateField("due")
    category = models.CharField("4P category", max_length=8, choices=FourP.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    completed_on = models.DateField(null=True, blank=True)
    evidence = models.TextField("evidence of completion", blank=True)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["owner", "status", "due_on"]),
            models.Index(fields=["owner_agency", "status", "due_on"]),
            models.Index(fields=["status", "due_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(completed_on__isnull=False),
                name="panels_done_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_closed(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.CANCELLED}


class DisruptionTool(models.TextChoices):
    """DOMAIN.md disruption tools. An arrest for any offence used to disrupt counts."""

    CAWN = "cawn", "Child Abduction Warning Notice"
    SRO = "sro", "Sexual Risk Order"
    STPO = "stpo", "Slavery and Trafficking Prevention Order"
    STRO = "stro", "Slavery and Trafficking Risk Order"
    CLOSURE_ORDER = "closure_order", "Closure order"
    S116_NOTICE = "s116_notice", "Section 116 hotel guest-information notice"
    ARREST = "arrest", "Arrest for another offence used to disrupt (drugs, weapons)"
    ENGAGEMENT_VISIT = "engagement_visit", "Licensing, taxi or hotel engagement visit"
    LOCATION = "location", "Location disruption"
    ONLINE = "online", "Online disruption"
    PEER_GROUP = "peer_group", "Peer-group disruption"
    OTHER = "other", "Other"


class DisruptionActivity(models.Model):
    """One disruption activity against the people, places or networks around children. Every
    tool counts as exploitation disruption, arrests for other offences included."""

    tool = models.CharField(max_length=20, choices=DisruptionTool.choices)
    occurred_on = models.DateField()
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT)
    children = models.ManyToManyField(
        "children.Child", blank=True, related_name="disruption_activities"
    )
    person = models.CharField("person of concern", max_length=200, blank=True)
    place = models.CharField("place of concern", max_length=200, blank=True)
    offence = models.CharField(
        max_length=200, blank=True, help_text="For an arrest: the offence (drugs, weapons, ...)"
    )
    detail = models.TextField(blank=True)
    plan = models.ForeignKey(
        Plan, on_delete=models.SET_NULL, null=True, blank=True, related_name="disruptions"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["occurred_on"])]
        verbose_name_plural = "disruption activities"

    def __str__(self) -> str:
        return f"{self.get_tool_display()} on {self.occurred_on:%d %b %Y}"
