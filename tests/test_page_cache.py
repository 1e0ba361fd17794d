"""Anonymous readers get cached pages with no SQL; every change makes exactly the pages that show
it stale, in every process sharing the cache; HTTP caching headers and conditional GETs.

Changes reach the cache when their transaction commits: tests that change things wrap the change
in `committed()` (the test's own transaction never commits)."""

import json
import os
import subprocess
import sys
import threading
import uuid
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import time_machine
from django.core.cache import cache, caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.cache_keys import article_key
from articles.models import Article, Correction
from coverage_site.cache_backends import FailSoftRedisCache
from coverage_site.page_cache import record_change
from tests.browser_forms import form_data
from tests.factories import make_article, make_draft, make_image, make_topic
from tests.servers import cut_off_the_shared_cache, database_url

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_available():
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
        return True
    except Exception:
        return False


def require_redis():
    if not redis_available():
        if os.environ.get("CI"):
            pytest.fail(f"Redis does not answer at {REDIS_URL}; CI needs it")
        pytest.skip(f"Redis does not answer at {REDIS_URL}")


def redis_cache_settings(prefix):
    return {
        "default": {
            "BACKEND": "coverage_site.cache_backends.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


@pytest.fixture(params=["shared", "redis"])
def page_cache(request, settings):
    """Run the test against the default shared cache (diskcache) and against Redis."""
    if request.param == "redis":
        require_redis()
        settings.CACHES = redis_cache_settings(f"test-{uuid.uuid4().hex}")
    yield request.param
    cache.clear()


def cache_entry_count():
    """How many entries the cache holds, whichever backend it is."""
    backend = caches["default"]
    if isinstance(backend, FailSoftRedisCache):
        return len(backend._cache.get_client().keys(f"{backend.key_prefix}:*"))
    return len(backend._cache)


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
        assert first["X-Cache"] == "MISS"
        with django_assert_num_queries(0):
            second = client.get(url)
        assert second["X-Cache"] == "HIT", url
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
    assert response["X-Cache"] == "MISS"
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


def test_pages_built_for_staff_are_never_stored(client, page_cache, article, editor):
    draft = make_draft("Draft in a staff preview")
    client.force_login(editor)
    assert client.get(draft.get_absolute_url()).status_code == 200
    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_search_admin_and_posts_are_not_cached(client, page_cache, article):
    client.get(reverse("search"), {"q": "cached"})
    search = client.get(reverse("search"), {"q": "cached"})
    assert "X-Cache" not in search
    admin = client.get(reverse("admin:login"))
    assert "no-store" in admin["Cache-Control"] and "private" in admin["Cache-Control"]


class TestInvalidation:
    def cached(self, reader, url):
        reader.get(url)
        return reader.get(url)

    def test_editing_an_article_refreshes_its_pages(
        self, reader, editor_client, page_cache, article, topic, committed
    ):
        urls = [article.get_absolute_url(), "/", topic.get_absolute_url(), reverse("feed")]
        for url in urls:
            assert "Cached headline" in self.cached(reader, url).text
        change = reverse("admin:articles_article_change", args=[article.pk])
        data = {**form_data(editor_client.get(change).text, "article_form"), "headline": "Edited"}
        with committed():
            assert editor_client.post(change, data).status_code == 302
        for url in urls:
            response = reader.get(url)
            assert response["X-Cache"] == "MISS", url
            assert "Edited" in response.text and "Cached headline" not in response.text, url

    def test_publishing_shows_the_article_everywhere(
        self, reader, editor_client, page_cache, topic, committed
    ):
        make_article("Already public", topics=[topic])
        draft = make_draft("Fresh scoop", topics=[topic])
        for url in ["/", topic.get_absolute_url(), reverse("feed"), reverse("sitemap")]:
            assert "Fresh scoop" not in self.cached(reader, url).text
        with committed():
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
        self, reader, editor_client, page_cache, article, topic, action, committed
    ):
        urls = ["/", topic.get_absolute_url(), reverse("feed"), reverse("topics:index")]
        for url in urls:
            assert "Cached headline" in self.cached(reader, url).text or url.startswith("/topics/")
        self.cached(reader, article.get_absolute_url())
        with committed():
            editor_client.post(
                reverse("admin:articles_article_changelist"),
                {"action": action, "_selected_action": [article.pk]},
            )
        assert reader.get(article.get_absolute_url()).status_code == 404
        for url in urls:
            assert "Cached headline" not in reader.get(url).text, url

    def test_deleting_removes_the_article(
        self, reader, editor_client, page_cache, article, committed
    ):
        self.cached(reader, "/")
        url = reverse("admin:articles_article_delete", args=[article.pk])
        with committed():
            assert editor_client.post(url, {"post": "yes"}).status_code == 302
        assert "Cached headline" not in reader.get("/").text

    def test_editing_a_topic_refreshes_pages_that_show_it(
        self, reader, editor_client, page_cache, article, topic, committed
    ):
        for url in ["/", article.get_absolute_url(), topic.get_absolute_url()]:
            self.cached(reader, url)
        with committed():
            response = editor_client.post(
                reverse("admin:topics_topic_change", args=[topic.pk]),
                {"name": "S-400 Triumf", "slug": "s-400", "kind": "defence_system", "parties": []},
            )
        assert response.status_code == 302
        for url in ["/", article.get_absolute_url(), topic.get_absolute_url()]:
            assert "S-400 Triumf" in reader.get(url).text, url

    def test_a_correction_refreshes_the_article(self, reader, page_cache, article, committed):
        self.cached(reader, article.get_absolute_url())
        with committed():
            Correction.objects.create(article=article, text="A figure was wrong.")
        assert "A figure was wrong." in reader.get(article.get_absolute_url()).text


PURGED = []


def record_purge(keys):
    """A fake CDN purge hook: the tests never touch the network."""
    PURGED.append(set(keys))


class TestExactInvalidation:
    """A change makes stale exactly the pages that show what changed."""

    def warm(self, reader, urls):
        for url in urls:
            reader.get(url)
            assert reader.get(url)["X-Cache"] == "HIT", url

    def test_editing_one_article_leaves_pages_that_do_not_show_it_cached(
        self, reader, page_cache, committed
    ):
        with committed():
            s400, arctic = make_topic("S-400"), make_topic("Arctic")
            edited = make_article("Edited story", topics=[s400])
            other = make_article("Untouched story", topics=[arctic])
        untouched = [
            other.get_absolute_url(),
            arctic.get_absolute_url(),
            reverse("topic_feed", args=[arctic.slug]),
        ]
        touched = ["/", edited.get_absolute_url(), s400.get_absolute_url(), reverse("feed")]
        self.warm(reader, untouched + touched)
        with committed():
            edited.headline = "Edited headline"
            edited.save()
        for url in untouched:
            assert reader.get(url)["X-Cache"] == "HIT", url
        for url in touched:
            response = reader.get(url)
            assert response["X-Cache"] == "MISS", url
            assert "Edited headline" in response.text, url

    def test_editing_a_draft_leaves_public_lists_cached(self, reader, page_cache, committed):
        with committed():
            topic = make_topic("S-400")
            make_article("Public story", topics=[topic])
            draft = make_draft("Secret draft", topics=[topic])
        self.warm(reader, ["/", topic.get_absolute_url(), reverse("feed"), reverse("sitemap")])
        with committed():
            draft.body = "More secret copy."
            draft.save()
        for url in ["/", topic.get_absolute_url(), reverse("feed"), reverse("sitemap")]:
            assert reader.get(url)["X-Cache"] == "HIT", url

    def test_related_coverage_follows_a_related_headline(self, reader, page_cache, committed):
        with committed():
            topic = make_topic("S-400")
            reading = make_article("The article being read", topics=[topic])
            related = make_article("Related story", topics=[topic])
        self.warm(reader, [reading.get_absolute_url()])
        assert "Related story" in reader.get(reading.get_absolute_url()).text
        with committed():
            related.headline = "Related story, corrected"
            related.save()
        response = reader.get(reading.get_absolute_url())
        assert response["X-Cache"] == "MISS"
        assert "Related story, corrected" in response.text

    def test_renaming_a_person_refreshes_their_bylines_only(
        self, reader, page_cache, writer, committed
    ):
        with committed():
            signed = make_article("Signed story", authors=[writer])
            unsigned = make_article("Unsigned story", topics=[make_topic("Arctic")])
        self.warm(reader, [signed.get_absolute_url(), unsigned.get_absolute_url()])
        with committed():
            writer.last_name = "Renamed"
            writer.save()
        assert "Wren Renamed" in reader.get(signed.get_absolute_url()).text
        assert reader.get(unsigned.get_absolute_url())["X-Cache"] == "HIT"

    def test_renaming_a_topic_leaves_pages_without_it_cached(self, reader, page_cache, committed):
        with committed():
            s400, arctic = make_topic("S-400"), make_topic("Arctic")
            tagged = make_article("Tagged story", topics=[s400])
            other = make_article("Other story", topics=[arctic])
        self.warm(reader, [tagged.get_absolute_url(), other.get_absolute_url()])
        with committed():
            s400.name = "S-400 Triumf"
            s400.save()
        assert "S-400 Triumf" in reader.get(tagged.get_absolute_url()).text
        assert reader.get(other.get_absolute_url())["X-Cache"] == "HIT"

    def test_tagging_an_article_puts_it_on_the_topic_page(self, reader, page_cache, committed):
        with committed():
            s400 = make_topic("S-400")
            make_article("Already there", topics=[s400])
            newcomer = make_article("Newly tagged")
        self.warm(reader, [s400.get_absolute_url()])
        with committed():
            newcomer.topics.add(s400)
        assert "Newly tagged" in reader.get(s400.get_absolute_url()).text


class TestPicturesAndPeople:
    """Images, profiles and author pages name what they show too."""

    def warm(self, reader, urls):
        for url in urls:
            reader.get(url)
            assert reader.get(url)["X-Cache"] == "HIT", url

    def test_a_new_caption_refreshes_the_pages_showing_the_image_only(
        self, reader, page_cache, committed
    ):
        with committed():
            image = make_image(caption="First caption")
            pictured = make_article("Pictured story")
            pictured.lead_image = image
            pictured.save()
            other = make_article("Story without a picture", topics=[make_topic("Arctic")])
        self.warm(reader, [pictured.get_absolute_url(), other.get_absolute_url()])
        with committed():
            image.caption = "Corrected caption"
            image.save()
        assert "Corrected caption" in reader.get(pictured.get_absolute_url()).text
        assert reader.get(other.get_absolute_url())["X-Cache"] == "HIT"

    def test_author_pages_follow_their_profile_and_new_bylines(
        self, reader, page_cache, writer, committed
    ):
        with committed():
            make_article("First signed story", authors=[writer])
        author_page = writer.profile.get_absolute_url()
        self.warm(reader, [author_page, f"{author_page}feed/"])
        with committed():
            writer.profile.role = "Moscow correspondent"
            writer.profile.save()
        assert "Moscow correspondent" in reader.get(author_page).text
        with committed():
            make_article("Second signed story", authors=[writer])
        assert "Second signed story" in reader.get(author_page).text
        assert "Second signed story" in reader.get(f"{author_page}feed/").text

    def test_author_page_numbers_are_kept_apart(self, reader, page_cache, writer):
        for number in range(25):
            make_article(f"Signed {number}", authors=[writer])
        url = writer.profile.get_absolute_url()
        first, second = reader.get(url), reader.get(url, {"page": 2})
        assert second["X-Cache"] == "MISS" and second.content != first.content

    def test_pinning_a_story_puts_it_in_the_lead(self, reader, page_cache, committed):
        with committed():
            older = make_article("Older story", age=timedelta(days=3))
            make_article("Newest story")
        self.warm(reader, ["/"])
        with committed():
            older.pinned_until = timezone.now() + timedelta(hours=2)
            older.save()
        response = reader.get("/")
        assert response["X-Cache"] == "MISS"
        assert response.context["lead"].headline == "Older story"


class TestKeysAndHeaders:
    def test_surrogate_key_names_what_the_page_shows(self, reader, page_cache, article, topic):
        miss = reader.get(article.get_absolute_url())
        keys = set(miss["Surrogate-Key"].split())
        assert {f"article-{article.pk}", f"topic-{topic.pk}"} <= keys
        hit = reader.get(article.get_absolute_url())
        assert hit["X-Cache"] == "HIT" and set(hit["Surrogate-Key"].split()) == keys
        assert "articles" in reader.get("/")["Surrogate-Key"].split()

    def test_a_hit_says_how_old_it_is(self, reader, page_cache, article):
        reader.get("/")
        with time_machine.travel(timezone.now() + timedelta(seconds=7), tick=False):
            hit = reader.get("/")
        assert hit["X-Cache"] == "HIT" and 6 <= int(hit["Age"]) <= 8

    def test_unknown_query_parameters_share_the_page_and_add_no_entries(
        self, reader, page_cache, article, topic
    ):
        assert reader.get("/")["X-Cache"] == "MISS"
        assert reader.get("/", {"utm_source": "newsletter"})["X-Cache"] == "HIT"
        reader.get(topic.get_absolute_url())
        entries = cache_entry_count()
        for n in range(30):
            assert reader.get("/", {"x": n})["X-Cache"] == "HIT"
            assert reader.get(topic.get_absolute_url(), {"x": n})["X-Cache"] == "HIT"
        assert cache_entry_count() == entries

    def test_page_numbers_are_kept_apart(self, reader, page_cache):
        from tests.factories import bulk_articles

        topic = make_topic("S-400")
        bulk_articles(25, topics=[topic], key_points=False)
        first = reader.get(topic.get_absolute_url())
        second = reader.get(topic.get_absolute_url(), {"page": 2})
        assert second["X-Cache"] == "MISS" and second.content != first.content

    def test_purge_hook_is_told_the_keys_of_each_change(
        self, reader, page_cache, article, settings, committed
    ):
        settings.PAGE_CACHE_PURGE_HOOK = "tests.test_page_cache.record_purge"
        PURGED.clear()
        with committed():
            article.headline = "Purged headline"
            article.save()
        assert len(PURGED) == 1 and f"article-{article.pk}" in PURGED[0]

    def test_purge_url_gets_the_keys_over_http(
        self, reader, page_cache, article, settings, committed
    ):
        received = []

        class PurgeEndpoint(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                received.append(
                    (self.headers["Surrogate-Key"], self.headers["Authorization"],
                     json.loads(self.rfile.read(length)))
                )  # fmt: skip
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        server = HTTPServer(("127.0.0.1", 0), PurgeEndpoint)
        threading.Thread(target=server.handle_request, daemon=True).start()
        settings.PAGE_CACHE_PURGE_URL = f"http://127.0.0.1:{server.server_port}/purge"
        settings.PAGE_CACHE_PURGE_TOKEN = "purge-token"
        try:
            with committed():
                article.headline = "Purged over HTTP"
                article.save()
        finally:
            server.server_close()
        [(header, authorization, body)] = received
        assert f"article-{article.pk}" in header.split()
        assert authorization == "Bearer purge-token"
        assert body["keys"] == sorted(header.split())

    def test_a_failing_purge_hook_does_not_fail_the_save(
        self, editor_client, page_cache, article, settings, committed
    ):
        settings.PAGE_CACHE_PURGE_HOOK = "tests.test_page_cache.no_such_hook"
        change = reverse("admin:articles_article_change", args=[article.pk])
        data = {**form_data(editor_client.get(change).text, "article_form"), "headline": "Saved"}
        with committed():
            assert editor_client.post(change, data).status_code == 302
        article.refresh_from_db()
        assert article.headline == "Saved"


def test_scheduled_article_appears_on_time_although_pages_are_cached(client, page_cache, topic):
    now = timezone.now()
    make_article("Old news", topics=[topic])
    make_article("Embargoed", topics=[topic], published_at=now + timedelta(minutes=3))
    urls = ["/", topic.get_absolute_url(), reverse("feed")]
    with time_machine.travel(now, tick=False):
        for url in urls:
            client.get(url)
            assert "Embargoed" not in client.get(url).text
            assert client.get(url)["X-Cache"] == "HIT"
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

    def test_stale_validators_get_the_new_page(self, client, page_cache, article, committed):
        first = client.get(article.get_absolute_url())
        with committed():
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
import sys, django
django.setup()
from django.test import Client
from articles.models import Article
command, pk = sys.argv[1], int(sys.argv[2])
article = Article.objects.get(pk=pk)
if command == "read":
    response = Client().get(article.get_absolute_url())
    print(response["X-Cache"], "Second process headline" in response.text)
elif command == "edit":
    article.headline = "Second process headline"
    article.save()
elif command == "withdraw":
    article.move_to(Article.Status.WITHDRAWN)
    article.save()
elif command == "rename-topic":
    topic = article.topics.get()
    topic.name = "Renamed in the second process"
    topic.save()
elif command == "rename-author":
    author = article.authors.get()
    author.last_name = "Secondprocess"
    author.save()
"""


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("backend", ["shared", "redis"])
def test_changes_reach_another_process_sharing_the_cache(client, settings, backend, writer):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "coverage_site.settings",
        "DJANGO_SECRET_KEY": "test",
        "DATABASE_URL": database_url(),
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_STATIC_ROOT": str(settings.STATIC_ROOT),
    }
    env.pop("REDIS_URL", None)
    if backend == "redis":
        require_redis()
        prefix = f"test-{uuid.uuid4().hex}"
        settings.CACHES = redis_cache_settings(prefix)
        env.update(REDIS_URL=REDIS_URL, CACHE_KEY_PREFIX=prefix)
    else:
        env["CACHE_DIR"] = settings.CACHES["default"]["LOCATION"]
    topic = make_topic("S-400")
    article = make_article("First process headline", topics=[topic], authors=[writer])
    unrelated = make_article("Unrelated", topics=[make_topic("Arctic")])

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
    assert client.get(article.get_absolute_url())["X-Cache"] == "HIT"
    second_process("edit")
    response = client.get(article.get_absolute_url())
    assert "Second process headline" in response.text
    # The other process caches the page; this one edits; the other sees the edit at once.
    assert second_process("read") in ("MISS True", "HIT True")
    assert second_process("read") == "HIT True"
    article.refresh_from_db()
    article.headline = "Back in the first process"
    article.save()
    assert second_process("read") == "MISS False"
    # A topic renamed and a byline changed in the other process show here at once.
    for url in [article.get_absolute_url(), topic.get_absolute_url(), unrelated.get_absolute_url()]:
        client.get(url)
        assert client.get(url)["X-Cache"] == "HIT"
    second_process("rename-topic")
    assert "Renamed in the second process" in client.get(article.get_absolute_url()).text
    assert "Renamed in the second process" in client.get(topic.get_absolute_url()).text
    second_process("rename-author")
    assert "Wren Secondprocess" in client.get(article.get_absolute_url()).text
    assert client.get(unrelated.get_absolute_url())["X-Cache"] == "HIT"
    # A withdrawal in the other process takes the article off every page here at once.
    urls = ["/", topic.get_absolute_url(), reverse("feed"), reverse("sitemap")]
    for url in urls:
        client.get(url)
        assert client.get(url)["X-Cache"] == "HIT"
    second_process("withdraw")
    assert client.get(article.get_absolute_url()).status_code == 404
    for url in urls:
        assert article.get_absolute_url() not in client.get(url).text, url
    cache.clear()


def test_a_processs_copy_of_a_page_goes_stale_with_a_change_made_elsewhere(client):
    """Each process keeps copies of the pages it served; another process's change reaches it only
    through the shared journal, which every hit reads."""
    article = make_article("Copy kept in this process")
    url = article.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Cache"] == "HIT"
    # Another worker saves the article: its row changes and its commit writes to the journal.
    Article.objects.filter(pk=article.pk).update(headline="Changed by another worker")
    record_change({article_key(article.pk)})
    response = client.get(url)
    assert response["X-Cache"] == "MISS" and "Changed by another worker" in response.text


def test_a_processs_copy_is_not_served_while_the_shared_cache_cannot_be_read(client, settings):
    article = make_article("Copy kept in this process")
    url = article.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Cache"] == "HIT"
    cut_off_the_shared_cache(settings)
    # A change the journal cannot be told about: only a freshly built page can show it.
    Article.objects.filter(pk=article.pk).update(headline="Changed during the outage")
    response = client.get(url)
    assert response["X-Cache"] == "MISS" and "Changed during the outage" in response.text
