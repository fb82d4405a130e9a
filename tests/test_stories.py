"""Story pages and how the rest of the site follows them, on the built sample site,
checked against the content files read independently of briefings (stories.yml,
outlets.yml, people.yml, topics.yml and each article's front matter)."""

from __future__ import annotations

import re
from pathlib import Path

import frontmatter
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import Site, pagefind_fragments

WOODSIDE = "biden-xi-woodside-2023"
SEED = "2023-11-15-daily-caller-biden-xi-agreement"
SIDE_HEADINGS = {"us": "Washington says", "prc": "Beijing says", "taiwan": "Taipei says", "other": "Others say"}
PRC = ("china (prc)", "hong kong (china)")


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


class Desk:
    """The sample's content files, read with PyYAML and python-frontmatter."""

    def __init__(self, root: Path):
        content = root / "content"
        self.stories = yaml.safe_load((content / "stories.yml").read_text("utf-8"))
        self.topics = {t["id"]: t for t in yaml.safe_load((content / "topics.yml").read_text("utf-8"))}
        self.outlets = {}
        for o in yaml.safe_load((content / "outlets.yml").read_text("utf-8")):
            for name in [o["name"], *o.get("aliases", [])]:
                self.outlets[name.casefold()] = o
        self.side_of = {}
        for p in yaml.safe_load((content / "people.yml").read_text("utf-8")):
            for name in [p["name"], *p.get("aliases", [])]:
                self.side_of[name] = p.get("side") or "other"
        self.articles = {p.stem: frontmatter.load(p).metadata for p in (content / "articles").rglob("*.md")}

    def members(self, story: str) -> dict[str, dict]:
        return {slug: m for slug, m in self.articles.items() if m.get("story") == story}

    def outlet(self, meta: dict) -> dict | None:
        return self.outlets.get(meta["source"].casefold())

    @staticmethod
    def side(outlet: dict) -> str:
        country = outlet["country"].casefold()
        if country == "us":
            return "us"
        if country in PRC:
            return "prc" if outlet["type"] in ("government", "state media") else "other"
        return "taiwan" if country == "taiwan" else "other"


@pytest.fixture(scope="module")
def desk(sample_build) -> Desk:
    return Desk(sample_build[0])


@pytest.fixture(scope="module")
def site(sample_build) -> Path:
    return sample_build[0] / "site"


def test_every_story_page_counts_its_sources_and_countries(desk, site):
    assert len(desk.stories) == 12
    for story in desk.stories:
        page = soup(site / "stories" / story["id"] / "index.html")
        assert page.h1.get_text(strip=True) == story["title"]
        outlets = {desk.outlet(m)["id"]: desk.outlet(m) for m in desk.members(story["id"]).values() if desk.outlet(m)}
        countries = {o["country"] for o in outlets.values()}
        n, m = len(outlets), len(countries)
        expected = f"{n} source{'s' if n != 1 else ''} from {m} countr{'ies' if m != 1 else 'y'}"
        assert page.select_one(".bf-story-count").get_text() == expected, story["id"]
        assert story["summary"].split()[0] in page.select_one(".bf-summary").get_text()
        # The strip: each country's sources, as text beside the bar.
        strip = page.select(".bf-strip__group")[0]
        counts = {
            li.select_one(".bf-strip__label").get_text(): int(li.select_one(".bf-strip__count").get_text().split()[0])
            for li in strip.select("li")
        }
        assert counts == {c: sum(o["country"] == c for o in outlets.values()) for c in countries}
        assert "not all coverage" in page.select_one(".bf-curation").get_text()


def test_every_headline_links_to_its_original_with_outlet_country_type_and_date(desk, site):
    page = soup(site / "stories" / WOODSIDE / "index.html")
    members = desk.members(WOODSIDE)
    versions = page.select(".bf-version")
    assert len(versions) == len(members) == 16
    for slug, meta in members.items():
        link = page.select_one(f'.bf-version__title a[href="{meta["url"]}"]')
        assert link is not None and link.get_text() == meta["title"], slug
        line = link.find_parent("li").select_one(".bf-meta").get_text(" ", strip=True)
        outlet = desk.outlet(meta)
        assert line.startswith(f"{outlet['name']} · {outlet['country']} · {outlet['type']} · "), line
        assert link.find_parent("li").select_one(f'a[href="../../articles/{slug}/"]')  # our notes
        if outlet.get("note"):
            assert link.find_parent("li").select_one(".bf-outlet-note").get_text() == outlet["note"]


def test_quotes_are_grouped_by_the_speakers_side(desk, site):
    checked = 0
    for story in desk.stories:
        page = soup(site / "stories" / story["id"] / "index.html")
        for meta in desk.members(story["id"]).values():
            for quote in meta.get("quotes", []):
                shown = [b.get_text(strip=True) for b in page.select("blockquote")]
                if len(quote["text"].split()) < 8 and not quote.get("card"):  # a fragment: never a card
                    assert f"“{quote['text']}”" not in shown
                    continue
                # "Joe Biden (statement)", "Xie Feng, PRC Vice Foreign Minister": the name leads;
                # a joint statement goes with its first speaker's side
                name = quote["speakers"][0] if "speakers" in quote else re.split(r",| \(", quote["speaker"])[0].strip()
                side = desk.side_of.get(name, "other")
                group = page.select_one(f"#says-{side}").find_parent("section")
                assert group.h3.get_text() == SIDE_HEADINGS[side]
                assert f"“{quote['text']}”" in [b.get_text(strip=True) for b in group.select("blockquote")]
                checked += 1
    assert checked >= 10
    woodside = soup(site / "stories" / WOODSIDE / "index.html")
    assert [h.get_text() for h in woodside.select(".bf-side h3")] == ["Washington says", "Beijing says"]


def test_a_blindspot_line_when_an_expected_side_has_no_source_and_none_otherwise(desk, site):
    lines = {"prc": "No PRC official or state media source in this archive for this story."}
    seen = {True: 0, False: 0}
    for story in desk.stories:
        members = desk.members(story["id"]).values()
        expected = {s for m in members for t in m["topics"] for s in desk.topics[t].get("expected_sides", [])}
        present = {desk.side(o) for m in members if (o := desk.outlet(m))}
        page = soup(site / "stories" / story["id"] / "index.html")
        shown = [p.get_text(" ", strip=True) for p in page.select(".bf-blindspot")]
        assert len(shown) == len(expected - present), story["id"]
        if "prc" in expected - present:
            assert f"Blindspot: {lines['prc']}" in shown
        seen[bool(shown)] += 1
    assert seen[True] >= 2 and seen[False] >= 2  # the sample has both


def test_stories_index_lists_each_story_newest_first_and_is_in_the_navigation(desk, site):
    page = soup(site / "stories" / "index.html")
    listed = [a["href"] for a in page.select(".bf-line__title")]
    first_day = {s["id"]: min(str(m["date"])[:10] for m in desk.members(s["id"]).values()) for s in desk.stories}
    newest = sorted(first_day, key=lambda i: (first_day[i], i), reverse=True)
    assert sorted(listed) == sorted(f"{i}/" for i in newest)  # each once, linked from /stories/
    assert [first_day[h.strip("/")] for h in listed] == sorted(first_day.values(), reverse=True)
    nav = [a.get_text(strip=True) for a in soup(site / "index.html").select("nav.md-nav--primary a.md-nav__link")]
    assert "Stories" in nav


def test_an_article_links_its_story_and_the_other_outlets_versions(desk, site):
    page = soup(site / "articles" / SEED / "index.html")
    section = page.select_one(".bf-in-story")
    assert section.h2.a["href"] == f"../../stories/{WOODSIDE}/"
    others = [a["href"] for a in section.select(".bf-versions-list li > a:first-child")]
    assert sorted(others) == sorted(f"../{slug}/" for slug in desk.members(WOODSIDE) if slug != SEED)
    originals = [a["href"] for a in section.select(".bf-version__original")]
    assert sorted(originals) == sorted(m["url"] for s, m in desk.members(WOODSIDE).items() if s != SEED)
    alone = [s for s, m in desk.articles.items() if not m.get("story")]
    for slug in alone:
        assert not soup(site / "articles" / slug / "index.html").select(".bf-in-story")


def test_search_finds_a_story(site):
    records = pagefind_fragments(site / "pagefind")
    found = {url for url, r in records.items() if "Woodside" in r["meta"]["title"] or "Woodside" in r["content"]}
    assert f"/stories/{WOODSIDE}/" in found
    story = records[f"/stories/{WOODSIDE}/"]
    assert story["meta"]["kind"] == "Story" and story["meta"]["outlet"].endswith(" sources")


@pytest.fixture
def bare(tmp_path) -> Site:
    return Site(tmp_path / "desk")


@pytest.mark.slow
def test_without_stories_yml_the_stories_page_says_there_are_none(bare):
    bare.article(
        "a.md",
        "title: One\ndate: 2024-01-13\nsource: Briefings desk\ntopics: [taiwan]\n",
    )
    result = bare.run("build")
    assert result.exit_code == 0, result.output
    page = soup(bare.root / "site/stories/index.html")
    assert "No stories yet" in page.select_one(".md-content").get_text()
    assert not (bare.root / "site/stories/2024").exists()
