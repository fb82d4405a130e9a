"""`briefings serve`: a real server in a subprocess, edited files, pages fetched over HTTP."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import REPO, run_cli

START_TIMEOUT = 60.0
CHANGE_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, ""


def wait_for(url: str, predicate, timeout: float = CHANGE_TIMEOUT, proc=None) -> tuple[int, str]:
    """Poll ``url`` until ``predicate(status, text)``, for at most ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    status, text = 0, ""
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            pytest.fail(f"the server exited with {proc.returncode}")
        status, text = get(url)
        if predicate(status, text):
            return status, text
        time.sleep(0.2)
    pytest.fail(f"{url} did not change as expected within {timeout} s (last status {status}): {text[:500]}")


class Server:
    def __init__(self, root: Path, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self._out = open(log, "w", encoding="utf-8")  # noqa: SIM115 - the server's log, closed by stop()
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "TMPDIR": str(log.parent)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "briefings", "serve", "--port", str(self.port), "--project", str(root)],
            stdout=self._out,
            stderr=subprocess.STDOUT,
            env=env,
        )

    def output(self) -> str:
        return self.log.read_text("utf-8")

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)
        self._out.close()
        return self.proc.returncode


@pytest.fixture
def serve(tmp_path):
    servers = []

    def start(root: Path) -> Server:
        logs = tmp_path / f"serve-{len(servers)}"
        logs.mkdir()
        server = Server(root, logs / "output.txt")
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


ARTICLE = "title: {title}\ndate: 2024-01-13\nsource: Briefings desk\ntopics: [taiwan]\n"


@pytest.mark.slow
def test_serve_rebuilds_on_edits_shows_problems_and_recovers(site, serve):
    article = site.article("2024/vote.md", ARTICLE.format(title="The first title"))
    site.article(
        "2024/draft.md", "title: Work in progress\ndate: 2024-01-14\nsource: Desk\ntopics: [taiwan]\ndraft: true\n"
    )
    server = serve(site.root)
    page = f"{server.url}/articles/vote/"
    _, text = wait_for(page, lambda s, t: s == 200, timeout=START_TIMEOUT, proc=server.proc)
    assert "The first title" in text
    assert "livereload" in text  # MkDocs' reload script, injected by its server
    assert "briefings-error" not in text

    # Drafts are shown, marked as drafts.
    _, draft = get(f"{server.url}/articles/draft/")
    assert "Work in progress" in draft and "bf-badge" in draft and "Draft" in draft

    # An edit to an article shows up.
    article.write_text(f"---\n{ARTICLE.format(title='A better title')}---\nBody.\n", "utf-8")
    wait_for(page, lambda s, t: "A better title" in t, proc=server.proc)

    # topics.yml and the theme's overrides/ are watched too.
    topics = site.root / "content/topics.yml"
    topics.write_text(topics.read_text("utf-8").replace("title: Taiwan", "title: Taiwan Strait"), "utf-8")
    wait_for(f"{server.url}/topics/taiwan/", lambda s, t: "Taiwan Strait" in t, proc=server.proc)
    main_html = site.root / "overrides/main.html"
    theme = (REPO / "theme/main.html").read_text("utf-8")
    assert "{{ super() }}" in theme
    main_html.write_text(theme.replace("{{ super() }}", "{{ super() }}<!-- theme-edit-marker -->"), "utf-8")
    wait_for(page, lambda s, t: "theme-edit-marker" in t, proc=server.proc)

    # A broken article: the server keeps answering, every page shows the problem over the last good build.
    article.write_text(f"---\n{ARTICLE.format(title='Broken')}".replace("2024-01-13", "2024-02-30") + "---\n", "utf-8")
    status, text = wait_for(page, lambda s, t: 'id="briefings-error"' in t, proc=server.proc)
    assert status == 200
    assert "content/articles/2024/vote.md:3: date: &#x27;2024-02-30&#x27; is not a real calendar date" in text
    assert "A better title" in text  # the last good build, under the overlay
    _, home = get(f"{server.url}/")
    assert 'id="briefings-error"' in home
    # Printed once, to stderr like every problem (merged into this log), however often it rebuilt meanwhile.
    assert server.output().count("content/articles/2024/vote.md:3: date: '2024-02-30' is not a real calendar") == 1

    # Fixing it recovers.
    article.write_text(f"---\n{ARTICLE.format(title='Fixed title')}---\n", "utf-8")
    _, text = wait_for(page, lambda s, t: "Fixed title" in t and "briefings-error" not in t, proc=server.proc)

    assert server.stop() == 0
    out = server.output()
    assert f"Serving on {server.url}/ (drafts shown)" in out
    assert "Fixed: rebuilt" in out and "Stopped." in out
    assert "Traceback" not in out
    assert (site.root / "build/preview-site/articles/vote/index.html").is_file()  # kept for the next preview


@pytest.mark.slow
def test_the_next_preview_starts_from_the_site_the_last_one_left(site, serve):
    """The preview's site stays in build/preview-site/ when it stops. With nothing changed, the
    next preview serves those very files (not one is written again); with an article edited
    meanwhile, it rebuilds the pages that show it and leaves the others as they are."""
    vote = site.article("2024/vote.md", ARTICLE.format(title="The first title"))
    site.article("2024/other.md", ARTICLE.format(title="Another article").replace("01-13", "01-11"))
    first = serve(site.root)
    wait_for(f"{first.url}/articles/vote/", lambda s, t: s == 200, timeout=START_TIMEOUT, proc=first.proc)
    assert first.stop() == 0
    kept = site.root / "build/preview-site"
    files = {p: p.stat().st_ino for p in kept.rglob("*.html")}
    assert len(files) > 10

    second = serve(site.root)
    _, text = wait_for(f"{second.url}/articles/vote/", lambda s, t: s == 200, timeout=START_TIMEOUT, proc=second.proc)
    assert "The first title" in text
    assert {p: p.stat().st_ino for p in kept.rglob("*.html")} == files  # nothing built again
    assert second.stop() == 0

    vote.write_text(f"---\n{ARTICLE.format(title='A second title')}---\n", "utf-8")
    third = serve(site.root)
    page = f"{third.url}/articles/vote/"
    wait_for(page, lambda s, t: "A second title" in t, timeout=START_TIMEOUT, proc=third.proc)
    now = {p: p.stat().st_ino for p in kept.rglob("*.html")}
    assert now[kept / "articles/vote/index.html"] != files[kept / "articles/vote/index.html"]
    assert now[kept / "404.html"] == files[kept / "404.html"]  # an edit's build: the rest is the same files
    assert third.stop() == 0


@pytest.mark.slow
def test_serve_starts_with_broken_content_and_shows_the_problem(site, serve):
    article = site.article("2024/vote.md", ARTICLE.format(title="Broken") + "topcis: [taiwan]\n")
    server = serve(site.root)
    _, text = wait_for(f"{server.url}/", lambda s, t: "briefings-error" in t, timeout=START_TIMEOUT, proc=server.proc)
    assert "unknown field (did you mean &#x27;topics&#x27;?" in text
    assert "livereload" in text  # so the page reloads itself once fixed
    article.write_text(f"---\n{ARTICLE.format(title='Working now')}---\n", "utf-8")
    wait_for(f"{server.url}/articles/vote/", lambda s, t: s == 200 and "Working now" in t, proc=server.proc)


def test_serve_refuses_a_port_in_use(site):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--port", str(port), "--project", str(site.root))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: port {port} on 127.0.0.1 is already in use (stop the other server, or pass --port {port + 1})\n"
    )


def test_serve_refuses_a_preview_folder_holding_files_of_someone_else(site):
    """build/preview-site/ holding a file briefings did not make: serve stops before any
    build, says how to fix it (not build's --site-dir, which serve has not), and the file stays."""
    kept = site.root / "build" / "preview-site"
    kept.mkdir(parents=True)
    (kept / "notes.txt").write_text("mine", "utf-8")
    result = run_cli("serve", "--port", str(free_port()), "--project", str(site.root))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {kept.resolve()} holds files briefings did not make, and each preview replaces that "
        "folder whole with its site: move those files out of it\n"
    )
    assert sorted(p.name for p in kept.iterdir()) == ["notes.txt"]
    assert not (site.root / "build" / "preview").exists()  # no build was started


def test_an_unexpected_failure_is_shown_and_the_server_is_not_stuck(site, monkeypatch):
    """A bug in a rebuild must not leave MkDocs' server "stuck until build errors are resolved"."""
    from briefings.authoring import serve as serving
    from briefings.project import Project

    site.article("2024/vote.md", ARTICLE.format(title="A title"))
    lines: list[str] = []
    preview = serving.Preview(Project.at(site.root), port=0, log=lines.append)
    try:

        def broken(*args, **kwargs):
            raise RuntimeError("something\nbroke")

        monkeypatch.setattr(serving, "build", broken)
        preview.rebuild()
        assert preview.problem == "briefings failed: RuntimeError: something broke (a bug: please report it)"
        assert lines[-1] == (
            "Error: briefings failed: RuntimeError: something broke (a bug: please report it); "
            "the preview shows the last good build until it is fixed."
        )
        monkeypatch.undo()
        preview.rebuild()
        assert preview.problem is None and lines[-1].startswith("Fixed: rebuilt 1 articles")
    finally:
        preview.close()


@pytest.mark.slow
def test_serve_honours_the_options_build_does(site, serve):
    """serve runs the same pipeline.build as build: extra.briefings.search: material gives
    Material's index in the preview, and no Pagefind bundle (the default's)."""
    site.settings(search="material")
    site.article(
        "2024/vote.md",
        ARTICLE.format(title="Taiwan elects a president"),
        body="Voters in Taiwan chose a new president.\n",
    )
    server = serve(site.root)
    status, index = wait_for(
        f"{server.url}/search/search_index.json", lambda s, t: s == 200, timeout=START_TIMEOUT * 2, proc=server.proc
    )
    assert "Taiwan elects a president" in index
    status, _ = get(f"{server.url}/pagefind/pagefind.js")
    assert status == 404
    _, page = get(f"{server.url}/articles/vote/")
    assert "data-pagefind-body" not in page and 'class="bf-search"' not in page and "md-search__input" in page


def preview_of(site):
    """A Preview of ``site`` (never served), with what it logs and what it warns of."""
    from briefings.authoring.serve import Preview
    from briefings.project import Project

    logged: list[str] = []
    warned: list[str] = []
    return Preview(Project.at(site.root), port=0, log=logged.append, warn=warned.append), logged, warned


DRAFT_BAD_DATE = "title: Work in progress\ndate: 2024-02-30\nsource: Desk\ntopics: [taiwan]\ndraft: true\n"
BAD_DATE = (
    "content/articles/2024/wip.md:3: date: '2024-02-30' is not a real calendar date "
    "(expected YYYY-MM-DD or an ISO 8601 date-time with offset, e.g. 2023-11-15T09:30:00-05:00)"
)
STILL = "the preview shows the last good build until it is fixed."


def test_serve_shows_a_broken_draft_and_prints_each_problem_once(site):
    """The preview shows drafts, so a draft's problem is shown in the overlay (a build
    without --drafts would leave the draft out). Each problem is printed once, to the
    warning stream; a rebuild that fails the same way prints the summary alone."""
    from briefings.authoring.serve import OVERLAY_ID

    site.article("2024/vote.md", ARTICLE.format(title="Published"))
    site.article("2024/wip.md", DRAFT_BAD_DATE)
    preview, logged, warned = preview_of(site)
    try:
        preview.rebuild()
        assert preview.problem == BAD_DATE
        assert warned == [BAD_DATE, f"Error: 1 problem found; {STILL}"]
        assert logged == []
        page = preview.server.page_for_error(404)
        assert page is not None and f'id="{OVERLAY_ID}"'.encode() in page
        assert b"content/articles/2024/wip.md:3: date: &#x27;2024-02-30&#x27; is not a real calendar date" in page

        preview.rebuild()  # another file saved, the same problem
        assert warned[2:] == [f"Error: 1 problem found again (listed above); {STILL}"]
    finally:
        preview.close()


def test_a_build_warning_is_printed_once_while_it_serves(site):
    """The sample has no site_url: the feeds' warning comes with every rebuild, printed once."""
    site.article("2024/vote.md", ARTICLE.format(title="A title"))
    preview, _, warned = preview_of(site)
    try:
        preview.rebuild()
        site.article("2024/vote.md", ARTICLE.format(title="Another title"))
        preview.rebuild()
        feeds = [line for line in warned if line.startswith("Warning: feeds: no site address")]
        assert len(feeds) == 1, warned
    finally:
        preview.close()


def test_an_error_of_several_lines_is_printed_once(site, monkeypatch):
    """Not line by line and then again as the summary."""
    from briefings.authoring import serve as serving
    from briefings.errors import SiteBuildError

    site.article("2024/vote.md", ARTICLE.format(title="A title"))
    preview, _, warned = preview_of(site)
    try:

        def broken(*args, **kwargs):
            raise SiteBuildError("Zensical wrote no index.html: first line\nsecond line")

        monkeypatch.setattr(serving, "build", broken)
        preview.rebuild()
        assert warned == [f"Error: Zensical wrote no index.html: first line second line; {STILL}"]
        assert preview.problem == "Zensical wrote no index.html: first line\nsecond line"  # the overlay: as it came
    finally:
        preview.close()
