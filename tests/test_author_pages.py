"""Author pages: who writes the coverage, their public articles and feed; bylines link there;
writers keep their own profile, editors everyone's; nobody without a public article is listed."""

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse

from people.models import Profile
from tests.browser_forms import form_data
from tests.factories import (
    bulk_articles,
    make_article,
    make_draft,
    make_image,
    make_scheduled,
    make_user,
    make_writer,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def anika():
    user = make_user("anika.rao", first_name="Anika", last_name="Rao", is_staff=False)
    profile = user.profile
    profile.role = "Diplomatic correspondent"
    profile.bio = "Covers India's relations with Russia and the Gulf from New Delhi."
    profile.links = "https://example.org/anika\njavascript:alert(1)\nhttps://social.example/@anika"
    profile.photo = make_image(400, 500, alt_text="Anika Rao")
    profile.save()
    return profile


def author_url(profile):
    return reverse("people:author", kwargs={"slug": profile.slug})


def test_new_accounts_get_a_readable_address(db):
    assert make_user("x1", first_name="Анна", last_name="Петрова").profile.slug == "anna-petrova"
    assert make_user("x2", first_name="Anna", last_name="Petrova").profile.slug == "anna-petrova-2"
    assert make_user("desk.editor.7").profile.slug == "desk-editor-7"


def test_author_page_shows_the_person_and_their_public_articles_newest_first(client, anika):
    old = make_article("Older analysis", authors=[anika.user], age=timedelta(days=3))
    new = make_article("Newer analysis", authors=[anika.user], age=timedelta(hours=2))
    make_draft("Unfinished draft", authors=[anika.user])
    make_scheduled("Next week's piece", authors=[anika.user])
    make_article("Someone else's piece")
    html = client.get(author_url(anika)).text
    assert "<h1>Anika Rao</h1>" in html
    assert "Diplomatic correspondent" in html and "from New Delhi." in html
    assert anika.photo.rendition("square", "jpeg", 160).url in html
    assert html.index(new.headline) < html.index(old.headline)
    for hidden in ("Unfinished draft", "Next week's piece", "Someone else's piece"):
        assert hidden not in html
    assert 'href="https://example.org/anika" rel="me noopener noreferrer"' in html
    assert "javascript:" not in html


def test_author_json_ld_names_the_person_with_url_and_same_as(client, anika):
    make_article(authors=[anika.user])
    html = client.get(author_url(anika)).text
    [text] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    person = json.loads(text)["mainEntity"]
    assert person["name"] == "Anika Rao" and person["jobTitle"] == "Diplomatic correspondent"
    assert person["url"] == f"http://testserver{author_url(anika)}"
    assert person["sameAs"] == ["https://example.org/anika", "https://social.example/@anika"]


def test_people_without_a_public_article_have_no_page_or_feed(client, anika):
    make_draft("Draft only", authors=[anika.user])
    make_scheduled("Scheduled only", authors=[anika.user])
    editor_without_articles = make_user("quiet.editor", first_name="Quiet", last_name="Editor")
    for profile in (anika, editor_without_articles.profile):
        assert client.get(author_url(profile)).status_code == 404
        assert client.get(reverse("people:feed", args=[profile.slug])).status_code == 404
    assert client.get("/authors/nobody-at-all/").status_code == 404


def test_withdrawing_the_only_article_takes_the_page_down(client, anika, committed):
    article = make_article(authors=[anika.user])
    assert client.get(author_url(anika)).status_code == 200
    with committed():
        article.move_to(article.Status.WITHDRAWN)
        article.save()
    assert client.get(author_url(anika)).status_code == 404


def test_author_pages_are_paged_twenty_at_a_time(client, anika):
    articles = bulk_articles(25)
    anika.user.articles.add(*articles)
    first = client.get(author_url(anika)).text
    assert first.count('<article class="card') == 20 and "Page 1 of 2" in first
    assert client.get(author_url(anika), {"page": 2}).text.count('<article class="card') == 5
    assert client.get(author_url(anika), {"page": 3}).status_code == 404


def test_author_feed_lists_their_public_articles(client, anika):
    make_article("Public piece", authors=[anika.user])
    make_draft("Draft piece", authors=[anika.user])
    feed = client.get(reverse("people:feed", args=[anika.slug]))
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert "Public piece" in feed.text and "Draft piece" not in feed.text
    assert "Anika Rao" in feed.text


def test_bylines_link_to_author_pages(client, anika):
    article = make_article("Linked byline", authors=[anika.user])
    link = f'<a href="{author_url(anika)}">Anika Rao</a>'
    assert link in client.get(article.get_absolute_url()).text
    assert link in client.get("/").text


def test_hostile_profile_text_is_escaped(client, anika):
    anika.bio = '<script>alert("bio")</script>'
    anika.role = '"><img src=x onerror=alert(1)>'
    anika.links = 'https://example.org/"><script>alert(2)</script>'
    anika.save()
    make_article(authors=[anika.user])
    html = client.get(author_url(anika)).text
    assert "<script>alert" not in html and "<img src=x" not in html


def test_author_page_query_count_is_constant(
    client, anika, page_cache_off, django_assert_max_num_queries
):
    for count in (3, 40):
        anika.user.articles.add(*bulk_articles(count, illustrated=True))
        # profile (with user and photo), photo renditions, count, articles, topics,
        # bylines, thumbnails
        with django_assert_max_num_queries(7):
            assert client.get(author_url(anika)).status_code == 200


# The admin


def profile_form(client, profile):
    url = reverse("admin:people_profile_change", args=[profile.pk])
    return url, form_data(client.get(url).text, "profile_form")


def test_writer_edits_their_own_profile_but_not_a_colleagues(client):
    writer = make_writer()
    colleague = make_writer("colleague", first_name="Col", last_name="League")
    client.force_login(writer)
    url, data = profile_form(client, writer.profile)
    assert "slug" not in data  # writers cannot move their public address
    response = client.post(url, {**data, "role": "Defence correspondent", "slug": "hijack"})
    assert response.status_code == 302
    writer.profile.refresh_from_db()
    assert writer.profile.role == "Defence correspondent"
    assert writer.profile.slug == "wren-writer"
    other = reverse("admin:people_profile_change", args=[colleague.profile.pk])
    assert client.post(other, {**data, "role": "Hacked"}).status_code == 403
    assert Profile.objects.get(user=colleague).role == ""
    changelist = client.get(reverse("admin:people_profile_changelist")).text
    assert "Wren Writer" in changelist and "Col League" not in changelist


def test_editor_edits_anyones_profile(editor_client):
    colleague = make_writer("colleague", first_name="Col", last_name="League")
    url, data = profile_form(editor_client, colleague.profile)
    photo = make_image(alt_text="Portrait")
    response = editor_client.post(
        url, {**data, "role": "Gulf correspondent", "slug": "col-league", "photo": str(photo.pk)}
    )
    assert response.status_code == 302, response.context["adminform"].errors
    colleague.profile.refresh_from_db()
    assert colleague.profile.role == "Gulf correspondent" and colleague.profile.photo == photo


def test_authors_autocomplete_shows_full_names(writer_client):
    """The byline's lookup (the desk's narrow one, which writers may use) shows full names."""
    make_writer("anika.rao", first_name="Anika", last_name="Rao")
    response = writer_client.get(reverse("desk:authors"), {"term": "anika"})
    assert [r["text"] for r in response.json()["results"]] == ["Anika Rao"]
