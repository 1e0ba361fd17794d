"""Picking topics in the article form: the autocomplete puts the exact name or alias first, then
names starting with the text, then the rest, and says which alias matched; under the field, the
topics the text names are suggested, one click (or a tick and a save) each."""


import pytest
from django.urls import reverse

from tests.factories import make_topic
from topics.models import TopicAlias

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
