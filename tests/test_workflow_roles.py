"""Writers write and submit; editors publish. Every rule is enforced on the server."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.browser_forms import form_data
from tests.factories import make_article, make_draft, make_editor, make_topic, make_writer
from topics.models import Topic

pytestmark = pytest.mark.django_db

Status = Article.Status
ADD_URL = reverse("admin:articles_article_add")
CHANGELIST_URL = reverse("admin:articles_article_changelist")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def fill(client, url, **changes):
    """GET the admin form at `url` and return what the browser posts after `changes`."""
    response = client.get(url)
    assert response.status_code == 200
    return {**form_data(response.text, "article_form"), **changes}


def new_article_fields(topic):
    return {
        "headline": "Corridor talks resume",
        "slug": "corridor-talks-resume",
        "standfirst": "Shipping through Iran, again.",
        "body": "Text.",
        "topics": [str(topic.pk)],
        "key_points-0-position": "1",
        "key_points-0-text": "A point.",
    }


def snapshot(article):
    """What a refused request must leave untouched."""
    article = Article.objects.get(pk=article.pk)
    return (article.headline, article.status, article.published_at, article.lock_version)


@pytest.fixture
def topic():
    return make_topic("International North-South Transport Corridor")


class TestWriters:
    def test_writer_creates_a_draft_and_is_its_author(self, writer_client, writer, topic):
        data = fill(writer_client, ADD_URL, **new_article_fields(topic))  # "Save draft"
        assert writer_client.post(ADD_URL, data).status_code == 302
        article = Article.objects.get()
        assert (article.status, article.created_by) == (Status.DRAFT, writer)
        assert list(article.authors.all()) == [writer]

    def test_writer_sees_save_draft_and_submit_buttons_only(self, writer_client):
        html = writer_client.get(ADD_URL).text
        assert '<button type="submit" name="_continue" class="default">Save draft</button>' in html
        assert 'name="_transition" value="submit"' in html and "Submit for review" in html
        for editors_only in ("publish", "schedule", "send_back", "withdraw"):
            assert f'value="{editors_only}"' not in html
        assert 'name="status"' not in html and 'name="published_at_0"' not in html

    def test_writer_submits_own_draft_for_review(self, writer_client, writer):
        draft = make_draft("My draft", created_by=writer)
        data = fill(writer_client, change_url(draft), _transition="submit")
        assert writer_client.post(change_url(draft), data).status_code == 302
        draft.refresh_from_db()
        assert draft.status == Status.IN_REVIEW

    def test_writer_cannot_publish_a_new_article(self, writer_client, topic):
        data = fill(writer_client, ADD_URL, **new_article_fields(topic), _transition="publish")
        response = writer_client.post(ADD_URL, data)
        assert response.status_code == 200
        assert "Only editors can publish, schedule or withdraw articles." in response.text
        assert not Article.objects.exists()

    @pytest.mark.parametrize(
        "button", ["publish", "schedule", "withdraw", "send_back", "status=published"]
    )
    def test_writer_cannot_publish_or_withdraw_own_draft(self, writer_client, writer, button):
        draft = make_draft("My draft", created_by=writer)
        before = snapshot(draft)
        posted = {"status": "published"} if "=" in button else {"_transition": button}
        data = fill(writer_client, change_url(draft), **posted, headline="Changed")
        response = writer_client.post(change_url(draft), data)
        assert response.status_code == 200
        assert "Only editors can publish, schedule or withdraw articles." in response.text
        assert snapshot(draft) == before

    def test_writer_cannot_schedule_by_posting_a_time(self, writer_client, writer):
        draft = make_draft("My draft", created_by=writer)
        later = timezone.now() + timedelta(days=1)
        data = fill(
            writer_client,
            change_url(draft),
            published_at_0=later.strftime("%Y-%m-%d"),
            published_at_1="10:00:00",
        )
        writer_client.post(change_url(draft), data)
        draft.refresh_from_db()
        assert draft.published_at is None

    def test_writer_cannot_edit_someone_elses_draft(self, writer_client, writer):
        other = make_draft("Colleague's draft", created_by=make_writer("colleague"))
        before = snapshot(other)
        data = fill(writer_client, change_url(other), headline="Hijacked")  # read-only view
        response = writer_client.post(change_url(other), data)
        assert response.status_code == 403
        assert "You can edit only your own articles" in response.text
        assert snapshot(other) == before

    @pytest.mark.parametrize("status", ["in_review", "published", "withdrawn"])
    def test_writer_cannot_edit_own_article_once_submitted(self, writer_client, writer, status):
        article = make_article("Mine", created_by=writer, status=status)
        before = snapshot(article)
        html = writer_client.get(change_url(article)).text
        assert 'name="headline"' not in html  # shown read-only
        data = {**form_data(html, "article_form"), "headline": "Changed", "body": "Changed"}
        response = writer_client.post(change_url(article), data)
        assert response.status_code == 403
        assert "only an editor can change it now" in response.text
        assert snapshot(article) == before

    @pytest.mark.parametrize(
        "action", ["publish_now", "withdraw", "send_back_to_draft", "schedule", "delete_selected"]
    )
    def test_writer_bulk_actions_are_refused(self, writer_client, writer, action):
        draft = make_draft("My draft", created_by=writer)
        review = make_article("Their piece", status=Status.IN_REVIEW)
        before = [snapshot(draft), snapshot(review)]
        response = writer_client.post(
            CHANGELIST_URL,
            {"action": action, "_selected_action": [draft.pk, review.pk], "index": "0"},
            follow=True,
        )
        assert "only editors can publish, schedule, withdraw, send back or delete" in (
            response.text
        )
        assert [snapshot(draft), snapshot(review)] == before

    def test_writer_cannot_delete(self, writer_client, writer):
        draft = make_draft("My draft", created_by=writer)
        url = reverse("admin:articles_article_delete", args=[draft.pk])
        assert writer_client.post(url, {"post": "yes"}).status_code == 403
        assert Article.objects.filter(pk=draft.pk).exists()

    def test_writer_cannot_create_topics(self, writer_client):
        url = reverse("admin:topics_topic_add")
        response = writer_client.post(url, {"name": "S400", "kind": "defence_system"})
        assert response.status_code == 403
        assert not Topic.objects.filter(name="S400").exists()

    def test_topics_are_picked_from_existing_ones_by_autocomplete(self, writer_client, topic):
        make_topic("S-400", kind="defence_system")
        html = writer_client.get(ADD_URL).text
        assert 'name="topics"' in html and "admin-autocomplete" in html
        url = reverse("admin:autocomplete")
        params = {"app_label": "articles", "model_name": "article", "field_name": "topics"}
        by_name = writer_client.get(url, {**params, "term": "s-4"}).json()
        assert [r["text"] for r in by_name["results"]] == ["S-400"]
        by_slug = writer_client.get(url, {**params, "term": "north-south"}).json()
        assert [r["text"] for r in by_slug["results"]] == [topic.name]

    def test_unknown_topic_value_is_a_form_error_not_a_new_topic(self, writer_client, topic):
        fields = {**new_article_fields(topic), "topics": ["S400", "999999"], "status": "draft"}
        response = writer_client.post(ADD_URL, fill(writer_client, ADD_URL, **fields))
        assert response.status_code == 200
        assert "“S400” is not a valid value." in response.text
        assert Topic.objects.count() == 1 and not Article.objects.exists()


class TestEditors:
    def test_editor_edits_and_publishes_anyones_article(self, editor_client, editor):
        review = make_article("Submitted", status=Status.IN_REVIEW, created_by=make_writer())
        data = fill(editor_client, change_url(review), _transition="publish", headline="Published")
        assert editor_client.post(change_url(review), data).status_code == 302
        review.refresh_from_db()
        assert review.is_published() and review.headline == "Published"
        assert review.updated_by == editor

    def test_publish_now_action(self, editor_client):
        review = make_article("Submitted", status=Status.IN_REVIEW)
        response = editor_client.post(
            CHANGELIST_URL, {"action": "publish_now", "_selected_action": [review.pk]}
        )
        assert response.status_code == 302
        review.refresh_from_db()
        assert review.is_published()
        assert editor_client.get(review.get_absolute_url()).status_code == 200

    def test_schedule_action_asks_for_a_time_then_schedules(self, editor_client):
        review = make_article("Submitted", status=Status.IN_REVIEW)
        ask = editor_client.post(
            CHANGELIST_URL, {"action": "schedule", "_selected_action": [review.pk]}
        )
        assert ask.status_code == 200 and "Publish at" in ask.text
        later = timezone.localtime(timezone.now() + timedelta(days=2)).replace(microsecond=0)
        data = {
            **form_data(ask.text.replace("<form method", '<form id="schedule" method'), "schedule"),
            "publish_at_0": later.strftime("%Y-%m-%d"),
            "publish_at_1": later.strftime("%H:%M:%S"),
            "apply": "Schedule",
        }
        assert editor_client.post(CHANGELIST_URL, data).status_code == 302
        review.refresh_from_db()
        assert review.status == Status.PUBLISHED and review.published_at == later
        assert review.is_scheduled()

    def test_schedule_action_refuses_a_past_time(self, editor_client):
        review = make_article("Submitted", status=Status.IN_REVIEW)
        before = snapshot(review)
        response = editor_client.post(
            CHANGELIST_URL,
            {
                "action": "schedule",
                "_selected_action": [review.pk],
                "publish_at_0": "2020-01-01",
                "publish_at_1": "10:00:00",
                "apply": "Schedule",
            },
        )
        assert response.status_code == 200
        assert "Choose a time in the future" in response.text
        assert snapshot(review) == before

    @pytest.mark.parametrize(
        ("action", "status"), [("withdraw", "withdrawn"), ("send_back_to_draft", "draft")]
    )
    def test_withdraw_and_send_back_actions(self, editor_client, action, status):
        article = make_article("Live")
        editor_client.post(CHANGELIST_URL, {"action": action, "_selected_action": [article.pk]})
        article.refresh_from_db()
        assert article.status == status
        assert editor_client.logout() is None
        assert editor_client.get(article.get_absolute_url()).status_code == 404

    def test_change_list_labels_and_filters_status(self, editor_client):
        make_draft("A draft")
        make_article("In review", status=Status.IN_REVIEW)
        make_article("Withdrawn piece", status=Status.WITHDRAWN)
        make_article("Scheduled piece", published_at=timezone.now() + timedelta(hours=3))
        make_article("Live piece")
        html = editor_client.get(CHANGELIST_URL).text
        for label in ("Draft", "In review", "Withdrawn", "Scheduled for", "Published"):
            assert f'<td class="field-visibility">{label}' in html
        scheduled = editor_client.get(CHANGELIST_URL, {"visibility": "scheduled"}).text
        assert "Scheduled piece" in scheduled and "Live piece" not in scheduled
        review = editor_client.get(CHANGELIST_URL, {"visibility": "in_review"}).text
        assert "In review" in review and "A draft" not in review

    def test_editor_manages_topics(self, editor_client):
        url = reverse("admin:topics_topic_add")
        response = editor_client.post(url, {"name": "S-400", "kind": "defence_system"})
        assert response.status_code == 302
        assert Topic.objects.get().slug == "s-400"

    def test_delete_asks_for_confirmation_and_stays_recoverable(self, editor_client):
        article = make_article("Doomed", key_points=["Kept point."], topics=[make_topic("Su-57")])
        editor_client.post(change_url(article), fill(editor_client, change_url(article)))
        url = reverse("admin:articles_article_delete", args=[article.pk])
        confirm = editor_client.get(url)
        assert confirm.status_code == 200 and "Are you sure" in confirm.text
        assert Article.objects.filter(pk=article.pk).exists()
        assert editor_client.post(url, {"post": "yes"}).status_code == 302
        assert not Article.objects.filter(pk=article.pk).exists()
        recover_list = editor_client.get(reverse("admin:articles_article_recoverlist")).text
        assert "Doomed" in recover_list
        start = recover_list.index('href="/admin/articles/article/recover/')
        recover_url = recover_list[start + 6 : recover_list.index('"', start + 6)]
        recover_form = editor_client.get(recover_url).text
        assert (
            editor_client.post(recover_url, form_data(recover_form, "article_form")).status_code
            == 302
        )
        restored = Article.objects.get(headline="Doomed")
        assert [p.text for p in restored.key_points.all()] == ["Kept point."]
        assert [t.name for t in restored.topics.all()] == ["Su-57"]


@pytest.mark.parametrize("make_member", [make_writer, make_editor])
def test_newsroom_can_look_up_authors_for_the_byline(client, make_member):
    colleague = make_writer("anika.rao", first_name="Anika", last_name="Rao")
    client.force_login(make_member("member"))
    assert f'data-ajax--url="{reverse("desk:authors")}"' in client.get(ADD_URL).text
    response = client.get(reverse("desk:authors"), {"term": "anika"})
    assert response.status_code == 200
    assert response.json()["results"] == [{"id": str(colleague.pk), "text": "Anika Rao"}]


def test_only_editors_see_and_use_recover_deleted(client):
    writer = make_writer()
    client.force_login(writer)
    assert "Recover deleted articles" not in client.get(CHANGELIST_URL).text
    response = client.get(reverse("admin:articles_article_recoverlist"))
    assert response.status_code == 403
    assert "Only editors can recover deleted articles." in response.text
    client.force_login(make_editor())
    assert "Recover deleted articles" in client.get(CHANGELIST_URL).text


def test_writer_is_told_the_submitted_article_is_now_with_the_editors(client):
    writer = make_writer()
    draft = make_draft("My draft", created_by=writer)
    client.force_login(writer)
    data = fill(client, change_url(draft), _transition="submit")
    response = client.post(change_url(draft), data, follow=True)
    assert "“My draft” is with the editors for review." in response.text
