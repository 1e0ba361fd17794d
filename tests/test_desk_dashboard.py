"""The admin home tells each person what is waiting for them; the navigation shows a count."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from desk.models import Note
from tests.factories import make_article, make_draft, make_user, make_writer

pytestmark = pytest.mark.django_db

Status = Article.Status
HOME = reverse("admin:index")


def panel_counts(html):
    """{"Waiting for review": 3, ...} as the dashboard shows them."""
    found = re.findall(
        r'<h2><a href="[^"]*">([^<]+)</a> <span class="desk-count"[^>]*>(\d+)<', html
    )
    return {title: int(count) for title, count in found}


def sent_back(article, editor):
    article.status = Status.DRAFT
    article.save()
    Note.objects.create(article=article, author=editor, action=Note.Action.SEND_BACK)


@pytest.fixture
def newsroom(writer, editor):
    other = make_writer("other", first_name="Olu", last_name="Other")
    make_article("Waiting 1", status=Status.IN_REVIEW, created_by=writer)
    make_article("Waiting 2", status=Status.IN_REVIEW, created_by=other)
    make_draft("Wren's draft", created_by=writer)
    make_draft("Olu's draft", created_by=other)
    returned = make_article("Returned", status=Status.IN_REVIEW, created_by=writer)
    sent_back(returned, editor)
    make_article("Later", published_at=timezone.now() + timedelta(hours=5))
    make_article("Yesterday")
    make_article("Old news", age=timedelta(days=30))
    return returned


def test_editor_sees_review_queue_scheduled_and_recent(editor_client, newsroom):
    html = editor_client.get(HOME).text
    assert panel_counts(html) == {
        "Waiting for review": 2,
        "Scheduled": 1,
        "Recently published": 1,
    }
    assert f'href="{reverse("admin:articles_article_change", args=[newsroom.pk])}"' not in html
    assert "Waiting 1" in html and "Old news" not in html


def test_writer_sees_own_drafts_and_what_came_back(writer_client, newsroom):
    html = writer_client.get(HOME).text
    assert panel_counts(html) == {
        "Sent back to me": 1,
        "My drafts": 2,
        "Scheduled": 1,
        "Recently published": 1,
    }
    assert "Returned" in html and "Olu&#x27;s draft" not in html


def test_resubmitting_clears_sent_back(writer_client, writer, newsroom):
    Note.objects.create(article=newsroom, author=writer, action=Note.Action.SUBMIT)
    newsroom.status = Status.IN_REVIEW
    newsroom.save()
    assert panel_counts(writer_client.get(HOME).text)["Sent back to me"] == 0


def test_panel_links_open_the_matching_list(editor_client, newsroom):
    html = editor_client.get(HOME).text
    link = re.search(r'<h2><a href="([^"]+)">Waiting for review</a>', html).group(1)
    listed = editor_client.get(link.replace("&amp;", "&")).text
    assert "Waiting 1" in listed and "Waiting 2" in listed and "Wren&#x27;s draft" not in listed


def test_badge_on_every_admin_page(editor_client, writer, newsroom):
    for url in (HOME, reverse("admin:articles_article_changelist")):
        html = editor_client.get(url).text
        assert re.search(r'class="desk-badge"[^>]*>Waiting for review <span[^>]*>2<', html)
    editor_client.force_login(writer)
    html = editor_client.get(HOME).text
    assert re.search(r'class="desk-badge"[^>]*>Sent back to me <span[^>]*>1<', html)


def test_dashboard_cost_does_not_grow_with_the_archive(
    editor_client, newsroom, django_assert_max_num_queries
):
    for n in range(20):
        make_article(f"Review {n}", status=Status.IN_REVIEW)
    # session, user, permissions (2), badge, then a list and a count for each panel, and
    # renewing the staff session
    with django_assert_max_num_queries(13):
        response = editor_client.get(HOME)
    assert panel_counts(response.text)["Waiting for review"] == 22
    assert "All 22 →" in response.text


def test_hostile_headlines_are_escaped(editor_client):
    make_article("<img src=x onerror=alert(1)>", status=Status.IN_REVIEW)
    html = editor_client.get(HOME).text
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_anonymous_visitors_get_the_login_page_without_counts(client, newsroom):
    response = client.get(HOME, follow=True)
    assert "desk-badge" not in response.text and "Waiting for review" not in response.text


def test_list_actions_are_hand_overs_too(editor_client, writer):
    piece = make_article("Via the list", status=Status.IN_REVIEW, created_by=writer)
    editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "send_back_to_draft", "_selected_action": [piece.pk]},
    )
    assert list(Note.objects.values_list("action", flat=True)) == ["send_back"]
    editor_client.force_login(writer)
    assert panel_counts(editor_client.get(HOME).text)["Sent back to me"] == 1


def test_staff_without_article_access_see_no_desk(client, newsroom):
    client.force_login(make_user("it.support"))
    html = client.get(HOME).text
    assert "desk-badge" not in html and "Waiting 1" not in html
