"""A topic carried only by drafts or scheduled articles is embargoed: no reader surface confirms
it exists (no slug oracle), until its first article goes public, at that moment, with no cron."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.factories import make_article, make_draft, make_scheduled, make_topic
from tests.test_query_counts import TOPIC_QUERIES

pytestmark = pytest.mark.django_db

SECRET_NAME = "Operation Quiet Harbour"
SECRET_DESCRIPTION = "Talks on a naval logistics pact, not yet announced."


@pytest.fixture
def embargo():
    india = make_topic("India", kind="country")
    public = make_topic("India–Russia", kind="relationship")
    secret = make_topic(SECRET_NAME, kind="event", description=SECRET_DESCRIPTION)
    relationship = make_topic("India–Maldives pact", kind="relationship")
    relationship.parties.set([india])
    make_article("A public piece", topics=[public, india])
    make_draft("The draft", topics=[secret, public, relationship])
    scheduled = make_scheduled("The scheduled piece", topics=[secret], delay=timedelta(hours=3))
    return {
        "india": india,
        "public": public,
        "secret": secret,
        "relationship": relationship,
        "scheduled": scheduled,
    }


def reader_surfaces(embargo):
    secret, public = embargo["secret"], embargo["public"]
    return {
        "topic page": secret.get_absolute_url(),
        "topic page 2": secret.get_absolute_url() + "?page=2",
        "topic feed": reverse("topic_feed", kwargs={"slug": secret.slug}),
        "combined": reverse("topics:combined", kwargs={"slugs": f"{public.slug}+{secret.slug}"}),
        "combined reversed": reverse(
            "topics:combined", kwargs={"slugs": f"{secret.slug}+{public.slug}"}
        ),
    }


def listing_surfaces(embargo):
    return [
        "/",
        reverse("topics:index"),
        embargo["public"].get_absolute_url(),  # its related topics
        embargo["india"].get_absolute_url(),  # its relationships
        reverse("sitemap"),
        reverse("news_sitemap"),
        reverse("feed"),
    ]


def test_every_reader_surface_of_an_embargoed_topic_is_a_404(client, embargo):
    for name, url in reader_surfaces(embargo).items():
        response = client.get(url)
        assert response.status_code == 404, name
        assert SECRET_NAME not in response.text and SECRET_DESCRIPTION not in response.text
        assert "no-store" in response["Cache-Control"]


def test_no_list_count_sitemap_or_search_names_an_embargoed_topic(client, embargo):
    for url in listing_surfaces(embargo):
        response = client.get(url)
        assert response.status_code == 200, url
        for hidden in (SECRET_NAME, embargo["secret"].slug, "India–Maldives", "india-maldives"):
            assert hidden not in response.text, (url, hidden)


def test_search_finds_nothing_by_an_embargoed_topics_name(client, embargo):
    for query in (SECRET_NAME, "Maldives", "Harbour"):
        response = client.get(reverse("search"), {"q": query})
        assert "0 results for" in response.text, query
        assert "The draft" not in response.text and "The scheduled piece" not in response.text


def test_embargoed_topic_appears_at_the_publication_moment_with_no_cron(client, embargo):
    secret, moment = embargo["secret"], embargo["scheduled"].published_at
    with time_machine.travel(moment - timedelta(seconds=1), tick=False):
        assert client.get(secret.get_absolute_url()).status_code == 404
        assert SECRET_NAME not in client.get(reverse("topics:index")).text
    with time_machine.travel(moment + timedelta(seconds=1), tick=False):
        for name, url in reader_surfaces(embargo).items():
            if name.startswith("combined") or name == "topic page 2":
                continue  # no public article carries both; page 2 does not exist
            assert client.get(url).status_code == 200, name
        assert SECRET_NAME in client.get(secret.get_absolute_url()).text
        assert SECRET_NAME in client.get(reverse("topics:index")).text
        assert secret.get_absolute_url() in client.get(reverse("sitemap")).text


def test_staff_see_an_embargoed_topic_as_an_uncached_preview(editor_client, embargo):
    secret = embargo["secret"]
    response = editor_client.get(secret.get_absolute_url())
    assert response.status_code == 200
    assert "Not public." in response.text and SECRET_DESCRIPTION in response.text
    assert '<meta name="robots" content="noindex">' in response.text
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "application/ld+json" not in response.text
    assert Client().get(secret.get_absolute_url()).status_code == 404  # nothing was cached


def test_public_topic_page_has_no_preview_banner(client, editor_client, embargo):
    url = embargo["public"].get_absolute_url()
    assert "Not public." not in client.get(url).text
    assert "Not public." not in editor_client.get(url).text


def test_topic_page_query_budget_is_unchanged_by_the_embargo_check(
    client, embargo, page_cache_off, django_assert_max_num_queries
):
    client.get(embargo["public"].get_absolute_url())  # fills the context fragments
    with django_assert_max_num_queries(TOPIC_QUERIES):
        assert client.get(embargo["public"].get_absolute_url()).status_code == 200
