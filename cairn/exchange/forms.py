from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.core.files.uploadedfile import UploadedFile

from cairn.exchange.specs import FILE_NAMES

MAX_UPLOAD_BYTES = 100 * 1024 * 1024
ACCEPTED = (".zip", ".xlsx", ".csv")


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Upload exchange files",
        help_text=(
            "A .zip of exchange files, an .xlsx workbook with one sheet per file (a sheet called "
            "children for children.csv), or one .csv file named after what it holds: "
            + ", ".join(FILE_NAMES)
            + "."
        ),
        widget=forms.FileInput(attrs={"accept": ",".join(ACCEPTED)}),
        error_messages={
            "required": "Select a file to import",
            "empty": "The selected file is empty",
        },
    )
    ignore_unknown = forms.BooleanField(
        required=False,
        label="Ignore columns and files Cairn does not import",
        help_text="Otherwise an unknown column or file stops the import.",
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        suffix = PurePath(upload.name or "").suffix.lower()
        if suffix not in ACCEPTED:
            raise forms.ValidationError("The selected file must be a .zip, .xlsx or .csv file")
        if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 100 MB")
        return upload
