import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timesince import timesince
from reversion.admin import VersionAdmin

from articles import workflow
from articles.models import (
    Article,
    ArticleOpening,
    ArticleRedirect,
    Correction,
    KeyPoint,
    Source,
)
from articles.search import MAX_QUERY_LENGTH, clean_query, matching
from desk.article_admin import DeskAdminMixin
from desk.article_form import DeskFormMixin
from desk.list_filters import AuthorFilter, DeskQueueFilter
from desk.widgets import ColleagueChoiceField, ColleagueLookup, NumberedInlineFormSet
from importer.admin_views import import_urls
from importer.widgets import MarkdownPasteTextarea
from topics.forms import SuggestedTopicsField, TopicSuggestionsMixin
from topics.models import Topic

Status = Article.Status


class EditConflict(Exception):
    """Someone saved the article after this form was opened."""


def articles(count):
    return f"{count} article" if count == 1 else f"{count} articles"


def conflict_message(article_id, user):
    """Say who changed the article last (you, in another tab?), and when."""
    latest = Article.objects.select_related("updated_by").get(pk=article_id)
    editor = latest.updated_by
    who = (editor.get_full_name() or editor.get_username()) if editor else "Someone"
    if editor is not None and editor.pk == user.pk:
        who = "You (in another tab or window)"
    when = date_format(timezone.localtime(latest.updated_at), "j F Y, H:i:s")
    return (
        f"{who} saved this article at {when}, after you opened it. Your changes have not been "
        "saved and nothing was overwritten: copy what you need from the form below, then "
        "reload the article to see their version."
    )


class TopicAutocomplete(AutocompleteSelectMultiple):
    """The admin's autocomplete; a posted value that is not a topic id is dropped, not a 500."""

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if str(v).isdigit()], attr)


class ArticleAdminForm(DeskFormMixin, TopicSuggestionsMixin, forms.ModelForm):
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.all(),
        required=False,
        widget=TopicAutocomplete(Article._meta.get_field("topics"), admin.site),
        help_text="Pick from the existing topics; type to search names and aliases. "
        "Editors add new topics under Topics.",
    )
    suggested_topics = SuggestedTopicsField()
    authors = ColleagueChoiceField(
        queryset=get_user_model().objects.all(),
        required=False,
        widget=ColleagueLookup(Article._meta.get_field("authors"), admin.site),
        help_text=Article._meta.get_field("authors").help_text,
    )
    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    # Set per request by ArticleAdmin.get_form.
    request_user = None
    restoring = False

    class Meta:
        model = Article
        fields = [
            "headline", "slug", "standfirst", "body", "authors", "topics", "status", "published_at",
            "kicker_topic", "lead_image", "lead_image_caption", "pinned_until",
        ]  # fmt: skip
        widgets = {
            "headline": forms.TextInput(attrs={"class": "vLargeTextField"}),
            "slug": forms.TextInput(attrs={"class": "vLargeTextField"}),
            "standfirst": forms.Textarea(attrs={"rows": 3, "cols": 80}),
            "body": MarkdownPasteTextarea(attrs={"rows": 30, "cols": 80}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["opened_version"].initial = self.instance.lock_version
        self.setup_desk_fields()
        self.setup_topic_suggestions()
        if self.restoring:
            # A restore brings back the copy, never the status or the publication time.
            for name in ("status", "published_at"):
                if name in self.fields:
                    self.fields[name].disabled = True
                    self.fields[name].help_text = (
                        "Restoring keeps the article's current status and publication time; "
                        "change them after restoring if you need to."
                    )

    def clean(self):
        cleaned = self.desk_clean(super().clean(), self.request_user)
        self.add_ticked_suggestions(cleaned)
        article = self.instance if self.instance.pk else None
        if article is not None:
            current = Article.objects.filter(pk=article.pk).values_list("lock_version", flat=True)
            if cleaned.get("opened_version") != current.first():
                raise ValidationError(conflict_message(article.pk, self.request_user))
        return cleaned


class ArticleInline(admin.TabularInline):
    """Inlines follow the article's own edit rules, and hold at most `max_num` rows."""

    def get_formset(self, request, obj=None, **kwargs):
        # A post claiming more rows than this is refused before any form is built
        # ("Please submit at most … forms"), however large its TOTAL_FORMS.
        kwargs.setdefault("absolute_max", self.max_num)
        return super().get_formset(request, obj, **kwargs)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_edit(request, obj)

    @staticmethod
    def _may_edit(request, article):
        return workflow.edit_refusal(request.user, article) is None


class KeyPointInline(ArticleInline):
    model = KeyPoint
    formset = NumberedInlineFormSet
    fields = ["position", "text"]
    extra = 1
    max_num = 20
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 80})}
    }
    verbose_name_plural = "key points (shown from the lowest position up)"


class SourceInline(ArticleInline):
    model = Source
    formset = NumberedInlineFormSet
    fields = ["position", "publication", "title", "url"]
    extra = 1
    max_num = 50
    formfield_overrides = {
        models.URLField: {"assume_scheme": "https", "widget": forms.URLInput(attrs={"size": 30})},
        models.CharField: {"widget": forms.TextInput(attrs={"size": 24})},
    }
    verbose_name_plural = "sources (listed at the foot of the article)"


class CorrectionInline(ArticleInline):
    model = Correction
    fields = ["created_at", "kind", "text"]
    extra = 0
    max_num = 50
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 80})}
    }
    verbose_name_plural = "corrections and updates (shown at the foot of the article, dated)"


class TopicListFilter(admin.SimpleListFilter):
    title = "topic"
    parameter_name = "topic"

    def lookups(self, request, model_admin):
        return Topic.objects.order_by("name").values_list("slug", "name")

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(tagged_items__tag__slug=self.value())
        return queryset


class VisibilityFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "visibility"

    def lookups(self, request, model_admin):
        return [
            ("draft", "Draft"),
            ("in_review", "In review"),
            ("scheduled", "Scheduled"),
            ("live", "Published and live"),
            ("withdrawn", "Withdrawn"),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "live":
            return queryset.published()
        if value == "scheduled":
            return queryset.filter(status=Status.PUBLISHED, published_at__gt=timezone.now())
        if value in {Status.DRAFT, Status.IN_REVIEW, Status.WITHDRAWN}:
            return queryset.filter(status=value)
        return queryset


class ScheduleForm(forms.Form):
    publish_at = forms.SplitDateTimeField(
        label="Publish at",
        widget=admin.widgets.AdminSplitDateTime,
        help_text="The articles appear on the site at this time by themselves.",
    )

    def clean_publish_at(self):
        value = self.cleaned_data["publish_at"]
        if value <= timezone.now():
            raise ValidationError("Choose a time in the future, or use “Publish now”.")
        return value


class BulkTopicForm(forms.Form):
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.order_by("name").only("pk", "name"),
        empty_label="Choose a topic",
    )


@admin.register(Article)
class ArticleAdmin(DeskAdminMixin, VersionAdmin):
    form = ArticleAdminForm
    change_list_template = "admin/articles/article/change_list.html"
    # Few columns, so the headline stays readable at 1280 px; topics are a filter.
    list_display = ["headline", "byline", "visibility", "published_at", "updated_at"]
    list_filter = [DeskQueueFilter, VisibilityFilter, AuthorFilter, TopicListFilter]
    # Newest activity first: drafts and pieces in review are not buried under the archive.
    ordering = ["-updated_at", "-pk"]
    date_hierarchy = "published_at"
    search_fields = ["headline", "standfirst"]
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["lead_image", "kicker_topic"]
    inlines = [KeyPointInline, SourceInline, CorrectionInline]
    show_full_result_count = False
    list_per_page = 50
    actions = [
        "publish_now", "schedule", "withdraw", "send_back_to_draft", "add_topic", "remove_topic",
    ]  # fmt: skip

    def get_urls(self):
        return import_urls(self) + super().get_urls()

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ["headline", "slug", "standfirst", "body", "opened_version"]}),
            ("Lead image", {"fields": ["lead_image", "lead_image_caption"]}),
            ("Byline and topics", {"fields": ["authors", *self.topic_fields(request, obj)]}),
        ]
        if workflow.can_publish(request.user):  # the status is set by the form's buttons
            fieldsets.append(("Publication", {"fields": ["published_at", "pinned_until"]}))
        return fieldsets

    def topic_fields(self, request, article):
        """The topics, the suggestions under them for whoever may edit, the kicker."""
        may_edit = article is None or self.has_change_permission(request, article)
        return (
            ["topics", "suggested_topics", "kicker_topic"]
            if may_edit
            else ["topics", "kicker_topic"]
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.request_user = request.user
        form.restoring = getattr(request, "live_publication", None) is not None
        return form

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name.endswith("changelist"):
            queryset = queryset.prefetch_related("authors")
            # The list shows none of the long text; at 100,000 articles that matters.
            queryset = queryset.defer("body", "body_html", "search_vector")
        return queryset

    def get_search_results(self, request, queryset, search_term):
        """Search the full-text index (headline, standfirst, key points, topics, body) rather
        than scanning every row with LIKE: at 100,000 articles that is the difference."""
        if not search_term.strip():
            return queryset, False
        return matching(queryset, clean_query(search_term[:MAX_QUERY_LENGTH])), False

    def view_on_site(self, article):
        """Articles that are not public yet open at their staff-only preview address."""
        if article.is_published():
            return article.get_absolute_url()
        return reverse("preview", kwargs={"slug": article.slug})

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return workflow.edit_refusal(request.user, obj) is None

    def has_publish_permission(self, request):
        return workflow.can_publish(request.user)

    def has_recover_permission(self, request):
        """Bringing back a deleted article is for those who may delete one."""
        return self.has_delete_permission(request)

    def recoverlist_view(self, request, extra_context=None):
        if not self.has_recover_permission(request):
            raise PermissionDenied("Only editors can recover deleted articles.")
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not self.has_recover_permission(request):
            raise PermissionDenied("Only editors can recover deleted articles.")
        # A recovered article comes back as a draft: recovering never republishes.
        request.live_publication = {"status": Status.DRAFT, "published_at": None}
        response = super().recover_view(request, version_id, extra_context)
        if request.method == "POST" and response.status_code == 302:
            messages.info(
                request,
                "The article was recovered as a draft with no publication time: "
                "publish or schedule it again when it is ready.",
            )
        return response

    @admin.display(description="status", ordering="status")
    def visibility(self, article):
        return article.visibility_label

    @admin.display(description="byline")
    def byline(self, article):
        return ", ".join(article.byline_names)

    # Saving: who did it, and never over someone else's newer save.

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id:
            article = self.get_object(request, object_id)
            refusal = article and workflow.edit_refusal(request.user, article)
            if refusal:
                raise PermissionDenied(refusal)
        live = {}
        current_version = getattr(request, "current_lock_version", None)
        if current_version is not None:
            # A revision being restored carries its old lock version; the live one counts.
            live["lock_version"] = current_version
        # ...and its old status and publication time: the live ones count too.
        live.update(getattr(request, "live_publication", None) or {})
        if live:
            Article.objects.filter(pk=object_id).update(**live)
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict:
            # The save lost a race and was rolled back; showing the form again reports
            # the conflict (the opened version no longer matches) with the user's text kept.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, unquote(object_id)) if request.method == "GET" else None
        if article and workflow.edit_refusal(request.user, article) is None:
            # Only people who may edit it now count: a writer who merely read it does not.
            for opening in ArticleOpening.record(article.pk, request.user):
                if workflow.edit_refusal(opening.user, article):
                    continue
                colleague = opening.user.get_full_name() or opening.user.get_username()
                since = timesince(opening.opened_at)
                when = "just now" if since.startswith("0\xa0") else f"{since} ago"
                messages.warning(
                    request,
                    f"{colleague} opened this article {when}. If they save first, your "
                    "save will be refused (your text stays in the form), so agree who edits.",
                )
        return super().change_view(request, object_id, form_url, extra_context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        with transaction.atomic():
            live = (
                Article.objects.select_for_update()
                .filter(pk=object_id)
                .values("lock_version", "status", "published_at")
                .first()
            ) or {}
            request.current_lock_version = live.get("lock_version")
            if live:
                request.live_publication = {
                    "status": live["status"],
                    "published_at": live["published_at"],
                }
            response = super().revision_view(request, object_id, version_id, extra_context)
        if live and request.method == "POST" and response.status_code == 302:
            article = Article(status=live["status"], published_at=live["published_at"])
            messages.info(
                request,
                "The copy of that version (headline, standfirst, body, key points, sources, "
                "topics and byline) was restored; the status and publication time were kept "
                f"as they were ({article.visibility_label}).",
            )
        return response

    def save_model(self, request, obj, form, change):
        if change:
            opened = form.cleaned_data.get("opened_version")
            # Check and claim in one statement: a concurrent save of the same article waits
            # here for ours to commit, then finds the version moved on and is refused.
            claimed = Article.objects.filter(pk=obj.pk, lock_version=opened).update(
                lock_version=opened
            )
            if not claimed:
                raise EditConflict
            obj.lock_version = opened
        else:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
        if obj.status == Status.IN_REVIEW and not workflow.can_publish(request.user):
            messages.info(
                request,
                f"“{obj}” is with the editors for review. It is read-only for you until an "
                "editor publishes it or sends it back to draft.",
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not form.instance.authors.exists():
            form.instance.authors.add(request.user)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, Correction) and instance.created_by_id is None:
                instance.created_by = request.user
            instance.save()
        for deleted in formset.deleted_objects:
            deleted.delete()
        formset.save_m2m()

    # Editors' actions. Each one records a revision, like a save in the form.

    def changelist_view(self, request, extra_context=None):
        action = request.POST.get("action") if request.method == "POST" else None
        if action and action not in self.get_actions(request):
            messages.error(
                request,
                "You do not have permission for that action: only editors can publish, "
                "schedule, withdraw, send back or delete articles. Nothing was changed.",
            )
            return redirect(request.get_full_path())
        extra_context = {
            **(extra_context or {}),
            "has_recover_permission": self.has_recover_permission(request),
        }
        return super().changelist_view(request, extra_context)

    def _apply(self, request, queryset, transition, comment, handover=None):
        """Run `transition(article)` on each article, saving (as a revision) those it changed;
        `handover` (a workflow transition) goes into each one's desk thread."""
        changed = 0
        with transaction.atomic():
            for article in queryset.select_for_update():
                if not transition(article):
                    continue
                with reversion.create_revision(atomic=False):
                    article.updated_by = request.user
                    article.save()
                    reversion.set_user(request.user)
                    reversion.set_comment(comment)
                self.record_handover(request, article, handover)
                changed += 1
        return changed

    @admin.action(permissions=["publish"], description="Publish now")
    def publish_now(self, request, queryset):
        count = self._apply(
            request, queryset, Article.publish_now, "Published", handover=workflow.PUBLISH
        )
        self.message_user(request, f"Published {articles(count)}.", messages.SUCCESS)

    @admin.action(permissions=["publish"], description="Schedule for a time…")
    def schedule(self, request, queryset):
        form = ScheduleForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            publish_at = form.cleaned_data["publish_at"]
            count = self._apply(
                request,
                queryset,
                lambda article: article.schedule(publish_at),
                f"Scheduled for {publish_at:%Y-%m-%d %H:%M}",
                handover=workflow.SCHEDULE,
            )
            when = date_format(timezone.localtime(publish_at), "j F Y, H:i")
            self.message_user(request, f"Scheduled {articles(count)} for {when}.", messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Schedule articles",
            "opts": self.model._meta,
            "articles": queryset,
            "form": form,
            "media": self.media + form.media,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/articles/article/schedule.html", context)

    @admin.action(permissions=["publish"], description="Withdraw (take down, keep)")
    def withdraw(self, request, queryset):
        count = self._apply(
            request,
            queryset,
            lambda article: article.move_to(Status.WITHDRAWN),
            "Withdrawn",
            handover=workflow.WITHDRAW,
        )
        self.message_user(request, f"Withdrew {articles(count)}.", messages.SUCCESS)

    @admin.action(permissions=["publish"], description="Send back to draft")
    def send_back_to_draft(self, request, queryset):
        count = self._apply(
            request,
            queryset,
            lambda article: article.move_to(Status.DRAFT),
            "Sent back to draft",
            handover=workflow.SEND_BACK,
        )
        self.message_user(request, f"Sent {articles(count)} back to draft.", messages.SUCCESS)

    # Re-tagging many articles at once: each changed article gets a revision.

    @admin.action(permissions=["publish"], description="Add topic…")
    def add_topic(self, request, queryset):
        return self._retag(request, queryset, adding=True)

    @admin.action(permissions=["publish"], description="Remove topic…")
    def remove_topic(self, request, queryset):
        return self._retag(request, queryset, adding=False)

    def _retag(self, request, queryset, adding):
        form = BulkTopicForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            topic = form.cleaned_data["topic"]
            changed, unchanged = self._change_topic(request, queryset, topic, adding)
            if adding:
                message = f"Added {topic} to {articles(changed)}; {unchanged} already had it."
            else:
                message = f"Removed {topic} from {articles(changed)}; {unchanged} did not have it."
            self.message_user(request, message, messages.SUCCESS)
            return None
        verb = "Add" if adding else "Remove"
        context = {
            **self.admin_site.each_context(request),
            "title": f"{verb} a topic {'to' if adding else 'from'} articles",
            "opts": self.model._meta,
            "articles": queryset,
            "form": form,
            "verb": verb,
            "action": "add_topic" if adding else "remove_topic",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/articles/article/bulk_topic.html", context)

    def _change_topic(self, request, queryset, topic, adding):
        """Add `topic` to (or remove it from) each article; return (changed, unchanged)."""
        tagged = set(
            topic.tagged_articles.filter(content_object__in=queryset).values_list(
                "content_object_id", flat=True
            )
        )
        changed = unchanged = 0
        comment = f"{'Added' if adding else 'Removed'} topic “{topic}”"
        with transaction.atomic():
            for article in queryset.select_for_update():
                if (article.pk in tagged) == adding:
                    unchanged += 1
                    continue
                with reversion.create_revision(atomic=False):
                    if adding:
                        article.topics.add(topic)
                    else:
                        article.topics.remove(topic)
                    if not adding and article.kicker_topic_id == topic.pk:
                        article.kicker_topic = None
                    article.updated_by = request.user
                    article.save(update_fields=["updated_by", "kicker_topic"])
                    reversion.set_user(request.user)
                    reversion.set_comment(comment)
                changed += 1
        return changed, unchanged


@admin.register(ArticleRedirect)
class ArticleRedirectAdmin(admin.ModelAdmin):
    """Old article addresses: made when a public article's slug changes; delete one to let it
    404."""

    list_display = ["old_slug", "article", "created_at"]
    list_select_related = ["article"]
    search_fields = ["old_slug", "article__headline"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
