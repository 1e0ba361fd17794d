"""Hostile copy, as an attacker or a careless paste would send it through the admin's own forms.

Control characters, bidi and zero-width characters are removed on the way in; XML surfaces stay
well-formed even for rows stored before that; look-alike topic names are refused; bodies and
formsets that would cost seconds are refused with a clear error, and nothing changes.
"""

import importlib
import time
import xml.etree.ElementTree as ET
from datetime import timedelta
from html.parser import HTMLParser
from io import StringIO

import nh3
import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles import markdown
from articles.markdown import MAX_FORMATTING_CHARACTERS, MAX_LINES, render_markdown
from articles.models import Article, Correction, KeyPoint, Source
from tests.browser_forms import form_data
from tests.factories import make_article, make_topic
from topics.lookalikes import fold_topic_name
from topics.models import Topic

pytestmark = pytest.mark.django_db

CONTROL = "".join(chr(c) for c in [*range(1, 9), 0x0B, 0x0C, 0x0D, *range(0x0E, 0x20), 0x7F])
INVISIBLE = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200c\u200d\u2060\ufeff"


def has_control_characters(text):
    return any(ch in text for ch in CONTROL.replace("\r", "")) or "\x00" in text


def add_article_form(client):
    return form_data(client.get(reverse("admin:articles_article_add")).text, "article_form")


def change_form(client, article):
    url = reverse("admin:articles_article_change", args=[article.pk])
    return url, form_data(client.get(url).text, "article_form")


def parse_xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return ET.fromstring(response.content)


class BalancedHTML(HTMLParser):
    """Fails on an end tag that closes nothing open, and on elements left open."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open[-1:]}"
        self.open.pop()

    def close(self):
        super().close()
        assert not self.open, f"left open: {self.open}"


def assert_balanced(html):
    checker = BalancedHTML()
    checker.feed(html)
    checker.close()


# 1. Control characters


def test_control_characters_never_reach_an_article_or_its_feeds(editor_csrf_client):
    topic = make_topic("India–Russia")
    data = {
        **add_article_form(editor_csrf_client),
        "headline": "Summit\x0b ends\x07 with a deal\x7f",
        "slug": "summit-ends",
        "standfirst": "Rupees\x0b and roubles\x1b, at last.",
        "body": "First\x0b paragraph.\r\n\r\n## Section\x0c\r\n\r\nTab\tand newline\nkept.",
        "topics": [str(topic.pk)],
        "status": "published",
        "key_points-0-position": "1",
        "key_points-0-text": "A point\x0b pasted from Word.",
        "sources-0-position": "1",
        "sources-0-publication": "The\x0b Hindu",
        "sources-0-title": "Report\x1f",
        "sources-0-url": "https://example.com/report",
    }
    response = editor_csrf_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302

    article = Article.objects.get(slug="summit-ends")
    assert article.headline == "Summit ends with a deal"
    assert article.standfirst == "Rupees and roubles, at last."
    assert article.body == "First paragraph.\n\n## Section\n\nTab\tand newline\nkept."
    assert "<h2>Section</h2>" in article.body_html
    assert KeyPoint.objects.get(article=article).text == "A point pasted from Word."
    source = Source.objects.get(article=article)
    assert (source.publication, source.title) == ("The Hindu", "Report")

    client = editor_csrf_client.__class__()  # an anonymous reader
    entries = parse_xml(client, reverse("feed")).iter("{http://www.w3.org/2005/Atom}entry")
    assert [e.findtext("{http://www.w3.org/2005/Atom}title") for e in entries] == [
        "Summit ends with a deal"
    ]
    parse_xml(client, reverse("topic_feed", kwargs={"slug": topic.slug}))
    news = parse_xml(client, reverse("news_sitemap"))
    assert "Summit ends with a deal" in ET.tostring(news, encoding="unicode")


def test_corrections_lose_control_characters(editor_csrf_client):
    article = make_article("Corrected piece")
    url, data = change_form(editor_csrf_client, article)
    data.update(
        {
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-created_at_0": "2026-11-30",
            "corrections-0-created_at_1": "09:00:00",
            "corrections-0-kind": "correction",
            "corrections-0-text": "The\x0b date was wrong.",
        }
    )
    assert editor_csrf_client.post(url, data).status_code == 302
    assert Correction.objects.get(article=article).text == "The date was wrong."


def test_topic_name_and_description_lose_control_and_invisible_characters(editor_csrf_client):
    url = reverse("admin:topics_topic_add")
    data = {
        **form_data(editor_csrf_client.get(url).text, "topic_form"),
        "name": "Black\x0b Sea\u202e",
        "kind": "theme",
        "description": "Where\x1b the fleet\u200b is.",
    }
    assert editor_csrf_client.post(url, data).status_code == 302
    topic = Topic.objects.get()
    assert topic.name == "Black Sea" and topic.slug == "black-sea"
    assert topic.description == "Where the fleet\u200b is."  # prose keeps joiners; no controls


def test_staff_names_from_create_staff_lose_control_characters(monkeypatch):
    monkeypatch.setenv("STAFF_PASSWORD", "a long newsroom password")
    call_command(
        "create_staff", "priya", role="writer", first_name="Pri\x0bya", last_name="\u202eShah",
        stdout=StringIO(),
    )  # fmt: skip
    user = apps.get_model("auth", "User").objects.get(username="priya")
    assert (user.first_name, user.last_name) == ("Priya", "Shah")


def test_rows_stored_before_cleaning_cannot_break_feeds_or_sitemaps(client):
    topic = make_topic("India–Russia")
    article = make_article("Clean for now", topics=[topic], age=timedelta(hours=1))
    with connection.cursor() as cursor:  # as the data was before input was cleaned
        cursor.execute(
            "UPDATE articles_article SET headline = %s, standfirst = %s WHERE id = %s",
            ["Vertical\x0btab", "Bell\x07 and escape\x1b", article.pk],
        )
        cursor.execute(
            "UPDATE topics_topic SET name = %s WHERE id = %s", ["India\x0b–Russia", topic.pk]
        )
    feed = parse_xml(client, reverse("feed"))
    assert (
        feed.find(".//{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}title").text
        == "Verticaltab"
    )
    parse_xml(client, reverse("topic_feed", kwargs={"slug": topic.slug}))
    parse_xml(client, reverse("news_sitemap"))
    parse_xml(client, reverse("sitemap"))

    migration = importlib.import_module("articles.migrations.0010_clean_text_fields")
    migration.clean_existing_text(apps, connection.schema_editor())
    article.refresh_from_db()
    assert (article.headline, article.standfirst) == ("Verticaltab", "Bell and escape")
    topics_migration = importlib.import_module("topics.migrations.0005_fold_names_and_aliases")
    topics_migration.fold_existing_names(apps, connection.schema_editor())
    topic.refresh_from_db()
    assert topic.name_key == fold_topic_name("India–Russia") == "indiarussia"


# 9. Invisible and look-alike characters


def test_bidi_and_zero_width_characters_leave_headlines_and_slugs(editor_csrf_client):
    data = {
        **add_article_form(editor_csrf_client),
        "headline": "\u202eSummit\u200b ends\u2066 here\u2069\ufeff",
        "slug": "summit\u200b-ends\u2060",
        "standfirst": "A standfirst.",
        "status": "draft",
    }
    assert editor_csrf_client.post(reverse("admin:articles_article_add"), data).status_code == 302
    article = Article.objects.get()
    assert (article.headline, article.slug) == ("Summit ends here", "summit-ends")


@pytest.mark.parametrize(
    "lookalike",
    ["Ѕ-400", "S‐400", "S-\u200b400", "s-4OO", "S\u2011400"],
    ids=["cyrillic-dze", "unicode-hyphen", "zero-width-space", "letter-o-for-zero", "nb-hyphen"],
)
def test_topic_that_looks_like_an_existing_one_is_refused_naming_it(editor_csrf_client, lookalike):
    existing = make_topic("S-400", kind="defence_system")
    url = reverse("admin:topics_topic_add")
    data = {
        **form_data(editor_csrf_client.get(url).text, "topic_form"),
        "name": lookalike,
        "kind": "defence_system",
    }
    response = editor_csrf_client.post(url, data)
    assert response.status_code == 200
    assert "the existing topic “S-400”" in response.text or "already a topic named “S-400”" in (
        response.text
    )
    assert "is violated" not in response.text
    assert list(Topic.objects.all()) == [existing]


def test_renaming_a_topic_into_a_lookalike_is_refused(editor_csrf_client):
    make_topic("Russia", kind="country")
    other = make_topic("Belarus", kind="country")
    url = reverse("admin:topics_topic_change", args=[other.pk])
    data = {**form_data(editor_csrf_client.get(url).text, "topic_form"), "name": "Ruѕѕia"}
    response = editor_csrf_client.post(url, data)
    assert response.status_code == 200 and "the existing topic “Russia”" in response.text
    other.refresh_from_db()
    assert other.name == "Belarus"


def test_distinct_names_in_other_scripts_are_not_lookalikes():
    names = ["Россия", "Russia", "中国", "India–Russia", "India", "Café", "Cafe", "S-300", "S-400"]
    keys = [fold_topic_name(name) for name in names]
    assert len(set(keys)) == len(names)
    assert fold_topic_name("Ѕ-400") == fold_topic_name("S‐400") == fold_topic_name("s-400")


# 8. Expensive copy


def test_body_over_the_size_cap_is_refused_and_nothing_saved(editor_csrf_client, settings):
    settings.ARTICLE_BODY_MAX_CHARS = 1_000
    article = make_article("Short piece", body="Short body.")
    url, data = change_form(editor_csrf_client, article)
    data["body"] = "x" * 1_005
    response = editor_csrf_client.post(url, data)
    assert response.status_code == 200
    assert "The body is 1,005 characters long; the limit is 1,000" in response.text
    article.refresh_from_db()
    assert article.body == "Short body."


def test_one_megabyte_of_link_openers_is_refused_quickly(writer_csrf_client):
    data = {
        **add_article_form(writer_csrf_client),
        "headline": "Pathological",
        "slug": "pathological",
        "standfirst": "A standfirst.",
        "body": "[x](" * 250_000,
        "status": "draft",
    }
    started = time.perf_counter()
    response = writer_csrf_client.post(reverse("admin:articles_article_add"), data)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200 and "the limit is 200,000" in response.text
    assert not Article.objects.exists()
    assert elapsed < 2.0, f"refusing took {elapsed:.2f} s"


@pytest.mark.parametrize("unit", ["*[", "[", "![", "**a", "1. ![\n", "- *a_\n", "# a\n", "`a"])
def test_densest_body_within_the_limits_renders_well_under_a_second(unit):
    count = min(
        MAX_FORMATTING_CHARACTERS // max(1, len(markdown.FORMATTING_CHARACTERS.findall(unit))),
        (MAX_LINES - 1) // unit.count("\n") if "\n" in unit else 10**9,
    )
    body = unit * count
    body += "word " * ((200_000 - len(body)) // 5)
    assert markdown.complexity_refusal(body) is None
    started = time.perf_counter()
    render_markdown(body)
    assert time.perf_counter() - started < 0.9


def test_too_intricate_body_is_refused_with_the_reason(writer_csrf_client):
    data = {
        **add_article_form(writer_csrf_client),
        "headline": "Brackets",
        "slug": "brackets",
        "standfirst": "A standfirst.",
        "body": "*[" * 6_000,
        "status": "draft",
    }
    response = writer_csrf_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert "12,000 formatting characters" in response.text
    assert not Article.objects.exists()


def test_body_stored_past_the_limits_by_another_door_renders_as_plain_text():
    article = make_article("Imported", body="[x](" * 50_000)
    assert article.body_html.startswith("<p>[x](")
    assert "<a" not in article.body_html


def test_formset_claiming_a_hundred_thousand_rows_is_refused_before_it_is_built(
    editor_csrf_client,
):
    article = make_article("Has points", key_points=["One.", "Two."])
    url, data = change_form(editor_csrf_client, article)
    data["key_points-TOTAL_FORMS"] = "100000"
    started = time.perf_counter()
    response = editor_csrf_client.post(url, data)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    assert "Please submit at most 20 forms." in response.text
    assert elapsed < 2.0, f"refusing took {elapsed:.2f} s"
    assert [point.text for point in article.key_points.all()] == ["One.", "Two."]


# Properties: whatever an editor can save renders to well-formed HTML and XML.

editor_text = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_categories=["Cs"]),
        st.sampled_from(list(CONTROL + INVISIBLE + "[]()*_`#>-!<&\"'\n\t")),
    ),
    max_size=300,
)
PROPERTY_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@PROPERTY_SETTINGS
@given(headline=editor_text, standfirst=editor_text, body=editor_text, point=editor_text)
def test_any_saved_text_renders_to_well_formed_html_and_xml(
    client, page_cache_off, headline, standfirst, body, point
):
    Article.objects.all().delete()
    article = Article(
        headline=headline[:200],
        slug="any-text",
        standfirst=standfirst,
        body=body,
        status=Article.Status.PUBLISHED,
    )
    try:
        article.full_clean()
    except ValidationError:
        return  # refused with a form error: nothing to render
    article.save()
    article.refresh_from_db()
    if point.strip():
        KeyPoint.objects.create(article=article, text=point, position=1)
    for text in (article.headline, article.standfirst, article.body, article.body_html):
        assert not has_control_characters(text)
    assert not any(ch in article.headline for ch in INVISIBLE)

    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    assert not has_control_characters(page.content.decode().replace("\r", ""))
    assert_balanced(article.body_html)
    html = page.content.decode()
    assert_balanced(html[html.index("<body>") + len("<body>") : html.index("</body>")])
    for url in (reverse("feed"), reverse("news_sitemap"), reverse("sitemap")):
        parse_xml(client, url)


@PROPERTY_SETTINGS
@given(name=editor_text, description=editor_text, first_name=editor_text)
def test_any_topic_or_byline_name_keeps_feeds_well_formed(
    client, page_cache_off, writer, name, description, first_name
):
    Topic.objects.all().delete()
    topic = Topic(name=name[:100], description=description, kind="theme")
    try:
        topic.full_clean()
    except ValidationError:
        return  # refused with a form error (empty, or too long once cleaned)
    topic.save()
    writer.first_name = first_name[:150]
    writer.save()
    writer.refresh_from_db()
    topic.refresh_from_db()
    assert not any(has_control_characters(text) for text in (topic.name, topic.description))
    assert not any(ch in topic.name + writer.first_name for ch in INVISIBLE)
    Article.objects.all().delete()
    make_article(topics=[topic], authors=[writer])
    for url in (reverse("feed"), reverse("topic_feed", kwargs={"slug": topic.slug})):
        feed = parse_xml(client, url)
        categories = [c.get("term") for c in feed.iter("{http://www.w3.org/2005/Atom}category")]
        assert categories == [topic.name]
    page = client.get(topic.get_absolute_url())
    assert page.status_code == 200
    assert not has_control_characters(page.content.decode().replace("\r", ""))


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.one_of(
            st.characters(codec="utf-8", exclude_categories=["Cs"]),
            st.sampled_from(list("[]()*_`#>-!<>&\"'\n :/javascript")),
        ),
        max_size=400,
    )
)
def test_sanitised_body_is_a_fixed_point_of_the_sanitiser(source):
    html = render_markdown(source)
    again = nh3.clean(
        html,
        tags=markdown.ALLOWED_TAGS,
        attributes=markdown.ALLOWED_ATTRIBUTES,
        url_schemes=markdown.ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    assert again == html
    assert not has_control_characters(html)
    assert_balanced(html)
