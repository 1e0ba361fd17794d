"""The admin's import page: paste or upload copy, check what was recognised, create a draft."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article, Source
from tests.browser_forms import form_data
from tests.documents import build_docx, seed_article_bytes, seed_key_points, seed_lines
from tests.factories import make_article, make_draft, make_topic, make_user
from topics.models import Topic

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/articles/article/import/"


@pytest.fixture
def seed_topics(db):
    return [
        make_topic("India–Russia", kind="relationship"),
        make_topic("S-400", kind="defence_system"),
        make_topic("Strategic Autonomy", kind="doctrine"),
    ]


def preview(client, **data):
    response = client.post(IMPORT_URL, data)
    assert response.status_code == 200
    return response


def create_draft(client, preview_response, **changes):
    data = {**form_data(preview_response.text, "create-draft-form"), "create": "Create draft"}
    data.update(changes)
    return client.post(IMPORT_URL, data)


def test_import_url_is_the_article_admins():
    assert reverse("admin:articles_article_import") == IMPORT_URL


@pytest.mark.parametrize("who", ["writer_client", "editor_client"])
def test_article_list_has_an_import_button(request, who):
    client = request.getfixturevalue(who)
    page = client.get(reverse("admin:articles_article_changelist")).text
    assert f'<a href="{IMPORT_URL}" class="addlink">Import</a>' in page
    form = client.get(IMPORT_URL).text
    assert 'name="text"' in form and 'name="file"' in form
    assert 'enctype="multipart/form-data"' in form


def test_writer_pastes_the_seed_copy_sees_what_was_recognised_and_creates_the_draft(
    writer_client, writer, seed_topics
):
    text = seed_article_bytes().decode("utf-8")
    shown = preview(writer_client, text=text)
    page = shown.text
    assert Article.objects.count() == 0  # nothing is saved by the preview
    assert f'<dd class="import-headline">{seed_lines()[0]}</dd>' in page
    points = re.findall(r"<ol class=\"import-key-points\">(.*?)</ol>", page, re.S)[0]
    assert points.count("<li>") == 3
    headings = re.findall(r"<ul class=\"import-headings\">(.*?)</ul>", page, re.S)[0]
    assert headings.count("<li>") == 4
    assert '<dd class="import-lists">3 items, 2 items</dd>' in page
    assert '<dd class="import-paragraphs">12</dd>' in page
    assert "<li>The Guardian</li>" in page
    assert "Drawn from the first paragraph: review it" in page
    for topic in seed_topics:
        checkbox = rf'<input type="checkbox" name="topics" value="{topic.pk}"[^>]*checked'
        assert re.search(checkbox, page)

    # Untick one suggested topic: only the ticked ones are assigned.
    ticked = [str(seed_topics[0].pk), str(seed_topics[1].pk)]
    response = create_draft(writer_client, shown, topics=ticked)
    article = Article.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:articles_article_change", args=[article.pk])
    assert article.status == Article.Status.DRAFT
    assert article.created_by == writer and list(article.authors.all()) == [writer]
    assert [point.text for point in article.key_points.all()] == seed_key_points()
    assert set(article.topics.all()) == set(seed_topics[:2])
    assert list(Source.objects.values_list("publication", flat=True)) == ["The Guardian"]

    opened = writer_client.get(response.url)
    assert opened.status_code == 200
    messages = [str(message) for message in opened.context["messages"]]
    assert any(message.startswith("Imported “") for message in messages)
    assert any("standfirst was drawn from the first paragraph" in m for m in messages)


def test_editor_uploads_a_word_document(editor_client, editor):
    upload = SimpleUploadedFile("corridor.docx", build_docx(picture=True))
    page = preview(editor_client, file=upload).text
    assert "corridor.docx" in page
    assert "1 image(s) dropped" in page
    assert "<strong>New Delhi</strong>" in page  # the body as readers will see it
    again = preview(editor_client, file=SimpleUploadedFile("corridor.docx", build_docx()))
    response = create_draft(editor_client, again)
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.headline == "Corridor talks resume in Delhi"
    assert list(article.authors.all()) == [editor]
    assert "## What was agreed" in article.body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "   "}, "Paste the copy or choose a file to import."),
        ({"text": "- a bullet\nno headline"}, "No headline"),
        (
            {"file": ("report.pdf", b"%PDF-1.7")},
            "report.pdf: Unknown file type .pdf: import .txt, .md or .docx files.",
        ),
        ({"file": ("broken.docx", b"PK\x03\x04oops")}, "not a readable Word document"),
        ({"file": ("binary.txt", b"Head\x00line")}, "binary file"),
        ({"file": ("empty.txt", b"")}, "The submitted file is empty."),
        ({"text": "A headline\nA body.", "file": ("a.txt", b"B\nC")}, "not both"),
    ],
    ids=["nothing", "no-headline", "unknown-type", "broken-docx", "binary", "empty", "both"],
)
def test_bad_input_is_a_form_error_and_saves_nothing(writer_client, data, message):
    data = {
        key: SimpleUploadedFile(*value) if key == "file" else value for key, value in data.items()
    }
    response = writer_client.post(IMPORT_URL, data)
    assert response.status_code == 200
    assert message in response.text.replace("&#x27;", "'")
    assert "create-draft-form" not in response.text
    assert Article.objects.count() == 0


def test_a_file_over_the_limit_is_a_form_error(writer_client, settings):
    settings.IMPORT_MAX_BYTES = 100
    upload = SimpleUploadedFile("long.txt", b"Headline\n" + b"Words. " * 50)
    response = writer_client.post(IMPORT_URL, {"file": upload})
    assert "long.txt is 0.0 MB; the limit is 0.0 MB." in response.text
    assert Article.objects.count() == 0


def test_a_changed_preview_is_refused(writer_client):
    page = preview(writer_client, text="Headline here\nThe body.\nMore body.")
    data = {**form_data(page.text, "create-draft-form"), "create": "Create draft"}
    data["payload"] = data["payload"][:-3] + "abc"
    response = writer_client.post(IMPORT_URL, data)
    assert response.status_code == 200
    assert "This preview has expired or was changed" in response.text
    assert Article.objects.count() == 0


def test_a_preview_made_for_someone_else_is_refused(writer_client, client, editor):
    page = preview(writer_client, text="Headline here\nThe body.\nMore body.")
    client.force_login(editor)
    data = {**form_data(page.text, "create-draft-form"), "create": "Create draft"}
    assert "This preview has expired" in client.post(IMPORT_URL, data).text
    assert Article.objects.count() == 0


def test_reimport_updates_the_writers_own_draft(writer_client, writer):
    first = preview(writer_client, text="Ports reopen\nDockers are back.\nCargo moves.")
    create_draft(writer_client, first)
    second = preview(writer_client, text="Ports reopen\nDockers are back at work.\nCargo moves.")
    assert "“Create draft” updates" in second.text
    response = create_draft(writer_client, second)
    article = Article.objects.get()
    assert response.url == reverse("admin:articles_article_change", args=[article.pk])
    assert article.standfirst == "Dockers are back at work."


def test_writer_cannot_overwrite_a_published_article_or_a_colleagues_draft(writer_client, editor):
    live = make_article("Ports reopen", body="Published text.")
    Article.objects.filter(pk=live.pk).update(slug="ports-reopen")
    page = preview(writer_client, text="Ports reopen\nNew text.\nMore.")
    assert "is published, not a draft: it cannot be overwritten" in page.text
    response = create_draft(writer_client, page)
    assert "not a draft: it was not overwritten" in response.text
    live.refresh_from_db()
    assert live.body == "Published text."

    colleague = make_draft("Talks stall", created_by=editor, authors=[editor], body="Theirs.")
    Article.objects.filter(pk=colleague.pk).update(slug="talks-stall")
    response = create_draft(writer_client, preview(writer_client, text="Talks stall\nMine.\nMore."))
    assert "You can edit only your own articles" in response.text
    colleague.refresh_from_db()
    assert colleague.body == "Theirs."


def test_staff_without_article_permissions_and_anonymous_visitors_cannot_import(client):
    clerk = make_user("clerk")
    clerk.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(clerk)
    assert client.get(IMPORT_URL).status_code == 403
    assert client.post(IMPORT_URL, {"text": "A\nB\nC"}).status_code == 403
    client.logout()
    response = client.get(IMPORT_URL)
    assert response.status_code == 302 and "/admin/login/" in response.url
    assert Article.objects.count() == 0


def test_hostile_copy_is_escaped_in_the_preview(writer_client):
    text = (
        "<script>alert('headline')</script> Breaking\n"
        "<img src=x onerror=alert(1)> first paragraph.\nSecond paragraph.\n"
    )
    page = preview(writer_client, text=text).text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#x27;headline&#x27;)&lt;/script&gt; Breaking" in page


def test_import_never_creates_topics(writer_client):
    make_topic("S-400", kind="defence_system")
    before = Topic.objects.count()
    page = preview(writer_client, text="S-400 deliveries\nThe S-400 arrives.\nAnd India-Russia.")
    create_draft(writer_client, page)
    assert Topic.objects.count() == before
    assert [topic.name for topic in Article.objects.get().topics.all()] == ["S-400"]


def test_pasted_markdown_is_taken_as_markdown(writer_client):
    text = (
        "Talks resume\n\nA standfirst.\n\n"
        "Both sides met on **Monday** in [Delhi](https://example.org).\n\nMore."
    )
    page = preview(writer_client, text=text).text
    assert "<strong>Monday</strong>" in page and '<a href="https://example.org"' in page
