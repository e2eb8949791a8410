"""Writes for Philomena Protocol profiles (DOMAIN.md "Missing"): the profile itself, its photos
and the police pack.

- A profile is kept for a child in care (legal status looked after). Care leavers are not
  placed by the local authority, so they have none; a profile made while the child was in care
  stays readable but cannot be changed once they leave care.
- Creating or changing a profile needs change access to the child's record
  (`access.child_access(...).edit`). Saving with `reviewed=True` records a review: today, by the
  actor, at the child's current placement (reviews fall due every CAIRN_PHILOMENA_REVIEW_MONTHS
  months, and when the child moves: see philomena_selectors.review_status).
- Social media usernames only: text that looks like a password is refused, as are passwords and
  PINs among the phones.
- Photos are checked by opening them (JPEG, PNG or WebP only, at most CAIRN_PHOTO_MAX_BYTES),
  re-encoded from their pixels alone (no EXIF, GPS, camera or ICC data survives) and written
  under CAIRN_PRIVATE_MEDIA_ROOT with a random name; they are served only through an
  access-checked view.
- The police pack is a PDF (WeasyPrint) of the profile, the newest photo, Part 2 of the open
  episode and recent episodes; generating it writes one export event naming the episode.

Every write runs in a transaction, validates before saving (errors name the form field) and
writes one access event. Free text gets children-first language guidance (never blocking).
"""

from __future__ import annotations

import base64
import os
import re
import secrets
import warnings
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from cairn.accounts import access
from cairn.audit.models import Action
from cairn.audit.services import access_event_record
from cairn.children.models import Child, LegalStatus, Placement
from cairn.language.services import language_guidance
from cairn.missing.models import MissingEpisode, PhilomenaProfile, ProfilePhoto

if TYPE_CHECKING:
    from cairn.accounts.models import User

Errors = dict[str, list[str]]

PROFILE_FIELDS = (
    "height",
    "build",
    "hair",
    "eyes",
    "distinguishing_features",
    "clothing_style",
    "phones",
    "social_media",
    "associates",
    "places",
    "risk_locations",
    "medical_needs",
    "vulnerabilities",
    "languages",
)
#: Fields written in sentences, checked for children-first language.
PROSE_FIELDS = (
    "distinguishing_features",
    "clothing_style",
    "associates",
    "places",
    "risk_locations",
    "medical_needs",
    "vulnerabilities",
)

#: Words and shapes that say "this is a secret": password, passwd, pass word, passcode,
#: passphrase, pwd, and "pw:", "pass:", "pin:", "login=" style labels, or a PIN with its digits.
SECRET = re.compile(
    r"pass\s*(?:word|wd|code|phrase)"
    r"|\bpwd\b"
    r"|\b(?:pw|pass|pin|login|log-in)\s*[:=]"
    r"|\bpin(?:\s*(?:code|number|no\.?))?\s*(?:is\s*)?\d{4,}",
    re.IGNORECASE,
)
SECRET_MESSAGES = {
    "social_media": (
        "Enter usernames only: remove what looks like a password (such as ‘password’ or "
        "‘pwd:’). Never record a child's passwords"
    ),
    "phones": (
        "Enter phone numbers and handsets only: remove what looks like a password or PIN "
        "(such as ‘passcode’ or ‘PIN 1234’). Never record a child's passwords or PINs"
    ),
}

#: Photo formats accepted, as Pillow names them: (content type, file extension, label).
PHOTO_FORMATS = {
    "JPEG": ("image/jpeg", ".jpg"),
    "PNG": ("image/png", ".png"),
    "WEBP": ("image/webp", ".webp"),
}
PHOTO_TYPE_ERROR = "The selected file must be a JPEG, PNG or WebP image"
PHOTO_MAX_PIXELS = 40_000_000  # larger is a decompression bomb, not a photo
PHOTO_MAX_SIDE = 2400  # stored photos are scaled down to this many pixels on the longer side
PHOTO_DIR = "philomena"


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def secret_problem(field: str, text: str) -> str | None:
    """Why this social media or phones text cannot be saved (it looks like it holds a password),
    or None."""
    if field in SECRET_MESSAGES and SECRET.search(text or ""):
        return SECRET_MESSAGES[field]
    return None


def eligibility_problem(child: Child) -> str | None:
    """Why this child cannot have a Philomena profile, or None. Profiles are for children in
    care: care leavers are no longer placed by the local authority."""
    if child.legal_status == LegalStatus.LOOKED_AFTER:
        return None
    status = LegalStatus(child.legal_status).label if child.legal_status else "not recorded"
    return (
        "A Philomena profile is kept for children in care (looked after). "
        f"{child.given_name}'s legal status is ‘{status}’"
    )


def current_placement(child: Child, day: date | None = None) -> Placement | None:
    """The placement the child lives in on `day` (today): started by then and not ended, the
    latest started if records overlap."""
    day = day or timezone.localdate()
    return (
        Placement.objects.filter(child=child, start_date__lte=day)
        .exclude(end_date__lt=day)
        .order_by("-start_date", "-id")
        .first()
    )


def _require_edit(actor: User, child: Child) -> None:
    if not access.child_access(actor, child).edit:
        raise PermissionDenied("You cannot change this child's Philomena profile")


def _clean_fields(fields: dict[str, Any], errors: Errors) -> dict[str, str]:
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown profile fields: {', '.join(sorted(unknown))}")
    cleaned = {name: str(value or "").strip() for name, value in fields.items()}
    for name, text in cleaned.items():
        problem = secret_problem(name, text)
        if problem:
            _add(errors, name, problem)
    return cleaned


def _check_review_date(child: Child, reviewed_on: date, errors: Errors) -> None:
    if reviewed_on > timezone.localdate():
        _add(errors, "reviewed_on", "The date of the review cannot be in the future")
    elif child.date_of_birth and reviewed_on < child.date_of_birth:
        _add(
            errors,
            "reviewed_on",
            "The date of the review cannot be before the child's date of birth "
            f"({_long_date(child.date_of_birth)})",
        )


def _full_clean(profile: PhilomenaProfile, errors: Errors) -> None:
    try:
        profile.full_clean(exclude=["child"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            for message in messages:
                _add(errors, field, message)


def _guidance(profile: PhilomenaProfile) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for name in PROSE_FIELDS:
        found.extend(language_guidance(getattr(profile, name)))
    return found


@transaction.atomic
def philomena_profile_create(
    *, actor: User, child: Child, reviewed_on: date | None = None, **fields: Any
) -> tuple[PhilomenaProfile, list[dict[str, Any]]]:
    """Make the child's profile, reviewed on `reviewed_on` (today) by the actor at the child's
    current placement. Returns the profile and language guidance on its free text."""
    child = Child.objects.select_for_update().get(pk=child.pk)
    _require_edit(actor, child)
    errors: Errors = {}
    problem = eligibility_problem(child)
    if problem:
        _add(errors, "__all__", problem)
    if PhilomenaProfile.objects.filter(child=child).exists():
        _add(errors, "__all__", f"{child.given_name} already has a Philomena profile")
    cleaned = _clean_fields(fields, errors)
    reviewed_on = reviewed_on or timezone.localdate()
    _check_review_date(child, reviewed_on, errors)
    profile = PhilomenaProfile(
        child=child,
        reviewed_on=reviewed_on,
        reviewed_by=actor,
        placement_at_review=current_placement(child, reviewed_on),
        **cleaned,
    )
    _full_clean(profile, errors)
    if errors:
        raise ValidationError(errors)
    profile.save()
    access_event_record(actor=actor, action=Action.CREATE, obj=profile, child=child)
    return profile, _guidance(profile)


@transaction.atomic
def philomena_profile_update(
    *,
    actor: User,
    profile: PhilomenaProfile,
    reviewed: bool = False,
    reviewed_on: date | None = None,
    **fields: Any,
) -> tuple[PhilomenaProfile, list[dict[str, Any]]]:
    """Change the profile. With `reviewed`, also record a review on `reviewed_on` (today) by
    the actor at the child's current placement, which restarts the review clock. The access
    event lists the fields changed, never their values. Returns the profile and guidance."""
    locked = PhilomenaProfile.objects.select_for_update().select_related("child").get(pk=profile.pk)
    child = locked.child
    _require_edit(actor, child)
    errors: Errors = {}
    problem = eligibility_problem(child)
    if problem:
        _add(errors, "__all__", f"{problem}: the profile is kept for the record, unchanged")
    cleaned = _clean_fields(fields, errors)
    changed = [name for name, value in cleaned.items() if getattr(locked, name) != value]
    for name in changed:
        setattr(locked, name, cleaned[name])
    if reviewed:
        reviewed_on = reviewed_on or timezone.localdate()
        _check_review_date(child, reviewed_on, errors)
        if reviewed_on < locked.reviewed_on:
            _add(
                errors,
                "reviewed_on",
                "The date of the review cannot be before the last review "
                f"({_long_date(locked.reviewed_on)})",
            )
        locked.reviewed_on = reviewed_on
        locked.reviewed_by = actor
        locked.placement_at_review = current_placement(child, reviewed_on)
    _full_clean(locked, errors)
    if errors:
        raise ValidationError(errors)
    if not changed and not reviewed:
        return locked, []
    review_fields = ["reviewed_on", "reviewed_by", "placement_at_review"] if reviewed else []
    locked.save(update_fields=[*changed, *review_fields, "updated_at"])
    access_event_record(
        actor=actor,
        action=Action.UPDATE,
        obj=locked,
        child=child,
        detail={"fields": changed, "reviewed": reviewed},
    )
    return locked, _guidance(locked)


# Photos --------------------------------------------------------------------------------------


def private_media_root() -> Path:
    """CAIRN_PRIVATE_MEDIA_ROOT, refused if the web server could serve it (inside the static or
    media roots or a static files directory)."""
    root = Path(settings.CAIRN_PRIVATE_MEDIA_ROOT).resolve()
    public = [settings.STATIC_ROOT, settings.MEDIA_ROOT, *settings.STATICFILES_DIRS]
    for served in public:
        if not served:
            continue
        served_path = Path(served).resolve()
        if root == served_path or served_path in root.parents:
            raise ImproperlyConfigured(
                f"CAIRN_PRIVATE_MEDIA_ROOT ({root}) is inside a served directory ({served_path})"
            )
    return root


def size_label(size: int) -> str:
    """5242880 -> '5 MB'; 1536000 -> '1.5 MB'; 800000 -> '781 KB'."""
    mb = size / (1024 * 1024)
    if mb >= 1:
        return f"{mb:.1f}".removesuffix(".0") + " MB"
    return f"{max(1, round(size / 1024))} KB"


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes
    content_type: str
    extension: str
    width: int
    height: int


def photo_clean(upload: IO[bytes]) -> CleanPhoto:
    """Check an uploaded photo and re-encode it from its pixels alone.

    Refuses (ValidationError on `photo`) anything over CAIRN_PHOTO_MAX_BYTES and anything Pillow
    cannot open as a JPEG, PNG or WebP image, whatever its name says. The stored image is
    turned upright first (EXIF orientation), then rebuilt from raw pixels, so no metadata
    (EXIF with GPS, XMP, ICC profile, comments) can survive; large images are scaled down."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    limit = settings.CAIRN_PHOTO_MAX_BYTES
    too_big = f"The selected file must be smaller than {size_label(limit)}"
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError({"photo": too_big})
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError({"photo": too_big})
    if not data:
        raise ValidationError({"photo": "The selected file is empty"})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(data)) as probe:
                image_format = probe.format or ""
                if image_format not in PHOTO_FORMATS:
                    raise ValidationError({"photo": PHOTO_TYPE_ERROR})
                if probe.width * probe.height > PHOTO_MAX_PIXELS:
                    raise ValidationError(
                        {"photo": "The selected image is too large: use a smaller photo"}
                    )
                probe.verify()
            with Image.open(BytesIO(data)) as opened:
                opened.load()
                upright = ImageOps.exif_transpose(opened)  # a loaded copy, turned upright
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
    ) as error:
        raise ValidationError({"photo": PHOTO_TYPE_ERROR}) from error

    assert upright is not None  # only None when transposing in place
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or (
        upright.mode == "P" and "transparency" in upright.info
    )
    mode = "RGBA" if has_alpha and image_format != "JPEG" else "RGB"
    pixels = upright.convert(mode)
    clean = Image.frombytes(mode, pixels.size, pixels.tobytes())  # pixels only, no metadata
    clean.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
    out = BytesIO()
    if image_format == "JPEG":
        clean.save(out, format="JPEG", quality=88, optimize=True)
    elif image_format == "PNG":
        clean.save(out, format="PNG", optimize=True)
    else:
        clean.save(out, format="WEBP", quality=88)
    content_type, extension = PHOTO_FORMATS[image_format]
    return CleanPhoto(out.getvalue(), content_type, extension, clean.width, clean.height)


def _write_private(content: bytes, extension: str) -> str:
    """Write to a new random name under the private root; returns the path relative to it."""
    root = private_media_root()
    folder = root / PHOTO_DIR
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    while True:
        relative = f"{PHOTO_DIR}/{secrets.token_hex(16)}{extension}"
        try:
            fd = os.open(root / relative, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # pragma: no cover - 128 random bits
            continue
        with os.fdopen(fd, "wb") as out:
            out.write(content)
        return relative


@transaction.atomic
def profile_photo_add(
    *, actor: User, profile: PhilomenaProfile, photo: IO[bytes] | None, taken_on: date | None
) -> ProfilePhoto:
    """Add a photo to the profile: checked, stripped of metadata, stored privately."""
    child = profile.child
    _require_edit(actor, child)
    errors: Errors = {}
    problem = eligibility_problem(child)
    if problem:
        _add(errors, "__all__", problem)
    today = timezone.localdate()
    if taken_on is None:
        _add(errors, "taken_on", "Enter the date the photo was taken")
    elif taken_on > today:
        _add(errors, "taken_on", "The date the photo was taken cannot be in the future")
    elif child.date_of_birth and taken_on < child.date_of_birth:
        _add(
            errors,
            "taken_on",
            "The date the photo was taken cannot be before the child's date of birth "
            f"({_long_date(child.date_of_birth)})",
        )
    clean = None
    if photo is None:
        _add(errors, "photo", "Select a photo")
    else:
        try:
            clean = photo_clean(photo)
        except ValidationError as error:
            for message in error.message_dict["photo"]:
                _add(errors, "photo", message)
    if errors:
        raise ValidationError(errors)
    assert clean is not None and taken_on is not None
    relative = _write_private(clean.content, clean.extension)
    try:
        saved = ProfilePhoto(
            profile=profile,
            path=relative,
            content_type=clean.content_type,
            width=clean.width,
            height=clean.height,
            taken_on=taken_on,
            uploaded_by=actor,
        )
        saved.full_clean()
        saved.save()
        access_event_record(
            actor=actor,
            action=Action.CREATE,
            obj=saved,
            child=child,
            detail={"profile": profile.pk, "content_type": clean.content_type},
        )
    except BaseException:
        (private_media_root() / relative).unlink(missing_ok=True)
        raise
    return saved


def photo_path(photo: ProfilePhoto) -> Path | None:
    """The stored file of a photo, or None if it is missing or (never expected) outside the
    private root."""
    root = private_media_root()
    path = (root / photo.path).resolve()
    if root not in path.parents or not path.is_file():
        return None
    return path


# The police pack -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PolicePack:
    content: bytes
    filename: str
    episode: MissingEpisode | None


def _data_uri(photo: ProfilePhoto) -> str | None:
    path = photo_path(photo)
    if path is None:
        return None
    encoded = base64.b64encode(path.read_bytes()).decode("ascii")
    return f"data:{photo.content_type};base64,{encoded}"


def police_pack_generate(*, actor: User, child: Child) -> PolicePack:
    """The police pack PDF for the child: the profile with its newest photo, Part 2 of the open
    episode (if any), recent episodes and where the child was found, and a header naming who
    generated it, when, and who may receive it. One export event naming the episode."""
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    from cairn.missing import philomena_selectors

    if not access.can_generate_police_pack(actor, child):
        raise PermissionDenied("You cannot generate a police pack for this child")
    context = philomena_selectors.police_pack_context(child=child)
    profile: PhilomenaProfile | None = context["profile"]
    if profile is None:
        raise ValidationError(f"{child.given_name} has no Philomena profile")
    photo = context["photo"]
    episode: MissingEpisode | None = context["episode"]
    context |= {
        "generated_by": actor,
        "generated_at": timezone.localtime(),
        "photo_uri": _data_uri(photo) if photo else None,
    }
    html = render_to_string("missing/philomena/police_pack.html", context)
    css = render_to_string("missing/philomena/police_pack.css")
    fetcher = URLFetcher(allowed_protocols={"data"})  # nothing from disk or the network
    pdf = HTML(string=html, url_fetcher=fetcher).write_pdf(
        stylesheets=[CSS(string=css, url_fetcher=fetcher)]
    )
    assert pdf is not None
    access_event_record(
        actor=actor,
        action=Action.EXPORT,
        obj=profile,
        child=child,
        reason="police pack",
        detail={
            "format": "pdf",
            "episode": episode.episode_ref if episode else None,
            "episode_id": episode.pk if episode else None,
            "photo": photo.pk if photo else None,
        },
    )
    suffix = episode.episode_ref if episode else timezone.localdate().isoformat()
    filename = re.sub(r"[^A-Za-z0-9._-]+", "-", f"police-pack-{child.child_ref}-{suffix}.pdf")
    return PolicePack(content=pdf, filename=filename, episode=episode)
