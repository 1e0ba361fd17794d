"""Audit the public pages of a running server: Lighthouse, the Nu HTML Checker and axe-core.

The tools are installed outside the repository (`npm install lighthouse vnu-jar axe-core` in
AUDIT_TOOLS, default /tmp/audit-tools); Playwright comes from .venv (`make install-dev`).
Usage: `.venv/bin/python bench/audit.py http://127.0.0.1:8000 [PATH ...]`. Without paths it audits
the home page, the newest article and its first author (found from the home page's lead story),
/topics/india-russia/, /topics/ and /search/?q=S-400. Exits non-zero if anything is reported.
See "Auditing pages" in the README.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

TOOLS = Path(os.environ.get("AUDIT_TOOLS", "/tmp/audit-tools"))
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CATEGORIES = ["accessibility", "best-practices", "seo"]
FIXED_PATHS = ["/", "/topics/india-russia/", "/topics/", "/search/?q=S-400"]
# Findings that are decisions, not defects: (path prefix, Lighthouse audit) -> why.
EXPECTED = {
    ("/search/", "is-crawlable"): "search results are noindex on purpose",
}


def default_paths(base):
    """Return the fixed pages plus the lead story and its first author, read from the home page."""
    with urllib.request.urlopen(base + "/", timeout=30) as response:
        home = response.read().decode()
    article = re.search(r'href="(/articles/[^"]+/)"', home)
    author = re.search(r'href="(/authors/[^"]+/)"', home)
    paths = list(FIXED_PATHS)
    paths[1:1] = [match.group(1) for match in (article, author) if match]
    return paths


def run_lighthouse(url, out_dir):
    """Return {category: score} and the failing audits of one Lighthouse mobile run."""
    report = out_dir / (re.sub(r"\W+", "_", url) + ".lighthouse.json")
    run = subprocess.run(
        [
            str(TOOLS / "node_modules/.bin/lighthouse"),
            url,
            "--only-categories=" + ",".join(CATEGORIES),
            "--output=json",
            f"--output-path={report}",
            "--chrome-flags=" + " ".join(CHROME_FLAGS),
            "--quiet",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "CHROME_PATH": CHROME},
    )
    if run.returncode:  # e.g. a page that does not answer 200: Lighthouse refuses to score it
        last_line = (run.stderr.strip().splitlines() or ["no output"])[-1]
        return {}, [("lighthouse", f"Lighthouse could not audit the page: {last_line}")]
    data = json.loads(report.read_text())
    scores = {key: round(cat["score"] * 100) for key, cat in data["categories"].items()}
    failing = []
    for category in data["categories"].values():
        for ref in category["auditRefs"]:
            audit = data["audits"][ref["id"]]
            if ref.get("weight") and audit["score"] is not None and audit["score"] < 1:
                failing.append((audit["id"], f"{audit['id']}: {audit['title']}"))
    return scores, failing


def expected_reason(url, audit_id):
    """Return why a Lighthouse finding on this page is expected, or None if it is a defect."""
    path = urllib.parse.urlsplit(url).path
    for (prefix, expected_id), reason in EXPECTED.items():
        if audit_id == expected_id and path.startswith(prefix):
            return reason
    return None


def run_vnu(urls, out_dir):
    """Return {url: [messages]} from the Nu HTML Checker, errors only, on each page as served."""
    files = {}
    for url in urls:  # the checker refuses to fetch from 127.0.0.1 itself, so it reads copies
        path = out_dir / (re.sub(r"\W+", "_", url) + ".html")
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                path.write_bytes(response.read())
        except urllib.error.HTTPError as error:  # error pages are checked too
            path.write_bytes(error.read())
        files[str(path.resolve())] = url
    result = subprocess.run(
        [
            "java",
            "-jar",
            str(TOOLS / "node_modules/vnu-jar/build/dist/vnu.jar"),
            "--errors-only",
            "--format",
            "json",
            *files,
        ],
        capture_output=True,
        text=True,
    )
    messages = {url: [] for url in urls}
    for message in json.loads(result.stderr or '{"messages": []}')["messages"]:
        source = re.sub(r"^file:/*", "/", message.get("url", "?"))
        url = files.get(source, source)
        text = f"line {message.get('lastLine', '?')}: {message['message']}"
        messages.setdefault(url, []).append(text)
    return messages


def run_axe(urls):
    """Return {url: [violations]} from axe-core, plus console errors, in Chromium via Playwright."""
    from playwright.sync_api import sync_playwright

    axe_source = (TOOLS / "node_modules/axe-core/axe.min.js").read_text()
    found = {}
    console = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROME, args=CHROME_FLAGS[1:])
        for width, height in ((1280, 900), (390, 844)):
            page = browser.new_page(viewport={"width": width, "height": height})
            page.on("console", lambda m: m.type == "error" and console.append(m.text))
            page.on("pageerror", lambda error: console.append(str(error)))
            for url in urls:
                console.clear()
                page.goto(url, wait_until="load")
                page.evaluate(axe_source)  # evaluated over the DevTools protocol: the CSP stays on
                result = page.evaluate(
                    "axe.run(document, {resultTypes: ['violations']})"
                    ".then(r => r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help"
                    " + ' — ' + v.nodes.map(n => n.target.join(' ')).join(', ')))"
                )
                problems = [*result, *(f"console error: {text}" for text in console)]
                for problem in problems:
                    found.setdefault(url, []).append(f"[{width}px] {problem}")
            page.close()
        browser.close()
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="the running server, e.g. http://127.0.0.1:8000")
    parser.add_argument("paths", nargs="*", help="pages to audit (default: see above)")
    parser.add_argument("--out", help="folder for the Lighthouse reports (default: a temp dir)")
    args = parser.parse_args()
    base = args.base.rstrip("/")
    urls = [base + path for path in (args.paths or default_paths(base))]
    out_dir = Path(args.out or tempfile.mkdtemp(prefix="audit-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    problems = 0

    print("Lighthouse (mobile):", ", ".join(CATEGORIES))
    for url in urls:
        scores, failing = run_lighthouse(url, out_dir)
        print(f"  {url}  " + "  ".join(f"{k}={v}" for k, v in scores.items()))
        for audit_id, line in failing:
            reason = expected_reason(url, audit_id)
            print(f"      {line}" + (f" (expected: {reason})" if reason else ""))
            problems += reason is None

    print("Nu HTML Checker (errors only):")
    for url, messages in run_vnu(urls, out_dir).items():
        print(f"  {url}  {len(messages)} error(s)")
        for line in messages:
            print(f"      {line}")
        problems += len(messages)

    print("axe-core (1280 px and 390 px):")
    violations = run_axe(urls)
    for url in urls:
        print(f"  {url}  {len(violations.get(url, []))} violation(s)")
        for line in violations.get(url, []):
            print(f"      {line}")
        problems += len(violations.get(url, []))

    print(f"Lighthouse reports in {out_dir}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
