"""`make bench`: load a seeded archive, served as in production, and compare pages to the floor.

Standard library only; Django runs in the subprocesses (manage.py, gunicorn), except `probe()`,
which `manage.py shell` calls to count each page's SQL queries. See bench/README.md.
"""

import bisect
import http.client
import json
import os
import platform
import random
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
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


def fresh_sqlite_database():
    path = RESULTS / "bench.sqlite3"
    for leftover in RESULTS.glob("bench.sqlite3*"):
        leftover.unlink()
    return f"sqlite:///{path}"


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


def main():
    RESULTS.mkdir(exist_ok=True)
    settings = {
        "articles": env_int("BENCH_ARTICLES", 10_000),
        "topics": TOPICS,
        "seconds": env_int("BENCH_SECONDS", 10),
        "concurrency": env_int("BENCH_CONCURRENCY", 16),
        "gunicorn_workers": WORKERS,
        "client": client_name(),
        "newsroom_seconds": env_int("BENCH_NEWSROOM_SECONDS", 60),
        "newsroom_readers": env_int("BENCH_NEWSROOM_READERS", 8),
    }
    database_url = os.environ.get("BENCH_DATABASE_URL") or fresh_sqlite_database()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bench-static-") as static_root:
        env = base_env(database_url, static_root)
        print(f"Preparing a database with {settings['articles']} articles…", flush=True)
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        seeded = manage(
            env, "seed_bench", "--articles", str(settings["articles"]), "--topics", str(TOPICS)
        ).strip()
        print(seeded, flush=True)
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        probe_file = RESULTS / "probe.json"
        manage(
            dict(env, BENCH_PROBE_OUT=str(probe_file)),
            "shell",
            "--verbosity",
            "0",
            "--command",
            "from bench.run import probe; probe()",
        )
        probed = json.loads(probe_file.read_text())
        probe_file.unlink()
        broken = [page for page in probed["pages"] if page["status"] != 200]
        if broken:
            sys.exit(f"Pages that do not answer 200: {broken}")
        runs = {}
        for name, page_cache in (("cold", "off"), ("warm", "on")):
            runs[name] = load_run(env, name, page_cache, probed["pages"], settings)
        if settings["newsroom_seconds"]:
            manage(
                dict(env, BENCH_PROBE_OUT=str(probe_file)),
                "shell",
                "--verbosity",
                "0",
                "--command",
                "from bench.run import newsroom_population; newsroom_population()",
            )
            paths = json.loads(probe_file.read_text())
            probe_file.unlink()
            runs["newsroom"] = newsroom_run(env, paths, settings)
    machine = {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "database": probed["database"],
        "django": probed["django"],
        "gunicorn": version_of([BIN / "gunicorn", "--version"]),
        "client": wrk_version() if settings["client"] == "wrk" else "python (threads, http.client)",
    }
    described = (
        f"{settings['articles']} articles, {machine['database']}, {WORKERS} gunicorn workers, "
        f"{settings['client']} with {settings['concurrency']} connections, "
        f"{settings['seconds']} s a page, {machine['cpus']} CPUs"
    )
    print_table(f"Cold — page cache off ({described})", runs["cold"])
    print_table(f"Warm — page cache on ({described})", runs["warm"])
    if "newsroom" in runs:
        print_newsroom(
            f"Newsroom — {settings['newsroom_readers']} readers by Zipf popularity over "
            f"{probed['public_articles']} articles, 20 topics and home, page cache on, "
            f"{settings['newsroom_seconds']} s a scenario (python client)",
            runs["newsroom"],
        )
    report = {
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine,
        "settings": settings,
        "seeded": seeded,
        "hot_topic": probed["hot_topic"],
        "public_articles": probed["public_articles"],
        "runs": runs,
    }
    (RESULTS / "bench.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nWrote {RESULTS / 'bench.json'} in {time.monotonic() - started:.0f} s.")


if __name__ == "__main__":
    main()
