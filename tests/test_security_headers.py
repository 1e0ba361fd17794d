"""Headers and methods an attacker probes: CSP and Permissions-Policy everywhere, nothing inline
on public pages, no caching of 404s or searches, 405 for unused methods, quiet logs for forged
hosts, and `check --deploy` clean on the README's production recipe."""

import logging
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import make_article, make_topic

pytestmark = pytest.mark.django_db

REQUIRED_CSP = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
]


@pytest.fixture
def site():
    topic = make_topic("India–Russia", description="Two old partners.")
    article = make_article(
        "Summit ends with a deal", topics=[topic], body="## Section\n\nText with *emphasis*."
    )
    return {"article": article, "topic": topic}


def public_urls(site):
    return [
        "/",
        site["article"].get_absolute_url(),
        site["topic"].get_absolute_url(),
        reverse("topics:index"),
        reverse("search") + "?q=summit",
    ]


def assert_policies(response):
    policy = response["Content-Security-Policy"]
    for directive in REQUIRED_CSP:
        assert directive in policy, (directive, policy)
    assert "unsafe-inline" not in policy and "nonce-" not in policy
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_every_kind_of_response_carries_csp_and_permissions_policy(client, editor_client, site):
    urls = [
        *public_urls(site),
        reverse("feed"),
        reverse("sitemap"),
        reverse("robots_txt"),
        "/no-such-page/",
    ]
    for url in urls:
        assert_policies(client.get(url))
        assert_policies(client.get(url))  # from the page cache too
    for url in (reverse("admin:login"), reverse("admin:articles_article_add")):
        assert_policies(editor_client.get(url))


def test_public_pages_have_no_inline_script_or_style(client, site):
    for url in public_urls(site):
        html = client.get(url).text
        for script in re.findall(r"<script\b[^>]*>", html):
            assert 'type="application/ld+json"' in script, (url, script)
        assert "<style" not in html, url
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r"\son[a-z]+=", html), url


def test_cached_public_page_is_byte_identical_for_every_reader(client, site):
    url = site["article"].get_absolute_url()
    first, second = client.get(url), client.get(url)
    assert second["X-Cache"] == "HIT"
    assert first.content == second.content
    assert first["Content-Security-Policy"] == second["Content-Security-Policy"]


def test_not_found_and_search_are_never_stored(client, site):
    for url in ("/no-such-page/", "/articles/not-yet/", "/topics/unknown/feed/"):
        response = client.get(url)
        assert response.status_code == 404
        assert "no-store" in response["Cache-Control"], url
    for query in ("summit", "x" * 501):
        response = client.get(reverse("search"), {"q": query})
        assert response.status_code in (200, 400)
        assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("method", ["trace", "post", "put", "delete", "patch"])
def test_unused_methods_on_feeds_and_sitemaps_answer_405(client, site, method):
    urls = [
        reverse("feed"),
        reverse("topic_feed", kwargs={"slug": site["topic"].slug}),
        reverse("sitemap"),
        reverse("news_sitemap"),
        reverse("robots_txt"),
    ]
    for url in urls:
        assert getattr(client, method)(url).status_code == 405, url


def test_a_forged_host_is_logged_in_one_line_without_a_traceback(client, caplog):
    with caplog.at_level(logging.ERROR, logger="django.security.DisallowedHost"):
        response = client.get("/", HTTP_HOST="attacker.example")
    assert response.status_code == 400
    records = [r for r in caplog.records if r.name == "django.security.DisallowedHost"]
    assert len(records) == 1
    assert records[0].exc_info is None and "attacker.example" in records[0].getMessage()
    formatted = logging.Formatter().format(records[0])
    assert "\n" not in formatted and "Traceback" not in formatted


def test_deploy_check_passes_with_the_readmes_production_environment():
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "1",
        "DJANGO_ALLOWED_HOSTS": "news.example.org",
        "DJANGO_CSRF_TRUSTED_ORIGINS": "https://news.example.org",
    }
    project = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (2 silenced)" in result.stdout
