"""Old addresses keep working: a public article's or a topic's old slug answers 301 with its
address now, through later renames too; drafts make none, and a withdrawn article's old address
is a 404 like its own."""

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article, ArticleRedirect
from tests.browser_forms import form_data
from tests.factories import make_article, make_draft, make_topic
from topics.models import TopicRedirect

pytestmark = pytest.mark.django_db


def change_article_slug(client, article, slug, **changes):
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = {**form_data(client.get(url).text, "article_form"), "slug": slug, **changes}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].errors
    article.refresh_from_db()
    assert article.slug == slug


def change_topic_slug(client, topic, slug):
    url = reverse("admin:topics_topic_change", args=[topic.pk])
    data = {**form_data(client.get(url).text, "topic_form"), "slug": slug}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].errors
    topic.refresh_from_db()
    assert topic.slug == slug


def at(slug, article):
    """`article`, at the address `slug` from the start."""
    Article.objects.filter(pk=article.pk).update(slug=slug)
    article.refresh_from_db()
    return article


def location(url):
    response = Client().get(url)
    assert response.status_code == 301, url
    return response["Location"]


def test_a_published_articles_old_address_redirects(editor_client, django_assert_max_num_queries):
    article = at("summit-ends", make_article("Summit ends"))
    change_article_slug(editor_client, article, "summit-ends-with-a-deal")
    with django_assert_max_num_queries(4):
        assert location("/articles/summit-ends/") == "/articles/summit-ends-with-a-deal/"
    assert Client().get("/articles/summit-ends-with-a-deal/").status_code == 200


def test_a_draft_makes_no_redirect(editor_client):
    draft = at("working-title", make_draft("Working title"))
    change_article_slug(editor_client, draft, "final-title")
    assert not ArticleRedirect.objects.exists()
    draft.publish_now()
    draft.save()
    assert Client().get("/articles/working-title/").status_code == 404


def test_renames_chain_without_loops(editor_client):
    article = at("a", make_article("Chain"))
    change_article_slug(editor_client, article, "b")
    change_article_slug(editor_client, article, "c")
    assert location("/articles/a/") == "/articles/c/"
    assert location("/articles/b/") == "/articles/c/"
    change_article_slug(editor_client, article, "a")  # back to where it started
    assert Client().get("/articles/a/").status_code == 200
    assert location("/articles/b/") == "/articles/a/"
    assert location("/articles/c/") == "/articles/a/"


def test_a_new_article_that_takes_an_old_address_wins(editor_client):
    article = at("the-story", make_article("First story"))
    change_article_slug(editor_client, article, "the-first-story")
    newcomer = make_article("Second story")
    change_article_slug(editor_client, newcomer, "the-story")
    response = Client().get("/articles/the-story/")
    assert response.status_code == 200 and "Second story" in response.text
    assert not ArticleRedirect.objects.filter(old_slug="the-story").exists()
    assert newcomer.is_published()


def test_a_withdrawn_articles_old_address_is_a_404(editor_client):
    article = at("old-slug", make_article("Taken down later"))
    change_article_slug(editor_client, article, "new-slug")
    Article.objects.filter(pk=article.pk).update(status=Article.Status.WITHDRAWN)
    reader = Client()
    assert reader.get("/articles/new-slug/").status_code == 404
    assert reader.get("/articles/old-slug/").status_code == 404


def test_staff_previews_do_not_redirect(editor_client):
    article = at("before", make_article("Preview me"))
    change_article_slug(editor_client, article, "after")
    assert editor_client.get("/preview/articles/before/").status_code == 404


@pytest.fixture
def s400():
    topic = make_topic("S-400", kind="defence_system")
    make_article("S-400 story", topics=[topic, make_topic("Russia", kind="country")])
    return topic


def test_a_topics_old_page_feed_and_combined_addresses_redirect(editor_client, s400):
    change_topic_slug(editor_client, s400, "s-400-triumf")
    assert location("/topics/s-400/") == "/topics/s-400-triumf/"
    assert location("/topics/s-400/?page=2") == "/topics/s-400-triumf/?page=2"
    assert location("/topics/s-400/feed/") == "/topics/s-400-triumf/feed/"
    assert location("/topics/s-400+russia/") == "/topics/s-400-triumf+russia/"


def test_topic_renames_chain_and_a_new_topic_takes_an_old_slug(editor_client, s400):
    change_topic_slug(editor_client, s400, "s-400-triumf")
    change_topic_slug(editor_client, s400, "s-400-system")
    assert location("/topics/s-400/") == "/topics/s-400-system/"
    assert location("/topics/s-400-triumf/") == "/topics/s-400-system/"
    change_topic_slug(editor_client, s400, "s-400")
    assert Client().get("/topics/s-400/").status_code == 200
    assert location("/topics/s-400-system/") == "/topics/s-400/"

    newcomer = make_topic("Triumf")
    newcomer.slug = "s-400-triumf"
    newcomer.save()
    make_article("Triumf story", topics=[newcomer])
    response = Client().get("/topics/s-400-triumf/")
    assert response.status_code == 200 and "Triumf story" in response.text
    assert not TopicRedirect.objects.filter(old_slug="s-400-triumf").exists()


def test_an_embargoed_topics_old_address_does_not_redirect(editor_client):
    topic = make_topic("Secret programme")
    make_draft("Not out yet", topics=[topic])
    change_topic_slug(editor_client, topic, "programme")
    assert Client().get("/topics/secret-programme/").status_code == 404


def test_cached_old_pages_redirect_on_the_next_request(
    editor_client, s400, committed, django_assert_max_num_queries
):
    article = s400.tagged_articles.get().content_object
    reader = Client()
    old_pages = [s400.get_absolute_url(), "/topics/s-400/feed/", article.get_absolute_url()]
    for url in old_pages:
        reader.get(url)
        assert reader.get(url)["X-Cache"] == "HIT", url
    with committed():
        change_topic_slug(editor_client, s400, "s-400-triumf")
        change_article_slug(editor_client, article, "s-400-story")
    with django_assert_max_num_queries(6):
        assert reader.get("/topics/s-400/")["Location"] == "/topics/s-400-triumf/"
    assert reader.get("/topics/s-400/feed/")["Location"] == "/topics/s-400-triumf/feed/"
    assert reader.get(old_pages[2])["Location"] == "/articles/s-400-story/"
