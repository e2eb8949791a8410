"""Geography and places shared by every app: authority, localities, divisions, wards, schools."""

from __future__ import annotations

from django.db import models


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class LocalAuthority(models.Model):
    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=120)

    class Meta:
        verbose_name_plural = "local authorities"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Locality(models.Model):
    """An operational area (north/west/east style) that groups wards."""

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT)
    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=120)

    class Meta:
        verbose_name_plural = "localities"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Division(models.Model):
    """A councillors' electoral division: a group of wards."""

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT)
    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=120)
    shape = models.JSONField(null=True, blank=True, help_text="GeoJSON geometry")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Ward(models.Model):
    code = models.CharField(max_length=16, unique=True, help_text="ONS ward code or local code")
    name = models.CharField(max_length=120)
    locality = models.ForeignKey(Locality, on_delete=models.PROTECT, related_name="wards")
    division = models.ForeignKey(
        Division, on_delete=models.PROTECT, related_name="wards", null=True, blank=True
    )
    shape = models.JSONField(null=True, blank=True, help_text="GeoJSON geometry")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class School(models.Model):
    class Phase(models.TextChoices):
        PRIMARY = "primary", "Primary"
        SECONDARY = "secondary", "Secondary"
        SPECIAL = "special", "Special"
        ALTERNATIVE = "alternative", "Alternative provision"
        COLLEGE = "college", "Further education"

    urn = models.CharField("URN", max_length=12, unique=True)
    name = models.CharField(max_length=200)
    phase = models.CharField(max_length=16, choices=Phase.choices, default=Phase.SECONDARY)
    ward = models.ForeignKey(Ward, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
