from django.contrib import admin, messages
from django.db import IntegrityError, transaction
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.db.models.functions import Length
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html

from topics.lookalikes import fold_topic_name
from topics.models import Topic, TopicAlias, normalise_topic_name, topic_name_key

# How topics/migrations/0005_fold_names_and_aliases.py marks the key of a topic whose name
# folds to another's: "indiarussia~7".
CLASH_MARK = "~"
MAX_TERM_LENGTH = 200


class TopicClash(Exception):
    """Another editor saved a topic with the same name or slug while this form was checked."""


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
    pairs = []
    marked = Topic.objects.filter(name_key__contains=CLASH_MARK).order_by("name")
    for topic in marked:
        key = topic.name_key.split(CLASH_MARK)[0] or fold_topic_name(topic.name)
        other = Topic.objects.filter(name_key=key).first()
        if other is not None:
            pairs.append((topic, other))
    return pairs


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "published_count"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    fields = ["name", "slug", "kind", "description", "parties"]
    autocomplete_fields = ["parties"]
    inlines = [TopicAliasInline]
    ordering = ["name"]
    list_per_page = 100

    def get_queryset(self, request):
        topics = super().get_queryset(request)
        return topics if is_autocomplete(request) else topics.with_published_counts()

    @admin.display(description="published articles")
    def published_count(self, topic):
        return topic.published_count

    def changelist_view(self, request, extra_context=None):
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
