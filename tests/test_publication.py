"""Only published articles whose time has come are public: drafts and scheduled ones never leak."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_draft, make_scheduled, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic():
    return make_topic("S-400", kind="defence_system")


@pytest.fixture
def hidden_articles(topic):
    return [
        make_draft("Secret draft headline", topics=[topic]),
        make_scheduled("Embargoed scheduled headline", topics=[topic]),
    ]


def test_published_excludes_drafts_and_future_articles(hidden_articles):
    public = make_article("Public headline")
    assert list(Article.objects.published()) == [public]
    assert [a.is_published() for a in hidden_articles] == [False, False]
    assert public.is_published()


def test_article_appears_once_its_time_comes(client):
    article = make_scheduled("Scheduled headline", delay=timedelta(hours=1))
    assert client.get(article.get_absolute_url()).status_code == 404
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now())
    assert client.get(article.get_absolute_url()).status_code == 200


def test_hidden_articles_answer_404(client, hidden_articles):
    for article in hidden_articles:
        assert client.get(article.get_absolute_url()).status_code == 404


def test_hidden_articles_are_on_no_public_page(client, topic, hidden_articles):
    public = make_article("Public headline", topics=[topic])
    pages = ["/", reverse("topics:index"), topic.get_absolute_url(), public.get_absolute_url()]
    for url in pages:
        html = client.get(url).text
        for article in hidden_articles:
            assert article.headline not in html, url
            assert article.get_absolute_url() not in html, url


def test_hidden_articles_are_not_counted(client, topic, hidden_articles):
    make_article(topics=[topic])
    html = client.get(reverse("topics:index")).text
    assert "1 article<" in html
    assert topic.get_absolute_url() in html


def test_topic_with_only_hidden_articles_is_not_listed(client, hidden_articles, topic):
    html = client.get(reverse("topics:index")).text
    assert topic.name not in html
    assert "No topic has published articles yet." in html
    assert topic.name not in client.get("/").text


def test_hidden_articles_are_not_related_links(client, topic, hidden_articles):
    public = make_article("Public headline", topics=[topic])
    html = client.get(public.get_absolute_url()).text
    assert "Related coverage" not in html
