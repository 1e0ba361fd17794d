from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile

from images.models import Image
from images.processing import ImageRejected, clean_upload

ACCEPT = "image/jpeg,image/png,image/webp,image/avif"


class ImageForm(forms.ModelForm):
    """Upload or edit a library image. The upload is decoded, checked and stripped here; only
    the clean copy is ever written to storage."""

    source_url = forms.URLField(
        label="source", max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = Image
        fields = [
            "file", "alt_text", "is_decorative", "caption", "credit", "source_url", "licence",
            "focal_x", "focal_y",
        ]  # fmt: skip
        widgets = {
            "file": forms.ClearableFileInput(attrs={"accept": ACCEPT}),
            "alt_text": forms.TextInput(attrs={"class": "vLargeTextField"}),
            "caption": forms.Textarea(attrs={"rows": 2, "cols": 80}),
            "focal_x": forms.NumberInput(attrs={"min": 0, "max": 1, "step": "0.01"}),
            "focal_y": forms.NumberInput(attrs={"min": 0, "max": 1, "step": "0.01"}),
        }

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not isinstance(upload, UploadedFile):
            return upload  # unchanged on an edit
        try:
            clean = clean_upload(upload)
        except ImageRejected as error:
            raise ValidationError(str(error), code="invalid_image") from error
        self.instance.width, self.instance.height = clean.width, clean.height
        self.instance.file_size = len(clean.content)
        return ContentFile(clean.content, name=f"{clean.sha256[:20]}.{clean.extension}")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("is_decorative") and not (cleaned.get("alt_text") or "").strip():
            self.add_error(
                "alt_text",
                "Describe the picture for readers who cannot see it, or tick “decorative” "
                "if it adds nothing a reader would miss.",
            )
        for name in ("focal_x", "focal_y"):
            value = cleaned.get(name)
            if value is not None and not 0 <= value <= 1:
                self.add_error(name, "Use a number from 0 to 1.")
        return cleaned
