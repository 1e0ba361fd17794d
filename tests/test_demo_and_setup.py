"""Demo content, the demo editor account, and settings that refuse to run unsafely."""

import os
import subprocess
import sys
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

import importer
from articles import demo_content
from articles.models import Article, KeyPoint
from topics.models import Topic

pytestmark = pytest.mark.django_db

SEED_TOPIC_SLUGS = {
    "india-russia",
    "s-400",
    "strategic-autonomy",
    "india",
    "russia",
    "united-states",
    "su-57",
    "international-north-south-transport-corridor",
    "small-modular-reactors",
    "rupee-rouble-payments",
    "aatmanirbhar-bharat",
}


def counts():
    return (
        Topic.objects.count(),
        Article.objects.count(),
        KeyPoint.objects.count(),
        Article.topics.through.objects.count(),
        get_user_model().objects.count(),
    )


def test_load_demo_is_idempotent():
    call_command("load_demo", stdout=StringIO())
    first = counts()
    call_command("load_demo", stdout=StringIO())
    assert counts() == first
    assert set(Topic.objects.values_list("slug", flat=True)) >= SEED_TOPIC_SLUGS


def test_load_demo_keeps_editors_changes():
    call_command("load_demo", stdout=StringIO())
    article = Article.objects.published().first()
    article.headline = "Edited by the desk"
    article.save()
    call_command("load_demo", stdout=StringIO())
    article.refresh_from_db()
    assert article.headline == "Edited by the desk"


def test_demo_has_public_draft_and_scheduled_articles(client):
    call_command("load_demo", stdout=StringIO())
    public = Article.objects.published()
    assert public.count() >= 3
    assert all(article.key_points.count() == 3 for article in Article.objects.all())
    draft = Article.objects.get(status=Article.Status.DRAFT)
    scheduled = Article.objects.exclude(pk__in=public).get(status=Article.Status.PUBLISHED)
    for hidden in (draft, scheduled):
        assert client.get(hidden.get_absolute_url()).status_code == 404
    flagship = public.get(slug="putin-in-delhi-an-old-partnership-tries-new-arithmetic")
    html = client.get(flagship.get_absolute_url()).text
    for part in ("Key points", "<h2>", "<ul>", "<blockquote>", "Sources", "The Guardian"):
        assert part in html
    assert "$63.6 billion" in html
    topic_page = client.get(reverse("topics:detail", args=["india-russia"])).text
    assert flagship.headline in topic_page
    assert draft.headline not in topic_page and scheduled.headline not in topic_page


def test_demo_articles_are_read_from_copy_files_through_the_importer():
    call_command("load_demo", stdout=StringIO())
    files = sorted(demo_content.DEMO_COPY.glob("*.md"))
    assert len(files) == len(demo_content.ARTICLES) == Article.objects.count()
    for path in files:
        imported = importer.parse(path.read_bytes(), path.name)
        article = Article.objects.get(slug=imported.slug)
        assert (article.headline, article.standfirst, article.body) == (
            imported.headline, imported.standfirst, imported.body,
        )  # fmt: skip
        assert [point.text for point in article.key_points.all()] == imported.key_points
        assert {topic.name for topic in article.topics.all()} == set(imported.topic_names)
        assert article.topics.exists() and article.authors.exists()


def test_demo_publication_times_are_relative_to_now(client):
    call_command("load_demo", stdout=StringIO())
    now = timezone.now()
    newest = Article.objects.published().newest_first().first()
    assert timedelta(0) < now - newest.published_at < timedelta(hours=6)
    scheduled = Article.objects.get(status=Article.Status.PUBLISHED, published_at__gt=now)
    assert timedelta(days=6, hours=23) < scheduled.published_at - now <= timedelta(days=7)
    news_sitemap = client.get("/sitemap-news.xml").text
    assert newest.get_absolute_url() in news_sitemap
    assert scheduled.get_absolute_url() not in news_sitemap


def test_demo_editor_is_created_once_with_the_given_password(client, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "a-demo-password-1")
    call_command("create_demo_editor", stdout=StringIO())
    call_command("create_demo_editor", stdout=StringIO())
    assert get_user_model().objects.filter(is_staff=True).count() == 1
    assert client.login(username="editor", password="a-demo-password-1")
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 200


def test_settings_refuse_to_start_without_a_secret_key_when_debug_is_off():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env.update(DJANGO_DEBUG="0", DJANGO_SETTINGS_MODULE="coverage_site.settings")
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
