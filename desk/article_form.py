"""What the desk adds to the article change form: limits said out loud, slugs that always work,
a second look at odd publication times, the transition a button asks for, and a note."""

from datetime import UTC, datetime, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timesince import timesince

from articles import workflow
from articles.models import Article
from topics.models import ascii_slug

HEADLINE_LIMIT = Article._meta.get_field("headline").max_length
STANDFIRST_LIMIT = Article._meta.get_field("standfirst").max_length
SLUG_LIMIT = Article._meta.get_field("slug").max_length
SLUG_FALLBACK = "article"
NOTE_LIMIT = 2000
# Publication times before this, or more than a day in the past when first publishing, are
# usually typing mistakes; they are kept only when the editor confirms them.
EARLIEST_LIKELY_TIME = datetime(1990, 1, 1, tzinfo=UTC)
BACKDATING_ALLOWANCE = timedelta(days=1)


def article_slug(text):
    """A readable ASCII web address from any text ("" when nothing is left)."""
    return ascii_slug(text, SLUG_LIMIT, fallback="")


def free_slug(base, exclude_pk=None):
    """`base`, or `base-2`, `base-3`… whichever no other article uses."""
    taken = set(
        Article.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        suffix = f"-{number}"
        candidate = base[: SLUG_LIMIT - len(suffix)].rstrip("-") + suffix
    return candidate


def when(moment):
    return date_format(timezone.localtime(moment), "j F Y, H:i")


class DeskFormMixin:
    """Mixed into the article ModelForm; `desk_clean()` is called from its `clean()`."""

    transition = workflow.SAVE
    needs_time_confirmation = False

    def setup_desk_fields(self):
        self._say_limits("headline", HEADLINE_LIMIT, "characters")
        self._say_limits("standfirst", STANDFIRST_LIMIT, "characters")
        if "body" in self.fields:
            self.fields["body"].widget.attrs.update({"data-counter": "words"})
        if "slug" in self.fields:
            self.fields["slug"] = forms.CharField(
                label="Web address (slug)",
                required=False,
                widget=forms.TextInput(attrs={"class": "vLargeTextField"}),
                help_text="Made from the headline if you leave it empty; any script or "
                "punctuation is turned into plain letters and hyphens. Avoid changing it once "
                "the article is public.",
            )
        self.fields["note"] = forms.CharField(
            label="Note to colleagues",
            required=False,
            max_length=NOTE_LIMIT,
            widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
            help_text="Optional: why it goes back, what to check. Shown to the writer and the "
            "editors at the top of this form, never to readers.",
        )
        self.fields["confirm_publication_time"] = forms.BooleanField(
            label="This publication time is right", required=False
        )

    def _say_limits(self, name, limit, unit):
        """No `maxlength` (a browser would cut a paste without a word): count, then refuse."""
        field = self.fields.get(name)
        if field is None:
            return
        field.max_length = None
        field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
        field.widget.attrs.pop("maxlength", None)
        field.widget.attrs.update({"data-counter": unit, "data-limit": str(limit)})

    def _within_limit(self, name, limit):
        value = self.cleaned_data.get(name, "")
        if len(value) > limit:
            raise ValidationError(
                f"This is {len(value)} characters; the limit is {limit}. Shorten it by "
                f"{len(value) - limit} and save again (nothing was cut)."
            )
        return value

    def clean_headline(self):
        return self._within_limit("headline", HEADLINE_LIMIT)

    def clean_standfirst(self):
        return self._within_limit("standfirst", STANDFIRST_LIMIT)

    def clean_slug(self):
        return article_slug(self.cleaned_data.get("slug", ""))

    def desk_clean(self, cleaned, user):
        article = self.instance if self.instance.pk else None
        if getattr(self, "restoring", False):
            # A restore brings back the copy only; the status and time stay as they are live.
            self.transition = workflow.SAVE
            return cleaned
        self.transition = workflow.requested_transition(self.data, article)
        published_at = cleaned.get("published_at", self.instance.published_at)
        now = timezone.now()
        if (
            self.transition == workflow.PUBLISH
            and not self.data.get("_transition")
            and published_at
            and published_at > now
        ):
            self.transition = workflow.SCHEDULE  # an older form posting status=published
        refusal = workflow.transition_refusal(user, article, self.transition)
        if refusal:
            raise ValidationError(refusal)
        if "slug" in self.fields and "headline" in cleaned:
            self._fill_slug(cleaned)
        if "published_at" in self.fields and "published_at" not in self.errors:
            self._check_time(article, published_at, now)
        return cleaned

    def _fill_slug(self, cleaned):
        typed = cleaned.get("slug", "")
        if not typed:
            base = article_slug(cleaned["headline"]) or SLUG_FALLBACK
            cleaned["slug"] = free_slug(base, exclude_pk=self.instance.pk)
            return
        holder = (
            Article.objects.filter(slug=typed)
            .exclude(pk=self.instance.pk)
            .only("pk", "headline")
            .first()
        )
        if holder:
            link = reverse("admin:articles_article_change", args=[holder.pk])
            self.add_error(
                "slug",
                ValidationError(
                    format_html(
                        'The web address “{}” is already used by <a href="{}">{}</a>; '
                        "choose another, or empty the field to have one made for you.",
                        typed,
                        link,
                        holder.headline,
                    )
                ),
            )

    def _check_time(self, article, published_at, now):
        if self.transition == workflow.SCHEDULE:
            if published_at is None:
                self.add_error(
                    "published_at",
                    "Set the publication time to when the article should appear, "
                    "then choose “Schedule…”.",
                )
            elif published_at <= now:
                self.add_error("published_at", "Choose a time in the future, or use “Publish now”.")
            return
        if published_at is None or self.cleaned_data.get("confirm_publication_time"):
            return
        changed = article is None or published_at != article.published_at
        first_publishing = self.transition == workflow.PUBLISH
        if changed and published_at < EARLIEST_LIKELY_TIME:
            problem = f"{when(published_at)} is before 1990."
        elif first_publishing and published_at < now - BACKDATING_ALLOWANCE:
            problem = (
                f"{when(published_at)} is {timesince(published_at, now)} ago: the article "
                "would appear below everything published since."
            )
        else:
            return
        self.needs_time_confirmation = True
        self.add_error(
            "published_at",
            f"{problem} If that is right (an archive piece), tick “This publication time is "
            "right” and try again; otherwise correct the time.",
        )
