"""What each public page tells machines: title, description, canonical URL, Open Graph, JSON-LD.

JSON-LD is built here as Python data and serialised with `json.dumps`, never written by hand in
templates.
"""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
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


def publisher():
    return {"@type": "Organization", "name": settings.SITE_NAME}


def website_json_ld(request):
    """The site, with the search box search engines can offer."""
    search_url = _absolute(request, reverse("search"))
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": settings.SITE_NAME,
        "url": _absolute(request, reverse("home")),
        "publisher": publisher(),
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
        "author": [{"@type": "Person", "name": name} for name in article.byline_names],
        "publisher": publisher(),
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
    return data


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
