"""Serve anonymous readers' public pages from the shared cache, stale exactly when what they show
changed, and answer conditional requests.

How a page knows it is stale:

- Every page (and every cached fragment of one) names the *keys* of what it shows
  (`articles/cache_keys.py`: `article-42`, `topic-7`, `person-3`, `topic-articles-7`, ...). They go
  out in the `Surrogate-Key` header too, so a CDN can purge exactly what we invalidate.
- Every committed change is written to a *journal* in the cache: a counter (`seq`) goes up by one
  and entry `seq` lists the keys the change touched. A page is stored with the counter's value
  read *before* its data was read; it is fresh as long as no later journal entry names one of its
  keys. A hit therefore costs two cache reads (the page and the counter) whatever the number of
  keys; journal entries never change once written, so each process reads each one only once.
- A change is first written, inside its own transaction, to the database (`PendingInvalidation`);
  after the commit it goes to the journal and the row is deleted. If the cache cannot be reached,
  or the process dies in between, the row stays and is replayed into the journal when the cache
  answers again (at once in a process that saw the outage, within `PAGE_CACHE_REPLAY_SECONDS` in
  any other), so no page that was stale at the time is served afterwards.
- A page never outlives the next scheduled publication, so scheduled articles appear on time.
"""

import json
import logging
import threading
import time
import urllib.request
from collections import OrderedDict
from datetime import UTC, datetime
from hashlib import md5

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe, urlencode
from django.utils.module_loading import import_string

from coverage_site.cache_backends import CacheUnavailable, FailSoftMixin

logger = logging.getLogger("coverage_site.cache")

SEQ_KEY = "page-cache:seq"
# Pages and fragments are stored as dicts; a release that changes their shape bumps this, so a
# deploy never reads entries written by the release before it.
ENTRY_FORMAT = 3
EVERYTHING = "*"
# A reader further behind than this many changes treats its page as stale without looking.
MAX_JOURNAL_GAP = 5000


def public_page(view):
    """Mark a view whose anonymous GET responses may be cached and shared."""
    view.public_page = True
    return view


def depends_on(request, keys):
    """Record that the page being built for `request` shows the things named by `keys`."""
    page = getattr(request, "public_page", None)
    if page is not None:
        page["keys"].update(keys)


# -- The journal of changes -------------------------------------------------------------------


def journal_key(seq):
    return f"page-cache:change:{seq}"


def current_seq():
    """The journal's counter, or None when the cache cannot be reached."""
    seq = cache.get(SEQ_KEY)
    if seq is None:
        # A new (or flushed) counter starts from the clock, so it is ahead of any number in use.
        cache.add(SEQ_KEY, time.time_ns() // 1000, timeout=None)
        seq = cache.get(SEQ_KEY)
    return seq


class JournalReader:
    """This process's copy of journal entries it has read (they never change once written)."""

    def __init__(self):
        self.entries = {}
        self.lock = threading.Lock()

    def changed_keys(self, since, until):
        """The keys changed by entries since+1..until, or {EVERYTHING} if that cannot be known."""
        if until - since > MAX_JOURNAL_GAP:
            return {EVERYTHING}
        wanted = [seq for seq in range(since + 1, until + 1) if seq not in self.entries]
        if wanted:
            found = cache.get_many([journal_key(seq) for seq in wanted])
            for seq in wanted:
                keys = found.get(journal_key(seq))
                if keys is None:  # not written yet, lost, or expired: assume the worst
                    return {EVERYTHING}
                self.entries[seq] = keys
            self.forget_before(until - MAX_JOURNAL_GAP)
        changed = set()
        for seq in range(since + 1, until + 1):
            changed.update(self.entries[seq])
        return changed

    def forget_before(self, seq):
        if len(self.entries) > MAX_JOURNAL_GAP:
            with self.lock:
                for old in [s for s in self.entries if s < seq]:
                    self.entries.pop(old, None)


journal = JournalReader()


def is_fresh(entry, seq_now):
    """True if nothing the cached `entry` depends on changed after it was built."""
    if seq_now is None or entry["seq"] > seq_now:
        return False
    if entry["seq"] == seq_now:
        return True
    changed = journal.changed_keys(entry["seq"], seq_now)
    return EVERYTHING not in changed and changed.isdisjoint(entry["keys"].split())


def record_change(keys):
    """Write one change to the journal; raises CacheUnavailable if the cache cannot be reached."""
    keys = frozenset(keys)
    try:
        seq = cache.incr(SEQ_KEY)
    except ValueError:  # no counter yet
        current_seq()
        seq = cache.incr(SEQ_KEY)
    except Exception as error:
        if isinstance(error, CacheUnavailable):
            raise
        raise CacheUnavailable(str(error)) from error
    # If this write is lost, readers find the entry missing and treat every page as stale.
    cache.set(journal_key(seq), keys, timeout=settings.PAGE_CACHE_SECONDS + 120)
    return seq


def call_purge_hook(keys):
    """Tell a CDN (or anything else) which keys to purge; never lets its failure escape."""
    if settings.PAGE_CACHE_PURGE_HOOK:
        hook = settings.PAGE_CACHE_PURGE_HOOK
    elif settings.PAGE_CACHE_PURGE_URL:
        hook = "coverage_site.page_cache.purge_by_url"
    else:
        return
    try:
        import_string(hook)(sorted(keys))
    except Exception:
        logger.exception("The purge hook %s failed", hook)


def purge_by_url(keys):
    """POST the keys to PAGE_CACHE_PURGE_URL: a `Surrogate-Key` header (space-separated, as
    Fastly's purge API takes it) and a JSON body, with the token as a bearer if one is set."""
    body = json.dumps({"keys": keys}).encode()
    request = urllib.request.Request(settings.PAGE_CACHE_PURGE_URL, data=body, method="POST")
    request.add_header("Content-Type", "application/json")
    request.add_header("Surrogate-Key", " ".join(keys))
    if settings.PAGE_CACHE_PURGE_TOKEN:
        request.add_header("Authorization", f"Bearer {settings.PAGE_CACHE_PURGE_TOKEN}")
    with urllib.request.urlopen(request, timeout=2) as response:
        response.read()


class ChangeBatch:
    """The keys one transaction touched: a row in the database now, the journal after commit."""

    def __init__(self, using):
        from coverage_site.models import PendingInvalidation

        self.using = using
        self.keys = set()
        # In the same transaction as the change: if the commit happens, so does this record.
        self.row = PendingInvalidation.objects.using(using).create(keys=EVERYTHING)

    def deliver(self):
        deliver(self.keys, self.using, pending_pk=self.row.pk)


def note_change(keys, using=DEFAULT_DB_ALIAS):
    """Make the pages that show any of `keys` stale, for every process, once this commits."""
    connection = connections[using]
    if not connection.in_atomic_block:
        deliver(set(keys), using)  # autocommit: the change is committed already
        return
    batch = open_batch(connection)
    if batch is None:
        batch = ChangeBatch(using)
        transaction.on_commit(batch.deliver, using=using)
    batch.keys.update(keys)


def open_batch(connection):
    """The batch this transaction already has, if any (its delivery is waiting for the commit)."""
    for _savepoints, callback, _robust in connection.run_on_commit:
        batch = getattr(callback, "__self__", None)
        if isinstance(batch, ChangeBatch):
            return batch
    return None


def deliver(keys, using, pending_pk=None):
    """Journal a committed change's keys; if the cache cannot take them, keep them in the
    database (the change's own row, or a new one) for the replay once the cache is back."""
    from coverage_site.models import PendingInvalidation

    keys = keys or {EVERYTHING}
    rows = PendingInvalidation.objects.using(using)
    try:
        record_change(keys)
    except CacheUnavailable:
        try:
            if pending_pk is None:
                rows.create(keys=" ".join(sorted(keys)), failed=True)
            else:
                rows.filter(pk=pending_pk).update(keys=" ".join(sorted(keys)), failed=True)
        except DatabaseError:
            logger.exception("Could not record an invalidation for later: %s", keys)
    else:
        if pending_pk is not None:
            try:
                rows.filter(pk=pending_pk).delete()
            except DatabaseError:  # it will be replayed: harmless, only a few more misses
                logger.warning("Could not clear a delivered invalidation", exc_info=True)
    call_purge_hook(keys)


def invalidate_everything(using=DEFAULT_DB_ALIAS):
    """Make every cached page stale (bulk imports send no signals)."""
    note_change({EVERYTHING}, using=using)


class Replayer:
    """Replay invalidations the cache missed: when the cache comes back, and every so often."""

    def __init__(self):
        self.next_check = 0.0
        self.cache_came_back = False

    def due(self):
        return self.cache_came_back or time.monotonic() >= self.next_check

    def replay(self):
        from coverage_site.models import PendingInvalidation

        self.cache_came_back = False
        try:
            rows = list(PendingInvalidation.objects.replayable()[:200])
            self.next_check = time.monotonic() + settings.PAGE_CACHE_REPLAY_SECONDS
        except DatabaseError:
            self.next_check = time.monotonic() + 10 * settings.PAGE_CACHE_REPLAY_SECONDS
            return
        if not rows:
            return
        keys = set().union(*(row.key_set() for row in rows))
        try:
            record_change(keys)
        except CacheUnavailable:
            return
        PendingInvalidation.objects.filter(pk__in=[row.pk for row in rows]).delete()
        logger.warning("Replayed %d invalidation(s) the cache had missed", len(rows))
        call_purge_hook(keys)


replayer = Replayer()


def on_cache_recovery(_backend):
    replayer.cache_came_back = True


FailSoftMixin.recovery_callbacks.append(on_cache_recovery)


# -- Lifetimes --------------------------------------------------------------------------------


def seconds_until_next_publication(seq):
    """Seconds until the next scheduled article goes public, or None."""
    from articles.cache_keys import SCHEDULE
    from articles.models import Article

    key = f"page-cache:{ENTRY_FORMAT}:next-publication"
    entry = cache.get(key)
    moment = None
    if entry is not None and seq is not None and is_fresh(entry, seq):
        moment = entry["value"]
        if 0 < moment <= time.time():
            moment = None
    if moment is None:
        upcoming = Article.objects.next_publication_time()
        moment = upcoming.timestamp() if upcoming else 0
        if seq is not None:
            cache.set(
                key,
                {"value": moment, "seq": seq, "keys": SCHEDULE},
                timeout=settings.PAGE_CACHE_SECONDS,
            )
    if not moment:
        return None
    return max(0, int(moment - time.time()))


def lifetime(seq):
    """How long something built now may be kept: never past the next scheduled publication."""
    upcoming = seconds_until_next_publication(seq)
    ttl = settings.PAGE_CACHE_SECONDS
    return ttl if upcoming is None else min(ttl, upcoming)


def store(key, entry, ttl):
    """Keep `entry` for `ttl` seconds, by this process's clock as well as the cache's."""
    if ttl > 0:
        entry["expires"] = time.time() + ttl
        cache.set(key, entry, timeout=ttl)


def unexpired(entry):
    return entry is not None and entry["expires"] > time.time()


class RecentEntries:
    """This process's copies of the pages (and cards) it lately served or stored, so that a hit
    reads only the journal's counter from the shared cache, not the entry too. A copy is used
    only when the shared journal says nothing it shows has changed (`is_fresh`, as for the shared
    entry), and never while the shared cache cannot be read, so it is never staler than the
    shared cache."""

    def __init__(self, size):
        self.size, self.pages, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        with self.lock:
            entry = self.pages.get(key)
            if entry is not None:
                self.pages.move_to_end(key)
            return entry

    def clear(self):
        with self.lock:
            self.pages.clear()

    def keep(self, key, entry):
        if entry is None:
            return
        with self.lock:
            self.pages[key] = entry
            self.pages.move_to_end(key)
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)


recent_pages = RecentEntries(settings.PAGE_CACHE_RECENT_PAGES)
recent_cards = RecentEntries(10 * settings.PAGE_CACHE_RECENT_PAGES)


# -- Fragments --------------------------------------------------------------------------------


def fragment_key(name):
    return f"page-cache:{ENTRY_FORMAT}:fragment:{name}"


def cached_fragment(request, name, build, keys, *, timeless=False):
    """`build()`'s value, kept until something it shows changes.

    `keys(value)` names what the value shows; they are added to the page's keys too. A value that
    a scheduled publication cannot change (an article's card) is `timeless`: kept for
    PAGE_CACHE_SECONDS without looking up the next publication.
    """
    page = getattr(request, "public_page", None) or {}
    seq = page.get("seq") or page.get("fragment_seq")
    if seq is None:
        # Read once for the page's fragments (a page of cards has twenty): a counter read
        # before a fragment's data can only make it look staler, never fresher.
        seq = page["fragment_seq"] = current_seq()
    key = fragment_key(name)
    # Timeless values are HTML (cards): this process may keep a copy, as of pages.
    entry = recent_cards.get(key) if timeless else None
    if not (unexpired(entry) and is_fresh(entry, seq)):
        entry = cache.get(key)
        if timeless:
            recent_cards.keep(key, entry)
    if unexpired(entry) and is_fresh(entry, seq):
        depends_on(request, entry["keys"].split())
        return entry["value"]
    value = build()
    fragment_keys = frozenset(keys(value))
    depends_on(request, fragment_keys)
    if seq is not None:
        entry = {"value": value, "seq": seq, "keys": " ".join(sorted(fragment_keys))}
        store(key, entry, settings.PAGE_CACHE_SECONDS if timeless else lifetime(seq))
        if timeless:
            recent_cards.keep(key, entry)
    return value


# -- The middleware ---------------------------------------------------------------------------


def is_anonymous(request):
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return True
    return not request.user.is_authenticated


def page_key(request, params):
    """The page's cache key: host, path and only the query parameters the page uses."""
    query = (
        urlencode(sorted((name, request.GET[name]) for name in params if name in request.GET))
        if params and request.GET
        else ""
    )
    address = f"{request.get_host()}{request.path}{'?' if query else ''}{query}"
    return f"page-cache:{ENTRY_FORMAT}:page:{address}"


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        page = getattr(request, "public_page", None)
        if page is None:
            return response
        if page["hit"]:
            return self.finish(request, response)
        if page["keys"]:
            response["Surrogate-Key"] = " ".join(sorted(page["keys"]))
        response["X-Cache"] = "MISS"
        if not page["anonymous"]:
            patch_vary_headers(response, ["Cookie"])
            patch_cache_control(response, private=True, no_cache=True)
            return response
        if response.status_code != 200 or response.streaming:
            return response  # a 404 today may be an article tomorrow: no shared caching
        self.store(request, response)
        return self.finish(request, response)

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_class = getattr(view_func, "view_class", None)
        eligible_view = getattr(view_func, "public_page", False) or getattr(
            view_class, "public_page", False
        )
        if not eligible_view or request.method not in ("GET", "HEAD"):
            return None
        anonymous = is_anonymous(request)
        request.public_page = page = {
            "anonymous": anonymous,
            "key": None,
            "seq": None,
            "ttl": None,
            "hit": False,
            "keys": set(),
        }
        if not anonymous or not settings.PAGE_CACHE_ENABLED:
            return None
        if replayer.due():
            replayer.replay()
        params = getattr(view_class or view_func, "cache_query_params", ())
        page["key"] = key = page_key(request, params)
        seq = cache.get(SEQ_KEY)
        if replayer.due():  # the read just found the cache back after an outage
            replayer.replay()
            seq = cache.get(SEQ_KEY)
        if seq is None:
            seq = current_seq()
        page["seq"] = seq
        entry = recent_pages.get(key)
        if not (unexpired(entry) and is_fresh(entry, seq)):
            entry = cache.get(key)
            recent_pages.keep(key, entry)
        if unexpired(entry) and is_fresh(entry, seq):
            return self.cached_response(page, entry)
        page["ttl"] = lifetime(seq) if seq is not None else 0
        return None

    def cached_response(self, page, entry):
        response = HttpResponse(entry["content"], content_type=entry["content_type"])
        response["Last-Modified"] = entry["last_modified"]
        response["ETag"] = entry["etag"]
        response["X-Cache"] = "HIT"
        response["Age"] = str(max(0, int(time.time() - entry["stored"])))
        if entry["keys"]:
            response["Surrogate-Key"] = entry["keys"]
        page.update(hit=True, ttl=int(entry["expires"] - time.time()))
        return response

    def store(self, request, response):
        if "ETag" not in response:
            response["ETag"] = f'"{md5(response.content, usedforsecurity=False).hexdigest()}"'
        if "Last-Modified" not in response:
            response["Last-Modified"] = http_date(datetime.now(UTC).timestamp())
        page = request.public_page
        if page["key"] and page["ttl"] and page["seq"] is not None:
            entry = {
                "content": response.content,
                "content_type": response["Content-Type"],
                "last_modified": response["Last-Modified"],
                "etag": response["ETag"],
                "stored": time.time(),
                "seq": page["seq"],
                # One string (the Surrogate-Key header's): read back far faster than a set.
                "keys": response.get("Surrogate-Key", ""),
            }
            store(page["key"], entry, page["ttl"])
            recent_pages.keep(page["key"], entry)

    def finish(self, request, response):
        """Shared-cache headers, then a 304 if the reader already has this version."""
        max_age = settings.PAGE_MAX_AGE
        ttl = request.public_page["ttl"]
        if ttl is not None:
            max_age = max(0, min(max_age, ttl))
        s_maxage = min(settings.PAGE_SHARED_MAX_AGE, ttl if ttl is not None else max_age * 10)
        stale = settings.PAGE_STALE_WHILE_REVALIDATE
        if "Cache-Control" in response or "Vary" in response:
            patch_cache_control(
                response,
                public=True,
                max_age=max_age,
                s_maxage=s_maxage,
                stale_while_revalidate=stale,
            )
            patch_vary_headers(response, ["Cookie"])
        else:  # a hit, or a page that set neither: write them directly (the hot path)
            response["Cache-Control"] = (
                f"public, max-age={max_age}, s-maxage={s_maxage}, stale-while-revalidate={stale}"
            )
            response["Vary"] = "Cookie"
        conditional = "If-None-Match" in request.headers or "If-Modified-Since" in request.headers
        if not conditional:
            return response
        return get_conditional_response(
            request,
            etag=response["ETag"],
            last_modified=parse_http_date_safe(response["Last-Modified"]),
            response=response,
        )
