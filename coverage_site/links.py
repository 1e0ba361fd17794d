"""Addresses of the pages named by a slug, without a `reverse()` per link.

A list of twenty cards links each article, its topics and its byline: sixty `reverse()` calls were
a tenth of the page's time. The address is worked out once per URL pattern (and script prefix), and
each slug put in its place; a slug that `reverse()` would quote or refuse still goes through it.
"""

import re
from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
PLACEHOLDER = "slug-placeholder"


@lru_cache(maxsize=64)
def address_around_slug(view_name, prefix, urlconf):
    return reverse(view_name, kwargs={"slug": PLACEHOLDER}, urlconf=urlconf).split(PLACEHOLDER)


def slug_url(view_name, slug):
    """The same as `reverse(view_name, kwargs={"slug": slug})`."""
    if not PLAIN_SLUG.fullmatch(slug):
        return reverse(view_name, kwargs={"slug": slug})
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    before, after = address_around_slug(view_name, get_script_prefix(), urlconf)
    return f"{before}{slug}{after}"
