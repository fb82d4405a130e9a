"""The back ends: Pagefind search (extra.briefings.search: pagefind, the default) and the
Zensical engine (briefings build --engine zensical), built from the sample site
and checked on disk and in Chromium (fixtures from test_browser.py). Material's own
search (search: material) and the search's results, filters and keyboard: test_search.py."""

from __future__ import annotations

import json
import re
import sys

import pytest
from bs4 import BeautifulSoup
from conftest import VALID, copy_sample, pagefind_fragments, require_installed, run_cli
from test_browser import (
    ELECTION,
    RESULT,
    SEED,
    STORY,
    axe_problems,
    every_result,
    serve_site,
    settle,
    visiting,
)
from test_browser import search as pagefind_search

FENTANYL_ONLY = "articles/2024-08-05-briefings-desk-china-schedules-fentanyl-precursors/"  # not in Taiwan


@pytest.fixture(autouse=True)
def _pagefind_installed() -> None:
    """Pagefind comes with the test extra; without it every test here fails, saying how to install it."""
    require_installed("pagefind")


def with_pagefind(root, full_text: bool = True):
    config = root / "mkdocs.yml"
    options = "    search: pagefind\n" + ("" if full_text else "    search_full_text: false\n")
    config.write_text(config.read_text("utf-8").replace("extra:\n", "extra:\n  briefings:\n" + options, 1), "utf-8")
    return root


@pytest.fixture(scope="session")
def pagefind_build(subpath_build):
    """The sample as it is (Pagefind is the default search), built for /repo/."""
    return subpath_build[0]


def test_pagefind_indexes_articles_and_stories_instead_of_materials_index(pagefind_build):
    site = pagefind_build / "site"
    bundle = site / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    assert not (site / "search").exists(), "Material's search index is built although Pagefind replaces it"
    entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
    assert entry["languages"]["en"]["page_count"] == 80 + 12  # article and story pages only
    story = pagefind_fragments(bundle)["/stories/biden-xi-woodside-2023/"]  # search finds stories
    assert story["meta"]["title"] == "Biden and Xi meet in Woodside" and "Filoli estate" in story["content"]
    # An article carries its filters; the header has Pagefind's search, not Material's.
    html = BeautifulSoup((site / SEED / "index.html").read_text("utf-8"), "html.parser")
    filters = {(m["data-pagefind-filter"], m["content"]) for m in html.select("meta[data-pagefind-filter]")}
    assert filters == {
        ("topic[content]", "US–China relations"),
        ("topic[content]", "Fentanyl"),
        ("topic[content]", "Taiwan"),
        ("outlet[content]", "The Daily Caller"),
        ("country[content]", "US"),
        ("year[content]", "2023"),
    }
    meta = {(m["data-pagefind-meta"], m["content"]) for m in html.select("meta[data-pagefind-meta]")}
    assert meta == {("outlet[content]", "The Daily Caller"), ("date[content]", "15 November 2023")}
    assert html.select_one("meta[data-pagefind-sort]")["content"] == "2023-11-15"
    assert html.select("[data-pagefind-body]") and html.select("details.bf-search #bf-search")
    assert not html.select('[data-md-component="search"]')
    home = BeautifulSoup((site / "index.html").read_text("utf-8"), "html.parser")
    assert not home.select("[data-pagefind-body]") and home.select("details.bf-search")
    # Pagefind's UI is not on the page: briefings-search.js fetches it once the reader types.
    assert not [s for s in home.select("script[src], link[href]") if "pagefind" in (s.get("src") or s["href"])]


def article_record(site):
    html = BeautifulSoup((site / SEED / "index.html").read_text("utf-8"), "html.parser")
    record = pagefind_fragments(site / "pagefind")["/" + SEED]
    words = " ".join(record["content"].split())
    for selector in ("h1", ".bf-summary", ".bf-key-points li", ".bf-why", ".bf-quote blockquote", ".bf-people li"):
        for element in html.select(selector):
            assert " ".join(element.get_text(" ").split()).removesuffix("¶").strip()[:40] in words, selector
    body = [" ".join(p.get_text(" ").split()) for p in html.select(".bf-body p")]
    assert body
    return words, body


def test_pagefind_indexes_an_articles_full_text_by_default(pagefind_build):
    words, body = article_record(pagefind_build / "site")
    assert all(text[:40] in words for text in body)


def test_search_full_text_false_leaves_the_body_out_for_a_lighter_index(tmp_path):
    """The body made the index heavy at 10,000 articles; the title, summary,
    key points, why it matters, quotes and people stay searchable."""
    root = with_pagefind(copy_sample(tmp_path / "light"), full_text=False)
    result = run_cli("build", "--project", str(root))
    assert result.exit_code == 0, result.output
    words, body = article_record(root / "site")
    assert not [text for text in body if text[:40] in words]


@pytest.mark.parametrize("value, ok", [("[]", False), ("''", False), ("[archive_after]", False), ("", True)])
def test_extra_briefings_is_a_mapping_or_left_empty(tmp_path, value, ok):
    """Left empty (`briefings:`), no settings; `[]` was taken for none as silently."""
    root = copy_sample(tmp_path / "desk")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("extra:\n", f"extra:\n  briefings: {value}\n", 1))
    result = run_cli("check", "--project", str(root))
    if ok:
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code == 1
        said = result.output.strip()
        assert said == "Error: mkdocs.yml: extra.briefings: expected a mapping such as {archive_after: 50}"


def test_unknown_search_option_is_one_line(tmp_path):
    root = copy_sample(tmp_path / "desk")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("extra:\n", "extra:\n  briefings:\n    search: google\n", 1))
    result = run_cli("build", "--project", str(root))
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Error: mkdocs.yml: extra.briefings.search: expected one of: pagefind, material (got 'google')"
    )


FILTER_FILES = "/pagefind/filter/"


def test_pagefind_loads_only_when_the_reader_types_and_filters_only_when_asked(pf_visit, pf_served):
    page = pf_visit()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(pf_served.url(SEED))
    page.wait_for_load_state("networkidle")
    assert not [url for url in requested if "/pagefind/" in url]
    page.locator("details.bf-search > summary").click()  # the panel opens, the box has the focus:
    page.wait_for_timeout(500)
    assert page.evaluate("document.activeElement.classList.contains('bf-search__input')")
    assert not [url for url in requested if "/pagefind/" in url]  # still nothing fetched
    page.locator("details.bf-search > summary").click()
    pagefind_search(page, "fentanyl")
    assert pf_served.url("pagefind/pagefind.js") in requested
    # Our UI, not Pagefind's; and a plain search fetches none of the filter files.
    assert not [url for url in requested if "pagefind-ui" in url or FILTER_FILES in url]
    # The live region announces the count; five results show, each "More results" five more.
    status = page.locator(".bf-search__status[role=status]").inner_text()
    total = int(status.split()[0])
    assert status == f"{total} results for “fentanyl”" and total > 5
    assert page.locator(RESULT).count() == 5
    page.locator(".bf-search__more").click()
    page.wait_for_function(f"document.querySelectorAll('{RESULT}').length === {min(total, 10)}")
    assert pf_served.url(SEED) in every_result(page)
    assert page.locator(RESULT).count() == total and page.locator(".bf-search__more").is_hidden()
    page.keyboard.press("Escape")
    page.locator("details.bf-search > summary").click()  # opened again: the same UI, not a second one
    assert page.locator(".bf-search__input").count() == 1
    assert requested.count(pf_served.url("pagefind/pagefind.js")) == 1
    # Opening the Filter panel loads the filters (topic, outlet, country, year).
    page.locator(".bf-search__filters > summary").click()
    page.wait_for_selector(".bf-search__group")
    assert [u for u in requested if FILTER_FILES in u]
    legends = page.eval_on_selector_all(".bf-search__group legend", "ls => ls.map(l => l.textContent)")
    assert legends == ["topic", "outlet", "country", "year"]


@pytest.mark.parametrize("query, expected", [("fentanyl", [STORY, SEED]), ("Taiwan election", [ELECTION])])
def test_pagefind_finds_stories_and_articles(pf_visit, pf_served, query, expected):
    page = pf_visit()
    page.goto(pf_served.url())
    pagefind_search(page, query)
    results = every_result(page)
    for path in expected:
        assert pf_served.url(path) in results, (path, results)
    # Each result: its headline linked, its outlet and date, its topics, an excerpt with the words marked.
    item = page.locator(".bf-search__result", has=page.locator(f'{RESULT}[href="/repo/{expected[-1]}"]'))
    assert item.locator(".bf-search__excerpt mark").count() >= 1
    source, date = item.locator(".bf-search__meta").inner_text().split(" · ")
    assert re.search(r"\b20\d\d$", date) and source
    assert item.locator(".bf-search__topics").inner_text().startswith("Topics: ")
    # Keyboard: from the box, the arrow key reaches the results; Enter follows the link.
    page.get_by_role("searchbox", name="Search").focus()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('bf-search__link')")
    item.locator(RESULT).focus()
    page.keyboard.press("Enter")
    page.wait_for_url(pf_served.url(expected[-1]))


def test_the_not_found_page_searches_with_pagefind(pf_visit, pf_served):
    """Its form sends ?q= to the home page, where our search panel opens with the words."""
    page = pf_visit()
    page.goto(pf_served.url("no/such/page/"))
    page.get_by_label("Search the briefings").fill("fentanyl")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_selector(RESULT)
    assert page.locator(".bf-search__input").input_value() == "fentanyl"
    assert pf_served.url(SEED) in every_result(page)


def test_pagefind_results_filter_by_topic(pf_visit, pf_served):
    page = pf_visit()
    page.goto(pf_served.url(SEED))
    pagefind_search(page, "fentanyl")
    assert pf_served.url(FENTANYL_ONLY) in every_result(page)
    page.locator(".bf-search__filters > summary").click()
    topic = page.locator(".bf-search__group", has=page.locator("legend", has_text="topic"))
    topic.get_by_label("Taiwan").check()
    page.wait_for_function("document.querySelector('.bf-search__status').textContent.includes('(filtered)')")
    page.wait_for_load_state("networkidle")
    results = every_result(page)
    assert pf_served.url(SEED) in results  # in Fentanyl and Taiwan
    assert pf_served.url(FENTANYL_ONLY) not in results
    assert "(filtered)" in page.locator(".bf-search__status").inner_text()


def test_pagefind_results_show_only_marks_from_the_excerpt(pf_visit, pf_served):
    """Whatever Pagefind's excerpt holds, only <mark> is inserted as HTML (briefings-search.js)."""
    page = pf_visit()
    page.goto(pf_served.url())
    pagefind_search(page, "fentanyl")
    tags = page.eval_on_selector_all(".bf-search__excerpt *", "els => [...new Set(els.map(e => e.tagName))]")
    assert tags == ["MARK"]
    titles = page.eval_on_selector_all(".bf-search__title *", "els => els.map(e => e.tagName)")
    assert set(titles) == {"A"}


@pytest.mark.parametrize("palette", ["light", "dark"])
def test_pagefind_results_have_no_serious_accessibility_violation(pf_visit, pf_served, axe_script, palette):
    page = pf_visit(color_scheme="light")
    page.goto(pf_served.url(SEED))
    if palette == "dark":
        page.locator('form[data-md-component="palette"] label:visible').click()
        settle(page)
    pagefind_search(page, "fentanyl")
    page.locator(".bf-search__filters > summary").click()
    page.wait_for_selector(".bf-search__group")
    assert axe_problems(page, axe_script) == []


# --- Zensical -----------------------------------------------------------------


@pytest.fixture(scope="session")
def zensical_build(tmp_path_factory):
    require_installed("zensical")
    root = copy_sample(tmp_path_factory.mktemp("zensical"))
    result = run_cli("build", "--project", str(root), "--engine", "zensical")  # strict: every link resolves
    assert result.exit_code == 0, result.output
    return root, result


@pytest.mark.slow
def test_zensical_builds_the_same_pages(zensical_build, sample_build):
    root, result = zensical_build
    site, mkdocs_site = root / "site", sample_build[0] / "site"
    pages = {p.relative_to(mkdocs_site).as_posix() for p in mkdocs_site.rglob("index.html")}
    assert pages <= {p.relative_to(site).as_posix() for p in site.rglob("index.html")}
    # The generated files that are not pages are copied as they are: the edition manifest, the feeds.
    for name in ("edition.json", "feeds/digests.xml"):
        assert (site / name).read_bytes() == (mkdocs_site / name).read_bytes()
    # Pagefind indexes it, as the MkDocs build: Zensical's own index is empty (it writes the file anyway).
    assert (site / ".nojekyll").is_file() and (site / "pagefind/pagefind.js").is_file()
    assert json.loads((site / "search.json").read_text("utf-8"))["items"] == []
    html = BeautifulSoup((site / SEED / "index.html").read_text("utf-8"), "html.parser")
    assert html.select_one(".bf-article-header h1").get_text().startswith("Biden, Xi Reach Agreement")
    # Links to people from the body resolve as in the MkDocs build.
    assert [a["href"] for a in html.select(".bf-people a")] == ["../../people/joe-biden/", "../../people/xi-jinping/"]
    config = (root / "build/mkdocs.yml").read_text("utf-8")
    assert "tags" not in config.split("plugins:", 1)[1]  # our topic pages are the tag pages
    assert "Built " in result.output


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_links_in_an_articles_html_reach_the_pages_with_either_engine(site, engine):
    """A body's link to another article, the people and a quote's speaker are raw HTML in the
    generated page: written as each engine reads such a link (MkDocs from the page's address,
    Zensical from the Markdown file's folder), they reach the same pages, in a strict build."""
    if engine == "zensical":
        require_installed("zensical")
    quote = (
        '\nquotes:\n  - text: "We will keep on talking, whatever it takes us."\n    speaker: Jane Doe\n'
        '  - text: "a new chapter"\n    speaker: Jane Doe\n'
    )
    site.article("a.md", VALID + "people: [Jane Doe]" + quote, body="See [the other report](b.md).\n")
    site.article("b.md", VALID.replace("A valid article", "Another article"))
    result = site.run("build", "--engine", engine)
    assert result.exit_code == 0, result.output
    page = BeautifulSoup((site.root / "site/articles/a/index.html").read_text("utf-8"), "html.parser")
    assert page.select_one(".bf-body a")["href"] == "../b/"
    assert page.select_one(".bf-quote figcaption a")["href"] == "../../people/jane-doe/"
    assert page.select_one(".bf-quoted li a")["href"] == "../../people/jane-doe/"
    assert [a["href"] for a in page.select(".bf-people a")] == ["../../people/jane-doe/"]
    assert (site.root / "site/articles/b/index.html").is_file()
    assert (site.root / "site/people/jane-doe/index.html").is_file()


@pytest.mark.slow
def test_zensical_links_are_checked_by_briefings(site):
    """Zensical has no strict mode: briefings checks every link of what it built,
    fails a strict build (keeping the previous site) and warns otherwise."""
    require_installed("zensical")
    site.article("a.md", VALID, body="A [broken link](../no-such-article/).\n")
    strict = site.run("build", "--engine", "zensical")
    assert strict.exit_code == 1
    assert strict.output.startswith("Error: Zensical built a site with 1 broken link: broken link: articles/a/")
    assert "the previous site is untouched" in strict.output
    result = site.run("build", "--engine", "zensical", "--no-strict")
    assert result.exit_code == 0
    warnings = [line for line in result.output.splitlines() if line.startswith("Warning: broken link:")]
    assert len(warnings) == 1 and "../no-such-article/" in warnings[0]


@pytest.mark.slow
def test_zensical_builds_a_project_site_under_a_subpath(tmp_path):
    """The 404 page links from the site's root (/repo/...): the link check must
    read them against the base URL, as for MkDocs."""
    require_installed("zensical")
    root = copy_sample(tmp_path)
    result = run_cli(
        "build", "--project", str(root), "--engine", "zensical", "--base-url", "https://user.github.io/repo/"
    )
    assert result.exit_code == 0, result.output
    page = (root / "site/404.html").read_text("utf-8")
    assert 'href="/repo/assets/stylesheets/briefings.css"' in page


def test_a_runaway_engine_is_stopped_with_one_line(tmp_path):
    from briefings.engine.guard import run_guarded
    from briefings.errors import SiteBuildError

    hog = "x = bytearray(3 * 2**30)"
    with pytest.raises(
        SiteBuildError,
        match=r"^Hog ran out of memory: it was stopped at its limit of 1 GB "
        r"\(raise it with --max-memory-gb\)$",
    ):
        run_guarded([sys.executable, "-c", hog], what="Hog", cwd=tmp_path, max_memory_gb=1)
    with pytest.raises(SiteBuildError, match=r"^Hog failed \(exit status 3\): broken$"):
        run_guarded(
            [sys.executable, "-c", "import sys; print('broken'); sys.exit(3)"],
            what="Hog",
            cwd=tmp_path,
            max_memory_gb=1,
        )


def test_zensical_memory_limit_is_reported(tmp_path):
    require_installed("zensical")
    root = copy_sample(tmp_path / "desk")
    before = sorted(p.name for p in root.iterdir())
    result = run_cli("build", "--project", str(root), "--engine", "zensical", "--max-memory-gb", "0.1")
    assert result.exit_code == 1
    assert result.output.startswith("Error: Zensical ")
    assert len(result.output.strip().splitlines()) == 1
    assert not (root / "site").exists()
    assert sorted(p.name for p in root.iterdir()) == sorted([*before, "build"])


@pytest.fixture(scope="session")
def zs_served(zensical_build, tmp_path_factory):
    with serve_site("zensical", zensical_build[0] / "site", tmp_path_factory, subpath=False) as served:
        yield served


@pytest.fixture
def zs_visit(browser, zs_served):
    yield from visiting(browser, zs_served)


def test_zensical_site_search_works_in_the_browser(zs_visit, zs_served):
    """Our search on Pagefind's index, as on the MkDocs build: nothing fetched before typing."""
    page = zs_visit()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(zs_served.url())
    page.wait_for_load_state("networkidle")
    assert not [url for url in requested if "/pagefind/" in url or url.endswith("search.json")]
    pagefind_search(page, "fentanyl")
    results = every_result(page)
    assert zs_served.url(SEED) in results and zs_served.url(STORY) in results, sorted(results)
    meta = page.locator(".bf-search__meta").first.inner_text()
    assert re.search(r"\d{1,2} \w+ 20\d\d$", meta), meta


@pytest.mark.slow
def test_an_edit_of_a_pagefind_site_rebuilds_only_its_pages_and_indexes_them_again(tmp_path):
    """The incremental build works with Pagefind too: the changed pages are
    rendered again, the staged site is indexed again (Pagefind cannot update
    an index), and the result is the same as a full build. The published
    bundle is never written through the staging folder's hard links."""
    import shutil

    root = with_pagefind(copy_sample(tmp_path / "desk"))
    assert run_cli("build", "--project", str(root)).exit_code == 0
    bundle, kept = root / "site" / "pagefind", tmp_path / "kept"
    kept.mkdir()
    published = {}  # hard links to the published bundle's files: they show any write through a link
    for i, path in enumerate(p for p in bundle.rglob("*") if p.is_file()):
        (kept / str(i)).hardlink_to(path)
        published[kept / str(i)] = path.read_bytes()
    seed = root / "content/articles/2023/2023-11-15-daily-caller-biden-xi-agreement.md"
    seed.write_text(
        seed.read_text("utf-8").replace("military-to-military", "military-to-military (quokka)", 1), "utf-8"
    )
    result = run_cli("build", "--project", str(root))
    assert result.exit_code == 0, result.output
    assert re.search(r"\(\d+ changed pages? rebuilt\)", result.stdout), result.stdout
    assert all(link.read_bytes() == data for link, data in published.items())
    words, _ = article_record(root / "site")
    assert "quokka" in words
    fresh = tmp_path / "fresh"
    shutil.copytree(root, fresh, ignore=shutil.ignore_patterns("build", "site", ".site-*"))
    assert run_cli("build", "--project", str(fresh)).exit_code == 0
    # Pagefind's filter and meta files differ from one run to the next even for
    # the same pages (Pagefind/pagefind#638); its page fragments, which hold what
    # is found, do not. Everything else is the same as a full build.
    assert stable_files(root / "site") == stable_files(fresh / "site")


def stable_files(site):
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in site.rglob("*")
        if p.is_file() and (p.parent.name == "fragment" or "pagefind" not in p.relative_to(site).parts)
    }


def test_the_tested_zensical_version_is_the_one_installed_and_pinned():
    """README.md and docs/src/zensical.md name the version the tests run against: keep it true."""
    import importlib.metadata

    from conftest import REPO

    installed = importlib.metadata.version("zensical")
    assert f"tested with **Zensical {installed}**" in (REPO / "docs/src/zensical.md").read_text("utf-8")
    assert f'"zensical=={installed}"' in (REPO / "pyproject.toml").read_text("utf-8")
    assert f"Zensical {installed} (the newest release" in " ".join((REPO / "README.md").read_text("utf-8").split())
