"""Every admin save is a revision that can be restored; no save overwrites one it has not seen."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from articles.models import Article
from tests.browser_forms import form_data
from tests.factories import make_article, make_editor, make_topic

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def open_form(client, article):
    return form_data(client.get(change_url(article)).text, "article_form")


def contents(article):
    article = Article.objects.get(pk=article.pk)
    return {
        "headline": article.headline,
        "body": article.body,
        "key_points": [point.text for point in article.key_points.all()],
        "topics": sorted(topic.name for topic in article.topics.all()),
    }


@pytest.fixture
def article():
    return make_article(
        "First headline",
        body="## First\n\nFirst body.",
        key_points=["Point one.", "Point two."],
        topics=[make_topic("India–Russia"), make_topic("S-400")],
    )


class TestHistory:
    def test_restore_brings_back_headline_body_key_points_and_topics(self, editor_client, article):
        editor_client.post(change_url(article), open_form(editor_client, article))  # revision 1
        original = contents(article)
        su57 = make_topic("Su-57")
        edited = {
            **open_form(editor_client, article),
            "headline": "Second headline",
            "body": "Second body.",
            "key_points-0-text": "Point one, rewritten.",
            "key_points-1-DELETE": "on",
            "key_points-2-position": "3",
            "key_points-2-text": "A new third point.",
            "topics": [str(su57.pk)],
        }
        assert editor_client.post(change_url(article), edited).status_code == 302
        assert contents(article) != original

        history = editor_client.get(reverse("admin:articles_article_history", args=[article.pk]))
        assert history.status_code == 200 and "Edie Editor" in history.text
        versions = Version.objects.get_for_object(article)
        assert versions.count() == 2
        oldest = versions.last()
        revision_url = reverse("admin:articles_article_revision", args=[article.pk, oldest.pk])
        restore_form = editor_client.get(revision_url)
        assert "First headline" in restore_form.text
        assert contents(article)["headline"] == "Second headline"  # viewing changes nothing
        response = editor_client.post(revision_url, form_data(restore_form.text, "article_form"))
        assert response.status_code == 302
        assert contents(article) == original
        assert Version.objects.get_for_object(article).count() == 3  # the restore is a revision

    def test_writer_actions_also_leave_revisions(self, editor_client, article):
        editor_client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "withdraw", "_selected_action": [article.pk]},
        )
        latest = Version.objects.get_for_object(article).first()
        assert latest.revision.comment == "Withdrawn"
        assert latest.revision.user.username == "desk.editor"


class TestEditConflicts:
    def test_second_of_two_conflicting_saves_is_refused(self, client, article):
        first, second = make_editor("first"), make_editor("second", first_name="Sam")
        client.force_login(second)
        stale = open_form(client, article)
        other = Client()
        other.force_login(first)
        saved = {**open_form(other, article), "headline": "First editor's headline"}
        assert other.post(change_url(article), saved).status_code == 302

        response = client.post(
            change_url(article), {**stale, "headline": "Second editor's headline"}
        )
        assert response.status_code == 200
        assert "Edie Editor saved this article at" in response.text
        assert "after you opened it" in response.text
        assert 'value="Second editor&#x27;s headline"' in response.text  # their text is kept
        assert contents(article)["headline"] == "First editor's headline"

    def test_restore_counts_as_a_change_for_open_forms(self, editor_client, article):
        editor_client.post(change_url(article), open_form(editor_client, article))
        editor_client.post(
            change_url(article), {**open_form(editor_client, article), "headline": "B"}
        )
        stale = open_form(editor_client, article)
        oldest = Version.objects.get_for_object(article).last()
        revision_url = reverse("admin:articles_article_revision", args=[article.pk, oldest.pk])
        restore = form_data(editor_client.get(revision_url).text, "article_form")
        assert editor_client.post(revision_url, restore).status_code == 302
        response = editor_client.post(change_url(article), {**stale, "headline": "Stale"})
        assert response.status_code == 200 and "after you opened it" in response.text
        assert contents(article)["headline"] == "First headline"

    def test_stale_form_cannot_overwrite_an_action(self, editor_client, article):
        stale = open_form(editor_client, article)
        editor_client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "withdraw", "_selected_action": [article.pk]},
        )
        response = editor_client.post(change_url(article), {**stale, "status": "published"})
        assert response.status_code == 200
        article.refresh_from_db()
        assert article.status == Article.Status.WITHDRAWN


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_saves_at_the_same_moment_leave_exactly_one_winner():
    article = make_article("Original", key_points=["A point."])
    clients, forms = [], []
    for name in ("racer.one", "racer.two"):
        client = Client()
        client.force_login(make_editor(name))
        clients.append(client)
        forms.append(open_form(client, article))
    barrier = threading.Barrier(2)
    statuses = {}

    def save(index):
        try:
            barrier.wait(timeout=10)
            data = {**forms[index], "headline": f"Headline from racer {index}"}
            statuses[index] = clients[index].post(change_url(article), data).status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(statuses.values()) == [200, 302]
    winner = next(i for i, status in statuses.items() if status == 302)
    article.refresh_from_db()
    assert article.headline == f"Headline from racer {winner}"
    assert article.lock_version == 2


def test_editor_is_told_a_colleague_opened_the_article_recently(client, article):
    colleague = Client()
    colleague.force_login(make_editor("sam", first_name="Sam", last_name="Sub"))
    colleague.get(change_url(article))
    client.force_login(make_editor())
    html = client.get(change_url(article)).text
    assert "Sam Sub opened this article" in html
    assert "agree who edits" in html
    assert "Edie Editor opened this article just now" in colleague.get(change_url(article)).text


def test_unknown_article_in_the_admin_is_a_redirect_not_an_error(editor_client):
    response = editor_client.get(reverse("admin:articles_article_change", args=[999999]))
    assert response.status_code == 302
