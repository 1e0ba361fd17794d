"""A scheduled article appears on every list it joins at its moment, however it was scheduled:
each list's cached pages (and parts) are kept only until the next publication they know of."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def lists(committed):
    with committed():
        topic = make_topic("S-400")
        make_article("Old news", topics=[topic])
    return {"home": "/", "topic": topic.get_absolute_url(), "feed": reverse("feed")}, topic


def cache_every_list(client, urls):
    for url in urls.values():
        client.get(url)
        assert client.get(url)["X-Cache"] == "HIT", url


@pytest.mark.parametrize("path", ["home", "topic", "feed"])
def test_an_article_rescheduled_earlier_appears_at_its_new_time(client, committed, lists, path):
    urls, topic = lists
    now = timezone.now()
    with committed():
        embargoed = make_article("Embargoed", topics=[topic], published_at=now + timedelta(hours=1))
    with time_machine.travel(now, tick=False):
        cache_every_list(client, urls)
        with committed():
            embargoed.published_at = now + timedelta(minutes=1)
            embargoed.save()
        assert "Embargoed" not in client.get(urls[path]).text
    with time_machine.travel(now + timedelta(minutes=1, seconds=1), tick=False):
        assert "Embargoed" in client.get(urls[path]).text


@pytest.mark.parametrize("path", ["home", "topic", "feed"])
def test_a_draft_scheduled_for_soon_appears_at_its_time(client, committed, lists, path):
    urls, topic = lists
    now = timezone.now()
    with committed():
        draft = make_article("Embargoed", topics=[topic], status=Article.Status.DRAFT)
    with time_machine.travel(now, tick=False):
        cache_every_list(client, urls)
        with committed():
            draft.status, draft.published_at = Article.Status.PUBLISHED, now + timedelta(minutes=1)
            draft.save()
        assert "Embargoed" not in client.get(urls[path]).text
    with time_machine.travel(now + timedelta(minutes=1, seconds=1), tick=False):
        assert "Embargoed" in client.get(urls[path]).text
