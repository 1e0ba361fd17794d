"""The admin under pressure: restores never republish, and two editors racing to create the same
topic get a form error rather than a 500."""

import re
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from articles.models import Article
from tests.browser_forms import form_data
from tests.conftest import log_in_through_the_form
from tests.factories import make_article, make_editor, make_topic
from topics.models import Topic

pytestmark = pytest.mark.django_db

Status = Article.Status


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def csrf_token(client, url):
    """The token a browser posts from the page at `url` (its CSRF cookie's secret)."""
    client.get(url)
    return client.cookies["csrftoken"].value


def save_form(client, article, **changes):
    data = {**form_data(client.get(change_url(article)).text, "article_form"), **changes}
    response = client.post(change_url(article), data)
    assert response.status_code == 302
    return response


@pytest.mark.parametrize(
    "action, status",
    [("send_back_to_draft", Status.DRAFT), ("withdraw", Status.WITHDRAWN)],
)
def test_restoring_a_published_version_brings_back_the_copy_not_the_status(
    editor_csrf_client, client, action, status
):
    article = make_article("Version one", body="First body.", key_points=["First point."])
    save_form(editor_csrf_client, article)  # revision 1: published, "Version one"
    save_form(editor_csrf_client, article, headline="Version two", body="Second body.")
    changelist = reverse("admin:articles_article_changelist")
    token = csrf_token(editor_csrf_client, changelist)
    editor_csrf_client.post(
        changelist,
        {"action": action, "_selected_action": [article.pk], "csrfmiddlewaretoken": token},
    )
    article.refresh_from_db()
    assert article.status == status
    published_at = article.published_at

    first = Version.objects.get_for_object(article).last()
    revision_url = reverse("admin:articles_article_revision", args=[article.pk, first.pk])
    restore = editor_csrf_client.get(revision_url)
    assert "Restoring keeps the article" in restore.text
    # Whatever the form posts for status and time (an old tab, a hand-made post), they are kept.
    data = {
        **form_data(restore.text, "article_form"),
        "status": "published",
        "published_at_0": "2020-01-01",
        "published_at_1": "00:00:00",
    }
    response = editor_csrf_client.post(revision_url, data, follow=True)
    assert "the status and publication time were kept" in response.text

    article.refresh_from_db()
    assert (article.headline, article.body) == ("Version one", "First body.")
    assert (article.status, article.published_at) == (status, published_at)
    assert client.get(article.get_absolute_url()).status_code == 404
    assert "Version one" not in client.get(reverse("feed")).text


def test_recovering_a_deleted_published_article_brings_it_back_as_a_draft(
    editor_csrf_client, client
):
    article = make_article("Deleted piece")
    save_form(editor_csrf_client, article)
    delete_url = reverse("admin:articles_article_delete", args=[article.pk])
    token = csrf_token(editor_csrf_client, delete_url)
    editor_csrf_client.post(delete_url, {"post": "yes", "csrfmiddlewaretoken": token})
    assert not Article.objects.exists()

    version = Version.objects.get_deleted(Article).first()
    recover_url = reverse("admin:articles_article_recover", args=[version.pk])
    data = form_data(editor_csrf_client.get(recover_url).text, "article_form")
    response = editor_csrf_client.post(recover_url, data, follow=True)
    assert "recovered as a draft" in response.text
    recovered = Article.objects.get()
    assert (recovered.headline, recovered.status, recovered.published_at) == (
        "Deleted piece",
        Status.DRAFT,
        None,
    )
    assert client.get(recovered.get_absolute_url()).status_code == 404


def test_duplicate_topic_name_shows_one_clear_error(editor_csrf_client):
    make_topic("S-400")
    url = reverse("admin:topics_topic_add")
    data = {**form_data(editor_csrf_client.get(url).text, "topic_form"), "name": "s-400"}
    response = editor_csrf_client.post(url, data)
    assert response.status_code == 200
    assert "There is already a topic named “S-400”." in response.text
    assert "is violated" not in response.text
    assert Topic.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_editors_creating_the_same_topic_at_once_get_a_form_error_not_a_500():
    clients, forms = [], []
    for name in ("desk.one", "desk.two"):
        make_editor(name)
        client = Client(enforce_csrf_checks=True)
        assert log_in_through_the_form(client, name).status_code == 302
        url = reverse("admin:topics_topic_add")
        clients.append(client)
        forms.append({**form_data(client.get(url).text, "topic_form"), "name": "Arctic Council"})
    barrier = threading.Barrier(2)
    responses = {}

    def create(index):
        try:
            barrier.wait(timeout=10)
            responses[index] = clients[index].post(reverse("admin:topics_topic_add"), forms[index])
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(response.status_code for response in responses.values()) == [200, 302]
    loser = next(response for response in responses.values() if response.status_code == 200)
    errors = re.findall(r"<ul class=\"errorlist[^>]*>(.*?)</ul>", loser.text, re.S)
    assert "There is already a topic named “Arctic Council”." in loser.text, errors
    assert Topic.objects.filter(name="Arctic Council").count() == 1


def test_integrity_error_on_save_is_reported_as_the_clash(editor_csrf_client, monkeypatch):
    """The race, made certain: the form's check ran before a colleague's topic was committed."""
    url = reverse("admin:topics_topic_add")
    data = {**form_data(editor_csrf_client.get(url).text, "topic_form"), "name": "arctic council"}
    Topic.objects.create(name="Arctic Council")
    original_clean = Topic.clean
    calls = []

    def clean_before_the_colleague_committed(topic):
        if calls:
            return original_clean(topic)
        calls.append(1)
        topic.slug = "arctic-council-2"  # what the check saw: no such topic yet

    monkeypatch.setattr(Topic, "clean", clean_before_the_colleague_committed)
    response = editor_csrf_client.post(url, data)
    assert response.status_code == 200
    assert "There is already a topic named “Arctic Council”." in response.text
    assert Topic.objects.count() == 1
