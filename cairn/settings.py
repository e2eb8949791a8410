"""Cairn settings, read from the environment (12-factor).

Every variable is listed in the README's configuration table. Defaults are safe for a local trial
(`CAIRN_ENV=development`); `CAIRN_ENV=production` refuses to start without its secrets.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import overload

import dj_database_url
import ninja
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


@overload
def env(name: str) -> str | None: ...
@overload
def env(name: str, default: str) -> str: ...
def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = env(name)
    return int(value) if value is not None else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = env(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


CAIRN_ENV = env("CAIRN_ENV", "development")
if CAIRN_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured("CAIRN_ENV must be development, test or production")
PRODUCTION = CAIRN_ENV == "production"

if PRODUCTION:
    missing = [n for n in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL") if env(n) is None]
    if missing:
        raise ImproperlyConfigured(
            "CAIRN_ENV=production needs these environment variables: " + ", ".join(missing)
        )

_secret = env("SECRET_KEY")
if _secret is None:
    # A trial or test run gets a random key per process: sessions do not survive a restart,
    # and there is no guessable fallback.
    _key_file = BASE_DIR / ".secret_key"
    if _key_file.exists():
        _secret = _key_file.read_text().strip()
    else:
        _secret = secrets.token_urlsafe(50)
        try:
            _key_file.write_text(_secret)
            _key_file.chmod(0o600)
        except OSError:
            pass
SECRET_KEY = _secret

DEBUG = False if PRODUCTION else env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "govuk_frontend_django",
    "axes",
    "auditlog",
    "cairn.core",
    "cairn.accounts",
    "cairn.audit",
    "cairn.children",
    "cairn.risk",
    "cairn.missing",
    "cairn.panels",
    "cairn.reporting",
    "cairn.language",
    "cairn.exchange",
    "cairn.api",
    "cairn.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "cairn.audit.middleware.RequestContextMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cairn.urls"
WSGI_APPLICATION = "cairn.wsgi.application"
ASGI_APPLICATION = "cairn.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cairn" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cairn.core.context_processors.cairn",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'cairn.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions end after 30 minutes without a request.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Login throttling (django-axes): lock a username from an address after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)

HTTPS = env_bool("HTTPS", PRODUCTION)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end packages (make install copies them here) and Swagger UI's files from django-ninja,
# served as ordinary static files (no session, no database).
STATICFILES_DIRS = [BASE_DIR / "static_vendor", Path(ninja.__file__).resolve().parent / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = Path(env("CAIRN_MEDIA_ROOT", str(BASE_DIR / "media")))

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}

# Cairn's own settings.
CAIRN_BREAK_GLASS_MINUTES = env_int("CAIRN_BREAK_GLASS_MINUTES", 60)
CAIRN_PAGE_SIZE = 25
CAIRN_SMALL_NUMBER = 5
# Exploitation risk (DOMAIN.md): days between reviews by level, and the under-13 /
# learning-disability floor for children showing any significant indicator.
CAIRN_RISK_REVIEW_DAYS = {
    "high": env_int("CAIRN_RISK_REVIEW_DAYS_HIGH", 28),
    "medium": env_int("CAIRN_RISK_REVIEW_DAYS_MEDIUM", 42),
    "low": env_int("CAIRN_RISK_REVIEW_DAYS_LOW", 91),
}
CAIRN_RISK_FLOOR_AGE = env_int("CAIRN_RISK_FLOOR_AGE", 13)
CAIRN_RISK_FLOOR_LEVEL = env("CAIRN_RISK_FLOOR_LEVEL", "medium")
# Missing (DOMAIN.md): the return home interview clock, the repeat-missing alert, Philomena reviews.
CAIRN_RHI_HOURS = env_int("CAIRN_RHI_HOURS", 72)
CAIRN_REPEAT_MISSING_EPISODES = env_int("CAIRN_REPEAT_MISSING_EPISODES", 3)
CAIRN_REPEAT_MISSING_DAYS = env_int("CAIRN_REPEAT_MISSING_DAYS", 90)
CAIRN_PHILOMENA_REVIEW_MONTHS = env_int("CAIRN_PHILOMENA_REVIEW_MONTHS", 6)
# Photos and other files about children: outside the web root, served only by checked views.
CAIRN_PRIVATE_MEDIA_ROOT = Path(env("CAIRN_PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private")))
CAIRN_PHOTO_MAX_BYTES = env_int("CAIRN_PHOTO_MAX_BYTES", 5 * 1024 * 1024)
# Panels (DOMAIN.md): a child at medium or high not discussed for this many weeks is due back on
# the agenda; a panel member sees agenda children until this many days after the meeting; owners
# are reminded of actions due within this many days (and overdue ones).
CAIRN_PANEL_REVIEW_WEEKS = env_int("CAIRN_PANEL_REVIEW_WEEKS", 12)
CAIRN_PANEL_ACCESS_DAYS = env_int("CAIRN_PANEL_ACCESS_DAYS", 30)
CAIRN_ACTION_REMINDER_DAYS = env_int("CAIRN_ACTION_REMINDER_DAYS", 3)
# Where people open Cairn: links in reminder emails.
CAIRN_BASE_URL = env("CAIRN_BASE_URL", "http://localhost:8000")
