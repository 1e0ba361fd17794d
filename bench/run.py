"""`make bench`: load a seeded archive, served as in production, and compare pages to the floor.

Standard library only; Django runs in the subprocesses (manage.py, gunicorn), except `probe()`,
which `manage.py shell` calls to count each page's SQL queries. See bench/README.md.
"""

import http.client
import json
import os
import platform
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
    env.update(
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
