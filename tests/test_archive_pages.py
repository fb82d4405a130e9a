"""Every URL prefix of the site answers with a page: a reader who trims
/articles/<slug>/ gets the articles index, and one who trims a month archive
(/timeline/2024/11/, /topics/<id>/2024/11/, /people/<slug>/2024/11/) gets its
year's page, then the listing. Walked on built sites, read as a reader reads
them, and followed in Chromium."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup
from conftest import REPO, Site, require_installed, run_cli
from test_browser import axe_problems, serve_site, visiting

# Folders of the built site that hold files pages fetch, never pages of their
# own: no reader is sent there, so their prefixes need no index page.
ASSET_FOLDERS = {
    "assets": "stylesheets, scripts, fonts and images of the theme (Material's, Zensical's and ours)",
    "search": "Material's search index (search_index.json), fetched by its search box",
    "pagefind": "Pagefind's index and scripts (search: pagefind), fetched by our search box",
    "feeds": "Atom and JSON feeds and index.opml listing them, fetched by feed readers; pages and the footer link them",
}
DRAFT = """\
---
title: An unfinished draft
date: 2024-12-01
source: Briefings desk
topics: [taiwan]
draft: true
---
Not yet.
"""


def archived_site(root: Path, **settings) -> Site:
    """The sample with month archives everywhere (archive_after: 1) and a draft in a month of its own."""
    site = Site(root)
    shutil.copytree(REPO / "content", site.root / "content", dirs_exist_ok=True)
    site.settings(archive_after=1, **settings)
    site.write("content/articles/2024/2024-12-01-draft.md", DRAFT)
    return site


def build(site: Site, *args: str) -> Path:
    result = site.run("build", *args)
    assert result.exit_code == 0, result.output
    return site.root / "site"


@pytest.fixture(scope="module")
def archived(tmp_path_factory) -> Path:
    """The archived sample built with --drafts: the draft is the newest article."""
    return build(archived_site(tmp_path_factory.mktemp("archived") / "desk"), "--drafts")


def dom(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text("utf-8"), "html.parser")


def prefixes_without_a_page(site: Path) -> list[str]:
    """Each folder above a built file (pages, feeds, sitemaps...) that has no index.html, as a URL path."""
    missing = set()
    for path in site.rglob("*"):
        parts = path.relative_to(site).parts
        if path.is_dir() or parts[0] in ASSET_FOLDERS:
            continue
        for depth in range(len(parts)):  # "", "a", "a/b": every folder above the file
            folder = "/".join(parts[:depth])
            if not (site / folder / "index.html").is_file():
                missing.add(f"/{folder}/".replace("//", "/"))
    return sorted(missing)


def links(page: BeautifulSoup, url: str, selector: str) -> list[tuple[str, str]]:
    """(text, site-root-relative URL) of the links ``selector`` picks on the page at ``url``."""
    return [(a.get_text(" ", strip=True), urljoin(f"/{url}", a["href"])) for a in page.select(selector)]


def count(text: str) -> int:
    return int(text.strip("()"))


@pytest.mark.parametrize(
    "variant, assets",
    [
        ("sample", {"assets", "pagefind", "feeds"}),
        ("archived", {"assets", "pagefind", "feeds"}),
        pytest.param("zensical", {"assets", "pagefind", "feeds"}, marks=pytest.mark.slow),
        pytest.param("material", {"assets", "search", "feeds"}, marks=pytest.mark.slow),
    ],
)
def test_every_url_prefix_is_a_page(variant, assets, sample_build, archived, tmp_path):
    """The sample as it is (no archive), and with archives everywhere and a draft, built
    by MkDocs, by Zensical and with Material's search: every folder above every built file has its
    index.html but the asset folders, which hold no page; every link resolves."""
    if variant == "sample":
        root, site = sample_build[0], sample_build[0] / "site"
    elif variant == "archived":
        root, site = archived.parent, archived
    else:
        if variant == "zensical":
            require_installed(variant)
        desk = archived_site(tmp_path / "desk", **({"search": "material"} if variant == "material" else {}))
        root, site = desk.root, build(desk, "--drafts", *(("--engine", "zensical") if variant == "zensical" else ()))
    assert prefixes_without_a_page(site) == []
    present = {folder for folder in ASSET_FOLDERS if (site / folder).is_dir()}
    assert present == assets
    for folder in present:
        assert not list((site / folder).rglob("*.html")), f"{folder}/ holds pages: they need index pages too"
    if variant != "sample":
        assert (site / "timeline/2024/index.html").is_file() and (site / "people/joe-biden/2023/index.html").is_file()
    result = run_cli("check", "--site", "--project", str(root))
    assert result.exit_code == 0, result.output
    assert "every internal link and anchor resolves" in result.output


def test_the_walk_finds_a_missing_prefix(tmp_path):
    """The walk above can fail: a month archive without its year page is reported."""
    site = tmp_path / "site"
    for page in ["index.html", "timeline/index.html", "timeline/2024/11/index.html", "assets/x/y.css"]:
        (site / page).parent.mkdir(parents=True, exist_ok=True)
        (site / page).write_text("<html></html>", "utf-8")
    assert prefixes_without_a_page(site) == ["/timeline/2024/"]
    (site / "index.html").unlink()
    assert prefixes_without_a_page(site) == ["/", "/timeline/2024/"]


def test_articles_index_shows_the_newest_then_every_month_by_year(archived):
    """/articles/ on a big site: the newest archive_after articles (the draft, marked: this
    is a --drafts build), then each year with its count, linking its year page, and each
    month linking the timeline's month archive: the same months as the timeline's."""
    page = dom(archived, "articles")
    assert page.h1.get_text() == "Articles"
    assert "81 articles, newest first; the latest 1 here" in page.select_one(".bf-meta").get_text()
    assert [a.get_text() for a in page.select(".bf-line__title")] == ["An unfinished draft"]
    assert page.select_one(".bf-line .bf-badge").get_text() == "Draft"
    years = links(page, "articles/", ".bf-archives h3 a")
    assert years == [("2024", "/timeline/2024/"), ("2023", "/timeline/2023/"), ("2022", "/timeline/2022/")]
    assert sum(count(c.get_text()) for c in page.select(".bf-archives h3 .bf-count")) == 81
    months = links(page, "articles/", ".bf-archives li a")
    assert months == links(dom(archived, "timeline"), "timeline/", ".bf-archives a")
    assert months[0] == ("December 2024", "/timeline/2024/12/") and len(months) == 10


@pytest.mark.parametrize("listing", ["timeline/", "topics/taiwan/", "people/joe-biden/"])
def test_year_pages_list_their_months_and_lead_up_and_across(archived, listing):
    """Each year of a listing's month archives has a page listing that year's months
    with their counts, in the order the listing links them; it leads up to the listing
    and to the years around it, and each month archive leads up to its year."""
    archives = links(dom(archived, listing), listing, ".bf-archives a")
    counts = [count(c.get_text()) for c in dom(archived, listing).select(".bf-archives .bf-count")]
    by_year: dict[str, list[tuple[tuple[str, str], int]]] = {}
    for (label, url), n in zip(archives, counts, strict=True):
        by_year.setdefault(url.removeprefix(f"/{listing}")[:4], []).append(((label, url), n))
    assert len(by_year) >= 2
    years = list(by_year)
    for i, (year, months) in enumerate(by_year.items()):
        url = f"{listing}{year}/"
        page = dom(archived, url)
        assert page.h1.get_text().endswith(f": {year}")
        assert links(page, url, ".bf-archives__list a") == [link for link, _ in months]
        assert [count(c.get_text()) for c in page.select(".bf-archives__list .bf-count")] == [n for _, n in months]
        total = sum(n for _, n in months)
        assert page.select_one(".bf-meta").get_text().startswith(f"{total} article{'s' if total != 1 else ''}")
        assert links(page, url, ".bf-kicker a")[0][1] == f"/{listing}"
        pager = [(label, href) for label, href in links(page, url, ".bf-pager a")]
        expected = [(f"Newer: {years[i - 1]}", f"/{listing}{years[i - 1]}/")] if i > 0 else []
        expected += [(f"Older: {years[i + 1]}", f"/{listing}{years[i + 1]}/")] if i + 1 < len(years) else []
        assert pager == expected
        for (_, month_url), _ in months:
            kicker = links(dom(archived, month_url.lstrip("/")), month_url.lstrip("/"), ".bf-kicker a")
            assert kicker == [(kicker[0][0], f"/{listing}"), (year, f"/{url}")]


def test_a_persons_year_counts_their_quotes(archived):
    page = dom(archived, "people/joe-biden/2024")
    assert page.select_one(".bf-meta").get_text() == "2 articles, 1 quote in 1 month"
    assert page.select_one(".bf-kicker").get_text(" ", strip=True) == "Joe Biden · archive"


@pytest.fixture(scope="module")
def archived_served(archived, tmp_path_factory):
    with serve_site("archived", archived, tmp_path_factory, subpath=False) as served:
        yield served


def test_a_reader_trims_urls_and_walks_the_archive(browser, archived_served, axe_script):
    """In Chromium: an article's URL trimmed to /articles/, then down the archive by
    year and month and back up by the kickers; trimmed topic and person archives
    answer too. No serious accessibility problem on the new pages."""
    visit = visiting(browser, archived_served)
    new_page = next(visit)
    page = new_page()
    url = archived_served.url
    page.goto(url("articles/2024-11-16-kjzz-biden-xi-ai-nuclear-decisions/"))
    for trimmed, title in [("articles/", "Articles"), ("topics/taiwan/2024/", "Taiwan: 2024")]:
        response = page.goto(url(trimmed))
        assert response.status == 200 and page.locator("h1").first.inner_text() == title
    page.goto(url("articles/"))
    page.locator("nav.md-nav--primary a.md-nav__link", has_text="Articles").first.wait_for(state="attached")
    problems = {"articles": axe_problems(page, axe_script)}
    page.locator(".bf-archives h3 a", has_text="2024").click()
    page.wait_for_url(url("timeline/2024/"))
    problems["year"] = axe_problems(page, axe_script)
    page.locator(".bf-archives__list a", has_text="November 2024").click()
    page.wait_for_url(url("timeline/2024/11/"))
    page.locator(".bf-kicker a", has_text="2024").click()
    page.wait_for_url(url("timeline/2024/"))
    page.locator(".bf-pager a", has_text="Older: 2023").click()
    page.wait_for_url(url("timeline/2023/"))
    page.locator(".bf-kicker a", has_text="Timeline").click()
    page.wait_for_url(url("timeline/"))
    assert page.goto(url("people/joe-biden/2023/")).status == 200
    assert {name: found for name, found in problems.items() if found} == {}
    next(visit, None)  # closes the contexts and checks that no request failed or left the server
