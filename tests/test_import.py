"""`briefings import`: HTML files, web pages (from a loopback server), plain-text clippings."""

from __future__ import annotations

import http.server
import socket
import threading
import time
from pathlib import Path

import pytest

from briefings import fetch
from conftest import REPO, tree_hash

FIXTURES = Path(__file__).parent / "fixtures" / "import"
SEED = next((p for p in (REPO.parent / "shared" / "seed", Path("/work/shared/seed")) if p.is_dir()), None)

KEYWORD_TOPICS = """\
- id: us-china
  title: US–China relations
  keywords: [Biden, Xi Jinping, Beijing]
- id: taiwan
  title: Taiwan
  keywords: [Taiwan, Taipei, Keelung]
- id: fentanyl
  title: Fentanyl
  keywords: [fentanyl, precursor]
- id: shipping
  title: Shipping
  keywords: [container ships, harbour, port authority]
"""


@pytest.fixture
def desk(site):
    site.write("content/topics.yml", KEYWORD_TOPICS)
    return site


def front(path: Path) -> dict:
    import frontmatter

    return dict(frontmatter.load(path).metadata)


def body(path: Path) -> str:
    return path.read_text("utf-8").split("\n---\n", 1)[1]


# --- plain-text clippings -------------------------------------------------------

def test_clipping_gives_headline_section_author_and_credit_without_captions_or_chrome(desk):
    result = desk.run("import", str(FIXTURES / "clipping.txt"), "--date", "2024-03-08", "--source", "Coastline Weekly")
    assert result.exit_code == 0, result.output
    path = desk.root / "content/articles/2024/2024-03-08-harbour-pilots-end-week-long-strike-after-taipei-port-agrees.md"
    assert result.output.splitlines()[0].endswith(path.relative_to(desk.root).as_posix())
    meta = front(path)
    assert meta["title"] == "Harbour Pilots End Week-Long Strike After Taipei Port Agrees To Review Night Shifts"
    assert meta["section"] == "World"
    assert meta["author"] == "Tomas Varga"
    assert meta["image"] == {"credit": "Lena Marsh / Coastline Press"}
    assert meta["source"] == "Coastline Weekly"
    assert meta["draft"] is True
    assert meta["topics"] == ["taiwan", "shipping"]

    text = body(path)
    assert text.count("\n\n") >= 5
    assert "Harbour pilots in Keelung returned to work on Friday" in text
    assert "Shipping companies said the backlog should clear" in text
    for left_out in ("Photo by", "Stock Images", "Font Size", "Correspondent", "RELATED", "Container ships wait at anchor",
                     "\nShare", "Tomas Varga", "\nWorld"):
        assert left_out not in text, left_out

    out = result.output
    assert "author:  Tomas Varga (job title left out: Senior Maritime Correspondent)" in out
    assert "suggested topic taiwan: mentions Taipei, Keelung" in out
    assert "suggested topic shipping: mentions container ships, harbour, port authority" in out
    assert "url not found" in out
    assert "left out of the body: 2 photo captions, 2 lines of page chrome" in out
    assert "replace it with your own summary" in out
    assert desk.run("check").exit_code == 0


def test_clipping_without_a_date_or_outlet_says_which_options_to_pass(desk):
    before = tree_hash(desk.root)
    result = desk.run("import", str(FIXTURES / "clipping.txt"))
    assert result.exit_code == 1
    assert result.output == (f"Error: {FIXTURES / 'clipping.txt'}: date not found: pass --date; "
                             "source (the outlet) not found: pass --source (nothing written)\n")
    assert tree_hash(desk.root) == before


def test_clipping_with_a_date_line_and_a_plain_byline(desk, tmp_path):
    clip = tmp_path / "clip.txt"
    clip.write_text("Harbour reopens in Keelung\nBy Ana Lopez and Jo Park\nPublished March 9, 2024 10:02 AM\n"
                    "Share\n\nThe harbour reopened on Saturday morning after a week of delays.\n", "utf-8")
    result = desk.run("import", str(clip), "--source", "Desk")
    assert result.exit_code == 0, result.output
    path = desk.root / "content/articles/2024/2024-03-09-harbour-reopens-in-keelung.md"
    meta = front(path)
    assert meta["author"] == ["Ana Lopez", "Jo Park"] and str(meta["date"]) == "2024-03-09"
    assert "section" not in meta
    assert body(path).endswith("The harbour reopened on Saturday morning after a week of delays.\n")


def test_clipping_text_that_looks_like_markdown_stays_text(desk, tmp_path):
    clip = tmp_path / "clip.txt"
    clip.write_text("Taipei notes\n\n# not a heading, and <b>not bold</b>, *not emphasis* nor [a link](x).\n", "utf-8")
    assert desk.run("import", str(clip), "--source", "Desk", "--date", "2024-01-01").exit_code == 0
    desk_build = desk.run("build", "--drafts")
    assert desk_build.exit_code == 0, desk_build.output
    html = (desk.root / "site/articles/2024-01-01-taipei-notes/index.html").read_text("utf-8")
    assert "# not a heading, and &lt;b&gt;not bold&lt;/b&gt;, *not emphasis* nor [a link](x)." in html
    assert "Draft" in html


@pytest.mark.skipif(SEED is None, reason="no shared/seed folder beside the repository")
def test_the_seed_clipping(desk):
    """The clipping our format is modelled on (read from ../shared/seed, never copied into the repo)."""
    result = desk.run("import", str(SEED / "biden-xi-apec-2023.txt"), "--date", "2023-11-15", "--source", "Daily Caller")
    assert result.exit_code == 0, result.output
    path = next((desk.root / "content/articles/2023").glob("2023-11-15-biden-xi-reach-agreement*.md"))
    meta = front(path)
    assert meta["title"].startswith("Biden, Xi Reach Agreement On Illicit Fentanyl")
    assert meta["section"] == "Politics"
    assert meta["author"] == "Reagan Reese"
    assert meta["image"] == {"credit": "Brendan Smialowski / AFP"}
    assert set(meta["topics"]) == {"us-china", "taiwan", "fentanyl"}
    text = body(path)
    assert text.split("-->\n\n", 1)[1].startswith("President Joe Biden announced Wednesday")
    for left_out in ("Photo by", "Getty Images", "Font Size", "White House Correspondent", "RELATED", "Woodside, California"):
        assert left_out not in text, left_out
    assert desk.run("check").exit_code == 0


# --- HTML files -------------------------------------------------------------------

def test_html_file_gives_metadata_and_the_main_text_as_markdown(desk):
    result = desk.run("import", str(FIXTURES / "article.html"))
    assert result.exit_code == 0, result.output
    path = desk.root / "content/articles/2024/2024-03-08-pilots-end-harbour-strike-as-port-agrees-to-review-night.md"
    meta = front(path)
    assert meta["title"] == "Pilots end harbour strike as port agrees to review night shifts"
    assert meta["author"] == "Mara Olsen"
    assert str(meta["date"]) == "2024-03-08"
    assert meta["source"] == "The Coastal Ledger"
    assert meta["section"] == "Business"
    assert meta["url"] == "https://ledger.example/business/pilots-end-harbour-strike"
    assert meta["topics"] == ["taiwan", "shipping"]
    text = body(path)
    assert "Harbour pilots in Keelung went back to work" in text
    assert "*fatigue rules*" in text and "## What happens next" in text
    for junk in ("Subscribe", "ADVERTISEMENT", "Share on", "loadAds", "trackingPixel", "Most read", "All rights",
                 "# Pilots end harbour strike"):
        assert junk not in text, junk
    assert "photo credit not found" in result.output
    assert desk.run("check").exit_code == 0


def test_topic_option_overrides_the_suggestions_but_they_are_still_listed(desk):
    result = desk.run("import", str(FIXTURES / "article.html"), "--topic", "fentanyl", "--source", "Ledger")
    assert result.exit_code == 0, result.output
    path = next((desk.root / "content/articles/2024").glob("*.md"))
    assert front(path)["topics"] == ["fentanyl"] and front(path)["source"] == "Ledger"
    assert "suggested topic taiwan: mentions Taipei, Keelung" in result.output


def test_importing_the_same_url_twice_is_refused(desk):
    assert desk.run("import", str(FIXTURES / "article.html")).exit_code == 0
    before = tree_hash(desk.root)
    again = desk.run("import", str(FIXTURES / "article.html"), "--title", "Another title")
    assert again.exit_code == 1
    assert again.output == ("Error: https://ledger.example/business/pilots-end-harbour-strike was already imported: "
                            "content/articles/2024/2024-03-08-pilots-end-harbour-strike-as-port-agrees-to-review-night.md "
                            "(nothing written)\n")
    assert tree_hash(desk.root) == before


def test_importing_onto_an_existing_file_is_refused(desk, tmp_path):
    clip = tmp_path / "c.txt"
    clip.write_text("Keelung harbour\n\nThe harbour is open again after a long week.\n", "utf-8")
    assert desk.run("import", str(clip), "--date", "2024-01-01", "--source", "Desk").exit_code == 0
    before = tree_hash(desk.root)
    again = desk.run("import", str(clip), "--date", "2024-01-01", "--source", "Desk")
    assert again.exit_code == 1 and "already exists (nothing written" in again.output
    assert tree_hash(desk.root) == before


@pytest.mark.parametrize("name, content, message", [
    ("missing.html", None, "missing.html: no such file (expected an .html file, an http(s):// URL or a text clipping)"),
    ("empty.html", b"", "empty.html: cannot read it as HTML (expected a news page saved as .html)"),
    ("binary.html", bytes(range(256)) * 4, "binary.html: cannot read it as HTML"),
    ("nav-only.html", b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "nav-only.html: no article found in it"),
    ("latin1.txt", "Caf\u00e9 news\n\nText.\n".encode("latin-1"), "latin1.txt: not UTF-8 text"),
    ("blank.txt", b"\n\n  \n", "blank.txt: the file is empty"),
])
def test_unreadable_sources_are_one_line_errors(desk, tmp_path, name, content, message):
    source = tmp_path / name
    if content is not None:
        source.write_bytes(content)
    before = tree_hash(desk.root)
    result = desk.run("import", str(source), "--topic", "taiwan", "--date", "2024-01-01", "--source", "Desk")
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and message in result.output, result.output
    assert len(result.output.splitlines()) == 1
    assert tree_hash(desk.root) == before


def test_an_unknown_topic_is_refused_before_reading_anything(desk):
    result = desk.run("import", "https://203.0.113.1/never-fetched", "--topic", "taiwn")
    assert result.exit_code == 1
    assert result.output.startswith("Error: --topic: unknown topic 'taiwn' (did you mean 'taiwan'?")


# --- web pages from a loopback server --------------------------------------------

class Pages(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        routes = {
            "/news/pilots": (200, "text/html; charset=utf-8", (FIXTURES / "article.html").read_bytes()),
            "/news/plain": (200, "text/plain; charset=utf-8", (FIXTURES / "clipping.txt").read_bytes()),
            "/photo.png": (200, "image/png", b"\x89PNG\r\n"),
            "/broken": (500, "text/html", b"<h1>oops</h1>"),
        }
        if self.path == "/slow":
            time.sleep(1.0)
        status, ctype, data = routes.get(self.path, (404, "text/html", b"<h1>not here</h1>"))
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up waiting (/slow)
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    httpd.daemon_threads = False  # server_close() waits for every request, so none outlives its test
    httpd.block_on_close = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def test_import_a_url(desk, server):
    result = desk.run("import", f"{server}/news/pilots")
    assert result.exit_code == 0, result.output
    path = next((desk.root / "content/articles/2024").glob("*.md"))
    meta = front(path)
    assert meta["title"] == "Pilots end harbour strike as port agrees to review night shifts"
    assert meta["source"] == "The Coastal Ledger"
    assert "(from the web page)" in result.output
    assert f"<!-- Imported from {server}/news/pilots." in body(path)
    # The page's canonical address is what is stored, and it is refused next time.
    again = desk.run("import", f"{server}/news/pilots")
    assert again.exit_code == 1 and "was already imported" in again.output


def test_import_a_plain_text_url_reads_it_as_a_clipping(desk, server):
    result = desk.run("import", f"{server}/news/plain", "--date", "2024-03-08", "--source", "Coastline Weekly")
    assert result.exit_code == 0, result.output
    path = next((desk.root / "content/articles/2024").glob("*.md"))
    assert front(path)["url"] == f"{server}/news/plain"
    assert front(path)["author"] == "Tomas Varga"


def test_import_the_same_url_twice_without_a_canonical_link(desk, server):
    assert desk.run("import", f"{server}/news/plain", "--date", "2024-03-08", "--source", "X").exit_code == 0
    again = desk.run("import", f"{server}/news/plain/", "--date", "2024-03-09", "--source", "X")
    assert again.exit_code == 1
    assert f"{server}/news/plain/ was already imported: content/articles/2024/2024-03-08-" in again.output


@pytest.mark.parametrize("route, message", [
    ("/missing", "HTTP 404 Not Found (the page was not found or is not public; check the address"),
    ("/broken", "HTTP 500 Internal Server Error (the server failed;"),
    ("/photo.png", "is image/png, not a web page"),
])
def test_http_errors_are_one_line_errors(desk, server, route, message):
    before = tree_hash(desk.root)
    result = desk.run("import", f"{server}{route}", "--topic", "taiwan")
    assert result.exit_code == 1
    assert result.output == f"Error: {server}{route}: {message}" + result.output.split(message, 1)[1]
    assert len(result.output.splitlines()) == 1
    assert tree_hash(desk.root) == before


def test_a_slow_server_times_out(desk, server, monkeypatch):
    monkeypatch.setattr(fetch, "TIMEOUT", 0.3)
    result = desk.run("import", f"{server}/slow", "--topic", "taiwan")
    assert result.exit_code == 1
    assert result.output == f"Error: {server}/slow: no answer within 0.3 s (are you offline? or save the page as HTML and import the file)\n"


def test_offline_is_a_one_line_error(desk):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = desk.run("import", f"http://127.0.0.1:{port}/story", "--topic", "taiwan")
    assert result.exit_code == 1
    assert result.output == (f"Error: http://127.0.0.1:{port}/story: the connection was refused "
                             "(is the address right? are you offline?)\n")
