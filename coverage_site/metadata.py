"""What each public page tells machines: title, description, canonical URL, Open Graph, JSON-LD.

JSON-LD is built here as Python data and serialised with `json.dumps`, never written by hand in
templates.
"""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import mark_safe

from articles.templatetags.coverage import machine_time

# What a </script> or <!-- inside a string would otherwise do to the page.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}

SECTION_KIND_ORDER = [
    "relationship", "country", "event", "doctrine",
    "defence_system", "organisation", "person", "theme",
]  # fmt: skip


def json_ld_script(data):
    """A <script type="application/ld+json"> element holding `data`, safe inside HTML."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def page_metadata(request, *, title, description, path=None, og_type="website", **extra):
    """The `meta` context every public template's <head> is built from."""
    return {
        "title": title,
        "og_title": extra.pop("og_title", title),
        "description": " ".join((description or "").split()),
        "canonical_url": request.build_absolute_uri(path or request.path),
        "og_type": og_type,
        **extra,
    }


def _absolute(request, path):
    return request.build_absolute_uri(path)


def site_logo_url(request):
    logo = settings.SITE_LOGO
    return logo if "://" in logo else _absolute(request, static(logo))


def publisher(request=None):
    data = {"@type": "Organization", "name": settings.SITE_NAME}
    if request is not None:
        data["logo"] = {"@type": "ImageObject", "url": site_logo_url(request)}
    return data


def social_image(request, image, alt=None):
    """Open Graph / Twitter card fields for `image`'s 1200×630 crop, or None."""
    rendition = image.rendition("social") if image else None
    if rendition is None:
        return None
    return {
        "url": _absolute(request, rendition.url),
        "type": rendition.mime_type,
        "width": rendition.width,
        "height": rendition.height,
        "alt": image.alt if alt is None else alt,
    }


def structured_data_images(request, image):
    """The picture in the three shapes search engines ask for (16:9, 4:3, 1:1)."""
    shapes = [image.rendition(shape) for shape in ("ld-16x9", "ld-4x3", "ld-1x1")] if image else []
    return [
        {
            "@type": "ImageObject",
            "url": _absolute(request, rendition.url),
            "width": rendition.width,
            "height": rendition.height,
        }
        for rendition in shapes
        if rendition is not None
    ]


def website_json_ld(request):
    """The site, with the search box search engines can offer."""
    search_url = _absolute(request, reverse("search"))
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": settings.SITE_NAME,
        "url": _absolute(request, reverse("home")),
        "publisher": publisher(request),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search_url}?q={{search_term}}"},
            "query-input": "required name=search_term",
        },
    }


def article_section(topics):
    """The topic that best names the article's section: a relationship before a country…"""
    ranked = sorted(topics, key=lambda topic: SECTION_KIND_ORDER.index(topic.kind))
    return ranked[0].name if ranked else None


def news_article_json_ld(request, article):
    topics = article.sorted_topics
    url = _absolute(request, article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline,
        "description": article.standfirst,
        "datePublished": machine_time(article.published_at),
        "dateModified": machine_time(article.updated_at),
        "author": [
            {"@type": "Person", "name": name, **({"url": _absolute(request, url)} if url else {})}
            for name, url in article.byline
        ],
        "publisher": publisher(request),
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "keywords": [topic.name for topic in topics],
        "about": [
            {
                "@type": "Thing",
                "name": topic.name,
                "url": _absolute(request, topic.get_absolute_url()),
            }
            for topic in topics
        ],
    }
    section = article_section(topics)
    if section:
        data["articleSection"] = section
    images = structured_data_images(request, article.lead_image)
    if images:
        data["image"] = images
    return data


def person_json_ld(request, profile, photo=None):
    """An author page: a ProfilePage about the Person, with their links as sameAs."""
    person = {
        "@type": "Person",
        "name": profile.display_name,
        "url": _absolute(request, profile.get_absolute_url()),
    }
    if profile.role:
        person["jobTitle"] = profile.role
    if profile.bio:
        person["description"] = profile.bio
    if photo:
        person["image"] = _absolute(request, photo.url)
    links = profile.link_list()
    if links:
        person["sameAs"] = links
    person["worksFor"] = publisher(request)
    return {"@context": "https://schema.org", "@type": "ProfilePage", "mainEntity": person}


def breadcrumbs(request, trail):
    """A BreadcrumbList from [(name, path), ...]."""
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": name,
                "item": _absolute(request, path),
            }
            for position, (name, path) in enumerate(trail, start=1)
        ],
    }


def collection_page_json_ld(request, *, name, description, path, trail):
    """A topic (or combined-topic) page: a CollectionPage with its breadcrumb trail."""
    return {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": name,
        "description": description,
        "url": _absolute(request, path),
        "isPartOf": {
            "@type": "WebSite",
            "name": settings.SITE_NAME,
            "url": _absolute(request, "/"),
        },
        "breadcrumb": breadcrumbs(request, trail),
    }


def timeline_json_ld(request, topic, milestones):
    """A topic's timeline: an ItemList of its milestones, in the page's order, each an Event
    with its date to the precision the page shows; a public article about it is its `url`."""
    ascending = topic.timeline_order == "oldest_first"
    elements = []
    for position, milestone in enumerate(milestones, start=1):
        event = {"@type": "Event", "name": milestone.title, "startDate": milestone.machine_date}
        if milestone.sentence:
            event["description"] = milestone.sentence
        element = {"@type": "ListItem", "position": position, "item": event}
        article = milestone.public_article
        if article is not None:
            element["url"] = _absolute(request, article.get_absolute_url())
        elements.append(element)
    return {
        "@context": "https://schema.org",
        "@type": "ItemList",
        "name": f"{topic.name}: timeline",
        "itemListOrder": "https://schema.org/ItemListOrder"
        + ("Ascending" if ascending else "Descending"),
        "numberOfItems": len(elements),
        "itemListElement": elements,
    }
