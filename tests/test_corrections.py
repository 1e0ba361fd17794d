"""Editors attach dated corrections and updates to published articles."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Correction
from tests.browser_forms import form_data
from tests.factories import make_article, make_editor, make_writer

pytestmark = pytest.mark.django_db


def test_editor_adds_a_correction_shown_dated_at_the_foot(client):
    editor = make_editor()
    article = make_article("Summit figures", age=timedelta(days=3))
    Article.objects.filter(pk=article.pk).update(updated_at=timezone.now() - timedelta(days=3))
    Correction.objects.create(
        article=article,
        kind=Correction.Kind.UPDATE,
        text="An earlier update.",
        created_at=timezone.now() - timedelta(days=2),
    )
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = {
        **form_data(client.get(url).text, "article_form"),
        "corrections-TOTAL_FORMS": "2",
        "corrections-1-kind": "correction",
        "corrections-1-text": "Trade was $63.6 billion, not $6.36 billion.",
        "corrections-1-created_at_0": timezone.localdate().isoformat(),
        "corrections-1-created_at_1": "09:00:00",
    }
    assert client.post(url, data).status_code == 302
    client.logout()

    html = client.get(article.get_absolute_url()).text
    foot = html[html.index("Corrections and updates") :]
    assert foot.index("An earlier update.") < foot.index("$63.6 billion, not $6.36 billion")
    assert "<strong>Correction</strong>" in foot and "<strong>Update</strong>" in foot
    article.refresh_from_db()
    assert timezone.now() - article.updated_at < timedelta(minutes=1)
    assert "Updated <time" in html
    assert Correction.objects.get(text__startswith="Trade").created_by == editor


def test_saving_a_correction_moves_updated_at():
    article = make_article()
    Article.objects.filter(pk=article.pk).update(updated_at=timezone.now() - timedelta(days=5))
    Correction.objects.create(article=article, text="Fixed a name.")
    article.refresh_from_db()
    assert timezone.now() - article.updated_at < timedelta(minutes=1)


def test_writers_cannot_add_corrections(client):
    writer = make_writer()
    article = make_article("Theirs", status="draft", created_by=writer)
    client.force_login(writer)
    url = reverse("admin:articles_article_change", args=[article.pk])
    html = client.get(url).text
    assert "corrections-0-text" not in html and "corrections-__prefix__-text" not in html
    data = {
        **form_data(html, "article_form"),
        "corrections-TOTAL_FORMS": "1",
        "corrections-INITIAL_FORMS": "0",
        "corrections-0-kind": "correction",
        "corrections-0-text": "Sneaky.",
        "corrections-0-created_at_0": timezone.localdate().isoformat(),
        "corrections-0-created_at_1": "09:00:00",
    }
    client.post(url, data)
    assert not Correction.objects.exists()
