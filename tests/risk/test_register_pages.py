"""The register pages as people use them: who may open them, what the register lists and counts,
filters, sorting, pages, the CSV and XLSX downloads, reviews due, and what the access log says."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cairn.accounts.models import Role
from cairn.audit.models import AccessEvent, Action
from cairn.risk.models import RiskAssessment
from cairn.risk.scoring import review_due
from cairn.risk.selectors import latest_catalogue_version
from tests.factories import (
    ChildFactory,
    InvolvementFactory,
    LocalityFactory,
    UserFactory,
    WardFactory,
)
from tests.risk.conftest import picks, submit, years_ago

TODAY = timezone.localdate
REGISTER = reverse("risk:register")
EXPORT = reverse("risk:register_export")
OVERDUE = reverse("risk:overdue")
_refs = itertools.count(1)


def assess(child, level, days_ago=0, *, types=()):  # type: ignore[no-untyped-def]
    """An assessment stored directly (the service is tested on its own)."""
    assessed_on = TODAY() - dt.timedelta(days=days_ago)
    return RiskAssessment.objects.create(
        assessment_ref=f"RP-{next(_refs)}",
        child=child,
        agency=child.agency,
        assessed_on=assessed_on,
        catalogue_version=latest_catalogue_version(),
        suggested_level=level,
        level=level,
        exploitation_types=list(types),
        next_review_due=review_due(level, assessed_on),
    )


class _Tables(HTMLParser):
    """Cell texts of the rows of tables marked with data-testid, and each header's attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.headers: dict[str, list[dict[str, str]]] = {}
        self._table: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "table" and "data-testid" in found:
            self._table = found["data-testid"]
            self.tables[self._table] = []
            self.headers[self._table] = []
        elif self._table and tag == "tr":
            self._row = []
        elif self._table and tag in ("td", "th") and self._row is not None:
            self._cell = []
            if tag == "th":
                self.headers[self._table].append(found)

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._table = None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table:
            self.tables[self._table].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def tables(response) -> _Tables:  # type: ignore[no-untyped-def]
    parser = _Tables()
    parser.feed(response.content.decode())
    return parser


def body_rows(response, testid: str = "register-table") -> list[list[str]]:  # type: ignore[no-untyped-def]
    return tables(response).tables[testid][1:]


def names_listed(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [row[0] for row in body_rows(response) if len(row) > 1]


def counts(response) -> dict[str, int]:  # type: ignore[no-untyped-def]
    row = tables(response).tables["register-counts"][1]
    return dict(zip(("low", "medium", "high", "total"), map(int, row), strict=True))


@pytest.fixture
def county(team):  # type: ignore[no-untyped-def]
    """Children of the team's agency in two localities, and one of another agency."""
    north = WardFactory(
        code="N1", name="Northgate", locality=LocalityFactory(code="N", name="North")
    )
    south = WardFactory(
        code="S1", name="Southmead", locality=LocalityFactory(code="S", name="South")
    )
    team.child.given_name, team.child.family_name, team.child.ward = "Amara", "Ashdown", north
    team.child.save()
    ours = team.agency
    kids = {
        "amara": team.child,  # 15, male, lead: team.lead
        "bea": ChildFactory(
            agency=ours, ward=south, sex="female", date_of_birth=years_ago(12),
            legal_status="looked_after", given_name="Bea", family_name="Birchwood",
            lead_professional=team.colleague,
        ),
        "cal": ChildFactory(
            agency=ours, ward=north, sex="male", date_of_birth=years_ago(17),
            given_name="Cal", family_name="Cresswell",
        ),
        "dee": ChildFactory(agency=ours, ward=south, given_name="Dee", family_name="Dunmore"),
        "fox": ChildFactory(
            agency=team.other, ward=north, given_name="Fox", family_name="Fernhill"
        ),
    }  # fmt: skip
    assess(kids["amara"], "high", 20, types=["criminal", "county_lines"])
    assess(kids["bea"], "medium", 100, types=["sexual", "online"])  # review 58 days overdue
    assess(kids["cal"], "high", 400, types=["sexual"])
    assess(kids["cal"], "low", 10, types=["criminal"])
    assess(kids["dee"], "high", 200, types=["criminal"])
    assess(kids["dee"], "none", 30)  # fell off the register
    assess(kids["fox"], "high", 5, types=["criminal"])  # another agency's child
    return kids


def user_of(team, role: str):  # type: ignore[no-untyped-def]
    return {
        "practitioner": team.lead,
        "manager": team.manager,
    }.get(role) or UserFactory(role=role, agency=team.agency, password=None)


# Who may open the pages --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "register_status", "export_status"),
    [
        (Role.PRACTITIONER, 200, 200),
        (Role.MANAGER, 200, 200),
        (Role.PANEL_MEMBER, 200, 403),
        (Role.SCRUTINY, 403, 403),
        (Role.ANALYST, 403, 403),
        (Role.ADMINISTRATOR, 403, 403),
    ],
)
def test_page_access_by_role(client, team, county, role, register_status, export_status) -> None:
    client.force_login(user_of(team, role))
    assert client.get(REGISTER).status_code == register_status
    assert client.get(OVERDUE).status_code == register_status
    assert client.get(EXPORT, {"format": "csv"}).status_code == export_status


def test_signed_out_visitors_are_asked_to_sign_in(client, county) -> None:
    for url in (REGISTER, OVERDUE, EXPORT):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_refused_roles_are_told_why_and_see_no_child(client, team, county) -> None:
    client.force_login(UserFactory(role=Role.SCRUTINY, agency=team.agency, password=None))
    page = client.get(REGISTER).content.decode()
    assert "counts in reports" in page
    assert "Ashdown" not in page


def test_the_navigation_offers_the_register_and_reviews_due_by_role(client, team) -> None:
    client.force_login(team.manager)
    menu = client.get(reverse("children:list")).context["nav_items"]
    labels = [item["label"] for item in menu]
    assert {"Risk register", "Reviews due"} <= set(labels)
    client.force_login(UserFactory(role=Role.PANEL_MEMBER, agency=team.agency, password=None))
    labels = [item["label"] for item in client.get(reverse("children:list")).context["nav_items"]]
    assert "Risk register" in labels and "Reviews due" not in labels
    client.force_login(UserFactory(role=Role.SCRUTINY, agency=team.agency, password=None))
    labels = [item["label"] for item in client.get(reverse("core:home")).context["nav_items"]]
    assert "Risk register" not in labels


# What the register shows -------------------------------------------------------------------


def test_the_register_lists_children_at_low_or_above_with_their_level(client, team, county) -> None:
    client.force_login(team.lead)
    response = client.get(REGISTER)
    rows = {row[0]: row for row in body_rows(response)}
    assert set(rows) == {"Amara Ashdown", "Bea Birchwood", "Cal Cresswell"}
    # Dee fell back to none; Fox belongs to another agency.
    assert rows["Amara Ashdown"] == [
        "Amara Ashdown", "High (serious)", "Criminal, County lines", "15",
        (TODAY() - dt.timedelta(days=20)).strftime("%-d %b %Y"),
        (TODAY() + dt.timedelta(days=8)).strftime("%-d %b %Y"),
        str(team.lead), "Northgate",
    ]  # fmt: skip
    assert rows["Bea Birchwood"][5].endswith("Overdue")
    assert not rows["Cal Cresswell"][5].endswith("Overdue")
    page = response.content.decode()
    assert 'class="govuk-tag govuk-tag--red">High (serious)' in page
    assert 'class="govuk-tag govuk-tag--orange">Medium (significant)' in page
    assert 'class="govuk-tag govuk-tag--yellow">Low (emerging)' in page
    assert reverse("children:detail", args=[county["amara"].pk]) in page
    assert counts(response) == {"low": 1, "medium": 1, "high": 1, "total": 3}


def test_a_child_of_another_agency_is_never_listed(client, team, county) -> None:
    client.force_login(team.manager)
    response = client.get(REGISTER, {"levels": "high"})
    assert names_listed(response) == ["Amara Ashdown"]
    assert "Fernhill" not in response.content.decode()
    client.force_login(team.stranger)  # police practitioner: their agency's child only
    response = client.get(REGISTER)
    assert names_listed(response) == ["Fox Fernhill"]
    assert counts(response)["total"] == 1


def test_a_panel_member_sees_only_the_children_they_work_with(client, team, county) -> None:
    member = UserFactory(role=Role.PANEL_MEMBER, agency=team.agency, password=None)
    InvolvementFactory(child=county["bea"], user=member, agency=team.agency)
    client.force_login(member)
    response = client.get(REGISTER)
    assert names_listed(response) == ["Bea Birchwood"]
    assert EXPORT not in response.content.decode()  # no download links


def test_a_screening_recorded_through_the_service_puts_the_child_on_the_register(
    client, team, catalogue
) -> None:
    child = ChildFactory(
        agency=team.agency,
        given_name="Nia",
        family_name="Newby",
        date_of_birth=years_ago(14),
        lead_professional=team.lead,
    )
    submit(
        team.lead, child, selections=picks(catalogue, vulnerabilities=3, moderate=4),
        level="low", exploitation_types=["online"],
    )  # fmt: skip
    client.force_login(team.manager)
    rows = body_rows(client.get(REGISTER))
    assert [row[:3] for row in rows] == [["Nia Newby", "Low (emerging)", "Online"]]


# Filters ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"levels": "high"}, ["Amara Ashdown"]),
        ({"levels": ["medium", "low"]}, ["Bea Birchwood", "Cal Cresswell"]),
        ({"exploitation_type": "sexual"}, ["Bea Birchwood"]),
        ({"exploitation_type": "criminal"}, ["Amara Ashdown", "Cal Cresswell"]),
        ({"sex": "female"}, ["Bea Birchwood"]),
        ({"legal_status": "looked_after"}, ["Bea Birchwood"]),
        ({"age_band": "16_17"}, ["Cal Cresswell"]),
        ({"overdue": "on"}, ["Bea Birchwood"]),
        ({"levels": "high", "sex": "female"}, []),
    ],
)
def test_filters_narrow_the_list(client, team, county, query, expected) -> None:
    client.force_login(team.manager)
    response = client.get(REGISTER, query)
    assert sorted(names_listed(response)) == expected
    assert f"{len(expected)} child" in response.content.decode()


def test_filters_by_place_agency_and_lead_professional(client, team, county) -> None:
    client.force_login(team.manager)
    north = county["amara"].ward
    by = {
        "ward": {"ward": north.pk},
        "locality": {"locality": north.locality_id},
        "lead": {"lead_professional": team.colleague.pk},
        "agency": {"agency": team.agency.pk},
        "other agency": {"agency": team.other.pk},
    }
    found = {key: sorted(names_listed(client.get(REGISTER, q))) for key, q in by.items()}
    assert found == {
        "ward": ["Amara Ashdown", "Cal Cresswell"],
        "locality": ["Amara Ashdown", "Cal Cresswell"],
        "lead": ["Bea Birchwood"],
        "agency": ["Amara Ashdown", "Bea Birchwood", "Cal Cresswell"],
        "other agency": [],
    }


def test_counts_follow_the_other_filters_but_not_the_level(client, team, county) -> None:
    client.force_login(team.manager)
    response = client.get(REGISTER, {"levels": "high", "exploitation_type": "criminal"})
    assert names_listed(response) == ["Amara Ashdown"]
    assert counts(response) == {"low": 1, "medium": 0, "high": 1, "total": 2}


def test_the_lead_professional_choices_are_the_users_agency_staff(client, team, county) -> None:
    client.force_login(team.manager)
    choices = client.get(REGISTER).context["form"].fields["lead_professional"].queryset
    assert set(choices) == {team.lead, team.colleague, team.manager}
    response = client.get(REGISTER, {"lead_professional": team.stranger.pk})
    assert "Select lead professional from the list" in response.content.decode()


def test_an_unknown_filter_value_is_explained_and_the_rest_still_apply(
    client, team, county
) -> None:
    client.force_login(team.manager)
    response = client.get(REGISTER, {"levels": ["high", "extreme"], "sex": "male"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "<title>Error: Risk register" in page
    assert sorted(names_listed(response)) == ["Amara Ashdown", "Cal Cresswell"]


# Sorting and pages --------------------------------------------------------------------------


A, B, C = "Amara Ashdown", "Bea Birchwood", "Cal Cresswell"


@pytest.mark.parametrize(
    ("sort", "expected", "aria"),
    [
        ("", [A, B, C], ("Level", "descending")),  # high, medium, low
        ("-level", [C, B, A], ("Level", "ascending")),
        ("name", [A, B, C], ("Name", "ascending")),
        ("-name", [C, B, A], ("Name", "descending")),
        ("age", [B, A, C], ("Age", "ascending")),  # youngest first
        ("assessed", [C, A, B], ("Last assessed", "descending")),  # newest first
        ("review", [B, A, C], ("Next review", "ascending")),  # most overdue first
    ],
)  # fmt: skip
def test_sorting_by_column(client, team, county, sort, expected, aria) -> None:
    client.force_login(team.manager)
    response = client.get(REGISTER, {"sort": sort} if sort else {})
    assert names_listed(response) == expected
    page_tables = tables(response)
    headings = page_tables.tables["register-table"][0]
    sorted_by = [
        (headings[i].rstrip(" ▲▼"), attrs["aria-sort"])
        for i, attrs in enumerate(page_tables.headers["register-table"])
        if attrs.get("aria-sort") not in (None, "none")
    ]
    assert sorted_by == [aria]


def test_a_sorted_heading_links_to_the_reverse_order_and_keeps_the_filters(
    client, team, county
) -> None:
    client.force_login(team.manager)
    page = client.get(REGISTER, {"sort": "name", "sex": "male"}).content.decode()
    assert 'href="?sort=-name&amp;sex=male">Name</a>' in page
    assert 'href="?sort=level&amp;sex=male">Level</a>' in page
    # Applying the filter form keeps the chosen order.
    assert 'type="hidden" name="sort" value="name"' in page


def test_the_register_pages_by_25_keeping_the_filters(client, team, county) -> None:
    for _ in range(27):
        assess(ChildFactory(agency=team.agency), "high", 3)
    client.force_login(team.manager)
    first = client.get(REGISTER, {"levels": "high"})
    assert len(names_listed(first)) == 25
    assert "28 children match your filters" in first.content.decode()
    assert 'href="?levels=high&amp;page=2" rel="next"' in first.content.decode()
    second = client.get(REGISTER, {"levels": "high", "page": 2})
    assert len(names_listed(second)) == 3
    assert not set(names_listed(first)) & set(names_listed(second))


def test_the_register_page_costs_a_fixed_number_of_queries(client, team, county) -> None:
    client.force_login(team.manager)
    client.get(REGISTER)  # warm up the session and the access log's chain head

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(REGISTER, {"sort": "name"})
        assert response.status_code == 200
        return len(queries)

    few = cost()
    ward = county["cal"].ward
    for n in range(20):
        child = ChildFactory(agency=team.agency, ward=ward, lead_professional=team.colleague)
        assess(child, ("low", "medium", "high")[n % 3], n, types=["criminal"])
    many = cost()
    assert few == many
    assert many <= 20  # session, user, access event, rows, counts, filter choices


# Access log ---------------------------------------------------------------------------------


def test_each_page_view_writes_one_access_event(client, team, county) -> None:
    client.force_login(team.manager)
    client.get(REGISTER, {"levels": "high", "ward": county["amara"].ward_id})
    client.get(OVERDUE)
    events = list(AccessEvent.objects.order_by("seq"))
    assert [(e.action, e.object_type) for e in events] == [
        (Action.LIST, "risk.register"),
        (Action.LIST, "risk.overdue_reviews"),
    ]
    assert events[0].user == team.manager
    assert events[0].detail["levels"] == ["high"]
    assert events[1].detail == {"page": 1, "rows": 1}


def test_each_export_writes_one_export_event_with_the_filters_and_rows(
    client, team, county
) -> None:
    client.force_login(team.manager)
    client.get(EXPORT, {"format": "xlsx", "exploitation_type": "criminal"})
    event = AccessEvent.objects.get()
    assert (event.user, event.action, event.object_type) == (
        team.manager, Action.EXPORT, "risk.register",
    )  # fmt: skip
    assert event.detail == {
        "format": "xlsx",
        "filters": {"exploitation_type": "criminal", "sort": "level"},
        "rows": 2,
    }


# Downloads ----------------------------------------------------------------------------------


def read_csv(response) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")  # a byte-order mark, so Excel reads UTF-8
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_the_csv_download_is_the_filtered_register(client, team, county) -> None:
    client.force_login(team.lead)
    response = client.get(EXPORT, {"format": "csv", "levels": ["high", "medium"]})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="risk-register-{TODAY().isoformat()}.csv"'
    )
    assert response["Cache-Control"] == "no-store"
    rows = read_csv(response)
    assert [(r["Given name"], r["Family name"]) for r in rows] == [
        ("Amara", "Ashdown"), ("Bea", "Birchwood"),
    ]  # fmt: skip
    amara, bea = rows
    assert amara == {
        "Child reference": county["amara"].child_ref,
        "Given name": "Amara",
        "Family name": "Ashdown",
        "Date of birth": county["amara"].date_of_birth.isoformat(),
        "Age": "15",
        "Sex": "Male",
        "Level": "High (serious)",
        "Exploitation types": "Criminal; County lines",
        "Last assessed": (TODAY() - dt.timedelta(days=20)).isoformat(),
        "Next review": (TODAY() + dt.timedelta(days=8)).isoformat(),
        "Review overdue": "No",
        "Days overdue": "0",
        "Lead professional": str(team.lead),
        "Ward": "Northgate",
        "Locality": "North",
        "Recorded by": team.agency.name,
        "Legal status": "No statutory status",
    }
    assert (bea["Review overdue"], bea["Days overdue"]) == ("Yes", "58")


def test_the_csv_neutralises_text_a_spreadsheet_would_run(client, team) -> None:
    child = ChildFactory(
        agency=team.agency,
        given_name='=HYPERLINK("http://example.invalid","x")',
        family_name="@SUM(A1)",
        other_names="",
    )
    assess(child, "low")
    client.force_login(team.manager)
    (row,) = read_csv(client.get(EXPORT, {"format": "csv"}))
    assert row["Given name"] == '\'=HYPERLINK("http://example.invalid","x")'
    assert row["Family name"] == "'@SUM(A1)"
    assert row["Last assessed"] == TODAY().isoformat()  # dates are left as they are


def test_the_xlsx_download_holds_the_same_rows_as_text_and_dates(client, team, county) -> None:
    from openpyxl import load_workbook

    county["cal"].given_name = "=1+1"
    county["cal"].save()
    client.force_login(team.manager)
    response = client.get(EXPORT, {"format": "xlsx", "sort": "name"})
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].endswith(f'-{TODAY().isoformat()}.xlsx"')
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Risk register"]
    sheet = book["Risk register"]
    header, *rows = list(sheet.iter_rows())
    names = [c.value for c in header]
    assert names[:4] == ["Child reference", "Given name", "Family name", "Date of birth"]
    data = [dict(zip(names, (c.value for c in row), strict=True)) for row in rows]
    assert [r["Family name"] for r in data] == ["Ashdown", "Birchwood", "Cresswell"]
    cal_cells = dict(zip(names, rows[2], strict=True))
    assert cal_cells["Given name"].value == "=1+1"
    assert cal_cells["Given name"].data_type == "s"  # text, never a formula
    assert data[0]["Level"] == "High (serious)"
    assert data[0]["Age"] == 15
    assert data[0]["Last assessed"].date() == TODAY() - dt.timedelta(days=20)
    assert data[1]["Review overdue"] == "Yes"


def test_the_export_refuses_an_unknown_format(client, team, county) -> None:
    client.force_login(team.manager)
    assert client.get(EXPORT, {"format": "pdf"}).status_code == 400
    assert not AccessEvent.objects.exists()


def test_the_register_offers_downloads_that_keep_the_filters(client, team, county) -> None:
    client.force_login(team.lead)
    page = client.get(REGISTER, {"levels": "high", "page": "1"}).content.decode()
    assert f'href="{EXPORT}?levels=high&amp;format=csv"' in page
    assert f'href="{EXPORT}?levels=high&amp;format=xlsx"' in page


# Reviews due --------------------------------------------------------------------------------


def overdue_rows(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [row for row in body_rows(response, "overdue-table") if len(row) > 1]


def test_reviews_due_for_the_lead_professional(client, team, county) -> None:
    assess(county["amara"], "high", 40)  # an older assessment: not the current one
    mine = ChildFactory(
        agency=team.agency, lead_professional=team.lead, given_name="Ola", family_name="Oakes"
    )
    assess(mine, "high", 30)  # due 28 days after: 2 days overdue
    client.force_login(team.lead)
    rows = overdue_rows(client.get(OVERDUE))
    assert rows == [
        [
            "Ola Oakes", "High (serious)", (TODAY() - dt.timedelta(days=2)).strftime("%-d %b %Y"),
            "2", (TODAY() - dt.timedelta(days=30)).strftime("%-d %b %Y"), str(team.lead),
        ]
    ]  # fmt: skip


def test_reviews_due_for_a_manager_cover_their_agency(client, team, county) -> None:
    late = ChildFactory(agency=team.agency, given_name="Lex", family_name="Lowther")
    assess(late, "low", 100)  # 9 days overdue
    client.force_login(team.manager)
    rows = overdue_rows(client.get(OVERDUE))
    assert [(r[0], r[3]) for r in rows] == [("Bea Birchwood", "58"), ("Lex Lowther", "9")]
    other_manager = UserFactory(role=Role.MANAGER, agency=team.other, password=None)
    assess(county["fox"], "high", 60)
    county["fox"].risk_assessments.filter(assessed_on__gt=TODAY() - dt.timedelta(days=10)).delete()
    client.force_login(other_manager)
    assert [r[0] for r in overdue_rows(client.get(OVERDUE))] == ["Fox Fernhill"]


def test_no_reviews_due_says_so(client, team, county) -> None:
    client.force_login(team.colleague)  # leads Bea, whose review is overdue
    assert [r[0] for r in overdue_rows(client.get(OVERDUE))] == ["Bea Birchwood"]
    client.force_login(UserFactory(agency=team.agency, password=None))
    page = client.get(OVERDUE).content.decode()
    assert "No reviews are overdue." in page
