"""The page cache as production runs it: gunicorn with gunicorn.conf.py and several workers (and
two app servers sharing PostgreSQL and Redis). A change made through the admin of one process is
what every worker of every server serves on its very next request."""

import os
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from tests.factories import PASSWORD, make_article, make_editor, make_topic
from tests.servers import Browser, Gunicorn, RedisServer

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REQUESTS = 40


@pytest.fixture
def story():
    topic = make_topic("S-400", kind="defence_system")
    article = make_article("Takedown candidate", topics=[topic], key_points=["A point."])
    # The topic keeps a public article after the withdrawal, so its pages stay up (a topic
    # with none is embargoed: a 404).
    make_article("Another story", topics=[topic, make_topic("Arctic")])
    return {"article": article, "topic": topic, "editor": make_editor()}


def public_urls(story):
    topic = story["topic"]
    return ["/", topic.get_absolute_url(), f"/topics/{topic.slug}/feed/", "/feed/", "/sitemap.xml"]


def test_a_withdrawal_reaches_every_worker_at_once(story, tmp_path):
    article, url = story["article"], story["article"].get_absolute_url()
    with Gunicorn(settings.STATIC_ROOT, workers=4, CACHE_DIR=str(tmp_path / "cache")) as server:
        # Every worker caches every page (40 requests spread over 4 workers).
        for _ in range(REQUESTS):
            for path in [url, *public_urls(story)]:
                status, _, text = server.get(path)
                assert status == 200 and url in text, path
        assert server.get(url)[1]["X-Cache"] == "HIT"

        editor = Browser(server)
        editor.log_in(story["editor"].username, PASSWORD)
        status, page = editor.post_form(
            "/admin/articles/article/", {"action": "withdraw", "_selected_action": article.pk}
        )
        assert status == 200, page[:500]

        statuses = [server.get(url)[0] for _ in range(REQUESTS)]
        assert statuses == [404] * REQUESTS
        for path in public_urls(story):
            for _ in range(10):
                status, _, text = server.get(path)
                assert status == 200 and "Takedown candidate" not in text, path
                assert url not in text, path


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").split(":")[0] not in ("postgres", "postgresql"),
    reason="two app servers share PostgreSQL (this runs in the PostgreSQL pass)",
)
def test_an_edit_through_one_app_server_is_served_by_the_other(story):
    assert connection.vendor == "postgresql"
    redis = RedisServer().start()
    try:
        shared = {"REDIS_URL": redis.url, "CACHE_KEY_PREFIX": "two-servers"}
        article, url = story["article"], story["article"].get_absolute_url()
        with (
            Gunicorn(settings.STATIC_ROOT, workers=2, **shared) as first,
            Gunicorn(settings.STATIC_ROOT, workers=2, **shared) as second,
        ):
            for _ in range(10):
                for server in (first, second):
                    for path in [url, "/"]:
                        assert "Takedown candidate" in server.get(path)[2]
            assert second.get(url)[1]["X-Cache"] == "HIT"

            editor = Browser(first)
            editor.log_in(story["editor"].username, PASSWORD)
            change = f"/admin/articles/article/{article.pk}/change/"
            _, form = editor.open(change)
            values = form_values(form)
            values["headline"] = "Corrected through the first server"
            status, page = editor.open(change, values)
            assert status == 200 and "was changed successfully" in page, page[:800]

            for path in [url, "/", story["topic"].get_absolute_url()]:
                status, headers, text = second.get(path)
                assert "Corrected through the first server" in text, path
                assert "Takedown candidate" not in text, path
    finally:
        redis.stop()


def form_values(html):
    """The change form's fields as a browser would submit them (enough for the article form)."""
    from tests.browser_forms import form_data

    return form_data(html, "article_form")


def test_gunicorn_serves_health(tmp_path):
    with Gunicorn(settings.STATIC_ROOT, workers=2, CACHE_DIR=str(tmp_path / "cache")) as server:
        status, headers, text = server.get("/healthz")
    assert status == 200
    assert re.fullmatch(r'\{"database": "ok", "cache": "ok"\}', text)
    assert "no-store" in headers["Cache-Control"]


@pytest.fixture
def cold_story():
    shield = make_topic("Old Shield Name", kind="defence_system")
    edited = make_article("Old headline", topics=[shield], age=timedelta(hours=1))
    pinned = make_article("Story to pin", topics=[shield], age=timedelta(days=2))
    lonely = make_topic("Lonely Topic")
    withdrawn = make_article("Only story on its topic", topics=[lonely], age=timedelta(days=3))
    return {
        "topic": shield,
        "edited": edited,
        "pinned": pinned,
        "lonely": lonely,
        "withdrawn": withdrawn,
        "editor": make_editor(),
    }


def lead_story(home):
    return re.search(r'<article class="lead-story.*?</article>', home, re.S).group(0)


def save_through_admin(editor, path, form_id, **changes):
    """Open an admin change form, change some fields and save it, as an editor does."""
    from tests.browser_forms import form_data

    _, form = editor.open(path)
    values = {**form_data(form, form_id), **changes}
    status, page = editor.open(path, values)
    assert status == 200 and "was changed successfully" in page, page[:800]


def test_cold_pages_take_an_edit_on_every_worker_at_once(cold_story, tmp_path):
    """With the page cache off, the pages are rebuilt on every request from the fragments all
    workers share (cards, a topic and its context, an article's parts, the pinned stories): an
    edit made through one worker is on every worker's next page."""
    topic, edited, pinned = cold_story["topic"], cold_story["edited"], cold_story["pinned"]
    topic_url, article_url = topic.get_absolute_url(), edited.get_absolute_url()
    lonely_url = cold_story["lonely"].get_absolute_url()
    pages = ["/", topic_url, article_url]
    with Gunicorn(
        settings.STATIC_ROOT,
        workers=4,
        DJANGO_PAGE_CACHE="off",
        CACHE_DIR=str(tmp_path / "cache"),
    ) as server:
        for _ in range(REQUESTS):  # every worker builds or reads every page's fragments
            for path in pages:
                status, headers, text = server.get(path)
                assert status == 200 and "Old headline" in text, path
                assert headers["X-Cache"] == "MISS", path  # built on every request
            assert server.get(lonely_url)[0] == 200
        assert edited.get_absolute_url() in lead_story(server.get("/")[2])

        editor = Browser(server)
        editor.log_in(cold_story["editor"].username, PASSWORD)
        save_through_admin(
            editor, f"/admin/topics/topic/{topic.pk}/change/", "topic_form", name="New Shield Name"
        )
        save_through_admin(
            editor,
            f"/admin/articles/article/{edited.pk}/change/",
            "article_form",
            headline="New headline",
        )
        tomorrow = timezone.now() + timedelta(days=1)
        save_through_admin(
            editor,
            f"/admin/articles/article/{pinned.pk}/change/",
            "article_form",
            pinned_until_0=tomorrow.strftime("%Y-%m-%d"),
            pinned_until_1=tomorrow.strftime("%H:%M:%S"),
        )

        for path in pages:
            texts = [server.get(path)[2] for _ in range(REQUESTS)]
            assert sum("New headline" in text for text in texts) == REQUESTS, path
            assert sum("New Shield Name" in text for text in texts) == REQUESTS, path
            assert not any("Old headline" in text for text in texts), path
            assert not any("Old Shield Name" in text for text in texts), path
            if path == "/":
                leads = [lead_story(text) for text in texts]
                assert sum(pinned.get_absolute_url() in lead for lead in leads) == REQUESTS

        status, page = editor.post_form(
            "/admin/articles/article/",
            {"action": "withdraw", "_selected_action": cold_story["withdrawn"].pk},
        )
        assert status == 200, page[:500]
        statuses = [server.get(lonely_url)[0] for _ in range(REQUESTS)]
        assert statuses == [404] * REQUESTS
        homes = [server.get("/")[2] for _ in range(REQUESTS)]
        assert not any("Only story on its topic" in home for home in homes)
