"""Lighthouse on a built site, served the way GitHub Pages serves it (gzip).

    python benchmarks/lighthouse.py                 # build the sample, audit a page of each kind
    python benchmarks/lighthouse.py --site site/    # audit a site already built (the sample's pages)

Prints, for each page, Lighthouse's four scores (mobile profile: a mid-range
phone on a throttled connection, simulated) and the bytes a first visit
downloads, compressed. tests/test_lighthouse.py asserts Accessibility, Best
Practices and SEO; Performance is a figure printed here, never asserted in a
test (it depends on the machine). Lighthouse comes from npm into tests/browser/
(`npm ci --prefix tests/browser`) and drives Debian's Chromium.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LIGHTHOUSE = REPO / "tests/browser/node_modules/.bin/lighthouse"
CHROMIUM = Path("/usr/bin/chromium")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")

# One page of each kind in the sample desk.
SAMPLE_PAGES = {
    "home": "",
    "topic": "topics/taiwan/",
    "story": "stories/biden-xi-lima-2024/",
    "article": "articles/2024-11-16-kjzz-biden-xi-ai-nuclear-decisions/",
    "person": "people/lai-ching-te/",  # quote cards, each with its date, the original and our notes
    "digest": "digests/2024-W21/",  # a week: new stories, quotes by person, corrections
}

COMPRESSED = {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".map"}


class _PagesHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with gzip for text, as GitHub Pages sends them; 404.html for a miss."""

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix not in COMPRESSED or "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Bytes(body)

    def log_message(self, format, *args):  # type: ignore[no-untyped-def]
        pass


class _Bytes:
    """What send_head returns: something copyfile can read and close."""

    def __init__(self, body: bytes):
        import io

        self._io = io.BytesIO(body)
        self.read = self._io.read

    def close(self) -> None:
        self._io.close()


@contextlib.contextmanager
def serving(site: Path) -> Iterator[str]:
    """The site at http://127.0.0.1:PORT/ for as long as the block runs."""
    handler = functools.partial(_PagesHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@dataclass(frozen=True)
class Audit:
    url: str
    scores: dict[str, float]
    transferred: int  # bytes over the wire on a first visit (compressed)
    failing: list[str]  # "category: audit title" for each audit below full marks that counts


def missing() -> str:
    """What is missing to run Lighthouse here ('' when nothing)."""
    if not CHROMIUM.exists():
        return "Chromium (apt-get install chromium)"
    if not LIGHTHOUSE.exists():
        return "Lighthouse (npm ci --prefix tests/browser)"
    return ""


def audit(url: str) -> Audit:
    """Run Lighthouse (mobile profile) on one URL."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        flags = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"
        ran = subprocess.run(
            [str(LIGHTHOUSE), url, "--quiet", f"--chrome-flags={flags}", "--output=json",
             f"--output-path={report}", f"--only-categories={','.join(CATEGORIES)}"],
            env={**os.environ, "CHROME_PATH": str(CHROMIUM), "TMPDIR": tmp},
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
        )  # fmt: skip
        if not report.exists():
            raise RuntimeError(f"Lighthouse failed on {url}: {ran.stderr.strip()[-500:]}")
        data = json.loads(report.read_text(encoding="utf-8"))
    scores = {name: data["categories"][name]["score"] for name in CATEGORIES}
    failing = [
        f"{name}: {data['audits'][ref['id']]['title']} ({ref['id']})"
        for name in CATEGORIES
        if name != "performance"
        for ref in data["categories"][name]["auditRefs"]
        if ref.get("weight", 0) > 0 and (data["audits"][ref["id"]].get("score") or 0) < 1
        and data["audits"][ref["id"]].get("scoreDisplayMode") in ("binary", "numeric")
    ]  # fmt: skip
    transferred = int(data["audits"]["total-byte-weight"]["numericValue"])
    return Audit(url=url, scores=scores, transferred=transferred, failing=failing)


def audit_site(site: Path, pages: dict[str, str]) -> dict[str, Audit]:
    with serving(site) as base:
        return {name: audit(base + path) for name, path in pages.items()}


def print_audits(audits: dict[str, Audit]) -> None:
    print(f"{'page':<9} {'perf':>5} {'a11y':>5} {'bp':>5} {'seo':>5} {'first visit, gz':>16}")
    for name, result in audits.items():
        s = result.scores
        print(
            f"{name:<9} {s['performance'] * 100:5.0f} {s['accessibility'] * 100:5.0f} "
            f"{s['best-practices'] * 100:5.0f} {s['seo'] * 100:5.0f} {result.transferred / 1024:13.1f} KB"
        )
        for line in result.failing:
            print(f"    below full marks: {line}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built sample site (default: build the sample into a temp folder)")
    args = parser.parse_args()
    if problem := missing():
        print(f"lighthouse.py needs {problem}", file=sys.stderr)
        return 1
    if args.site:
        print_audits(audit_site(args.site, SAMPLE_PAGES))
        return 0
    main_sample()
    return 0


def main_sample() -> None:
    """Build the sample site into a temp folder and print its audits."""
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        subprocess.run(
            [sys.executable, "-m", "briefings", "build", "--project", str(REPO), "--site-dir", str(site)],
            check=True,
            capture_output=True,
        )
        print_audits(audit_site(site, SAMPLE_PAGES))


if __name__ == "__main__":
    sys.exit(main())
