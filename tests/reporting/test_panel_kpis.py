"""`meetings.*` and `actions.*` KPIs: a hand-checked partnership, and a reference computation.

Geography is `tests/reporting/conftest.py`'s: division EAST holds wards A and B, WEST holds C,
ward D has no division. The main period is the summer quarter 2024-04-01 to 2024-06-30, which is
exactly 91 days long, so its 3-month look-back is the quarter itself.

| meeting | type     | held on    | status           | children discussed |
|---------|----------|------------|------------------|--------------------|
| M1      | mace     | 2024-04-01 | held             | ava (A), ben (A)   |
| M2      | risk     | 2024-06-30 | signed off       | cara (B)           |
| M3      | risk     | 2024-07-01 | held             | dev (C)            |
| M4      | mace     | 2024-03-31 | held             | eli (no ward)      |
| M5      | strategy | 2024-05-10 | planned          | fay (D)            |
| M6      | mace     | 2024-05-20 | agenda published | gus (C)            |
| M7      | risk     | 2024-05-21 | cancelled        | dev (C)            |
| M8      | other    | 2024-06-01 | held             | (nobody)           |
| M9      | mase     | 2024-05-05 | held             | ava (A), dev (C)   |

| child | ward | assessments                         | actions (due: status, completed)    |
|-------|------|-------------------------------------|-------------------------------------|
| ava   | A    | high 2024-02-01                     | 04-01 done 04-01; 06-30 done 07-01  |
| ben   | A    | medium 2024-03-01 → none 2024-06-30 |                                     |
| cara  | B    | low 2024-01-01 → high 2024-07-01    | 05-15 done 05-01                    |
| dev   | C    | medium 2024-06-30                   | 05-20 open; 05-21 cancelled         |
| eli   | -    | high 2024-01-01                     | 03-31 done 03-31                    |
| fay   | D    | medium 2024-04-10                   | 07-01 open                          |
| gus   | C    | high 2024-05-01                     | 06-15 in progress                   |
| hal   | B    | medium 2024-02-02                   |                                     |

Figures are worked next to each test.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cairn.accounts.models import Agency, User
from cairn.children.models import Child
from cairn.core.models import Division, Ward
from cairn.panels.models import Action, Discussion, Meeting, Panel, Plan
from cairn.reporting import kpis as kpis_module
from cairn.reporting.kpis import KPIS, kpi_values, percent
from tests.factories import UserFactory
from tests.reporting.conftest import assess, geography

MEETINGS = ("meetings.held", "meetings.risk_held", "meetings.children_discussed")
CODES = MEETINGS + ("meetings.medium_high_discussed_pct", "actions.completed_by_due_pct")

_refs = itertools.count(1)


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def kpis(date_from: str, date_to: str, area: str | None = None) -> dict[str, object]:
    values = kpi_values(date_from=day(date_from), date_to=day(date_to), area_code=area)
    return {code: values[code] for code in CODES}


def figures(
    held: int, risk: int, children: int, recent: tuple[int, int], actions: tuple[int, int]
) -> dict[str, object]:
    """The five figures; `recent` is (discussed, children at medium or high), `actions` is
    (done by the due date, due)."""
    return {
        "meetings.held": held,
        "meetings.risk_held": risk,
        "meetings.children_discussed": children,
        "meetings.medium_high_discussed_pct": percent(*recent),
        "actions.completed_by_due_pct": percent(*actions),
    }


@dataclass
class Partnership:
    agency: Agency
    owner: User
    panel: Panel
    wards: dict[str, Ward]
    divisions: dict[str, Division]
    children: dict[str, Child]


def make_child(agency: Agency, name: str, ward: Ward | None) -> Child:
    return Child.objects.create(
        child_ref=f"PK-{next(_refs):04d}",
        agency=agency,
        given_name=name.title(),
        family_name="Testchild",
        ward=ward,
    )


def make_meeting(panel: Panel, meeting_type: str, held_on: dt.date, status: str) -> Meeting:
    return Meeting.objects.create(
        meeting_ref=f"PK-MT-{next(_refs)}",
        panel=panel,
        meeting_type=meeting_type,
        held_on=held_on,
        status=status,
    )


def make_action(
    child: Child, owner: User, due: dt.date, status: str, completed: dt.date | None = None
) -> Action:
    plan = Plan.objects.filter(child=child).first() or Plan.objects.create(
        child=child, kind="safety"
    )
    return Action.objects.create(
        plan=plan,
        text="Visit the hotel with licensing",
        owner=owner,
        owner_agency=owner.agency,
        due_on=due,
        category="protect",
        status=status,
        completed_on=completed,
    )


MEETING_ROWS = {
    "M1": ("mace", "2024-04-01", "held", ("ava", "ben")),
    "M2": ("risk", "2024-06-30", "signed_off", ("cara",)),
    "M3": ("risk", "2024-07-01", "held", ("dev",)),
    "M4": ("mace", "2024-03-31", "held", ("eli",)),
    "M5": ("strategy", "2024-05-10", "planned", ("fay",)),
    "M6": ("mace", "2024-05-20", "agenda_published", ("gus",)),
    "M7": ("risk", "2024-05-21", "cancelled", ("dev",)),
    "M8": ("other", "2024-06-01", "held", ()),
    "M9": ("mase", "2024-05-05", "held", ("ava", "dev")),
}
CHILD_ROWS = {
    "ava": ("A", [("2024-02-01", "high")]),
    "ben": ("A", [("2024-03-01", "medium"), ("2024-06-30", "none")]),
    "cara": ("B", [("2024-01-01", "low"), ("2024-07-01", "high")]),
    "dev": ("C", [("2024-06-30", "medium")]),
    "eli": (None, [("2024-01-01", "high")]),
    "fay": ("D", [("2024-04-10", "medium")]),
    "gus": ("C", [("2024-05-01", "high")]),
    "hal": ("B", [("2024-02-02", "medium")]),
}
ACTION_ROWS = (
    ("ava", "2024-04-01", "done", "2024-04-01"),
    ("ava", "2024-06-30", "done", "2024-07-01"),
    ("cara", "2024-05-15", "done", "2024-05-01"),
    ("dev", "2024-05-20", "open", None),
    ("dev", "2024-05-21", "cancelled", None),
    ("eli", "2024-03-31", "done", "2024-03-31"),
    ("fay", "2024-07-01", "open", None),
    ("gus", "2024-06-15", "in_progress", None),
)


@pytest.fixture
def partnership(db) -> Partnership:  # type: ignore[no-untyped-def]
    agency = Agency.objects.create(code="SCC", name="Synthetshire Children's Services")
    owner = UserFactory(agency=agency, password=None)
    divisions, wards = geography()
    panel = Panel.objects.create(name="Synthetshire MACE", panel_type="mace")
    kids = {}
    for name, (ward, history) in CHILD_ROWS.items():
        kids[name] = make_child(agency, name, wards[ward] if ward else None)
        for on, level in history:
            assess(kids[name], on, level, agency)
    for meeting_type, held_on, status, names in MEETING_ROWS.values():
        meeting = make_meeting(panel, meeting_type, day(held_on), status)
        for name in names:
            Discussion.objects.create(meeting=meeting, child=kids[name])
    for name, due, status, completed in ACTION_ROWS:
        make_action(kids[name], owner, day(due), status, day(completed) if completed else None)
    return Partnership(agency, owner, panel, wards, divisions, kids)


def test_the_summer_quarter(partnership) -> None:
    # Held in the quarter: M1 (first day), M2 (last day, signed off), M8 (no discussions), M9
    #   = 4. Not M3 (the day after), M4 (the day before), M5 (planned), M6 (agenda published,
    #   not held), M7 (cancelled). Risk: M2 = 1.
    # Children discussed at those: ava, ben (M1), cara (M2), ava, dev (M9) = 4.
    # At medium or high on 30 June: ava (high), dev (medium on the last day), eli, fay, gus,
    #   hal = 6; not ben (none on 30 June), cara (low until 1 July). Discussed at a meeting held
    #   from 1 April to 30 June: ava (M1, M9), dev (M9) = 2; not eli (M4 on 31 March), fay (M5
    #   planned), gus (M6 not held), hal (never) -> 33.3%.
    # Actions due: ava 1 Apr (done that day: on time), ava 30 Jun (done 1 Jul: late), cara
    #   (done early), dev 20 May (open), gus (in progress) = 5; dev's cancelled one is left out,
    #   eli's (31 Mar) and fay's (1 Jul) fall outside. On time 2 -> 40.0%.
    values = kpis("2024-04-01", "2024-06-30")

    assert values == figures(4, 1, 4, (2, 6), (2, 5))
    assert values["meetings.medium_high_discussed_pct"] == 33.3
    assert values["actions.completed_by_due_pct"] == 40.0


def test_the_first_and_last_days(partnership) -> None:
    # 1 April: M1 (ava, ben). Look-back 3 January to 1 April: M4 (eli, 31 March) and M1.
    #   At medium or high on 1 April: ava, ben (medium), eli, hal = 4 (fay from 10 April, dev
    #   and gus later); discussed: ava, ben, eli = 3 -> 75.0%. Actions due: ava's, on time.
    assert kpis("2024-04-01", "2024-04-01") == figures(1, 0, 2, (3, 4), (1, 1))
    # 30 June: M2 (cara, risk). The same look-back as the quarter: 33.3%. Actions due: ava's,
    #   done a day late -> 0.0%.
    values = kpis("2024-06-30", "2024-06-30")
    assert values == figures(1, 1, 1, (2, 6), (0, 1))
    assert values["actions.completed_by_due_pct"] == 0.0


def test_the_look_back_is_91_days_to_the_period_end(partnership) -> None:
    # To 29 June: look-back 31 March to 29 June, so M4 (31 March) counts and eli is discussed.
    #   dev's first assessment (30 June) is after the end, and ben is still medium: ava (M1,
    #   M9), ben (M1), eli (M4) discussed of ava, ben, eli, fay, gus, hal -> 3 of 6 = 50.0%.
    assert kpis("2024-04-01", "2024-06-29")["meetings.medium_high_discussed_pct"] == 50.0
    # To 1 July: look-back 2 April to 1 July: M1 drops out. ben is off (none); cara is high
    #   (1 July) and discussed at M2; dev at M9 and M3: ava, cara, dev of ava, cara, dev, eli,
    #   fay, gus, hal -> 3 of 7 = 42.9%.
    assert kpis("2024-07-01", "2024-07-01")["meetings.medium_high_discussed_pct"] == 42.9


def test_a_ward_counts_meetings_about_its_children(partnership) -> None:
    # Ward A (ava, ben): M1, M9 = 2 meetings, no risk meeting; children 2. At medium or high:
    #   ava, discussed -> 100.0%. Actions: ava's two, one on time -> 50.0%.
    assert kpis("2024-04-01", "2024-06-30", "E05000001") == figures(2, 0, 2, (1, 1), (1, 2))
    # Ward D (fay): M5 is only planned; fay not discussed -> 0.0%; her action is due in July.
    assert kpis("2024-04-01", "2024-06-30", "E05000004") == figures(0, 0, 0, (0, 1), (0, 0))


def test_a_division_counts_meetings_about_any_of_its_wards_children(partnership) -> None:
    # EAST (A + B: ava, ben, cara, hal): M1, M2 (risk), M9 = 3; children ava, ben, cara = 3.
    #   At medium or high: ava, hal; discussed ava -> 50.0%. Actions: ava's two and cara's;
    #   on time: ava 1 April, cara -> 2 of 3 = 66.7%.
    assert kpis("2024-04-01", "2024-06-30", "E58000001") == figures(3, 1, 3, (1, 2), (2, 3))
    # WEST (C: dev, gus): M9 (dev) = 1; M3 is after, M6 not held, M7 cancelled. At medium or
    #   high: dev, gus; discussed dev -> 50.0%. Actions: dev's open one, gus's -> 0 of 2.
    assert kpis("2024-04-01", "2024-06-30", "E58000002") == figures(1, 0, 1, (1, 2), (0, 2))


def test_a_period_with_nothing_gives_zero_counts_and_null_percentages(partnership) -> None:
    values = kpis("2000-01-01", "2000-12-31")
    assert values == figures(0, 0, 0, (0, 0), (0, 0))
    assert values["meetings.medium_high_discussed_pct"] is None
    assert values["actions.completed_by_due_pct"] is None
    assert all(type(values[code]) is int for code in MEETINGS)


def test_an_empty_database(db) -> None:
    assert kpis("2024-04-01", "2024-06-30") == figures(0, 0, 0, (0, 0), (0, 0))


def test_a_child_discussed_twice_counts_once(partnership) -> None:
    # The whole of 2024: M1, M2, M3, M4, M8, M9 = 6 held (2 risk); children ava, ben, cara,
    #   dev, eli = 5 (ava twice, dev twice).
    values = kpis("2024-01-01", "2024-12-31")
    assert (values["meetings.held"], values["meetings.risk_held"]) == (6, 2)
    assert values["meetings.children_discussed"] == 5


def test_the_five_kpis_take_four_queries(
    partnership, django_assert_num_queries, monkeypatch
) -> None:
    # Meetings, discussions, children at medium or high risk, actions: however many records.
    monkeypatch.setattr(kpis_module, "KPIS", {code: KPIS[code] for code in CODES})
    with django_assert_num_queries(4):
        values = kpi_values(date_from=day("2024-04-01"), date_to=day("2024-06-30"))
    assert values["meetings.held"] == 4
    with django_assert_num_queries(4 + 3):  # ward, division, the division's wards
        values = kpi_values(
            date_from=day("2024-04-01"), date_to=day("2024-06-30"), area_code="E58000001"
        )
    assert values["meetings.held"] == 3


def test_the_codes_follow_the_register_in_domain_order() -> None:
    codes = list(KPIS)
    start = codes.index("register.new") + 1
    assert codes[start : start + len(CODES)] == list(CODES)
    assert {KPIS[c].unit for c in CODES if c.endswith("_pct")} == {"percent"}
    assert {KPIS[c].unit for c in MEETINGS} == {"count"}


# --- Property: the ORM computation agrees with a direct reading of the definitions -----------

LEVELS = ("none", "low", "medium", "high")
STATUSES = tuple(Meeting.Status.values)
TYPES = ("mace", "mase", "strategy", "risk", "other")
ACTION_STATUSES = tuple(Action.Status.values)
# Offsets in days from the period's first day; periods of 0 to 100 extra days, so the 91-day
# look-back sometimes starts inside the period and sometimes before it.
offset = st.one_of(st.sampled_from([-92, -91, -90, -1, 0, 1, 89, 90, 91]), st.integers(-120, 130))

child_spec = st.tuples(
    st.sampled_from(["A", "B", "C", "D", None]),
    st.lists(st.tuples(offset, st.sampled_from(LEVELS)), max_size=3),  # assessments
    st.lists(  # actions: due, status, days from due to completion (done only)
        st.tuples(offset, st.sampled_from(ACTION_STATUSES), st.integers(-3, 3)), max_size=3
    ),
)
meeting_spec = st.tuples(
    offset,
    st.sampled_from(TYPES),
    st.sampled_from(STATUSES),
    st.sets(st.integers(0, 5), max_size=4),  # indexes of the children discussed
)


@pytest.mark.django_db
@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    children=st.lists(child_spec, max_size=6),
    meetings=st.lists(meeting_spec, max_size=5),
    length=st.sampled_from([0, 1, 30, 89, 90, 91, 100]),
    area=st.sampled_from([None, "A", "C", "EAST", "WEST"]),
)
def test_panel_kpis_match_a_reference_computation(children, meetings, length, area) -> None:
    first_day = dt.date(2024, 4, 1)
    date_to = first_day + dt.timedelta(days=length)
    with transaction.atomic():
        agency = Agency.objects.create(code="SCC", name="Synthetshire Children's Services")
        owner = UserFactory(agency=agency, password=None)
        divisions, wards = geography()
        panel = Panel.objects.create(name="Synthetshire MACE", panel_type="mace")
        kids: list[tuple[Child, str | None, list[tuple[int, dt.date, str]]]] = []
        actions: list[tuple[str | None, dt.date, str, dt.date | None]] = []
        for n, (ward, history, plan) in enumerate(children):
            child = make_child(agency, f"child {n}", wards[ward] if ward else None)
            made = []
            for on, level in history:
                made.append((assess(child, first_day + dt.timedelta(on), level, agency).pk,
                             first_day + dt.timedelta(on), level))  # fmt: skip
            kids.append((child, ward, made))
            for due_offset, status, late in plan:
                due = first_day + dt.timedelta(due_offset)
                completed = due + dt.timedelta(late) if status == "done" else None
                make_action(child, owner, due, status, completed)
                actions.append((ward, due, status, completed))
        held_meetings: list[tuple[dt.date, str, str, set[int]]] = []
        for held_offset, meeting_type, status, who in meetings:
            held_on = first_day + dt.timedelta(held_offset)
            meeting = make_meeting(panel, meeting_type, held_on, status)
            present = {i for i in who if i < len(kids)}
            for i in present:
                Discussion.objects.create(meeting=meeting, child=kids[i][0])
            held_meetings.append((held_on, meeting_type, status, present))
        area_code, area_wards = {
            None: (None, None),
            "A": (wards["A"].code, {"A"}),
            "C": (wards["C"].code, {"C"}),
            "EAST": (divisions["EAST"].code, {"A", "B"}),
            "WEST": (divisions["WEST"].code, {"C"}),
        }[area]

        got = kpis(first_day.isoformat(), date_to.isoformat(), area_code)

        assert got == reference(kids, held_meetings, actions, first_day, date_to, area_wards)
        transaction.set_rollback(True)


def reference(
    kids: list[tuple[Child, str | None, list[tuple[int, dt.date, str]]]],
    meetings: list[tuple[dt.date, str, str, set[int]]],
    actions: list[tuple[str | None, dt.date, str, dt.date | None]],
    date_from: dt.date,
    date_to: dt.date,
    wards: set[str | None] | None,
) -> dict[str, object]:
    """The definitions read plainly, meeting by meeting and child by child."""

    def in_area(ward: str | None) -> bool:
        return wards is None or ward in wards

    def held(status: str) -> bool:
        return status in ("held", "signed_off")

    mine = {i for i, (_, ward, _) in enumerate(kids) if in_area(ward)}
    in_period = [
        (meeting_type, who)
        for held_on, meeting_type, status, who in meetings
        if held(status) and date_from <= held_on <= date_to
    ]
    counted = [m for m in in_period if wards is None or m[1] & mine]
    discussed = set().union(*(who for _, who in in_period)) & mine if in_period else set()

    def level_at_end(history: list[tuple[int, dt.date, str]]) -> str | None:
        before = [(on, pk, level) for pk, on, level in history if on <= date_to]
        return max(before)[2] if before else None

    at_risk = {i for i in mine if level_at_end(kids[i][2]) in ("medium", "high")}
    since = date_to - dt.timedelta(days=90)
    recent = set().union(
        *(
            who
            for held_on, _, status, who in meetings
            if held(status) and since <= held_on <= date_to
        ),
        set(),
    )
    due = [
        (status, due_on, completed)
        for ward, due_on, status, completed in actions
        if in_area(ward) and date_from <= due_on <= date_to and status != "cancelled"
    ]
    on_time = [a for a in due if a[0] == "done" and a[2] is not None and a[2] <= a[1]]
    return figures(
        len(counted),
        sum(1 for meeting_type, _ in counted if meeting_type == "risk"),
        len(discussed),
        (len(at_risk & recent), len(at_risk)),
        (len(on_time), len(due)),
    )
