"""Child list, search and record pages as the demo practitioner and manager see them."""

from __future__ import annotations

from django.test import Client

from cairn.accounts.models import User


def run(ctx) -> None:  # type: ignore[no-untyped-def]
    from cairn.accounts import access

    # An agency-wide practitioner and manager, a police officer (a smaller agency caseload) and a
    # panel member (only the children they are involved with).
    for username in ("practitioner", "manager", "police.practitioner", "panel"):
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        visible = access.visible_children(user)
        n = visible.count()
        child = access.involved_children(user).first() or visible.first()
        family = child.family_name
        ctx.time(f"{username}: caseload page", lambda c=client: c.get("/"), note=f"{n} visible")
        ctx.time(f"{username}: child list page 1", lambda c=client: c.get("/children/"))
        ctx.time(
            f"{username}: search by family name",
            lambda c=client, f=family: c.get("/children/", {"q": f}),
        )
        ctx.time(
            f"{username}: child record",
            lambda c=client, pk=child.pk: c.get(f"/children/{pk}/"),
        )
