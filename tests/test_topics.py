"""Topics: readable ASCII slugs and one topic per name, whatever its case or Unicode form."""

import unicodedata

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from articles.models import Article
from tests.factories import make_article, make_topic
from topics.models import Topic

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("India–Russia", "india-russia"),
        ("S-400", "s-400"),
        ("Strategic Autonomy", "strategic-autonomy"),
        ("Россия", "rossiya"),
        ("中国", "zhongguo"),
        ("Rupee/Rouble Payments", "rupee-rouble-payments"),
        ("  U.S.–China (trade)  ", "u-s-china-trade"),
    ],
)
def test_topic_slug_is_readable_ascii(name, slug):
    assert make_topic(name).slug == slug


def test_clashing_slugs_get_a_numbered_suffix():
    make_topic("Россия")  # names that are different topics but read alike in ASCII
    assert make_topic("Rossiya").slug == "rossiya-2"
    assert make_topic("Rossiia").slug == "rossiia"


def test_slug_stays_when_topic_is_renamed():
    topic = make_topic("India–Russia")
    topic.name = "India–Russia relations"
    topic.save()
    topic.refresh_from_db()
    assert topic.slug == "india-russia"


@pytest.mark.parametrize(
    ("existing", "duplicate"),
    [
        ("S-400", "s-400"),
        ("Россия", "россия"),
        ("Strategic Autonomy", "STRATEGIC AUTONOMY"),
        (unicodedata.normalize("NFC", "Élysée"), unicodedata.normalize("NFD", "élysée")),
        ("India–Russia", " India–Russia "),
    ],
)
def test_database_refuses_a_second_topic_with_the_same_name(existing, duplicate):
    make_topic(existing)
    with pytest.raises(IntegrityError), transaction.atomic():
        Topic.objects.create(name=duplicate)
    assert Topic.objects.count() == 1


def test_database_refuses_a_duplicate_key_written_behind_the_model():
    make_topic("S-400")
    with pytest.raises(IntegrityError), transaction.atomic():
        Topic.objects.bulk_create([Topic(name="s-400", name_key="s4oo", slug="other")])


def test_names_are_stored_composed():
    topic = make_topic(unicodedata.normalize("NFD", "Élysée"))
    topic.refresh_from_db()
    assert topic.name == unicodedata.normalize("NFC", "Élysée")


def test_naming_a_topic_in_another_case_reuses_it():
    s400 = make_topic("S-400")
    russia = make_topic("Россия")
    article = make_article(topics=["s-400", "РОССИЯ", "New Topic"])
    assert set(article.topics.all()) == {s400, russia, Topic.objects.get(name="New Topic")}
    assert Topic.objects.count() == 3


def test_topic_admin_refuses_a_duplicate_name_with_a_message(editor_client):
    make_topic("S-400")
    response = editor_client.post(
        reverse("admin:topics_topic_add"),
        {"name": "s-400", "slug": "", "kind": "defence_system", "description": ""},
    )
    assert response.status_code == 200
    assert "There is already a topic named “S-400”." in response.text
    assert Topic.objects.count() == 1


def test_topic_admin_creates_topic_with_generated_slug(editor_client):
    response = editor_client.post(
        reverse("admin:topics_topic_add"),
        {"name": "India–Russia", "slug": "", "kind": "relationship", "description": "Ties."},
    )
    assert response.status_code == 302
    topic = Topic.objects.get()
    assert (topic.slug, topic.kind, topic.description) == ("india-russia", "relationship", "Ties.")


def test_topic_admin_lists_published_counts(editor_client):
    topic = make_topic("S-400")
    make_article(topics=[topic])
    make_article(topics=[topic])
    make_article(topics=[topic], status=Article.Status.DRAFT)
    response = editor_client.get(reverse("admin:topics_topic_changelist"))
    assert response.status_code == 200
    assert '<td class="field-published_count">2</td>' in response.text
