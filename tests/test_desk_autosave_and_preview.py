"""Autosave and live preview: private, permission-checked, CSRF-protected, and they never
change an article, its revisions or its version."""

import re
import time
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import Article
from desk.models import Autosave
from tests.browser_forms import form_data
from tests.factories import make_article, make_draft, make_editor, make_topic, make_writer

pytestmark = pytest.mark.django_db

Status = Article.Status
ADD_URL = reverse("admin:articles_article_add")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def opened(client, url):
    return form_data(client.get(url).text, "article_form")


def untouched(article):
    """Everything an autosave or a preview must leave exactly as it was."""
    article = Article.objects.get(pk=article.pk)
    return (
        article.headline,
        article.body,
        article.lock_version,
        article.updated_at,
        Version.objects.get_for_object(article).count(),
        list(article.key_points.values_list("text", flat=True)),
    )


@pytest.fixture
def draft(writer):
    return make_draft("Corridor talks", created_by=writer, key_points=["Kept point."])


class TestEndpointsInTheForm:
    def test_form_names_its_endpoints_in_data_attributes(self, writer_client, draft):
        html = writer_client.get(change_url(draft)).text
        autosave = reverse("desk:autosave", args=[draft.pk])
        preview = reverse("desk:preview", args=[draft.pk])
        assert f'data-autosave-url="{autosave}"' in html
        assert f'data-preview-url="{preview}"' in html
        assert f'formaction="{preview}" formtarget="_blank"' in html  # the no-JS Preview
        assert "<script>" not in html and ' style="' not in html.split("<form", 1)[1]

    def test_read_only_form_has_no_autosave_and_views_the_saved_article(
        self, writer_client, writer
    ):
        submitted = make_article("Sent", status=Status.IN_REVIEW, created_by=writer)
        html = writer_client.get(change_url(submitted)).text
        assert "data-autosave-url" not in html and "data-preview-url" not in html
        preview = reverse("preview", kwargs={"slug": submitted.slug})
        assert f'href="{preview}" class="viewsitelink"' in html


class TestAutosave:
    def test_autosave_keeps_the_form_and_touches_nothing_else(self, writer_client, draft):
        before = untouched(draft)
        data = {**opened(writer_client, change_url(draft)), "headline": "Half-typed headl"}
        response = writer_client.post(reverse("desk:autosave", args=[draft.pk]), data)
        assert response.status_code == 200 and response.json()["message"].startswith("Autosaved")
        assert "no-store" in response["Cache-Control"]
        assert untouched(draft) == before
        slot = Autosave.objects.get()
        assert ["headline", "Half-typed headl"] in slot.fields
        assert not any(name == "csrfmiddlewaretoken" for name, _ in slot.fields)

    def test_one_slot_per_person_and_article(self, writer_client, draft):
        url = reverse("desk:autosave", args=[draft.pk])
        for text in ("First", "Second", "Third"):
            writer_client.post(url, {**opened(writer_client, change_url(draft)), "body": text})
        assert Autosave.objects.count() == 1
        assert ["body", "Third"] in Autosave.objects.get().fields

    def test_reopening_offers_restore_and_restore_fills_the_form(self, writer_client, draft):
        data = {**opened(writer_client, change_url(draft)), "body": "Unsaved paragraph."}
        data["key_points-1-text"] = "A new point, unsaved."
        writer_client.post(reverse("desk:autosave", args=[draft.pk]), data)
        html = writer_client.get(change_url(draft)).text
        assert "Unsaved changes from" in html and 'href="?restore_autosave=1"' in html
        restored = writer_client.get(change_url(draft), {"restore_autosave": "1"}).text
        assert "Restored your unsaved changes" in restored
        form = form_data(restored, "article_form")
        assert form["body"] == "Unsaved paragraph."
        assert form["key_points-1-text"] == "A new point, unsaved."
        assert writer_client.post(change_url(draft), form).status_code == 302
        draft.refresh_from_db()
        assert draft.body == "Unsaved paragraph."
        assert [p.text for p in draft.key_points.all()] == ["Kept point.", "A new point, unsaved."]
        assert not Autosave.objects.exists()  # a save lets the autosave go
        assert "Unsaved changes from" not in writer_client.get(change_url(draft)).text

    def test_restore_still_respects_a_colleagues_newer_save(self, writer_client, editor, draft):
        data = {**opened(writer_client, change_url(draft)), "body": "Mine, unsaved."}
        writer_client.post(reverse("desk:autosave", args=[draft.pk]), data)
        editor_client = Client()
        editor_client.force_login(editor)
        saved = {**opened(editor_client, change_url(draft)), "body": "The editor's."}
        assert editor_client.post(change_url(draft), saved).status_code == 302
        restored = writer_client.get(change_url(draft), {"restore_autosave": "1"}).text
        form = form_data(restored, "article_form")
        response = writer_client.post(change_url(draft), form)
        assert response.status_code == 200 and "after you opened it" in response.text
        assert "Mine, unsaved." in response.text
        draft.refresh_from_db()
        assert draft.body == "The editor's."

    def test_an_autosave_older_than_the_last_save_is_not_offered(self, writer_client, draft):
        writer_client.post(reverse("desk:autosave", args=[draft.pk]), {"body": "Old."})
        Autosave.objects.update(saved_at=timezone.now() - timedelta(hours=1))
        assert "Unsaved changes from" not in writer_client.get(change_url(draft)).text

    def test_discard(self, writer_client, draft):
        writer_client.post(reverse("desk:autosave", args=[draft.pk]), {"body": "Drop me."})
        response = writer_client.post(reverse("desk:discard", args=[draft.pk]), follow=True)
        assert "Discarded the unsaved changes." in response.text
        assert not Autosave.objects.exists()

    def test_new_article_has_its_own_slot_and_restore(self, writer_client, writer):
        data = {**opened(writer_client, ADD_URL), "headline": "Not saved yet", "body": "Draft."}
        assert writer_client.post(reverse("desk:autosave_new"), data).status_code == 200
        assert "Unsaved changes from" in writer_client.get(ADD_URL).text
        restored = writer_client.get(ADD_URL, {"restore_autosave": "1"}).text
        form = form_data(restored, "article_form")
        assert form["headline"] == "Not saved yet"
        form["standfirst"] = "Summary."
        assert writer_client.post(ADD_URL, form).status_code == 302
        assert Article.objects.get().headline == "Not saved yet"
        assert not Autosave.objects.exists()

    def test_autosaves_are_private(self, writer_client, writer, draft, editor):
        writer_client.post(reverse("desk:autosave", args=[draft.pk]), {"body": "Only mine."})
        editor_client = Client()
        editor_client.force_login(editor)
        assert "Unsaved changes from" not in editor_client.get(change_url(draft)).text
        restored = editor_client.get(change_url(draft), {"restore_autosave": "1"}).text
        assert "Only mine." not in restored
        editor_client.post(reverse("desk:discard", args=[draft.pk]))
        assert Autosave.objects.filter(user=writer).exists()  # discard only ever drops yours

    def test_autosave_expires_after_30_days(self, writer_client, writer, draft):
        writer_client.post(reverse("desk:autosave", args=[draft.pk]), {"body": "Long ago."})
        Article.objects.filter(pk=draft.pk).update(updated_at=timezone.now() - timedelta(days=60))
        with time_machine.travel(timezone.now() + timedelta(days=31)):
            writer_client.force_login(writer)  # the old session has expired too
            html = writer_client.get(change_url(draft)).text
            assert "Change article" in html
            assert "Unsaved changes from" not in html
            assert not Autosave.objects.exists()  # forgotten, not just hidden

    @pytest.mark.parametrize("who", ["anonymous", "reader", "colleague", "after submitting"])
    def test_autosave_refused_to_those_who_may_not_edit(self, client, writer, draft, who):
        if who == "reader":
            client.force_login(make_writer("reader", is_staff=False))
        elif who == "colleague":
            client.force_login(make_writer("colleague"))
        elif who == "after submitting":
            Article.objects.filter(pk=draft.pk).update(status=Status.IN_REVIEW)
            client.force_login(writer)
        response = client.post(reverse("desk:autosave", args=[draft.pk]), {"body": "x"})
        assert response.status_code == 403 and "error" in response.json()
        assert not Autosave.objects.exists()

    def test_autosave_needs_csrf(self, writer, draft):
        strict = Client(enforce_csrf_checks=True)
        strict.force_login(writer)
        response = strict.post(reverse("desk:autosave", args=[draft.pk]), {"body": "x"})
        assert response.status_code == 403 and not Autosave.objects.exists()

    def test_autosave_of_a_missing_article_is_404(self, writer_client):
        response = writer_client.post(reverse("desk:autosave", args=[999999]), {"body": "x"})
        assert response.status_code == 404

    def test_autosave_is_cheap(self, writer_client, draft):
        url = reverse("desk:autosave", args=[draft.pk])
        data = opened(writer_client, change_url(draft))
        writer_client.post(url, data)  # the slot exists, as it does after the first autosave
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            assert writer_client.post(url, data).status_code == 200
            elapsed_ms = (time.perf_counter() - started) * 1000
        # session, user, the article, its byline check, permissions (2), the slot's update, and
        # renewing the staff session (it expires after hours without a request)
        assert len(queries) <= 9, [q["sql"] for q in queries]
        assert elapsed_ms < 500  # generous: the test machine is shared


class TestPreview:
    def test_preview_renders_the_unsaved_form_with_public_templates(self, writer_client, draft):
        topic = make_topic("S-400", kind="defence_system")
        before = untouched(draft)
        data = {
            **opened(writer_client, change_url(draft)),
            "headline": "Unsaved headline",
            "body": "## A section\n\nUnsaved *body*.",
            "topics": [str(topic.pk)],
            "key_points-1-text": "A new unsaved point.",
        }
        response = writer_client.post(reverse("desk:preview", args=[draft.pk]), data)
        assert response.status_code == 200
        html = response.text
        assert "<h1>Unsaved headline</h1>" in html and "<h2>A section</h2>" in html
        assert "Preview of unsaved changes — not public." in html
        assert "A new unsaved point." in html and "Kept point." in html
        assert 'href="/topics/s-400/"' in html and re.search(r"By (<a [^>]*>)?Wren Writer", html)
        assert '<meta name="robots" content="noindex">' in html
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        assert response["X-Robots-Tag"] == "noindex"
        assert untouched(draft) == before

    def test_preview_of_a_new_article(self, writer_client):
        data = {**opened(writer_client, ADD_URL), "headline": "Brand new", "body": "Text."}
        response = writer_client.post(reverse("desk:preview_new"), data)
        assert response.status_code == 200 and "<h1>Brand new</h1>" in response.text
        assert not Article.objects.exists()

    def test_hostile_input_is_escaped_and_sanitised(self, writer_client, draft):
        data = {
            **opened(writer_client, change_url(draft)),
            "headline": "<script>alert(1)</script>",
            "body": "<img src=x onerror=alert(2)> [click](javascript:alert(3))",
            "sources-0-publication": "Evil",
            "sources-0-url": "javascript:alert(4)",
            "key_points-TOTAL_FORMS": "99999999",
            "topics": ["1 OR 1=1", "abc"],
        }
        response = writer_client.post(reverse("desk:preview", args=[draft.pk]), data)
        assert response.status_code == 200
        html = response.text
        assert "<script>alert(1)</script>" not in html
        assert 'href="javascript:' not in html and "&lt;img src=x" in html
        assert "Evil" in html

    @pytest.mark.parametrize("who", ["anonymous", "reader", "colleague"])
    def test_preview_refused_to_others(self, client, draft, who):
        if who == "reader":
            client.force_login(make_writer("reader", is_staff=False))
        elif who == "colleague":
            client.force_login(make_writer("colleague"))
        response = client.post(reverse("desk:preview", args=[draft.pk]), {"headline": "x"})
        assert response.status_code == 403
        assert "Corridor talks" not in response.text

    def test_editor_previews_any_article(self, draft):
        client = Client()
        client.force_login(make_editor())
        data = {"headline": "Editor's look", "body": ""}
        assert client.post(reverse("desk:preview", args=[draft.pk]), data).status_code == 200

    def test_preview_needs_post_and_csrf(self, writer, draft):
        strict = Client(enforce_csrf_checks=True)
        strict.force_login(writer)
        url = reverse("desk:preview", args=[draft.pk])
        assert strict.get(url).status_code == 405
        assert strict.post(url, {"headline": "x"}).status_code == 403

    def test_preview_render_time(self, writer_client, draft):
        data = {**opened(writer_client, change_url(draft)), "body": "Paragraph.\n\n" * 400}
        url = reverse("desk:preview", args=[draft.pk])
        writer_client.post(url, data)
        started = time.perf_counter()
        assert writer_client.post(url, data).status_code == 200
        assert (time.perf_counter() - started) * 1000 < 1000  # generous: shared machine
