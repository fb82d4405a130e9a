"""The site's search as a reader uses it, in Chromium: Pagefind's (the default) fetches
nothing until the reader types; its results show headline, outlet, date and topics;
filters narrow them, "Sort" orders them by date; all of it by keyboard, on a phone and
in both palettes. Material's search (extra.briefings.search: material) still works.
The sample is served under /repo/ (pf_served, pf_visit in conftest.py)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import copy_sample, run_cli
from test_browser import RESULT, SEED, STORY, axe_problems, every_result, serve_site, settle, visiting
from test_browser import search as type_search

KENYAN = "articles/2024-08-07-the-standard-kenya-china-to-crack-down-on-fentanyl-chemicals/"


def pagefind_requests(requested: list[str]) -> list[str]:
    return [url for url in requested if "/pagefind/" in url]


@pytest.mark.parametrize("path", ["", "topics/fentanyl/", SEED, STORY])
def test_no_page_fetches_the_search_index_before_the_reader_types(pf_visit, pf_served, path):
    """Loading a page, and opening the search panel, request nothing under pagefind/:
    not the index, not even pagefind.js. The first character typed loads it."""
    page = pf_visit()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(pf_served.url(path))
    page.wait_for_load_state("networkidle")
    assert pagefind_requests(requested) == []
    page.locator("details.bf-search > summary").click()
    page.get_by_role("searchbox", name="Search").wait_for()
    page.wait_for_timeout(400)
    assert pagefind_requests(requested) == []
    page.keyboard.type("fentanyl")
    page.wait_for_selector(RESULT)
    assert pf_served.url("pagefind/pagefind.js") in requested
    assert pf_served.url(SEED) in every_result(page)


def result_of(page, path: str):
    return page.locator(".bf-search__result", has=page.locator(f'{RESULT}[href="/repo/{path}"]'))


def test_a_result_shows_headline_outlet_date_and_topics(pf_visit, pf_served):
    page = pf_visit()
    page.goto(pf_served.url())
    type_search(page, "Daily Caller agreement")
    every_result(page)
    item = result_of(page, SEED)
    assert item.locator(RESULT).inner_text() == (
        "Biden, Xi Reach Agreement On Illicit Fentanyl And Military Communication After First Meeting In A Year"
    )
    assert item.locator(".bf-search__meta").inner_text() == "The Daily Caller · 15 November 2023"
    assert item.locator(".bf-search__topics").inner_text() == "Topics: US–China relations, Fentanyl, Taiwan"
    # A story says so, with its number of sources and its dates.
    type_search_again(page, "Woodside")
    story = result_of(page, STORY)
    assert re.fullmatch(r"Story · \d+ sources · 15–17 November 2023", story.locator(".bf-search__meta").inner_text())


def type_search_again(page, query: str) -> None:
    box = page.get_by_role("searchbox", name="Search")
    box.fill("")
    box.focus()
    page.keyboard.type(query)
    page.wait_for_function(
        "q => document.querySelector('.bf-search__status').textContent.includes(q)", arg=query, timeout=10_000
    )
    every_result(page)


def test_the_country_filter_narrows_the_results(pf_visit, pf_served):
    """Countries come from content/outlets.yml: the only Kenyan outlet's version is what is left."""
    page = pf_visit()
    page.goto(pf_served.url())
    type_search(page, "fentanyl")
    assert len(every_result(page)) > 3
    page.locator(".bf-search__filters > summary").click()
    country = page.locator(".bf-search__group", has=page.locator("legend", has_text="country"))
    country.get_by_label("Kenya").check()
    page.wait_for_function("document.querySelector('.bf-search__status').textContent.includes('(filtered)')")
    page.wait_for_load_state("networkidle")
    results = {u.removeprefix(pf_served.base) for u in every_result(page)}
    assert KENYAN in results and SEED not in results
    assert all(r.startswith(("stories/", KENYAN)) for r in results), results


def article_days(urls: list[str]) -> list[dt.date]:
    """The publication days of the article results (their addresses begin with them)."""
    days = [re.search(r"/articles/(\d{4}-\d\d-\d\d)-", u) for u in urls]
    return [dt.date.fromisoformat(m.group(1)) for m in days if m]


def test_sorting_by_date_orders_the_results(pf_visit, pf_served):
    page = pf_visit()
    page.goto(pf_served.url())
    type_search(page, "Taiwan")
    relevance = every_result(page)
    page.get_by_label("Sort").select_option(label="Newest first")
    page.wait_for_function("document.querySelectorAll('.bf-search__result').length <= 5")
    page.wait_for_load_state("networkidle")
    newest = every_result(page)
    days = article_days(newest)
    assert len(days) > 10 and days == sorted(days, reverse=True)
    assert sorted(newest) == sorted(relevance) and newest != relevance
    page.get_by_label("Sort").select_option(label="Oldest first")
    page.wait_for_function("document.querySelectorAll('.bf-search__result').length <= 5")
    page.wait_for_load_state("networkidle")
    oldest = article_days(every_result(page))
    assert oldest == sorted(oldest) and oldest[0] < oldest[-1]


def test_the_search_works_by_keyboard(pf_visit, pf_served):
    """Tab from the box reaches "Sort", then "Filter" (Enter opens it) and its boxes (Space
    ticks one); Enter on a result opens its page."""
    page = pf_visit()
    page.goto(pf_served.url())
    page.locator("details.bf-search > summary").focus()
    page.keyboard.press("Enter")  # opens the panel, the box takes the focus
    page.wait_for_function("document.activeElement.classList.contains('bf-search__input')")
    page.keyboard.type("fentanyl")
    page.wait_for_selector(RESULT)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('bf-search__sort')")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('bf-search__filters-toggle')")
    page.keyboard.press("Enter")
    page.wait_for_selector(".bf-search__group input")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.filter") == "topic"
    page.keyboard.press("Space")
    page.wait_for_function("document.querySelector('.bf-search__status').textContent.includes('(filtered)')")
    page.wait_for_load_state("networkidle")
    first = page.locator(RESULT).first
    target = first.get_attribute("href")
    first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(pf_served.origin + target)
    assert page.locator("h1").first.is_visible()


def test_the_search_on_a_phone(pf_visit, pf_served, axe_script):
    """On a 390×844 phone the panel fits the screen, its results are readable, and axe
    finds nothing serious with the results and filters open."""
    page = pf_visit(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.goto(pf_served.url())
    type_search(page, "fentanyl")
    page.locator(".bf-search__filters > summary").click()
    page.wait_for_selector(".bf-search__group")
    box = page.locator(".bf-search__panel").bounding_box()
    width, inner = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
    assert inner == 390 and width <= inner, f"the page scrolls sideways: {width}px wide in a {inner}px viewport"
    assert box["x"] >= 0 and box["x"] + box["width"] <= inner
    assert page.locator(".bf-search__meta").first.is_visible()
    assert axe_problems(page, axe_script) == []


@pytest.mark.parametrize("palette", ["light", "dark"])
def test_sorted_results_have_no_serious_accessibility_violation(pf_visit, pf_served, axe_script, palette):
    page = pf_visit(color_scheme="light")
    page.goto(pf_served.url())
    if palette == "dark":
        page.locator('form[data-md-component="palette"] label:visible').click()
        settle(page)
    type_search(page, "Taiwan")
    page.get_by_label("Sort").select_option(label="Newest first")
    page.wait_for_load_state("networkidle")
    assert axe_problems(page, axe_script) == []


# --- Material's search, for a small desk ----------------------------------------


@pytest.fixture(scope="module")
def material_served(tmp_path_factory):
    root = copy_sample(tmp_path_factory.mktemp("material"))
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace("extra:\n", "extra:\n  briefings:\n    search: material\n", 1), "utf-8"
    )
    result = run_cli("build", "--project", str(root))
    assert result.exit_code == 0, result.output
    site = root / "site"
    assert (site / "search/search_index.json").is_file() and not (site / "pagefind").exists()
    with serve_site("material", site, tmp_path_factory, subpath=False) as served:
        yield served


@pytest.fixture
def material_visit(browser, material_served):
    yield from visiting(browser, material_served)


def test_material_search_still_works_when_chosen(material_visit, material_served):
    """search: material: Material's search box and index, which its script fetches with the
    page (the reason Pagefind is the default), and nothing of Pagefind's."""
    page = material_visit()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(material_served.url())
    assert not page.locator("details.bf-search").count()
    page.locator("input.md-search__input").focus()
    page.keyboard.type("fentanyl")
    page.wait_for_selector(".md-search-result__item")
    links = page.eval_on_selector_all(".md-search-result__link", "links => links.map(a => a.href)")
    assert any(link.startswith(material_served.url(SEED)) for link in links)
    assert material_served.url("search/search_index.json") in requested
    assert not pagefind_requests(requested)
