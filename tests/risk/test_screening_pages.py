"""The screening page as a practitioner uses it: calculate, override with a rationale, save."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from cairn.risk.models import Indicator, RiskAssessment
from tests.factories import ChildFactory, InvolvementFactory, UserFactory


@pytest.fixture
def practitioner(db):
    return UserFactory(role="practitioner")


@pytest.fixture
def child(practitioner):
    child = ChildFactory(agency=practitioner.agency, date_of_birth=date(2010, 5, 1))
    InvolvementFactory(child=child, user=practitioner, agency=practitioner.agency)
    return child


def _today():
    today = timezone.localdate()
    return {
        "assessed_on_day": today.day,
        "assessed_on_month": today.month,
        "assessed_on_year": today.year,
    }


def _medium_selection():
    """2 vulnerabilities (2) + 2 significant within 6 months (10) = 12: medium."""
    data = {}
    for code in ("v-looked-after", "v-not-in-education"):
        data[f"ind_{code}"] = "on"
    for code in ("s-missing", "s-multiple-phones"):
        data[f"ind_{code}"] = "on"
        data[f"rec_{code}"] = "within_6_months"
    return data


def test_calculating_shows_the_score_and_the_rule_without_saving(client, practitioner, child):
    client.force_login(practitioner)
    url = reverse("risk:screening", args=[child.pk])
    page = client.post(url, {**_today(), **_medium_selection(), "action": "calculate"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Suggested level: Medium (significant)" in html
    assert "12" in html
    assert RiskAssessment.objects.count() == 0


def test_overriding_to_high_needs_a_rationale(client, practitioner, child):
    client.force_login(practitioner)
    url = reverse("risk:screening", args=[child.pk])
    data = {**_today(), **_medium_selection(), "level": "high", "action": "save"}
    page = client.post(url, data)
    assert page.status_code == 200
    assert "There is a problem" in page.content.decode()
    assert RiskAssessment.objects.count() == 0
    data["rationale"] = "Found 40 miles away with cash and two phones; adults control her travel."
    data["exploitation_types"] = ["criminal", "county_lines"]
    response = client.post(url, data)
    assert response.status_code == 302
    assessment = RiskAssessment.objects.get()
    assert (assessment.level, assessment.suggested_level, assessment.score) == (
        "high",
        "medium",
        12,
    )
    record = client.get(reverse("children:detail", args=[child.pk])).content.decode()
    assert "High (serious)" in record
    assert "Why this level" in record
    assert "Going missing" in record  # the reasons are shown
    assert "adults control her travel" in record


def test_a_significant_indicator_needs_to_say_when(client, practitioner, child):
    client.force_login(practitioner)
    url = reverse("risk:screening", args=[child.pk])
    page = client.post(url, {**_today(), "ind_s-missing": "on", "action": "calculate"})
    assert "Select when this was last seen: Going missing" in page.content.decode()


def test_read_only_users_cannot_open_the_screening(client, practitioner, child):
    reader = UserFactory(role="practitioner", agency=practitioner.agency)  # same agency: reads
    client.force_login(reader)
    assert client.get(reverse("risk:screening", args=[child.pk])).status_code == 403
    outsider = UserFactory(role="practitioner")
    client.force_login(outsider)
    assert client.get(reverse("risk:screening", args=[child.pk])).status_code == 404


def test_the_record_shows_the_history_as_a_chart_with_a_table(client, practitioner, child):
    from cairn.risk.services import risk_assessment_submit

    missing = Indicator.objects.get(code="s-missing")
    for day, level in ((date(2025, 1, 10), "none"), (date(2025, 6, 1), "low")):
        risk_assessment_submit(
            actor=practitioner,
            child=child,
            assessed_on=day,
            selections=[],
            level=level,
            rationale="Early worries from school about who collects him.",
        )
    risk_assessment_submit(
        actor=practitioner,
        child=child,
        assessed_on=date(2025, 9, 1),
        selections=[(missing, "within_6_months")],
        level="medium",
        rationale="Missing three times, each time found in the same flat.",
    )
    client.force_login(practitioner)
    html = client.get(reverse("children:detail", args=[child.pk])).content.decode()
    assert "<svg" in html and 'role="img"' in html
    assert "Every assessment, oldest first" in html
    assert html.count('<tr class="govuk-table__row"><td class="govuk-table__cell">') >= 3


def test_outcomes_are_scored_and_the_change_shows_on_the_record(client, practitioner, child):
    from cairn.risk.models import Intervention

    client.force_login(practitioner)
    response = client.post(
        reverse("risk:intervention_start", args=[child.pk]),
        {"name": "1:1 exploitation support", "started_on": "2026-01-05"},
    )
    intervention = Intervention.objects.get()
    assert response.url == reverse("risk:outcome_scores", args=[intervention.pk])
    domains = ["safety", "relationships", "missing", "education", "health", "substance_use",
               "emotional_wellbeing"]  # fmt: skip
    url = reverse("risk:outcome_scores", args=[intervention.pk])
    start = {"stage": "start", "recorded_on": "2026-01-05", **dict.fromkeys(domains, "2")}
    assert client.post(url, start).status_code == 302
    end = {"stage": "end", "recorded_on": "2026-03-20", **dict.fromkeys(domains, "4")}
    end["missing"] = "1"
    assert client.post(url, end).status_code == 302
    html = client.get(reverse("children:detail", args=[child.pk])).content.decode()
    assert "1:1 exploitation support" in html
    assert "Overall: <strong>improved</strong> (14 → 25 at end)" in html
    assert "+2" in html and "-1" in html


def test_scores_need_every_domain(client, practitioner, child):
    from cairn.risk.services import intervention_start

    intervention = intervention_start(
        actor=practitioner, child=child, name="Mentoring", started_on=date(2026, 1, 5)
    )
    client.force_login(practitioner)
    url = reverse("risk:outcome_scores", args=[intervention.pk])
    page = client.post(url, {"stage": "start", "recorded_on": "2026-01-05", "safety": "3"})
    assert page.status_code == 200
    assert "Select relationships" in page.content.decode()
    assert not intervention.scores.exists()
    outsider = UserFactory(role="practitioner")
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_the_register_says_how_many_children_improved(client, practitioner, child):
    from cairn.risk.services import (
        intervention_start,
        outcome_scores_record,
        risk_assessment_submit,
    )

    risk_assessment_submit(
        actor=practitioner, child=child, assessed_on=date(2026, 1, 2), selections=[],
        level="low", rationale="Older young people waiting outside school for him.",
    )  # fmt: skip
    intervention = intervention_start(
        actor=practitioner, child=child, name="Mentoring", started_on=date(2026, 1, 5)
    )
    domains = ["safety", "relationships", "missing", "education", "health", "substance_use",
               "emotional_wellbeing"]  # fmt: skip
    for stage, day, score in (("start", date(2026, 1, 5), 2), ("end", date(2026, 3, 1), 3)):
        outcome_scores_record(
            actor=practitioner, intervention=intervention, stage=stage, recorded_on=day,
            scores=dict.fromkeys(domains, score),
        )  # fmt: skip
    client.force_login(practitioner)
    html = client.get(reverse("risk:register")).content.decode()
    assert "<strong>1 improved</strong>, 0 stayed the same, 0 worsened" in html
