"""mkdocs.yml's site_name, site_description and site_author are text: shown as
written on every page, in every feed, and never run as HTML or script."""

from __future__ import annotations

import json
import re

import feedparser
import pytest
from bs4 import BeautifulSoup
from conftest import copy_sample, run_cli

NAMES = ["<script>alert(1)</script> & Co", 'Co" onmouseover="alert(4)" x="<b>']  # text, then an attribute breakout
DESCRIPTION = "<img src=x onerror=alert(2)> &amp; \"quoted\" 'briefings'"
AUTHOR = '"><script>alert(3)</script>'


def hostile_config(root, name: str) -> None:
    config = root / "mkdocs.yml"
    text = config.read_text("utf-8")
    text = re.sub(r"^site_name: .*$", f"site_name: {json.dumps(name)}", text, count=1, flags=re.MULTILINE)
    text = re.sub(
        r"^site_description: >-\n(  .*\n)+",
        f"site_description: {json.dumps(DESCRIPTION)}\n",
        text,
        count=1,
        flags=re.MULTILINE,
    )
    # Zensical prints the name in the logo.
    text = text.replace("theme:\n", "theme:\n  logo: assets/images/desk-logo.svg\n", 1)
    config.write_text(text + f"site_author: {json.dumps(AUTHOR)}\n", "utf-8")
    logo = root / "overrides/assets/images/desk-logo.svg"
    logo.parent.mkdir(parents=True, exist_ok=True)
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><rect width="8" height="8"/></svg>\n')


@pytest.fixture(
    scope="module",
    params=[(engine, name) for engine in ("mkdocs", "zensical") for name in NAMES],
    ids=lambda p: f"{p[0]}-{NAMES.index(p[1])}",
)
def hostile_site(request, tmp_path_factory):
    """The sample site built with a hostile mkdocs.yml: (its site folder, the site_name)."""
    engine, name = request.param
    root = copy_sample(tmp_path_factory.mktemp(f"hostile-{engine}"))
    hostile_config(root, name)
    result = run_cli("build", "--project", str(root), "--engine", engine)
    assert result.exit_code == 0, result.output
    return root / "site", name


def pages(site):
    return sorted(site.rglob("*.html"))


@pytest.mark.slow
def test_no_script_or_handler_from_the_config_on_any_page(hostile_site):
    hostile_site, _ = hostile_site
    for path in pages(hostile_site):
        soup = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        for script in soup.find_all("script"):
            assert "alert(" not in script.get_text(), path
            if script.get("type") == "application/ld+json":
                json.loads(script.get_text())  # still one JSON document
        for tag in soup.find_all(True):
            assert tag.name != "img" or tag.get("src") != "x", path
            assert not any(name.startswith("on") for name in tag.attrs), (path, tag.name, tag.attrs)


def test_the_config_values_read_as_written(hostile_site):
    hostile_site, name = hostile_site
    for path in [hostile_site / "index.html", hostile_site / "topics/taiwan/index.html", hostile_site / "404.html"]:
        soup = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        assert soup.title.get_text().endswith(name), path
        assert " ".join(soup.select_one(".md-header__topic .md-ellipsis").get_text().split()) == name
        assert " ".join(soup.select_one("label.md-nav__title").get_text().split()) == name
        for logo in soup.select("a.md-logo"):
            assert logo["title"] == name and logo["aria-label"] == name and logo.img["alt"] == name
        assert soup.select_one('meta[property="og:site_name"]')["content"] == name
        assert soup.select_one('meta[name="author"]')["content"] == AUTHOR
        for link in soup.select('link[rel="alternate"]'):
            assert link["title"].startswith(f"{name}: ")
    home = BeautifulSoup((hostile_site / "index.html").read_text("utf-8"), "html.parser")
    assert home.title.get_text() == f"Home - {name}"
    assert home.select_one('meta[name="description"]')["content"] == DESCRIPTION
    assert home.select_one('meta[property="og:description"]')["content"] == DESCRIPTION
    assert home.h1.get_text() == name and home.select_one(".bf-footer__about").get_text() == DESCRIPTION


def test_feeds_carry_the_name_as_text(hostile_site):
    hostile_site, name = hostile_site
    atom = feedparser.parse((hostile_site / "feeds/all.xml").read_bytes())
    assert not atom.bozo and atom.feed.title == name and atom.feed.title_detail.type == "text/plain"
    assert atom.feed.subtitle == DESCRIPTION
    topic = feedparser.parse((hostile_site / "feeds/topic-taiwan.xml").read_bytes())
    assert topic.feed.title == f"{name}: Taiwan"
    feed = json.loads((hostile_site / "feeds/all.json").read_text("utf-8"))
    assert feed["title"] == name and feed["authors"] == [{"name": name}]


def test_no_script_from_the_config_runs_in_a_browser(hostile_site, browser, tmp_path_factory):
    from test_browser import Traffic, open_context, serve_site

    hostile_site, name = hostile_site
    with serve_site("hostile", hostile_site, tmp_path_factory, subpath=False) as served:
        traffic = Traffic(served.origin)
        context = open_context(browser, served, traffic, viewport={"width": 1280, "height": 900})
        dialogs: list[str] = []
        try:
            page = context.new_page()
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            for path in ("", "topics/taiwan/", "no/such/page/"):
                page.goto(served.url(path))
                page.wait_for_load_state("load")
                assert page.title().endswith(name)
                assert page.locator(".md-header__topic .md-ellipsis").first.inner_text().strip() == name
                page.hover(".md-header__topic")  # the second name's handler, if it had become an attribute
            assert page.evaluate("() => document.querySelectorAll('img[src=\"x\"]').length") == 0
        finally:
            context.close()
        assert dialogs == []  # alert() never ran
        assert traffic.foreign() == []
