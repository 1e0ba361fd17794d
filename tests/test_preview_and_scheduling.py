"""Staff preview what is not public yet; scheduled articles appear by themselves on time."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import (
    make_article,
    make_draft,
    make_editor,
    make_topic,
    make_user,
    make_writer,
)

pytestmark = pytest.mark.django_db

Status = Article.Status


@pytest.fixture
def topic():
    return make_topic("Su-57", kind="defence_system")


class TestPreview:
    @pytest.mark.parametrize(
        ("status", "delay", "banner"),
        [
            ("draft", None, "Draft — not public."),
            ("in_review", None, "In review — not public."),
            ("withdrawn", None, "Withdrawn — not public."),
            ("published", timedelta(days=3), "Scheduled for "),
        ],
    )
    def test_editor_previews_with_banner_and_private_headers(self, client, status, delay, banner):
        published_at = timezone.now() + delay if delay else None
        article = make_article("Hidden piece", status=status, published_at=published_at)
        client.force_login(make_editor())
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200
        assert banner in response.text and "Hidden piece" in response.text
        cache_control = response.headers["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control
        assert '<meta name="robots" content="noindex">' in response.text

    def test_writer_previews_own_draft(self, client):
        writer = make_writer()
        draft = make_draft("My draft", created_by=writer)
        client.force_login(writer)
        response = client.get(draft.get_absolute_url())
        assert response.status_code == 200 and "Draft — not public." in response.text

    def test_others_get_404(self, client):
        draft = make_draft("Someone's draft", created_by=make_writer("author"))
        assert client.get(draft.get_absolute_url()).status_code == 404
        client.force_login(make_writer("other.writer"))
        assert client.get(draft.get_absolute_url()).status_code == 404
        client.force_login(make_user("reader", is_staff=False))
        assert client.get(draft.get_absolute_url()).status_code == 404

    def test_public_article_has_no_banner_and_no_noindex(self, client):
        article = make_article("Live piece")
        client.force_login(make_editor())
        response = client.get(article.get_absolute_url())
        assert "not public" not in response.text and "noindex" not in response.text

    def test_preview_does_not_put_drafts_on_lists(self, client, topic):
        make_draft("Hidden draft", topics=[topic])
        client.force_login(make_editor())
        for url in ["/", reverse("topics:index"), topic.get_absolute_url()]:
            assert "Hidden draft" not in client.get(url).text


class TestScheduling:
    def test_scheduled_article_appears_on_every_page_at_its_time(self, client, topic):
        now = timezone.now()
        companion = make_article("Companion piece", topics=[topic], age=timedelta(days=1))
        scheduled = make_article(
            "Embargoed piece", topics=[topic], published_at=now + timedelta(hours=1)
        )
        pages = ["/", topic.get_absolute_url(), companion.get_absolute_url()]  # + related
        with time_machine.travel(now + timedelta(minutes=59), tick=False):
            assert client.get(scheduled.get_absolute_url()).status_code == 404
            for url in pages:
                assert "Embargoed piece" not in client.get(url).text, url
            assert "1 article<" in client.get(reverse("topics:index")).text
        with time_machine.travel(now + timedelta(hours=1, seconds=1), tick=False):
            assert client.get(scheduled.get_absolute_url()).status_code == 200
            for url in pages:
                assert "Embargoed piece" in client.get(url).text, url
            assert "2 articles<" in client.get(reverse("topics:index")).text
