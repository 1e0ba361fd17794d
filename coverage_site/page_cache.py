"""Serve anonymous readers' public pages from Django's cache, and answer conditional requests.

- Only views marked with `public_page` are cached, only for GET and HEAD, only for readers who
  are not logged in (a request without a session cookie never touches the session table, so a
  cache hit runs no SQL at all).
- Every stored page lives under the current *generation*, a number kept in the cache. Any change
  to content bumps it (see `articles/signals.py`), so every process sharing the cache (Redis)
  sees fresh pages on its next request; old entries simply expire.
- A stored page never outlives the next scheduled publication, so a scheduled article appears on
  time although pages are cached.
- Public pages carry a strong ETag and Last-Modified, answer 304 to matching conditional
  requests, and tell shared caches how long they may keep them.
"""

import time
from datetime import UTC, datetime
from hashlib import md5

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe

GENERATION_KEY = "page-cache:generation"


def public_page(view):
    """Mark a view whose anonymous GET responses may be cached and shared."""
    view.public_page = True
    return view


def current_generation():
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # A fresh (or evicted) counter starts from the clock, never from a number in use before.
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def bump_generation():
    cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def content_changed():
    """Make every cached page stale: now, and again once the change is committed.

    The second bump closes the window in which a request could cache pages built from the data
    as it was just before the commit.
    """
    bump_generation()
    transaction.on_commit(bump_generation)


def seconds_until_next_publication(generation):
    """Seconds until the next scheduled article goes public, or None; remembered per generation."""
    from articles.models import Article

    key = f"page-cache:next-publication:{generation}"
    moment = cache.get(key)
    if moment is None or 0 < moment <= time.time():
        upcoming = Article.objects.next_publication_time()
        moment = upcoming.timestamp() if upcoming else 0
        cache.set(key, moment, timeout=settings.PAGE_CACHE_SECONDS)
    if not moment:
        return None
    return max(0, int(moment - time.time()))


def lifetime(generation):
    """How long something built now may be kept: never past the next scheduled publication."""
    upcoming = seconds_until_next_publication(generation)
    ttl = settings.PAGE_CACHE_SECONDS
    return ttl if upcoming is None else min(ttl, upcoming)


def remember(key, value, ttl):
    """Keep `value` for `ttl` seconds, by this process's clock as well as the cache's."""
    if ttl > 0:
        cache.set(key, {"value": value, "expires": time.time() + ttl}, timeout=ttl)


def recall(key):
    """(value, seconds it has left), or (None, 0) when missing or expired."""
    entry = cache.get(key)
    remaining = entry["expires"] - time.time() if entry is not None else 0
    return (entry["value"], remaining) if remaining > 0 else (None, 0)


def is_anonymous(request):
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return True
    return not request.user.is_authenticated


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        page = getattr(request, "public_page", None)
        if page is None:
            return response
        if not page["anonymous"]:
            patch_vary_headers(response, ["Cookie"])
            patch_cache_control(response, private=True, no_cache=True)
            return response
        if response.status_code != 200 or response.streaming:
            return response  # a 404 today may be an article tomorrow: no shared caching
        if not page["hit"]:
            self.store(request, response)
        return self.finish(request, response)

    def process_view(self, request, view_func, view_args, view_kwargs):
        eligible_view = getattr(view_func, "public_page", False) or getattr(
            getattr(view_func, "view_class", None), "public_page", False
        )
        if not eligible_view or request.method not in ("GET", "HEAD"):
            return None
        anonymous = is_anonymous(request)
        request.public_page = {"anonymous": anonymous, "key": None, "ttl": None, "hit": False}
        if not anonymous or not settings.PAGE_CACHE_ENABLED:
            return None
        generation = current_generation()
        key = f"page-cache:page:{generation}:{request.get_host()}{request.get_full_path()}"
        request.public_page["key"] = key
        cached, remaining = recall(key)
        if cached is None:
            request.public_page["ttl"] = lifetime(generation)
            return None
        request.public_page["ttl"] = int(remaining)
        response = HttpResponse(cached["content"], content_type=cached["content_type"])
        response["Last-Modified"] = cached["last_modified"]
        response["ETag"] = cached["etag"]
        response["X-Page-Cache"] = "hit"
        request.public_page["hit"] = True
        return response

    def store(self, request, response):
        if "ETag" not in response:
            response["ETag"] = f'"{md5(response.content, usedforsecurity=False).hexdigest()}"'
        if "Last-Modified" not in response:
            response["Last-Modified"] = http_date(datetime.now(UTC).timestamp())
        page = request.public_page
        if page["key"] and page["ttl"]:
            entry = {
                "content": response.content,
                "content_type": response["Content-Type"],
                "last_modified": response["Last-Modified"],
                "etag": response["ETag"],
            }
            remember(page["key"], entry, page["ttl"])
            response["X-Page-Cache"] = "miss"

    def finish(self, request, response):
        """Shared-cache headers, then a 304 if the reader already has this version."""
        max_age = settings.PAGE_MAX_AGE
        ttl = request.public_page["ttl"]
        if ttl is not None:
            max_age = min(max_age, ttl)
        patch_cache_control(
            response,
            public=True,
            max_age=max_age,
            s_maxage=min(settings.PAGE_SHARED_MAX_AGE, ttl if ttl is not None else max_age * 10),
            stale_while_revalidate=settings.PAGE_STALE_WHILE_REVALIDATE,
        )
        patch_vary_headers(response, ["Cookie"])
        return get_conditional_response(
            request,
            etag=response["ETag"],
            last_modified=parse_http_date_safe(response["Last-Modified"]),
            response=response,
        )


def cached_fragment(name, build):
    """`build()`'s value, kept for the current generation (and never past the next scheduled
    publication): for parts of pages that change only when content does."""
    generation = current_generation()
    key = f"page-cache:fragment:{generation}:{name}"
    value, remaining = recall(key)
    if remaining:
        return value
    value = build()
    remember(key, value, lifetime(generation))
    return value
