"""The desk's own records: notes between writers and editors, and autosaved forms.

Neither is part of an article's revisions: restoring an old version never brings back or
removes a note, and an autosave never changes the article, its revisions or its version.
"""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import OuterRef, Q, Subquery
from django.http import QueryDict
from django.utils import timezone

from articles.models import Article
from coverage_site.text import CleanTextField

AUTOSAVE_LIFETIME = timedelta(days=30)
# Fields of the posted form that are never worth keeping: the CSRF token and the buttons.
NOT_AUTOSAVED = {"csrfmiddlewaretoken", "_transition", "_save", "_continue", "_preview"}


class Action(models.TextChoices):
    NOTE = "", "Note"
    SUBMIT = "submit", "Submitted for review"
    SEND_BACK = "send_back", "Sent back to the writer"
    PUBLISH = "publish", "Published"
    SCHEDULE = "schedule", "Scheduled"
    WITHDRAW = "withdraw", "Withdrawn"


class NoteQuerySet(models.QuerySet):
    def thread(self):
        return self.select_related("author").order_by("created_at", "pk")

    def latest_action(self):
        """A subquery: the newest hand-over (submit, send back…) on the outer article."""
        return Subquery(
            self.filter(article=OuterRef("pk"))
            .exclude(action=Action.NOTE)
            .order_by("-created_at", "-pk")
            .values("action")[:1]
        )


class Note(models.Model):
    """One entry in an article's desk thread: a hand-over, a note to colleagues, or both."""

    Action = Action

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="desk_notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices, blank=True, default="")
    text = CleanTextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = NoteQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} on {self.article_id} by {self.author_id}"

    @property
    def author_name(self):
        if self.author is None:
            return "A former colleague"
        return self.author.get_full_name() or self.author.get_username()


class AutosaveQuerySet(models.QuerySet):
    def fresh(self):
        return self.filter(saved_at__gte=timezone.now() - AUTOSAVE_LIFETIME)

    def slot(self, user, article_id):
        """The person's slot for an article (article_id None: the add form)."""
        return self.filter(user=user, article_id=article_id)

    def expired(self):
        return self.filter(saved_at__lt=timezone.now() - AUTOSAVE_LIFETIME)


class Autosave(models.Model):
    """What a person last had in an article's form, kept every few seconds while they type.

    One slot per person and article (and one per person for a new article); private to that
    person; forgotten after AUTOSAVE_LIFETIME, on a successful save or on "Discard".
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    fields = models.JSONField(help_text="The form as posted: [[name, value], …].")
    saved_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = AutosaveQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article"],
                condition=Q(article__isnull=False),
                name="autosave_one_per_person_and_article",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(article__isnull=True),
                name="autosave_one_new_article_per_person",
            ),
        ]

    def __str__(self):
        return f"Autosave of {self.article_id or 'a new article'} by {self.user_id}"

    @classmethod
    def keep(cls, user, article_id, post):
        """Store the posted form in the person's slot (one write); return the slot."""
        fields = [
            [name, value]
            for name, values in post.lists()
            if name not in NOT_AUTOSAVED
            for value in values
        ]
        now = timezone.now()
        updated = cls.objects.slot(user, article_id).update(fields=fields, saved_at=now)
        if not updated:
            try:
                with transaction.atomic():
                    cls.objects.create(
                        user=user, article_id=article_id, fields=fields, saved_at=now
                    )
            except IntegrityError:  # the same person's other tab made the slot just now
                cls.objects.slot(user, article_id).update(fields=fields, saved_at=now)
        return cls(user=user, article_id=article_id, fields=fields, saved_at=now)

    def as_query_dict(self):
        data = QueryDict(mutable=True)
        for name, value in self.fields:
            data.appendlist(name, value)
        return data
