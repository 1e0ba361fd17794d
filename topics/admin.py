from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.db.models.functions import Length
from django.forms.models import BaseInlineFormSet
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from topics import merging
from topics.lookalikes import fold_topic_name
from topics.models import (
    CLASH_MARK,
    Milestone,
    Topic,
    TopicAlias,
    TopicKind,
    TopicMerge,
    TopicRedirect,
    normalise_topic_name,
    topic_name_key,
)

MERGE_RECORD_ARTICLES = 200
MAX_TERM_LENGTH = 200


class TopicClash(Exception):
    """Another editor saved a topic with the same name or slug while this form was checked."""


class MergeTargetForm(forms.Form):
    target = forms.ModelChoiceField(
        queryset=Topic.objects.none(),
        label="Merge into",
        empty_label="Choose the topic to keep",
        help_text="The topic that stays. The others' articles, names and addresses become its own.",
    )

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        others = Topic.objects.exclude(pk__in=[topic.pk for topic in sources])
        self.fields["target"].queryset = others.order_by("name").only("pk", "name")


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


class AliasFormSet(BaseInlineFormSet):
    """Two aliases in one post that fold to one key are refused, naming both. A post without
    the alias rows at all (a script's, an older form's) leaves the aliases as they are."""

    def __init__(self, data=None, *args, prefix=None, **kwargs):
        prefix = prefix or self.get_default_prefix()
        if data is not None and f"{prefix}-TOTAL_FORMS" not in data:
            data = data.copy()
            data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
        super().__init__(data, *args, prefix=prefix, **kwargs)

    def clean(self):
        super().clean()
        seen = {}
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            name = form.cleaned_data.get("name")
            key = topic_name_key(name)
            if not key:
                continue
            if key in seen:
                form.add_error(
                    "name",
                    f"“{normalise_topic_name(name)}” and “{normalise_topic_name(seen[key])}” "
                    "are the same alias (they differ only in case, spaces, dashes, punctuation "
                    "or look-alike characters): keep one.",
                )
            else:
                seen[key] = name


class TopicAliasInline(admin.TabularInline):
    model = TopicAlias
    formset = AliasFormSet
    fields = ["name", "redirect"]
    readonly_fields = ["redirect"]
    extra = 1
    max_num = 50
    verbose_name_plural = "aliases (other names readers use)"

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("absolute_max", self.max_num)
        return super().get_formset(request, obj, **kwargs)

    # Aliases are part of the topic: whoever may change topics (editors) edits them.
    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("topics.view_topic")

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("topics.change_topic")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("topics.change_topic")

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("topics.change_topic")

    @admin.display(description="address redirecting here")
    def redirect(self, alias):
        if not alias.pk:
            return "made when saved"
        if not alias.slug:
            return "none (already this or another topic's)"
        return format_html("<code>{}</code>", reverse("topics:detail", kwargs={"slug": alias.slug}))


def clash_warnings():
    """Topics the name migration found to be one subject with another, as (this, other)."""
    marked = list(Topic.objects.filter(name_key__contains=CLASH_MARK).order_by("name"))
    keys = {
        topic.pk: topic.name_key.split(CLASH_MARK)[0] or fold_topic_name(topic.name)
        for topic in marked
    }
    others = Topic.objects.in_bulk(keys.values(), field_name="name_key") if keys else {}
    return [(topic, others[keys[topic.pk]]) for topic in marked if keys[topic.pk] in others]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    form = TopicAdminForm
    list_display = ["name", "slug", "kind", "published_count"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    fields = ["name", "slug", "kind", "description", "parties", "timeline_order"]
    autocomplete_fields = ["parties"]
    inlines = [TopicAliasInline, MilestoneInline]
    ordering = ["name"]
    list_per_page = 100
    actions = ["merge_into"]

    def get_queryset(self, request):
        topics = super().get_queryset(request)
        return topics if is_autocomplete(request) else topics.with_published_counts()

    @admin.display(description="published articles")
    def published_count(self, topic):
        return topic.published_count

    def changelist_view(self, request, extra_context=None):
        merging_asked = request.method == "POST" and request.POST.get("action") == "merge_into"
        if merging_asked and not self.has_merge_permission(request):
            raise PermissionDenied("Only editors can merge topics.")
        if request.method == "GET":
            for topic, other in clash_warnings():
                messages.warning(
                    request,
                    f"“{topic.name}” ({topic.slug}) and “{other.name}” ({other.slug}) are one "
                    "subject: their names differ only in case, spaces, dashes, punctuation or "
                    f"look-alike characters. Merge “{topic.name}” into “{other.name}” (tick it "
                    "and choose “Merge into…”, or run manage.py merge_topics "
                    f"{topic.slug} {other.slug}); until then “{topic.name}” cannot be saved "
                    "under its present name.",
                )
        return super().changelist_view(request, extra_context)

    # Picking topics in the article form: exact name or alias first, then those starting
    # with the text, then the rest; all compared folded ("s400" is "S-400").

    def get_search_results(self, request, queryset, search_term):
        term = search_term[:MAX_TERM_LENGTH]
        key = topic_name_key(term)
        if not key:
            return super().get_search_results(request, queryset, term)
        by_words, _ = super().get_search_results(request, Topic.objects.all(), term)
        aliases = TopicAlias.objects.filter(topic=OuterRef("pk"))
        rank = Case(
            When(Q(name_key=key) | Exists(aliases.filter(name_key=key)), then=Value(0)),
            When(
                Q(name_key__startswith=key) | Exists(aliases.filter(name_key__startswith=key)),
                then=Value(1),
            ),
            default=Value(2),
        )
        found = queryset.filter(
            Q(name_key__contains=key)
            | Exists(aliases.filter(name_key__contains=key))
            | Q(pk__in=by_words.values("pk"))
        )
        if is_autocomplete(request):
            found = found.prefetch_related("aliases")
        # Within a tier the shorter name first: "India–Russia" before "23rd India–Russia …".
        found = found.annotate(search_rank=rank, name_length=Length("name"))
        return found.order_by("search_rank", "name_length", "name"), False

    def autocomplete_result(self, topic, result, term):
        """“S-400 — alias: S400” when the typed text is an alias rather than the name; `name`
        is what the field shows once picked."""
        alias = matched_alias(topic, term[:MAX_TERM_LENGTH])
        text = f"{topic.name} — alias: {alias}" if alias else topic.name
        return {**result, "text": text, "name": topic.name}

    # Saving: a clash with a colleague's save that committed meanwhile is a form error.

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

    def save_related(self, request, form, formsets, change):
        try:
            with transaction.atomic():
                super().save_related(request, form, formsets, change)
        except IntegrityError as error:  # an alias a colleague has just taken
            raise TopicClash from error

    # Merging: choose the topic to keep, see what will happen, confirm.

    def has_merge_permission(self, request):
        return merging.can_merge(request.user)

    @admin.action(permissions=["merge"], description="Merge into…")
    def merge_into(self, request, queryset):
        sources = list(queryset.order_by("name"))
        chosen = "preview" in request.POST or "merge" in request.POST
        form = MergeTargetForm(request.POST if chosen else None, sources=sources)
        previews = None
        if form.is_valid():
            target = form.cleaned_data["target"]
            if "merge" in request.POST and request.POST.get("previewed") == str(target.pk):
                return self.merge(request, sources, target)
            previews = [merging.preview(source, target) for source in sources]
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge topics",
            "opts": self.model._meta,
            "sources": sources,
            "form": form,
            "previews": previews,
            "refused": any(plan.refusal for plan in previews or ()),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/topics/topic/merge.html", context)

    def merge(self, request, sources, target):
        try:
            with transaction.atomic():
                merges = [merging.merge_topics(source, target, request.user) for source in sources]
        except merging.MergeRefused as refusal:
            self.message_user(request, f"{refusal} Nothing was merged.", messages.ERROR)
            return None
        for merge in merges:
            record = reverse("admin:topics_topicmerge_change", args=[merge.pk])
            self.message_user(
                request,
                format_html(
                    'Merged “{}” into “{}” ({} articles; <a href="{}">merge {}</a>, which '
                    "can be undone).",
                    merge.source_name,
                    merge.target_name,
                    len(merge.source["articles"]),
                    record,
                    merge.pk,
                ),
                messages.SUCCESS,
            )
        return None


@admin.register(TopicMerge)
class TopicMergeAdmin(admin.ModelAdmin):
    """The audit trail of merges: read-only, each with its undo."""

    list_display = ["__str__", "merged_at", "merged_by", "article_count", "state"]
    list_select_related = ["merged_by", "undone_by"]
    date_hierarchy = "merged_at"
    search_fields = ["source_name", "target_name", "source_slug"]
    fields = [
        "source_name", "source_slug", "target", "target_name", "merged_by", "merged_at",
        "summary", "undone_by", "undone_at",
    ]  # fmt: skip
    readonly_fields = ["summary"]
    change_form_template = "admin/topics/topicmerge/change_form.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="articles")
    def article_count(self, merge):
        return len(merge.source["articles"])

    @admin.display(description="state")
    def state(self, merge):
        if merge.undone_at:
            return f"Undone {merge.undone_at:%Y-%m-%d %H:%M}"
        return "In effect"

    @admin.display(description="what the merged topic held")
    def summary(self, merge):
        source = merge.source
        aliases = ", ".join(alias["name"] for alias in source["aliases"]) or "none"
        listed = source["articles"][:MERGE_RECORD_ARTICLES]
        articles = format_html_join("", "<li>#{} {}</li>", listed)
        if len(source["articles"]) > len(listed):
            articles += format_html("<li>… {} in all</li>", len(source["articles"]))
        return format_html(
            "<p>Kind: {}. Description: {}</p><p>Aliases: {}. Articles ({}; {} already carried "
            "the target):</p><ul>{}</ul>",
            TopicKind(source["kind"]).label,
            source["description"] or "none",
            aliases,
            len(source["articles"]),
            len(source["articles_with_target"]),
            articles,
        )

    def get_urls(self):
        undo = path(
            "<int:merge_id>/undo/",
            self.admin_site.admin_view(self.undo_view),
            name="topics_topicmerge_undo",
        )
        return [undo, *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "can_undo": merging.can_merge(request.user)}
        return super().change_view(request, object_id, form_url, extra_context)

    def undo_view(self, request, merge_id):
        if not merging.can_merge(request.user):
            raise PermissionDenied("Only editors can undo a merge.")
        merge = get_object_or_404(TopicMerge, pk=merge_id)
        record = reverse("admin:topics_topicmerge_change", args=[merge.pk])
        if merge.is_undone:
            self.message_user(request, f"Merge {merge.pk} was undone already.", messages.ERROR)
            return redirect(record)
        changes = merging.changes_since(merge)
        if request.method == "POST":
            try:
                source = merging.undo_merge(merge, request.user, force="force" in request.POST)
            except merging.UndoRefused as refusal:
                self.message_user(request, str(refusal), messages.ERROR)
                return redirect(record)
            except merging.UndoConflict as conflict:
                changes = conflict.changes
            else:
                self.message_user(
                    request,
                    f"Undid merge {merge.pk}: “{source.name}” is a topic again, with its "
                    f"{len(merge.source['articles'])} articles as they were.",
                    messages.SUCCESS,
                )
                return redirect("admin:topics_topic_change", source.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Undo merge {merge.pk}?",
            "opts": self.model._meta,
            "merge": merge,
            "changes": changes,
            "record_url": record,
        }
        return TemplateResponse(request, "admin/topics/topicmerge/undo.html", context)


@admin.register(TopicRedirect)
class TopicRedirectAdmin(admin.ModelAdmin):
    """Old topic addresses: made by renames and merges; delete one to let it 404."""

    list_display = ["old_slug", "topic", "merge", "created_at"]
    list_select_related = ["topic", "merge"]
    search_fields = ["old_slug", "topic__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def is_autocomplete(request):
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name == "autocomplete"


def matched_alias(topic, term):
    """The alias of `topic` the typed `term` matches better than (or as well as) its name,
    when the name does not contain the text as typed; else None. Uses prefetched aliases."""
    key = topic_name_key(term)
    if not key:
        return None

    def rank(name_key):
        if name_key == key:
            return 0
        if name_key.startswith(key):
            return 1
        return 2 if key in name_key else None

    name_rank = rank(topic.name_key.split(CLASH_MARK)[0])
    if name_rank is not None and normalise_topic_name(term).casefold() in topic.name.casefold():
        return None
    candidates = [
        (alias_rank, alias.name)
        for alias in topic.aliases.all()
        if (alias_rank := rank(alias.name_key)) is not None
        and (name_rank is None or alias_rank <= name_rank)
    ]
    return min(candidates)[1] if candidates else None
