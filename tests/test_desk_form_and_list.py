"""A change form and an article list that help: limits said out loud, slugs that always work,
odd publication times confirmed, key points numbered, honest presence, a narrow author lookup,
and a list with the newest work first."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.browser_forms import form_data
from tests.factories import bulk_articles, make_article, make_draft, make_editor, make_writer

pytestmark = pytest.mark.django_db

Status = Article.Status
ADD_URL = reverse("admin:articles_article_add")
LIST_URL = reverse("admin:articles_article_changelist")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def add(client, **fields):
    data = form_data(client.get(ADD_URL).text, "article_form")
    data.update({"standfirst": "A summary.", **fields})
    return client.post(ADD_URL, data)


def errors(response):
    return response.context["adminform"].form.errors


class TestLimits:
    def test_fields_carry_counters_and_no_browser_cut(self, writer_client):
        html = writer_client.get(ADD_URL).text
        assert 'data-counter="characters" data-limit="200"' in html
        assert 'data-counter="characters" data-limit="600"' in html
        assert 'data-counter="words"' in html
        for field in ("headline", "standfirst"):
            tag = re.search(rf'<(input|textarea)[^>]*id="id_{field}"[^>]*>', html).group(0)
            assert "maxlength" not in tag

    def test_a_headline_over_the_limit_is_refused_not_cut(self, writer_client):
        response = add(writer_client, headline="A" * 500)
        assert response.status_code == 200
        assert "This is 500 characters; the limit is 200. Shorten it by 300" in response.text
        assert 'value="' + "A" * 500 + '"' in response.text  # the whole text is kept
        assert not Article.objects.exists()

    def test_a_headline_at_the_limit_saves(self, writer_client):
        assert add(writer_client, headline="B" * 200).status_code == 302
        assert len(Article.objects.get().headline) == 200


class TestSlugs:
    @pytest.mark.parametrize(
        ("headline", "slug"),
        [
            ("India and Russia: a payments deal", "india-and-russia-a-payments-deal"),
            ("Россия и Индия", "rossiya-i-indiya"),
            ("🔥🔥", "fire-fire"),
            ("?!… — ¿", "article"),
        ],
    )
    def test_an_empty_slug_is_made_from_the_headline(self, writer_client, headline, slug):
        response = add(writer_client, headline=headline, slug="")
        assert response.status_code == 302, errors(response)
        assert Article.objects.get().slug == slug

    def test_a_typed_slug_in_any_script_is_transliterated(self, writer_client):
        assert add(writer_client, headline="Talks", slug="Россия-Индия Talks").status_code == 302
        assert Article.objects.get().slug == "rossiya-indiya-talks"

    def test_a_made_slug_never_collides(self, writer_client):
        Article.objects.filter(pk=make_draft("Talks").pk).update(slug="talks")
        assert add(writer_client, headline="Talks", slug="").status_code == 302
        assert sorted(Article.objects.values_list("slug", flat=True)) == ["talks", "talks-2"]

    def test_a_typed_slug_in_use_names_the_article_with_a_link(self, writer_client):
        holder = make_article("<b>Older</b> piece")
        response = add(writer_client, headline="New", slug=holder.slug)
        assert response.status_code == 200
        message = str(errors(response)["slug"][0])
        assert f"The web address “{holder.slug}” is already used by" in message
        assert f'<a href="{change_url(holder)}">&lt;b&gt;Older&lt;/b&gt; piece</a>' in message
        assert Article.objects.count() == 1


class TestPublicationTimeSanity:
    def publish(self, client, moment, **extra):
        local = timezone.localtime(moment)
        return add(
            client,
            headline="Timed",
            published_at_0=local.strftime("%Y-%m-%d"),
            published_at_1=local.strftime("%H:%M:%S"),
            _transition="publish",
            **extra,
        )

    def test_first_publishing_far_in_the_past_asks_for_confirmation(self, editor_client):
        moment = timezone.now() - timedelta(days=12)
        response = self.publish(editor_client, moment)
        assert response.status_code == 200
        assert "1\xa0week, 5\xa0days ago: the article would appear below" in response.text
        assert "This publication time is right" in response.text
        assert 'name="confirm_publication_time"' in response.text
        assert not Article.objects.exists()
        confirmed = self.publish(editor_client, moment, confirm_publication_time="on")
        assert confirmed.status_code == 302
        assert Article.objects.get().is_published()

    def test_a_time_before_1990_asks_for_confirmation(self, editor_client):
        response = self.publish(editor_client, timezone.now().replace(year=1850))
        assert response.status_code == 200 and "is before 1990" in response.text
        assert not Article.objects.exists()

    def test_a_time_a_few_hours_ago_needs_no_confirmation(self, editor_client):
        assert self.publish(editor_client, timezone.now() - timedelta(hours=3)).status_code == 302

    def test_the_confirmation_box_is_not_shown_until_needed(self, editor_client):
        assert 'name="confirm_publication_time"' not in editor_client.get(ADD_URL).text


class TestKeyPoints:
    def test_one_extra_row_numbered_after_the_last(self, editor_client):
        article = make_article(key_points=["One.", "Two."])
        data = form_data(editor_client.get(change_url(article)).text, "article_form")
        assert data["key_points-TOTAL_FORMS"] == "3"  # two points and one empty row
        assert data["key_points-2-position"] == "3"
        data["key_points-2-text"] = "Three."
        assert editor_client.post(change_url(article), data).status_code == 302
        assert [p.text for p in article.key_points.all()] == ["One.", "Two.", "Three."]

    def test_an_untouched_numbered_row_is_not_a_key_point(self, editor_client):
        article = make_article(key_points=["One."])
        data = form_data(editor_client.get(change_url(article)).text, "article_form")
        assert editor_client.post(change_url(article), data).status_code == 302
        assert article.key_points.count() == 1

    def test_positions_reorder_without_javascript(self, editor_client):
        article = make_article(key_points=["One.", "Two."])
        data = form_data(editor_client.get(change_url(article)).text, "article_form")
        data.update({"key_points-0-position": "2", "key_points-1-position": "1"})
        assert editor_client.post(change_url(article), data).status_code == 302
        assert [p.text for p in article.key_points.all()] == ["Two.", "One."]

    def test_the_reorder_script_is_a_static_file(self, editor_client):
        html = editor_client.get(ADD_URL).text
        assert "desk/js/key_points" in html and "<script>" not in html


class TestPresence:
    def test_a_writer_who_only_read_it_is_not_reported(self, writer, editor_client):
        submitted = make_article("Theirs", status=Status.IN_REVIEW, created_by=writer)
        reader = Client()
        reader.force_login(writer)
        reader.get(change_url(submitted))
        response = editor_client.get(change_url(submitted), follow=True)
        assert "opened this article" not in response.text

    def test_an_editor_who_can_edit_is_reported(self, editor_client):
        article = make_article("Shared")
        other = Client()
        other.force_login(make_editor("sam", first_name="Sam", last_name="Second"))
        other.get(change_url(article))
        assert (
            "Sam Second opened this article just now" in editor_client.get(change_url(article)).text
        )

    def test_your_own_other_tab_is_you_not_a_colleague(self, editor_client):
        article = make_article("Two tabs")
        first_tab = form_data(editor_client.get(change_url(article)).text, "article_form")
        second_tab = form_data(editor_client.get(change_url(article)).text, "article_form")
        assert editor_client.post(change_url(article), second_tab).status_code == 302
        response = editor_client.post(change_url(article), {**first_tab, "headline": "Stale"})
        assert response.status_code == 200
        assert "You (in another tab or window) saved this article at" in response.text
        assert "Edie Editor saved" not in response.text


class TestAuthorLookup:
    def test_writers_no_longer_browse_user_accounts(self, writer_client, writer):
        assert not writer.has_perm("auth.view_user")
        assert not Group.objects.get(name="Writers").permissions.filter(codename="view_user")
        assert writer_client.get(reverse("admin:auth_user_changelist")).status_code == 403

    def test_lookup_gives_names_of_active_staff_only(self, writer_client):
        make_writer("anika", first_name="Anika", last_name="Rao", email="anika@example.org")
        make_writer("gone", first_name="Anil", last_name="Left", is_active=False)
        make_writer("reader", first_name="Anita", last_name="Public", is_staff=False)
        response = writer_client.get(reverse("desk:authors"), {"term": "ani"})
        assert response.json() == {
            "results": [{"id": str(response.json()["results"][0]["id"]), "text": "Anika Rao"}],
            "pagination": {"more": False},
        }
        assert "anika@example.org" not in response.text
        assert "no-store" in response["Cache-Control"]

    def test_lookup_is_refused_to_strangers(self, client):
        assert client.get(reverse("desk:authors"), {"term": "a"}).status_code == 403
        client.force_login(make_writer("not.staff", is_staff=False))
        assert client.get(reverse("desk:authors"), {"term": "a"}).status_code == 403

    def test_hostile_terms_and_pages(self, writer_client):
        url = reverse("desk:authors")
        for params in ({"term": "'; DROP TABLE auth_user; --"}, {"page": "x"}, {"page": "-3"}):
            assert writer_client.get(url, params).status_code == 200
        assert writer_client.get(url, {"term": "x" * 10_000}).status_code == 200

    def test_byline_saves_through_the_lookup(self, writer_client, writer):
        colleague = make_writer("anika", first_name="Anika", last_name="Rao")
        add(writer_client, headline="Joint piece", authors=[str(colleague.pk), str(writer.pk)])
        assert set(Article.objects.get().authors.all()) == {colleague, writer}


class TestArticleList:
    def test_newest_activity_first_so_drafts_are_not_buried(self, editor_client):
        bulk_articles(60)
        draft = make_draft("Fresh draft")
        html = editor_client.get(LIST_URL).text
        assert "Fresh draft" in html  # on the first page, not page 2
        rows = html[html.index('id="result_list"') :]
        assert rows.index("Fresh draft") < rows.index("Bulk article")
        Article.objects.filter(pk=draft.pk).update(updated_at=timezone.now() - timedelta(days=9))
        assert "Fresh draft" not in editor_client.get(LIST_URL).text

    def test_author_column_and_filters(self, editor_client, writer, editor):
        make_draft("Wren's draft", created_by=writer, authors=[writer])
        make_article("Edie's piece", created_by=editor, authors=[editor])
        make_article("Waiting piece", status=Status.IN_REVIEW, authors=[writer])
        html = editor_client.get(LIST_URL).text
        assert '<td class="field-byline">Wren Writer</td>' in html
        mine = editor_client.get(LIST_URL, {"desk": "mine"}).text
        assert "Edie&#x27;s piece" in mine and "Wren&#x27;s draft" not in mine
        waiting = editor_client.get(LIST_URL, {"desk": "waiting"}).text
        assert "Waiting piece" in waiting and "Edie&#x27;s piece" not in waiting
        by_wren = editor_client.get(LIST_URL, {"author": str(writer.pk)}).text
        assert "Wren&#x27;s draft" in by_wren and "Waiting piece" in by_wren
        assert "Edie&#x27;s piece" not in by_wren
        assert editor_client.get(LIST_URL, {"author": "x; drop"}).status_code == 200
