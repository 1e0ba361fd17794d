"""Anonymous readers get cached pages with no SQL; every editor action makes them fresh at once,
in every process; HTTP caching headers and conditional GETs."""

import os
import subprocess
import sys
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Correction
from tests.browser_forms import form_data
from tests.factories import make_article, make_draft, make_topic

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_available():
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
        return True
    except Exception:
        return False


@pytest.fixture(params=["locmem", "redis"])
def page_cache(request, settings):
    """Run the test against each cache backend; CI must have Redis."""
    if request.param == "redis":
        if not redis_available():
            if os.environ.get("CI"):
                pytest.fail(f"Redis does not answer at {REDIS_URL}; CI needs it")
            pytest.skip(f"Redis does not answer at {REDIS_URL}")
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
            }
        }
    yield request.param
    cache.clear()


@pytest.fixture
def reader():
    """An anonymous reader, apart from the editors' logged-in client."""
    return Client()


@pytest.fixture
def topic():
    return make_topic("S-400", kind="defence_system")


@pytest.fixture
def article(topic):
    return make_article("Cached headline", topics=[topic], key_points=["A key point."])


def public_urls(article, topic):
    other = make_topic("India–Russia", kind="relationship")
    article.topics.add(other)
    return [
        "/",
        article.get_absolute_url(),
        reverse("topics:index"),
        topic.get_absolute_url(),
        "/topics/s-400+india-russia/",
        reverse("feed"),
        reverse("topic_feed", args=[topic.slug]),
        reverse("sitemap"),
        reverse("news_sitemap"),
    ]


def test_second_anonymous_request_runs_no_sql(
    client, page_cache, article, topic, django_assert_num_queries
):
    for url in public_urls(article, topic):
        first = client.get(url)
        assert first.status_code == 200, url
        assert first["X-Page-Cache"] == "miss"
        with django_assert_num_queries(0):
            second = client.get(url)
        assert second["X-Page-Cache"] == "hit", url
        assert second.content == first.content


def test_head_requests_are_served_from_the_cache(
    client, page_cache, article, django_assert_num_queries
):
    client.get(article.get_absolute_url())
    with django_assert_num_queries(0):
        assert client.head(article.get_absolute_url()).status_code == 200


def test_logged_in_staff_bypass_the_cache(client, page_cache, article, editor):
    url = article.get_absolute_url()
    client.get(url)  # cached for anonymous readers
    client.force_login(editor)
    response = client.get(url)
    assert "X-Page-Cache" not in response
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


def test_pages_built_for_staff_are_never_stored(client, page_cache, article, editor):
    draft = make_draft("Draft in a staff preview")
    client.force_login(editor)
    assert client.get(draft.get_absolute_url()).status_code == 200
    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_search_admin_and_posts_are_not_cached(client, page_cache, article):
    search = client.get(reverse("search"), {"q": "cached"})
    assert "X-Page-Cache" not in search
    admin = client.get(reverse("admin:login"))
    assert "no-store" in admin["Cache-Control"] and "private" in admin["Cache-Control"]


class TestInvalidation:
    def cached(self, reader, url):
        reader.get(url)
        return reader.get(url)

    def test_editing_an_article_refreshes_its_pages(
        self, reader, editor_client, page_cache, article, topic
    ):
        urls = [article.get_absolute_url(), "/", topic.get_absolute_url(), reverse("feed")]
        for url in urls:
            assert "Cached headline" in self.cached(reader, url).text
        change = reverse("admin:articles_article_change", args=[article.pk])
        data = {**form_data(editor_client.get(change).text, "article_form"), "headline": "Edited"}
        assert editor_client.post(change, data).status_code == 302
        for url in urls:
            response = reader.get(url)
            assert response["X-Page-Cache"] == "miss", url
            assert "Edited" in response.text and "Cached headline" not in response.text, url

    def test_publishing_shows_the_article_everywhere(
        self, reader, editor_client, page_cache, topic
    ):
        make_article("Already public", topics=[topic])
        draft = make_draft("Fresh scoop", topics=[topic])
        for url in ["/", topic.get_absolute_url(), reverse("feed"), reverse("sitemap")]:
            assert "Fresh scoop" not in self.cached(reader, url).text
        editor_client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "publish_now", "_selected_action": [draft.pk]},
        )
        assert "Fresh scoop" in reader.get("/").text
        assert "Fresh scoop" in reader.get(topic.get_absolute_url()).text
        assert "Fresh scoop" in reader.get(reverse("feed")).text
        assert draft.get_absolute_url() in reader.get(reverse("sitemap")).text
        assert reader.get(draft.get_absolute_url()).status_code == 200

    @pytest.mark.parametrize("action", ["withdraw", "send_back_to_draft"])
    def test_withdrawing_removes_the_article_everywhere(
        self, reader, editor_client, page_cache, article, topic, action
    ):
        urls = ["/", topic.get_absolute_url(), reverse("feed"), reverse("topics:index")]
        for url in urls:
            assert "Cached headline" in self.cached(reader, url).text or url.startswith("/topics/")
        self.cached(reader, article.get_absolute_url())
        editor_client.post(
            reverse("admin:articles_article_changelist"),
            {"action": action, "_selected_action": [article.pk]},
        )
        assert reader.get(article.get_absolute_url()).status_code == 404
        for url in urls:
            assert "Cached headline" not in reader.get(url).text, url

    def test_deleting_removes_the_article(self, reader, editor_client, page_cache, article):
        self.cached(reader, "/")
        url = reverse("admin:articles_article_delete", args=[article.pk])
        assert editor_client.post(url, {"post": "yes"}).status_code == 302
        assert "Cached headline" not in reader.get("/").text

    def test_editing_a_topic_refreshes_pages_that_show_it(
        self, reader, editor_client, page_cache, article, topic
    ):
        for url in ["/", article.get_absolute_url(), topic.get_absolute_url()]:
            self.cached(reader, url)
        response = editor_client.post(
            reverse("admin:topics_topic_change", args=[topic.pk]),
            {"name": "S-400 Triumf", "slug": "s-400", "kind": "defence_system", "parties": []},
        )
        assert response.status_code == 302
        for url in ["/", article.get_absolute_url(), topic.get_absolute_url()]:
            assert "S-400 Triumf" in reader.get(url).text, url

    def test_a_correction_refreshes_the_article(self, reader, page_cache, article):
        self.cached(reader, article.get_absolute_url())
        Correction.objects.create(article=article, text="A figure was wrong.")
        assert "A figure was wrong." in reader.get(article.get_absolute_url()).text


def test_scheduled_article_appears_on_time_although_pages_are_cached(client, page_cache, topic):
    now = timezone.now()
    make_article("Old news", topics=[topic])
    make_article("Embargoed", topics=[topic], published_at=now + timedelta(minutes=3))
    urls = ["/", topic.get_absolute_url(), reverse("feed")]
    with time_machine.travel(now, tick=False):
        for url in urls:
            client.get(url)
            assert "Embargoed" not in client.get(url).text
            assert client.get(url)["X-Page-Cache"] == "hit"
    with time_machine.travel(now + timedelta(minutes=3, seconds=1), tick=False):
        for url in urls:
            assert "Embargoed" in client.get(url).text, url


def test_max_age_never_outlives_the_next_scheduled_publication(client, page_cache, article):
    make_article("Embargoed", published_at=timezone.now() + timedelta(seconds=30))
    cache_control = client.get("/")["Cache-Control"]
    max_age = int(cache_control.split("max-age=")[1].split(",")[0])
    assert 0 < max_age <= 30


class TestHttpCaching:
    def test_public_page_headers(self, client, page_cache, article):
        response = client.get(article.get_absolute_url())
        assert response["ETag"].startswith('"') and not response["ETag"].startswith("W/")
        assert response["Last-Modified"]
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"public", "max-age=60", "s-maxage=300", "stale-while-revalidate=60"} <= (
            cache_control
        )
        assert "Cookie" in response["Vary"]

    @pytest.mark.parametrize("cached", [False, True])
    def test_matching_if_none_match_gets_304(self, client, page_cache, article, cached):
        url = article.get_absolute_url()
        first = client.get(url)
        if cached:
            client.get(url)
        response = client.get(url, headers={"If-None-Match": first["ETag"]})
        assert response.status_code == 304
        assert response.content == b""
        assert response["ETag"] == first["ETag"]

    def test_matching_if_modified_since_gets_304(self, client, page_cache, article):
        first = client.get("/")
        response = client.get("/", headers={"If-Modified-Since": first["Last-Modified"]})
        assert response.status_code == 304

    def test_stale_validators_get_the_new_page(self, client, page_cache, article):
        first = client.get(article.get_absolute_url())
        article.headline = "Changed since"
        article.save()
        response = client.get(article.get_absolute_url(), headers={"If-None-Match": first["ETag"]})
        assert response.status_code == 200 and "Changed since" in response.text

    def test_preview_and_admin_are_private_no_store(self, editor_client, page_cache):
        draft = make_draft("Secret")
        preview = editor_client.get(reverse("preview", kwargs={"slug": draft.slug}))
        assert "no-store" in preview["Cache-Control"] and "private" in preview["Cache-Control"]
        admin = editor_client.get(reverse("admin:articles_article_changelist"))
        assert "no-store" in admin["Cache-Control"] and "private" in admin["Cache-Control"]

    def test_404_is_not_publicly_cacheable(self, client, page_cache):
        response = client.get("/articles/not-yet-published/")
        assert response.status_code == 404
        assert "public" not in response.get("Cache-Control", "")


SECOND_PROCESS = """
import os, sys, django
django.setup()
from django.test import Client
from articles.models import Article
command, pk = sys.argv[1], int(sys.argv[2])
if command == "read":
    article = Article.objects.get(pk=pk)
    response = Client().get(article.get_absolute_url())
    print(response["X-Page-Cache"], "Second process headline" in response.text)
elif command == "edit":
    article = Article.objects.get(pk=pk)
    article.headline = "Second process headline"
    article.save()
"""


def database_url():
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user, host, port = settings["USER"], settings["HOST"], settings["PORT"] or 5432
    return f"postgres://{user}@{host}:{port}/{settings['NAME']}"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_invalidation_reaches_another_process_sharing_redis(client, settings):
    if not redis_available():
        if os.environ.get("CI"):
            pytest.fail(f"Redis does not answer at {REDIS_URL}; CI needs it")
        pytest.skip(f"Redis does not answer at {REDIS_URL}")
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    article = make_article("First process headline")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "coverage_site.settings",
        "DJANGO_SECRET_KEY": "test",
        "DATABASE_URL": database_url(),
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": prefix,
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_STATIC_ROOT": str(settings.STATIC_ROOT),
    }

    def second_process(command):
        result = subprocess.run(
            [sys.executable, "-c", SECOND_PROCESS, command, str(article.pk)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    # This process caches the page; the other edits; this one sees the edit at once.
    client.get(article.get_absolute_url())
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"
    second_process("edit")
    response = client.get(article.get_absolute_url())
    assert "Second process headline" in response.text
    # The other process caches the page; this one edits; the other sees the edit at once.
    assert second_process("read") in ("miss True", "hit True")
    assert second_process("read") == "hit True"
    article.refresh_from_db()
    article.headline = "Back in the first process"
    article.save()
    assert second_process("read") == "miss False"
    cache.clear()
