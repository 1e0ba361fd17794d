from django import forms
from django.contrib import admin
from django.db import models

from articles.models import Article, KeyPoint, Source
from topics.models import Topic


class KeyPointInline(admin.TabularInline):
    model = KeyPoint
    fields = ["position", "text"]
    extra = 3
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 80})}
    }
    verbose_name_plural = "key points (shown from the lowest position up)"


class SourceInline(admin.TabularInline):
    model = Source
    formfield_overrides = {
        models.URLField: {"assume_scheme": "https", "widget": forms.URLInput(attrs={"size": 30})},
        models.CharField: {"widget": forms.TextInput(attrs={"size": 24})},
    }
    fields = ["position", "publication", "title", "url"]
    extra = 1
    verbose_name_plural = "sources (listed at the foot of the article)"


class TopicListFilter(admin.SimpleListFilter):
    title = "topic"
    parameter_name = "topic"

    def lookups(self, request, model_admin):
        return Topic.objects.order_by("name").values_list("slug", "name")

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(tagged_items__tag__slug=self.value())
        return queryset


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["headline", "visibility", "published_at", "updated_at", "topic_names"]
    list_filter = ["status", TopicListFilter, "published_at"]
    date_hierarchy = "published_at"
    search_fields = ["headline", "standfirst"]
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["authors"]
    inlines = [KeyPointInline, SourceInline]
    show_full_result_count = False
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["headline", "slug", "standfirst", "body"]}),
        ("Byline and topics", {"fields": ["authors", "topics"]}),
        ("Publication", {"fields": ["status", "published_at"]}),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        widgets = {
            "headline": forms.TextInput(attrs={"class": "vLargeTextField"}),
            "slug": forms.TextInput(attrs={"class": "vLargeTextField"}),
            "standfirst": forms.Textarea(attrs={"rows": 3, "cols": 80}),
            "body": forms.Textarea(attrs={"rows": 30, "cols": 80}),
        }
        if db_field.name in widgets:
            kwargs["widget"] = widgets[db_field.name]
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "topics":
            field.widget.attrs.update(size=80)
            field.help_text = (
                "Topic names separated by commas; a name matches an existing topic "
                "whatever its capitalisation."
            )
        return field

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("topics")

    @admin.display(description="status", ordering="status")
    def visibility(self, article):
        """Published articles whose time is still to come are labelled scheduled."""
        if article.status == Article.Status.PUBLISHED and not article.is_published():
            return "Scheduled"
        return article.get_status_display()

    @admin.display(description="topics")
    def topic_names(self, article):
        return ", ".join(topic.name for topic in article.sorted_topics)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not form.instance.authors.exists():
            form.instance.authors.add(request.user)
