from django import forms
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.forms.models import BaseInlineFormSet
from django.urls import reverse


class ColleagueLookup(AutocompleteSelectMultiple):
    """The admin's autocomplete, asking the desk's narrow colleague lookup instead of the
    user admin (which writers may not browse). A posted value that is not an id is dropped."""

    def get_url(self):
        return reverse("desk:authors")

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if str(v).isdigit()], attr)


class ColleagueChoiceField(forms.ModelMultipleChoiceField):
    """Colleagues shown by name, as the byline shows them."""

    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


class NumberedInlineFormSet(BaseInlineFormSet):
    """Empty rows come numbered after the last one, so a new key point lands at the end."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.extra:
            last = max((row.position for row in self.get_queryset()), default=0)
            self.initial_extra = [{"position": last + n} for n in range(1, self.extra + 1)]

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if i >= self.initial_form_count():
            # A new row whose only value is its ready-made number is an empty row.
            form.has_changed = lambda: bool(set(form.changed_data) - {"position"})
        return form
