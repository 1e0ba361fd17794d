"""`manage.py import_article`: newsroom copy from files and folders becomes article drafts."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from reversion.models import Version

from articles.models import Article, Source
from tests.documents import (
    BodyOutline,
    build_docx,
    seed_article_bytes,
    seed_key_points,
    seed_lines,
)
from tests.factories import make_article, make_editor, make_topic
from topics.models import Topic

pytestmark = pytest.mark.django_db


def run_import(*args):
    """Run the command; return (succeeded, stdout, stderr)."""
    out, err = StringIO(), StringIO()
    try:
        call_command("import_article", *map(str, args), stdout=out, stderr=err)
    except CommandError as error:
        err.write(str(error))
        return False, out.getvalue(), err.getvalue()
    return True, out.getvalue(), err.getvalue()


@pytest.fixture
def seed_file(tmp_path):
    path = tmp_path / "seed-article.txt"
    path.write_bytes(seed_article_bytes())
    return path


@pytest.fixture
def seed_topics(db):
    return {
        name: make_topic(name, kind=kind)
        for name, kind in [
            ("India–Russia", "relationship"),
            ("S-400", "defence_system"),
            ("Strategic Autonomy", "doctrine"),
            ("Brazil", "country"),
        ]
    }


def test_seed_article_imports_as_a_draft_with_its_structure(seed_file, writer, seed_topics):
    topics_before = Topic.objects.count()
    ok, out, err = run_import(seed_file, "--author", writer.username, "--auto-topics")
    assert ok, err

    article = Article.objects.get()
    lines = seed_lines()
    assert article.headline == lines[0]
    assert article.status == Article.Status.DRAFT and not article.is_published()
    assert list(article.authors.all()) == [writer] and article.created_by == writer
    assert [point.text for point in article.key_points.all()] == seed_key_points()

    body = BodyOutline(article.body_html)
    assert len(body.headings) == 4
    assert all(heading in lines for heading in body.headings)
    assert [len(items) for items in body.lists] == [3, 2]
    for items in body.lists:
        assert all(re.match(r"^<strong>[^<]+:</strong> \S", item) for item in items)
    # Every paragraph is one line of the copy (spaces before punctuation tidied), in order.
    assert len(body.paragraphs) == 12
    tidied = [re.sub(r" +([.,;:])", r"\1", line) for line in lines]
    positions = [tidied.index(paragraph) for paragraph in body.paragraphs]
    assert positions == sorted(positions)
    # The paragraph right after the last key point is a paragraph, not a fourth key point.
    after_points = lines[lines.index("- " + seed_key_points()[-1]) + 1]
    assert body.paragraphs[0] == after_points
    assert "key points" not in article.body.lower()

    # The standfirst is drawn from that first paragraph, which stays in the body, and is
    # marked for review in the output and the article's history.
    assert article.standfirst and body.paragraphs[0].startswith(article.standfirst)
    assert len(article.standfirst) <= 300
    assert "standfirst drawn from the first paragraph (review it)" in out
    assert "review it" in Version.objects.get_for_object(article).first().revision.comment

    assert list(Source.objects.filter(article=article).values_list("publication", flat=True)) == [
        "The Guardian"
    ]
    assert {topic.name for topic in article.topics.all()} == {
        "India–Russia", "S-400", "Strategic Autonomy",
    }  # fmt: skip
    assert Topic.objects.count() == topics_before

    # Curly quotes and dashes are kept.
    assert "“" in article.body and "—" in article.body and "’" in article.body
    change_url = f"/admin/articles/article/{article.pk}/change/"
    assert f"created {change_url}" in out
    assert "3 key points; 4 headings; 2 lists (3, 2 items); 12 paragraphs" in out
    assert re.search(r"suggested topics: .*India–Russia", out)


def test_suggested_topics_are_only_assigned_when_asked(seed_file, writer, seed_topics):
    ok, out, _ = run_import(seed_file, "--author", writer.username)
    assert ok
    article = Article.objects.get()
    assert article.topics.count() == 0
    suggested = re.search(r"suggested topics: ([^;]+);", out).group(1).split(", ")
    assert {"India–Russia", "S-400", "Strategic Autonomy"} <= set(suggested)
    assert "Brazil" not in suggested


def test_dry_run_says_what_it_would_create_and_changes_nothing(seed_file, seed_topics):
    ok, out, _ = run_import(seed_file, "--dry-run")
    assert ok
    assert Article.objects.count() == 0 and Source.objects.count() == 0
    assert f"would import “{seed_lines()[0]}”" in out
    assert "3 key points; 4 headings; 2 lists (3, 2 items); 12 paragraphs" in out
    assert "S-400" in out


def test_reimporting_a_corrected_file_updates_its_draft(tmp_path, writer):
    path = tmp_path / "copy.txt"
    path.write_text("Ports reopen after the strike\nDockers returned to work on Sunday.\n")
    assert run_import(path, "--author", writer.username)[0]
    path.write_text(
        "Ports reopen after the strike\nKey points:\n- Work resumed.\n"
        "Dockers returned to work on Tuesday, not Monday.\nCargo is moving again.\n"
    )
    ok, out, _ = run_import(path, "--author", writer.username)
    assert ok and ": updated /admin/articles/article/" in out
    article = Article.objects.get()
    assert "Tuesday" in article.body and "Sunday" not in article.body
    assert [point.text for point in article.key_points.all()] == ["Work resumed."]
    assert article.standfirst == "Dockers returned to work on Tuesday, not Monday."


def test_an_article_that_is_no_longer_a_draft_is_never_overwritten(tmp_path, writer):
    live = make_article("Ports reopen after the strike", body="The published text.")
    live.slug = "ports-reopen-after-the-strike"
    live.save()
    path = tmp_path / "copy.txt"
    path.write_text("Ports reopen after the strike\nA different text.\nAnd more of it.\n")
    ok, _, err = run_import(path, "--author", writer.username)
    assert not ok
    assert "is published, not a draft: it was not overwritten" in err
    live.refresh_from_db()
    assert live.body == "The published text." and Article.objects.count() == 1


def test_folders_are_imported_recursively_and_failures_do_not_stop_the_rest(tmp_path, writer):
    (tmp_path / "desk" / "wires").mkdir(parents=True)
    (tmp_path / "desk" / "one.txt").write_text("First story\nIts only paragraph.\nAnd another.\n")
    (tmp_path / "desk" / "wires" / "two.md").write_text("# Second story\n\nA paragraph.\n")
    (tmp_path / "desk" / "three.docx").write_bytes(build_docx("Third story"))
    (tmp_path / "desk" / "empty.txt").write_text("")
    (tmp_path / "desk" / "photo.jpg").write_bytes(b"\xff\xd8\xff")  # not copy: skipped
    ok, out, err = run_import(tmp_path / "desk", "--author", writer.username)
    assert not ok
    assert "empty.txt: failed: The document is empty." in err
    assert "1 of 4 files failed." in err
    assert out.count(": created /admin/articles/article/") == 3
    assert set(Article.objects.values_list("headline", flat=True)) == {
        "First story", "Second story", "Third story",
    }  # fmt: skip


def test_every_file_imported_means_success(tmp_path, writer):
    (tmp_path / "a.txt").write_text("A story\nIts paragraph.\n")
    ok, out, _ = run_import(tmp_path, "--author", writer.username)
    assert ok and out.strip().endswith("Imported 1 file.")


BAD_FILES = [
    ("empty.txt", b"  \n\n", "The document is empty."),
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    ("report.pdf", b"%PDF-1.7", "Unknown file type .pdf: import .txt, .md or .docx"),
    ("old.doc", b"\xd0\xcf\x11\xe0", "Unknown file type .doc (save it as .docx)"),
    ("broken.docx", b"PK\x03\x04 not really a zip", "not a readable Word document"),
    ("points.txt", b"- A bullet first\nThen a paragraph.\n", "No headline"),
    (
        "latin.txt",
        b"Headline\n\x81\x8d\x8f\x90 are not text\n",
        "not UTF-8, UTF-16 or Windows-1252",
    ),
    ("headline-only.txt", b"Just a headline\n", "a headline but nothing after it"),
    ("front.md", b"---\nheadline: [unclosed\n---\nBody\n", "front matter is not valid YAML"),
    ("points.md", b"---\nkey_points: 7\n---\nA\nB\n", "key_points must be a list of text"),
    ("when.md", b"---\npublished_at: soon\n---\nA\n\nB\n", "published_at “soon” is not a date"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_input_gets_one_clear_line_and_changes_nothing(
    tmp_path, writer, name, content, message
):
    path = tmp_path / name
    path.write_bytes(content)
    ok, out, err = run_import(path, "--author", writer.username)
    assert not ok
    failure = [line for line in err.splitlines() if ": failed: " in line]
    assert len(failure) == 1 and message in failure[0]
    assert Article.objects.count() == 0 and Source.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(tmp_path, writer, settings):
    settings.IMPORT_MAX_BYTES = 1000
    path = tmp_path / "long.txt"
    path.write_text("A long story\n" + "Words and more words.\n" * 100)
    ok, _, err = run_import(path, "--author", writer.username)
    assert not ok and "the limit is 0.0 MB" in err
    assert Article.objects.count() == 0


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("cp1252", b"")],
)
def test_text_in_the_usual_encodings_is_read(tmp_path, writer, encoding, prefix):
    copy = "Délégation “arrives” – at last\nThe talks begin on Monday.\nMore follows.\n"
    path = tmp_path / "copy.txt"
    path.write_bytes(prefix + copy.encode(encoding))
    assert run_import(path, "--author", writer.username)[0]
    article = Article.objects.get()
    assert article.headline == "Délégation “arrives” – at last"
    assert "\ufeff" not in article.headline + article.body


def test_word_document_round_trips_headings_lists_bold_italic_and_links(tmp_path, writer):
    path = tmp_path / "corridor.docx"
    path.write_bytes(build_docx(picture=True, comment=True))
    ok, out, err = run_import(path, "--author", writer.username)
    assert ok, err
    article = Article.objects.get()
    assert article.headline == "Corridor talks resume in Delhi"
    assert [point.text for point in article.key_points.all()] == [
        "Officials met for two days.",
        "A timetable is promised by spring.",
    ]
    body = BodyOutline(article.body_html)
    assert body.headings == ["What was agreed", "What comes next"]
    assert body.lists == [["A customs working group", "A shared tariff table", "Monthly reviews"]]
    assert "<strong>New Delhi</strong>" in article.body_html
    assert "<em>steady progress</em>" in article.body_html
    assert '<a href="https://example.org/statement"' in article.body_html
    assert "<img" not in article.body_html and "Check this date" not in article.body
    assert "1 image(s) dropped" in out and "1 comment(s) dropped" in out
    # The short paragraph right after the key points is not taken as the standfirst.
    assert article.standfirst.startswith("The negotiators met in New Delhi")


def test_markdown_front_matter_is_taken_as_written(tmp_path, writer):
    make_topic("Rupee–Rouble Payments")
    colleague = make_editor("anika.rao", first_name="Anika", last_name="Rao")
    path = tmp_path / "payments.md"
    path.write_text(
        "---\n"
        "headline: Payments in rupees and roubles\n"
        "slug: rupee-rouble-explainer\n"
        "standfirst: How the two sides settle trade outside the dollar.\n"
        "topics: [Rupee–Rouble Payments, Invented Topic]\n"
        "authors: [anika.rao]\n"
        "key_points:\n  - Trade is settled in local currencies.\n  - Balances pile up.\n"
        "---\n\n"
        "Russia earns more rupees than it can spend.\n\n## Why it matters\n\n"
        "- **Exporters:** paid on time\n- **Banks:** new accounts\n"
    )
    ok, out, _ = run_import(path, "--author", writer.username)
    assert ok
    article = Article.objects.get(slug="rupee-rouble-explainer")
    assert article.headline == "Payments in rupees and roubles"
    assert article.standfirst == "How the two sides settle trade outside the dollar."
    assert "review it" not in out
    assert [point.text for point in article.key_points.all()] == [
        "Trade is settled in local currencies.",
        "Balances pile up.",
    ]
    assert list(article.authors.all()) == [colleague]
    assert [topic.name for topic in article.topics.all()] == ["Rupee–Rouble Payments"]
    assert not Topic.objects.filter(name="Invented Topic").exists()
    assert "Topics that do not exist were not assigned" in out
    assert "<h2>Why it matters</h2>" in article.body_html


def test_hostile_copy_is_shown_as_text(tmp_path, writer):
    path = tmp_path / "hostile.txt"
    path.write_text(
        "<script>alert('headline')</script> Breaking\n"
        "A first paragraph.\nAnd a second one.\n"
        "- A list item with <img src=x onerror=alert(1)> and [a link](javascript:alert(1)).\n"
    )
    assert run_import(path, "--author", writer.username)[0]
    article = Article.objects.get()
    assert "<script" not in article.body_html and "<img" not in article.body_html
    assert "href" not in article.body_html  # plain-text copy's link syntax is text too
    assert "[a link](javascript:alert(1))" in article.body_html
    assert "&lt;img src=x onerror=alert(1)&gt;" in article.body_html


def test_author_is_required_and_must_exist(seed_file):
    assert run_import(seed_file)[2].endswith("Give --author USERNAME: the drafts go in that "
                                             "person's byline.")  # fmt: skip
    assert "No user called 'nobody'" in run_import(seed_file, "--author", "nobody")[2]
    assert Article.objects.count() == 0


def test_plain_text_conventions_beyond_the_seed(tmp_path, writer):
    path = tmp_path / "wire.txt"
    path.write_text(
        "Caspian ferry link opens\n"
        "By Anika Rao\n"
        "Key takeaways\n"
        "1) Weekly sailings start in May.\n"
        "2) Freight rates are not yet set.\n"
        "The first ferry on the new route left Astrakhan on Friday with a cargo of grain and\n"
        "timber bound for northern Iran, officials at the port said in a short statement\n"
        "\n"
        "Freight forwarders in Mumbai welcomed the news but said rates would decide whether\n"
        "shippers switch from the Suez route, which is longer but far better understood\n"
        "\n"
        "Why Astrakhan?\n"
        "The port is the last Russian harbour with a year-round channel to the south.\n"
        "\n"
        "## What happens next\n"
        "\n"
        "1. Customs rules are to be agreed by June.\n"
        "2. A second vessel joins in the autumn.\n"
    )
    ok, out, err = run_import(path, "--author", writer.username)
    assert ok, err
    article = Article.objects.get()
    assert [point.text for point in article.key_points.all()] == [
        "Weekly sailings start in May.",
        "Freight rates are not yet set.",
    ]
    body = BodyOutline(article.body_html)
    # Hard-wrapped lines are joined back into their paragraphs.
    assert len(body.paragraphs) == 3
    assert (
        body.paragraphs[0].startswith("The first ferry")
        and "grain and timber" in body.paragraphs[0]
    )
    assert body.headings == ["Why Astrakhan?", "What happens next"]
    assert "<ol>" in article.body_html and len(body.lists) == 1 and len(body.lists[0]) == 2
    assert "Anika Rao" not in article.body and "Byline line “By Anika Rao” left out" in out


def test_overlong_key_points_are_refused_rather_than_cut(tmp_path, writer):
    path = tmp_path / "long.txt"
    path.write_text("A headline\nKey points:\n- " + "word " * 120 + "\nA paragraph.\n")
    ok, _, err = run_import(path, "--author", writer.username)
    assert not ok and "Key point 1 is 599 characters long; at most 500" in err
    assert Article.objects.count() == 0
