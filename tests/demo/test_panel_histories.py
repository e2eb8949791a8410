"""The synthetic county's exploitation panels: two panels meeting monthly for two years, the
children they discussed, their safety and disruption plans and actions, and the disruption log.
Plausible, consistent with the children's risk histories, children-first, and the same for the
same seed."""

from __future__ import annotations

import bisect
import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from cairn.accounts.models import User
from cairn.children.models import Child
from cairn.demo import panels_wording as w
from cairn.demo.generator import county_counts, county_generate, database_flush
from cairn.demo.panels import DEMO_OWNERS
from cairn.language.services import language_guidance
from cairn.panels.models import (
    Action,
    AgendaItem,
    Attendance,
    Discussion,
    DisruptionActivity,
    Escalation,
    Meeting,
    MinutesCirculation,
    Panel,
    PanelMember,
    Plan,
)
from cairn.risk.models import RiskAssessment
from tests.demo.conftest import ANCHOR

COUNTY_SIZE = 500
LONDON = timezone.get_default_timezone()
HORIZON = datetime.combine(ANCHOR, time(0), tzinfo=LONDON).astimezone(UTC)
OPEN = ("open", "in_progress")
Row = dict[str, Any]


@dataclass
class County:
    """One 500-child county's panel records, read once into plain Python for every test."""

    panels: dict[int, Row]
    members: list[Row]
    meetings: dict[int, Row]
    items: list[Row]
    escalations: list[Row]
    attendance: list[Row]
    discussions: list[Row]
    circulations: list[Row]
    plans: dict[int, Row]
    actions: list[Row]
    activities: list[Row]
    activity_children: dict[int, list[int]]
    children: dict[int, Row]
    users: dict[int, Row]
    assessments: dict[int, list[tuple[date, str]]]  # by child, in date order
    counts: dict[str, int]

    def level_on(self, child_id: int, day: date) -> str | None:
        history = self.assessments.get(child_id, [])
        index = bisect.bisect_right([d for d, _ in history], day) - 1
        return history[index][1] if index >= 0 else None

    def held(self) -> list[Row]:
        return [m for m in self.meetings.values() if m["status"] in ("held", "signed_off")]


def _rows(model: Any, *extra: str) -> list[Row]:
    names = [f.attname for f in model._meta.concrete_fields]
    return list(model.objects.order_by("id").values(*names, *extra))


def _read_county() -> County:
    assessments: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for child_id, day, level in RiskAssessment.objects.order_by(
        "child_id", "assessed_on", "id"
    ).values_list("child_id", "assessed_on", "level"):
        assessments[child_id].append((day, level))
    through = DisruptionActivity.children.through
    activity_children: dict[int, list[int]] = defaultdict(list)
    for activity_id, child_id in through.objects.values_list("disruptionactivity_id", "child_id"):
        activity_children[activity_id].append(child_id)
    return County(
        panels={p["id"]: p for p in _rows(Panel)},
        members=_rows(PanelMember, "user__username", "user__role", "user__agency__code"),
        meetings={m["id"]: m for m in _rows(Meeting, "panel__name")},
        items=_rows(AgendaItem),
        escalations=_rows(Escalation),
        attendance=_rows(Attendance, "agency__code"),
        discussions=_rows(Discussion),
        circulations=_rows(MinutesCirculation),
        plans={p["id"]: p for p in _rows(Plan)},
        actions=_rows(Action, "owner__username", "owner__agency_id", "owner_agency__code"),
        activities=_rows(DisruptionActivity),
        activity_children=activity_children,
        children={c["id"]: c for c in Child.objects.values()},
        users={
            u["id"]: u
            for u in User.objects.values("id", "username", "role", "agency__code", "team__name")
        },
        assessments=assessments,
        counts=county_counts(),
    )


@pytest.fixture(scope="module")
def panel_county(django_db_setup, django_db_blocker) -> County:  # type: ignore[no-untyped-def]
    """Generated once for the module, read into memory, and rolled back."""
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=fast),
        transaction.atomic(),
    ):
        county_generate(seed=5, children=COUNTY_SIZE, anchor=ANCHOR)
        data = _read_county()
        transaction.set_rollback(True)
    return data


def _snapshot() -> dict[str, list[tuple]]:  # type: ignore[type-arg]
    """The panel records as a person would see them, without database ids or timestamps."""
    return {
        "members": sorted(
            PanelMember.objects.values_list(
                "panel__name", "user__username", "role", "started_on", "ended_on"
            )
        ),
        "meetings": list(
            Meeting.objects.order_by("meeting_ref").values_list(
                "meeting_ref", "panel__name", "held_on", "location", "status",
                "agenda_published_at", "minutes", "themes", "signed_off_at",
                "signed_off_by__username",
            )
        ),
        "items": sorted(
            AgendaItem.objects.values_list(
                "meeting__meeting_ref", "child__child_ref", "reason", "reason_detail",
                "position", "removal_reason",
            )
        ),
        "attendance": sorted(
            Attendance.objects.values_list(
                "meeting__meeting_ref", "user__username", "name", "status"
            ),
            key=str,
        ),
        "discussions": sorted(
            Discussion.objects.values_list(
                "meeting__meeting_ref", "child__child_ref", "summary", "agreed_level",
                "decisions", "nrm_threshold_met", "nrm_referral_agreed", "outcome",
            ),
            key=str,
        ),
        "plans": sorted(
            Plan.objects.values_list(
                "child__child_ref", "kind", "status", "summary", "subjects",
                "meeting__meeting_ref", "created_at", "closed_on",
            ),
            key=str,
        ),
        "actions": sorted(
            Action.objects.values_list(
                "plan__child__child_ref", "plan__kind", "text", "owner__username", "due_on",
                "category", "status", "completed_on", "evidence", "meeting__meeting_ref",
            ),
            key=str,
        ),
        "activities": sorted(
            DisruptionActivity.objects.values_list(
                "tool", "occurred_on", "person", "place", "offence", "detail",
                "plan__child__child_ref", "recorded_by__username",
            ),
            key=str,
        ),
    }  # fmt: skip


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_panels_whatever_the_batch_size():
    county_generate(seed=11, children=120, anchor=ANCHOR)
    first = _snapshot()
    database_flush()
    county_generate(seed=11, children=120, anchor=ANCHOR, batch_size=7)
    assert _snapshot() == first
    assert all(first[kind] for kind in ("meetings", "items", "discussions", "plans", "actions"))
    database_flush()
    county_generate(seed=12, children=120, anchor=ANCHOR)
    assert _snapshot()["discussions"] != first["discussions"]


@pytest.mark.django_db
def test_a_county_without_children_still_has_its_panels_and_meetings():
    result = county_generate(seed=3, children=0, anchor=ANCHOR)
    assert result.counts["panels"] == 2
    assert result.counts["meetings"] == 50
    assert result.counts["discussions"] == result.counts["plan actions"] == 0
    held = Meeting.objects.exclude(status="agenda_published")
    assert all(m.attendance.filter(status="attended").exists() for m in held)


def test_two_panels_meet_monthly_for_two_years_and_publish_the_next_agenda(panel_county):
    panels = {p["name"]: p for p in panel_county.panels.values()}
    assert panels.keys() == {
        "Synthetshire MACE",
        "Synthetshire Missing and Exploitation Panel",
    }
    assert panels["Synthetshire MACE"]["panel_type"] == "mace"
    assert panels["Synthetshire Missing and Exploitation Panel"]["panel_type"] in (
        "missing_criminal",
        "mase",
    )
    refs = [m["meeting_ref"] for m in panel_county.meetings.values()]
    assert len(set(refs)) == len(refs) == 50
    for panel_id in panel_county.panels:
        meetings = sorted(
            (m for m in panel_county.meetings.values() if m["panel_id"] == panel_id),
            key=lambda m: m["held_on"],
        )
        held, upcoming = meetings[:-1], meetings[-1]
        assert len(held) == 24
        assert ANCHOR - timedelta(days=731) <= held[0]["held_on"]
        assert held[-1]["held_on"] < ANCHOR
        for earlier, later in itertools.pairwise(meetings):
            assert 24 <= (later["held_on"] - earlier["held_on"]).days <= 38, "monthly"
        assert len({m["held_on"].weekday() for m in meetings}) == 1
        # The next meeting, about a week after the anchor, with its agenda published.
        assert timedelta(days=4) <= upcoming["held_on"] - ANCHOR <= timedelta(days=14)
        assert upcoming["status"] == "agenda_published"
        assert upcoming["agenda_published_at"] < HORIZON
        assert upcoming["agenda_published_by_id"] is not None
        assert not upcoming["minutes"] and upcoming["signed_off_at"] is None
        assert any(i["meeting_id"] == upcoming["id"] for i in panel_county.items)
        assert not any(d["meeting_id"] == upcoming["id"] for d in panel_county.discussions)
        chairs = {
            m["user_id"]
            for m in panel_county.members
            if m["panel_id"] == panel_id and m["role"] == "chair"
        }
        for meeting in held:
            assert meeting["status"] == "signed_off"
            assert meeting["minutes"] and meeting["themes"]
            assert meeting["signed_off_by_id"] in chairs
            signed = meeting["signed_off_at"].astimezone(LONDON).date()
            assert meeting["held_on"] < signed < ANCHOR
            published = meeting["agenda_published_at"].astimezone(LONDON).date()
            assert published < meeting["held_on"]


def test_panels_are_chaired_by_police_and_childrens_services_with_members_across_agencies(
    panel_county,
):
    for panel_id in panel_county.panels:
        members = [m for m in panel_county.members if m["panel_id"] == panel_id]
        chairs = [m for m in members if m["role"] == "chair"]
        assert sorted(m["user__agency__code"] for m in chairs) == ["SYCS", "SYPOL"]
        assert all(m["user__role"] == "manager" for m in chairs)
        agencies = {m["user__agency__code"] for m in members}
        assert {"SYPOL", "SYCS", "SYHLTH", "SYEDU", "SYVOL"} <= agencies
        assert "panel" in {m["user__username"] for m in members}
        assert any(m["ended_on"] for m in members), "someone left and was replaced"
    mace = next(p for p in panel_county.panels.values() if p["panel_type"] == "mace")
    chair = next(
        m for m in panel_county.members if m["panel_id"] == mace["id"] and m["role"] == "chair"
        and m["user__agency__code"] == "SYCS"
    )  # fmt: skip
    assert chair["user__username"] == "manager", "a demo login chairs the MACE"


def test_every_held_meeting_has_attendees_and_most_members_attend(panel_county):
    by_meeting: dict[int, list[Row]] = defaultdict(list)
    for row in panel_county.attendance:
        by_meeting[row["meeting_id"]].append(row)
    statuses: Counter[str] = Counter()
    for meeting in panel_county.held():
        rows = by_meeting[meeting["id"]]
        assert any(r["status"] == "attended" for r in rows)
        members = {
            m["user_id"]
            for m in panel_county.members
            if m["panel_id"] == meeting["panel_id"]
            and m["started_on"] <= meeting["held_on"]
            and (m["ended_on"] is None or m["ended_on"] >= meeting["held_on"])
        }
        assert {r["user_id"] for r in rows if r["user_id"]} == members
        for r in rows:
            if r["user_id"] is None:
                assert r["name"], "a guest without a login is named"
            else:
                assert panel_county.users[r["user_id"]]["agency__code"] == r["agency__code"]
        statuses.update(r["status"] for r in rows)
        # Minutes go to those who attended or sent apologies.
        sent = {c["recipient_id"] for c in panel_county.circulations
                if c["meeting_id"] == meeting["id"]}  # fmt: skip
        assert sent == {r["user_id"] for r in rows if r["user_id"] and r["status"] != "absent"}
    total = sum(statuses.values())
    assert 0.7 <= statuses["attended"] / total <= 0.95
    assert statuses["apologies"] > 0 and statuses["absent"] > 0


def test_discussed_children_were_at_medium_or_high_at_the_time_or_brought_for_a_reason(
    panel_county,
):
    items = {i["id"]: i for i in panel_county.items}
    per_meeting: Counter[int] = Counter()
    for d in panel_county.discussions:
        meeting = panel_county.meetings[d["meeting_id"]]
        item = items[d["agenda_item_id"]]
        assert (item["meeting_id"], item["child_id"]) == (d["meeting_id"], d["child_id"])
        assert item["removed_at"] is None
        level = panel_county.level_on(d["child_id"], meeting["held_on"])
        assert level in ("medium", "high") or item["reason"] in ("escalated", "repeat_missing")
        if d["agreed_level"]:
            assert d["agreed_level"] == level
        per_meeting[d["meeting_id"]] += 1
    # Every agenda item still on a held meeting's agenda was discussed.
    discussed = {d["agenda_item_id"] for d in panel_county.discussions}
    for item in panel_county.items:
        held = panel_county.meetings[item["meeting_id"]]["status"] == "signed_off"
        if held and item["removed_at"] is None:
            assert item["id"] in discussed
        if item["removed_at"] is not None:
            assert item["removal_reason"] and item["removed_by_id"]
    counts = [per_meeting[m["id"]] for m in panel_county.held()]
    assert max(counts) <= 18
    assert sum(6 <= n <= 15 for n in counts) >= 0.8 * len(counts)
    reasons = Counter(i["reason"] for i in panel_county.items)
    assert {"new_risk", "review_due", "escalated", "repeat_missing"} <= set(reasons)
    assert reasons["new_risk"] >= 20 and reasons["review_due"] >= 20
    assert reasons["escalated"] + reasons["repeat_missing"] < 0.15 * sum(reasons.values())
    escalated = [i for i in panel_county.items if i["reason"] == "escalated"]
    linked = {e["agenda_item_id"] for e in panel_county.escalations}
    assert all(i["id"] in linked for i in escalated)
    nrm = Counter((d["nrm_threshold_met"], d["nrm_referral_agreed"])
                  for d in panel_county.discussions)  # fmt: skip
    assert nrm[(True, True)] >= 2 and nrm[(True, False)] >= 1
    assert nrm[(None, None)] > 0.8 * len(panel_county.discussions)


def test_children_discussed_at_medium_or_high_have_one_active_safety_plan(panel_county):
    plans_by_child: dict[int, list[Row]] = defaultdict(list)
    for plan in panel_county.plans.values():
        plans_by_child[plan["child_id"]].append(plan)
    for plans in plans_by_child.values():
        for kind in ("safety", "disruption"):
            assert sum(p["kind"] == kind and p["status"] == "active" for p in plans) <= 1
    for d in panel_county.discussions:
        meeting = panel_county.meetings[d["meeting_id"]]
        if panel_county.level_on(d["child_id"], meeting["held_on"]) not in ("medium", "high"):
            continue
        covering = [
            p
            for p in plans_by_child[d["child_id"]]
            if p["kind"] == "safety"
            and panel_county.meetings[p["meeting_id"]]["held_on"] <= meeting["held_on"]
            and (p["closed_on"] is None or p["closed_on"] > meeting["held_on"])
        ]
        assert len(covering) == 1, "one safety plan at a time"
    statuses = Counter((p["kind"], p["status"]) for p in panel_county.plans.values())
    assert statuses[("safety", "active")] >= 10 and statuses[("safety", "closed")] >= 1
    assert statuses[("disruption", "active")] >= 3
    for plan in panel_county.plans.values():
        created = plan["created_at"].astimezone(LONDON).date()
        assert created == panel_county.meetings[plan["meeting_id"]]["held_on"]
        if plan["status"] == "closed":
            assert created < plan["closed_on"] < ANCHOR
        else:
            assert plan["closed_on"] is None
        if plan["kind"] == "disruption":
            assert len(plan["subjects"].splitlines()) == 2


def test_actions_are_owned_across_agencies_and_mostly_done_with_some_overdue(panel_county):
    actions = panel_county.actions
    per_discussion = Counter((a["meeting_id"], panel_county.plans[a["plan_id"]]["child_id"])
                             for a in actions)  # fmt: skip
    assert set(per_discussion.values()) <= {2, 3, 4}
    assert {a["owner_agency__code"] for a in actions} >= {"SYCS", "SYPOL", "SYHLTH", "SYEDU"}
    assert {a["category"] for a in actions} == {"pursue", "prevent", "protect", "prepare"}
    overdue = late = done = 0
    for a in actions:
        meeting = panel_county.meetings[a["meeting_id"]]
        plan = panel_county.plans[a["plan_id"]]
        assert a["owner_agency_id"] == a["owner__agency_id"]
        assert 14 <= (a["due_on"] - meeting["held_on"]).days <= 56
        if a["status"] == "done":
            done += 1
            assert meeting["held_on"] < a["completed_on"] < ANCHOR
            assert a["evidence"]
            late += a["completed_on"] > a["due_on"]
        else:
            assert a["completed_on"] is None and not a["evidence"]
        if a["status"] in OPEN:
            assert plan["status"] == "active", "a closed plan has no open actions"
            overdue += a["due_on"] < ANCHOR
        if plan["status"] == "closed" and a["completed_on"]:
            assert a["completed_on"] <= plan["closed_on"]
    assert done > 0.6 * len(actions)
    assert 0.05 * done < late < 0.4 * done
    assert 0.08 <= overdue / len(actions) <= 0.18
    recent = [a for a in actions if a["due_on"] >= ANCHOR]
    assert recent and sum(a["status"] in OPEN for a in recent) > 0.7 * len(recent)


def test_the_demo_logins_own_a_realistic_number_of_actions(panel_county):
    owned = Counter(a["owner__username"] for a in panel_county.actions)
    still_open = Counter(a["owner__username"] for a in panel_county.actions
                         if a["status"] in OPEN)  # fmt: skip
    for username in DEMO_OWNERS:
        assert 10 <= owned[username] <= 40, username
        assert still_open[username] >= 1, username
    assert len({a["owner__username"] for a in panel_county.actions}) >= 30


def test_disruption_plans_lead_to_arrests_notices_and_visits(panel_county):
    tools = Counter(a["tool"] for a in panel_county.activities)
    assert {"arrest", "cawn", "s116_notice"} <= set(tools)
    for activity in panel_county.activities:
        plan = panel_county.plans[activity["plan_id"]]
        assert plan["kind"] == "disruption"
        assert panel_county.activity_children[activity["id"]] == [plan["child_id"]]
        meeting = panel_county.meetings[plan["meeting_id"]]
        assert meeting["held_on"] < activity["occurred_on"] < ANCHOR
        assert bool(activity["offence"]) == (activity["tool"] == "arrest")
        assert activity["place"] and activity["detail"]
        assert panel_county.users[activity["recorded_by_id"]]["agency__code"] == "SYPOL"
        if activity["tool"] == "cawn":
            child = panel_county.children[plan["child_id"]]
            dob, day = child["date_of_birth"], activity["occurred_on"]
            age = day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))
            assert age < 16 or (age < 18 and child["legal_status"] == "looked_after")


def test_records_pass_model_validation(panel_county):
    """Field lengths and choices, as full_clean would check them (the rows are written in bulk,
    without it)."""
    models = {
        Meeting: panel_county.meetings.values(),
        AgendaItem: panel_county.items,
        Discussion: panel_county.discussions,
        Plan: panel_county.plans.values(),
        Action: panel_county.actions,
        DisruptionActivity: panel_county.activities,
        Attendance: panel_county.attendance,
        Escalation: panel_county.escalations,
    }
    for model, rows in models.items():
        fields = {f.attname: f for f in model._meta.concrete_fields}
        for row in rows:
            for name, field in fields.items():
                value = row[name]
                if value in (None, "") or not getattr(field, "max_length", None):
                    continue
                assert len(value) <= field.max_length, (model.__name__, name, value)
                if field.choices:
                    assert value in {choice for choice, _ in field.choices}, (name, value)


def test_generated_text_is_written_in_children_first_language(panel_county):
    texts = {m[name] for m in panel_county.meetings.values()
             for name in ("minutes", "themes", "location")}  # fmt: skip
    texts |= {i[name] for i in panel_county.items for name in ("reason_detail", "removal_reason")}
    texts |= {e["reason"] for e in panel_county.escalations}
    texts |= {d[name] for d in panel_county.discussions
              for name in ("summary", "decisions", "outcome")}  # fmt: skip
    texts |= {p[name] for p in panel_county.plans.values() for name in ("summary", "subjects")}
    texts |= {a[name] for a in panel_county.actions for name in ("text", "evidence")}
    texts |= {a[name] for a in panel_county.activities
              for name in ("person", "place", "offence", "detail")}  # fmt: skip
    texts |= {p["terms_of_reference"] for p in panel_county.panels.values()}
    texts.discard("")
    assert len(texts) > 500
    assert {text: language_guidance(text) for text in texts if language_guidance(text)} == {}


@pytest.mark.parametrize("pronouns", [("her", "her"), ("him", "his"), ("them", "their")])
def test_every_template_reads_as_children_first_language_with_any_pronoun(pronouns):
    them, their = pronouns
    values = {
        "name": "Jordan", "them": them, "their": their, "place": "Carnford", "place2": "Wexley",
        "far_place": "Kingsmoor", "episodes": 4, "who": "Synthetshire Police",
        "reason": "Seen with adults in cars.", "person": "an adult known as 'Dex'",
        "where": "a flat on Mill Lane, Carnford", "nick": "Dex", "car": "black hatchback",
        "street": "Mill Lane", "done": 3, "total": 9,
    }  # fmt: skip
    templates: list[str] = []
    for value in vars(w).values():
        if isinstance(value, tuple):
            for item in value:
                if isinstance(item, w.ActionText):
                    templates += [item.text, item.evidence]
                elif isinstance(item, tuple):
                    templates.append(item[0])
                else:
                    templates.append(item)
        elif isinstance(value, dict):
            for group in value.values():
                templates += list(group) if isinstance(group, tuple) else [group]
        elif isinstance(value, str) and "{" in value:
            templates.append(value)
    texts = [t.format_map(values) for t in templates if isinstance(t, str) and t]
    assert len(texts) > 150
    assert {text: language_guidance(text) for text in texts if language_guidance(text)} == {}


def test_the_panel_counts_appear_in_the_county_counts(panel_county):
    counts = panel_county.counts
    assert counts["panels"] == 2
    assert counts["meetings"] == len(panel_county.meetings) == 50
    assert counts["agenda items"] == len(panel_county.items)
    assert counts["discussions"] == len(panel_county.discussions) >= 250
    assert counts["safety and disruption plans"] == len(panel_county.plans) >= 60
    assert counts["plan actions"] == len(panel_county.actions) >= 500
    assert counts["disruption activities"] == len(panel_county.activities) >= 10
    assert counts["attendance records"] == len(panel_county.attendance)
    assert counts["members of panels"] == len(panel_county.members)
