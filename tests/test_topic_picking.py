"""Picking topics in the article form: the autocomplete puts the exact name or alias first, then
names starting with the text, then the rest, and says which alias matched; under the field, the
topics the text names are suggested, one click (or a tick and a save) each."""

import re
import time
from html import unescape

import pytest
from django.urls import reverse

from articles.models import Article
from tests.browser_forms import form_data
from tests.factories import make_article, make_topic
from topics.models import Topic, TopicAlias

pytestmark = pytest.mark.django_db

AUTOCOMPLETE = reverse("admin:autocomplete")
TOPICS_FIELD = {"app_label": "articles", "model_name": "article", "field_name": "topics"}
ADD_URL = reverse("admin:articles_article_add")


@pytest.fixture
def desk_topics():
    india_russia = make_topic("India–Russia", kind="relationship")
    s400 = make_topic("S-400", kind="defence_system")
    for alias in ("S400", "S-400 Triumf", "С-400"):
        TopicAlias.objects.create(topic=s400, name=alias)
    TopicAlias.objects.create(topic=india_russia, name="Indo-Russian relations")
    make_topic("23rd India–Russia Annual Summit", kind="event")
    make_topic("India", kind="country")
    make_topic("Russia", kind="country")
    make_topic("Strategic Autonomy", kind="doctrine")
    return {"India–Russia": india_russia, "S-400": s400}


def offered(client, term):
    response = client.get(AUTOCOMPLETE, {**TOPICS_FIELD, "term": term})
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


@pytest.mark.parametrize("who", ["writer_client", "editor_client"])
@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("India–Russia", ["India–Russia", "23rd India–Russia Annual Summit"]),
        ("india-russia", ["India–Russia", "23rd India–Russia Annual Summit"]),
        ("India", ["India", "India–Russia", "23rd India–Russia Annual Summit"]),
        ("russia", ["Russia", "India–Russia", "23rd India–Russia Annual Summit"]),
        ("S400", ["S-400 — alias: S400"]),
        ("s-400", ["S-400"]),
        ("С-400", ["S-400 — alias: С-400"]),
        ("triumf", ["S-400 — alias: S-400 Triumf"]),
        ("Indo", ["India–Russia — alias: Indo-Russian relations"]),
        ("strategic-autonomy", ["Strategic Autonomy"]),
        ("???", []),
    ],
)
def test_autocomplete_puts_exact_then_prefix_then_the_rest(
    request, desk_topics, who, term, expected
):
    client = request.getfixturevalue(who)
    assert offered(client, term) == expected


def test_autocomplete_stays_within_its_query_budget(
    editor_client, desk_topics, django_assert_max_num_queries
):
    for number in range(60):
        make_topic(f"India topic {number}")
    # Session, user, permissions (4), count, page of topics, their aliases, session save (3).
    with django_assert_max_num_queries(10):
        results = offered(editor_client, "india")
    assert results[:2] == ["India", "India–Russia"] and len(results) == 20


# Suggested topics under the field.


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def suggestions_on(html):
    """The suggestions as the form lists them: (topic id, label)."""
    box = re.search(
        r'<div id="id_suggested_topics"[^>]*>(.*?)</div>\s*</div>\s*<div class="help"', html, re.S
    )
    found = re.findall(
        r'<label for="id_suggested_topics_\d+"><input[^>]*value="(\d+)"[^>]*>\s*(.*?)</label>',
        box[1] if box else html,
        re.S,
    )
    return [(int(pk), unescape(label.strip())) for pk, label in found]


def test_the_form_suggests_topics_its_text_names(writer_client, writer, desk_topics):
    india = Topic.objects.get(name="India")
    article = make_article(
        "S400 deliveries resume",
        standfirst="The last INDIA-RUSSIA contract of the decade.",
        key_points=["Strategic autonomy is the government's watchword."],
        body="Talks went on. The Indo-Russian relations are old; the S-400 Triumf is new.",
        topics=[india],
        created_by=writer,
        status=Article.Status.DRAFT,
    )
    suggested = dict(suggestions_on(writer_client.get(change_url(article)).text))
    assert suggested[desk_topics["S-400"].pk] == "S-400 (“S400” in the text)"
    assert suggested[desk_topics["India–Russia"].pk] == "India–Russia (“INDIA-RUSSIA” in the text)"
    assert suggested[Topic.objects.get(name="Strategic Autonomy").pk] == "Strategic Autonomy"
    assert india.pk not in suggested  # already on the article
    assert list(suggested)[0] == desk_topics["S-400"].pk  # named in the headline


@pytest.mark.parametrize(
    ("text", "not_found"),
    [
        ("India, Russia and China met.", "India–Russia"),
        ("He spoke of Indians and Russians.", "India"),
        ("Putin's S 4000 launcher.", "S-400"),
        ("Summit ended. Russia said no.", "23rd India–Russia Annual Summit"),
    ],
)
def test_suggestions_are_whole_words(desk_topics, text, not_found):
    from topics.suggestions import suggest_topics

    names = [s.name for s in suggest_topics({"body": text})]
    assert not_found not in names


def test_a_ticked_suggestion_is_added_when_the_form_is_saved(writer_client, writer, desk_topics):
    article = make_article(
        "Air defence",
        body="More S-400 squadrons.",
        created_by=writer,
        status=Article.Status.DRAFT,
    )
    url = change_url(article)
    data = form_data(writer_client.get(url).text, "article_form")
    assert "suggested_topics" not in data  # nothing is ticked by itself
    s400 = desk_topics["S-400"]
    response = writer_client.post(url, {**data, "suggested_topics": [str(s400.pk)]})
    assert response.status_code == 302, response.text
    assert list(article.topics.all()) == [s400]


def test_a_failed_save_suggests_from_the_posted_text(writer_client, writer, desk_topics):
    article = make_article("Draft", body="Nothing yet.", created_by=writer, status="draft")
    url = change_url(article)
    data = form_data(writer_client.get(url).text, "article_form")
    assert suggestions_on(writer_client.get(url).text) == []
    data.update(
        {
            "headline": "",
            "body": "С-400 batteries.",
            "suggested_topics": [str(desk_topics["S-400"].pk)],
        }
    )
    response = writer_client.post(url, data)
    assert response.status_code == 200
    html = response.text
    assert suggestions_on(html) == [(desk_topics["S-400"].pk, "S-400 (“С-400” in the text)")]
    assert re.search(rf'<input[^>]*value="{desk_topics["S-400"].pk}"[^>]*checked', html)


def test_a_new_alias_is_suggested_at_once(editor_client, desk_topics, committed):
    article = make_article("Quiet day", body="The Kusha interceptor flew.", status="draft")
    assert suggestions_on(editor_client.get(change_url(article)).text) == []
    with committed():
        TopicAlias.objects.create(topic=desk_topics["S-400"], name="Kusha interceptor")
    assert [pk for pk, _ in suggestions_on(editor_client.get(change_url(article)).text)] == [
        desk_topics["S-400"].pk
    ]


def test_suggestions_are_fast_with_a_thousand_topics_and_a_long_body(desk_topics):
    from topics.suggestions import name_index, suggest_topics

    Topic.objects.bulk_create(
        [
            Topic(name=f"Topic {n} of ours", name_key=f"topic{n}ofours", slug=f"t-{n}")
            for n in range(1000)
        ]
    )
    sentence = "India–Russia talks on the S-400 and Topic 77 of ours, with strategic autonomy. "
    body = sentence * 400  # over 5,000 words
    assert len(body.split()) > 5000
    index = name_index()
    started = time.perf_counter()
    suggestions = suggest_topics({"headline": "S400", "body": body}, index=index)
    elapsed_ms = (time.perf_counter() - started) * 1000
    print(
        f"suggestions: {len(index['names'])} names, {len(body.split())} words, {elapsed_ms:.1f} ms"
    )
    assert suggestions[0].name == "S-400"  # the headline counts most
    assert {"India–Russia", "Strategic Autonomy", "Topic 77 of ours"} <= {
        s.name for s in suggestions
    }
    assert elapsed_ms < 500
