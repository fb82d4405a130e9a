"""Incremental builds: after a small edit only the changed pages are rebuilt, and
the site is byte-identical to a full build of the same content."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import REPO, copy_sample, pagefind_fragments, run_cli, tree_hash

from briefings.cache import read_site_record
from briefings.engine.incremental import footer_date
from briefings.engine.materialsearch import splice_index

SEED = "content/articles/2023/2023-11-15-daily-caller-biden-xi-agreement.md"


@pytest.fixture
def sample(tmp_path):
    root = copy_sample(tmp_path / "desk")
    result = run_cli("build", "--project", str(root))
    assert result.exit_code == 0, result.output
    assert "rebuilt" not in result.stdout and "up to date" not in result.stdout  # the first build is full
    return root


def build(root, *args):
    result = run_cli("build", "--project", str(root), *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def full_build_of(root, tmp_path):
    """The same content built from scratch somewhere else."""
    fresh = tmp_path / "fresh"
    shutil.copytree(root, fresh, ignore=shutil.ignore_patterns("build", "site", ".site-*"))
    build(fresh)
    return fresh / "site"


def edit(root, rel, old, new):
    path = root / rel
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_nothing_changed_rebuilds_nothing(sample):
    before = tree_hash(sample / "site")
    assert "(already up to date)" in build(sample)
    assert tree_hash(sample / "site") == before


def test_an_edit_that_keeps_the_files_size_and_mtime_is_built(sample):
    """As a restore tool leaves a file (rsync -t, touch -r): same size, the old mtime, other
    bytes. Its ctime (and inode, for a link pointed elsewhere) tells the build to read it."""
    path = sample / SEED
    stamp = path.stat()
    text = path.read_text("utf-8")
    title = re.search(r"^title: (.+)$", text, re.M)[1]
    path.write_text(text.replace(title, title.swapcase(), 1), "utf-8")
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert path.stat().st_size == stamp.st_size and path.stat().st_mtime_ns == stamp.st_mtime_ns
    assert "up to date" not in build(sample)
    page = next((sample / "site/articles").glob(f"{Path(SEED).stem}*/index.html"))
    assert html.escape(title.swapcase(), quote=False) in page.read_text("utf-8")


@pytest.mark.slow
def test_one_edit_rebuilds_only_the_pages_that_show_it_and_matches_a_full_build(sample, tmp_path):
    edit(
        sample, SEED, "agreed to restore military-to-military", "agreed, after a year, to restore military-to-military"
    )
    out = build(sample)
    rebuilt = int(re.search(r"\((\d+) changed pages? rebuilt\)", out).group(1))
    # The article, the articles index, its three topics and two of their month archives, the
    # timeline and its month, its two people: 11, not all 141.
    assert 1 <= rebuilt <= 11
    page = (sample / "site/articles/2023-11-15-daily-caller-biden-xi-agreement/index.html").read_text("utf-8")
    assert "agreed, after a year, to restore" in page
    record = pagefind_fragments(sample / "site/pagefind")["/articles/2023-11-15-daily-caller-biden-xi-agreement/"]
    assert "after a year" in record["content"]
    assert tree_hash(sample / "site") == tree_hash(full_build_of(sample, tmp_path))


def test_a_site_bigger_than_github_pages_publishes_is_told_in_every_build(sample, monkeypatch):
    """GitHub Pages publishes sites of at most 1 GB (lowered here below the sample's size). A build
    of every page counts the site's bytes; an edit and a no-op keep that count (the same pages, a
    few bytes apart) and warn as it did, without walking the site again."""
    from briefings import pipeline
    from briefings.engine import hosting

    def sizes():
        return [p.stat().st_size for p in (sample / "site").rglob("*") if p.is_file()]

    record = json.loads((sample / "build/cache/site.json").read_text("utf-8"))
    assert record["size"] == sum(sizes())  # counted by the fixture's first build, which warned of nothing
    assert record["pages"] == sum(1 for p in (sample / "site").rglob("*.html") if "pagefind" not in p.parts)
    monkeypatch.setattr(hosting, "PAGES_LIMIT", 10**5)
    warning = (
        f"Warning: the site is {sum(sizes()) / 10**6:.1f} MB, and GitHub Pages publishes sites of at most 1 GB: "
        "it may refuse this one (Hosting, in the docs, says what a desk can do)\n"
    )

    def walked(site):
        raise AssertionError(f"walked {site}")

    monkeypatch.setattr(pipeline, "tally", walked)
    noop = run_cli("build", "--project", str(sample))
    assert "(already up to date)" in noop.stdout and noop.stderr.count(warning) == 1
    edit(
        sample, SEED, "agreed to restore military-to-military", "agreed, after a year, to restore military-to-military"
    )
    edited = run_cli("build", "--project", str(sample))
    assert "rebuilt)" in edited.stdout and edited.stderr.count(warning) == 1
    monkeypatch.undo()
    monkeypatch.setattr(hosting, "PAGES_LIMIT", 10**5)
    full = run_cli("build", "--project", str(sample), "--full")  # counted again
    assert full.stderr.count("GitHub Pages publishes sites of at most 1 GB") == 1
    assert json.loads((sample / "build/cache/site.json").read_text("utf-8"))["size"] == sum(sizes())


@pytest.mark.slow
def test_feeds_follow_an_edit(sample, tmp_path):
    # Its summary: the seed leads the Woodside story, whose fifteen other articles show its
    # headline (as another outlet's version), so a new title rightly takes a full build.
    edit(sample, SEED, "  Meeting for about four hours", "  Meeting for some four hours")
    assert "rebuilt" in build(sample)
    assert "Meeting for some four hours" in (sample / "site/feeds/all.xml").read_text("utf-8")
    assert tree_hash(sample / "site") == tree_hash(full_build_of(sample, tmp_path))


@pytest.mark.slow
def test_a_new_correction_reaches_its_page_its_story_the_log_and_the_feeds(sample, tmp_path):
    fix = "Our summary now says how long the meeting lasted."
    edit(sample, SEED, "\n---\n", f"\ncorrections:\n  - date: 2023-11-17\n    text: {fix}\n---\n")
    assert "rebuilt" in build(sample)
    site = sample / "site"
    for page in (
        "articles/2023-11-15-daily-caller-biden-xi-agreement/index.html",
        "stories/biden-xi-woodside-2023/index.html",
        "corrections/index.html",
        "feeds/all.xml",
    ):
        assert fix in (site / page).read_text("utf-8"), page
    assert tree_hash(site) == tree_hash(full_build_of(sample, tmp_path))


READOUT = "content/articles/2024/2024-08-01-white-house-counternarcotics-senior-officials-readout.md"
ADDED = "content/articles/2024/2024-08-01-another-readout.md"
SITE_URL = "https://desk.example.org/"


def add_report(root, rel=ADDED, date="2024-08-01"):
    """Another outlet's report of the meeting READOUT reports (a story of one so far)."""
    shutil.copy(root / READOUT, root / rel)
    edit(root, rel, "title: Readout of the", "title: Another account of the")
    edit(root, rel, "source: The White House", "source: The Japan News")
    edit(root, rel, "url: https://www.whitehouse.gov/", "url: https://example.org/")
    edit(root, rel, "date: 2024-08-01", f"date: {date}")


def matches_a_cold_build(root, fresh):
    """The generated pages and the site equal those of the same content built from scratch in
    ``fresh``, for the site's address the tests here build for."""
    shutil.copytree(root, fresh, ignore=shutil.ignore_patterns("build", "site", ".site-*"))
    build(fresh, "--base-url", SITE_URL)
    assert tree_hash(root / "build/docs") == tree_hash(fresh / "build/docs")
    assert tree_hash(root / "site") == tree_hash(fresh / "site")


def sitemap_urls(site):
    return re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text("utf-8"))


@pytest.mark.slow
def test_an_added_or_removed_article_rebuilds_only_the_pages_that_show_it_and_matches_a_full_build(
    tmp_path, monkeypatch
):
    """A report added to an earlier day (the build date stays the newest article's): the new
    page and the pages that list it are built, the sitemap written again from every page, and
    the site equals a cold build's, search index included. Removing it deletes its page and
    folder the same way; the builds after each start from the spare copy, which must follow."""
    # The report shows on 24 of the sample's 150 pages (its listings are short), past the
    # share at which a full build is as quick; in a big archive it is a few in a thousand.
    monkeypatch.setattr("briefings.engine.incremental.MAX_SHARE", 0.25)
    root = copy_sample(tmp_path / "desk")
    build(root, "--base-url", SITE_URL)
    url = SITE_URL + "articles/2024-08-01-another-readout/"
    pages = len(sitemap_urls(root / "site"))
    assert pages > 100 and url not in sitemap_urls(root / "site")

    def counted():
        """The site's pages as the build record has them, and as they are."""
        record = json.loads((root / "build/cache/site.json").read_text("utf-8"))
        return record["pages"], len([p for p in (root / "site").rglob("*.html") if "pagefind" not in p.parts])

    add_report(root)
    out = build(root, "--base-url", SITE_URL)
    rebuilt = int(re.search(r"\((\d+) changed pages? rebuilt\)", out).group(1))
    # The page, the story's other report, its topics, people, sources, timeline, digests...
    assert 2 <= rebuilt <= 30, out
    page = root / "site/articles/2024-08-01-another-readout/index.html"
    assert "Another account of the" in page.read_text("utf-8")
    assert url in sitemap_urls(root / "site") and len(sitemap_urls(root / "site")) == pages + 1
    assert "/articles/2024-08-01-another-readout/" in pagefind_fragments(root / "site/pagefind")
    pages_recorded, pages_there = counted()
    assert pages_recorded == pages_there
    matches_a_cold_build(root, tmp_path / "cold-1")

    (root / ADDED).unlink()
    assert "rebuilt" in build(root, "--base-url", SITE_URL)
    assert not page.parent.exists()  # the folder too, as a cold build has none
    assert url not in sitemap_urls(root / "site") and len(sitemap_urls(root / "site")) == pages
    assert "/articles/2024-08-01-another-readout/" not in pagefind_fragments(root / "site/pagefind")
    pages_recorded, pages_there = counted()
    assert pages_recorded == pages_there
    matches_a_cold_build(root, tmp_path / "cold-2")

    # Staged from the spare, which held the page removed and lacked the sitemap's change.
    edit(root, READOUT, "Jen Daskal spoke for the US side.", "Jen Daskal spoke for the United States.")
    assert "rebuilt" in build(root, "--base-url", SITE_URL)
    assert not page.parent.exists()
    matches_a_cold_build(root, tmp_path / "cold-3")


@pytest.mark.slow
def test_with_another_plugin_an_added_article_builds_every_page(sample, monkeypatch):
    """A plugin may list pages (a blog's index...): with one in mkdocs.yml besides search,
    pages added build every page, as the plugin's own listings would need."""
    monkeypatch.setattr("briefings.engine.incremental.MAX_SHARE", 0.25)  # as above: the sample is small
    config = sample / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace("  - search\n", "  - search\n  - offline:\n      enabled: false\n", 1),
        "utf-8",
    )
    assert "rebuilt" not in build(sample)  # another mkdocs.yml
    edit(sample, READOUT, "Jen Daskal spoke for the US side.", "Jen Daskal spoke for the United States.")
    assert "rebuilt" in build(sample)  # an edit is still incremental
    add_report(sample)
    assert "rebuilt" not in build(sample)


def published_pages(root):
    return {p.relative_to(root / "site"): (p.stat().st_ino, p.read_bytes()) for p in (root / "site").rglob("*.html")}


def kept_as_the_spare(root, published):
    """The published site's pages, as ``published_pages`` took them before a build, are the
    spare's after it: the same files, never written through."""
    for rel, (inode, data) in published.items():
        kept = root / ".site-spare/site" / rel
        assert (kept.stat().st_ino, kept.read_bytes()) == (inode, data), rel


@pytest.mark.slow
def test_an_article_of_a_new_day_writes_the_new_date_into_every_other_page(tmp_path, monkeypatch):
    """The newest article's day is the footer's "Updated" on every page and each date of the
    sitemap. A report dated after it: the pages that show it are built, the others get the new
    date written into their footer in place, and the site equals a cold build's. A desk whose
    theme overrides show the build date themselves gets a full build instead."""
    monkeypatch.setattr("briefings.engine.incremental.MAX_SHARE", 0.25)  # as above: the sample is small
    root = copy_sample(tmp_path / "desk")
    build(root, "--base-url", SITE_URL)
    quint = root / "site/articles/2022-08-02-the-quint-pelosi-leaves-taipei/index.html"
    assert '<time class="bf-footer__updated" datetime="2024-11-17">17 November 2024</time>' in quint.read_text("utf-8")
    add_report(root, date="2024-11-18")
    published = published_pages(root)
    out = build(root, "--base-url", SITE_URL)
    # Staged as links to the published pages: each got the new day in a new file; the published
    # site's were never written (the spare now holds them as they were).
    kept_as_the_spare(root, published)
    rebuilt = int(re.search(r"\((\d+) changed pages? rebuilt\)", out).group(1))
    assert rebuilt < 40, out  # of 150
    assert '<time class="bf-footer__updated" datetime="2024-11-18">18 November 2024</time>' in quint.read_text("utf-8")
    lastmod = re.findall(r"<lastmod>([^<]+)</lastmod>", (root / "site/sitemap.xml").read_text("utf-8"))
    assert len(lastmod) > 100 and set(lastmod) == {"2024-11-18"}

    matches_a_cold_build(root, tmp_path / "cold-1")
    # The spare is the previous site as it was: its pages differ from the site's only in their
    # footer's day, but for the files the build replaced (the next build of a new day rewrites
    # every page anyway; one of the same day links the site again first).
    record = read_site_record(root / "build")
    assert record.day == "2024-11-18" and record.spare_day == "2024-11-17"
    old, new = footer_date("2024-11-17"), footer_date("2024-11-18")
    spare, pages = root / ".site-spare/site", sorted((root / "site").rglob("*.html"))
    assert len(pages) > 100 and old in (spare / quint.relative_to(root / "site")).read_bytes()
    for page in pages:
        rel = page.relative_to(root / "site").as_posix()
        if rel not in record.spare:
            assert (spare / rel).read_bytes().replace(old, new) == page.read_bytes(), rel
    # Then a report of the next day (staged from that spare: its pages show either day), another
    # of that day (the spare's pages a day behind), and one of the day after: each staged from
    # the spare, and each site the one a cold build makes.
    for n, date, spare_day in (
        (2, "2024-11-19", "2024-11-18"),
        (3, "2024-11-19", None),
        (4, "2024-11-20", "2024-11-19"),
    ):
        rel = f"content/articles/2024/{date}-report-{n}.md"
        add_report(root, rel=rel, date=date)
        edit(root, rel, "url: https://example.org/", f"url: https://example.org/{n}/")
        edit(root, rel, "title: Another account", f"title: Account {n}")
        published = published_pages(root)
        spares = {p.relative_to(spare): p.stat().st_ino for p in spare.rglob("*.html")}
        assert "rebuilt" in build(root, "--base-url", SITE_URL)
        assert read_site_record(root / "build").spare_day == spare_day
        # The spare's pages, its own files, got the day written in place (no new file for each,
        # no relinking); the published site's were never written: the spare now holds them as
        # they were.
        pages = sorted((root / "site").rglob("*.html"))
        in_place = [p for p in pages if p.stat().st_ino == spares.get(p.relative_to(root / "site"))]
        assert len(in_place) > 0.8 * len(pages), (n, len(in_place), len(pages))
        kept_as_the_spare(root, published)
        matches_a_cold_build(root, tmp_path / f"cold-{n}")

    footer = root / "overrides/partials/copyright.html"
    footer.parent.mkdir(parents=True)
    text = (REPO / "theme/partials/copyright.html").read_text("utf-8")
    footer.write_text(text.replace("· Updated <time", "· Last updated <time"), "utf-8")
    assert "rebuilt" not in build(root, "--base-url", SITE_URL)  # another theme
    add_report(root, rel="content/articles/2024/2024-11-21-one-more.md", date="2024-11-21")
    one_more = "content/articles/2024/2024-11-21-one-more.md"
    edit(root, one_more, "url: https://example.org/", "url: https://example.org/more/")
    edit(root, one_more, "title: Another account", "title: One more account")
    assert "rebuilt" not in build(root, "--base-url", SITE_URL)
    assert '<time class="bf-footer__updated" datetime="2024-11-21">21 November 2024</time>' in quint.read_text("utf-8")


@pytest.mark.slow
def test_an_article_in_a_big_story_theme_or_config_change_takes_a_full_build(sample, tmp_path):
    # A report in the Woodside story shows on its fifteen other reports and more: over
    # MAX_SHARE of the sample's 150 pages, a full build is as quick.
    shutil.copy(sample / SEED, sample / "content/articles/2023/2023-11-16-copy.md")
    edit(sample, "content/articles/2023/2023-11-16-copy.md", "title: Biden, Xi", "title: Copy of Biden, Xi")
    edit(
        sample, "content/articles/2023/2023-11-16-copy.md", "url: https://dailycaller.com/", "url: https://example.org/"
    )
    assert "rebuilt" not in build(sample)
    css = sample / "overrides/assets/stylesheets/briefings.css"  # the theme's stylesheet, overridden
    css.parent.mkdir(parents=True)
    shutil.copy(REPO / "theme/assets/stylesheets/briefings.css", css)
    edit(sample, "overrides/assets/stylesheets/briefings.css", "/* briefings:", "/* Briefings:")
    assert "rebuilt" not in build(sample)
    assert "rebuilt" not in build(sample, "--full")
    assert tree_hash(sample / "site") == tree_hash(full_build_of(sample, tmp_path))


@pytest.mark.slow
def test_a_failed_incremental_build_keeps_the_site_and_the_next_build_recovers(sample, tmp_path):
    before = tree_hash(sample / "site")
    edit(sample, SEED, "source: The Daily Caller", "source: [broken")
    assert run_cli("build", "--project", str(sample)).exit_code == 1
    assert tree_hash(sample / "site") == before
    edit(sample, SEED, "source: [broken", "source: The Daily Caller Online")
    assert "rebuilt" in build(sample)
    assert tree_hash(sample / "site") == tree_hash(full_build_of(sample, tmp_path))


@pytest.mark.slow
def test_a_generation_that_dies_halfway_is_not_taken_for_a_finished_one(sample, tmp_path, monkeypatch):
    """Pages half written by a run that failed, then the content put back as it
    was: the next run must write the pages again, not find them "up to date"."""
    from conftest import generate

    import briefings.pages.emit
    from briefings.project import Project

    original = (sample / SEED).read_text("utf-8")
    edit(sample, SEED, "title: Biden, Xi Reach Agreement", "title: Biden and Xi Reach Agreement")
    real_write, written = briefings.pages.emit.write_file, []

    def dies_halfway(*args, **kwargs):
        if len(written) == 3:  # some of the pages the edit changes are written, not all
            raise OSError("disk full")
        if real_write(*args, **kwargs):
            written.append(args[1])
            return True
        return False

    monkeypatch.setattr(briefings.pages.emit, "write_file", dies_halfway)
    with pytest.raises(OSError):
        generate(Project.at(sample))
    monkeypatch.undo()
    assert len(written) == 3
    (sample / SEED).write_text(original, "utf-8")
    assert "rebuilt" in build(sample)
    assert tree_hash(sample / "site") == tree_hash(full_build_of(sample, tmp_path))


QUINT = "content/articles/2022/2022-08-02-the-quint-pelosi-leaves-taipei.md"


@pytest.mark.slow
def test_edits_that_other_pages_show_match_a_full_build_each_time(sample, tmp_path):
    """Each edit changes what other article pages show: the story's other versions, the
    neighbours in each topic, related coverage, a person page, the feeds. Only the pages
    whose inputs changed are rendered again, and after every edit the generated pages and
    the site equal a cold build's (from the second edit on, staged from the spare copy)."""
    steps = [
        (QUINT, "title: Nancy Pelosi Leaves Taipei", "title: Nancy Pelosi Departs Taipei"),  # story, neighbours
        (QUINT, "  her departure from Taipei.", "  her departure from Taipei on 3 August."),  # the summary
        (SEED, "people: [Joe Biden, Xi Jinping]", "people: [Joe Biden, Xi Jinping, Nancy Pelosi]"),  # related, person
        (QUINT, "topics: [taiwan, us-china]", "topics: [taiwan]"),  # neighbours in us-china
        (QUINT, "date: 2022-08-02  #", "date: 2022-08-04  #"),  # the order of everything around it
    ]
    incremental, spares = [], []
    for n, (rel, old, new) in enumerate(steps):
        edit(sample, rel, old, new)
        spares.append((sample / ".site-spare").is_dir())
        incremental.append("rebuilt" in build(sample))
        fresh = full_build_of(sample, tmp_path / f"cold-{n}")
        assert tree_hash(sample / "build/docs") == tree_hash(fresh.parent / "build/docs"), steps[n]
        assert tree_hash(sample / "site") == tree_hash(fresh), steps[n]
    # A new title shows on the story's fifteen other pages and its week's digest, still under
    # MAX_SHARE of the sample's pages; a new date moves listings: a full site build.
    assert incremental == [True, True, True, True, False]
    assert spares == [False] + [True] * 4  # the previous site, kept by each build (the first had none)
    # After a full build, the spare is a copy of the new site (made of hard links).
    assert tree_hash(sample / ".site-spare/site") == tree_hash(sample / "site")


def test_an_edit_renders_only_the_article_pages_that_show_it(sample, monkeypatch):
    from conftest import generate

    from briefings.pages.article import ArticlePages
    from briefings.project import Project

    rendered = []
    real_page = ArticlePages.page

    def page(self, i, *args):
        rendered.append(self.name(i))
        return real_page(self, i, *args)

    monkeypatch.setattr(ArticlePages, "page", page)
    edit(sample, QUINT, "  her departure from Taipei.", "  her departure from Taipei on 3 August.")
    generate(Project.at(sample), workers=1)
    assert rendered == ["articles/2022-08-02-the-quint-pelosi-leaves-taipei.md"]  # a summary no other page shows
    rendered.clear()
    edit(sample, QUINT, "title: Nancy Pelosi Leaves Taipei", "title: Nancy Pelosi Departs Taipei")
    generate(Project.at(sample), workers=1)
    # The article, the other versions of its story, its neighbours and the pages it is related to: not all 80.
    assert QUINT.rsplit("/", 1)[1] in {name.rsplit("/", 1)[1] for name in rendered}
    assert 10 <= len(rendered) < 40
    rendered.clear()
    generate(Project.at(sample), workers=1, full=True)  # the site, not the pages: nothing changed
    assert rendered == []


def test_a_change_in_who_is_named_most_renders_only_the_pages_that_show_it(sample, monkeypatch, tmp_path):
    """The people pages rank people by how many articles name them; an article page shows
    none of that ranking (a related card lists the people it shares in the order its article
    names them). So an edit or an addition that reorders it renders only the pages that show
    the changed article, not every article page, and the pages are a cold generation's."""
    from conftest import generate

    from briefings.pages.article import ArticlePages
    from briefings.project import Project

    rendered = []
    real_page = ArticlePages.page
    monkeypatch.setattr(
        ArticlePages, "page", lambda self, i, *a: rendered.append(self.name(i)) or real_page(self, i, *a)
    )
    ranked = people_ranked(sample)
    assert ranked.index("hou-yu-ih") < ranked.index("ko-wen-je")  # six articles each: by name
    edit(sample, QUINT, "people: [Nancy Pelosi, Tsai Ing-wen]", "people: [Nancy Pelosi, Tsai Ing-wen, Ko Wen-je]")
    generate(Project.at(sample), workers=1)
    assert people_ranked(sample).index("ko-wen-je") < people_ranked(sample).index("hou-yu-ih")  # seven now
    assert f"articles/{QUINT.rsplit('/', 1)[1]}" in rendered and len(rendered) < 40, rendered  # not all 80
    election = (sample / "build/docs/articles/2024-01-13-anadolu-agency-lai-wins-presidential-election.md").read_text()
    assert '"shares":["Taiwan","Lai Ching-te","Hou Yu-ih","Ko Wen-je"]' in election  # as those articles name them
    fresh = tmp_path / "fresh"
    shutil.copytree(sample, fresh, ignore=shutil.ignore_patterns("build", "site", ".site-*"))
    generate(Project.at(fresh), workers=1)
    assert tree_hash(sample / "build/docs") == tree_hash(fresh / "build/docs")


def people_ranked(root):
    """The slugs of the people named in the desk's articles, as its people pages rank them."""
    import datetime as dt

    from briefings.pipeline import check, group, select
    from briefings.project import Project

    content, now = check(Project.at(root)), dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    return [f.person.slug for f in group(content, select(content, drafts=False, now=now), now=now).people]


def test_an_edit_keys_only_the_article_pages_that_show_it(sample, monkeypatch, tmp_path):
    """Keying ten thousand article pages costs a second: when only some articles' files
    changed, only the pages that show one of them are keyed again. A change to what decides
    which articles a page shows (here, a story's members) keys them all, and either way the
    pages are a cold generation's."""
    from conftest import generate

    from briefings.pages.article import ArticlePages
    from briefings.project import Project

    keyed = []
    real_inputs = ArticlePages.inputs
    monkeypatch.setattr(
        ArticlePages, "inputs", lambda self, i, *a: keyed.append(self.name(i)) or real_inputs(self, i, *a)
    )
    quint = f"articles/{QUINT.rsplit('/', 1)[1]}"
    edit(sample, QUINT, "  her departure from Taipei.", "  her departure from Taipei on 3 August.")
    generate(Project.at(sample), workers=1)
    assert quint in keyed and 10 <= len(keyed) < 40  # its story's versions, neighbours, related: not all 80
    assert SEED.rsplit("/", 1)[1] not in {name.rsplit("/", 1)[1] for name in keyed}  # another story, another year
    keyed.clear()
    edit(sample, QUINT, "story: pelosi-taiwan-visit-2022", "story: china-suspends-us-channels-2022")
    generate(Project.at(sample), workers=1)
    assert len(keyed) == 80
    fresh = tmp_path / "fresh"
    shutil.copytree(sample, fresh, ignore=shutil.ignore_patterns("build", "site", ".site-*"))
    generate(Project.at(fresh), workers=1)
    assert tree_hash(sample / "build/docs") == tree_hash(fresh / "build/docs")


def test_an_addition_keys_only_the_article_pages_that_show_it(sample, monkeypatch, tmp_path):
    """An article added changes the topics' lists and the related selection, which every page's
    key was checked against: only the pages that show the added article are keyed again (its
    neighbours, its story's other version, those that may pick it as related coverage), with
    those whose body links to another article's file (which page each file became is theirs).
    The pages are a cold generation's."""
    from conftest import generate

    from briefings.pages.article import ArticlePages
    from briefings.project import Project

    keyed = []
    real_inputs = ArticlePages.inputs
    monkeypatch.setattr(
        ArticlePages, "inputs", lambda self, i, *a: keyed.append(self.name(i)) or real_inputs(self, i, *a)
    )
    summit = "See [the summit](../2023/2023-11-15-daily-caller-biden-xi-agreement.md).\n\n"
    edit(sample, QUINT, "\n---\n", f"\n---\n{summit}")
    generate(Project.at(sample), workers=1)
    keyed.clear()
    add_report(sample)
    generate(Project.at(sample), workers=1)
    name = f"articles/{ADDED.rsplit('/', 1)[1]}"
    readout, quint = (f"articles/{rel.rsplit('/', 1)[1]}" for rel in (READOUT, QUINT))
    assert {name, readout, quint} <= set(keyed) and len(keyed) < 40, keyed  # not all 81
    fresh = tmp_path / "fresh"
    shutil.copytree(sample, fresh, ignore=shutil.ignore_patterns("build", "site", ".site-*"))
    generate(Project.at(fresh), workers=1)
    assert tree_hash(sample / "build/docs") == tree_hash(fresh / "build/docs")
    keyed.clear()
    (sample / ADDED).unlink()  # a removal keys them all
    generate(Project.at(sample), workers=1)
    assert len(keyed) == 80


def test_related_coverage_is_picked_again_only_when_the_selection_changes(sample, monkeypatch):
    """Keying 10,000 article pages is mostly picking their related coverage: the picks are
    stored with the keys and reused while no article's date, topics or people changed."""
    from conftest import generate

    from briefings.pages.related import RelatedIndex
    from briefings.project import Project

    picked = []
    real_picks = RelatedIndex.picks
    monkeypatch.setattr(RelatedIndex, "picks", lambda self, i: picked.append(i) or real_picks(self, i))
    edit(sample, QUINT, "title: Nancy Pelosi Leaves Taipei", "title: Nancy Pelosi Departs Taipei")
    generate(Project.at(sample), workers=1)
    assert picked == []  # a new title: shown by the pages that list the article, picked by none
    edit(sample, QUINT, "topics: [taiwan, us-china]", "topics: [taiwan]")
    generate(Project.at(sample), workers=1)
    assert len(picked) == 80  # another topic: every article's picks again
    picked.clear()
    generate(Project.at(sample), workers=1, full=True)
    assert picked == []


def test_after_an_addition_only_the_articles_near_it_are_picked_again(sample, tmp_path, monkeypatch):
    """An article added changes the related coverage only of those with it among their
    candidates, near it in a topic or a person: the others' picks are kept, and the pages are
    those a fresh generation makes. Removing one picks again every article whose picks were
    made with it there (the others' were made before it came, with the same articles)."""
    from conftest import generate

    from briefings.pages.related import WINDOW, RelatedIndex
    from briefings.project import Project

    picked: list[int] = []
    real_picks = RelatedIndex.picks
    monkeypatch.setattr(RelatedIndex, "picks", lambda self, i: picked.append(i) or real_picks(self, i))

    def same_as_fresh(n):
        fresh = tmp_path / f"fresh-{n}"
        shutil.copytree(sample, fresh, ignore=shutil.ignore_patterns("build", "site", ".site-*"))
        generate(Project.at(fresh), workers=1)
        assert tree_hash(sample / "build/docs") == tree_hash(fresh / "build/docs")

    add_report(sample)
    report = generate(Project.at(sample), workers=1)
    added = next(i for i, a in enumerate(report.edition.articles) if a.path == ADDED)
    index = RelatedIndex(report.edition.articles, {})  # its topics' groups: the report has no people
    near = {j for t in report.edition.articles[added].topics for j in index.groups[("t", t)]}
    assert added in picked and len(picked) <= 1 + 2 * WINDOW * 2 < 81 and set(picked) <= near
    # The order of an article's people follows the people's files, which an addition may reorder:
    # not a fact its picks read (they are scored by what two articles share).
    articles, slug = report.edition.articles, report.edition.articles[0].slug
    assert RelatedIndex(articles, {slug: ("a", "b")}).facts(0) == RelatedIndex(articles, {slug: ("b", "a")}).facts(0)
    near_it = {articles[i].slug for i in picked} - {articles[added].slug}
    same_as_fresh(1)
    picked.clear()
    (sample / ADDED).unlink()
    removed = generate(Project.at(sample), workers=1)
    again = {removed.edition.articles[i].slug for i in picked}
    assert near_it <= again and len(again) < 80
    same_as_fresh(2)
    picked.clear()
    add_report(sample)
    config = sample / "mkdocs.yml"
    limit = config.read_text("utf-8").replace("extra:\n", "extra:\n  briefings:\n    related: 3\n", 1)
    config.write_text(limit, "utf-8")
    generate(Project.at(sample), workers=1)
    assert len(picked) == 81  # and with another limit, as many picks as there are articles
    same_as_fresh(3)


def test_an_edit_makes_only_the_topic_and_person_pages_that_list_it(sample, monkeypatch):
    from conftest import generate

    import briefings.pages.emit
    import briefings.pages.render
    from briefings.project import Project

    made = []
    units = briefings.pages.render.listing_units

    def listing_units(ctx, **kwargs):
        for unit in units(ctx, **kwargs):
            made.append(unit.key)
            yield replace(unit, make=lambda unit=unit: made.append(f"made {unit.key}") or unit.make())

    monkeypatch.setattr(briefings.pages.emit, "listing_units", listing_units)
    edit(sample, QUINT, "  her departure from Taipei.", "  her departure from Taipei on 3 August.")
    generate(Project.at(sample), workers=1)
    assert "topic:taiwan" in made and "person:nancy-pelosi" in made  # keyed units, all considered
    topics = sorted(m for m in made if m.startswith("made topic:"))
    people = {m.removeprefix("made person:") for m in made if m.startswith("made person:")}
    assert topics == ["made topic:taiwan", "made topic:us-china"]  # not fentanyl's
    # The people it names, and those who list another version of its story (which shows
    # the story's sources): not Joe Biden's pages, nor most people's.
    assert {"nancy-pelosi", "tsai-ing-wen"} <= people
    assert "joe-biden" not in people and len(people) < len([m for m in made if m.startswith("person:")]) / 2


def test_an_edit_makes_only_its_own_line_of_the_edition_manifest(sample, monkeypatch, tmp_path):
    """The manifest (edition.json) has a line for every article: an edit keeps the last
    manifest's lines of the articles whose files are the same, and a change to what every
    entry may show (here, an outlet's id in the registry) makes them all. Either way the
    manifest is a cold generation's."""
    from conftest import generate

    import briefings.digest.manifest
    from briefings.project import Project

    made = []
    entry = briefings.digest.manifest.article_entry
    monkeypatch.setattr(briefings.digest.manifest, "article_entry", lambda a: made.append(a.slug) or entry(a))
    quint = QUINT.rsplit("/", 1)[1].removesuffix(".md")
    edit(sample, QUINT, "  her departure from Taipei.", "  her departure from Taipei on 3 August.")
    generate(Project.at(sample), workers=1)
    assert made == [quint]
    edit(sample, "content/outlets.yml", "id: the-quint", "id: quint")  # the article's file is the same
    made.clear()
    generate(Project.at(sample), workers=1)
    assert len(made) == 80 and '"outlet":"quint"' in (sample / "build/docs/edition.json").read_text("utf-8")
    fresh = tmp_path / "fresh"
    shutil.copytree(sample, fresh, ignore=shutil.ignore_patterns("build", "site", ".site-*"))
    generate(Project.at(fresh), workers=1)
    assert (sample / "build/docs/edition.json").read_bytes() == (fresh / "build/docs/edition.json").read_bytes()
    edit(sample, QUINT, "on 3 August.", "on 3 August 2022.")  # with every line kept but one
    edit(fresh, QUINT, "on 3 August.", "on 3 August 2022.")
    made.clear()
    generate(Project.at(sample), workers=1)
    generate(Project.at(fresh), workers=1)
    assert made == [quint, quint]  # one line made in each
    assert tree_hash(sample / "build/docs") == tree_hash(fresh / "build/docs")


def test_an_edit_saves_the_parsed_articles_of_one_shard(sample):
    shards = sorted((sample / "build/cache").glob("generate-*.pickle"))
    assert len(shards) == 16 and not (sample / "build/cache/generate.pickle").exists()
    before = {p.name: p.stat().st_mtime_ns for p in shards}
    edit(sample, QUINT, "  her departure from Taipei.", "  her departure from Taipei on 3 August.")
    assert "rebuilt" in build(sample)
    after = {p.name: p.stat().st_mtime_ns for p in sorted((sample / "build/cache").glob("generate-*.pickle"))}
    assert len([name for name in after if after[name] != before[name]]) == 1
    assert "up to date" in build(sample)  # what was saved is read back: nothing to do


@pytest.mark.slow
def test_with_material_search_edits_splice_its_index_as_a_full_build_writes_it(sample, tmp_path, monkeypatch):
    config = sample / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace("extra:\n", "extra:\n  briefings:\n    search: material\n", 1), "utf-8"
    )
    build(sample)  # a full build: another search
    for n, (old, new) in enumerate(
        [
            ("  her departure from Taipei.", "  her departure from Taipei on 3 August."),
            ("Nancy Pelosi spent 2 and 3", "Nancy Pelosi spent two days, 2 and 3"),
        ]
    ):
        edit(sample, QUINT, old, new)
        assert "rebuilt" in build(sample)
        index = (sample / "site/search/search_index.json").read_text("utf-8")
        assert "on 3 August" in index
        assert tree_hash(sample / "site") == tree_hash(full_build_of(sample, tmp_path / f"cold-{n}"))
    # Its index lists every page in MkDocs' order: an added page's entries go in their place,
    # a removed page's come out.
    monkeypatch.setattr("briefings.engine.incremental.MAX_SHARE", 0.25)  # not for the share of pages
    add_report(sample)
    assert "rebuilt" in build(sample)
    assert "another-readout" in (sample / "site/search/search_index.json").read_text("utf-8")
    assert tree_hash(sample / "site") == tree_hash(full_build_of(sample, tmp_path / "cold-added"))
    (sample / ADDED).unlink()
    assert "rebuilt" in build(sample)
    assert "another-readout" not in (sample / "site/search/search_index.json").read_text("utf-8")
    assert tree_hash(sample / "site") == tree_hash(full_build_of(sample, tmp_path / "cold-removed"))


def test_material_search_index_splice_keeps_mkdocs_order(tmp_path):
    """Entries of an added page go after the page before it in MkDocs' order (the first
    page's before all), a removed page's go, a rebuilt page's replace its own: as Material
    writes the whole index."""

    def index(pages):
        docs = [{"location": url + anchor, "text": text} for url, anchor, text in pages]
        return json.dumps({"config": {"separator": "[\\s]+"}, "docs": docs}, separators=(",", ":")).encode()

    staged, rebuilt = tmp_path / "staged.json", tmp_path / "rebuilt.json"
    staged.write_bytes(index([("a/", "", "A"), ("a/", "#x", "A x"), ("c/", "", "C"), ("d/", "", "D")]))
    rebuilt.write_bytes(index([("", "", "home"), ("b/", "", "B"), ("b/", "#y", "B y"), ("d/", "", "D2")]))
    order = ["", "a/", "b/", "c/", "d/", "e/"]
    splice_index(staged, rebuilt, {"", "b/", "c/", "d/"}, order)
    expected = [("", "", "home"), ("a/", "", "A"), ("a/", "#x", "A x"), ("b/", "", "B"), ("b/", "#y", "B y")]
    assert staged.read_bytes() == index([*expected, ("d/", "", "D2")])
    rebuilt.write_bytes(index([("e/", "", "E")]))
    splice_index(staged, rebuilt, {"d/", "e/"}, order)
    assert staged.read_bytes() == index([*expected, ("e/", "", "E")])
    rebuilt.write_bytes(index([]))
    splice_index(staged, rebuilt, set(order), order)
    assert staged.read_bytes() == index([])


GLOBAL_TIMES = "content/articles/2024/2024-05-22-global-times-mainland-says-lai-more-radical.md"


@pytest.mark.slow
def test_a_report_moved_to_another_week_changes_the_digests_as_a_full_build_does(sample, tmp_path):
    """Moving a Taiwan report (a story of Taiwan reports only) into a later week moves it between
    week pages and makes that week the latest: home's line changes, and US–China's page loses
    its line. Moving it back restores everything. A correction made in a later week does the
    same without moving anything in any listing: US–China's pages are not made again for their
    articles, which did not change, but for their line (its unit's key holds it). Each time the
    pages and the site equal a cold build's."""
    correction = "date: 2024-05-22\ncorrections:\n  - date: 2024-11-20\n    text: A sentence was reworded."
    steps = [
        ("date: 2024-05-22", "date: 2024-11-20"),
        ("date: 2024-11-20", "date: 2024-05-22"),
        ("date: 2024-05-22", correction),
    ]
    lines = []
    for n, (old, new) in enumerate(steps):
        edit(sample, GLOBAL_TIMES, old, new)
        build(sample)
        fresh = full_build_of(sample, tmp_path / f"cold-{n}")
        assert tree_hash(sample / "build/docs") == tree_hash(fresh.parent / "build/docs"), steps[n]
        assert tree_hash(sample / "site") == tree_hash(fresh), steps[n]
        topic = (sample / "site/topics/us-china/index.html").read_text("utf-8")
        home = (sample / "site/index.html").read_text("utf-8")
        lines.append(("bf-digest-line" in topic, re.search(r'bf-digest-line"><a href="digests/([^/]+)/', home)[1]))
    assert lines == [(False, "2024-W47"), (True, "2024-W46"), (False, "2024-W47")]
    assert "A sentence was reworded." in (sample / "site/digests/2024-W47/index.html").read_text("utf-8")


def test_an_edit_makes_only_the_weeks_and_months_that_show_it_and_they_match_a_cold_generation(tmp_path, monkeypatch):
    """The weekly digests are made by week: an edit makes the page of its article's week and of
    the weeks either side (which link it), the page of its year of weeks, and the index and feed
    only when it is among their newest weeks. The timeline's month archives are made by month.
    Moving an article to another week makes both weeks'. Each time the pages are a cold
    generation's."""
    from conftest import generate

    import briefings.pages.emit
    import briefings.pages.render
    from briefings.project import Project

    root = copy_sample(tmp_path / "desk")
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace("extra:\n", "extra:\n  briefings:\n    archive_after: 3\n", 1), "utf-8"
    )
    generate(Project.at(root), workers=1)
    assert (root / "build/docs/digests/2022.md").is_file()  # past 3 weeks, the weeks go by year

    made = []
    units = briefings.pages.render.listing_units

    def listing_units(ctx, **kwargs):
        for unit in units(ctx, **kwargs):
            yield replace(unit, make=lambda unit=unit: made.append(unit.key) or unit.make())

    monkeypatch.setattr(briefings.pages.emit, "listing_units", listing_units)

    def same_as_cold(n):
        fresh = tmp_path / f"fresh-{n}"
        shutil.copytree(root, fresh, ignore=shutil.ignore_patterns("build", "site", ".site-*"))
        generate(Project.at(fresh), workers=1)
        assert tree_hash(root / "build/docs") == tree_hash(fresh / "build/docs")

    # Its quote is in the digest of 2022-W31 with the article's title.
    edit(root, QUINT, "title: Nancy Pelosi Leaves Taipei", "title: Nancy Pelosi Departs Taipei")
    generate(Project.at(root), workers=1)
    digests = sorted(k for k in made if k.startswith(("digest:", "digests:", "feed:feeds/digests")))
    # Its week is the sample's oldest: one neighbour. The index lists the newest 3 weeks alone,
    # and the feed every week of the sample (fewer than its 20).
    assert digests == ["digest:2022-W31", "digest:2023-W46", "digests:2022", "feed:feeds/digests.xml"]
    assert [k for k in made if k.startswith("timeline")] == ["timeline:2022-08"]  # not the newest 3
    week = (root / "build/docs/digests/2022-W31.md").read_text("utf-8")
    assert "Nancy Pelosi Departs Taipei" in week
    same_as_cold(0)

    # To the next week, a new one: the weeks either side link it. (A new date reorders the
    # articles, which every page's key holds: everything is made again.)
    edit(root, QUINT, "date: 2022-08-02  #", "date: 2022-08-09  #")
    generate(Project.at(root), workers=1)
    assert "2022-W32" in (root / "build/docs/digests/2023-W46.md").read_text("utf-8")
    same_as_cold(1)


def test_a_generated_page_deleted_by_hand_is_written_again(sample, tmp_path):
    """A page whose key is the one stored is left as it is only if its file is there: an
    article page, a week's digest and a month of the timeline deleted from build/docs are
    written again by the next edit's generation, and the pages equal a cold generation's."""
    from conftest import generate

    from briefings.project import Project

    docs = sample / "build/docs"
    gone = [docs / "articles/2022-08-02-the-quint-pelosi-leaves-taipei.md", docs / "digests/2024-W02.md"]
    gone += [sorted((docs / "people").glob("*.md"))[0]]
    for path in gone:
        path.unlink()
    edit(sample, SEED, "agreed to restore military-to-military", "agreed to restore military ties")
    generate(Project.at(sample), workers=1)
    assert all(path.is_file() for path in gone)
    fresh = tmp_path / "fresh"
    shutil.copytree(sample, fresh, ignore=shutil.ignore_patterns("build", "site", ".site-*"))
    generate(Project.at(fresh), workers=1)
    assert tree_hash(docs) == tree_hash(fresh / "build/docs")
