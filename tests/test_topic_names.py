"""One topic per subject: names that fold together are refused naming the topic that has them,
junk names are refused, aliases are edited in the topic's form and their addresses redirect,
and topics the name migration found clashing are shown to editors with the way to merge them."""

import importlib
from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from articles.models import Article
from tests.browser_forms import form_data
from tests.factories import make_article, make_topic
from topics.models import Topic, TopicAlias

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:topics_topic_add")


def change_url(topic):
    return reverse("admin:topics_topic_change", args=[topic.pk])


def topic_form(client, url, aliases=(), **fields):
    """The topic form as the editor's browser posts it, with `aliases` typed in new rows."""
    data = form_data(client.get(url).text, "topic_form")
    existing = int(data["aliases-INITIAL_FORMS"])
    for offset, alias in enumerate(aliases):
        data[f"aliases-{existing + offset}-name"] = alias
        data[f"aliases-{existing + offset}-id"] = ""
        data[f"aliases-{existing + offset}-topic"] = data.get("aliases-0-topic", "")
    data["aliases-TOTAL_FORMS"] = str(existing + max(len(aliases), 1))
    return {**data, **fields}


# Folding: every spelling of one subject is one topic.


@pytest.mark.parametrize(
    ("existing", "typed"),
    [
        ("India–Russia", "India-Russia"),
        ("India–Russia", "India - Russia"),
        ("India–Russia", "INDIA—RUSSIA"),
        ("S-400", "S 400"),
        ("S-400", "S400"),
        ("S-400", "Ѕ-400"),  # a Cyrillic Ѕ
        ("S-400", "S-4\u200b00"),  # a zero-width space
    ],
)
def test_a_name_that_folds_to_an_existing_topic_is_refused_naming_it(
    editor_csrf_client, existing, typed
):
    topic = make_topic(existing)
    data = topic_form(editor_csrf_client, ADD_URL, name=typed, kind="theme")
    response = editor_csrf_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert f"There is already a topic named “{existing}”." in response.text
    assert list(Topic.objects.all()) == [topic]


@pytest.mark.parametrize("junk", ["???", "—", "🇮🇳", "\u200b"])
def test_a_name_without_a_letter_or_digit_is_refused_with_a_message(editor_csrf_client, junk):
    data = topic_form(editor_csrf_client, ADD_URL, name=junk, kind="theme")
    response = editor_csrf_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert (
        "is not a usable topic name: a name needs at least one letter or digit" in response.text
        or "This field is required." in response.text  # nothing is left of an invisible name
    )
    assert not Topic.objects.exists()


def test_the_database_refuses_an_empty_or_shared_key_written_behind_the_model():
    topic = make_topic("S-400")
    with pytest.raises(IntegrityError), transaction.atomic():
        Topic.objects.bulk_create([Topic(name="???", name_key="", slug="junk")])
    TopicAlias.objects.create(topic=topic, name="S-400 Triumf")
    with pytest.raises(IntegrityError), transaction.atomic():
        TopicAlias.objects.bulk_create(
            [TopicAlias(topic=topic, name="S 400 TRIUMF", name_key="s4ootriurnf")]
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        TopicAlias.objects.bulk_create([TopicAlias(topic=topic, name="—", name_key="")])


def test_tagging_an_article_by_name_reuses_the_topic_and_refuses_junk():
    s400 = make_topic("S-400")
    TopicAlias.objects.create(topic=s400, name="С-400")  # a Cyrillic С
    article = make_article(topics=["s 400"])
    article.topics.add("с-400", "Ѕ-400")
    assert list(article.topics.all()) == [s400]
    with pytest.raises(ValidationError, match="needs at least one letter or digit"):
        article.topics.add("???")
    assert Topic.objects.count() == 1


def test_a_topic_is_found_by_name_or_alias_when_it_has_several_aliases():
    s400 = make_topic("S-400")
    for alias in ("S400", "S-400 Triumf", "С-400"):
        TopicAlias.objects.create(topic=s400, name=alias)
    assert Topic.objects.named("s-400") == Topic.objects.named("S400") == s400
    assert Topic.objects.named("S 400 TRIUMF") == Topic.objects.named("с-400") == s400


# The migration: names that now fold together are kept, reported, and shown to editors.


def test_migration_keeps_and_reports_topics_that_now_fold_together(capsys, editor_client):
    Topic.objects.bulk_create(
        [
            Topic(name="India–Russia", name_key="old-1", slug="india-russia"),
            Topic(name="India - Russia", name_key="old-2", slug="india-russia-2"),
            Topic(name="S-400", name_key="old-3", slug="s-400"),
        ]
    )
    migration = importlib.import_module("topics.migrations.0005_fold_names_and_aliases")
    migration.fold_existing_names(apps, connection.schema_editor())
    report = capsys.readouterr().out
    assert "“India - Russia” (india-russia-2) and “India–Russia” (india-russia)" in report
    assert "manage.py merge_topics india-russia-2 india-russia" in report
    first, second = Topic.objects.get(slug="india-russia"), Topic.objects.get(slug="india-russia-2")
    assert first.name_key == "indiarussia"
    assert second.name_key == f"indiarussia~{second.pk}"
    assert Topic.objects.get(slug="s-400").name_key == "s4oo"

    response = editor_client.get(reverse("admin:topics_topic_changelist"))
    assert "“India - Russia” (india-russia-2) and “India–Russia” (india-russia) are one" in (
        response.text
    )
    assert "manage.py merge_topics india-russia-2 india-russia" in response.text
    assert "Merge into…" in response.text


# Aliases, edited in the topic's form.


def test_editor_adds_aliases_inline_and_sees_their_addresses(editor_csrf_client):
    s400 = make_topic("S-400", kind="defence_system")
    url = change_url(s400)
    data = topic_form(editor_csrf_client, url, aliases=["S400", "S-400 Triumf", "С-400"])
    response = editor_csrf_client.post(url, data)
    assert response.status_code == 302, response.text
    assert sorted(s400.aliases.values_list("name", "slug")) == [
        ("S-400 Triumf", "s-400-triumf"),
        ("S400", "s400"),
        ("С-400", None),  # "s-400" is the topic's own address
    ]
    page = editor_csrf_client.get(url).text
    assert "<code>/topics/s400/</code>" in page
    assert "address redirecting here" in page.lower()


@pytest.mark.parametrize(
    ("aliases", "refusal"),
    [
        (["India"], "There is already a topic named “India”."),
        (["Indo-Russian relations"], "is already a name of the topic “India–Russia” (as its alias"),
        (["S400", "s 400"], "are the same alias"),
        (["s-400"], "is the topic&#x27;s own name"),
        (["???"], "a name needs at least one letter or digit"),
    ],
    ids=["another-topic", "another-alias", "twice-in-one-post", "own-name", "junk"],
)
def test_an_alias_that_clashes_is_refused_naming_the_owner(editor_csrf_client, aliases, refusal):
    make_topic("India", kind="country")
    india_russia = make_topic("India–Russia", kind="relationship")
    TopicAlias.objects.create(topic=india_russia, name="Indo-Russian relations")
    s400 = make_topic("S-400", kind="defence_system")
    data = topic_form(editor_csrf_client, change_url(s400), aliases=aliases)
    response = editor_csrf_client.post(change_url(s400), data)
    assert response.status_code == 200
    assert refusal in response.text
    assert not s400.aliases.exists()


def test_an_alias_already_on_the_topic_is_refused_in_another_spelling(editor_csrf_client):
    s400 = make_topic("S-400")
    TopicAlias.objects.create(topic=s400, name="S-400 Triumf")
    data = topic_form(editor_csrf_client, change_url(s400), aliases=["s400 triumf"])
    response = editor_csrf_client.post(change_url(s400), data)
    assert response.status_code == 200
    assert "“s400 triumf” is already an alias of this topic (as “S-400 Triumf”)" in response.text


def test_a_topic_with_an_alias_of_its_own_key_can_still_be_edited(editor_csrf_client):
    s400 = make_topic("S-400")
    TopicAlias.objects.create(topic=s400, name="S400")
    data = topic_form(editor_csrf_client, change_url(s400), description="Air defence.")
    assert editor_csrf_client.post(change_url(s400), data).status_code == 302
    s400.refresh_from_db()
    assert s400.description == "Air defence."


def test_an_alias_taken_by_a_colleague_meanwhile_is_a_form_error(editor_csrf_client, monkeypatch):
    """The race, made certain: the check ran before a colleague's alias was committed."""
    s400 = make_topic("S-400")
    other = make_topic("S-300")
    data = topic_form(editor_csrf_client, change_url(s400), aliases=["Triumf"])
    TopicAlias.objects.create(topic=other, name="Triumf")
    original_clean = TopicAlias.clean
    calls = []

    def clean_before_the_colleague_committed(alias):
        if calls:
            return original_clean(alias)
        calls.append(1)

    monkeypatch.setattr(TopicAlias, "clean", clean_before_the_colleague_committed)
    response = editor_csrf_client.post(change_url(s400), data)
    assert response.status_code == 200
    assert "is already a name of the topic “S-300”" in response.text
    assert not s400.aliases.exists()


def test_aliases_are_added_with_a_new_topic(editor_csrf_client):
    data = topic_form(
        editor_csrf_client, ADD_URL, aliases=["Indo-Russian relations"], name="India–Russia"
    )
    assert editor_csrf_client.post(ADD_URL, data).status_code == 302
    topic = Topic.objects.get()
    assert list(topic.aliases.values_list("name", flat=True)) == ["Indo-Russian relations"]


def test_writers_cannot_add_aliases(writer_client):
    topic = make_topic("S-400")
    response = writer_client.post(change_url(topic), {"name": "S-400", "aliases-0-name": "S400"})
    assert response.status_code == 403
    assert not TopicAlias.objects.exists()


# An alias's address answers with a redirect to the topic, only once the topic is public.


def test_an_alias_address_redirects_page_feed_and_combined_page(client):
    s400 = make_topic("S-400", kind="defence_system")
    india = make_topic("India", kind="country")
    make_article(topics=[s400, india])
    TopicAlias.objects.create(topic=s400, name="S400")
    page = client.get("/topics/s400/?page=1")
    assert (page.status_code, page["Location"]) == (301, "/topics/s-400/?page=1")
    feed = client.get("/topics/s400/feed/")
    assert (feed.status_code, feed["Location"]) == (301, "/topics/s-400/feed/")
    combined = client.get("/topics/india+s400/")
    assert (combined.status_code, combined["Location"]) == (301, "/topics/india+s-400/")


def test_an_alias_of_a_topic_without_public_articles_does_not_redirect(client):
    secret = make_topic("Project Kusha", kind="defence_system")
    make_article(topics=[secret], status=Article.Status.DRAFT)
    TopicAlias.objects.create(topic=secret, name="Kusha missile")
    for path in ("/topics/kusha-missile/", "/topics/kusha-missile/feed/"):
        response = client.get(path)
        assert response.status_code == 404
        assert "project-kusha" not in response.text and "Project Kusha" not in response.text


def test_load_demo_adds_the_aliases_once(client):
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())
    aliases = sorted(TopicAlias.objects.values_list("topic__name", "name"))
    assert aliases == [
        ("India–Russia", "Indo-Russian relations"),
        ("S-400", "S-400 Triumf"),
        ("S-400", "S400"),
        ("S-400", "С-400"),
    ]
    response = client.get("/topics/s400/")
    assert (response.status_code, response["Location"]) == (301, "/topics/s-400/")


def test_an_alias_change_makes_the_topic_page_stale(committed):
    from coverage_site import page_cache

    s400 = make_topic("S-400")
    before = page_cache.current_seq()
    with committed():
        alias = TopicAlias.objects.create(topic=s400, name="S400")
    with committed():
        alias.delete()
    changed = page_cache.journal.changed_keys(before, page_cache.current_seq())
    assert {f"topic-{s400.pk}", "topic-aliases"} <= changed


def test_the_topic_page_lists_aliases_escaped_and_follows_alias_changes(client, committed):
    s400 = make_topic("S-400")
    make_article("Deliveries", topics=[s400], age=timedelta(hours=1))
    url = s400.get_absolute_url()
    assert "Also known as" not in client.get(url).text
    with committed():
        for name in ("S400", "С-400", "<b>S-400 Triumf</b>"):
            TopicAlias.objects.create(topic=s400, name=name)
    html = client.get(url).text
    assert "Also known as: &lt;b&gt;S-400 Triumf&lt;/b&gt;, S400, С-400" in html
    assert client.get(url)["X-Cache"] == "HIT"
    with committed():
        TopicAlias.objects.filter(name="S400").delete()
    assert "Also known as: &lt;b&gt;S-400 Triumf&lt;/b&gt;, С-400" in client.get(url).text
