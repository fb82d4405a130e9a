"""What every page has around its content, on built sites: the 404 page (search,
the topics) and the footer (what the site is, its feeds, the licence line, when
it was last updated). The 404 page in Chromium: tests/test_browser.py."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urljoin

import frontmatter
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import REPO, SUBPATH_URL, VALID, require_installed

TOPICS = [t["id"] for t in yaml.safe_load((REPO / "content/topics.yml").read_text("utf-8"))]
DESCRIPTION = yaml.safe_load((REPO / "mkdocs.yml").read_text("utf-8"))["site_description"]


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def check_not_found_page(site: Path, base: str) -> None:
    """Served at any depth: its links are root-absolute under ``base`` (/ or /repo/)."""
    page = soup(site / "404.html")
    anywhere = f"https://user.github.io{base}no/such/page/"
    form = page.select_one("form[role=search]")
    assert urljoin(anywhere, form["action"]) == f"https://user.github.io{base}" and form.get("method") == "get"
    query = form.select_one("input[name=q]")
    assert query["type"] == "search" and form.select_one(f"label[for={query['id']}]").get_text(strip=True)
    topics = [urljoin(anywhere, a["href"]) for a in page.select(".bf-not-found__topics a")]
    assert topics == [f"https://user.github.io{base}topics/{t}/" for t in TOPICS]
    for url in topics:
        assert (site / url.removeprefix(f"https://user.github.io{base}") / "index.html").is_file()


def newest_day(content: Path) -> str:
    """The newest date: or updated: of the published articles (all day-only in the sample)."""
    days = []
    for path in (content / "articles").rglob("*.md"):
        meta = frontmatter.loads(path.read_text("utf-8")).metadata
        if not meta.get("draft"):
            days += [meta[key] for key in ("date", "updated") if isinstance(meta.get(key), dt.date)]
    return max(days).isoformat()


def check_footer(site: Path, pages: list[str]) -> None:
    newest = newest_day(site.parent / "content")
    for url in pages:
        footer = soup(site / url / "index.html").select_one("footer .md-copyright")
        assert footer.select_one(".bf-footer__about").get_text(strip=True) == " ".join(DESCRIPTION.split())
        links = {a.get_text(strip=True): urljoin(f"/{url}", a["href"]) for a in footer.select(".bf-footer__feeds a")}
        assert links == {"all articles (Atom)": "/feeds/all.xml", "every feed (OPML)": "/feeds/index.opml"}, url
        # The newest article's day, never the day of the build.
        assert footer.select_one(".bf-footer__feeds time")["datetime"] == newest, url


def test_the_not_found_page_offers_search_and_the_topics(subpath_build):
    check_not_found_page(subpath_build[0] / "site", "/repo/")
    assert SUBPATH_URL == "https://user.github.io/repo/"


def test_the_footer_says_what_the_site_is_its_feeds_and_when_it_was_updated(sample_build):
    site = sample_build[0] / "site"
    check_footer(site, ["", "topics/taiwan/", "stories/biden-xi-woodside-2023/", "people/joe-biden/"])
    assert "2024-11-17" in (site / "index.html").read_text("utf-8")  # the sample's newest article


def test_the_licence_line_is_mkdocs_copyright(site):
    site.article("2024/a.md", VALID)
    assert site.run("build").exit_code == 0
    footer = soup(site.root / "site/index.html").select_one("footer .md-copyright")
    assert footer.select_one(".md-copyright__highlight") is None
    assert footer.select_one("time")["datetime"] == "2024-01-13"  # the article's day, not today's
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("extra:\n", "copyright: Our notes are CC BY 4.0\nextra:\n"))
    assert site.run("build").exit_code == 0
    footer = soup(site.root / "site/index.html").select_one("footer .md-copyright")
    assert footer.select_one(".md-copyright__highlight").get_text(strip=True) == "Our notes are CC BY 4.0"


@pytest.mark.slow
def test_zensical_builds_the_same_not_found_page_and_footer(tmp_path):
    require_installed("zensical")
    from conftest import copy_sample, run_cli

    root = copy_sample(tmp_path / "desk")
    result = run_cli("build", "--project", str(root), "--engine", "zensical")
    assert result.exit_code == 0, result.output
    check_not_found_page(root / "site", "/")
    check_footer(root / "site", ["", "topics/taiwan/"])
