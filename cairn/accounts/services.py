"""Writes for users and API tokens."""

from __future__ import annotations

import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cairn.accounts.models import Agency, ApiToken, Role, Team, User
from cairn.audit.models import Action
from cairn.audit.services import access_event_record

TOKEN_PREFIX = "cairn_"


def user_sync_staff_flags(user: User) -> None:
    """Only administrators reach Django admin; they manage users and agencies there."""
    user.is_staff = user.role == Role.ADMINISTRATOR
    user.is_superuser = user.role == Role.ADMINISTRATOR


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    role: str,
    agency: Agency | None = None,
    team: Team | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    job_title: str = "",
    validate: bool = True,
) -> User:
    if role not in Role.values:
        raise ValidationError(
            {"role": f"Unknown role {role!r}; use one of {', '.join(Role.values)}"}
        )
    if role != Role.ADMINISTRATOR and agency is None:
        raise ValidationError({"agency": "Every user except an administrator belongs to an agency"})
    user = User(
        username=username,
        role=role,
        agency=agency,
        team=team,
        first_name=first_name,
        last_name=last_name,
        email=email,
        job_title=job_title,
    )
    user_sync_staff_flags(user)
    if password:
        if validate:
            try:
                validate_password(password, user)
            except ValidationError as error:
                raise ValidationError({"password": error.messages}) from None
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token; the raw value is returned once and only its digest is kept."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the token a name, for example the tool that uses it"})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user, name=name, prefix=raw[: len(TOKEN_PREFIX) + 6], digest=ApiToken.digest_for(raw)
    )
    token.full_clean()
    token.save()
    access_event_record(actor=user, action=Action.CREATE, obj=token)
    return token, raw


@transaction.atomic
def api_token_revoke(*, user: User, token: ApiToken) -> ApiToken:
    if token.user_id != user.id:
        raise ValidationError("You can only revoke your own tokens")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        access_event_record(actor=user, action=Action.UPDATE, obj=token, detail={"revoked": True})
    return token


def api_token_authenticate(raw: str) -> User | None:
    """The active user holding this token, or None. Records when the token was last used."""
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.digest_for(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
