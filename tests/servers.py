"""Real servers for the tests that need them: redis-server, a loopback proxy that can hang, and
gunicorn serving the project as `make run` does. Each takes a free port and stops by itself."""

import contextlib
import http.cookiejar
import os
import re
import select
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from django.db import connection

PROJECT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on port {port} after {timeout} s")


class RedisServer:
    """A throwaway redis-server on a free port, keeping nothing on disk."""

    def __init__(self, port=None):
        self.binary = shutil.which("redis-server")
        self.port = port or free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


class HangingProxy:
    """Forwards TCP to a server until `hang()`: then it accepts and holds connections but passes
    nothing either way, like a server that stopped answering. `resume()` passes data again."""

    def __init__(self, target_port):
        self.target_port = target_port
        self.port = free_port()
        self.hanging = threading.Event()
        self.stopped = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", self.port))
        self.thread = threading.Thread(target=self.accept, daemon=True)
        self.thread.start()

    def hang(self):
        self.hanging.set()

    def resume(self):
        self.hanging.clear()

    def accept(self):
        self.listener.settimeout(0.1)
        while not self.stopped.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                continue
            threading.Thread(target=self.pump, args=(client,), daemon=True).start()

    def pump(self, client):
        upstream = None
        try:
            while self.hanging.is_set() and not self.stopped.is_set():
                time.sleep(0.02)  # a new connection gets no answer while hanging
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            pairs = {client: upstream, upstream: client}
            while not self.stopped.is_set():
                if self.hanging.is_set():
                    time.sleep(0.02)
                    continue
                readable, _, _ = select.select(list(pairs), [], [], 0.05)
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    pairs[sock].sendall(data)
        except OSError:
            return
        finally:
            for sock in (client, upstream):
                if sock is not None:
                    sock.close()

    def stop(self):
        self.stopped.set()
        self.listener.close()


def database_url():
    """The test database as a URL another process can use."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user, host, port = settings["USER"], settings["HOST"], settings["PORT"] or 5432
    return f"postgres://{user}@{host}:{port}/{settings['NAME']}"


class Gunicorn:
    """The project served by gunicorn with gunicorn.conf.py, as `make run` and production do."""

    def __init__(self, static_root, workers=4, **environment):
        self.port = free_port()
        self.environment = {
            **{name: value for name, value in os.environ.items() if name != "REDIS_URL"},
            "DJANGO_SECRET_KEY": "test-only-not-secret",
            "DJANGO_DEBUG": "0",
            "DATABASE_URL": database_url(),
            "DJANGO_STATIC_ROOT": str(static_root),
            "PORT": str(self.port),
            "WEB_CONCURRENCY": str(workers),
            **environment,
        }
        self.process = None

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"],
            cwd=PROJECT,
            env=self.environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            wait_for_port(self.port)
        except TimeoutError:
            self.process.kill()
            raise RuntimeError(self.process.stderr.read().decode()[-3000:]) from None
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def get(self, path):
        """(status, headers, text) of an anonymous GET, with no cookies."""
        try:
            with urllib.request.urlopen(self.base + path, timeout=15) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()


class Browser:
    """A logged-in admin session over plain HTTP: cookies and CSRF tokens, as a browser has."""

    def __init__(self, server):
        self.server = server
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def open(self, path, data=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.server.base + path, data=body)
        request.add_header("Referer", self.server.base + path)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def csrf_token(self, html):
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    def log_in(self, username, password):
        _, page = self.open("/admin/login/")
        status, page = self.open(
            "/admin/login/?next=/admin/",
            {
                "csrfmiddlewaretoken": self.csrf_token(page),
                "username": username,
                "password": password,
                "next": "/admin/",
            },
        )
        assert status == 200 and "Log out" in page, page[:500]

    def post_form(self, path, values):
        """GET the page for its CSRF token, then POST `values` to it."""
        _, page = self.open(path)
        return self.open(path, {"csrfmiddlewaretoken": self.csrf_token(page), **values})


def cut_off_the_shared_cache(settings):
    """Point the cache at a port where nothing listens: every read and write fails (softly)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "coverage_site.cache_backends.FailSoftRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "BREAKER_SECONDS": 0.5,
            "OPTIONS": {"socket_connect_timeout": 0.1, "socket_timeout": 0.1},
        }
    }
