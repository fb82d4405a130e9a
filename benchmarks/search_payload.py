"""Bytes a reader downloads for a first Pagefind search, measured in Chromium.

    python benchmarks/search_payload.py SITE_DIR                 # "fentanyl" and "Taiwan election"
    python benchmarks/search_payload.py SITE_DIR --query "chips" --query "trade"

SITE_DIR is a site built with Pagefind (``extra.briefings.search: pagefind``, the
default). It is served on 127.0.0.1; for each query a fresh browser (empty cache)
opens the home page and the search panel, and what Pagefind sent before the
first key is counted (it should be nothing); then everything downloaded from the
first key to the first results on screen is counted, split into code (js, css,
wasm) and index data (Pagefind's meta, filter, index chunks and result fragments). Each
query is run twice: pasted (one search) and typed at a person's pace (a pause
longer than the UI's debounce searches the words typed so far). It also
counts the search code every page loads before anyone searches. Any request to another host is
blocked and reported.

Sizes: "served" is the bytes as a plain server sends them (Pagefind's own
files are already gzipped); "gzip" is what a host that compresses text
(GitHub Pages does, for js and css) sends. Figures, not verdicts.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

QUERIES = ("fentanyl", "Taiwan election")
TYPING_DELAY_MS = 120  # between keystrokes: a brisk typist
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass
class Payload:
    """What one phase downloaded: per file kind, bytes as served and as gzip would send them."""

    files: list[tuple[str, str, int, int]] = field(default_factory=list)  # (path, kind, served, gzip)

    def add(self, path: str, body: bytes) -> None:
        name = path.rsplit("/", 1)[-1]
        kind = "code" if name.endswith((".js", ".css", ".wasm")) or name.startswith("wasm.") else "data"
        already = body[:2] == b"\x1f\x8b"  # Pagefind gzips its index, fragments and wasm itself
        compressible = name.endswith((".js", ".css", ".json", ".html", ".svg"))
        self.files.append(
            (path, kind, len(body), len(gzip.compress(body, 6)) if compressible and not already else len(body))
        )

    def total(self, kind: str | None = None, *, gzipped: bool = False) -> int:
        return sum(g if gzipped else s for _, k, s, g in self.files if kind in (None, k))


@dataclass
class Measurement:
    query: str
    mode: str  # "pasted" or "typed"
    results: list[str]
    search: Payload
    on_page_load: Payload
    before_typing: Payload  # under /pagefind/, from the page load to the first key (opening the panel)
    foreign: list[str]
    whole: Payload | None = None  # then "Search the whole archive" (None: one shard, no such button)
    oldest: Payload | None = None  # or instead, sorted "Oldest first" (measured when typed)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # no access log on the console
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):  # the browser hung up mid-file (a page closed)
            return
        super().handle_error(request, client_address)


@contextmanager
def serving(site: Path):
    """The site on a threaded http.server on 127.0.0.1 (a free port); yields its origin."""
    server = _Server(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _first_search(browser, origin: str, query: str, mode: str, delay_ms: int) -> Measurement:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    foreign: list[str] = []

    def only_local(route):
        if route.request.url.startswith(origin + "/"):
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    page = context.new_page()
    phase = Payload()
    on_load = phase
    opened = Payload()

    def record(response):
        path = urlsplit(response.url).path
        try:
            body = response.body()
        except Exception:  # noqa: BLE001 - a redirect or an aborted request has no body
            return
        current = phase
        if current is on_load and not ("/pagefind/" in path or path.endswith("briefings-search.js")):
            return  # only the search code counts on page load, not Material's own assets
        if current is opened and "/pagefind/" not in path:
            return
        current.add(path, body)

    page.on("response", record)
    try:
        page.goto(origin + "/", wait_until="load")
        page.wait_for_load_state("networkidle")
        phase = opened
        page.locator("details.bf-search > summary").click()
        page.locator(".bf-search__input").wait_for(state="visible")
        page.locator(".bf-search__input").focus()
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)
        phase = Payload()
        if mode == "typed":
            page.keyboard.type(query, delay=delay_ms)
        else:
            page.keyboard.insert_text(query)
        page.wait_for_selector(".bf-search__link", timeout=60_000)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(600)  # the search UI's 300 ms debounce: let a last search land
        page.wait_for_load_state("networkidle")
        results = page.eval_on_selector_all(".bf-search__link", "links => links.map(a => a.href)")
        first, whole, oldest = phase, None, None
        wider = page.locator(".bf-search__wider")
        if mode == "pasted" and wider.is_visible():  # what merging every other shard costs, once
            phase = whole = Payload()
            wider.click()
            page.wait_for_selector(".bf-search__wider", state="hidden", timeout=120_000)
            page.wait_for_load_state("networkidle")
        elif mode == "typed" and wider.is_visible():  # what sorting oldest first costs instead
            phase = oldest = Payload()
            page.get_by_label("Sort").select_option(label="Oldest first")
            page.wait_for_function(
                "!/ since /.test(document.querySelector('.bf-search__status').textContent)", timeout=120_000
            )
            page.wait_for_load_state("networkidle")
    finally:
        context.close()
    found = [urlsplit(r).path for r in results]
    return Measurement(query, mode, found, first, on_load, opened, foreign, whole, oldest)


def measure(site: Path, queries=QUERIES, *, delay_ms: int = TYPING_DELAY_MS) -> list[Measurement]:
    """A first search for each query, pasted and typed, each in a fresh browser context."""
    from playwright.sync_api import sync_playwright

    if not (site / "pagefind" / "pagefind.js").is_file():
        raise SystemExit(f"{site} has no Pagefind bundle: build it with extra.briefings.search: pagefind")
    out = []
    with serving(site) as origin, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for query in queries:
                for mode in ("pasted", "typed"):
                    out.append(_first_search(browser, origin, query, mode, delay_ms))
        finally:
            browser.close()
    return out


def kb(n: int) -> str:
    return f"{n / 1000:,.0f} KB"


def rows(measurements: list[Measurement]) -> list[tuple[str, str]]:
    """Label/value lines, in the shape benchmarks/run.py prints."""
    out = []
    first = measurements[0].on_page_load
    out.append(
        (
            "search code on every page (before a search)",
            f"{kb(first.total())} served, {kb(first.total(gzipped=True))} gzip",
        )
    )
    before = [m.before_typing for m in measurements]
    out.append(
        (
            "Pagefind bytes before the first key",
            f"{max(b.total() for b in before):,} B served, {max(len(b.files) for b in before)} files "
            "(page load and the search panel opened)",
        )
    )
    for m in measurements:
        s, page = m.search, m.on_page_load
        out.append(
            (
                f"first search, {m.mode} {m.query!r}",
                f"{kb(s.total(gzipped=True) + page.total(gzipped=True))} gzip, "
                f"{kb(s.total() + page.total())} served, with the page's search code "
                f"(from the first key: {kb(s.total('code'))} code + {kb(s.total('data'))} data served, "
                f"{len(s.files)} files); {len(m.results)} results",
            )
        )
    for m in measurements:
        for label, more in (("then the whole archive", m.whole), ("or then sorted oldest first", m.oldest)):
            if more is not None:
                out.append(
                    (f"{label}, {m.query!r}", f"{kb(more.total(gzipped=True))} gzip more, {len(more.files)} files")
                )
    foreign = sorted({u for m in measurements for u in m.foreign})
    if foreign:
        out.append(("requests to other hosts (blocked)", ", ".join(foreign)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path, help="a built site (its folder holds index.html and pagefind/)")
    parser.add_argument("--query", action="append", help="a query (repeatable); default: " + ", ".join(QUERIES))
    parser.add_argument("--delay", type=int, default=TYPING_DELAY_MS, help="milliseconds between typed keys")
    parser.add_argument("--files", action="store_true", help="list every file each search downloaded")
    args = parser.parse_args()
    measurements = measure(args.site, args.query or QUERIES, delay_ms=args.delay)
    table = rows(measurements)
    width = max(len(label) for label, _ in table)
    for label, value in table:
        print(f"{label:<{width}}  {value}")
    if args.files:
        for m in measurements:
            print(f"\n{m.mode} {m.query!r}: results {m.results[:5]}")
            for path, kind, served, gz in m.search.files:
                print(f"  {kind:<4} {served:>9,} {gz:>9,}  {path}")


if __name__ == "__main__":
    main()
