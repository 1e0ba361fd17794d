from django import forms
from django.contrib import admin
from django.db import IntegrityError, transaction
from django.forms.models import BaseInlineFormSet

from topics.models import Milestone, Topic


class TopicClash(Exception):
    """Another editor saved a topic with the same name or slug while this form was checked."""


class MilestoneFormSet(BaseInlineFormSet):
    """A post without the timeline's fields (a script that edits only the topic's name, say)
    leaves the timeline as it is, instead of failing as a tampered form."""

    def __init__(self, data=None, *args, **kwargs):
        prefix = kwargs.get("prefix") or self.get_default_prefix()
        if data is not None and f"{prefix}-TOTAL_FORMS" not in data:
            data = data.copy()
            data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"] = "0"
        super().__init__(data, *args, **kwargs)


class TopicAdminForm(forms.ModelForm):
    """The topic form; a post that leaves out the timeline order keeps the topic's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "timeline_order" in self.fields:
            self.fields["timeline_order"].required = False

    def clean_timeline_order(self):
        return self.cleaned_data.get("timeline_order") or self.instance.timeline_order


class MilestoneInline(admin.TabularInline):
    """The topic's timeline: dated milestones, each optionally linked to an article."""

    model = Milestone
    formset = MilestoneFormSet
    fields = ["date", "precision", "title", "sentence", "article"]
    autocomplete_fields = ["article"]
    extra = 0
    verbose_name = "milestone"
    verbose_name_plural = "timeline (milestones)"


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    form = TopicAdminForm
    list_display = ["name", "slug", "kind", "published_count"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    fields = ["name", "slug", "kind", "description", "parties", "timeline_order"]
    inlines = [MilestoneInline]
    autocomplete_fields = ["parties"]
    ordering = ["name"]
    list_per_page = 100

    def get_queryset(self, request):
        return super().get_queryset(request).with_published_counts()

    @admin.display(description="published articles")
    def published_count(self, topic):
        return topic.published_count

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except TopicClash:
            # The other save has committed, so checking the form again reports the clash
            # ("There is already a topic named …") with the editor's text kept.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        try:
            with transaction.atomic():
                super().save_model(request, obj, form, change)
        except IntegrityError as error:
            raise TopicClash from error
