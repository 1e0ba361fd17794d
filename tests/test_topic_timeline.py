"""Topic timelines: editors add dated milestones in the topic admin; the topic page lists them in
the editor's order, to the precision given, with article links only to public articles."""

import io
import re
from datetime import date

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from articles.models import Article
from tests.browser_forms import form_data
from tests.factories import make_article, make_draft, make_scheduled, make_topic
from tests.test_metadata import head
from topics.models import Milestone, Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic():
    topic = make_topic("S-400", kind="defence_system")
    make_article("On the system", topics=[topic])
    return topic


def milestone(topic, when, title, precision="day", **fields):
    return Milestone.objects.create(
        topic=topic, date=when, title=title, precision=precision, **fields
    )


def timeline(html):
    start = html.index('id="milestones-heading"')
    return html[start : html.index("</section>", start)]


def change_form(client, topic, **milestones):
    """The topic's change form as the editor's browser would post it, with new milestone rows."""
    url = reverse("admin:topics_topic_change", args=[topic.pk])
    data = form_data(client.get(url).text, "topic_form")
    rows = milestones.get("rows", [])
    initial = int(data["milestones-TOTAL_FORMS"])
    for offset, row in enumerate(rows):
        prefix = f"milestones-{initial + offset}-"
        data.update({prefix + name: value for name, value in row.items()})
    data["milestones-TOTAL_FORMS"] = str(initial + len(rows))
    return url, data


class TestEditing:
    def test_editor_adds_milestones_inline_in_the_topic_admin(self, editor_client, topic):
        article = Article.objects.get()
        url, data = change_form(
            editor_client,
            topic,
            rows=[
                {"date": "2018-10-05", "precision": "day", "title": "Contract\u200b signed"},
                {
                    "date": "2021-12-01",
                    "precision": "month",
                    "title": "Deliveries begin",
                    "sentence": "The first squadron arrives.\x0b",
                    "article": str(article.pk),
                },
            ],
        )
        data["timeline_order"] = "newest_first"
        response = editor_client.post(url, data)
        assert response.status_code == 302, response.text
        topic.refresh_from_db()
        assert topic.timeline_order == "newest_first"
        saved = list(topic.milestones.order_by("date"))
        assert [m.title for m in saved] == ["Contract signed", "Deliveries begin"]
        assert saved[1].sentence == "The first squadron arrives." and saved[1].article == article

    @pytest.mark.parametrize(
        "row, message",
        [
            ({"date": "2021-12-01", "precision": "day", "title": ""}, "This field is required"),
            ({"date": "2021-12-01", "precision": "day", "title": "\u200b "}, "required"),
            ({"date": "", "precision": "day", "title": "No date"}, "This field is required"),
            ({"date": "2021-12-01", "precision": "day", "title": "x" * 121}, "at most 120"),
            (
                {"date": "2021-12-01", "precision": "day", "title": "Long", "sentence": "y" * 281},
                "at most 280",
            ),
            ({"date": "2021-12-01", "precision": "week", "title": "Week"}, "not one of"),
        ],
    )
    def test_bad_milestones_are_refused_with_a_message(self, editor_client, topic, row, message):
        url, data = change_form(editor_client, topic, rows=[row])
        response = editor_client.post(url, data)
        assert response.status_code == 200
        assert message in response.text
        assert not Milestone.objects.exists()

    def test_writers_see_the_timeline_but_cannot_change_it(self, writer_client, topic):
        milestone(topic, date(2018, 10, 5), "Contract signed")
        url = reverse("admin:topics_topic_change", args=[topic.pk])
        page = writer_client.get(url)
        assert page.status_code == 200 and "Contract signed" in page.text
        assert 'name="milestones-0-title"' not in page.text
        response = writer_client.post(url, {"name": "S-400", "milestones-TOTAL_FORMS": "0"})
        assert response.status_code == 403
        assert topic.milestones.count() == 1

    def test_a_post_without_the_timeline_leaves_it_alone(self, editor_client, topic):
        milestone(topic, date(2018, 10, 5), "Contract signed")
        response = editor_client.post(
            reverse("admin:topics_topic_change", args=[topic.pk]),
            {"name": "S-400", "slug": "s-400", "kind": "defence_system", "parties": []},
        )
        assert response.status_code == 302
        assert topic.milestones.get().title == "Contract signed"


class TestPage:
    def test_milestones_show_in_the_editors_order(self, client, topic, committed):
        milestone(topic, date(2021, 12, 1), "Deliveries begin", "month")
        milestone(topic, date(2018, 10, 5), "Contract signed")
        milestone(topic, date(2025, 1, 1), "More regiments discussed", "year")
        for order, expected in [
            ("oldest_first", ["Contract signed", "Deliveries begin", "More regiments"]),
            ("newest_first", ["More regiments", "Deliveries begin", "Contract signed"]),
        ]:
            with committed():
                topic.timeline_order = order
                topic.save()
            section = timeline(client.get(topic.get_absolute_url()).text)
            positions = [section.index(title) for title in expected]
            assert positions == sorted(positions), order

    def test_dates_show_to_their_precision_as_an_ordered_list(self, client, topic):
        milestone(topic, date(2025, 12, 4), "Summit opens")
        milestone(topic, date(2021, 12, 17), "Deliveries begin", "month")
        milestone(topic, date(2010, 6, 30), "Partnership upgraded", "year")
        section = timeline(client.get(topic.get_absolute_url()).text)
        assert '<ol class="milestones"' in section
        assert '<time datetime="2025-12-04">4 December 2025</time>' in section
        assert '<time datetime="2021-12">December 2021</time>' in section
        assert '<time datetime="2010">2010</time>' in section
        assert "17 December" not in section and "June" not in section

    def test_json_ld_describes_the_timeline_as_an_item_list(self, client, topic):
        article = Article.objects.get()
        milestone(topic, date(2018, 10, 5), "Contract </script><b>signed</b>")
        milestone(
            topic, date(2021, 12, 1), "Deliveries", "month", sentence="First.", article=article
        )
        data = head(client, topic.get_absolute_url()).data
        (item_list,) = [item for item in data if item["@type"] == "ItemList"]
        assert item_list["itemListOrder"] == "https://schema.org/ItemListOrderAscending"
        assert item_list["numberOfItems"] == 2
        first, second = item_list["itemListElement"]
        assert first["position"] == 1 and first["item"]["startDate"] == "2018-10-05"
        assert first["item"]["name"] == "Contract </script><b>signed</b>"
        assert "url" not in first
        assert second["item"] == {
            "@type": "Event",
            "name": "Deliveries",
            "startDate": "2021-12",
            "description": "First.",
        }
        assert second["url"] == "http://testserver" + article.get_absolute_url()
        assert any(item["@type"] == "CollectionPage" for item in data)

    def test_topic_with_no_milestones_has_no_timeline(self, client, topic):
        html = client.get(topic.get_absolute_url()).text
        assert "milestones-heading" not in html and '"ItemList"' not in html


class TestNoLeaks:
    def test_links_only_to_public_articles(self, client, topic):
        public = Article.objects.get()
        draft = make_draft("Secret draft headline", topics=[topic])
        scheduled = make_scheduled("Secret scheduled headline", topics=[topic])
        withdrawn = make_article("Secret withdrawn headline", topics=[topic])
        Article.objects.filter(pk=withdrawn.pk).update(status=Article.Status.WITHDRAWN)
        for article, title in [
            (public, "Public milestone"),
            (draft, "Draft milestone"),
            (scheduled, "Scheduled milestone"),
            (withdrawn, "Withdrawn milestone"),
        ]:
            milestone(topic, date(2020, 1, 1), title, article=article)
        html = client.get(topic.get_absolute_url()).text
        section = timeline(html)
        assert f'<a href="{public.get_absolute_url()}">Public milestone</a>' in section
        for article in (draft, scheduled, withdrawn):
            assert article.get_absolute_url() not in html
            assert article.headline not in html
            assert article.slug not in html
        for title in ("Draft milestone", "Scheduled milestone", "Withdrawn milestone"):
            assert "<a" not in section.split(title)[0].rsplit("<li>", 1)[-1]
        item_list = [
            i for i in head(client, topic.get_absolute_url()).data if i["@type"] == "ItemList"
        ][0]
        urls = [element.get("url") for element in item_list["itemListElement"]]
        assert urls.count(None) == 3 and "http://testserver" + public.get_absolute_url() in urls

    def test_deleting_the_article_keeps_the_milestone(self, topic):
        article = make_article("Gone soon", topics=[topic])
        kept = milestone(topic, date(2020, 1, 1), "Still here", article=article)
        article.delete()
        kept.refresh_from_db()
        assert kept.article is None


class TestCache:
    """The page cache is on in these tests (the default): an edit is seen on the next request."""

    def test_a_milestone_edit_is_seen_on_the_next_request(self, topic, committed):
        reader = Client()
        url = topic.get_absolute_url()
        reader.get(url)
        assert reader.get(url)["X-Cache"] == "HIT"
        with committed():
            added = milestone(topic, date(2018, 10, 5), "Contract signed")
        assert "Contract signed" in timeline(reader.get(url).text)
        with committed():
            added.title = "Contract signed in Delhi"
            added.save()
        assert "Contract signed in Delhi" in reader.get(url).text
        with committed():
            added.delete()
        assert "milestones-heading" not in reader.get(url).text

    def test_the_timeline_order_is_seen_on_the_next_request(self, topic, committed):
        reader = Client()
        milestone(topic, date(2018, 10, 5), "Older")
        milestone(topic, date(2021, 12, 1), "Newer")
        url = topic.get_absolute_url()
        section = timeline(reader.get(url).text)
        assert section.index("Older") < section.index("Newer")
        with committed():
            topic.timeline_order = "newest_first"
            topic.save()
        section = timeline(reader.get(url).text)
        assert section.index("Newer") < section.index("Older")

    def test_publishing_or_withdrawing_the_linked_article_updates_the_link(
        self, topic, committed, editor_client
    ):
        reader = Client()
        draft = make_draft("Linked draft", topics=[make_topic("Elsewhere")])
        milestone(topic, date(2021, 12, 1), "Deliveries begin", article=draft)
        url = topic.get_absolute_url()
        reader.get(url)
        cached = reader.get(url)
        assert draft.get_absolute_url() not in cached.text
        assert f"article-{draft.pk}" not in cached["Surrogate-Key"].split()  # not even its id
        changelist = reverse("admin:articles_article_changelist")
        with committed():
            editor_client.post(
                changelist, {"action": "publish_now", "_selected_action": [draft.pk]}
            )
        assert draft.get_absolute_url() in timeline(reader.get(url).text)
        with committed():
            editor_client.post(changelist, {"action": "withdraw", "_selected_action": [draft.pk]})
        assert draft.get_absolute_url() not in reader.get(url).text


def test_demo_topics_have_true_timelines_and_a_second_load_adds_nothing(client):
    call_command("load_demo", stdout=io.StringIO())
    s400 = Topic.objects.get(slug="s-400")
    relationship = Topic.objects.get(slug="india-russia")
    assert s400.milestones.count() >= 3 and relationship.milestones.count() >= 3
    section = timeline(client.get(s400.get_absolute_url()).text)
    assert '<time datetime="2018-10-05">5 October 2018</time>' in section
    assert "five S-400 squadrons" in section and "December 2021" in section
    assert re.search(r'<a href="/articles/[^"]+">', section)
    section = timeline(client.get(relationship.get_absolute_url()).text)
    assert section.index("23rd summit") < section.index("2000")  # newest first
    count = Milestone.objects.count()
    s400.milestones.filter(precision="month").update(title="Edited by the desk")
    call_command("load_demo", stdout=io.StringIO())
    assert Milestone.objects.count() == count
    assert s400.milestones.filter(title="Edited by the desk").exists()


def test_milestone_dates_for_machines_match_the_precision():
    m = Milestone(date=date(2025, 12, 4), title="x")
    assert (m.display_date, m.machine_date) == ("4 December 2025", "2025-12-04")
    m.precision = "month"
    assert (m.display_date, m.machine_date) == ("December 2025", "2025-12")
    m.precision = "year"
    assert (m.display_date, m.machine_date) == ("2025", "2025")
    assert str(m) == "2025: x"
