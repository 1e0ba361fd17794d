"""Editors add a topic to, or remove it from, many articles at once from the article list: each
changed article gets a revision, counts and pages follow, writers cannot."""

import pytest
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from tests.browser_forms import form_data
from tests.factories import make_article, make_draft, make_topic
from topics.models import Topic

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:articles_article_changelist"


def counts_kept():
    return {t.name: t.published_count for t in Topic.objects.with_published_counts()}


def counts_from_scratch():
    return {t.name: t.published_count for t in Topic.objects.counted_from_scratch()}


def retag(client, action, articles, topic):
    """Select the articles, pick the action, choose the topic on the next page, apply."""
    chosen = {"action": action, "_selected_action": [article.pk for article in articles]}
    page = client.post(reverse(CHANGELIST), chosen)
    assert page.status_code == 200
    assert f'<option value="{topic.pk}">{topic.name}</option>' in page.text
    data = {**form_data(page.text, "bulk-topic-form"), "topic": topic.pk, "apply": "1"}
    response = client.post(reverse(CHANGELIST), data, follow=True)
    assert response.status_code == 200
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def s400():
    return make_topic("S-400", kind="defence_system")


def test_adding_a_topic_to_many_articles(editor_client, s400, committed):
    with committed():
        tagged = [make_article(f"Tagged {n}", topics=[s400]) for n in (1, 2)]
        untagged = [make_article("Untagged 1"), make_article("Untagged 2"), make_draft("Draft")]
    reader = Client()
    reader.get(s400.get_absolute_url())
    assert reader.get(s400.get_absolute_url())["X-Cache"] == "HIT"

    with committed():
        messages = retag(editor_client, "add_topic", tagged + untagged, s400)
    assert messages == ["Added S-400 to 3 articles; 2 already had it."]
    for article in tagged + untagged:
        assert list(article.topics.all()) == [s400]
    for article in untagged:
        assert Version.objects.get_for_object(article).first().revision.comment == (
            "Added topic “S-400”"
        )
    assert not Version.objects.get_for_object(tagged[0]).exists()
    assert counts_kept() == counts_from_scratch() == {"S-400": 4}
    page = reader.get(s400.get_absolute_url())
    assert "Untagged 1" in page.text and "Draft" not in page.text


def test_removing_a_topic_from_many_articles(editor_client, s400, committed):
    with committed():
        primary = make_article("Primary", topics=[s400], kicker_topic=s400)
        other = make_article("Other", topics=[s400])
        without = make_article("Without")
    reader = Client()
    reader.get(s400.get_absolute_url())
    reader.get(primary.get_absolute_url())

    with committed():
        messages = retag(editor_client, "remove_topic", [primary, without], s400)
    assert messages == ["Removed S-400 from 1 article; 1 did not have it."]
    primary.refresh_from_db()
    assert not primary.topics.exists() and primary.kicker_topic is None
    assert list(other.topics.all()) == [s400]
    assert counts_kept() == counts_from_scratch() == {"S-400": 1}
    page = reader.get(s400.get_absolute_url())
    assert "Primary" not in page.text and "Other" in page.text
    assert "S-400" not in reader.get(primary.get_absolute_url()).text


def test_no_topic_chosen_changes_nothing(editor_client, s400):
    article = make_article("Story")
    chosen = {"action": "add_topic", "_selected_action": [article.pk], "apply": "1"}
    response = editor_client.post(reverse(CHANGELIST), chosen)
    assert response.status_code == 200 and "This field is required." in response.text
    assert not article.topics.exists()


def test_writers_cannot_retag(writer_client, writer, s400):
    article = make_draft("My draft", created_by=writer)
    for action in ("add_topic", "remove_topic"):
        data = {
            "action": action,
            "_selected_action": [article.pk],
            "topic": s400.pk,
            "apply": "1",
        }
        response = writer_client.post(reverse(CHANGELIST), data, follow=True)
        assert "only editors" in response.text
    assert not article.topics.exists()
    page = writer_client.get(reverse(CHANGELIST))
    assert 'value="add_topic"' not in page.text
