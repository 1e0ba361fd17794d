"""Builders for the objects tests need, with sensible defaults."""

import itertools
from datetime import timedelta
from io import BytesIO, StringIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, KeyPoint, TopicMonthCount
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
    **fields,
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
        **fields,
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


def bulk_articles(
    count, *, topics=(), start=None, key_points=True, searchable=False, illustrated=False
):
    """Create `count` public articles quickly, each carrying all `topics`; `illustrated` gives
    each a lead image and a byline, as real coverage has."""
    start = start or timezone.now() - timedelta(days=1)
    lead_image = make_image(320, 200) if illustrated else None
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
            lead_image=lead_image,
        )
        for i in range(count)
    )
    if illustrated:
        author = make_user(f"bulk.author.{offset}", first_name="Bulk", last_name=f"Author {offset}")
        Article.authors.through.objects.bulk_create(
            Article.authors.through(article=article, user=author) for article in articles
        )
    through = Article.topics.through
    through.objects.bulk_create(
        through(content_object=article, tag=topic) for article in articles for topic in topics
    )
    Topic.objects.recount_published()  # bulk_create sends no signals
    TopicMonthCount.objects.recount()
    if key_points:
        KeyPoint.objects.bulk_create(
            KeyPoint(article=article, text=f"Point {n}", position=n)
            for article in articles
            for n in (1, 2, 3)
        )
    if searchable:  # bulk_create sends no signals, so index as an import would
        call_command("rebuild_search_index", stdout=StringIO())
    return articles


def picture_bytes(width=64, height=48, fmt="JPEG", *, colour=(120, 60, 30), exif=None, **options):
    """An encoded picture made with Pillow: no binary fixtures."""
    from PIL import Image as PILImage

    mode = "RGBA" if fmt in ("PNG", "WEBP") and len(colour) == 4 else "RGB"
    picture = PILImage.new(mode, (width, height), colour)
    if exif is not None:
        options["exif"] = exif
    out = BytesIO()
    picture.save(out, fmt, **options)
    return out.getvalue()


def upload(content, name="photo.jpg", content_type="image/jpeg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


def make_image(width=640, height=427, *, alt_text="Delegates at the summit table", **fields):
    """A library image with its renditions, through the same cleaning as an upload."""
    from images.models import Image
    from images.processing import clean_upload

    image = Image(alt_text=alt_text, **fields)
    image.store_clean(clean_upload(upload(picture_bytes(width, height))))
    image.save()
    return image


def bulk_topics(count, *, kind="theme", prefix="Topic", description=None):
    """Create `count` public topics quickly ("Topic 0000", "Topic 0001"…; another `prefix` for a
    second batch), each carried by one public article of its own."""
    from topics.models import ascii_slug, topic_name_key

    names = [f"{prefix} {i:04d}" for i in range(count)]
    topics = Topic.objects.bulk_create(
        Topic(
            name=name,
            name_key=topic_name_key(name),
            slug=ascii_slug(name),
            kind=kind,
            description=description if description is not None else f"About {name}. More.",
        )
        for i, name in enumerate(names)
    )
    articles = bulk_articles(count, key_points=False)
    through = Article.topics.through
    through.objects.bulk_create(
        through(content_object=article, tag=topic)
        for article, topic in zip(articles, topics, strict=True)
    )
    Topic.objects.recount_published()
    return topics
