"""The built sample site in a real browser: Playwright driving Debian's Chromium.

Each test runs twice: the site served at / and the site built with
--base-url https://user.github.io/repo/ served under /repo/, like a GitHub
project site. Every request the browser makes is recorded; one to any other
host than the test server fails the test. Screenshots go to test-output/browser/.

Needs /usr/bin/chromium (or BRIEFINGS_CHROMIUM) and axe-core
(`npm ci --prefix tests/browser`). Without them these tests fail, saying how to
install them; they never skip. To run the others only: pytest -m "not browser"
(conftest.py marks every test that drives Chromium).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import REPO

CHROMIUM = Path(os.environ.get("BRIEFINGS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = REPO / "tests/browser/node_modules/axe-core/axe.min.js"
OUTPUT = REPO / "test-output/browser"

TOPICS = ["US–China relations", "Taiwan", "Fentanyl"]
SEED = "articles/2023-11-15-daily-caller-biden-xi-agreement/"
ELECTION = "articles/2024-01-13-focus-taiwan-lai-elected-president/"
BRIEFING = "topics/fentanyl/"
STORY = "stories/biden-xi-woodside-2023/"
PAGES = {
    "home": "",
    "briefing": BRIEFING,
    "article": SEED,
    "articles": "articles/",
    "story": STORY,
    "stories": "stories/",
}


DESELECT = 'or leave out the browser tests with: pytest -m "not browser"'


def require(ok: bool, what: str, install: str) -> None:
    """Fail, never skip, when a browser test lacks what it needs: a skip would let a
    broken page pass unnoticed. The message says how to install it, or to deselect."""
    if not ok:
        pytest.fail(f"{what}: install it with `{install}`, {DESELECT}", pytrace=False)


def launch_browser():
    """The session's Chromium (the ``browser`` fixture in conftest.py, shared by every browser test)."""
    require(
        CHROMIUM.is_file(),
        f"no Chromium at {CHROMIUM} (or set BRIEFINGS_CHROMIUM to one)",
        "sudo apt-get install chromium",
    )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "Playwright for Python is missing", ".venv/bin/pip install -e '.[test]'")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def find_axe() -> Path:
    require(AXE.is_file(), f"axe-core is missing at {AXE.relative_to(REPO)}", "npm ci --prefix tests/browser")
    return AXE


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """A static server like GitHub Pages: a missing file gets the site's 404.html."""

    not_found_page: Path

    def send_error(self, code, message=None, explain=None):
        if code != 404 or not self.not_found_page.is_file():
            return super().send_error(code, message, explain)
        body = self.not_found_page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format, *args):
        pass  # quiet


@dataclass
class Served:
    name: str  # "root" or "subpath"
    base: str  # http://127.0.0.1:PORT/ or http://127.0.0.1:PORT/repo/
    origin: str

    def url(self, path: str = "") -> str:
        return self.base + path


@contextlib.contextmanager
def serve_site(name: str, built: Path, tmp_path_factory, *, subpath: bool):
    """A built site on a threaded http.server on 127.0.0.1, at / or under /repo/."""
    if not subpath:
        site = docroot = built
        prefix = "/"
    else:
        docroot = tmp_path_factory.mktemp("served")
        site = docroot / "repo"
        shutil.copytree(built, site)  # the server's root holds the site at repo/, like user.github.io
        prefix = "/repo/"
    handler = type("Handler", (_SiteHandler,), {"not_found_page": site / "404.html"})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(docroot)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield Served(name, origin + prefix, origin)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session", params=["root", "subpath"])
def served(request, tmp_path_factory):
    """The sample site on a threaded http.server on 127.0.0.1, at / or under /repo/."""
    build = "sample_build" if request.param == "root" else "subpath_build"
    built = request.getfixturevalue(build)[0] / "site"
    with serve_site(request.param, built, tmp_path_factory, subpath=request.param == "subpath") as site:
        yield site


@dataclass
class Traffic:
    """Every request the browser made, and every response that failed."""

    origin: str
    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def foreign(self) -> list[str]:
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme in ("http", "https", "ws", "wss")
            and f"{urlsplit(url).scheme}://{urlsplit(url).netloc}" != self.origin
        ]


def open_context(browser, served: Served, traffic: Traffic, **options):
    context = browser.new_context(**options)
    context.set_default_timeout(10_000)
    # A page's load (every request through route() below) once took over 10 s on a loaded
    # shared CI machine; a slow load is not what these tests check, so navigation gets 30 s.
    context.set_default_navigation_timeout(30_000)

    def route(route):
        if f"{urlsplit(route.request.url).scheme}://{urlsplit(route.request.url).netloc}" == served.origin:
            route.continue_()
        else:
            route.abort()  # recorded below; never let a test reach the network

    context.route("**/*", route)
    context.on("request", lambda request: traffic.requests.append(request.url))
    context.on(
        "response",
        lambda response: response.status >= 400 and traffic.failed.append(f"{response.status} {response.url}"),
    )
    return context


@pytest.fixture
def visit(browser, served):
    """A fresh browser context (desktop size); afterwards, no request may have left the test server."""
    yield from visiting(browser, served)


def visiting(browser, served: Served):
    traffic = Traffic(served.origin)
    contexts = []

    def new_page(**options):
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = open_context(browser, served, traffic, **options)
        contexts.append(context)
        return context.new_page()

    new_page.traffic = traffic
    yield new_page
    for context in contexts:
        context.close()
    assert traffic.foreign() == [], f"requests to other hosts than the test server: {traffic.foreign()}"
    unexpected = [f for f in traffic.failed if "/no/such/page/" not in f]
    assert unexpected == [], f"failed requests: {unexpected}"


def settle(page) -> None:
    """Wait for CSS transitions (palette, drawer) so colours and positions are final."""
    page.evaluate("() => Promise.allSettled(document.getAnimations().map(a => a.finished))")


RESULT = ".bf-search__link"  # a result's headline, linked (briefings-search.js)


def search(page, query: str) -> list[str]:
    """Our search (Pagefind's, the default): open the header's panel, type, wait for results."""
    page.locator("details.bf-search > summary").click()
    page.get_by_role("searchbox", name="Search").focus()
    page.keyboard.type(query)
    page.wait_for_selector(RESULT)
    page.wait_for_load_state("networkidle")
    return page.eval_on_selector_all(RESULT, "links => links.map(a => a.href)")


def every_result(page) -> list[str]:
    """All the results: five show first, each "More results" adds five more (the sample has 80 articles)."""
    more = page.locator(".bf-search__more")
    while more.is_visible():
        shown = page.locator(RESULT).count()
        more.click()
        page.wait_for_function(f"document.querySelectorAll('{RESULT}').length > {shown}")
    # Each batch is shown once its pages' data has come: on a busy machine the last "More
    # results" may have been clicked before an earlier batch was on the page. All of them,
    # as many as the status line counts.
    page.wait_for_function(
        """n => { const m = document.querySelector('.bf-search__status').textContent.match(/^(\\d+) results?/);
                  return !m || document.querySelectorAll(n).length >= Number(m[1]); }""",
        arg=RESULT,
    )
    return page.eval_on_selector_all(RESULT, "links => links.map(a => a.href)")


def test_home_topic_article_and_back(visit, served):
    page = visit()
    page.goto(served.url())
    assert page.locator(".bf-topic-state__title").all_inner_texts() == TOPICS
    page.locator(".bf-topic-state__title a", has_text="Taiwan").click()
    page.wait_for_url(served.url("topics/taiwan/"))
    assert page.locator("h1").first.inner_text().startswith("Taiwan")
    headline = page.locator(".bf-story-item__title a").first  # a story, once: to its page
    title = headline.inner_text()
    headline.click()
    page.wait_for_url(served.url("stories/**"))
    assert page.locator("h1").first.inner_text().startswith(title)
    page.go_back()
    page.locator(".bf-story-item__sources a").first.click()  # one outlet's version: its article page
    page.wait_for_url(served.url("articles/**"))
    chips = page.locator(".bf-article-header .bf-chip")
    assert "Taiwan" in chips.all_inner_texts()
    chips.filter(has_text="Taiwan").click()
    page.wait_for_url(served.url("topics/taiwan/"))
    # Material's own stylesheet and script loaded (a wrong base path would leave the page bare).
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
    assert page.evaluate("typeof document$") == "object"


@pytest.mark.parametrize(
    "query, expected",
    [
        ("fentanyl", [SEED]),
        ("Taiwan election", [ELECTION]),
        ("Woodside", [STORY]),
    ],
)
def test_search_finds_stories_and_articles(visit, served, query, expected):
    page = visit()
    page.goto(served.url())
    search(page, query)
    pages = {url.split("?")[0].split("#")[0] for url in every_result(page)}
    for path in expected:
        assert served.url(path) in pages, (path, sorted(pages))
    # A result opens its page, under the site's base path.
    target = served.url(expected[-1])
    page.locator(f'{RESULT}[href^="{target.removeprefix(served.origin)}"]').first.click()
    page.wait_for_url(lambda url: url.split("?")[0].split("#")[0] == target)
    assert page.locator("h1").count() >= 1


def test_phone_layout_has_no_sideways_scroll_and_the_drawer_opens(visit, served):
    page = visit(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    for path in (BRIEFING, SEED, ""):
        page.goto(served.url(path))
        width, inner = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
        assert width <= inner, f"{path or 'home'} scrolls sideways: {width}px wide in a {inner}px viewport"
    page.goto(served.url(BRIEFING))
    drawer = page.locator("nav.md-nav--primary")
    assert drawer.bounding_box()["x"] < 0  # closed: off screen
    page.locator('label.md-header__button[for="__drawer"]').click()
    settle(page)
    assert page.locator("#__drawer").is_checked()
    box = drawer.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    # The briefing's own section is open in the drawer: go to a sibling briefing.
    drawer.get_by_role("link", name="Taiwan", exact=True).click()
    page.wait_for_url(served.url("topics/taiwan/"))


def test_story_page_on_a_phone(visit, served, sample_build):
    """The story page at 390×844: nothing scrolls sideways, the strip's bars and counts are
    drawn, and every headline is a link to the outlet's original page."""
    import frontmatter

    originals = sorted(
        m["url"]
        for p in (sample_build[0] / "content/articles").rglob("*.md")
        if (m := frontmatter.load(p).metadata).get("story") == "biden-xi-woodside-2023"
    )
    page = visit(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    for path in (STORY, "stories/", "sources/"):
        page.goto(served.url(path))
        width, inner = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
        assert width <= inner, f"{path} scrolls sideways: {width}px wide in a {inner}px viewport"
    page.goto(served.url(STORY))
    assert page.locator(".bf-story-count").inner_text() == "16 sources from 7 countries"
    links = page.locator(".bf-version__title a")
    assert sorted(links.evaluate_all("links => links.map(a => a.href)")) == originals
    # The bars are drawn: the widest is the country with the most sources, inside the phone's width.
    bars = page.locator(".bf-strip__group").first.locator(".bf-strip__bar > span")
    widths = [bars.nth(i).bounding_box()["width"] for i in range(bars.count())]
    assert widths == sorted(widths, reverse=True) and widths[0] > widths[-1] > 0
    box = page.locator(".bf-strip").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.get_by_role("heading", name="Washington says").is_visible()
    # "our notes" names its headline for screen readers only: those words take no room on screen.
    hidden = page.locator(".bf-version .bf-visually-hidden").first
    assert (
        hidden.bounding_box()["width"] <= 1
        and "our notes on" in page.locator(".bf-version .bf-meta a").first.text_content()
    )


def test_not_found_page_works_at_any_depth(visit, served):
    page = visit()
    response = page.goto(served.url("no/such/page/"))
    assert response.status == 404
    assert "404" in page.locator("h1").first.inner_text()
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
    page.locator("nav.md-nav--primary a.md-nav__link", has_text="Timeline").first.click()
    page.wait_for_url(served.url("timeline/"))
    assert page.locator(".bf-line").count() == 50  # archive_after: the newest 50 of 80 articles
    # It offers search: the words go to the home page, whose search opens with them.
    page.goto(served.url("no/such/page/"))
    assert page.locator(".bf-not-found__topics a").all_inner_texts() == ["US–China relations", "Taiwan", "Fentanyl"]
    page.get_by_label("Search the briefings").fill("fentanyl")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_selector(RESULT)
    assert page.locator(".bf-search__input").input_value() == "fentanyl"
    assert page.evaluate("location.pathname") == served.url("").removeprefix(served.origin)


def test_no_page_requests_anything_from_another_host(visit, served, sample_build):
    """Every HTML page of the site, loaded in full; the fixture fails on any foreign request."""
    site = sample_build[0] / "site"
    paths = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    page = visit()
    for number, path in enumerate(paths):
        # The first page waits for the search index and other late requests; they repeat on every page.
        page.goto(served.url(path.removesuffix("index.html")), wait_until="networkidle" if number == 0 else "load")
    assert len(visit.traffic.requests) > len(paths)  # pages and their assets were recorded
    assert visit.traffic.foreign() == []


def test_screenshots(visit, served):
    folder = OUTPUT / served.name
    folder.mkdir(parents=True, exist_ok=True)
    page = visit()
    for name, path in PAGES.items():
        page.goto(served.url(path))
        page.screenshot(path=folder / f"{name}.png", full_page=True)
    phone = visit(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone.goto(served.url(BRIEFING))
    phone.screenshot(path=folder / "briefing-phone.png")
    phone.goto(served.url(STORY))
    phone.screenshot(path=folder / "story-phone.png", full_page=True)
    for name in [*PAGES, "briefing-phone", "story-phone"]:
        png = (folder / f"{name}.png").read_bytes()
        assert png.startswith(b"\x89PNG") and len(png) > 10_000, name
    print(f"\nScreenshots: {folder}")


def axe_problems(page, axe_script: Path) -> list[str]:
    settle(page)
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(path=str(axe_script))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("palette", ["light", "dark"])
def test_no_serious_accessibility_violation(visit, served, axe_script, palette):
    page = visit(color_scheme="light")
    page.goto(served.url())
    if palette == "dark":
        # Switch as a reader does: Material's palette toggle (remembered for later pages).
        page.locator('form[data-md-component="palette"] label:visible').click()
    scheme = "slate" if palette == "dark" else "default"
    problems = {}
    for name, path in PAGES.items():
        page.goto(served.url(path))
        assert page.get_attribute("body", "data-md-color-scheme") == scheme
        problems[name] = axe_problems(page, axe_script)
    search(page, "fentanyl")  # the search dialog, open with results
    problems["search results"] = axe_problems(page, axe_script)
    page.set_viewport_size({"width": 390, "height": 844})  # the phone's navigation drawer, open
    page.goto(served.url(BRIEFING))
    page.locator('label.md-header__button[for="__drawer"]').click()
    problems["phone drawer"] = axe_problems(page, axe_script)
    assert {name: found for name, found in problems.items() if found} == {}


def test_links_in_running_text_are_underlined(visit, served, axe_script):
    """Article bodies are the curator's Markdown: a link in a paragraph must not be
    told apart by colour alone (the sample's bodies have none, so add one)."""
    page = visit()
    page.goto(served.url(SEED))
    page.evaluate("""() => {
        const p = document.createElement('p');
        p.id = 'probe';
        p.innerHTML = 'See <a href="../">the earlier talks</a> for the background.';
        document.querySelector('.md-content .md-typeset').append(p);
    }""")
    assert page.evaluate("getComputedStyle(document.querySelector('#probe a')).textDecorationLine") == "underline"
    page.add_script_tag(path=str(axe_script))
    result = page.evaluate("axe.run('#probe', {runOnly: ['link-in-text-block', 'color-contrast']})")
    assert result["violations"] == []
    assert any(rule["id"] == "link-in-text-block" for rule in result["passes"])


@pytest.mark.parametrize("ci", ["true", None])
def test_a_missing_browser_fails_with_how_to_install_it_in_ci_or_not(monkeypatch, ci):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    with pytest.raises(BaseException) as failed:  # so that a skip fails this test, rather than skipping it
        require(False, "no Chromium at /nowhere", "sudo apt-get install chromium")
    assert failed.type is pytest.fail.Exception
    assert str(failed.value) == (
        "no Chromium at /nowhere: install it with `sudo apt-get install chromium`, "
        'or leave out the browser tests with: pytest -m "not browser"'
    )
    require(True, "never raised", "nothing")


def test_missing_chromium_and_axe_fail_the_fixtures_naming_the_install_commands(monkeypatch):
    import test_browser

    monkeypatch.setattr(test_browser, "CHROMIUM", REPO / "no-such-chromium")
    with pytest.raises(BaseException) as failed:
        next(launch_browser())
    assert failed.type is pytest.fail.Exception and "`sudo apt-get install chromium`" in str(failed.value)
    monkeypatch.setattr(test_browser, "AXE", REPO / "tests/browser/node_modules/no-such-axe.js")
    with pytest.raises(BaseException) as failed:
        find_axe()
    assert failed.type is pytest.fail.Exception and "`npm ci --prefix tests/browser`" in str(failed.value)


def test_ci_installs_chromium_and_axe_before_the_readme_test_command():
    ci = (REPO / ".ci/run").read_text("utf-8")
    install, npm, run = (
        ci.index("apt-get install -y -qq chromium"),
        ci.index("npm ci"),
        ci.index('eval "$test_command"'),
    )
    assert install < run and npm < run
    assert "cd tests/browser" in ci
