"""risk_assessments.csv: import scores each assessment as the screening form does, refuses unknown
indicator codes and levels below the floor, re-imports idempotently and exports in the documented
column order."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from cairn.accounts.models import Role
from cairn.exchange.problems import ImportRejected
from cairn.exchange.services import exchange_export, exchange_import
from cairn.exchange.specs.risk_assessments import CodeList
from cairn.risk.models import AssessmentIndicator, CatalogueVersion, Indicator, RiskAssessment
from cairn.risk.services import catalogue_indicator_add, risk_assessment_submit
from tests.exchange.conftest import AGENCIES, CHILDREN, snapshot, write_files
from tests.factories import ChildFactory, InvolvementFactory, UserFactory

HEADER = "assessment_ref,child_ref,agency,assessed_on,level,exploitation_types,indicators,rationale"
CHILD_HEADER = CHILDREN.split("\r\n")[0]


def assessments(*rows: str) -> str:
    return HEADER + "\r\n" + "".join(row + "\r\n" for row in rows)


def row(ref: str = "RA-1", **cells: str) -> str:
    values = {
        "assessment_ref": ref,
        "child_ref": "C-1",
        "agency": "SCC",
        "assessed_on": "2024-03-01",
        "level": "medium",
        "exploitation_types": "criminal;county_lines",
        "indicators": "v-looked-after;m-staying-out-late;s-missing",
        "rationale": "Found in a flat used to deal drugs.",
    } | cells
    return ",".join(values[name] for name in HEADER.split(","))


def risk_snapshot() -> tuple[object, ...]:
    return (
        snapshot(),
        list(RiskAssessment.objects.order_by("assessment_ref").values()),
        list(AssessmentIndicator.objects.order_by("id").values()),
    )


def import_files(tmp_path, files, name="in", **options):  # type: ignore[no-untyped-def]
    return exchange_import(actor=None, source=write_files(tmp_path / name, files), **options)


def problems_of(tmp_path, files, actor=None) -> list[str]:  # type: ignore[no-untyped-def]
    before = risk_snapshot()
    with pytest.raises(ImportRejected) as caught:
        exchange_import(actor=actor, source=write_files(tmp_path / "bad", files))
    assert risk_snapshot() == before, "a rejected import must leave the database unchanged"
    return [str(problem) for problem in caught.value.problems]


GOOD = {"agencies.csv": AGENCIES, "children.csv": CHILDREN}


def test_import_scores_each_assessment_counting_indicators_as_recent(partnership, tmp_path) -> None:
    result = import_files(tmp_path, GOOD | {"risk_assessments.csv": assessments(row())})

    counts = result.files["risk_assessments.csv"]
    assert (counts.rows, counts.created, counts.updated) == (1, 1, 0)
    assessment = RiskAssessment.objects.get()
    assert assessment.child.child_ref == "C-1"
    assert assessment.agency == partnership.scc
    assert assessment.assessor is None
    assert assessment.assessed_on == dt.date(2024, 3, 1)
    assert (assessment.score, assessment.suggested_level, assessment.level) == (7, "low", "medium")
    assert assessment.floor_applied is False
    assert assessment.exploitation_types == ["criminal", "county_lines"]
    assert assessment.rationale == "Found in a flat used to deal drugs."
    assert assessment.next_review_due == dt.date(2024, 4, 12)  # 42 days for medium
    assert assessment.catalogue_version.number == 1
    stored = AssessmentIndicator.objects.filter(assessment=assessment).values_list(
        "indicator__code", "recency", "points"
    )
    assert sorted(stored) == [
        ("m-staying-out-late", "within_6_months", 1),
        ("s-missing", "within_6_months", 5),
        ("v-looked-after", "", 1),
    ]
    assert LogEntry.objects.get_for_object(assessment).count() == 1  # change history


def test_import_marks_each_childs_latest_assessment_current(partnership, tmp_path) -> None:
    """Whatever order the rows come in, and when a re-import redates an assessment."""
    later = row("RA-2", assessed_on="2024-05-01", level="none", indicators="")
    import_files(tmp_path, GOOD | {"risk_assessments.csv": assessments(later, row())})
    assert RiskAssessment.objects.get(is_current=True).assessment_ref == "RA-2"

    redated = row(assessed_on="2024-06-01")
    import_files(tmp_path, {"risk_assessments.csv": assessments(later, redated)}, name="again")
    assert RiskAssessment.objects.get(is_current=True).assessment_ref == "RA-1"


def test_importing_the_same_file_again_changes_nothing(partnership, tmp_path) -> None:
    files = GOOD | {
        "risk_assessments.csv": assessments(row(), row("RA-2", level="none", indicators=""))
    }
    import_files(tmp_path, files)
    before = risk_snapshot()
    history = LogEntry.objects.count()

    result = import_files(tmp_path, files, name="again")

    counts = result.files["risk_assessments.csv"]
    assert (counts.created, counts.updated) == (0, 2)
    after = risk_snapshot()
    assert after[1:] == before[1:]
    assert LogEntry.objects.count() == history


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (
            {"indicators": "v-looked-after;x"},
            "risk_assessments.csv:2: indicators: unknown indicator code 'x'",
        ),
        (
            {"indicators": "v-looked-after;not a code"},
            "risk_assessments.csv:2: indicators: 'not a code' is not an indicator code",
        ),
        (
            {"child_ref": "C-404"},
            "risk_assessments.csv:2: child_ref: 'C-404' is not a child in children.csv or in Cairn",
        ),
        (
            {"level": "serious"},
            "risk_assessments.csv:2: level: 'serious' is not one of: none, low, medium, high",
        ),
        (
            {"exploitation_types": "criminal;gangs"},
            "risk_assessments.csv:2: exploitation_types: 'gangs' not one of: sexual, criminal",
        ),
        ({"assessed_on": "2999-01-01"}, "risk_assessments.csv:2: assessed_on: 2999-01-01 is in"),
        (
            {"assessed_on": "2009-12-31"},
            "risk_assessments.csv:2: assessed_on: 2009-12-31 is before the child's date of birth "
            "(2010-04-01)",
        ),
    ],
)
def test_bad_rows_are_rejected_with_their_problem(partnership, tmp_path, cells, expected) -> None:
    ChildFactory(child_ref="C-1", agency=partnership.scc, date_of_birth=dt.date(2010, 4, 1))
    problems = problems_of(tmp_path, {"risk_assessments.csv": assessments(row(**cells))})
    assert any(p.startswith(expected) for p in problems), problems


FLOOR = (
    "level: 'low' is below the floor: the child is under 13 on the assessment date and shows a "
    "significant indicator, so the level cannot be below medium"
)


def test_a_level_below_the_floor_is_refused(partnership, tmp_path) -> None:
    ChildFactory(child_ref="C-1", agency=partnership.scc, date_of_birth=dt.date(2012, 6, 1))
    files = {
        "risk_assessments.csv": assessments(
            row("RA-1", level="low", indicators="s-hotspots", assessed_on="2024-05-31"),
            row("RA-2", level="low", indicators="s-hotspots", assessed_on="2025-06-01"),  # 13
            row("RA-3", level="low", indicators="m-drug-alcohol", assessed_on="2024-05-31"),
        )
    }
    assert problems_of(tmp_path, files) == [f"risk_assessments.csv:2: {FLOOR}"]


def test_the_floor_applies_to_a_child_in_the_same_import(partnership, tmp_path) -> None:
    young = CHILDREN.replace("2011-12-31", "2015-01-01")  # C-2 is 9 on 2024-03-01
    files = {
        "agencies.csv": AGENCIES,
        "children.csv": young,
        "risk_assessments.csv": assessments(
            row("RA-1"),
            row("RA-2", child_ref="C-2", agency="HYP", level="low", indicators="s-sextortion"),
        ),
    }
    assert problems_of(tmp_path, files) == [f"risk_assessments.csv:3: {FLOOR}"]


def test_the_floor_applies_with_a_learning_disability(partnership, tmp_path) -> None:
    ChildFactory(
        child_ref="C-1", agency=partnership.scc, date_of_birth=dt.date(2008, 1, 1),
        learning_disability=True,
    )  # fmt: skip
    files = {"risk_assessments.csv": assessments(row(level="low", indicators="s-drug-debt"))}
    [problem] = problems_of(tmp_path, files)
    assert problem.startswith("risk_assessments.csv:2: level: 'low' is below the floor: the "
                              "child has a learning disability and shows")  # fmt: skip
    import_files(tmp_path, {"risk_assessments.csv": assessments(row(indicators="s-drug-debt"))})
    assert RiskAssessment.objects.get().floor_applied is True


def test_an_update_rescores_and_records_the_latest_catalogue(partnership, tmp_path) -> None:
    import_files(tmp_path, GOOD | {"risk_assessments.csv": assessments(row())})
    admin = UserFactory(role=Role.ADMINISTRATOR, agency=None, password=None)
    added = catalogue_indicator_add(
        actor=admin, code="s-crypto", category="significant", wording="Paid in crypto"
    )

    changed = row(indicators="v-looked-after;s-missing;s-crypto", level="high")
    import_files(tmp_path, {"risk_assessments.csv": assessments(changed)}, name="update")

    assessment = RiskAssessment.objects.get()
    assert (assessment.score, assessment.suggested_level, assessment.level) == (
        11,
        "medium",
        "high",
    )
    assert assessment.catalogue_version == added.added_in
    assert assessment.next_review_due == dt.date(2024, 3, 29)
    codes = set(assessment.indicators.values_list("indicator__code", flat=True))
    assert codes == {"v-looked-after", "s-missing", "s-crypto"}


def test_leaving_out_the_indicators_column_keeps_the_indicators(partnership, tmp_path) -> None:
    import_files(tmp_path, GOOD | {"risk_assessments.csv": assessments(row())})
    without = (
        "assessment_ref,child_ref,agency,assessed_on,level\r\nRA-1,C-1,SCC,2024-03-01,high\r\n"
    )
    import_files(tmp_path, {"risk_assessments.csv": without}, name="update")
    assessment = RiskAssessment.objects.get()
    assert assessment.indicators.count() == 3
    assert (assessment.score, assessment.level) == (7, "high")
    assert assessment.rationale == "Found in a flat used to deal drugs."


def test_a_retired_code_is_still_accepted(partnership, tmp_path) -> None:
    Indicator.objects.filter(code="m-sti").update(
        retired_in=CatalogueVersion.objects.create(number=2, published_at=timezone.now())
    )
    import_files(tmp_path, GOOD | {"risk_assessments.csv": assessments(row(indicators="m-sti"))})
    assert RiskAssessment.objects.get().score == 1


def test_export_writes_the_documented_columns_and_imports_back_unchanged(
    partnership, tmp_path
) -> None:
    child = ChildFactory(child_ref="C-7", agency=partnership.scc, date_of_birth=dt.date(2009, 5, 1))
    lead = UserFactory(agency=partnership.scc, password=None)
    InvolvementFactory(child=child, user=lead, agency=partnership.scc)
    by_code = {i.code: i for i in Indicator.objects.all()}
    risk_assessment_submit(
        actor=lead,
        child=child,
        assessed_on=dt.date(2024, 2, 1),
        selections=[
            (by_code["s-missing"], "6_to_12_months"),
            (by_code["m-unknown-callers"], "within_6_months"),
            (by_code["v-not-in-education"], ""),
        ],
        level="low",
        exploitation_types=["criminal"],
        cin_factors=["10A"],
        rationale='=cmd "quoted", with commas',
        assessment_ref="RA-9",
    )
    exchange_export(actor=None, destination=tmp_path / "out")

    with (tmp_path / "out" / "risk_assessments.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows == [
        HEADER.split(","),
        ["RA-9", "C-7", "SCC", "2024-02-01", "low", "criminal",
         "v-not-in-education;m-unknown-callers;s-missing", '\'=cmd "quoted", with commas'],
    ]  # fmt: skip
    before = risk_snapshot()
    import_files(tmp_path, {"risk_assessments.csv": (tmp_path / "out" / "risk_assessments.csv")
                            .read_bytes()}, name="back")  # fmt: skip
    assert risk_snapshot()[1:] == before[1:]
    assessment = RiskAssessment.objects.get()
    assert assessment.score == 3  # the 6-12 month significant indicator still scores 1
    assert assessment.assessor == lead


def test_a_manager_imports_and_exports_only_their_agencys_children(partnership, tmp_path) -> None:
    manager = UserFactory(role=Role.MANAGER, agency=partnership.scc, password=None)
    ours = ChildFactory(child_ref="C-1", agency=partnership.scc, date_of_birth=dt.date(2010, 1, 1))
    theirs = ChildFactory(
        child_ref="C-2", agency=partnership.police, date_of_birth=dt.date(2010, 1, 1)
    )
    files = {"risk_assessments.csv": assessments(row("RA-1"), row("RA-2", child_ref="C-2"))}
    assert problems_of(tmp_path, files, actor=manager) == [
        "risk_assessments.csv:3: child_ref: 'C-2' is a child already in Cairn whose record you "
        "cannot change"
    ]
    exchange_import(actor=None, source=write_files(tmp_path / "cli", files))
    assert {a.child for a in RiskAssessment.objects.all()} == {ours, theirs}

    result = exchange_export(actor=manager, destination=tmp_path / "out")
    assert result.files["risk_assessments.csv"] == 1
    text = (tmp_path / "out" / "risk_assessments.csv").read_text(encoding="utf-8")
    assert "RA-1" in text and "RA-2" not in text

    moved = {"risk_assessments.csv": assessments(row("RA-2", child_ref="C-1"))}
    assert problems_of(tmp_path, moved, actor=manager) == [
        "risk_assessments.csv:2: assessment_ref: 'RA-2' is an assessment of a child whose "
        "record you cannot change"
    ]


codes = st.lists(st.from_regex(r"[a-z0-9][a-z0-9_-]{0,20}", fullmatch=True), max_size=6)


@given(codes)
def test_indicator_code_lists_round_trip(values) -> None:
    parser = CodeList()
    text = parser.format(values)
    if text:
        assert parser.parse(text) == list(dict.fromkeys(values))
    else:
        assert values == []
