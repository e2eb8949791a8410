from __future__ import annotations

from dataclasses import dataclass

import pytest

from cairn.accounts.models import Agency, Role, User
from tests.factories import AgencyFactory, ChildFactory, InvolvementFactory, UserFactory


@pytest.fixture(autouse=True)
def _no_login_throttling(settings):  # type: ignore[no-untyped-def]
    """Throttling is tested on its own; other tests log in freely."""
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    """Real hashers are deliberately slow; tests create many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    """A small partnership: two agencies, a child recorded by the first, and users of every role
    in every relationship to that child."""

    home: Agency
    other: Agency
    child: object
    users: dict[str, User]


RELATIONSHIPS = ("involved", "same_agency", "other_agency", "break_glass", "panel_agenda")
ROLES = tuple(Role.values)


def _sit_on_a_panel_discussing(user: User, child: object) -> None:
    """The user sits on a panel whose published agenda for next week's meeting has the child."""
    from datetime import timedelta

    from django.utils import timezone

    from cairn.panels.models import AgendaItem, Meeting, Panel, PanelMember

    panel, _ = Panel.objects.get_or_create(name="World MACE", defaults={"panel_type": "mace"})
    PanelMember.objects.create(
        panel=panel, user=user, started_on=timezone.localdate() - timedelta(days=30)
    )
    meeting, _ = Meeting.objects.get_or_create(
        meeting_ref="MT-WORLD",
        defaults={
            "panel": panel,
            "meeting_type": "mace",
            "held_on": timezone.localdate() + timedelta(days=7),
            "status": Meeting.Status.AGENDA_PUBLISHED,
            "agenda_published_at": timezone.now(),
        },
    )
    AgendaItem.objects.get_or_create(meeting=meeting, child=child, defaults={"reason": "new_risk"})


@pytest.fixture
def world(db) -> World:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from django.utils import timezone

    from cairn.children.models import BreakGlassGrant

    home = AgencyFactory(code="SCC", name="Synthetshire Children's Services")
    other = AgencyFactory(code="POL", name="Synthetshire Police", kind=Agency.Kind.POLICE)
    child = ChildFactory(agency=home, given_name="Amara", family_name="Testchild")
    users: dict[str, User] = {}
    for role in ROLES:
        for rel in RELATIONSHIPS:
            agency = home if rel in ("involved", "same_agency") else other
            user = UserFactory(username=f"{role}_{rel}", role=role, agency=agency)
            if rel == "involved":
                InvolvementFactory(child=child, user=user, agency=agency)
            if rel == "break_glass":
                now = timezone.now()
                BreakGlassGrant.objects.create(
                    child=child,
                    user=user,
                    reason="Found late at night; need contacts",
                    granted_at=now,
                    expires_at=now + timedelta(minutes=30),
                )
            if rel == "panel_agenda":
                _sit_on_a_panel_discussing(user, child)
            users[f"{role}:{rel}"] = user
    return World(home=home, other=other, child=child, users=users)
