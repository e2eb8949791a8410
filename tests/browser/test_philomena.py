"""A social worker makes a Philomena Protocol profile for a child in care in a real browser: a
password among the usernames is refused, the profile is saved, a photo (with GPS in its EXIF)
is uploaded and shown with its date. Every page passes axe."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone
from PIL import Image

from cairn.accounts.models import Role
from cairn.missing.models import ProfilePhoto
from tests.browser.helpers import expect, sign_in, visit_and_check
from tests.factories import AgencyFactory, ChildFactory, PlacementFactory, UserFactory

pytestmark = pytest.mark.browser


def photo_with_gps() -> bytes:
    image = Image.new("RGB", (120, 160), (90, 120, 160))
    exif = Image.Exif()
    exif[0x010F] = "SynthCam"
    exif.get_ifd(0x8825).update({1: "N", 2: (52.0, 12.0, 30.0), 3: "W", 4: (1.0, 30.0, 0.0)})
    out = BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_a_social_worker_makes_a_profile_and_adds_a_photo(page, live_server, tmp_path: Path):
    agency = AgencyFactory(code="SCC", name="Synthetshire Children's Services")
    worker = UserFactory(
        username="sam.worker", first_name="Sam", last_name="Fernhollow",
        role=Role.PRACTITIONER, agency=agency,
    )  # fmt: skip
    child = ChildFactory(
        agency=agency, given_name="Kezia", family_name="Synthfield", legal_status="looked_after",
        lead_professional=worker, ethnicity="White: British",
    )  # fmt: skip
    PlacementFactory(
        child=child, provider_name="Oakfield House",
        start_date=timezone.localdate() - dt.timedelta(days=90),
    )  # fmt: skip

    with override_settings(CAIRN_PRIVATE_MEDIA_ROOT=tmp_path / "private"):
        sign_in(page, worker.username)
        visit_and_check(page, "no-profile", f"/philomena/{child.pk}/")
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_have_text("Kezia Synthfield")
        expect(page.get_by_test_id("no-profile")).to_have_text("Kezia has no Philomena profile.")

        page.get_by_role("link", name="Create a Philomena profile").click()
        expect(heading).to_have_text("Create a Philomena profile")
        visit_and_check(page, "profile-form")
        page.get_by_label("Height").fill("1.58 m")
        page.get_by_label("Hair").fill("Long, dark brown, usually tied back")
        page.get_by_label("Clothing style").fill("Grey hoodie, white trainers, small black bag")
        page.get_by_label("Social media usernames").fill("Snapchat: kez_s\npassword: sunshine1")
        page.get_by_label("Medical needs and medication").fill("Asthma: blue inhaler")
        page.get_by_role("button", name="Save profile").click()

        summary = page.locator(".govuk-error-summary")
        expect(summary).to_contain_text("Enter usernames only")
        visit_and_check(page, "profile-form-password-refused")
        summary.get_by_role("link").first.click()
        expect(page.get_by_label("Social media usernames")).to_be_focused()
        page.get_by_label("Social media usernames").fill("Snapchat: kez_s\nTikTok: kezia.s")
        page.get_by_role("button", name="Save profile").click()

        expect(heading).to_have_text("Kezia Synthfield")
        expect(page.get_by_role("alert")).to_contain_text(
            "Kezia's Philomena profile has been saved."
        )
        expect(page.get_by_test_id("identity")).to_contain_text("White: British")
        expect(page.get_by_test_id("identity")).to_contain_text("Oakfield House")
        expect(page.get_by_test_id("review")).to_contain_text("Up to date")
        expect(page.get_by_text("TikTok: kezia.s")).to_be_visible()
        visit_and_check(page, "profile")

        page.get_by_role("link", name="Add a photo").click()
        expect(heading).to_have_text("Add a photo")
        visit_and_check(page, "photo-form")
        page.get_by_label("Photo", exact=True).set_input_files(
            {"name": "kezia.jpg", "mimeType": "image/jpeg", "buffer": photo_with_gps()}
        )
        taken = timezone.localdate() - dt.timedelta(days=10)
        page.get_by_label("Day").fill(str(taken.day))
        page.get_by_label("Month").fill(str(taken.month))
        page.get_by_label("Year").fill(str(taken.year))
        page.get_by_role("button", name="Add photo").click()

        expect(page.get_by_role("alert")).to_contain_text("The photo has been added.")
        photo = page.get_by_role("img", name=f"Photo of Kezia Synthfield taken {taken:%-d %B %Y}")
        expect(photo).to_be_visible()
        # decode() waits until the image has loaded (it rejects if it cannot be shown).
        assert photo.evaluate("img => img.decode().then(() => img.naturalWidth)") == 120
        expect(page.get_by_test_id("photos")).to_contain_text(f"Taken {taken:%-d %B %Y}")
        visit_and_check(page, "profile-with-photo")

        stored = tmp_path / "private" / ProfilePhoto.objects.get().path
        assert b"SynthCam" not in stored.read_bytes()
        with Image.open(stored) as image:
            assert dict(image.getexif()) == {}
