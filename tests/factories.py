"""Builders for the objects tests need, with sensible defaults."""

import itertools
from datetime import timedelta
from io import StringIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, KeyPoint
from topics.models import Topic

_numbers = itertools.count(1)


PASSWORD = "correct horse battery staple"


def make_user(username, *, password=PASSWORD, **fields):
    fields.setdefault("is_staff", True)
    return get_user_model().objects.create_user(username=username, password=password, **fields)


def make_member(group, username, **fields):
    """A staff user in one of the newsroom groups made by the migrations."""
    user = make_user(username, **fields)
    user.groups.add(Group.objects.get(name=group))
    return user


def make_writer(username="writer", first_name="Wren", last_name="Writer", **fields):
    return make_member("Writers", username, first_name=first_name, last_name=last_name, **fields)


def make_editor(username="desk.editor", first_name="Edie", last_name="Editor", **fields):
    """An editor, not a superuser: daily work needs no superuser."""
    return make_member("Editors", username, first_name=first_name, last_name=last_name, **fields)


def make_topic(name, kind="theme", description=""):
    return Topic.objects.create(name=name, kind=kind, description=description)


def make_article(
    headline=None,
    *,
    created_by=None,
    status=Article.Status.PUBLISHED,
    published_at=None,
    age=timedelta(days=1),
    topics=(),
    key_points=(),
    authors=(),
    body="Some body text.",
    standfirst="A standfirst.",
):
    """An article, public by default (published a day ago)."""
    number = next(_numbers)
    headline = headline or f"Article number {number}"
    if published_at is None and status == Article.Status.PUBLISHED:
        published_at = timezone.now() - age
    article = Article.objects.create(
        headline=headline,
        slug=f"article-{number}",
        standfirst=standfirst,
        body=body,
        status=status,
        published_at=published_at,
        created_by=created_by,
    )
    if topics:
        article.topics.set(list(topics))
    if authors:
        article.authors.set(authors)
    for position, text in enumerate(key_points, start=1):
        KeyPoint.objects.create(article=article, text=text, position=position)
    return article


def make_draft(headline=None, **kwargs):
    return make_article(headline, status=Article.Status.DRAFT, **kwargs)


def make_scheduled(headline=None, *, delay=timedelta(days=2), **kwargs):
    """A published article whose publication time is still to come."""
    return make_article(headline, published_at=timezone.now() + delay, **kwargs)


def bulk_articles(count, *, topics=(), start=None, key_points=True, searchable=False):
    """Create `count` public articles quickly, each carrying all `topics`."""
    start = start or timezone.now() - timedelta(days=1)
    offset = Article.objects.count()
    articles = Article.objects.bulk_create(
        Article(
            headline=f"Bulk article {offset + i}",
            slug=f"bulk-{offset + i}",
            standfirst="A standfirst.",
            body="Body.",
            body_html="<p>Body.</p>",
            status=Article.Status.PUBLISHED,
            published_at=start - timedelta(minutes=i),
        )
        for i in range(count)
    )
    through = Article.topics.through
    through.objects.bulk_create(
        through(content_object=article, tag=topic) for article in articles for topic in topics
    )
    Topic.objects.recount_published()  # bulk_create sends no signals
    if key_points:
        KeyPoint.objects.bulk_create(
            KeyPoint(article=article, text=f"Point {n}", position=n)
            for article in articles
            for n in (1, 2, 3)
        )
    if searchable:  # bulk_create sends no signals, so index as an import would
        call_command("rebuild_search_index", stdout=StringIO())
    return articles
