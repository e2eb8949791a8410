"""Settings come from the environment; production refuses to start without its secrets."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings

PRINT = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='cairn.settings'; django.setup(); "
    "from django.conf import settings as s; "
    "print(s.DEBUG, s.SESSION_COOKIE_AGE, getattr(s, 'SECURE_HSTS_SECONDS', 0), "
    "s.SESSION_COOKIE_SECURE, s.DATABASES['default']['ENGINE'])"
)


def _run(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DEBUG", "CAIRN_ENV", "HTTPS"}
    }
    return subprocess.run(
        [sys.executable, "-c", PRINT],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without_each_secret(missing):
    env = {
        "CAIRN_ENV": "production",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "cairn.example.org",
        "DATABASE_URL": "postgresql://cairn@db/cairn",
    }
    env.pop(missing)
    result = _run(env)
    assert result.returncode != 0
    assert missing in result.stderr
    assert "Traceback" in result.stderr or "ImproperlyConfigured" in result.stderr


def test_production_never_runs_with_debug_and_is_secure_behind_https():
    result = _run(
        {
            "CAIRN_ENV": "production",
            "SECRET_KEY": "x" * 60,
            "ALLOWED_HOSTS": "cairn.example.org",
            "DATABASE_URL": "postgresql://cairn@db/cairn",
            "DEBUG": "true",
        }
    )
    assert result.returncode == 0, result.stderr
    debug, idle, hsts, secure_cookie, engine = result.stdout.split()
    assert debug == "False"
    assert idle == "1800"
    assert int(hsts) >= 31536000
    assert secure_cookie == "True"
    assert engine == "django.db.backends.postgresql"


def test_a_trial_defaults_to_sqlite_with_no_guessable_secret():
    result = _run({"CAIRN_ENV": "development"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "django.db.backends.sqlite3"


def test_secure_defaults():
    assert settings.USE_TZ is True
    assert settings.TIME_ZONE == "Europe/London"
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert len(settings.AUTH_PASSWORD_VALIDATORS) >= 4
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert "csp.middleware.CSPMiddleware" in settings.MIDDLEWARE


def test_pages_send_a_content_security_policy(client, db):
    response = client.get("/accounts/login/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "frame-ancestors 'none'" in policy


def test_repeated_failed_sign_ins_lock_the_account(client, db, settings):
    from tests.factories import UserFactory

    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(username="robin")
    for _ in range(3):
        client.post("/accounts/login/", {"username": "robin", "password": "wrong"})
    response = client.post(
        "/accounts/login/", {"username": "robin", "password": "a-long-test-passphrase"}
    )
    assert response.status_code == 429


def test_sign_in_with_the_right_password_works(client, db, settings):
    from tests.factories import UserFactory

    settings.AXES_ENABLED = True
    UserFactory(username="robin")
    response = client.post(
        "/accounts/login/", {"username": "robin", "password": "a-long-test-passphrase"}
    )
    assert response.status_code == 302


def test_createuser_command_makes_a_user_with_role_and_agency(db):
    from django.core.management import call_command

    from cairn.accounts.models import User
    from tests.factories import AgencyFactory

    AgencyFactory(code="SYCS")
    call_command(
        "createuser", "kim", role="manager", agency="SYCS", password="correct horse battery 9"
    )
    user = User.objects.get(username="kim")
    assert user.role == "manager"
    assert user.agency.code == "SYCS"
    assert user.check_password("correct horse battery 9")
    assert not user.is_staff


def test_createuser_refuses_a_weak_password(db):
    from django.core.management import CommandError, call_command

    from tests.factories import AgencyFactory

    AgencyFactory(code="SYCS")
    with pytest.raises(CommandError, match="password"):
        call_command("createuser", "kim", role="manager", agency="SYCS", password="short")


def test_administrators_reach_django_admin_and_others_do_not(client, db):
    from tests.factories import UserFactory

    admin_user = UserFactory(role="administrator", agency=None)
    client.force_login(admin_user)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200
    manager = UserFactory(role="manager")
    client.force_login(manager)
    assert client.get("/admin/").status_code == 302


def test_child_records_are_not_in_django_admin():
    from django.contrib import admin

    from cairn.children import models

    for model in (models.Child, models.CaseNote, models.ChildVoice, models.Placement):
        assert not admin.site.is_registered(model)
