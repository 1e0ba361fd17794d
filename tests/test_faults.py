"""A cache or database that fails is visible but harmless: pages stay up in bounded time, saves
succeed, nothing stale is served after recovery, and the database's absence is a clear 503."""

import json
import logging
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from coverage_site import page_cache
from coverage_site.db import deadlines
from coverage_site.models import PendingInvalidation
from tests.browser_forms import form_data
from tests.factories import make_article, make_topic
from tests.servers import HangingProxy, RedisServer, free_port

pytestmark = pytest.mark.django_db

# A cold page here takes tens of milliseconds; an outage may add one short timeout at most.
BOUNDED = 1.0


@pytest.fixture
def redis_server():
    server = RedisServer()
    if not server.binary:
        pytest.skip("redis-server is not installed")
    server.start()
    yield server
    server.stop()


def use_redis(settings, url):
    settings.CACHES = {
        "default": {
            "BACKEND": "coverage_site.cache_backends.FailSoftRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "faults",
            "BREAKER_SECONDS": 0.5,
            "OPTIONS": {"socket_connect_timeout": 0.1, "socket_timeout": 0.1},
        }
    }


@pytest.fixture
def fresh_process():
    """Forget what this process learnt about outages, as a newly started worker would."""

    def reset():
        page_cache.replayer.next_check = 0.0
        page_cache.replayer.cache_came_back = False
        page_cache.journal.entries.clear()
        page_cache.recent_pages.clear()
        page_cache.recent_cards.clear()

    reset()
    yield reset
    reset()


@pytest.fixture
def story(committed):
    with committed():
        topic = make_topic("S-400")
        article = make_article("Before the outage", topics=[topic])
    return {"article": article, "topic": topic}


def urls(story):
    return [story["article"].get_absolute_url(), "/", story["topic"].get_absolute_url()]


def timed_get(client, url):
    started = time.monotonic()
    response = client.get(url)
    return response, time.monotonic() - started


def edit_through_admin(editor_client, article, headline, committed):
    change = reverse("admin:articles_article_change", args=[article.pk])
    data = {**form_data(editor_client.get(change).text, "article_form"), "headline": headline}
    with committed():
        response = editor_client.post(change, data)
    return response


def test_stopped_redis_costs_at_most_one_short_timeout(
    client, editor, settings, redis_server, story, committed, fresh_process, caplog
):
    use_redis(settings, redis_server.url)
    for url in urls(story):
        client.get(url)
        assert client.get(url)["X-Cache"] == "HIT"
    redis_server.stop()

    caplog.set_level(logging.WARNING, logger="coverage_site.cache")
    for _ in range(5):
        for url in urls(story):
            response, took = timed_get(client, url)
            assert response.status_code == 200 and took < BOUNDED, (url, took)
    outage_warnings = [r for r in caplog.records if "is unavailable" in r.getMessage()]
    assert len(outage_warnings) == 1

    # An editor's save still succeeds; its invalidation waits in the database.
    editor_client = Client()
    editor_client.force_login(editor)
    assert edit_through_admin(editor_client, story["article"], "During the outage", committed)
    story["article"].refresh_from_db()
    assert story["article"].headline == "During the outage"
    assert PendingInvalidation.objects.filter(failed=True).exists()

    redis_server.start()
    time.sleep(0.6)  # the breaker's pause
    for url in urls(story):
        assert "During the outage" in client.get(url).text, url
    assert not PendingInvalidation.objects.exists()


@pytest.mark.parametrize("observer", ["this process", "a process that saw nothing"])
def test_hung_redis_then_recovery_serves_nothing_stale(
    editor_client, settings, redis_server, story, committed, fresh_process, observer
):
    client = Client()  # an anonymous reader, apart from the editor
    proxy = HangingProxy(redis_server.port)
    try:
        use_redis(settings, f"redis://127.0.0.1:{proxy.port}/0")
        for url in urls(story):
            client.get(url)
            assert client.get(url)["X-Cache"] == "HIT"
        proxy.hang()

        response = edit_through_admin(editor_client, story["article"], "Fixed headline", committed)
        assert response.status_code == 302
        for url in urls(story):
            response, took = timed_get(client, url)
            assert response.status_code == 200 and took < BOUNDED, (url, took)
            assert "Fixed headline" in response.text

        # The stale pages are still in Redis when it answers again; none may be served.
        proxy.resume()
        time.sleep(0.6)
        if observer == "a process that saw nothing":
            breaker = caches["default"].breaker
            breaker.outage_started, breaker.open_until = None, 0.0
            fresh_process()
        for url in urls(story):
            text = client.get(url).text
            assert "Fixed headline" in text and "Before the outage" not in text, url
        assert not PendingInvalidation.objects.exists()
    finally:
        proxy.stop()


def test_an_invalidation_lost_in_a_crash_is_replayed(client, story, fresh_process):
    """A process that died between its commit and telling the cache leaves its record behind."""
    url = story["article"].get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Cache"] == "HIT"
    # The change and its record were committed; the process died before telling the cache.
    Article.objects.filter(pk=story["article"].pk).update(headline="After a crash")
    PendingInvalidation.objects.create(
        keys=page_cache.EVERYTHING, created_at=timezone.now() - timedelta(minutes=1)
    )
    fresh_process()
    assert "After a crash" in client.get(url).text
    assert not PendingInvalidation.objects.exists()


@contextmanager
def database_gone():
    """Point the connection at a database that is not there, then put it back."""
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent-folder/secret-location.sqlite3"
    else:
        connection.settings_dict.update(PORT=str(free_port()), PASSWORD="s3cret-password")
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


class TestDatabaseUnavailable:
    @pytest.mark.django_db(transaction=True, serialized_rollback=True)
    def test_readers_get_a_503_and_cached_pages_still_come_from_the_cache(self):
        client = Client(raise_request_exception=False)  # as a server answers: no re-raising
        article = make_article("Cached before the outage", topics=[make_topic("S-400")])
        uncached = make_article("Never read before")
        client.get(article.get_absolute_url())
        assert client.get(article.get_absolute_url())["X-Cache"] == "HIT"

        with database_gone():
            cached = client.get(article.get_absolute_url())
            assert cached.status_code == 200 and cached["X-Cache"] == "HIT"
            response = client.get(uncached.get_absolute_url())
            assert response.status_code == 503
            assert response["Retry-After"] == "30"
            assert "no-store" in response["Cache-Control"]
            text = response.content.decode()
            assert "Temporarily unavailable" in text
            for secret in ("secret", "Traceback", "OperationalError", "nonexistent"):
                assert secret not in text
            health = client.get("/healthz")
            assert health.status_code == 503
            assert health.json()["database"].startswith("unavailable")
            assert health.json()["cache"] == "ok"

        # Recovery needs no restart: the next request connects again.
        assert client.get(uncached.get_absolute_url()).status_code == 200
        assert client.get("/healthz").status_code == 200

    @pytest.mark.django_db(transaction=True, serialized_rollback=True)
    def test_a_hung_database_fails_within_the_timeout(self, settings):
        client = Client(raise_request_exception=False)
        if connection.vendor != "postgresql":
            pytest.skip("a server that accepts connections and never answers: PostgreSQL")
        import socket

        article = make_article("Needs the database")
        hung = socket.create_server(("127.0.0.1", 0))  # accepts, never answers
        saved = dict(connection.settings_dict)
        settings.DATABASE_TIMEOUT = 1
        deadlines.enable()
        try:
            connection.close()
            connection.settings_dict.update(PORT=str(hung.getsockname()[1]))
            response, took = timed_get(client, article.get_absolute_url())
            assert response.status_code == 503 and took < 3, took
            response, took = timed_get(client, "/healthz")
            assert response.status_code == 503 and took < 3, took
        finally:
            deadlines.enabled = False
            hung.close()
            connection.close()
            connection.settings_dict.clear()
            connection.settings_dict.update(saved)
        assert client.get(article.get_absolute_url()).status_code == 200


class TestHealth:
    def test_healthy(self, client, django_assert_max_num_queries):
        with django_assert_max_num_queries(1):
            response = client.get("/healthz")
        assert response.status_code == 200
        assert json.loads(response.content) == {"database": "ok", "cache": "ok"}
        assert "no-store" in response["Cache-Control"]

    def test_cache_down_is_named(self, client, settings, redis_server):
        use_redis(settings, redis_server.url)
        redis_server.stop()
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json()["database"] == "ok"
        assert response.json()["cache"].startswith("unavailable")
        assert "redis://" not in response.content.decode()

    def test_only_get_and_head(self, client):
        assert client.post("/healthz").status_code == 405
