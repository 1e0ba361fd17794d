"""The README's nginx snippet (deploy/nginx.conf), run as written in front of gunicorn: pages
arrive compressed, the cache's headers pass through, and a slow client does not hold a worker."""

import gzip
import shutil
import socket
import subprocess
import time
import urllib.request

import pytest
from django.conf import settings

from tests.factories import make_article
from tests.servers import PROJECT, Gunicorn, free_port, wait_for_port

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed"),
]


@pytest.fixture
def nginx(tmp_path):
    """nginx with deploy/nginx.conf, its ports pointed at a test gunicorn (one worker)."""
    with Gunicorn(settings.STATIC_ROOT, workers=1, CACHE_DIR=str(tmp_path / "cache")) as app:
        port = free_port()
        snippet = (PROJECT / "deploy" / "nginx.conf").read_text()
        snippet = snippet.replace("listen 80;", f"listen 127.0.0.1:{port};")
        snippet = snippet.replace("127.0.0.1:8000", f"127.0.0.1:{app.port}")
        snippet = snippet.replace("news.example.org", "127.0.0.1")
        config = tmp_path / "nginx.conf"
        temp = tmp_path / "temp"
        temp.mkdir()
        config.write_text(
            f"daemon off;\nworker_processes 1;\npid {tmp_path}/nginx.pid;\n"
            f"error_log {tmp_path}/error.log;\nevents {{}}\nhttp {{\n  access_log off;\n"
            + "".join(
                f"  {kind}_temp_path {temp}/{kind};\n"
                for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
            )
            + f"{snippet}\n}}\n"
        )
        process = subprocess.Popen(
            ["nginx", "-c", str(config), "-p", str(tmp_path)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            wait_for_port(port, timeout=10)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(10)


def get(url, **headers):
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.headers, response.read()


def test_pages_arrive_compressed_with_the_cache_headers(nginx):
    article = make_article("Through the proxy", body="Paragraph. " * 400)
    get(nginx + article.get_absolute_url())
    status, headers, body = get(nginx + article.get_absolute_url(), **{"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in headers["Vary"]
    assert headers["X-Cache"] == "HIT"
    assert f"article-{article.pk}" in headers["Surrogate-Key"]
    assert "Through the proxy" in gzip.decompress(body).decode()


def test_a_slow_client_does_not_hold_the_only_worker(nginx):
    make_article("Still served")
    host, port = nginx.removeprefix("http://").split(":")
    slow = socket.create_connection((host, int(port)))
    try:
        slow.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and then nothing more
        started = time.monotonic()
        status, _, body = get(nginx + "/")
        assert status == 200 and b"Still served" in body
        assert time.monotonic() - started < 3
    finally:
        slow.close()
