"""The home page in Chromium, as a reader on a phone sees it: the first screen holds the top
story's headline and the start of its summary; "New" badges mark what came after the last
visit, from localStorage only; axe-core finds nothing serious in either palette. Served at /
and under /repo/ (the storage key names the site's path); no request leaves the test server
(``visiting`` checks it)."""

from __future__ import annotations

import pytest
from test_browser import axe_problems, serve_site, visiting

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
NEW = "span.bf-new"


@pytest.fixture(scope="module", params=["root", "subpath"])
def home(request, tmp_path_factory):
    build = "sample_build" if request.param == "root" else "subpath_build"
    built = request.getfixturevalue(build)[0] / "site"
    with serve_site(request.param, built, tmp_path_factory, subpath=request.param == "subpath") as served:
        yield served


@pytest.fixture
def visit(browser, home):
    yield from visiting(browser, home)


def key(home) -> str:
    return "briefings:last-visit:" + home.base.removeprefix(home.origin)


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def test_the_first_phone_screen_shows_the_top_story_and_its_summary(visit, home):
    page = visit(**PHONE)
    page.goto(home.url())
    title = box(page, ".bf-top__title")
    summary = box(page, ".bf-top__summary")
    line = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.bf-top__summary')).lineHeight)")
    assert page.locator(".bf-top__title").inner_text() == "Biden and Xi meet in Lima"
    assert title["y"] >= 0 and title["y"] + title["height"] <= 844
    assert summary["y"] + line <= 844, f"the summary's first line ends at {summary['y'] + line:.0f}px"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    assert page.locator(".bf-updated time").first.get_attribute("datetime") == "2024-11-17"


def test_first_visit_shows_no_badge_and_remembers_the_newest_date(visit, home):
    page = visit(**PHONE)
    page.goto(home.url())
    assert page.locator(NEW).count() == 0
    dates = page.eval_on_selector_all("[data-date]", "els => els.map(e => e.dataset.date)")
    assert page.evaluate(f"localStorage.getItem({key(home)!r})") == max(dates) == "2024-11-17"


def test_items_after_the_last_visit_are_marked_new_until_the_next_visit(visit, home):
    page = visit(**PHONE)
    page.goto(home.url())
    page.evaluate(f"localStorage.setItem({key(home)!r}, '2024-08-06')")
    page.reload()
    items = page.eval_on_selector_all(
        "[data-date]", "els => els.map(e => [e.dataset.date, e.querySelectorAll('span.bf-new').length])"
    )
    newer = [n for date, n in items if date > "2024-08-06"]
    older = [n for date, n in items if date <= "2024-08-06"]
    assert newer and older
    assert newer == [1] * len(newer) and older == [0] * len(older)
    badge = page.locator(f".bf-top {NEW}")
    assert badge.is_visible() and badge.bounding_box()["width"] > 10  # "New" shows; the rest is for screen readers
    assert page.locator(f".bf-top {NEW}").text_content() == "New since your last visit"
    assert page.evaluate(f"localStorage.getItem({key(home)!r})") == "2024-11-17"
    page.reload()
    assert page.locator(NEW).count() == 0
    assert page.context.cookies() == []


def test_without_javascript_or_storage_the_page_is_whole(visit, home):
    page = visit(**PHONE, java_script_enabled=False)
    page.goto(home.url())
    assert page.locator(".bf-top__summary").is_visible()
    assert page.locator("section.bf-topic-state").count() == 3 and page.locator(NEW).count() == 0
    page = visit(**PHONE)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # Our key refused, as private modes and storage settings do (Material's own keys keep working).
    page.add_init_script("""for (const name of ["getItem", "setItem"]) {
        const real = Storage.prototype[name];
        Storage.prototype[name] = function (key, ...rest) {
            if (String(key).startsWith("briefings:")) throw new DOMException("denied", "SecurityError");
            return real.call(this, key, ...rest);
        };
    }""")
    page.goto(home.url())
    page.wait_for_load_state("load")
    assert errors == [] and page.locator(NEW).count() == 0
    assert page.locator(".bf-story-line").count() == 9


@pytest.mark.parametrize("palette", ["light", "dark"])
def test_home_with_new_badges_has_no_serious_accessibility_violation(visit, home, axe_script, palette):
    page = visit(**PHONE, color_scheme=palette)
    page.goto(home.url())
    page.evaluate(f"localStorage.setItem({key(home)!r}, '2024-01-01')")
    page.reload()
    assert page.locator(NEW).count() > 3
    scheme = "slate" if palette == "dark" else "default"
    assert page.get_attribute("body", "data-md-color-scheme") == scheme
    assert axe_problems(page, axe_script) == []
    page.set_viewport_size({"width": 1280, "height": 900})
    assert axe_problems(page, axe_script) == []
