"""The change form's buttons: each one transition, checked on the server, kept as a revision;
notes between writers and editors that readers never see and restores never touch."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import Article
from desk.models import Note
from tests.browser_forms import form_data
from tests.factories import make_article, make_draft, make_editor, make_writer

pytestmark = pytest.mark.django_db

Status = Article.Status
ADD_URL = reverse("admin:articles_article_add")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def press(client, article, button, **changes):
    """Open the article's form, change fields, press a transition button."""
    data = form_data(client.get(change_url(article)).text, "article_form")
    data.update(changes)
    if button:
        data["_transition"] = button
    return client.post(change_url(article), data)


def state(article):
    article = Article.objects.get(pk=article.pk)
    return (article.headline, article.status, article.published_at, article.lock_version)


def buttons(client, article):
    html = client.get(change_url(article)).text
    names = ("submit", "publish", "schedule", "send_back", "withdraw")
    return {name for name in names if f'name="_transition" value="{name}"' in html}


def latest_comment(article):
    return Version.objects.get_for_object(article).first().revision.comment


@pytest.fixture
def submitted(writer):
    return make_article(
        "Corridor talks resume", status=Status.IN_REVIEW, created_by=writer, authors=[writer]
    )


class TestButtonsShownForTheState:
    def test_writer_on_own_draft_sees_save_draft_and_submit(self, writer_client, writer):
        draft = make_draft("Mine", created_by=writer)
        assert buttons(writer_client, draft) == {"submit"}
        assert ">Save draft</button>" in writer_client.get(change_url(draft)).text

    def test_writer_on_submitted_piece_sees_no_buttons(self, writer_client, submitted):
        html = writer_client.get(change_url(submitted)).text
        assert buttons(writer_client, submitted) == set()
        assert "This article is in review; you can read it here" in html

    def test_editor_sees_buttons_that_fit_each_state(self, editor_client):
        review = make_article("In review", status=Status.IN_REVIEW)
        live = make_article("Live")
        scheduled = make_article("Later", published_at=timezone.now() + timedelta(days=1))
        withdrawn = make_article("Gone", status=Status.WITHDRAWN)
        assert buttons(editor_client, review) == {"publish", "schedule", "send_back"}
        assert buttons(editor_client, live) == {"send_back", "withdraw"}
        assert buttons(editor_client, scheduled) == {
            "publish", "schedule", "send_back", "withdraw",
        }  # fmt: skip
        assert buttons(editor_client, withdrawn) == {"publish", "schedule", "send_back"}


class TestWriterTransitions:
    def test_submit_for_review_records_a_revision_and_a_hand_over(self, writer_client, writer):
        draft = make_draft("Mine", created_by=writer)
        response = press(writer_client, draft, "submit", body="Finished text.")
        assert response.status_code == 302
        draft.refresh_from_db()
        assert (draft.status, draft.body) == (Status.IN_REVIEW, "Finished text.")
        assert latest_comment(draft).startswith("Submitted for review.")
        assert Note.objects.get(article=draft).action == "submit"

    def test_submit_from_the_add_form_creates_it_in_review(self, writer_client, writer):
        data = form_data(writer_client.get(ADD_URL).text, "article_form")
        data.update(headline="New piece", standfirst="Summary.", _transition="submit")
        assert writer_client.post(ADD_URL, data).status_code == 302
        article = Article.objects.get()
        assert article.status == Status.IN_REVIEW and article.created_by == writer

    @pytest.mark.parametrize("button", ["publish", "schedule", "withdraw", "send_back", "bogus"])
    def test_editors_buttons_are_refused_and_change_nothing(self, writer_client, writer, button):
        draft = make_draft("Mine", created_by=writer)
        before = state(draft)
        response = press(writer_client, draft, button, headline="Changed")
        assert response.status_code == 200
        assert "Nothing was changed" in response.text or "Only editors can" in response.text
        assert state(draft) == before
        assert not Note.objects.exists()

    def test_writer_cannot_press_anything_on_a_submitted_piece(self, writer_client, submitted):
        before = state(submitted)
        response = press(writer_client, submitted, "submit", headline="Changed")
        assert response.status_code == 403
        assert state(submitted) == before


class TestEditorTransitions:
    def test_publish_now(self, editor_client, submitted):
        assert press(editor_client, submitted, "publish").status_code == 302
        submitted.refresh_from_db()
        assert submitted.is_published()
        assert latest_comment(submitted).startswith("Published.")

    def test_schedule_needs_a_future_time(self, editor_client, submitted):
        before = state(submitted)
        empty = press(editor_client, submitted, "schedule")
        assert "Set the publication time to when the article should appear" in empty.text
        past = press(
            editor_client, submitted, "schedule", published_at_0="2024-01-01",
            published_at_1="10:00:00",
        )  # fmt: skip
        assert "Choose a time in the future, or use “Publish now”." in past.text
        assert state(submitted) == before
        later = timezone.localtime(timezone.now() + timedelta(days=2)).replace(microsecond=0)
        response = press(
            editor_client,
            submitted,
            "schedule",
            published_at_0=later.strftime("%Y-%m-%d"),
            published_at_1=later.strftime("%H:%M:%S"),
        )
        assert response.status_code == 302
        submitted.refresh_from_db()
        assert submitted.is_scheduled() and submitted.published_at == later
        assert latest_comment(submitted).startswith("Scheduled.")

    def test_send_back_with_a_note_reaches_the_writer(self, editor_client, submitted, writer):
        note = "Source the S-400 figure."
        response = press(editor_client, submitted, "send_back", note=note)
        assert response.status_code == 302
        submitted.refresh_from_db()
        assert submitted.status == Status.DRAFT
        comment = latest_comment(submitted)
        assert comment.startswith("Sent back to the writer with a note.")
        assert note not in comment  # notes stay out of revisions
        writer_view = Client()
        writer_view.force_login(writer)
        html = writer_view.get(change_url(submitted)).text
        assert note in html and "Edie Editor" in html and "sent back to the writer" in html
        assert "Submit for review" in html  # the writer can work on it again

    def test_withdraw_takes_a_live_article_down(self, editor_client):
        live = make_article("Live")
        assert press(editor_client, live, "withdraw").status_code == 302
        live.refresh_from_db()
        assert live.status == Status.WITHDRAWN
        editor_client.logout()
        assert editor_client.get(live.get_absolute_url()).status_code == 404

    def test_publish_does_not_apply_to_a_live_article(self, editor_client):
        live = make_article("Live")
        before = state(live)
        response = press(editor_client, live, "publish", headline="Changed")
        assert response.status_code == 200
        assert "“Publish now” does not apply to an article that is published." in response.text
        assert state(live) == before

    def test_old_forms_posting_a_status_still_go_through_the_rules(self, editor_client, submitted):
        later = timezone.localtime(timezone.now() + timedelta(days=1)).replace(microsecond=0)
        response = press(
            editor_client,
            submitted,
            None,
            status="published",
            published_at_0=later.strftime("%Y-%m-%d"),
            published_at_1=later.strftime("%H:%M:%S"),
        )
        assert response.status_code == 302
        submitted.refresh_from_db()
        assert submitted.is_scheduled()


class TestNotes:
    def test_thread_shows_who_and_when_in_order(self, editor_client, writer, submitted):
        press(editor_client, submitted, "send_back", note="Source the S-400 figure.")
        writer_client = Client()
        writer_client.force_login(writer)
        press(writer_client, submitted, "submit", note="Sourced: SIPRI, 2024.")
        html = editor_client.get(change_url(submitted)).text
        thread = html[html.index('id="desk-notes-heading"') :]
        assert thread.index("Source the S-400 figure.") < thread.index("Sourced: SIPRI, 2024.")
        assert "Wren Writer" in thread and "submitted for review" in thread

    def test_notes_are_escaped(self, editor_client, submitted):
        press(editor_client, submitted, "send_back", note="<script>alert(1)</script>")
        html = editor_client.get(change_url(submitted)).text
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html

    def test_notes_are_never_public(self, editor_client, client, submitted):
        note = "Private: the minister's aide is the source."
        press(editor_client, submitted, "publish", note=note)
        submitted.refresh_from_db()
        assert submitted.is_published()
        for url in (submitted.get_absolute_url(), "/", "/feed/", f"/search/?q={submitted.slug}"):
            assert note not in client.get(url).text
        preview = reverse("preview", kwargs={"slug": submitted.slug})
        assert note not in editor_client.get(preview).text

    def test_colleagues_who_cannot_work_on_it_do_not_see_notes(self, editor_client, submitted):
        press(editor_client, submitted, "send_back", note="Tighten the intro.")
        other = Client()
        other.force_login(make_writer("colleague"))
        assert "Tighten the intro." not in other.get(change_url(submitted)).text

    def test_restoring_a_revision_keeps_notes(self, editor_client, submitted):
        press(editor_client, submitted, "send_back", note="First round.")
        first = Version.objects.get_for_object(submitted).first()
        press(editor_client, submitted, None, note="Second round.", headline="New headline")
        url = reverse("admin:articles_article_revision", args=[submitted.pk, first.pk])
        restore = form_data(editor_client.get(url).text, "article_form")
        assert editor_client.post(url, restore).status_code == 302
        submitted.refresh_from_db()
        assert submitted.headline == "Corridor talks resume"
        assert list(Note.objects.filter(article=submitted).values_list("text", flat=True)) == [
            "First round.",
            "Second round.",
        ]
        assert all("Second round." not in v.serialized_data for v in Version.objects.all())

    def test_a_note_over_the_limit_is_refused(self, editor_client, submitted):
        before = state(submitted)
        response = press(editor_client, submitted, "send_back", note="x" * 2001)
        assert response.status_code == 200
        assert "at most 2000 characters" in response.text
        assert state(submitted) == before and not Note.objects.exists()


class TestEmail:
    @pytest.fixture
    def mail_on(self, settings):
        settings.NEWSROOM_EMAIL_NOTIFICATIONS = True
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    def test_off_unless_configured(self, editor_client, submitted, settings):
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        press(editor_client, submitted, "send_back", note="No mail.")
        assert mail.outbox == []

    def test_submit_mails_editors(self, mail_on, writer, django_capture_on_commit_callbacks):
        make_editor(email="edie@example.org")
        make_editor("no.mail")  # no address: skipped
        draft = make_draft("Ready\nX-Injected: yes", created_by=writer)
        client = Client()
        client.force_login(writer)
        with django_capture_on_commit_callbacks(execute=True):
            press(client, draft, "submit", note="Over to you.")
        [message] = mail.outbox
        assert message.to == ["edie@example.org"]
        assert message.subject == "Waiting for review: Ready X-Injected: yes"
        assert "Over to you." in message.body and change_url(draft) in message.body

    def test_send_back_and_publish_mail_the_writer(
        self, mail_on, editor_client, writer, submitted, django_capture_on_commit_callbacks
    ):
        writer.email = "wren@example.org"
        writer.save()
        with django_capture_on_commit_callbacks(execute=True):
            press(editor_client, submitted, "send_back", note="Source it.")
        with django_capture_on_commit_callbacks(execute=True):
            press(editor_client, submitted, "publish")
        assert [m.subject for m in mail.outbox] == [
            "Sent back to you: Corridor talks resume",
            "Published: Corridor talks resume",
        ]
        assert all(m.to == ["wren@example.org"] for m in mail.outbox)

    def test_a_failing_mail_server_does_not_undo_the_save(
        self,
        mail_on,
        settings,
        editor_client,
        writer,
        submitted,
        django_capture_on_commit_callbacks,
    ):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
        writer.email = "wren@example.org"
        writer.save()
        with django_capture_on_commit_callbacks(execute=True):
            response = press(editor_client, submitted, "send_back")
        assert response.status_code == 302
        submitted.refresh_from_db()
        assert submitted.status == Status.DRAFT
