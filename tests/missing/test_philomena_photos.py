"""Profile photos: only real JPEG, PNG or WebP images under the size limit, re-encoded so no
EXIF (GPS, camera) survives, stored privately under a random name, and served only to those who
may see the profile, privately and audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from cairn.audit.models import AccessEvent, Action
from cairn.missing.models import PhilomenaProfile, ProfilePhoto
from cairn.missing.philomena_services import (
    private_media_root,
    profile_photo_add,
    size_label,
)
from tests.missing.test_philomena_services import make_profile

GPS_IFD = 0x8825
MAKE = 0x010F
ORIENTATION = 0x0112


@pytest.fixture
def private_media(tmp_path: Path) -> Iterator[Path]:
    """CAIRN_PRIVATE_MEDIA_ROOT in a temporary directory for the test."""
    root = tmp_path / "private"
    with override_settings(CAIRN_PRIVATE_MEDIA_ROOT=root):
        yield root


def image_bytes(
    image_format: str = "JPEG",
    size: tuple[int, int] = (64, 48),
    *,
    gps: bool = False,
    orientation: int | None = None,
    mode: str = "RGB",
) -> bytes:
    """A small synthetic image; with `gps`, EXIF naming a camera and a place."""
    image = Image.new(mode, size, (200, 60, 40) if mode == "RGB" else (200, 60, 40, 128))
    exif = Image.Exif()
    if gps:
        exif[MAKE] = "SynthCam"
        exif.get_ifd(GPS_IFD).update({1: "N", 2: (52.0, 12.0, 30.0), 3: "W", 4: (1.0, 30.0, 0.0)})
    if orientation:
        exif[ORIENTATION] = orientation
    out = BytesIO()
    options: dict[str, Any] = {"exif": exif.tobytes()} if len(exif) else {}
    image.save(out, format=image_format, **options)
    return out.getvalue()


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> Any:
    return SimpleUploadedFile(name, data, content_type=content_type)


def add(p: Any, data: bytes, name: str = "photo.jpg", **kwargs: Any) -> ProfilePhoto:
    profile = PhilomenaProfile.objects.filter(child=p.child).first() or make_profile(p)
    values = {"actor": p.lead, "profile": profile, "taken_on": timezone.localdate()} | kwargs
    return profile_photo_add(photo=upload(data, name), **values)


def test_a_jpeg_with_gps_exif_is_stored_without_any_exif(partnership, private_media) -> None:
    original = image_bytes(gps=True)
    before = Image.open(BytesIO(original)).getexif()
    assert before[MAKE] == "SynthCam" and before.get_ifd(GPS_IFD)  # the test image has GPS

    photo = add(partnership, original)

    stored = private_media / photo.path
    assert stored.is_file()
    data = stored.read_bytes()
    with Image.open(stored) as image:
        assert image.format == "JPEG"
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info
        assert image.size == (64, 48)
    assert b"Exif" not in data and b"SynthCam" not in data
    assert (photo.content_type, photo.width, photo.height) == ("image/jpeg", 64, 48)


def test_the_photo_is_turned_upright_before_its_exif_goes(partnership, private_media) -> None:
    photo = add(partnership, image_bytes(size=(64, 48), orientation=6))  # rotated 90°
    assert (photo.width, photo.height) == (48, 64)


@pytest.mark.parametrize(
    ("image_format", "content_type", "suffix"),
    [("PNG", "image/png", ".png"), ("WEBP", "image/webp", ".webp")],
)
def test_png_and_webp_keep_their_format_and_lose_their_exif(
    partnership, private_media, image_format, content_type, suffix
) -> None:
    photo = add(partnership, image_bytes(image_format, gps=True), name="photo.bin")
    assert photo.content_type == content_type and photo.path.endswith(suffix)
    with Image.open(private_media / photo.path) as image:
        assert image.format == image_format
        assert dict(image.getexif()) == {}


def test_the_file_name_is_random_and_under_the_private_root(partnership, private_media) -> None:
    first = add(partnership, image_bytes(), name="jordan-ashdown.jpg")
    second = add(partnership, image_bytes(), name="jordan-ashdown.jpg")
    assert first.path != second.path
    assert "jordan" not in first.path.lower()
    assert first.path.startswith("philomena/") and len(Path(first.path).stem) == 32
    assert (private_media / first.path).stat().st_mode & 0o077 == 0  # owner only


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"This is not a picture at all, whatever its name says.", "photo.jpg"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n", "photo.png"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "photo.webp"),
        (image_bytes("GIF"), "photo.jpg"),
        (image_bytes("BMP"), "photo.jpg"),
        (image_bytes()[:200], "photo.jpg"),  # truncated JPEG
    ],
    ids=["text", "pdf", "svg", "gif", "bmp", "truncated"],
)
def test_anything_but_a_jpeg_png_or_webp_is_refused_whatever_its_name(
    partnership, private_media, data, name
) -> None:
    with pytest.raises(ValidationError) as caught:
        add(partnership, data, name=name)
    assert caught.value.message_dict["photo"] == [
        "The selected file must be a JPEG, PNG or WebP image"
    ]
    assert not ProfilePhoto.objects.exists()
    assert not list(private_media.rglob("*.*"))


@override_settings(CAIRN_PHOTO_MAX_BYTES=1024)
def test_a_photo_over_the_limit_is_refused_naming_the_limit(partnership, private_media) -> None:
    noisy = Image.effect_noise((200, 200), 80).convert("RGB")
    out = BytesIO()
    noisy.save(out, format="PNG")
    with pytest.raises(ValidationError) as caught:
        add(partnership, out.getvalue())
    assert caught.value.message_dict["photo"] == ["The selected file must be smaller than 1 KB"]
    assert not ProfilePhoto.objects.exists()


def test_a_small_file_of_enormous_pixel_size_is_refused(partnership, private_media) -> None:
    out = BytesIO()
    Image.new("L", (8000, 6000)).save(out, format="PNG")  # 48 megapixels, a few kilobytes
    assert len(out.getvalue()) < settings.CAIRN_PHOTO_MAX_BYTES
    with pytest.raises(ValidationError) as caught:
        add(partnership, out.getvalue(), name="photo.png")
    assert caught.value.message_dict["photo"] == [
        "The selected image is too large: use a smaller photo"
    ]


def test_the_limit_reads_in_megabytes() -> None:
    assert size_label(5 * 1024 * 1024) == "5 MB"
    assert size_label(1536 * 1024) == "1.5 MB"
    assert size_label(800_000) == "781 KB"


def test_an_empty_file_and_a_missing_or_future_date_are_refused(partnership, private_media) -> None:
    with pytest.raises(ValidationError) as caught:
        add(partnership, b"", taken_on=None)
    errors = caught.value.message_dict
    assert errors["photo"] == ["The selected file is empty"]
    assert errors["taken_on"] == ["Enter the date the photo was taken"]
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        add(partnership, image_bytes(), taken_on=tomorrow)
    assert caught.value.message_dict["taken_on"] == [
        "The date the photo was taken cannot be in the future"
    ]


def test_only_those_who_may_change_the_record_add_photos(partnership, private_media) -> None:
    make_profile(partnership)
    with pytest.raises(PermissionDenied):
        add(partnership, image_bytes(), actor=partnership.colleague)


def test_adding_a_photo_is_audited(partnership, private_media) -> None:
    photo = add(partnership, image_bytes())
    event = AccessEvent.objects.get(action=Action.CREATE, object_type="missing.profilephoto")
    assert event.object_id == str(photo.pk) and event.child_id == partnership.child.pk


@pytest.mark.parametrize("served", ["STATIC_ROOT", "MEDIA_ROOT"])
def test_the_private_root_may_not_be_inside_a_served_directory(tmp_path, served) -> None:
    with (
        override_settings(
            **{served: tmp_path / "public"},
            CAIRN_PRIVATE_MEDIA_ROOT=tmp_path / "public" / "private",
        ),
        pytest.raises(ImproperlyConfigured),
    ):
        private_media_root()


def test_the_default_private_root_is_outside_the_served_directories() -> None:
    root = private_media_root()
    assert root == Path(settings.CAIRN_PRIVATE_MEDIA_ROOT).resolve()


# Serving -----------------------------------------------------------------------------------------


def test_the_photo_is_served_privately_and_each_view_is_audited(
    client, partnership, private_media
) -> None:
    photo = add(partnership, image_bytes(gps=True))
    client.force_login(partnership.colleague)
    response = client.get(reverse("philomena:photo", args=[photo.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    body = b"".join(response.streaming_content)
    assert body == (private_media / photo.path).read_bytes()
    event = AccessEvent.objects.get(action=Action.VIEW, object_type="missing.profilephoto")
    assert event.user == partnership.colleague and event.reason == "agency"


def test_a_photo_whose_file_is_gone_is_not_found(client, partnership, private_media) -> None:
    photo = add(partnership, image_bytes())
    (private_media / photo.path).unlink()
    client.force_login(partnership.lead)
    assert client.get(reverse("philomena:photo", args=[photo.pk])).status_code == 404


def test_the_upload_page_adds_a_photo_and_shows_it_on_the_profile(
    client, partnership, private_media
) -> None:
    p = partnership
    make_profile(p)
    client.force_login(p.lead)
    url = reverse("philomena:photo_add", args=[p.child.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "photo": upload(image_bytes(gps=True)),
            "taken_on_day": "3",
            "taken_on_month": "2",
            "taken_on_year": str(timezone.localdate().year - 1),
        },
    )
    assert response.status_code == 302
    photo = ProfilePhoto.objects.get()
    page = client.get(reverse("philomena:profile", args=[p.child.pk])).content.decode()
    assert reverse("philomena:photo", args=[photo.pk]) in page
    assert f"Taken 3 February {timezone.localdate().year - 1}" in page


def test_the_upload_page_shows_the_refusal(client, partnership, private_media) -> None:
    p = partnership
    make_profile(p)
    client.force_login(p.lead)
    response = client.post(
        reverse("philomena:photo_add", args=[p.child.pk]),
        {"photo": upload(b"not an image"), "taken_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "The selected file must be a JPEG, PNG or WebP image" in page
    assert 'enctype="multipart/form-data"' in page
