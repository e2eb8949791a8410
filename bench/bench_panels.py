"""Panels and actions (issue 6): the agenda builder's proposals for the next meeting, the meeting
page a chair opens to build the agenda, and "my actions" for the chair and a practitioner.

The generated county has two panels with two years of monthly meetings and the next meeting a
week away (cairn.demo.panels); the demo `manager` co-chairs the MACE and, like `practitioner`,
owns some of its actions. The panels code is looked up at run time: a selector, URL or page not
there yet is reported as skipped (with the reason) instead of failing the run.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import NoReverseMatch, reverse

from cairn.accounts.models import User

CHAIR = "manager"
PRACTITIONER = "practitioner"


def _skip(name: str, why: str) -> None:
    print(f"bench_panels: skipped {name}: {why}", file=sys.stderr)


def _url(name: str, *args: Any) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _page(client: Client, url: str) -> Callable[[], object]:
    def get() -> object:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}")
        return response

    return get


def run(ctx) -> None:  # type: ignore[no-untyped-def]
    from cairn.panels.models import Action, Meeting, PanelMember

    chair = User.objects.filter(username=CHAIR).first()
    practitioner = User.objects.filter(username=PRACTITIONER).first()
    if chair is None or practitioner is None:
        _skip("panels", "the county has no demo logins")
        return
    # The next meeting of a panel the chair chairs, its agenda published.
    chaired = PanelMember.objects.filter(user=chair, role=PanelMember.Role.CHAIR).values("panel")
    meeting = (
        Meeting.objects.filter(panel__in=chaired, status=Meeting.Status.AGENDA_PUBLISHED)
        .select_related("panel")
        .order_by("held_on")
        .first()
    )
    if meeting is None:
        _skip("agenda proposals", "no upcoming meeting chaired by the demo manager")
    else:
        selectors = importlib.import_module("cairn.panels.selectors")
        proposals = getattr(selectors, "agenda_proposals", None)
        if proposals is None:
            _skip("agenda proposals", "cairn.panels.selectors.agenda_proposals is not there yet")
        else:
            found = proposals(meeting=meeting)
            ctx.time(
                f"agenda proposals for the next {meeting.panel.name} meeting",
                lambda: proposals(meeting=meeting),
                note=f"{len(found)} proposed",
            )
        url = _url("panels:meeting", meeting.pk)
        if url is None:
            _skip("meeting page", "no URL named panels:meeting")
        else:
            client = Client()
            client.force_login(chair)
            try:
                _page(client, url)()
            except RuntimeError as error:
                _skip("meeting page", str(error))
            else:
                ctx.time(f"{CHAIR}: meeting page with the agenda builder", _page(client, url))

    mine = _url("actions:mine")
    if mine is None:
        _skip("my actions", "no URL named actions:mine")
        return
    for user in (chair, practitioner):
        owned = Action.objects.filter(owner=user)
        still_open = owned.filter(status__in=("open", "in_progress")).count()
        client = Client()
        client.force_login(user)
        try:
            _page(client, mine)()
        except RuntimeError as error:
            _skip(f"{user.username}: my actions", str(error))
            continue
        ctx.time(
            f"{user.username}: my actions",
            _page(client, mine),
            note=f"{still_open} open of {owned.count()} owned; {Action.objects.count()} in all",
        )
    overdue = _url("actions:overdue")
    if overdue is not None:
        client = Client()
        client.force_login(chair)
        try:
            _page(client, overdue)()
        except RuntimeError as error:
            _skip("overdue actions", str(error))
        else:
            ctx.time(f"{CHAIR}: overdue actions (their agency and panels)", _page(client, overdue))
