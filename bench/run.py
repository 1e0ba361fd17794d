"""`make bench`: load a seeded archive, served as in production, and compare pages to the floor.

Standard library only; Django runs in the subprocesses (manage.py, gunicorn), except `probe()`,
which `manage.py shell` calls to count each page's SQL queries. See bench/README.md.
"""

import argparse
import bisect
import http.client
import io
import json
import os
import platform
import random
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager, redirect_stdout
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench-results"
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"  # the only address this script ever sends a request to
WORKERS = 2
TOPICS = 300
PRIMING_REQUESTS = 3
DEEP_PAGE = 50  # of the hot topic, or its last page in a smaller archive


def env_int(name, default):
    return int(os.environ.get(name) or default)


def manage(env, *args):
    """Run a manage.py command; stop the benchmark with its output if it fails."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(f"manage.py {args[0]} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def base_env(database_url, static_root):
    """The environment of every subprocess: the bench database, a throwaway key, the floor."""
    env = dict(os.environ)
    for name in ("DJANGO_HTTPS", "GUNICORN_THREADS", "REDIS_URL", "DJANGO_DEBUG"):
        env.pop(name, None)
    if os.environ.get("BENCH_REDIS_URL"):
        env["REDIS_URL"] = os.environ["BENCH_REDIS_URL"]
        env["CACHE_KEY_PREFIX"] = f"bench-{secrets.token_hex(4)}"
    cache_dir = RESULTS / "bench-cache"
    shutil.rmtree(cache_dir, ignore_errors=True)
    env.update(
        CACHE_DIR=str(cache_dir),
        DATABASE_URL=database_url,
        DJANGO_SECRET_KEY=secrets.token_urlsafe(40),
        DJANGO_STATIC_ROOT=static_root,
        DJANGO_ALLOWED_HOSTS=f"{HOST},testserver",
        DJANGO_LOG_LEVEL="WARNING",
        COVERAGE_BENCH_FLOOR="1",
        DJANGO_PAGE_CACHE="off",
    )
    return env


def postgres_database(articles, reuse):
    """`bench_<articles>` on the PostgreSQL server of BENCH_POSTGRES_URL: kept with `reuse` (made
    if missing), otherwise dropped and made afresh, so a schema left by an older run never meets
    this run's migrations."""
    server = os.environ.get("BENCH_POSTGRES_URL") or "postgres://postgres@127.0.0.1:5432/"
    server = server if server.endswith("/") else server + "/"
    return fresh_postgres_database(server, f"bench_{articles}", reuse)


def fresh_postgres_database(server, name, reuse):
    """Make database `name` on `server` (a URL ending in "/"); drop it first unless `reuse`."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        sys.exit(f"Not a database name this script makes: {name!r}")
    create = (
        "import sys, psycopg\n"
        "server, name, reuse = sys.argv[1:]\n"
        "with psycopg.connect(server + 'postgres', autocommit=True) as db:\n"
        "    found = 'SELECT 1 FROM pg_database WHERE datname = %s'\n"
        "    exists = db.execute(found, [name]).fetchone()\n"
        "    if exists and reuse != '1':\n"
        "        db.execute('DROP DATABASE ' + name)\n"
        "        print('dropped')\n"
        "    if not exists or reuse != '1':\n"
        "        db.execute('CREATE DATABASE ' + name)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", create, server, name, "1" if reuse else "0"],
        capture_output=True,
        text=True,
    )
    if result.returncode:
        sys.exit(f"Could not reach, drop or create PostgreSQL database {name}:\n{result.stderr}")
    if "dropped" in result.stdout:
        print(f"Dropped database {name} and created it afresh (--reuse keeps it).", flush=True)
    return f"{server}{name}"


def given_database(url, reuse):
    """BENCH_DATABASE_URL. A PostgreSQL database named bench_… is treated as `--database postgres`
    treats its own (dropped and made afresh unless `reuse`); any other is used as it is, and
    seed_bench refuses it if it holds anything seed_bench did not make."""
    server, _, name = url.rpartition("/")
    if url.startswith(("postgres://", "postgresql://")) and name.startswith("bench_"):
        return fresh_postgres_database(server + "/", name, reuse)
    return url


def sqlite_database(articles, reuse):
    path = RESULTS / f"bench-{articles}.sqlite3"
    if not reuse:
        for leftover in RESULTS.glob(f"{path.name}*"):
            leftover.unlink()
    return f"sqlite:///{path}"


def seeded_articles(env):
    """How many articles seed_bench left in the database (0 if none, or not migrated)."""
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "--verbosity", "0", "--command",
         "from articles.models import Article; "
         "print(Article.objects.filter(slug__startswith='bench-').count())"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    return int(out.stdout.strip() or 0) if out.returncode == 0 else 0


def probe():
    """Inside Django: pick the pages to load and count each one's SQL queries, cache off."""
    import sqlite3

    import django
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article
    from topics.models import Topic
    from topics.views import TopicDetailView

    article = Article.objects.published().newest_first().first()
    hot = Topic.objects.with_published_counts().order_by("-published_count").first()
    deep = min(DEEP_PAGE, -(-hot.published_count // TopicDetailView.paginate_by))
    pages = {
        "floor": "/bench/floor/",
        "floor 24 KB": "/bench/floor/?bytes=24576",
        "home": "/",
        "article": article.get_absolute_url(),
        "hot topic": hot.get_absolute_url(),
        f"topic page {deep}": f"{hot.get_absolute_url()}?page={deep}",
        "topics": "/topics/",
        "search": f"/search/?{urlencode({'q': hot.name.split()[0]})}",
        "feed": "/feed/",
    }
    client, found = Client(), []
    for name, path in pages.items():
        client.get(path)  # the first request of a process may fill caches of its own
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        found.append(
            {"page": name, "path": path, "status": response.status_code, "queries": len(queries)}
        )
    if connection.vendor == "sqlite":
        database = f"SQLite {sqlite3.sqlite_version}"
    else:
        major, minor = divmod(connection.pg_version, 10000)
        database = f"PostgreSQL {major}.{minor}"
    info = {
        "pages": found,
        "hot_topic": {"name": hot.name, "published_articles": hot.published_count},
        "public_articles": Article.objects.published().count(),
        "database": database,
        "django": django.get_version(),
    }
    Path(os.environ["BENCH_PROBE_OUT"]).write_text(json.dumps(info))


# The search table's reference queries: a rare word (the least used of these that the archive has),
# a two-word phrase (the most used of these topic names), and a word found in about two thirds of
# the articles.
RARE_WORD_CANDIDATES = ["Panchsheel", "Chabahar", "Zircon", "Kinzhal", "Arjun", "Kazakhstan"]
PHRASE_CANDIDATES = ["Iron Dome", "Strategic Autonomy", "Cold Start", "Act East", "Black Sea"]
PHRASE_FALLBACK = "secondary sanctions"  # in the body of nearly every article
COMMON_WORD = "India"
IN_PROCESS_PARTS = ("search", "deep-page", "rebuild")


def percentiles(timings):
    ordered = sorted(timings)
    return {
        "p50_ms": statistics.median(ordered),
        "p95_ms": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
        "runs": len(ordered),
    }


def timed(action, repeat):
    """Milliseconds of `action()`, `repeat` times after one untimed call."""
    action()
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return percentiles(timings)


def measure_in_process(parts=IN_PROCESS_PARTS, repeat=20):
    """Inside Django, page cache off: search, the deepest topic page and the topic context's
    rebuild, each timed through the code its page uses. Returns rows of p50/p95 milliseconds."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from articles import cache_keys
    from articles.models import Article
    from articles.search import SearchResults, matching
    from articles.signals import author_ids_of, listing_keys, topic_ids_of
    from coverage_site.page_cache import record_change
    from topics.models import Topic
    from topics.views import TopicDetailView

    client, rows = Client(), []

    def page_row(part, name, path, before=None):
        def get():
            if before:
                before()
            response = client.get(path)
            assert response.status_code == 200, f"{path} answered {response.status_code}"

        with CaptureQueriesContext(connection) as queries:
            get()
        rows.append({"part": part, "name": name, "path": path, "queries": len(queries),
                     **timed(get, repeat)})  # fmt: skip

    with override_settings(PAGE_CACHE_ENABLED=False):
        if "search" in parts:
            public = Article.objects.published()
            found = {w: matching(public, w).count() for w in RARE_WORD_CANDIDATES}
            rare = min((w for w in found if found[w]), key=found.get, default="Panchsheel")
            found |= {phrase: matching(public, phrase).count() for phrase in PHRASE_CANDIDATES}
            phrase = max(PHRASE_CANDIDATES, key=found.get)
            phrase = phrase if found[phrase] else PHRASE_FALLBACK
            references = (("rare word", rare), ("phrase", phrase), ("common word", COMMON_WORD))
            for kind, query in references:
                path = f"/search/?{urlencode({'q': query})}"
                page_row("search", f"{kind}: {query}", path)
                rows[-1]["matches"] = found.get(query) or matching(public, query).count()
                rows[-1]["ranking_only"] = timed(lambda q=query: SearchResults(q), repeat)
        hot = Topic.objects.with_published_counts().order_by("-published_count").first()
        if "deep-page" in parts:
            last = -(-hot.published_count // TopicDetailView.paginate_by)
            deep = f"{hot.get_absolute_url()}?page={last}"
            page_row("deep page", f"{hot.name}, last page ({last})", deep)
            rows[-1]["matches"] = hot.published_count
            oldest = Article.objects.published().tagged_with(hot).order_by("published_at", "pk")
            shown = {cache_keys.article_key(pk) for pk in oldest.values_list("pk", flat=True)[:20]}
            # As a reader of the long tail finds it: no card of that page kept.
            page_row("deep page", "  the same, its cards built", deep,
                     before=lambda: record_change(shown))  # fmt: skip
        if "rebuild" in parts:
            public = Article.objects.published().tagged_with(hot)
            newest = public.newest_first().values_list("pk", flat=True).first()

            def edited():
                """What saving the topic's newest article records (`article_saved`): its context
                and that article's card are built again, as after an editor's fix."""
                record_change({cache_keys.article_key(newest), cache_keys.ARTICLE_LASTMOD})

            page_row("rebuild", f"{hot.name}, first page, context rebuilt",
                     hot.get_absolute_url(), before=edited)  # fmt: skip
            page_row("rebuild", "its newest article, after an edit",
                     Article.objects.get(pk=newest).get_absolute_url(), before=edited)  # fmt: skip

            def published():
                """What publishing the topic's newest article records: its card, every list it
                joins (home, its topics, its authors), the counts and the schedule."""
                record_change(
                    {cache_keys.article_key(newest), cache_keys.SCHEDULE}
                    | listing_keys(topic_ids_of(newest), author_ids_of(newest))
                )

            for name, path in (("home", "/"), (hot.name, hot.get_absolute_url()),
                               ("topics index", "/topics/")):  # fmt: skip
                page_row("rebuild", f"{name}, after a publication", path, before=published)
            for name, action in (
                ("co_occurring_with", lambda: list(Topic.objects.co_occurring_with(hot))),
                ("coverage_by_month", lambda: list(public.coverage_by_month())),
            ):
                with CaptureQueriesContext(connection) as queries:
                    action()
                rows.append({"part": "rebuild", "name": f"{hot.name}: {name}()", "path": "",
                             "queries": len(queries), **timed(action, repeat)})  # fmt: skip
    return rows


def in_process():
    """`manage.py shell` entry point for `measure_in_process()`."""
    parts = os.environ["BENCH_IN_PROCESS"].split(",")
    rows = measure_in_process(parts, env_int("BENCH_REPEAT", 20))
    Path(os.environ["BENCH_PROBE_OUT"]).write_text(json.dumps(rows))


def analyse():
    """PostgreSQL after a bulk load: fresh planner statistics and visibility map."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def newsroom_population():
    """Inside Django: the public pages, most popular first (home, hot topics, newest articles)."""
    from articles.models import Article
    from topics.models import Topic

    topics = Topic.objects.with_published_counts().order_by("-published_count")[:20]
    articles = Article.objects.published().newest_first().values_list("slug", flat=True)
    paths = ["/", *(topic.get_absolute_url() for topic in topics)]
    paths += [f"/articles/{slug}/" for slug in articles]
    Path(os.environ["BENCH_PROBE_OUT"]).write_text(json.dumps(paths))


def edit_loop():
    """Inside Django: an editor who fixes the headline of a recent article every few seconds."""
    from articles.models import Article

    interval = float(os.environ["BENCH_EDIT_INTERVAL"])
    deadline = time.monotonic() + float(os.environ["BENCH_EDIT_SECONDS"])
    recent = list(Article.objects.published().newest_first().values_list("pk", flat=True)[:500])
    rng, edits = random.Random(7), 0
    while time.monotonic() + interval < deadline:
        time.sleep(interval)
        article = Article.objects.get(pk=rng.choice(recent))
        marker = " (updated)"
        article.headline = (
            article.headline[: -len(marker)]
            if article.headline.endswith(marker)
            else article.headline[:180] + marker
        )
        article.save()
        edits += 1
    print(edits)


def zipf_sampler(count, exponent, seed):
    """Draw ranks 0..count-1 with probability proportional to 1 / (rank + 1) ** exponent."""
    weights = [1 / (rank + 1) ** exponent for rank in range(count)]
    cumulative, total = [], 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)
    rng = random.Random(seed)
    return lambda: bisect.bisect_left(cumulative, rng.random() * total)


def zipf_load(port, paths, seconds, concurrency):
    """Closed-loop readers requesting pages by Zipf popularity; counts X-Cache hits."""
    results = [{"latencies": [], "hits": 0, "errors": 0} for _ in range(concurrency)]
    deadline = time.perf_counter() + seconds

    def reader(number):
        draw, mine = zipf_sampler(len(paths), 1.0, seed=number), results[number]
        connection = http.client.HTTPConnection(HOST, port, timeout=10)
        while (sent := time.perf_counter()) < deadline:
            try:
                connection.request("GET", paths[draw()])
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                connection.close()
                mine["errors"] += 1
                continue
            mine["latencies"].append((time.perf_counter() - sent) * 1000)
            mine["hits"] += response.getheader("X-Cache") == "HIT"
            mine["errors"] += response.status != 200
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=reader, args=(n,)) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    timings = sorted(t for result in results for t in result["latencies"])
    requests = len(timings)
    return {
        "requests": requests,
        "rps": requests / elapsed,
        "hit_rate": sum(result["hits"] for result in results) / requests if requests else 0.0,
        "p50_ms": timings[requests // 2] if timings else 0.0,
        "p99_ms": timings[min(requests - 1, int(0.99 * requests))] if timings else 0.0,
        "errors": sum(result["errors"] for result in results),
    }


def newsroom_run(env, paths, settings):
    """Readers by Zipf popularity with no edits, then with an editor saving every 30 s and 5 s.

    Each scenario starts from an empty cache and warms it the same way, so they compare fairly.
    """
    seconds = settings["newsroom_seconds"]
    rows = []
    scenarios = (("no edits", None), ("edit every 30 s", 30), ("edit every 5 s", 5))
    for number, (name, interval) in enumerate(scenarios):
        scenario_env = dict(env, CACHE_DIR=str(RESULTS / f"newsroom-cache-{number}"))
        shutil.rmtree(scenario_env["CACHE_DIR"], ignore_errors=True)
        if "CACHE_KEY_PREFIX" in env:
            scenario_env["CACHE_KEY_PREFIX"] = f"{env['CACHE_KEY_PREFIX']}-newsroom-{number}"
        with gunicorn(scenario_env, "newsroom", "on") as port:
            print(f"  newsroom: {name} (warming for {min(30, seconds)} s first)", flush=True)
            zipf_load(port, paths, min(30, seconds), settings["newsroom_readers"])
            editor = None
            if interval:
                editor_env = dict(
                    scenario_env, BENCH_EDIT_INTERVAL=str(interval), BENCH_EDIT_SECONDS=str(seconds)
                )
                editor = subprocess.Popen(
                    [sys.executable, "manage.py", "shell", "--verbosity", "0", "--command",
                     "from bench.run import edit_loop; edit_loop()"],
                    cwd=ROOT, env=editor_env, stdout=subprocess.PIPE, text=True,
                )  # fmt: skip
            result = zipf_load(port, paths, seconds, settings["newsroom_readers"])
            edits = int(editor.communicate(timeout=120)[0].strip() or 0) if editor else 0
            rows.append({"scenario": name, "edits": edits, **result})
        shutil.rmtree(scenario_env["CACHE_DIR"], ignore_errors=True)
    baseline = rows[0]
    for row in rows:
        row["hit_rate_change_points"] = 100 * (row["hit_rate"] - baseline["hit_rate"])
        row["of_no_edit_rps"] = row["rps"] / baseline["rps"] if baseline["rps"] else 0.0
    return rows


def print_newsroom(title, rows):
    print(f"\n{title}")
    header = (
        f"{'scenario':<17}{'edits':>6}{'req/s':>9}{'hit rate':>10}{'vs none':>9}"
        f"{'p50 ms':>9}{'p99 ms':>9}{'of no-edit req/s':>18}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row['scenario']:<17}{row['edits']:>6}{row['rps']:>9.1f}{row['hit_rate']:>10.1%}"
            f"{row['hit_rate_change_points']:>+8.1f}p{row['p50_ms']:>9.1f}{row['p99_ms']:>9.1f}"
            f"{row['of_no_edit_rps']:>18.0%}"
        )


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def fetch(port, path):
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@contextmanager
def gunicorn(env, name, page_cache):
    """The site under the production gunicorn.conf.py, on a free port of 127.0.0.1."""
    port = free_port()
    env = dict(
        env,
        PORT=str(port),
        GUNICORN_BIND=f"{HOST}:{port}",
        WEB_CONCURRENCY=str(WORKERS),
        DJANGO_PAGE_CACHE=page_cache,
    )
    log_path = RESULTS / f"gunicorn-{name}.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [BIN / "gunicorn", "--config", "gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_serving(port, process, log_path)
            yield port
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_until_serving(port, process, log_path, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn stopped at start; see {log_path}:\n{log_path.read_text()[-2000:]}")
        try:
            if fetch(port, "/bench/floor/")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit(f"gunicorn did not answer within {timeout} s; see {log_path}")


def settle(port, timeout=120):
    """Wait until requests left over from the last page have been served: the floor is fast."""
    deadline, fast = time.monotonic() + timeout, 0
    while fast < 3 and time.monotonic() < deadline:
        sent = time.monotonic()
        fetch(port, "/bench/floor/")
        fast = fast + 1 if time.monotonic() - sent < 0.05 else 0


def wrk_load(port, path, seconds, concurrency):
    threads = max(1, min(concurrency, os.cpu_count() or 1, 4))
    command = ["wrk", f"-t{threads}", f"-c{concurrency}", f"-d{seconds}s", "--latency"]
    output = subprocess.run(
        [*command, "--timeout", "10s", f"http://{HOST}:{port}{path}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return parse_wrk(output)


WRK_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def parse_wrk(output):
    def latency(percent):
        value, unit = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M).groups()
        return float(value) * WRK_UNITS[unit]

    requests = int(re.search(r"^\s*(\d+) requests in", output, re.M).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)$", output, re.M)
    return {
        "requests": requests,
        "rps": float(re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M).group(1)),
        "p50_ms": latency(50),
        "p99_ms": latency(99),
        "errors": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


def python_load(port, path, seconds, concurrency):
    """Keep-alive connections in threads, each timing every request, for `seconds`."""
    latencies = [[] for _ in range(concurrency)]
    errors = [0] * concurrency
    start = time.perf_counter()
    deadline = start + seconds

    def client(number):
        connection = http.client.HTTPConnection(HOST, port, timeout=10)
        while (sent := time.perf_counter()) < deadline:
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                connection.close()
                ok = False
            if ok:
                latencies[number].append((time.perf_counter() - sent) * 1000)
            else:
                errors[number] += 1
        connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    timings = sorted(latency for per_client in latencies for latency in per_client)

    def percentile(fraction):
        return timings[min(len(timings) - 1, int(fraction * len(timings)))] if timings else 0.0

    return {
        "requests": len(timings),
        "rps": len(timings) / elapsed,
        "p50_ms": percentile(0.50),
        "p99_ms": percentile(0.99),
        "errors": sum(errors),
    }


def load_run(env, name, page_cache, pages, settings):
    """Start gunicorn, prime every page (fills the cache when it is on), then load each."""
    load = wrk_load if settings["client"] == "wrk" else python_load
    rows, sizes = [], {}
    with gunicorn(env, name, page_cache) as port:
        for page in pages:
            for _ in range(PRIMING_REQUESTS):
                status, body = fetch(port, page["path"])
            if status != 200:
                sys.exit(f"{page['path']} answered {status}; see bench-results/gunicorn-{name}.log")
            sizes[page["path"]] = len(body)
        for page in pages:
            print(f"  {name}: {page['page']} {page['path']}", flush=True)
            result = load(port, page["path"], settings["seconds"], settings["concurrency"])
            settle(port)
            rows.append({**page, "bytes": sizes[page["path"]], **result})
    floor = next(row["rps"] for row in rows if row["page"] == "floor")
    for row in rows:
        row["of_floor"] = row["rps"] / floor if floor else 0.0
    return rows


def print_table(title, rows):
    print(f"\n{title}")
    header = (
        f"{'page':<15}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'SQL':>6}{'bytes':>9}{'of floor':>10}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row['page']:<15}{row['rps']:>9.1f}{row['p50_ms']:>9.1f}{row['p99_ms']:>9.1f}"
            f"{row['queries']:>6}{row['bytes']:>9}{row['of_floor']:>10.0%}"
        )
    failed = [f"{row['page']} ({row['errors']})" for row in rows if row["errors"]]
    if failed:
        print(f"Requests that failed or did not answer 200: {', '.join(failed)}")


def client_name():
    if os.environ.get("BENCH_CLIENT", "").lower() != "python" and shutil.which("wrk"):
        return "wrk"
    return "python"


def version_of(command):
    result = subprocess.run(command, capture_output=True, text=True)
    text = (result.stdout or result.stderr).strip()
    return text.splitlines()[0] if text else ""


def wrk_version():
    return version_of(["wrk", "-v"]).split(" Copyright")[0]


def print_in_process(title, rows):
    print(f"\n{title}")
    header = f"{'part':<11}{'what':<46}{'p50 ms':>9}{'p95 ms':>9}{'SQL':>5}{'matches':>9}"
    print(header)
    print("-" * len(header))
    for row in rows:
        matches = f"{row['matches']:,}" if "matches" in row else ""
        print(
            f"{row['part']:<11}{row['name'][:45]:<46}{row['p50_ms']:>9.1f}{row['p95_ms']:>9.1f}"
            f"{row['queries']:>5}{matches:>9}"
        )
        if "ranking_only" in row:
            ranking = row["ranking_only"]
            print(
                f"{'':<11}{'  of which SearchResults() (ranking)':<46}"
                f"{ranking['p50_ms']:>9.1f}{ranking['p95_ms']:>9.1f}"
            )


def arguments():
    parser = argparse.ArgumentParser(
        description="Seed an archive, then measure it: in-process timings (search, the deepest "
        "topic page, the topic context's rebuild) and HTTP load against the floor (cold, warm, "
        "newsroom). See bench/README.md."
    )
    parser.add_argument(
        "--articles", type=int, default=env_int("BENCH_ARTICLES", 10_000), help="archive size"
    )
    parser.add_argument(
        "--database",
        choices=["sqlite", "postgres"],
        default="sqlite",
        help="sqlite: bench-results/bench-<articles>.sqlite3; postgres: database bench_<articles> "
        "on BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/). "
        "BENCH_DATABASE_URL overrides both.",
    )
    parser.add_argument(
        "--only",
        default="all",
        help="comma-separated parts to run: search, deep-page, rebuild (in-process), load (cold "
        "and warm HTTP tables, then the newsroom scenario); default all",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep an archive of this size seeded by an earlier run instead of seeding afresh",
    )
    parser.add_argument(
        "--repeat", type=int, default=20, help="timed runs of each in-process measurement"
    )
    options = parser.parse_args()
    parts = {"search", "deep-page", "rebuild", "load"}
    options.parts = parts if options.only == "all" else set(options.only.split(","))
    if options.parts - parts or options.articles < 1 or options.repeat < 1:
        parser.error(f"--only takes {', '.join(sorted(parts))} (comma-separated) or all")
    return options


def run_shell(env, function, out_file, **extra):
    """Call `function` of this module inside Django; return the JSON it wrote."""
    manage(dict(env, BENCH_PROBE_OUT=str(out_file), **extra), "shell", "--verbosity", "0",
           "--command", f"from bench.run import {function}; {function}()")  # fmt: skip
    found = json.loads(out_file.read_text())
    out_file.unlink()
    return found


def main():
    options = arguments()
    RESULTS.mkdir(exist_ok=True)
    settings = {
        "articles": options.articles,
        "topics": TOPICS,
        "parts": sorted(options.parts),
        "seconds": env_int("BENCH_SECONDS", 10),
        "concurrency": env_int("BENCH_CONCURRENCY", 16),
        "gunicorn_workers": WORKERS,
        "client": client_name(),
        "newsroom_seconds": env_int("BENCH_NEWSROOM_SECONDS", 60),
        "newsroom_readers": env_int("BENCH_NEWSROOM_READERS", 8),
        "repeat": options.repeat,
    }
    if os.environ.get("BENCH_DATABASE_URL"):
        database_url = given_database(os.environ["BENCH_DATABASE_URL"], options.reuse)
    elif options.database == "postgres":
        database_url = postgres_database(options.articles, options.reuse)
    else:
        database_url = sqlite_database(options.articles, options.reuse)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bench-static-") as static_root:
        env = base_env(database_url, static_root)
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        if options.reuse and seeded_articles(env) == options.articles:
            seeded = f"Reused the {options.articles} articles seeded by an earlier run."
        else:
            print(f"Seeding {options.articles} articles…", flush=True)
            seeded = manage(
                env, "seed_bench", "--articles", str(options.articles), "--topics", str(TOPICS)
            ).strip()
            manage(env, "shell", "--verbosity", "0", "--command",
                   "from bench.run import analyse; analyse()")  # fmt: skip
        print(seeded, flush=True)
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        probe_file = RESULTS / "probe.json"
        probed = run_shell(env, "probe", probe_file)
        broken = [page for page in probed["pages"] if page["status"] != 200]
        if broken:
            sys.exit(f"Pages that do not answer 200: {broken}")
        runs = {}
        in_process_parts = [part for part in IN_PROCESS_PARTS if part in options.parts]
        if in_process_parts:
            print(f"  in-process: {', '.join(in_process_parts)}", flush=True)
            runs["in_process"] = run_shell(
                env, "in_process", probe_file,
                BENCH_IN_PROCESS=",".join(in_process_parts), BENCH_REPEAT=str(options.repeat),
            )  # fmt: skip
        if "load" in options.parts:
            for name, page_cache in (("cold", "off"), ("warm", "on")):
                runs[name] = load_run(env, name, page_cache, probed["pages"], settings)
            if settings["newsroom_seconds"]:
                paths = run_shell(env, "newsroom_population", probe_file)
                runs["newsroom"] = newsroom_run(env, paths, settings)
    machine = {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "database": probed["database"],
        "django": probed["django"],
        "gunicorn": version_of([BIN / "gunicorn", "--version"]),
        "client": wrk_version() if settings["client"] == "wrk" else "python (threads, http.client)",
        "load_average": os.getloadavg(),
    }
    finished = datetime.now(UTC)
    printed = io.StringIO()
    with redirect_stdout(Tee(sys.stdout, printed)):
        print_results(finished, machine, settings, probed, runs)
    report = {
        "finished": finished.isoformat(timespec="seconds"),
        "machine": machine,
        "settings": settings,
        "seeded": seeded,
        "hot_topic": probed["hot_topic"],
        "public_articles": probed["public_articles"],
        "runs": runs,
    }
    vendor = "postgres" if machine["database"].startswith("PostgreSQL") else "sqlite"
    stem = RESULTS / f"{finished:%Y-%m-%dT%H%M}-{vendor}-{settings['articles']}"
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
    stem.with_suffix(".txt").write_text(printed.getvalue())
    print(f"\nWrote {stem}.json and .txt in {time.monotonic() - started:.0f} s.")


class Tee:
    def __init__(self, *streams):
        self.streams = streams

    def write(self, text):
        for stream in self.streams:
            stream.write(text)

    def flush(self):
        for stream in self.streams:
            stream.flush()


def print_results(finished, machine, settings, probed, runs):
    print(
        f"{finished:%Y-%m-%d %H:%M} UTC, {machine['cpus']} CPUs, load average "
        f"{' '.join(f'{load:.2f}' for load in machine['load_average'])} at the end"
    )
    if "in_process" in runs:
        print_in_process(
            f"In process — page cache off, {settings['repeat']} runs each "
            f"({probed['public_articles']} public of {settings['articles']} articles, "
            f"{machine['database']})",
            runs["in_process"],
        )
    described = (
        f"{settings['articles']} articles, {machine['database']}, {WORKERS} gunicorn workers, "
        f"{settings['client']} with {settings['concurrency']} connections, "
        f"{settings['seconds']} s a page, {machine['cpus']} CPUs"
    )
    if "cold" in runs:
        print_table(f"Cold — page cache off ({described})", runs["cold"])
        print_table(f"Warm — page cache on ({described})", runs["warm"])
    if "newsroom" in runs:
        print_newsroom(
            f"Newsroom — {settings['newsroom_readers']} readers by Zipf popularity over "
            f"{probed['public_articles']} articles, 20 topics and home, page cache on, "
            f"{settings['newsroom_seconds']} s a scenario (python client)",
            runs["newsroom"],
        )


if __name__ == "__main__":
    main()
