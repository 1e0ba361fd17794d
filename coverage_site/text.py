"""Text as editors type it, cleaned on the way in: no control or invisible characters.

Text pasted from Word or a chat carries characters a reader never meant to see: C0 control
characters (a vertical tab breaks every XML feed), bidi overrides that reorder a headline, and
zero-width characters that make two names look the same. The model fields below remove them
whenever a value is cleaned by a form or written to the database, so every writer (the admin,
commands, imports) gets the same rule.
"""

from django import forms
from django.db import models

# C0 controls except tab and newline, DEL, and the two noncharacters XML 1.0 forbids.
CONTROL_CHARACTERS = dict.fromkeys(
    [*(c for c in range(0x20) if c not in (0x09, 0x0A)), 0x7F, 0xFFFE, 0xFFFF]
)
# Bidi embeddings, overrides and isolates; zero-width space, joiners, word joiner and BOM.
INVISIBLE_CHARACTERS = dict.fromkeys(
    [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF]
)
_CONTROL_AND_INVISIBLE = {**CONTROL_CHARACTERS, **INVISIBLE_CHARACTERS}


def strip_control_characters(text):
    """`text` without C0 control characters (tab and newline kept), DEL, U+FFFE or U+FFFF."""
    return text.translate(CONTROL_CHARACTERS) if isinstance(text, str) else text


def strip_invisible_characters(text):
    """`text` without control characters, bidi controls or zero-width characters."""
    return text.translate(_CONTROL_AND_INVISIBLE) if isinstance(text, str) else text


class _CleanFormField:
    """A form field that cleans its input before it is validated."""

    def __init__(self, *args, strip_invisible=False, **kwargs):
        self.strip_invisible = strip_invisible
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        clean = strip_invisible_characters if self.strip_invisible else strip_control_characters
        return super().to_python(clean(value))


class CleanFormCharField(_CleanFormField, forms.CharField):
    pass


class CleanFormSlugField(_CleanFormField, forms.SlugField):
    pass


class _CleanModelField:
    """A text model field that never stores control characters (and, with
    `strip_invisible=True`, no bidi or zero-width characters either)."""

    form_class = CleanFormCharField

    def __init__(self, *args, strip_invisible=False, **kwargs):
        self.strip_invisible = strip_invisible
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.strip_invisible:
            kwargs["strip_invisible"] = True
        return name, path, args, kwargs

    def clean_text(self, value):
        if self.strip_invisible:
            return strip_invisible_characters(value)
        return strip_control_characters(value)

    def to_python(self, value):
        return self.clean_text(super().to_python(value))

    def pre_save(self, model_instance, add):
        value = self.clean_text(super().pre_save(model_instance, add))
        setattr(model_instance, self.attname, value)
        return value

    def get_prep_value(self, value):
        return self.clean_text(super().get_prep_value(value))

    def formfield(self, **kwargs):
        if self.choices:
            return super().formfield(**kwargs)
        return super().formfield(
            **{"form_class": self.form_class, "strip_invisible": self.strip_invisible, **kwargs}
        )


class CleanCharField(_CleanModelField, models.CharField):
    pass


class CleanTextField(_CleanModelField, models.TextField):
    pass


class CleanSlugField(_CleanModelField, models.SlugField):
    form_class = CleanFormSlugField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("strip_invisible", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("strip_invisible", None)
        return name, path, args, kwargs


def clean_person_names(sender, instance, **kwargs):
    """Bylines show people's names: keep control and invisible characters out of them."""
    for field in ("first_name", "last_name"):
        value = getattr(instance, field, None)
        if value:
            setattr(instance, field, strip_invisible_characters(value).strip())
