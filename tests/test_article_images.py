"""Pictures on the public site: the lead figure, body figures (`image:ID`), card thumbnails,
social cards, JSON-LD images and the feed's enclosures."""

import io
import json
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from PIL import Image as PILImage

from articles.models import Article
from tests.browser_forms import form_data
from tests.factories import make_article, make_draft, make_image, make_topic, make_user

pytestmark = pytest.mark.django_db


class Pictures(HTMLParser):
    """Every <picture>'s sources and img, every <figure>'s caption text, and <head> metadata."""

    def __init__(self):
        super().__init__()
        self.pictures, self.meta, self.json_ld, self.figcaptions = [], {}, [], []
        self._in = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "picture":
            self.pictures.append({"sources": []})
        elif tag == "source" and self.pictures:
            self.pictures[-1]["sources"].append(attrs)
        elif tag == "img" and self.pictures and "img" not in self.pictures[-1]:
            self.pictures[-1]["img"] = attrs
        elif tag == "meta" and (attrs.get("property") or attrs.get("name")):
            self.meta.setdefault(attrs.get("property") or attrs.get("name"), attrs.get("content"))
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in = "json"
            self.json_ld.append("")
        elif tag == "figcaption":
            self._in = "figcaption"
            self.figcaptions.append("")

    def handle_endtag(self, tag):
        if tag in ("script", "figcaption"):
            self._in = None

    def handle_data(self, data):
        if self._in == "json":
            self.json_ld[-1] += data
        elif self._in == "figcaption":
            self.figcaptions[-1] += data


def pictures(client, url):
    response = client.get(url)
    assert response.status_code == 200
    parser = Pictures()
    parser.feed(response.text)
    parser.html = response.text
    return parser


def fetch(client, url):
    """GET a rendition URL (absolute or not); return (response, decoded Pillow image)."""
    response = client.get(re.sub(r"^https?://testserver", "", url))
    assert response.status_code == 200, url
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, PILImage.open(io.BytesIO(body))


def srcset_urls(srcset):
    return [(url, int(width[:-1])) for url, width in (part.split() for part in srcset.split(", "))]


@pytest.fixture
def photo():
    return make_image(
        1920,
        1280,
        alt_text="Leaders at Hyderabad House",
        credit="Anna Petrova / Agency",
        caption="Library caption",
    )


@pytest.fixture
def illustrated(photo):
    topic = make_topic("India–Russia", kind="relationship")
    author = make_user("anika", first_name="Anika", last_name="Rao", is_staff=False)
    return make_article(
        "Putin in Delhi", lead_image=photo, lead_image_caption="The welcome at Hyderabad House",
        topics=[topic], authors=[author],
    )  # fmt: skip


def test_lead_figure_is_a_responsive_picture_whose_every_size_exists(client, illustrated):
    page = pictures(client, illustrated.get_absolute_url())
    lead = page.pictures[0]
    img = lead["img"]
    assert img["alt"] == "Leaders at Hyderabad House"
    assert img["fetchpriority"] == "high" and "loading" not in img
    assert abs(int(img["width"]) / int(img["height"]) - 1.5) < 0.01  # 3:2, no layout shift
    [source] = lead["sources"]
    assert source["type"] == "image/avif" and source["sizes"] == img["sizes"]
    for srcset, mime in ((img["srcset"], "image/jpeg"), (source["srcset"], "image/avif")):
        candidates = srcset_urls(srcset)
        assert [width for _, width in candidates] == [320, 640, 960, 1280, 1920]
        for url, width in candidates:
            response, decoded = fetch(client, url)
            assert response["Content-Type"] == mime
            assert decoded.size == (width, round(width * 2 / 3))
    assert "The welcome at Hyderabad House" in page.figcaptions[0]
    assert "Anna Petrova / Agency" in page.figcaptions[0]


def test_without_its_own_caption_the_lead_uses_the_librarys(client, photo):
    article = make_article(lead_image=photo)
    assert "Library caption" in pictures(client, article.get_absolute_url()).figcaptions[0]


def test_social_card_is_the_1200_by_630_crop_with_alt_text(client, illustrated):
    meta = pictures(client, illustrated.get_absolute_url()).meta
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["og:image:alt"] == "Leaders at Hyderabad House"
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
    assert meta["og:image"].startswith("http://testserver/media/renditions/")
    response, decoded = fetch(client, meta["og:image"])
    assert decoded.size == (1200, 630) and response["Content-Type"] == meta["og:image:type"]


def test_the_home_page_shares_its_lead_storys_social_card(client, illustrated):
    meta = pictures(client, "/").meta
    assert meta["twitter:card"] == "summary_large_image"
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
    assert meta["og:image:alt"] == "Leaders at Hyderabad House"
    response, decoded = fetch(client, meta["og:image"])
    assert decoded.size == (1200, 630)


def test_article_without_a_picture_keeps_the_small_card(client):
    meta = pictures(client, make_article().get_absolute_url()).meta
    assert meta["twitter:card"] == "summary" and "og:image" not in meta


def test_json_ld_offers_the_three_shapes_and_the_publisher_logo(client, illustrated):
    page = pictures(client, illustrated.get_absolute_url())
    [data] = [json.loads(text) for text in page.json_ld]
    sizes = []
    for image in data["image"]:
        _, decoded = fetch(client, image["url"])
        assert decoded.size == (image["width"], image["height"])
        sizes.append(decoded.size)
    assert sizes == [(1200, 675), (1200, 900), (1200, 1200)]
    logo = client.get(data["publisher"]["logo"]["url"].replace("http://testserver", ""))
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"


def test_cards_show_thumbnails_lazily_on_every_list(client, illustrated, photo):
    make_article("Second story", topics=illustrated.topics.all(), lead_image=photo)
    pages = [
        "/",
        illustrated.topics.get().get_absolute_url(),
        illustrated.authors.get().profile.get_absolute_url(),
        reverse("search") + "?q=Putin",
        make_article("Third", topics=illustrated.topics.all()).get_absolute_url(),
    ]
    thumbnail = photo.rendition("wide", "jpeg", 320).url
    for url in pages:
        page = pictures(client, url)
        cards = [p["img"] for p in page.pictures if p["img"].get("loading") == "lazy"]
        assert any(thumbnail in img["srcset"] for img in cards), url
        assert all(img["alt"] == "" for img in cards), url  # the headline says it


def test_home_lead_story_image_loads_first(client, illustrated):
    page = pictures(client, "/")
    assert page.pictures[0]["img"]["fetchpriority"] == "high"


def body_figure_article(body, **fields):
    return make_article("With figures", body=body, **fields)


def test_image_reference_in_the_body_becomes_a_figure_with_credit(client, photo):
    article = body_figure_article(
        f'Before.\n\n![Missiles on parade](image:{photo.pk} "The S-400 in Moscow")\n\nAfter.'
    )
    page = pictures(client, article.get_absolute_url())
    body = page.html[page.html.index('class="article-body"') :]
    assert '<figure class="figure">' in body
    assert " ".join(page.figcaptions[-1].split()) == "The S-400 in Moscow Anna Petrova / Agency"
    figure = page.pictures[-1]["img"]
    assert figure["alt"] == "Missiles on parade" and figure["loading"] == "lazy"
    assert [w for _, w in srcset_urls(figure["srcset"])] == [640, 1280]
    assert body.index("Before.") < body.index("<figure") < body.index("After.")
    assert list(photo.figure_links.values_list("article", flat=True)) == [article.pk]


def test_unknown_or_inline_image_references_do_not_break_the_page(client, photo):
    article = body_figure_article(
        f"![gone](image:999999)\n\nText with ![an inline picture](image:{photo.pk}) inside."
    )
    html = client.get(article.get_absolute_url()).text
    body = html[html.index('class="article-body"') :]
    assert "<figure" not in body and "image:" not in body
    assert "Text with an inline picture inside." in body


def test_hostile_words_around_a_figure_are_escaped_and_markers_cannot_be_forged(client):
    image = make_image(alt_text='"><script>alert(1)</script>', credit="<b onclick=x>Agency</b>")
    article = body_figure_article(
        f'![<img src=x onerror=alert(2)>](image:{image.pk} "<svg onload=alert(3)>")\n\n'
        "coverage-figure-0000000000000000-0\n\n<p>coverage-figure-x-0</p>"
    )
    html = client.get(article.get_absolute_url()).text
    body = html[html.index('class="article-body"') :]
    assert "<script" not in body and "<svg" not in body and "<b " not in body
    assert "onerror=alert(2)" not in body.replace("&lt;img src=x onerror=alert(2)&gt;", "")
    assert "&lt;svg onload=alert(3)&gt;" in body
    assert body.count("<figure") == 1


def test_editing_a_library_image_updates_the_figures_that_show_it(photo):
    article = body_figure_article(f"![x](image:{photo.pk})")
    photo.credit = "Corrected Credit / Agency"
    photo.save()
    assert "Corrected Credit / Agency" in Article.objects.get(pk=article.pk).body_html


def test_feed_links_each_lead_image_as_an_enclosure(client, illustrated, photo):
    text = client.get(reverse("feed")).text
    [enclosure] = re.findall(r'<link [^>]*rel="enclosure"[^>]*>', text)
    rendition = photo.rendition("wide", "jpeg", 1280)
    assert f'href="http://testserver{rendition.url}"' in enclosure
    assert f'length="{rendition.size}"' in enclosure and 'type="image/jpeg"' in enclosure


def test_a_drafts_lead_image_is_on_no_public_page(client, photo):
    make_draft("Secret draft", lead_image=make_image(alt_text="Draft-only picture"))
    for url in ("/", reverse("feed"), reverse("search") + "?q=Secret"):
        assert "Draft-only picture" not in client.get(url).text


def article_form(client, url=None, **changes):
    html = client.get(url or reverse("admin:articles_article_add")).text
    return {**form_data(html, "article_form"), **changes}


def test_writer_picks_a_lead_image_and_caption_in_the_article_form(writer_client, photo):
    form = article_form(writer_client)
    assert "pinned_until" not in form  # only editors choose the lead story
    response = writer_client.post(
        reverse("admin:articles_article_add"),
        {
            **form,
            "headline": "With a picture",
            "slug": "with-a-picture",
            "standfirst": "A standfirst.",
            "lead_image": str(photo.pk),
            "lead_image_caption": "Our own caption",
            "pinned_until_0": "2099-01-01",
            "pinned_until_1": "10:00",
        },
    )
    assert response.status_code == 302, response.context["adminform"].errors
    article = Article.objects.get(slug="with-a-picture")
    assert article.lead_image == photo and article.lead_image_caption == "Our own caption"
    assert article.pinned_until is None
