from django.contrib import admin
from django.db import IntegrityError, transaction

from topics.models import Topic


class TopicClash(Exception):
    """Another editor saved a topic with the same name or slug while this form was checked."""


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "published_count"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    fields = ["name", "slug", "kind", "description", "parties"]
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
