"""`briefings digest`: the week of the sample in its three renderings, read as a mail client,
a reader of the plain text and a newsletter tool would, and each bad input's one line.

The expectations come from the content files (which articles are dated in the week, their
stories, outlets' URLs and quotes), not from the digest module."""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import threading
from urllib.parse import urlsplit

import cmarkgfm
import pytest
from bs4 import BeautifulSoup
from conftest import copy_sample, run_cli

from briefings.content.load import load_content
from briefings.digest.changes import digest
from briefings.digest.mail import as_html
from briefings.digest.window import named_week
from briefings.pages.group import group, select

BASE = "https://desk.example.org/briefings/"
WEEK = "2024-W21"
GMAIL_CLIPS = 102 * 1024


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return copy_sample(tmp_path_factory.mktemp("digest") / "desk")


@pytest.fixture(scope="module")
def week(project):
    """What the content files say about the week: its articles (published, not drafts),
    the pages of their stories, and their quotes."""
    content = load_content(project)
    now = dt.datetime.now(dt.UTC)
    published = select(content, drafts=False, now=now)
    days = named_week(WEEK)
    articles = [a for a in published if days.since <= a.date <= days.until]
    stories = {s.id: s for s in content.stories}
    return {
        "articles": articles,
        "stories": {BASE + (f"stories/{a.story}/" if a.story in stories else a.page_url) for a in articles},
        "titles": {stories[a.story].title if a.story in stories else a.title for a in articles},
        "quotes": {" ".join(q.text.split()) for a in articles for q in a.quotes},
        # Corrections dated in the week, whenever their article was published.
        "corrections": {
            (BASE + a.page_url, " ".join(c.text.split()))
            for a in published
            for c in a.corrections
            if days.since <= c.date <= days.until
        },
    }


def digest_of(project, *args: str):
    return run_cli("digest", "--project", str(project), "--base-url", BASE, *args)


@pytest.fixture(scope="module")
def html(project):
    result = digest_of(project, "--week", WEEK)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_html_lists_exactly_the_weeks_stories_reports_and_quotes(html, week):
    soup = BeautifulSoup(html, "html.parser")
    story_links = {a["href"] for h3 in soup.find_all("h3") for a in h3.find_all("a")}
    # Headings link stories (new or gained sources) and quoted people: the stories are the week's.
    assert {h for h in story_links if "/people/" not in h} == week["stories"]
    links = {a["href"] for a in soup.find_all("a")}
    for article in week["articles"]:
        assert BASE + article.page_url in links, article.slug
        if article.url:
            assert article.url in links, article.slug
    quotes = {" ".join(b.get_text().strip("“”").split()) for b in soup.find_all("blockquote")}
    assert quotes == week["quotes"]
    heading = soup.find("h2", string="Corrections")
    listed = {
        (li.a["href"], " ".join(li.get_text().split(": ", 1)[1].split()))
        for li in heading.find_next("ul").find_all("li")
    }
    assert week["corrections"] and listed == week["corrections"]
    assert soup.title.get_text() == "US–China Briefings: 20–26 May 2024"
    assert soup.h1.get_text() == "20–26 May 2024"


def test_the_html_is_ready_for_mail(html):
    """No script, no stylesheet link, nothing from another host, every link absolute, CSS
    inlined, only the dark-mode block kept in a <style>, under Gmail's clipping size."""
    soup = BeautifulSoup(html, "html.parser")
    assert len(html.encode("utf-8")) < GMAIL_CLIPS
    assert soup.find("script") is None and "<script" not in html.lower()
    assert soup.find("link") is None and soup.find("img") is None
    for tag in soup.find_all(src=True):
        pytest.fail(f"a resource: {tag}")
    assert "url(" not in html and "@import" not in html
    for a in soup.find_all("a"):
        parts = urlsplit(a["href"])
        assert parts.scheme in ("http", "https") and parts.netloc, a["href"]
    styles = soup.find_all("style")
    assert len(styles) == 1 and styles[0].get_text().strip().startswith("@media (prefers-color-scheme: dark)")
    assert soup.find("meta", attrs={"name": "color-scheme"})["content"] == "light dark"
    assert len(soup.find_all(style=True)) > 20
    assert "max-width: 600px" in soup.find("table", class_="main")["style"]
    preheader = soup.find(class_="preheader")
    assert "display: none" in preheader["style"] and preheader.get_text().startswith("2 new stories")


def test_the_text_carries_the_same_headlines_and_links(project, html, week):
    result = digest_of(project, "--week", WEEK, "--format", "text")
    assert result.exit_code == 0, result.output
    text = result.stdout
    soup = BeautifulSoup(html, "html.parser")
    for heading in soup.find_all(["h2", "h3"]):
        assert heading.get_text().upper() in text or heading.get_text() in text, heading
    for title in week["titles"]:
        assert " ".join(title.split()) in " ".join(text.split())
    urls = set(re.findall(r"https?://\S+", text))
    assert {a["href"] for a in soup.find_all("a")} <= {u.rstrip(")") for u in urls}
    assert max(len(line) for line in text.splitlines() if "://" not in line) <= 72


def test_the_markdown_renders_to_the_same_stories_and_quotes(project, week):
    result = digest_of(project, "--week", WEEK, "--format", "md")
    assert result.exit_code == 0, result.output
    soup = BeautifulSoup(cmarkgfm.github_flavored_markdown_to_html(result.stdout), "html.parser")
    story_links = {a["href"] for h3 in soup.find_all("h3") for a in h3.find_all("a")}
    assert {h for h in story_links if "/people/" not in h} == week["stories"]
    links = {a["href"] for a in soup.find_all("a")}
    assert all(urlsplit(h).scheme in ("http", "https") and urlsplit(h).netloc for h in links)
    for article in week["articles"]:
        assert BASE + article.page_url in links and (not article.url or article.url in links)
    text = " ".join(soup.get_text().split())
    for quote in week["quotes"]:
        assert f"“{quote}”" in text


def test_a_big_week_is_cut_by_section_and_links_to_the_site(project):
    content = load_content(project)
    now = dt.datetime.now(dt.UTC)
    edition = group(content, select(content, drafts=False, now=now), now=now)
    full = as_html(digest(edition, named_week(WEEK)), site_name="Desk", site_url=BASE)
    small = as_html(digest(edition, named_week(WEEK)), site_name="Desk", site_url=BASE, max_bytes=len(full) * 2 // 3)
    assert len(small.encode()) <= len(full) * 2 // 3 < len(full.encode())
    more = BeautifulSoup(small, "html.parser").find_all(string=re.compile(r"…and \d+ more"))
    assert more and all(m.parent.name == "a" and m.parent["href"].startswith(BASE) for m in more)


def test_output_file_is_written_whole_and_matches_stdout(project, html, tmp_path):
    out = tmp_path / "digest.html"
    out.write_text("old")
    result = digest_of(project, "--week", WEEK, "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert out.read_text("utf-8") == html
    assert result.stderr.strip() == f"2 new stories, 5 quotes, 2 corrections (20–26 May 2024): {out}"
    assert [p.name for p in tmp_path.iterdir()] == ["digest.html"]


def test_output_follows_a_link_writes_into_a_pipe_and_takes_a_dash_for_stdout(project, html, tmp_path):
    """-o never turns what is there into a file of its own: a link's file is replaced (the link
    stays), a FIFO (or /dev/stdout, /dev/null) is written to; "-" is stdout; a missing folder
    or a folder is a usage error."""
    real, link, fifo = tmp_path / "real.html", tmp_path / "link.html", tmp_path / "fifo"
    real.write_text("old")
    link.symlink_to(real.name)
    os.mkfifo(fifo)
    assert digest_of(project, "--week", WEEK, "-o", str(link)).exit_code == 0
    assert link.is_symlink() and real.read_text("utf-8") == html
    read: list[bytes] = []
    reader = threading.Thread(target=lambda: read.append(fifo.read_bytes()))
    reader.start()
    assert digest_of(project, "--week", WEEK, "-o", str(fifo)).exit_code == 0
    reader.join(timeout=30)
    assert read == [html.encode("utf-8")] and stat.S_ISFIFO(fifo.lstat().st_mode)
    assert digest_of(project, "--week", WEEK, "-o", "-").stdout == html
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fifo", "link.html", "real.html"]
    missing = digest_of(project, "--week", WEEK, "-o", str(tmp_path / "nowhere/d.html"))
    assert missing.exit_code == 2 and missing.stderr == (
        f"Error: --output: {tmp_path / 'nowhere'} is not a folder (expected a file in an existing folder)\n"
    )
    folder = digest_of(project, "--week", WEEK, "-o", str(tmp_path))  # said by Click, as for any option
    assert folder.exit_code == 2 and "is a directory" in folder.stderr


def test_allow_empty_writes_a_digest_that_says_nothing_changed(project):
    for fmt in ("html", "text", "md"):
        result = digest_of(project, "--week", "2020-W01", "--allow-empty", "--format", fmt)
        assert result.exit_code == 0, result.output
        assert "Nothing changed on US–China Briefings in 30 December 2019 – 5 January 2020" in " ".join(
            result.stdout.split()
        )


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--since", "2024-05-27", "--until", "2024-05-20"], 2, "--since 2024-05-27 is after --until 2024-05-20"),
        (["--since", "20/05/2024"], 2, "--since: '20/05/2024' is not a date (expected YYYY-MM-DD"),
        (["--until", "2024-02-30"], 2, "--until: '2024-02-30' is not a real calendar date"),
        (["--week", "2024-21"], 2, "--week: '2024-21' is not a week (expected YYYY-Www"),
        (["--week", "2023-W53"], 2, "--week: '2023-W53' is not a week of that year"),
        (["--week", "9999-W52"], 2, "--week: '9999-W52' is outside 1800-2200 (expected a year articles can have)"),
        (["--until", "0001-01-03"], 2, "--until: '0001-01-03' is outside 1800-2200"),
        (["--since", "2000-01-01", "--until", "9999-12-31"], 2, "--until: '9999-12-31' is outside 1800-2200"),
        (["--week", WEEK, "--since", "2024-05-20"], 2, "--week: give either --week or --since/--until"),
        (["--week", WEEK, "--format", "pdf"], 2, "Invalid value for '--format'"),
        (["--week", "2020-W01"], 1, "Error: nothing changed in 30 December 2019 – 5 January 2020"),
    ],
)
def test_bad_input_gets_one_line_and_its_exit_status(project, args, code, message):
    result = digest_of(project, *args)
    assert result.exit_code == code
    assert message in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("Error")]
    assert len(lines) == 1


def test_without_the_sites_address_the_digest_is_refused(project):
    """The sample's mkdocs.yml has no site_url: links could not be absolute."""
    result = run_cli("digest", "--project", str(project), "--week", WEEK)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Error: the digest's links must be absolute: set site_url in mkdocs.yml or pass --base-url "
        "(e.g. --base-url https://desk.example.org/)"
    )
    bad = run_cli("digest", "--project", str(project), "--week", WEEK, "--base-url", "desk.example.org")
    assert bad.exit_code == 2 and "is not a web address" in bad.stderr


def test_a_base_url_without_its_final_slash_gets_one(project, monkeypatch):
    """As GitHub's configure-pages gives it (BRIEFINGS_BASE_URL in a desk's workflow): the links
    are the same as with the slash, never "…/briefingsstories/…"."""
    with_slash = run_cli("digest", "--project", str(project), "--week", WEEK, "--base-url", BASE, "--format", "md")
    bare = run_cli(
        "digest", "--project", str(project), "--week", WEEK, "--base-url", BASE.rstrip("/"), "--format", "md"
    )
    monkeypatch.setenv("BRIEFINGS_BASE_URL", BASE.rstrip("/"))
    from_env = run_cli("digest", "--project", str(project), "--week", WEEK, "--format", "md")
    assert with_slash.exit_code == bare.exit_code == from_env.exit_code == 0, bare.output
    assert f"{BASE}stories/" in with_slash.stdout
    assert bare.stdout == from_env.stdout == with_slash.stdout


def test_content_problems_stop_it_with_exit_status_1(tmp_path):
    project = copy_sample(tmp_path / "desk")
    article = sorted((project / "content" / "articles").rglob("*.md"))[0]
    article.write_text(article.read_text("utf-8").replace("date:", "date: not-a-date\nx_date:", 1), "utf-8")
    result = digest_of(project, "--week", WEEK)
    assert result.exit_code == 1
    assert article.name in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_mail_fits_600_px_without_sideways_scroll(browser, axe_script, html, tmp_path, scheme):
    """At 600 px (and on a phone) in both palettes: no sideways scroll, the dark palette
    applied, no request but the file itself, no serious accessibility problem."""
    from test_browser import axe_problems

    path = tmp_path / "digest.html"
    path.write_text(html, "utf-8")
    requests: list[str] = []
    for width in (600, 390):
        page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
        page.on("request", lambda r: requests.append(r.url))
        page.goto(path.as_uri())
        scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert scroll <= client, (scheme, width)
        main = page.evaluate("getComputedStyle(document.querySelector('table.main')).backgroundColor")
        assert (main == "rgb(255, 255, 255)") == (scheme == "light"), main
        assert page.evaluate("document.querySelector('table.main').getBoundingClientRect().width") <= 600
        assert axe_problems(page, axe_script) == []
        page.close()
    assert all(u.startswith("file:") for u in requests), requests


def test_a_story_that_gained_sources_says_how_many_before_and_after(project):
    from briefings.digest.window import week_of
    from briefings.pages.group import source_key

    content = load_content(project)
    now = dt.datetime.now(dt.UTC)
    published = {a.slug for a in select(content, drafts=False, now=now)}
    found = 0
    for story in content.stories:
        articles = [a for a in story.articles if a.slug in published]
        days = week_of(max(a.date for a in articles)) if articles else None
        if not days or min(a.date for a in articles) >= days.since:
            continue
        before = {source_key(a) for a in articles if a.date < days.since} - {None, ""}
        after = {source_key(a) for a in articles if a.date <= days.until} - {None, ""}
        if len(after) > len(before):
            text = " ".join(digest_of(project, "--week", days.week, "--format", "text").stdout.split())
            assert "STORIES THAT GAINED SOURCES" in text
            assert f"{story.title} {BASE}stories/{story.id}/" in text
            assert f"{len(before)} → {len(after)} sources" in text
            found += 1
    assert found


def test_corrections_and_updates_of_earlier_articles_have_their_sections(tmp_path):
    from conftest import VALID, Site

    site = Site(tmp_path / "desk")
    site.article("2024/a.md", VALID + "corrections:\n  - date: 2024-01-17\n    text: The turnout was misstated.\n")
    site.article(
        "2024/b.md",
        VALID.replace("A valid article", "An updated one").replace("01-13", "01-10") + "updated: 2024-01-16\n",
    )
    site.article("2024/c.md", VALID.replace("A valid article", "Something new").replace("01-13", "01-16"))
    site.article(
        "2024/d.md", VALID.replace("A valid article", "Still a draft").replace("01-13", "01-18") + "draft: true\n"
    )
    result = run_cli(
        "digest", "--project", str(site.root), "--week", "2024-W03", "--base-url", BASE, "--format", "text"
    )
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "1 new story, 1 correction." in text
    assert (
        f"CORRECTIONS =========== A valid article (17 January 2024) {BASE}articles/a/ The turnout was misstated."
        in text
    )
    assert f"UPDATED ARTICLES ================ An updated one (16 January 2024) {BASE}articles/b/" in text
    assert "Still a draft" not in text  # left out, as in a build
    html = run_cli("digest", "--project", str(site.root), "--week", "2024-W03", "--base-url", BASE).stdout
    headings = [h.get_text() for h in BeautifulSoup(html, "html.parser").find_all("h2")]
    assert headings == ["New stories", "Corrections", "Updated articles"]
