"""The admin home's panels: what is waiting for whom, what is scheduled, what went out."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from articles import workflow
from articles.models import Article
from desk.models import Action, Note

PANEL_SIZE = 5
RECENT = timedelta(days=7)
Status = Article.Status


@dataclass
class Panel:
    title: str
    count: int
    url: str
    empty: str
    articles: list = field(default_factory=list)


def written_by(queryset, user):
    """Articles `user` created or is in the byline of."""
    bylines = Article.authors.through.objects.filter(user=user).values("article_id")
    return queryset.filter(Q(created_by=user) | Q(pk__in=bylines))


def sent_back_to(user):
    """`user`'s drafts whose last hand-over was an editor sending them back."""
    return (
        written_by(Article.objects.filter(status=Status.DRAFT), user)
        .annotate(last_action=Note.objects.latest_action())
        .filter(last_action=Action.SEND_BACK)
    )


def waiting_for_review():
    return Article.objects.filter(status=Status.IN_REVIEW)


def list_url(**filters):
    return f"{reverse('admin:articles_article_changelist')}?{urlencode(filters)}"


def panel(title, queryset, url, empty, order=("-updated_at", "-pk")):
    shown = list(
        queryset.order_by(*order).only("pk", "headline", "status", "published_at", "updated_at")[
            :PANEL_SIZE
        ]
    )
    count = len(shown) if len(shown) < PANEL_SIZE else queryset.count()
    return Panel(title, count, url, empty, shown)


def panels(user):
    """The panels `user` sees, in order."""
    now = timezone.now()
    shown = []
    if workflow.can_publish(user):
        shown.append(
            panel(
                "Waiting for review",
                waiting_for_review(),
                list_url(desk="waiting"),
                "Nothing is waiting for review.",
                order=("updated_at", "pk"),  # longest waiting first
            )
        )
    else:
        shown.append(
            panel(
                "Sent back to me",
                sent_back_to(user),
                list_url(desk="sent_back"),
                "Nothing has been sent back to you.",
            )
        )
        shown.append(
            panel(
                "My drafts",
                written_by(Article.objects.filter(status=Status.DRAFT), user),
                list_url(desk="mine", visibility="draft"),
                "You have no drafts.",
            )
        )
    shown.append(
        panel(
            "Scheduled",
            Article.objects.filter(status=Status.PUBLISHED, published_at__gt=now),
            list_url(visibility="scheduled"),
            "Nothing is scheduled.",
            order=("published_at", "pk"),
        )
    )
    shown.append(
        panel(
            "Recently published",
            Article.objects.published().filter(published_at__gte=now - RECENT),
            list_url(visibility="live"),
            "Nothing was published in the last seven days.",
            order=("-published_at", "-pk"),
        )
    )
    return shown


def badge(user):
    """(label, count, url) for the admin's navigation: the queue waiting for this person."""
    if workflow.can_publish(user):
        return "Waiting for review", waiting_for_review().count(), list_url(desk="waiting")
    return "Sent back to me", sent_back_to(user).count(), list_url(desk="sent_back")
