"""The synthetic county's missing episodes, return home interviews, repeat-missing alerts and
Philomena profiles: realistic, consistent with the rules the app applies, children-first, and the
same for the same seed."""

from __future__ import annotations

import bisect
import itertools
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from io import StringIO
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Max
from django.test import override_settings
from django.utils import timezone

from cairn.accounts.models import User
from cairn.children.models import Child, Placement
from cairn.demo import missing_wording as w
from cairn.demo.generator import county_generate, database_flush
from cairn.language.services import language_guidance
from cairn.missing.models import (
    Concern,
    InterviewAttempt,
    MissingEpisode,
    PhilomenaProfile,
    PoliceRisk,
    RepeatMissingAlert,
    ReturnInterview,
)
from cairn.missing.services import repeat_missing_alerts_refresh
from cairn.risk.models import RiskAssessment
from tests.demo.conftest import ANCHOR

COUNTY_ANCHOR = ANCHOR  # 31 March 2025
COUNTY_SIZE = 500
LONDON = timezone.get_default_timezone()
HORIZON = datetime.combine(COUNTY_ANCHOR, time(0), tzinfo=LONDON).astimezone(UTC)
WINDOW = timedelta(days=90)
CLOCK = timedelta(hours=72)
EPISODE_TEXT = ("last_seen_place", "last_seen_with", "clothing_worn", "reported_by",
                "found_place", "found_with", "travel")  # fmt: skip
INTERVIEW_TEXT = ("declined_reason", "not_held_reason", "push_factors", "pull_factors",
                  "where_stayed", "with_whom", "travel", "harm_detail", "support_offered",
                  "intelligence_shared_with", "summary")  # fmt: skip
PROFILE_TEXT = ("height", "build", "hair", "eyes", "distinguishing_features", "clothing_style",
                "phones", "social_media", "associates", "places", "risk_locations",
                "medical_needs", "vulnerabilities", "languages")  # fmt: skip
Row = dict[str, Any]


@dataclass
class County:
    """One 500-child county's missing records, read once into plain Python for every test."""

    children: dict[int, Row]
    placements: dict[int, list[Row]]  # by child, in date order
    episodes: list[Row]  # by child, then in the order reported
    interviews: dict[int, Row]  # by episode
    attempts: dict[int, list[Row]]  # by interview
    alerts: list[Row]
    profiles: list[Row]
    assessments: dict[int, list[Row]]  # by child
    users: dict[int, Row]
    raised_at_the_anchor: int  # alerts repeat_missing_alerts_refresh raises after generation

    def by_child(self) -> dict[int, list[Row]]:
        found: dict[int, list[Row]] = defaultdict(list)
        for episode in self.episodes:
            found[episode["child_id"]].append(episode)
        return found

    def placement_on(self, child_id: int, day: date) -> Row:
        placements = self.placements[child_id]
        starts = [p["start_date"] for p in placements]
        return placements[bisect.bisect_right(starts, day) - 1]


def _read_county() -> County:
    placements: dict[int, list[Row]] = defaultdict(list)
    for p in Placement.objects.order_by("child_id", "start_date").values():
        placements[p["child_id"]].append(p)
    attempts: dict[int, list[Row]] = defaultdict(list)
    for a in InterviewAttempt.objects.order_by("attempted_at").values():
        attempts[a["interview_id"]].append(a)
    assessments: dict[int, list[Row]] = defaultdict(list)
    for a in RiskAssessment.objects.order_by("assessed_on", "id").values(
        "child_id", "assessed_on", "level", "exploitation_types"
    ):
        assessments[a["child_id"]].append(a)
    # What the app's own rule raises now, at the anchor and later: nothing new.
    child_ids = list(
        MissingEpisode.objects.order_by().values_list("child_id", flat=True).distinct()
    )
    raised = 0
    for now in (HORIZON + timedelta(hours=9), HORIZON + timedelta(days=40)):
        with mock.patch("django.utils.timezone.now", return_value=now):
            raised += len(repeat_missing_alerts_refresh(child_ids))
    return County(
        children={c["id"]: c for c in Child.objects.values()},
        placements=placements,
        episodes=list(
            MissingEpisode.objects.order_by("child_id", "reported_at", "id").values(
                *[f.name if not f.is_relation else f.attname for f in MissingEpisode._meta.fields],
                "placement__placement_type",
                "agency__code",
            )
        ),
        interviews={
            i["episode_id"]: i
            for i in ReturnInterview.objects.values(
                *[f.attname for f in ReturnInterview._meta.fields],
                "interviewer_agency__code",
                "episode__episode_ref",
            )
        },
        attempts=attempts,
        alerts=list(RepeatMissingAlert.objects.order_by("child_id", "raised_at", "id").values()),
        profiles=list(PhilomenaProfile.objects.values()),
        assessments=assessments,
        users={u["id"]: u for u in User.objects.values("id", "role", "agency__code", "team__name")},
        raised_at_the_anchor=raised,
    )


@pytest.fixture(scope="module")
def missing_county(django_db_setup, django_db_blocker) -> County:  # type: ignore[no-untyped-def]
    """Generated once for the module, read into memory, and rolled back."""
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=fast),
        transaction.atomic(),
    ):
        county_generate(seed=5, children=COUNTY_SIZE, anchor=COUNTY_ANCHOR)
        data = _read_county()
        transaction.set_rollback(True)
    return data


def _snapshot() -> dict[str, list[tuple]]:  # type: ignore[type-arg]
    """The missing records as a person would see them, without database ids or timestamps."""
    return {
        "episodes": list(
            MissingEpisode.objects.order_by("episode_ref").values_list(
                "episode_ref", "child__child_ref", "placement__placement_ref", "agency__code",
                "recorded_by__username", "last_seen_at", "reported_at", "returned_at",
                "police_risk", "police_reference", "concerns", "found_ward__code", "out_of_area",
                *EPISODE_TEXT,
            )
        ),
        "interviews": list(
            ReturnInterview.objects.order_by("interview_ref").values_list(
                "interview_ref", "agency__code", "offered_at", "completed_at", "declined",
                "interviewer__username", "interviewer_name", "harm_disclosed",
                "intelligence_shared", *INTERVIEW_TEXT,
            )
        ),
        "attempts": sorted(
            InterviewAttempt.objects.values_list(
                "interview__interview_ref", "attempted_at", "note", "recorded_by__username"
            )
        ),
        "alerts": sorted(
            RepeatMissingAlert.objects.values_list(
                "child__child_ref", "episode__episode_ref", "episodes", "raised_at",
                "acknowledged_at", "acknowledged_by__username", "note",
            )
        ),
        "profiles": sorted(
            PhilomenaProfile.objects.values_list(
                "child__child_ref", "reviewed_on", "reviewed_by__username",
                "placement_at_review__placement_ref", *PROFILE_TEXT,
            )
        ),
    }  # fmt: skip


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_missing_histories_whatever_the_batch_size():
    county_generate(seed=11, children=120, anchor=ANCHOR)
    first = _snapshot()
    database_flush()
    county_generate(seed=11, children=120, anchor=ANCHOR, batch_size=7)
    assert _snapshot() == first
    assert all(first[kind] for kind in ("episodes", "interviews", "alerts", "profiles"))
    database_flush()
    county_generate(seed=12, children=120, anchor=ANCHOR)
    assert _snapshot()["episodes"] != first["episodes"]


def test_about_one_child_in_ten_goes_missing_and_most_of_them_once_or_twice(missing_county):
    counts = Counter(e["child_id"] for e in missing_county.episodes)
    assert 0.07 <= len(counts) / COUNTY_SIZE <= 0.13
    once_or_twice = sum(1 for n in counts.values() if n <= 2)
    assert once_or_twice / len(counts) >= 0.55


def test_a_handful_of_children_go_missing_many_times_from_one_childrens_home(missing_county):
    from_one = Counter((e["child_id"], e["placement_id"]) for e in missing_county.episodes)
    many = {key: n for key, n in from_one.items() if n >= 10}
    assert 1 <= len({child for child, _ in many}) <= 10, "a handful in every 500 children"
    for (child_id, placement_id), n in many.items():
        placement = next(p for p in missing_county.placements[child_id] if p["id"] == placement_id)
        assert placement["placement_type"] == "childrens_home"
        assert n <= 30
    # In a year, the home's episodes can all be one child's: "13 episodes, 1 child".
    by_home_year: dict[tuple[str, int], set[int]] = defaultdict(set)
    episodes_home_year: Counter[tuple[str, int]] = Counter()
    for e in missing_county.episodes:
        if e["placement__placement_type"] == "childrens_home":
            key = (e["placement_id"], e["reported_at"].astimezone(LONDON).year)
            by_home_year[key].add(e["child_id"])
            episodes_home_year[key] += 1
    assert any(
        episodes_home_year[key] >= 10 and len(children) == 1
        for key, children in by_home_year.items()
    )


def test_children_at_risk_and_children_in_childrens_homes_go_missing_more(missing_county):
    missing = {e["child_id"] for e in missing_county.episodes}
    at_risk = {
        child
        for child, history in missing_county.assessments.items()
        if any(a["level"] in ("medium", "high") for a in history)
    }
    homes = {
        child
        for child, placements in missing_county.placements.items()
        if any(p["placement_type"] == "childrens_home" for p in placements)
    }
    everyone = set(missing_county.children)

    def rate(children: set[int]) -> float:
        return len(children & missing) / len(children)

    assert rate(at_risk) > 2 * rate(everyone - at_risk)
    assert rate(homes) > 2 * rate(everyone - homes)
    # Episodes cluster around the child's risk: most of an at-risk child's episodes fall in
    # the months when they were assessed at low or above (or just before).
    near = total = 0
    for e in missing_county.episodes:
        history = missing_county.assessments.get(e["child_id"], [])
        if not any(a["level"] != "none" for a in history):
            continue
        day = e["last_seen_at"].astimezone(LONDON).date()
        total += 1
        near += any(
            a["level"] != "none"
            and day - timedelta(days=120) <= a["assessed_on"] <= day + timedelta(days=60)
            for a in history
        )
    assert near / total >= 0.6


def test_episodes_peak_in_the_summer_and_mostly_begin_in_the_evening_or_at_night(missing_county):
    """Months with an episode per month a child was known (from the age of ten): every child's
    time known ends at the anchor (31 March), so raw counts favour the latest months."""
    episode_months = {
        (e["child_id"], (moment := e["last_seen_at"].astimezone(LONDON)).year, moment.month)
        for e in missing_county.episodes
    }
    with_episode = Counter(month for _, _, month in episode_months)
    known = Counter()
    for child_id in {child for child, _, _ in episode_months}:
        dob = missing_county.children[child_id]["date_of_birth"]
        first = max(
            missing_county.placements[child_id][0]["start_date"],
            date(dob.year + 10, dob.month, min(dob.day, 28)),
        )
        year, month = first.year, first.month
        while (year, month) <= (COUNTY_ANCHOR.year, COUNTY_ANCHOR.month):
            known[month] += 1
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    summer = (6, 7, 8)
    rest = [m for m in range(1, 13) if m not in summer]

    def rate(months: Sequence[int]) -> float:
        return sum(with_episode[m] for m in months) / sum(known[m] for m in months)

    assert rate(summer) > 1.2 * rate(rest)
    hours = Counter(e["last_seen_at"].astimezone(LONDON).hour for e in missing_county.episodes)
    evening_or_night = sum(hours[h] for h in (*range(17, 24), 0, 1, 2))
    assert evening_or_night / len(missing_county.episodes) >= 0.5


def test_episode_times_follow_each_other_and_fall_before_the_anchor(missing_county):
    open_episodes = 0
    for child_id, episodes in missing_county.by_child().items():
        for earlier, later in itertools.pairwise(episodes):
            assert earlier["returned_at"] is not None, "only the latest episode can be open"
            assert earlier["returned_at"] < later["last_seen_at"]
        for e in episodes:
            seen, reported, returned = e["last_seen_at"], e["reported_at"], e["returned_at"]
            assert seen < reported < HORIZON
            assert reported - seen <= timedelta(hours=8)
            if returned is None:
                open_episodes += 1
                assert HORIZON - seen <= timedelta(days=5), "still missing: a recent episode"
                assert not e["found_place"] and e["found_ward_id"] is None
            else:
                assert reported <= returned < HORIZON
                assert returned - seen <= timedelta(days=7, hours=1)
            placement = missing_county.placement_on(child_id, seen.astimezone(LONDON).date())
            assert e["placement_id"] == placement["id"], "the placement they went missing from"
            if e["out_of_area"]:
                assert e["found_ward_id"] is None
    assert 1 <= open_episodes <= 10


def test_police_grades_concerns_and_references_are_plausible(missing_county):
    episodes = missing_county.episodes
    grades = Counter(e["police_risk"] for e in episodes)
    assert set(grades) == set(PoliceRisk.values)
    assert grades["medium"] > 0.4 * len(episodes)
    references = [e["police_reference"] for e in episodes]
    assert len(set(references)) == len(references)
    assert sum(e["out_of_area"] for e in episodes) >= 5
    assert sum(bool(e["clothing_worn"]) for e in episodes) >= 0.2 * len(episodes)
    assert {e["agency__code"] for e in episodes} == {"SYPOL", "SYCS"}
    for e in episodes:
        assert set(e["concerns"]) <= set(Concern.values)
        types = {t for a in missing_county.assessments.get(e["child_id"], [])
                 for t in a["exploitation_types"]}  # fmt: skip
        if "sexual" in e["concerns"]:
            assert types & {"sexual", "online"}
        if "criminal" in e["concerns"]:
            assert types & {"criminal", "county_lines"}
        if "trafficking" in e["concerns"]:
            assert types & {"trafficking", "labour"}


def test_interviews_are_only_for_returned_episodes_and_never_both_completed_and_declined(
    missing_county,
):
    episodes = {e["id"]: e for e in missing_county.episodes}
    returned = [e for e in missing_county.episodes if e["returned_at"] is not None]
    interviews = missing_county.interviews
    assert 0 < len(returned) - len(interviews) <= 0.1 * len(returned), "a few have no record"
    outcomes: Counter[str] = Counter()
    for episode_id, i in interviews.items():
        e = episodes[episode_id]
        child = missing_county.children[e["child_id"]]
        assert e["returned_at"] is not None
        assert i["interview_ref"] == f"RHI-{i['episode__episode_ref']}"
        assert not (i["completed_at"] and i["declined"])
        assert bool(i["declined"]) == bool(i["declined_reason"])
        if i["not_held_reason"]:
            assert not i["completed_at"] and not i["declined"]
        for moment in (i["offered_at"], i["completed_at"]):
            assert moment is None or e["returned_at"] < moment < HORIZON
        if i["completed_at"] and i["offered_at"]:
            assert i["offered_at"] <= i["completed_at"]
        # Named when held or declined: a worker independent of the child's care.
        held = bool(i["completed_at"] or i["declined"])
        assert (i["interviewer_id"] is not None) == held
        if held:
            assert i["interviewer_id"] != child["lead_professional_id"]
            assert i["interviewer_agency__code"] in ("SYVOL", "SYCS")
            assert i["interviewer_name"]
        if i["completed_at"]:
            assert i["summary"] and i["push_factors"] and i["pull_factors"]
        else:
            assert not i["summary"] and not i["harm_detail"]
        assert i["harm_disclosed"] == bool(i["harm_detail"])
        assert i["intelligence_shared"] == bool(i["intelligence_shared_with"])
        for attempt in missing_county.attempts[i["id"]]:
            assert e["returned_at"] < attempt["attempted_at"] < HORIZON
            assert attempt["note"] and attempt["recorded_by_id"]
            if i["completed_at"]:
                assert attempt["attempted_at"] < i["completed_at"]
        outcomes[
            "completed" if i["completed_at"] else "declined" if i["declined"]
            else "not_held" if i["not_held_reason"] else "open"
        ] += 1  # fmt: skip
    assert min(outcomes["completed"], outcomes["declined"], outcomes["not_held"]) >= 3
    assert sum(1 for i in interviews.values() if i["harm_disclosed"]) >= 3
    assert sum(1 for i in interviews.values() if i["intelligence_shared"]) >= 5
    assert sum(1 for attempts in missing_county.attempts.values() if attempts) >= 10
    # Interviews still to do are recent: older unsuccessful attempts were closed.
    for episode_id, i in interviews.items():
        if not (i["completed_at"] or i["declined"] or i["not_held_reason"]):
            assert HORIZON - episodes[episode_id]["returned_at"] <= timedelta(days=30)


def test_more_interviews_are_completed_within_72_hours_in_recent_years(missing_county):
    recent, earlier = Counter(), Counter()
    offered = 0
    returned = [e for e in missing_county.episodes if e["returned_at"] is not None]
    for e in returned:
        i = missing_county.interviews.get(e["id"])
        tally = recent if HORIZON - e["returned_at"] <= timedelta(days=730) else earlier
        tally["returns"] += 1
        if i and i["completed_at"] and i["completed_at"] - e["returned_at"] <= CLOCK:
            tally["within"] += 1
        if i and i["offered_at"] and i["offered_at"] - e["returned_at"] <= CLOCK:
            offered += 1
    assert recent["returns"] >= 50 and earlier["returns"] >= 15
    recent_rate = recent["within"] / recent["returns"]
    earlier_rate = earlier["within"] / earlier["returns"]
    assert 0.6 <= recent_rate <= 0.85
    assert recent_rate > earlier_rate + 0.08
    assert offered / len(returned) >= 0.8


def test_repeat_missing_alerts_follow_the_rule_the_app_applies(missing_county):
    by_child = missing_county.by_child()
    episodes = {e["id"]: e for e in missing_county.episodes}
    alerts: dict[int, list[Row]] = defaultdict(list)
    for alert in missing_county.alerts:
        alerts[alert["child_id"]].append(alert)
    assert len(alerts) >= 5
    for child_id, raised in alerts.items():
        history = by_child[child_id]
        reported = [e["reported_at"] for e in history]
        assert sum(a["acknowledged_at"] is None for a in raised) <= 1
        for before, alert in itertools.pairwise(raised):
            assert before["acknowledged_at"] is not None
            assert before["acknowledged_at"] <= alert["raised_at"], "one open alert at a time"
            assert (
                episodes[before["episode_id"]]["reported_at"]
                < (episodes[alert["episode_id"]]["reported_at"])
            )
        for alert in raised:
            episode = episodes[alert["episode_id"]]
            assert episode["child_id"] == child_id
            latest = history[bisect.bisect_right(reported, alert["raised_at"]) - 1]
            assert latest["id"] == episode["id"], "raised for the latest episode at the time"
            assert alert["raised_at"] - episode["reported_at"] < WINDOW
            in_window = [r for r in reported if episode["reported_at"] - WINDOW < r
                         <= episode["reported_at"]]  # fmt: skip
            assert alert["episodes"] == len(in_window) >= 3
            assert alert["window_days"] == 90
            assert alert["raised_at"] < HORIZON
            if alert["acknowledged_at"] is not None:
                assert alert["raised_at"] < alert["acknowledged_at"] < HORIZON
                assert alert["note"] and alert["acknowledged_by_id"]
                assert missing_county.users[alert["acknowledged_by_id"]]["agency__code"] == "SYCS"
            else:
                assert not alert["note"] and alert["acknowledged_by_id"] is None
    assert any(a["acknowledged_at"] is None for a in missing_county.alerts)
    assert sum(a["acknowledged_at"] is not None for a in missing_county.alerts) >= 5
    # Every child with 3 episodes in 90 days had an alert raised at some point.
    for child_id, history in by_child.items():
        reported = [e["reported_at"] for e in history]
        repeat = any(reported[k] - reported[k - 2] < WINDOW for k in range(2, len(reported)))
        assert repeat == (child_id in alerts)
    # The app's own rule, run at the anchor and later, finds nothing more to raise.
    assert missing_county.raised_at_the_anchor == 0


def test_generated_text_is_written_in_children_first_language(missing_county):
    texts = {e[name] for e in missing_county.episodes for name in EPISODE_TEXT}
    texts |= {i[name] for i in missing_county.interviews.values() for name in INTERVIEW_TEXT}
    texts |= {a["note"] for attempts in missing_county.attempts.values() for a in attempts}
    texts |= {a["note"] for a in missing_county.alerts}
    texts |= {p[name] for p in missing_county.profiles for name in PROFILE_TEXT}
    texts.discard("")
    assert len(texts) > 500
    assert {text: language_guidance(text) for text in texts if language_guidance(text)} == {}


@pytest.mark.parametrize(
    "pronouns", [("she", "her", "her"), ("he", "him", "his"), ("they", "them", "their")]
)
def test_every_template_reads_as_children_first_language_with_any_pronoun(pronouns):
    they, them, their = pronouns
    values = {
        "name": "Jordan", "they": they, "them": them, "their": their, "They": they.title(),
        "place": "Carnford", "place2": "Wexley", "far_place": "Kingsmoor", "home": "home",
        "carer": "key worker", "school": "Carnford Academy", "meeting": "at school",
    }  # fmt: skip
    templates: list[str] = []
    for value in vars(w).values():
        if isinstance(value, tuple):
            templates += [t[0] if isinstance(t, tuple) else t for t in value]
        elif isinstance(value, dict):
            for group in value.values():
                templates += list(group) if isinstance(group, tuple) else []
    texts = [t.format_map(values) for t in templates if isinstance(t, str) and t]
    assert len(texts) > 100
    assert {text: language_guidance(text) for text in texts if language_guidance(text)} == {}


def test_looked_after_children_have_philomena_profiles_reviewed_in_the_last_six_months(
    missing_county,
):
    looked_after = {c for c, child in missing_county.children.items()
                    if child["legal_status"] == "looked_after"}  # fmt: skip
    profiled = [p["child_id"] for p in missing_county.profiles]
    assert len(set(profiled)) == len(profiled)
    assert set(profiled) <= looked_after, "profiles are for looked-after children only"
    assert len(profiled) >= 0.8 * len(looked_after)
    overdue = 0
    for p in missing_county.profiles:
        placements = missing_county.placements[p["child_id"]]
        placement = next(pl for pl in placements if pl["id"] == p["placement_at_review_id"])
        assert placement["start_date"] <= p["reviewed_on"] <= COUNTY_ANCHOR
        assert placement["end_date"] is None or p["reviewed_on"] <= placement["end_date"]
        in_care = [pl for pl in placements if pl["placement_type"] != "home"]
        assert in_care and in_care[0]["start_date"] <= p["reviewed_on"]
        overdue += COUNTY_ANCHOR - p["reviewed_on"] > timedelta(days=183)
        reviewer = missing_county.users[p["reviewed_by_id"]]
        assert reviewer["agency__code"] == "SYCS" and reviewer["role"] == "practitioner"
        assert p["phones"].startswith("Mobile 07700 900"), "Ofcom's drama range"
        assert p["height"] and p["hair"] and p["eyes"] and p["languages"]
    assert 1 <= overdue <= 0.3 * len(profiled)


@pytest.mark.django_db
def test_generated_missing_records_pass_model_validation():
    county_generate(seed=5, children=150, anchor=ANCHOR)
    for model in (MissingEpisode, ReturnInterview, InterviewAttempt, RepeatMissingAlert,
                  PhilomenaProfile):  # fmt: skip
        records = list(model.objects.order_by("id")[:40])
        assert records, model.__name__
        for record in records:
            record.full_clean()
    episode = MissingEpisode.objects.first()
    later = MissingEpisode.objects.create(
        episode_ref="ME-T-1",
        child=episode.child,
        agency=episode.agency,
        last_seen_at=HORIZON,
        reported_at=HORIZON,
    )
    interview = ReturnInterview.objects.create(
        interview_ref="RHI-T-1", episode=later, agency=episode.agency
    )
    for record in (later, interview):
        others = type(record).objects.exclude(pk=record.pk)
        assert record.pk > others.aggregate(largest=Max("pk"))["largest"]


@pytest.mark.django_db
def test_generate_can_give_every_child_exactly_n_episodes_for_benchmarks():
    out = StringIO()
    call_command(
        "generate", "--children", "40", "--anchor", "2025-03-31", "--episodes-per-child", "4",
        stdout=out, stderr=StringIO(),
    )  # fmt: skip
    counts = Child.objects.annotate(n=Count("missing_episodes")).values_list("n", flat=True)
    assert sorted(set(counts)) == [4]
    assert "missing episodes" in out.getvalue() and "Philomena profiles" in out.getvalue()
    assert ReturnInterview.objects.count() >= 100
    for child in Child.objects.prefetch_related("missing_episodes", "placements"):
        first = min(p.start_date for p in child.placements.all())
        for episode in child.missing_episodes.all():
            assert first <= timezone.localtime(episode.last_seen_at).date() < ANCHOR
