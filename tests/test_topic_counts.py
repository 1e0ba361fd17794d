"""Each topic keeps its count of published articles as articles change, and the count readers
see always equals a recount from scratch, whatever happened."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.browser_forms import form_data
from tests.factories import make_article, make_draft, make_scheduled, make_topic
from topics.models import Topic

pytestmark = pytest.mark.django_db


def counts_kept():
    return {t.name: t.published_count for t in Topic.objects.with_published_counts()}


def counts_from_scratch():
    return {t.name: t.published_count for t in Topic.objects.counted_from_scratch()}


def assert_counts_match():
    assert counts_kept() == counts_from_scratch()


@pytest.fixture
def topics():
    return [make_topic("S-400"), make_topic("India–Russia"), make_topic("Arctic")]


def test_every_kind_of_change_keeps_the_count_exact(topics, editor_client):
    s400, india_russia, arctic = topics
    public = make_article("Public", topics=[s400, india_russia])
    draft = make_draft("Draft", topics=[s400])
    scheduled = make_scheduled("Scheduled", topics=[s400, arctic])
    assert_counts_match()
    assert counts_kept()["S-400"] == 1

    changelist = reverse("admin:articles_article_changelist")
    editor_client.post(changelist, {"action": "publish_now", "_selected_action": [draft.pk]})
    assert_counts_match()
    assert counts_kept()["S-400"] == 2

    editor_client.post(changelist, {"action": "withdraw", "_selected_action": [public.pk]})
    assert_counts_match()
    editor_client.post(changelist, {"action": "send_back_to_draft", "_selected_action": [draft.pk]})
    assert_counts_match()
    assert counts_kept() == {"S-400": 0, "India–Russia": 0, "Arctic": 0}

    public.refresh_from_db()
    public.publish_now()
    public.save()
    public.topics.add(arctic)
    assert_counts_match()
    public.topics.remove(india_russia)
    assert_counts_match()
    public.topics.set([s400])
    assert_counts_match()

    # Tagging through the admin form.
    change = reverse("admin:articles_article_change", args=[public.pk])
    data = form_data(editor_client.get(change).text, "article_form")
    data["topics"] = [s400.pk, india_russia.pk, arctic.pk]
    assert editor_client.post(change, data).status_code == 302
    assert_counts_match()
    assert counts_kept()["Arctic"] == 1

    # The scheduled article counts from its moment, with nothing run at that moment.
    with time_machine.travel(scheduled.published_at + timedelta(seconds=1), tick=False):
        assert counts_kept()["Arctic"] == 2
        assert_counts_match()

    delete = reverse("admin:articles_article_delete", args=[public.pk])
    assert editor_client.post(delete, {"post": "yes"}).status_code == 302
    assert_counts_match()
    arctic.delete()
    assert_counts_match()


def test_recount_repairs_counts_after_a_bulk_import(topics):
    make_article("Counted", topics=topics[:1])
    Topic.objects.update(published_article_count=99)
    Topic.objects.recount_published()
    assert_counts_match()


def test_the_topic_page_counts_with_the_kept_number(client, topics, page_cache_off):
    for number in range(3):
        make_article(f"Story {number}", topics=[topics[0]])
    make_article("Not yet", topics=[topics[0]], published_at=timezone.now() + timedelta(hours=1))
    response = client.get(topics[0].get_absolute_url())
    assert response.context["paginator"].count == 3
    assert Article.objects.published().tagged_with(topics[0]).count() == 3


def test_saving_a_topic_loaded_earlier_keeps_the_count(topics):
    stale = Topic.objects.get(pk=topics[0].pk)
    make_article("Tagged after loading", topics=[topics[0]])
    stale.description = "Edited with an old copy of the topic."
    stale.save()
    assert_counts_match()
    assert counts_kept()["S-400"] == 1
