"""End to end: build the sample site with the real CLI and read it as a reader would."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import frontmatter
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import REPO, VALID, Site, pagefind_fragments, tree_hash

from briefings.engine.linkcheck import check_site
from briefings.options import Settings
from briefings.pages.feeds import feeds_warning

TOPICS = ("us-china", "taiwan", "fentanyl")
SEED = "2023-11-15-daily-caller-biden-xi-agreement"
ARCHIVE_AFTER = 50  # the default: a listing with more shows the newest and links month archives


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def sample_articles(root: Path) -> dict[str, dict]:
    """The sample's articles read straight from their files, independently of briefings."""
    return {p.stem: frontmatter.load(p).metadata for p in (root / "content/articles").rglob("*.md")}


def newest_first(articles: dict[str, dict]) -> list[str]:
    """Slugs by date, newest first; equal dates by slug (the site's order)."""
    return sorted(articles, key=lambda s: (-dt.date.fromisoformat(str(articles[s]["date"])[:10]).toordinal(), s))


def slugs_linked(page: BeautifulSoup, selector: str) -> list[str]:
    return [re.search(r"articles/([^/]+)/", a["href"]).group(1) for a in page.select(selector)]


def once_per_story(listed: list[str], candidates: list[str], articles: dict[str, dict]) -> list[str]:
    """What a listing of ``candidates`` (newest first) should show, read from the files: each
    article in no story, and each story once, by one of its earliest articles there (the
    listing's choice, checked here), in that article's place."""
    chosen = {articles[s]["story"]: s for s in listed if articles[s].get("story")}
    for story, slug in chosen.items():
        members = [s for s in candidates if articles[s].get("story") == story]
        earliest = min(str(articles[s]["date"])[:10] for s in members)
        assert str(articles[slug]["date"])[:10] == earliest, (story, slug)
    for slug in candidates:  # a story the listing left out: expect its earliest article
        if articles[slug].get("story"):
            chosen.setdefault(
                articles[slug]["story"],
                [s for s in candidates if articles[s].get("story") == articles[slug]["story"]][-1],
            )
    return [s for s in candidates if not articles[s].get("story") or chosen[articles[s]["story"]] == s]


def test_build_succeeds_in_strict_mode_without_warnings(sample_build):
    _, result = sample_build
    assert result.exit_code == 0
    # No MkDocs warning at all; only ours that feeds need the site's address.
    assert result.stderr == f"Warning: {feeds_warning(Settings())}\n"
    assert re.fullmatch(r"Built .*site/: 80 articles, 3 topics, \d+ pages in \d+\.\d s\.\n", result.stdout)


def test_site_has_every_page(sample_build):
    root, _ = sample_build
    site = root / "site"
    for page in [
        "index.html",
        "timeline/index.html",
        "sources/index.html",
        "topics/index.html",
        "404.html",
        "pagefind/pagefind.js",
    ]:
        assert (site / page).is_file(), page
    # Pagefind is the search: Material's index is not built; the topics are the tags (no Tags page).
    for absent in ["search/search_index.json", "tags/index.html", "tags.json"]:
        assert not (site / absent).exists(), absent
    for topic in TOPICS:
        assert (site / "topics" / topic / "index.html").is_file()
    built = sorted(p.name for p in (site / "articles").iterdir() if p.is_dir())
    assert built == sorted(sample_articles(root))


def topic_stories(page) -> list[str]:
    """The stories a topic page lists, as site-root paths: a story's page, or a lone article's."""
    return [a["href"].replace("../../", "") for a in page.select(".bf-story-item__title > a")]


def test_each_topic_page_lists_each_of_its_stories_once_newest_first(sample_build):
    root, _ = sample_build
    articles = sample_articles(root)
    for topic in TOPICS:
        page = soup(root / "site/topics" / topic / "index.html")
        listed = topic_stories(page)
        in_topic = [s for s in newest_first(articles) if topic in articles[s]["topics"]]
        expected = {
            f"stories/{articles[s]['story']}/" if articles[s].get("story") else f"articles/{s}/" for s in in_topic
        }
        assert len(listed) == len(set(listed)) and set(listed) == expected, topic
        dates = [item.time["datetime"] for item in page.select(".bf-story-item")]
        assert dates == sorted(dates, reverse=True), topic
        # Nothing else on the page links a story or an article a second time.
        hrefs = [a["href"].replace("../../", "") for a in page.select("article a[href]")]
        assert all(hrefs.count(h) == 1 for h in listed), topic


def test_seed_story_is_on_all_three_topic_pages(sample_build):
    root, _ = sample_build
    for topic in TOPICS:
        page = soup(root / "site/topics" / topic / "index.html")
        assert "stories/biden-xi-woodside-2023/" in topic_stories(page)


def test_article_pages_show_metadata_and_link_back_to_their_topics(sample_build):
    root, _ = sample_build
    for slug, meta in sample_articles(root).items():
        page = soup(root / "site/articles" / slug / "index.html")
        assert page.h1.get_text(" ", strip=True).startswith(meta["title"])
        assert meta["source"] in page.select_one(".bf-article-header .bf-source").get_text()
        chips = [a["href"] for a in page.select(".bf-article-header .bf-chip")]
        assert chips == [f"../../topics/{t}/" for t in meta["topics"]]
        assert meta["summary"].split()[0] in page.select_one(".bf-summary").get_text()
        if meta["source"] != "Briefings desk":  # every outlet's item links to its original
            assert page.select(f'a[href="{meta["url"]}"]'), slug


def test_seed_article_shows_author_section_and_its_fragments_inline_but_no_photo_credit(sample_build):
    root, _ = sample_build
    page = soup(root / "site/articles" / SEED / "index.html")
    assert page.select_one(".bf-kicker").get_text() == "Politics"
    assert page.select_one(".bf-authors").get_text() == "by Reagan Reese"
    assert page.select(".bf-quote") == []  # two-word fragments: no cards
    quoted = [" ".join(li.get_text().split()) for li in page.select(".bf-quoted li")]
    assert quoted == [
        "“dramatically curtail”, said Xi Jinping (as reported, on the production of fentanyl precursors)",
        "“worrisome”, said Joe Biden (on the lack of military communication)",
    ]
    # Its front matter credits a photo, but the site shows none: so no credit either.
    assert "Brendan Smialowski" not in page.get_text() and page.select(".bf-credit") == []
    more = [a.get_text() for a in page.select(".bf-more h3 a")]
    assert more == ["US–China relations", "Fentanyl", "Taiwan"]


def test_navigation_lists_topics_but_no_articles(sample_build):
    root, _ = sample_build

    def labels(page):
        nav = soup(root / "site" / page).select_one("nav.md-nav--primary")
        # the articles index (articles/), never an article (articles/<slug>/)
        assert not nav.select('a[href*="articles/"]:not([href$="articles/"])')
        return [a.get_text(" ", strip=True) for a in nav.select("a.md-nav__link")]

    # navigation.prune: the home page carries the top level; the Topics section
    # opens (and lists every topic) on the topic pages.
    top = ["Home", "Topics", "Stories", "Digests", "Timeline", "Articles", "People", "Sources"]
    assert labels("index.html") == top
    for page in ["topics/index.html", "topics/taiwan/index.html"]:
        assert [x for x in labels(page) if x == "Topics" or x not in top] == [
            "Topics",
            "US–China relations",
            "Taiwan",
            "Fentanyl",
        ]
    assert labels(f"articles/{SEED}/index.html") == top


def test_timeline(sample_build):
    root, _ = sample_build
    timeline = slugs_linked(soup(root / "site/timeline/index.html"), ".bf-line__title")
    articles = sample_articles(root)
    assert timeline == newest_first(articles)[:ARCHIVE_AFTER]  # 80 articles: the older ones are in month archives
    assert timeline[0] == "2024-11-17-peoples-daily-xi-china-us-partner-friend"


def test_sources_page_lists_the_registry_by_country_and_type_with_counts(sample_build):
    root, _ = sample_build
    articles = sample_articles(root)
    outlets = {o["name"].casefold(): o for o in yaml.safe_load((root / "content/outlets.yml").read_text("utf-8"))}
    for o in list(outlets.values()):
        outlets.update({alias.casefold(): o for alias in o.get("aliases", [])})
    by_outlet = Counter(
        outlets[m["source"].casefold()]["id"] for m in articles.values() if m["source"] != "Briefings desk"
    )
    by_country = Counter()
    for o in {o["id"]: o for o in outlets.values()}.values():
        by_country[o["country"]] += by_outlet[o["id"]]
    page = soup(root / "site/sources/index.html")
    groups = page.select(".bf-source-group")
    expected = sorted(by_country.items(), key=lambda item: (-item[1], item[0].casefold()))
    assert [g.h2.get_text(" ", strip=True) for g in groups] == [
        f"{country} {n} article{'s' if n != 1 else ''}" for country, n in expected
    ] + ["Not in the outlets registry 1 article"]
    assert expected[:3] == [("US", 27), ("China (PRC)", 14), ("Taiwan", 8)]
    people = next(s for s in page.select(".bf-source") if s.h3.get_text(" ", strip=True).startswith("People's Daily"))
    assert people.h3.get_text(" ", strip=True) == "People's Daily Online state media 5 articles"
    caixin = next(s for s in page.select(".bf-source") if s.h3.get_text(" ", strip=True).startswith("Caixin"))
    note = "Caixin is a commercial (non-state) Chinese outlet; this is its newsletter."
    assert caixin.select_one(".bf-outlet-note").get_text() == note  # the registry's note
    assert "our own notes" in groups[-1].get_text(" ", strip=True)
    # Coverage over time: a table per topic, a row per month, articles by their outlet's side.
    table = page.select_one("table#coverage-taiwan")
    rows = {r.th.get_text(): [int(td.get_text()) for td in r.select("td")] for r in table.select("tbody tr")}
    assert rows["August 2022"] == [6, 1, 3, 6]  # US, PRC, Taiwan, other
    assert sum(sum(r) for r in rows.values()) == sum(
        1 for m in articles.values() if "taiwan" in m["topics"] and m["source"] != "Briefings desk"
    )


@pytest.mark.parametrize("plugin", ["tags", "material/tags"])
def test_a_desk_still_listing_the_tags_plugin_builds_without_a_tags_page(tmp_path, plugin):
    """The topics are the site's taxonomy: the Tags page is gone. A mkdocs.yml written for
    an older briefings still builds (strict), with a note saying what to remove."""
    site = Site(tmp_path / "desk")
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("  - search\n", f"  - search\n  - {plugin}\n"), "utf-8")
    site.article("a.md", VALID)
    result = site.run("build", "--base-url", "https://example.org/")
    assert result.exit_code == 0, result.output
    note = (
        f"Warning: mkdocs.yml: plugins: {plugin} is not used: the topics are the site's tags, and there is no "
        f"Tags page (remove `- {plugin}` from plugins)\n"
    )
    assert result.stderr == note
    built = site.root / "site"
    assert not (built / "tags").exists() and not (built / "tags.json").exists()
    assert not [p for p in built.rglob("*.html") if "material/tags" in p.read_text("utf-8")]


def test_the_search_index_holds_every_article_and_story_and_nothing_else(sample_build):
    """Pagefind indexes the pages a reader looks for (articles and stories), each with what a
    result shows: the headline, outlet, date and topics; and the filters and the sort date."""
    root, _ = sample_build
    records = pagefind_fragments(root / "site/pagefind")
    stories = {p.name for p in (root / "site/stories").iterdir() if (p / "index.html").is_file()}
    assert set(records) == {f"/articles/{slug}/" for slug in sample_articles(root)} | {
        f"/stories/{name}/" for name in stories
    }
    seed = records[f"/articles/{SEED}/"]
    page = soup(root / "site/articles" / SEED / "index.html")
    assert seed["meta"] == {
        "title": page.h1.get_text(strip=True),
        "outlet": page.select_one(".bf-article-header .bf-source").get_text(strip=True),
        "date": page.select_one(".bf-article-header time").get_text(strip=True),
    }
    assert seed["filters"]["topic"] == [a.get_text(strip=True) for a in page.select(".bf-article-header .bf-chip")]
    assert seed["filters"]["year"] == [page.select_one(".bf-article-header time")["datetime"][:4]]
    assert seed["filters"]["country"] and seed["filters"]["outlet"] == [seed["meta"]["outlet"]]
    assert "fentanyl" in seed["content"].lower()
    # The reading time and the link to the original are not searched.
    assert "min read" not in seed["content"] and "Read the original" not in seed["content"]
    sort = soup(root / "site/articles" / SEED / "index.html").select_one("meta[data-pagefind-sort]")
    assert sort["content"] == page.select_one(".bf-article-header time")["datetime"][:10]


def test_every_internal_link_and_anchor_resolves(sample_build):
    root, _ = sample_build
    assert check_site(root / "site") == []


def test_no_page_references_another_host(sample_build):
    """Nothing is loaded from another host; the only foreign addresses are links a reader
    follows to an article's original (its url:)."""
    root, _ = sample_build
    originals = {m["url"] for m in sample_articles(root).values() if "url" in m}
    offenders = []
    for path in (root / "site").rglob("*"):
        if path.suffix not in (".html", ".css", ".js", ".json", ".xml"):
            continue
        text = path.read_text("utf-8", errors="replace")
        if path.suffix == ".html":
            page = BeautifulSoup(text, "html.parser")
            for tag in page.find_all(True):
                for attr in ("src", "href", "srcset", "action", "poster", "data"):
                    value = tag.get(attr)
                    if tag.name == "a" and attr == "href" and value in originals:
                        continue
                    if isinstance(value, str) and (urlsplit(value).netloc or value.startswith("//")):
                        offenders.append(f"{path.relative_to(root)}: <{tag.name} {attr}={value}>")
            text = " ".join(s.get_text() for s in page.find_all("style"))
        for match in re.findall(r"url\(\s*['\"]?((?:https?:)?//[^)'\"]+)", text):
            offenders.append(f"{path.relative_to(root)}: url({match})")
    assert offenders == []


def test_markup_in_front_matter_is_shown_as_text_never_run(site):
    evil = '<script>alert(1)</script><img src=x onerror=alert(2)>"><b>'
    site.article(
        "evil.md",
        f"""\
        title: '{evil}'
        date: 2024-01-13
        source: '{evil}'
        author: '{evil}'
        section: '{evil}'
        summary: '{evil}'
        key_points: ['{evil}']
        why_it_matters: '{evil}'
        quotes: [{{text: '{evil}', speaker: '{evil}'}}]
        people: ['{evil}']
        topics: [taiwan]
    """,
    )
    result = site.run("build")
    assert result.exit_code == 0, result.output
    for path in (site.root / "site").rglob("*.html"):
        dom = soup(path)
        handlers = [(t.name, a) for t in dom.find_all(True) for a in t.attrs if a.lower().startswith("on")]
        assert handlers == [], path
        assert not dom.select('img[src="x"]'), path
        for script in dom.find_all("script"):
            assert "alert(" not in script.get_text() or script.get("type") == "application/ld+json", path
    page = soup(site.root / "site/articles/evil/index.html")
    assert page.h1.get_text() == evil
    assert page.select_one(".bf-summary").get_text() == evil
    assert page.title.get_text().startswith(evil)
    ld = json.loads(page.find("script", type="application/ld+json").string)
    assert ld["headline"] == evil and ld["publisher"]["name"] == evil


@pytest.mark.slow
def test_drafts_are_built_only_with_the_flag_and_marked(site):
    site.article("live.md", VALID)
    site.article("wip.md", VALID.replace("A valid article", "Work in progress") + "draft: true\n")
    site.article("later.md", VALID.replace("2024-01-13", "2199-01-01"))
    result = site.run("build")
    assert result.exit_code == 0, result.output
    assert "1 articles (2 draft or future-dated left out)" in result.stdout
    assert not (site.root / "site/articles/wip").exists()
    assert not (site.root / "site/articles/later").exists()
    result = site.run("build", "--drafts")
    assert result.exit_code == 0, result.output
    page = soup(site.root / "site/articles/wip/index.html")
    assert page.select_one("h1 .bf-badge").get_text() == "Draft"
    assert (site.root / "site/articles/later/index.html").is_file()


@pytest.mark.slow
def test_a_failed_build_leaves_the_last_good_site_in_place(site):
    site.article("a.md", VALID)
    assert site.run("build").exit_code == 0
    before = tree_hash(site.root / "site")
    broken = site.root / "overrides/topic.html"  # a curator's override of the theme's template
    good_template = (REPO / "theme/topic.html").read_text("utf-8")
    broken.write_text(good_template.replace("{% endfor %}", "{% endfro %}", 1), "utf-8")
    result = site.run("build")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: overrides/topic.html:")
    assert "template error" in result.stderr and "endfro" in result.stderr
    assert "Traceback" not in result.output and len(result.stderr.splitlines()) == 1
    assert tree_hash(site.root / "site") == before
    assert sorted(p.name for p in site.root.iterdir()) == ["build", "content", "mkdocs.yml", "overrides", "site"]
    broken.write_text(good_template, "utf-8")
    assert site.run("build").exit_code == 0


def test_strict_mode_fails_on_mkdocs_warnings_and_no_strict_lets_them_through(site):
    site.article("a.md", VALID)
    config = site.root / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8") + "\nnot_in_nav: |\n  /nowhere.md\nunknown_option_for_a_warning: 1\n", "utf-8"
    )
    result = site.run("build")
    assert result.exit_code == 1
    assert "unknown_option_for_a_warning" in result.stderr and "--no-strict" in result.stderr
    assert not (site.root / "site").exists()
    result = site.run("build", "--no-strict")
    assert result.exit_code == 0
    assert "Warning: " in result.stderr and "unknown_option_for_a_warning" in result.stderr


def test_site_dir_option(site, tmp_path):
    site.article("a.md", VALID)
    result = site.run("build", "--site-dir", str(tmp_path / "elsewhere"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "elsewhere/articles/a/index.html").is_file()
    assert not (site.root / "site").exists()


@pytest.mark.parametrize("target", [".", "content", "content/x", "build"])
def test_refuses_a_site_dir_that_would_overwrite_the_project(site, target):
    site.article("a.md", VALID)
    before = tree_hash(site.root / "content")
    result = site.run("build", "--site-dir", str(site.root / target))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: site_dir ")
    assert tree_hash(site.root / "content") == before


@pytest.mark.slow
def test_two_builds_in_different_places_are_byte_identical(tmp_path, monkeypatch):
    from conftest import copy_sample, run_cli

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first, second = copy_sample(tmp_path / "one"), copy_sample(tmp_path / "two" / "deeper")
    assert run_cli("build", "--project", str(first)).exit_code == 0
    monkeypatch.chdir(tmp_path)
    assert run_cli("build", "--project", str(second)).exit_code == 0
    assert tree_hash(first / "site") == tree_hash(second / "site")
    # The build date is the newest article's date (2024-11-17), not today's.
    gzip_mtime = int.from_bytes((first / "site/sitemap.xml.gz").read_bytes()[4:8], "little")
    assert gzip_mtime == 1731801600
