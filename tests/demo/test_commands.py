"""`cairn demo` and `cairn generate`."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from cairn.accounts.models import User
from cairn.children.models import Child, Involvement
from cairn.demo.content import DEMO_LOGINS, DEMO_PASSWORD


def _demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", "--children", "40", "--anchor", "2025-03-31", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_demo_loads_the_county_and_prints_every_login_with_the_password_and_url():
    output = _demo()
    assert Child.objects.count() == 40
    for login in DEMO_LOGINS:
        line = next(line for line in output.splitlines() if line.split()[:1] == [login.username])
        assert DEMO_PASSWORD in line
        assert (login.agency or "—") in line
    assert "Practitioner" in output and "Administrator" in output
    assert "http://127.0.0.1:8000" in output


@pytest.mark.django_db
def test_running_demo_again_loads_nothing_more_but_still_prints_the_logins():
    _demo()
    children, users = Child.objects.count(), User.objects.count()
    output = _demo("--children", "80")
    assert (Child.objects.count(), User.objects.count()) == (children, users)
    assert "nothing loaded" in output
    assert "practitioner" in output and DEMO_PASSWORD in output


@pytest.mark.django_db
def test_demo_reset_starts_again_with_a_fresh_county():
    _demo()
    _demo("--reset", "--children", "25")
    assert Child.objects.count() == 25
    assert User.objects.filter(username="practitioner").count() == 1


@pytest.mark.django_db
def test_demo_shows_when_a_login_no_longer_has_the_demo_password():
    _demo()
    user = User.objects.get(username="manager")
    user.set_password("a-different-passphrase")
    user.save()
    line = next(line for line in _demo().splitlines() if line.split()[:1] == ["manager"])
    assert "(changed)" in line and DEMO_PASSWORD not in line


@pytest.mark.django_db
def test_demo_logins_can_sign_in_and_open_their_children(client):
    _demo()
    assert client.login(username="police.practitioner", password=DEMO_PASSWORD)
    user = User.objects.get(username="police.practitioner")
    involvement = Involvement.objects.filter(user=user, ended_on__isnull=True).first()
    response = client.get(reverse("children:detail", args=[involvement.child_id]))
    assert response.status_code == 200
    assert involvement.child.family_name in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("command", ["demo", "generate"])
def test_commands_refuse_to_run_in_production(settings, command):
    settings.CAIRN_ENV = "production"
    with pytest.raises(CommandError, match="production"):
        call_command(command, "--children", "5", stdout=StringIO())
    assert not Child.objects.exists()


@pytest.mark.django_db
def test_generate_prints_timing_and_row_counts():
    out, err = StringIO(), StringIO()
    call_command(
        "generate",
        "--children",
        "30",
        "--seed",
        "5",
        "--anchor",
        "2025-03-31",
        stdout=out,
        stderr=err,
    )
    output = out.getvalue()
    assert "30 children, seed 5, anchor 2025-03-31" in output
    assert " s." in output
    assert "case notes" in output and "placements" in output
    assert "30 / 30 children" in err.getvalue()


@pytest.mark.django_db
def test_generate_refuses_a_database_with_children_unless_reset():
    call_command("generate", "--children", "10", "--anchor", "2025-03-31", stdout=StringIO())
    with pytest.raises(CommandError, match="already holds children"):
        call_command("generate", "--children", "10", stdout=StringIO())
    call_command(
        "generate", "--children", "12", "--reset", "--anchor", "2025-03-31", stdout=StringIO()
    )
    assert Child.objects.count() == 12


def test_generate_rejects_a_badly_written_anchor_date():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("generate", "--children", "5", "--anchor", "31/03/2025")
