"""Merging duplicate topics through the admin and the command: links, aliases, redirects, the
audit record, revisions, counts and the page cache; and undoing a merge, asking first when
something changed since."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, TaggedArticle
from tests.browser_forms import form_data
from tests.factories import make_article, make_draft, make_topic
from topics.models import Milestone, TimelineOrder, Topic, TopicAlias, TopicMerge

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:topics_topic_changelist"


@pytest.fixture
def desk():
    """A duplicate “S 400 system” beside “S-400”, with articles on both and on one of each."""
    russia = make_topic("Russia", kind="country")
    target = make_topic("S-400", kind="defence_system", description="The air defence system.")
    source = make_topic("S400 system", kind="theme", description="Duplicate made by mistake.")
    source.parties.add(russia)
    TopicAlias.objects.create(topic=source, name="Triumf")
    only_source = make_article("Deliveries begin", topics=[source])
    both = make_article("Both topics already", topics=[source, target])
    draft = make_draft("A draft on the duplicate", topics=[source])
    primary = make_article("Primary topic story", topics=[source], kicker_topic=source)
    only_target = make_article("Only on S-400", topics=[target])
    return {
        "source": source,
        "target": target,
        "russia": russia,
        "only_source": only_source,
        "both": both,
        "draft": draft,
        "primary": primary,
        "only_target": only_target,
    }


def counts_kept():
    """Each topic's kept count and its kept coverage by month."""
    return {
        t.name: (
            t.published_count,
            list(Article.objects.published().tagged_with(t).coverage_by_month()),
        )
        for t in Topic.objects.with_published_counts()
    }


def counts_from_scratch():
    return {
        t.name: (
            t.published_count,
            list(Article.objects.published().tagged_with(t).coverage_by_month_from_scratch()),
        )
        for t in Topic.objects.counted_from_scratch()
    }


def topic_names(article):
    return sorted(article.topics.values_list("name", flat=True))


def merge_through_the_admin(client, source, target):
    """Choose the topic, look at the preview, confirm: as an editor does."""
    changelist = reverse(CHANGELIST)
    chosen = {"action": "merge_into", "_selected_action": [source.pk]}
    page = client.post(changelist, chosen)
    assert page.status_code == 200
    data = {**form_data(page.text, "merge-form"), "target": target.pk, "preview": "1"}
    preview = client.post(changelist, data)
    assert preview.status_code == 200
    assert Topic.objects.filter(pk=source.pk).exists(), "the preview changes nothing"
    confirm = {**form_data(preview.text, "merge-form"), "merge": "1"}
    return preview, client.post(changelist, confirm)


def test_preview_then_merge_in_the_admin(editor_client, editor, desk, committed):
    source, target = desk["source"], desk["target"]
    with committed():
        preview, response = merge_through_the_admin(editor_client, source, target)
    text = preview.text
    assert "<strong>4 articles</strong> will carry “S-400” instead: 3 will move, 1 already" in text
    assert "Deliveries begin" in text and "A draft on the duplicate" in text
    assert "<li>S400 system</li>" in text and "<li>Triumf</li>" in text
    assert "<code>/topics/s400-system/</code> → <code>/topics/s-400/</code>" in text
    assert "<code>/topics/s400-system/feed/</code> → <code>/topics/s-400/feed/</code>" in text
    assert "<code>/topics/triumf/</code> → <code>/topics/s-400/</code>" in text

    assert response.status_code == 302
    merge = TopicMerge.objects.get()
    assert merge.merged_by == editor and merge.target == target
    assert not Topic.objects.filter(pk=source.pk).exists()
    for name in ("only_source", "both", "draft", "primary"):
        assert topic_names(desk[name]) == ["S-400"], name
    assert TaggedArticle.objects.filter(tag=target, content_object=desk["both"]).count() == 1
    desk["primary"].refresh_from_db()
    assert desk["primary"].kicker_topic == target
    assert sorted(target.aliases.values_list("name", flat=True)) == ["S400 system", "Triumf"]
    assert Topic.objects.named("s400 SYSTEM") == target
    assert list(target.parties.all()) == [desk["russia"]]

    assert merge.source["name"] == "S400 system" and merge.source["kind"] == "theme"
    assert merge.source["description"] == "Duplicate made by mistake."
    assert [pk for pk, _ in merge.source["articles"]] == sorted(
        desk[name].pk for name in ("only_source", "both", "draft", "primary")
    )
    assert merge.source["articles_with_target"] == [desk["both"].pk]
    assert [alias["name"] for alias in merge.source["aliases"]] == ["Triumf"]

    versions = Version.objects.get_for_object(desk["only_source"])
    assert (
        versions.first().revision.comment
        == f"Merged topic “S400 system” into “S-400” (merge {merge.pk})"
    )
    assert Version.objects.get_for_model(Article).count() == 4
    assert counts_kept() == counts_from_scratch()
    assert counts_kept()["S-400"][0] == 4

    reader = Client()
    for old, new in [
        ("/topics/s400-system/", "/topics/s-400/"),
        ("/topics/s400-system/feed/", "/topics/s-400/feed/"),
        ("/topics/s400-system+russia/?page=1", None),
        ("/topics/triumf/", "/topics/s-400/"),
    ]:
        response = reader.get(old)
        if new is None:
            assert response.status_code == 404  # no public article carries both: no page
            continue
        assert response.status_code == 301, old
        assert response["Location"] == new


def test_combined_pages_of_a_merged_topic_redirect(editor_client, desk, committed):
    russia, source = desk["russia"], desk["source"]
    desk["only_source"].topics.add(russia)
    with committed():
        merge_through_the_admin(editor_client, source, desk["target"])
    response = Client().get("/topics/s400-system+russia/?page=1")
    assert response.status_code == 301
    assert response["Location"] == "/topics/s-400+russia/?page=1"
    assert Client().get(response["Location"]).status_code == 200


def test_the_target_page_shows_moved_articles_on_the_next_request(editor_client, desk, committed):
    reader = Client()
    target_url = desk["target"].get_absolute_url()
    source_url = desk["source"].get_absolute_url()
    article_url = desk["only_source"].get_absolute_url()
    for url in (target_url, source_url, article_url):
        reader.get(url)
        assert reader.get(url)["X-Cache"] == "HIT", url
    with committed():
        merge_through_the_admin(editor_client, desk["source"], desk["target"])
    page = reader.get(target_url)
    assert "Deliveries begin" in page.text and "Primary topic story" in page.text
    assert "A draft on the duplicate" not in page.text
    assert reader.get(source_url).status_code == 301
    article = reader.get(article_url)
    assert article["X-Cache"] == "MISS" and "S400 system" not in article.text


def test_writers_cannot_merge_or_undo(writer_client, desk):
    changelist = reverse(CHANGELIST)
    response = writer_client.post(
        changelist,
        {
            "action": "merge_into",
            "_selected_action": [desk["source"].pk],
            "target": desk["target"].pk,
            "merge": "1",
            "previewed": desk["target"].pk,
        },
    )
    assert response.status_code == 403
    assert Topic.objects.filter(pk=desk["source"].pk).exists()
    merge = call_merge(desk["source"], desk["target"])
    undo = reverse("admin:topics_topicmerge_undo", args=[merge.pk])
    assert writer_client.get(undo).status_code == 403
    assert writer_client.post(undo, {"force": "1"}).status_code == 403
    assert not Topic.objects.filter(slug="s400-system").exists()


def test_a_topic_cannot_be_merged_into_itself(editor_client, desk):
    source = desk["source"]
    changelist = reverse(CHANGELIST)
    page = editor_client.post(changelist, {"action": "merge_into", "_selected_action": [source.pk]})
    data = {**form_data(page.text, "merge-form"), "target": source.pk, "preview": "1"}
    response = editor_client.post(changelist, data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert TopicMerge.objects.count() == 0


def call_merge(source, target):
    out = StringIO()
    call_command("merge_topics", source.slug, target.slug, stdout=out)
    number = out.getvalue().strip()
    assert number.startswith("merge ")
    return TopicMerge.objects.get(pk=int(number.split()[1]))


def undo_through_the_admin(client, merge):
    url = reverse("admin:topics_topicmerge_undo", args=[merge.pk])
    page = client.get(url)
    assert page.status_code == 200
    return page, client.post(url, form_data(page.text, "undo-form"))


def test_undo_puts_the_topic_back_exactly(editor_client, editor, desk, committed):
    source, target = desk["source"], desk["target"]
    before = {name: topic_names(desk[name]) for name in desk if isinstance(desk[name], Article)}
    with committed():
        merge_through_the_admin(editor_client, source, target)
    merge = TopicMerge.objects.get()
    record = editor_client.get(reverse("admin:topics_topicmerge_change", args=[merge.pk]))
    assert "Undo this merge" in record.text and "Deliveries begin" in record.text
    reader = Client()
    reader.get(target.get_absolute_url())

    with committed():
        page, response = undo_through_the_admin(editor_client, merge)
    assert "Yes, undo merge" in page.text and "changed since" not in page.text
    assert response.status_code == 302
    restored = Topic.objects.get(pk=source.pk)
    assert (restored.name, restored.slug, restored.kind, restored.description) == (
        "S400 system", "s400-system", "theme", "Duplicate made by mistake.",
    )  # fmt: skip
    assert list(restored.parties.all()) == [desk["russia"]]
    assert list(restored.aliases.values_list("name", flat=True)) == ["Triumf"]
    assert not target.aliases.exists() and not target.parties.exists()
    assert {name: topic_names(desk[name]) for name in before} == before
    desk["primary"].refresh_from_db()
    assert desk["primary"].kicker_topic == restored
    assert counts_kept() == counts_from_scratch()
    assert reader.get(restored.get_absolute_url()).status_code == 200
    assert reader.get("/topics/triumf/")["Location"] == "/topics/s400-system/"
    assert "Deliveries begin" not in reader.get(target.get_absolute_url()).text

    merge.refresh_from_db()
    assert merge.undone_by == editor
    versions = Version.objects.get_for_object(desk["only_source"])
    assert versions.first().revision.comment.startswith(f"Undid merge {merge.pk}")
    again = editor_client.post(reverse("admin:topics_topicmerge_undo", args=[merge.pk]))
    assert (
        again.status_code == 302 and Topic.objects.filter(name_key=restored.name_key).count() == 1
    )
    with pytest.raises(CommandError, match="undone already"):
        call_command("merge_topics", "--undo", str(merge.pk), "--force")


def test_undo_after_changes_says_what_changed_and_asks(editor_client, desk, committed):
    source, target = desk["source"], desk["target"]
    merge_through_the_admin(editor_client, source, target)
    merge = TopicMerge.objects.get()
    desk["only_source"].topics.remove(target)
    draft_pk = desk["draft"].pk
    desk["draft"].delete()
    TopicAlias.objects.filter(name="Triumf").update(name="Triumph")
    make_topic("S 400 System")  # takes the merged topic's name back

    url = reverse("admin:topics_topicmerge_undo", args=[merge.pk])
    page = editor_client.get(url)
    moved_pk = desk["only_source"].pk
    assert f"“Deliveries begin” (#{moved_pk}) no longer carries “S-400”" in page.text
    assert f"“A draft on the duplicate” (#{draft_pk}) has been deleted" in page.text
    assert "The alias “Triumf” has been renamed “Triumph”." in page.text
    assert "The topic “S 400 System” now has the name “S400 system”." in page.text
    assert "Undo anyway" in page.text
    refused = editor_client.post(url, {})  # a confirmation from before the changes
    assert refused.status_code == 200 and "no longer carries" in refused.text
    assert not TopicMerge.objects.get().undone_at

    response = editor_client.post(url, form_data(page.text, "undo-form"))
    assert response.status_code == 302
    restored = Topic.objects.get(pk=source.pk)
    assert restored.name == "S400 system (restored)" and restored.slug == "s400-system"
    assert topic_names(desk["only_source"]) == ["S400 system (restored)"]
    assert counts_kept() == counts_from_scratch()


def test_command_merges_and_prints_the_id(desk):
    merge = call_merge(desk["source"], desk["target"])
    assert merge.merged_by is None
    assert topic_names(desk["only_source"]) == ["S-400"]
    assert counts_kept() == counts_from_scratch()


def test_command_dry_run_prints_the_preview_and_changes_nothing(desk):
    out = StringIO()
    call_command("merge_topics", "s400-system", "s-400", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "Would merge “S400 system” into “S-400”; nothing changed." in text
    assert "Articles: 4 (1 already carry “S-400”, 3 would move)." in text
    assert "/topics/s400-system/feed/ → /topics/s-400/feed/" in text
    assert Topic.objects.filter(slug="s400-system").exists() and not TopicMerge.objects.exists()


def test_command_undo_refuses_after_changes_and_force_undoes(desk):
    merge = call_merge(desk["source"], desk["target"])
    both_pk = desk["both"].pk
    desk["both"].delete()
    with pytest.raises(CommandError) as refusal:
        call_command("merge_topics", "--undo", str(merge.pk))
    message = str(refusal.value)
    assert "\n" not in message
    assert f"“Both topics already” (#{both_pk}) has been deleted" in message
    assert "--force" in message
    assert not Topic.objects.filter(slug="s400-system").exists()

    out = StringIO()
    call_command("merge_topics", "--undo", str(merge.pk), "--force", stdout=out)
    assert f"undid merge {merge.pk}" in out.getvalue()
    assert topic_names(desk["only_source"]) == ["S400 system"]
    assert counts_kept() == counts_from_scratch()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["nothing-here", "s-400"], "No topic has the slug “nothing-here”."),
        (["s-400", "s-400"], "cannot be merged into itself"),
        (["--undo", "999"], "There is no merge 999."),
        (["s-400"], "Give the slugs of two topics"),
    ],
)
def test_command_refuses_bad_input_with_one_line(desk, arguments, message):
    with pytest.raises(CommandError, match=message) as refusal:
        call_command("merge_topics", *arguments)
    assert "\n" not in str(refusal.value)


def test_a_chain_of_merges_undoes_in_any_order(desk):
    third = make_topic("Triumf system family")
    make_article("Third story", topics=[third])
    first = call_merge(desk["source"], desk["target"])
    second = call_merge(desk["target"], third)
    assert Client().get("/topics/s400-system/")["Location"] == "/topics/triumf-system-family/"
    call_command("merge_topics", "--undo", str(second.pk), stdout=StringIO())
    assert Client().get("/topics/s400-system/")["Location"] == "/topics/s-400/"
    call_command("merge_topics", "--undo", str(first.pk), stdout=StringIO())
    assert topic_names(desk["both"]) == ["S-400", "S400 system"]
    assert counts_kept() == counts_from_scratch()


def test_force_undo_after_the_address_is_taken_and_the_target_deleted(desk):
    merge = call_merge(desk["source"], desk["target"])
    squatter = make_topic("Something else")
    squatter.slug = "s400-system"
    squatter.save()
    desk["target"].delete()
    with pytest.raises(CommandError) as refusal:
        call_command("merge_topics", "--undo", str(merge.pk))
    message = str(refusal.value)
    assert "The topic “S-400” it was merged into has been deleted." in message
    assert "The topic “Something else” now has the address /topics/s400-system/." in message
    assert "The alias “Triumf” has been removed." in message

    call_command("merge_topics", "--undo", str(merge.pk), "--force", stdout=StringIO())
    restored = Topic.objects.get(pk=desk["source"].pk)
    assert restored.name == "S400 system" and restored.slug == "s400-system-2"
    assert list(restored.aliases.values_list("name", flat=True)) == ["Triumf"]
    assert topic_names(desk["both"]) == ["S400 system"]
    assert Client().get("/topics/s400-system/").status_code == 404  # the squatter has no articles
    assert counts_kept() == counts_from_scratch()


def test_a_merged_topics_timeline_moves_with_it_and_comes_back_on_undo(client, desk):
    source, target = desk["source"], desk["target"]
    source.timeline_order = TimelineOrder.NEWEST_FIRST
    source.save()
    contract = Milestone.objects.create(
        topic=source, date=date(2018, 10, 5), precision="day", title="Contract signed"
    )
    deliveries = Milestone.objects.create(
        topic=source, date=date(2021, 12, 1), precision="month", title="Deliveries begin"
    )
    merge = call_merge(source, target)
    assert set(target.milestones.all()) == {contract, deliveries}
    assert "Contract signed" in client.get(target.get_absolute_url()).text

    deliveries.delete()
    with pytest.raises(CommandError, match="1 of the 2 timeline milestones"):
        call_command("merge_topics", "--undo", str(merge.pk))
    call_command("merge_topics", "--undo", str(merge.pk), "--force", stdout=StringIO())
    restored = Topic.objects.get(slug=source.slug)
    assert list(restored.milestones.all()) == [contract]
    assert restored.timeline_order == TimelineOrder.NEWEST_FIRST
    assert not target.milestones.exists()
