"""Forms for Philomena Protocol profiles and their photos. Validation that matters (passwords
among the usernames, photo checks, dates) lives in philomena_services, which the views call;
these forms parse and label."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone

from cairn.core.forms import GovukDateInput, GovukErrorsMixin
from cairn.missing.models import PhilomenaProfile
from cairn.missing.philomena_services import PROFILE_FIELDS, size_label

#: Fields shown as one-line inputs; the rest are text areas.
SHORT_FIELDS = ("height", "build", "hair", "eyes", "languages")


class PhilomenaProfileForm(GovukErrorsMixin, forms.ModelForm):
    class Meta:
        model = PhilomenaProfile
        fields = list(PROFILE_FIELDS)
        labels = {
            "height": "Height",
            "build": "Build",
            "hair": "Hair",
            "eyes": "Eyes",
            "distinguishing_features": "Scars, tattoos, piercings and other features",
            "clothing_style": "Clothing style",
            "phones": "Phone numbers and handsets",
            "social_media": "Social media usernames",
            "associates": "Friends and associates",
            "places": "Places and addresses they go to",
            "risk_locations": "Risk-assessed locations",
            "medical_needs": "Medical needs and medication",
            "vulnerabilities": "Vulnerabilities",
            "languages": "Languages spoken",
        }
        help_texts = {
            "height": "For example, 1.60 m or 5 ft 3 in.",
            "build": "For example, slim or stocky.",
            "hair": "Colour, length and style.",
            "eyes": "Colour, and glasses or contact lenses.",
            "clothing_style": "What they usually wear: brands, colours, coats, bags.",
            "phones": "Numbers and handsets (make, model, colour, case). Never PINs or passcodes.",
            "social_media": (
                "Usernames only, one a line with the platform: for example, "
                "‘Snapchat: jordan_a’. Never record passwords."
            ),
            "associates": (
                "Friends and adults they spend time with, and how to reach them. Children not "
                "known to services by initials only."
            ),
            "places": "Addresses, areas and venues, and who lives or works there.",
            "risk_locations": "Places assessed as unsafe for the child, and why.",
            "medical_needs": (
                "Conditions, medication and doses, and what happens if they go without."
            ),
            "vulnerabilities": (
                "What makes the child more at risk when missing: for example, a learning "
                "disability, or adults known to exploit children contacting them."
            ),
        }
        widgets = {name: forms.Textarea() for name in PROFILE_FIELDS if name not in SHORT_FIELDS}


class PhilomenaReviewForm(PhilomenaProfileForm):
    """Changing a profile: optionally as a full review, which restarts the review clock."""

    reviewed = forms.BooleanField(label="This is a review of the whole profile", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewed"].help_text = (
            "Tick when you have checked every section with the child's carer. The next review "
            f"falls due {settings.CAIRN_PHILOMENA_REVIEW_MONTHS} months from today, or sooner "
            "if the child moves."
        )


class ProfilePhotoForm(GovukErrorsMixin, forms.Form):
    photo = forms.FileField(
        label="Photo",
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    taken_on = forms.DateField(label="Date the photo was taken", widget=GovukDateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["photo"].help_text = (
            "A recent, clear photo of the child's face: JPEG, PNG or WebP, smaller than "
            f"{size_label(settings.CAIRN_PHOTO_MAX_BYTES)}. Location and camera details are "
            "removed when it is saved."
        )
        self.fields["photo"].error_messages |= {
            "required": "Select a photo",
            "empty": "The selected file is empty",
            "invalid": "The selected file must be a JPEG, PNG or WebP image",
        }
        self.initial.setdefault("taken_on", timezone.localdate())
