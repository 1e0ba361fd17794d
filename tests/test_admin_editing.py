"""Editors write articles in the admin: ordered key points, topics, bylines, fast change lists."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.browser_forms import form_data
from tests.factories import bulk_articles, make_article, make_topic

pytestmark = pytest.mark.django_db


def article_form(client, url=None, **changes):
    """What the admin's article form posts after a user fills in `changes`."""
    html = client.get(url or reverse("admin:articles_article_add")).text
    return {**form_data(html, "article_form"), **changes}


def new_article(topics=()):
    return {
        "headline": "Summit ends with a payments deal",
        "slug": "summit-ends-with-a-payments-deal",
        "standfirst": "Rupees and roubles, at last.",
        "body": "## What was agreed\n\n- a payments channel\n- a corridor plan\n",
        "topics": [str(topic.pk) for topic in topics],
        "_transition": "publish",
        "key_points-TOTAL_FORMS": "3",  # two rows added with "Add another key point"
        "key_points-0-position": "3",
        "key_points-0-text": "Third, by position.",
        "key_points-1-position": "1",
        "key_points-1-text": "First, by position.",
        "key_points-2-position": "2",
        "key_points-2-text": "Second, by position.",
        "sources-0-position": "1",
        "sources-0-publication": "The Guardian",
        "sources-0-title": "Analyst comment",
    }


@pytest.fixture
def summit_topics():
    return [
        make_topic("India–Russia", kind="relationship"),
        make_topic("S-400", kind="defence_system"),
        make_topic("Strategic Autonomy", kind="doctrine"),
    ]


def test_editor_creates_article_that_shows_on_each_topic_page(editor_client, editor, summit_topics):
    earlier = make_article("Earlier story", topics=summit_topics, age=timedelta(days=2))
    response = editor_client.post(
        reverse("admin:articles_article_add"),
        article_form(editor_client, **new_article(summit_topics)),
    )
    assert response.status_code == 302, response.context["adminform"].errors
    article = Article.objects.get(slug="summit-ends-with-a-payments-deal")
    assert article.is_published()
    assert set(article.topics.all()) == set(summit_topics)
    assert list(article.authors.all()) == [editor]
    assert [point.text for point in article.key_points.all()] == [
        "First, by position.",
        "Second, by position.",
        "Third, by position.",
    ]
    for topic in summit_topics:
        html = editor_client.get(topic.get_absolute_url()).text
        listing = html[html.index('id="articles-heading"') :]
        assert listing.index(article.headline) < listing.index(earlier.headline), topic.slug
    page = editor_client.get(article.get_absolute_url()).text
    assert page.index("First, by position.") < page.index("Third, by position.")
    assert f'By <a href="{editor.profile.get_absolute_url()}">Edie Editor</a>' in page


def test_admin_form_shows_errors_and_saves_nothing_for_bad_input(editor_client, summit_topics):
    response = editor_client.post(
        reverse("admin:articles_article_add"),
        article_form(
            editor_client,
            **{**new_article(summit_topics), "headline": "", "standfirst": "x" * 601},
        ),
    )
    assert response.status_code == 200
    assert response.context["adminform"].errors.keys() >= {"headline", "standfirst"}
    assert not Article.objects.exists()


def test_future_publication_time_schedules_the_article(editor_client, summit_topics):
    later = timezone.localtime(timezone.now() + timedelta(days=1))
    response = editor_client.post(
        reverse("admin:articles_article_add"),
        article_form(
            editor_client,
            **{
                **new_article(summit_topics),
                "published_at_0": later.strftime("%Y-%m-%d"),
                "published_at_1": later.strftime("%H:%M:%S"),
                "_transition": "schedule",
            },
        ),
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert not article.is_published()
    assert editor_client.get(summit_topics[0].get_absolute_url()).text.count(article.headline) == 0


def test_anonymous_users_cannot_reach_the_admin_or_post_to_it(client, summit_topics):
    response = client.post(reverse("admin:articles_article_add"), new_article(summit_topics))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    assert not Article.objects.exists()


def test_change_form_has_ordered_inline_prepopulated_slug_and_view_on_site(editor_client):
    article = make_article(key_points=["One.", "Two."])
    response = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    html = response.text
    assert html.index("One.") < html.index("Two.")
    assert 'id="id_slug"' in html and "data-prepopulated-fields" in html
    assert f'href="{article.get_absolute_url()}" class="viewsitelink"' in html
    draft = make_article(status=Article.Status.DRAFT)
    html = editor_client.get(reverse("admin:articles_article_change", args=[draft.pk])).text
    preview = reverse("preview", kwargs={"slug": draft.slug})
    assert f'href="{preview}" class="viewsitelink"' in html
    assert "Draft — not public." in editor_client.get(preview).text


def test_article_change_list_filters_and_searches(editor_client, summit_topics):
    s400 = summit_topics[1]
    make_article("About the S-400", topics=[s400])
    make_article("About nothing in particular")
    make_article("A draft on S-400", topics=[s400], status=Article.Status.DRAFT)
    url = reverse("admin:articles_article_changelist")
    by_topic = editor_client.get(url, {"topic": "s-400"}).text
    assert "About the S-400" in by_topic and "About nothing" not in by_topic
    drafts = editor_client.get(url, {"status__exact": "draft"}).text
    assert "A draft on S-400" in drafts and "About the S-400" not in drafts
    found = editor_client.get(url, {"q": "nothing in particular"}).text
    assert "About nothing in particular" in found and "About the S-400" not in found


@pytest.mark.parametrize("count", [5, 120])
def test_article_change_list_has_no_query_per_row(
    editor_client, summit_topics, count, django_assert_max_num_queries
):
    bulk_articles(count, topics=summit_topics)
    # Session, user, permissions, the desk badge, filters' choices, count, page, bylines;
    # and 3 for renewing the staff session (an UPDATE in a savepoint under the test's
    # transaction): sessions expire after hours without a request, not after 14 days.
    with django_assert_max_num_queries(18):
        response = editor_client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 200
    assert '<td class="field-byline">' in response.text


@pytest.mark.parametrize("count", [5, 150])
def test_topic_change_list_has_no_query_per_row(
    editor_client, count, django_assert_max_num_queries
):
    topics = [make_topic(f"Topic {n}") for n in range(count)]
    bulk_articles(3, topics=topics[:2])
    # one for the scheduled articles' topics, one for the desk badge, 3 for renewing the
    # staff session, one for topics the name migration left clashing
    with django_assert_max_num_queries(13):
        response = editor_client.get(reverse("admin:topics_topic_changelist"))
    assert response.status_code == 200


def test_change_list_tells_scheduled_from_published(editor_client):
    make_article("Live story")
    make_article("Embargoed story", published_at=timezone.now() + timedelta(days=1))
    html = editor_client.get(reverse("admin:articles_article_changelist")).text
    assert '<td class="field-visibility">Scheduled for ' in html
    assert '<td class="field-visibility">Published</td>' in html


def test_admin_search_uses_the_full_text_index_and_finds_drafts(editor_client):
    make_article("Ports and shipping", status=Article.Status.DRAFT, key_points=["Chabahar."])
    make_article("Something else")
    url = reverse("admin:articles_article_changelist")
    html = editor_client.get(url, {"q": "chabahar"}).text
    assert "Ports and shipping" in html and "Something else" not in html
    assert editor_client.get(url, {"q": '"; DROP TABLE x; --'}).status_code == 200
