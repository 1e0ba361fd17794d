"""Each topic keeps its count of published articles, in all and per month, as articles change,
and the counts readers see always equal a recount from scratch, whatever happened."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, TopicMonthCount
from tests.browser_forms import form_data
from tests.factories import make_article, make_draft, make_scheduled, make_topic
from topics.models import Topic

pytestmark = pytest.mark.django_db


def counts_kept():
    return {t.name: t.published_count for t in Topic.objects.with_published_counts()}


def counts_from_scratch():
    return {t.name: t.published_count for t in Topic.objects.counted_from_scratch()}


def months_kept(topic):
    return Article.objects.published().tagged_with(topic).coverage_by_month()


def months_from_scratch(topic):
    return Article.objects.published().tagged_with(topic).coverage_by_month_from_scratch()


def assert_counts_match():
    assert counts_kept() == counts_from_scratch()
    for topic in Topic.objects.all():
        assert months_kept(topic) == months_from_scratch(topic), topic.name


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


def test_moving_an_article_to_another_month_moves_its_count(topics, editor_client):
    article = make_article("Moved", topics=topics[:2])
    make_article("Stays", topics=topics[:1])
    change = reverse("admin:articles_article_change", args=[article.pk])
    data = form_data(editor_client.get(change).text, "article_form")
    data["published_at_0"] = (timezone.now() - timedelta(days=100)).strftime("%Y-%m-%d")
    assert editor_client.post(change, data).status_code == 302
    assert_counts_match()
    assert len(months_kept(topics[0])) == 2

    article.refresh_from_db()
    article.schedule(timezone.now() + timedelta(days=40))
    article.save()
    assert_counts_match()
    assert len(months_kept(topics[0])) == 1
    with time_machine.travel(article.published_at + timedelta(seconds=1), tick=False):
        assert_counts_match()
        assert len(months_kept(topics[0])) == 2


def test_an_article_scheduled_later_this_month_counts_from_its_moment(topics):
    with time_machine.travel(datetime(2026, 3, 10, 12, tzinfo=UTC), tick=False):
        make_article("Public", topics=topics[:1])
        make_scheduled("Later this month", topics=topics[:1], delay=timedelta(days=10))
        make_scheduled("Next month", topics=topics[:1], delay=timedelta(days=25))
        assert_counts_match()
        assert [row["count"] for row in months_kept(topics[0])] == [1]
    with time_machine.travel(datetime(2026, 3, 25, tzinfo=UTC), tick=False):
        assert_counts_match()
        assert [row["count"] for row in months_kept(topics[0])] == [2]
    with time_machine.travel(datetime(2026, 4, 25, tzinfo=UTC), tick=False):
        assert_counts_match()
        assert [row["count"] for row in months_kept(topics[0])] == [1, 2]


def test_other_lists_are_counted_by_month_from_scratch(topics):
    make_article("Both", topics=topics[:2])
    make_article("One", topics=topics[:1], published_at=timezone.now() - timedelta(days=70))
    either = Article.objects.published().filter(tagged_items__tag__in=topics[1:])
    assert [row["count"] for row in either.coverage_by_month()] == [1]
    narrowed = Article.objects.published().tagged_with(topics[0]).filter(headline="One")
    assert [row["count"] for row in narrowed.coverage_by_month()] == [1]
    assert [row["count"] for row in months_kept(topics[0])] == [1, 1]
    assert Article.objects.none().coverage_by_month() == []


def test_recount_repairs_counts_after_a_bulk_import(topics):
    make_article("Counted", topics=topics[:1])
    Topic.objects.update(published_article_count=99)
    TopicMonthCount.objects.update(count=99)
    Topic.objects.recount_published()
    TopicMonthCount.objects.recount()
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


def test_related_topics_are_counted_over_the_newest_articles(topics):
    s400, india_russia, arctic = topics
    for age in range(3):
        make_article(f"Old {age}", topics=[s400, arctic], age=timedelta(days=10 + age))
    make_article("Newest", topics=[s400, india_russia], age=timedelta(hours=1))
    make_draft("Draft", topics=[s400, india_russia])
    related = {t.name: t.shared for t in Topic.objects.co_occurring_with(s400)}
    assert related == {"Arctic": 3, "India–Russia": 1}
    newest_two = {t.name: t.shared for t in Topic.objects.co_occurring_with(s400, recent=2)}
    assert newest_two == {"Arctic": 1, "India–Russia": 1}
