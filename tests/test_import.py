"""`briefings import`: HTML files, web pages (from a loopback server), plain-text clippings."""

from __future__ import annotations

import http.server
import os
import re
import socket
import threading
import time
from pathlib import Path
from typing import ClassVar

import pytest
from conftest import REPO, tree_hash

from briefings.authoring import draft as drafts
from briefings.authoring import fetch

FIXTURES = Path(__file__).parent / "fixtures" / "import"
CAFE = "The pilots met at the Caf\u00e9 du Port."
CP1252_CLIPPING = ((FIXTURES / "clipping.txt").read_text("utf-8") + f"\n{CAFE}\n").encode("cp1252")
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
    name = "2024-03-08-harbour-pilots-end-week-long-strike-after-taipei-port-agrees.md"
    path = desk.root / "content/articles/2024" / name
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
    for left_out in (
        "Photo by",
        "Stock Images",
        "Font Size",
        "Correspondent",
        "RELATED",
        "Container ships wait at anchor",
        "\nShare",
        "Tomas Varga",
        "\nWorld",
    ):
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
    assert result.output == (
        f"Error: {FIXTURES / 'clipping.txt'}: date not found: pass --date; "
        "source (the outlet) not found: pass --source (nothing written)\n"
    )
    assert tree_hash(desk.root) == before


def test_clipping_with_a_date_line_and_a_plain_byline(desk, tmp_path):
    clip = tmp_path / "clip.txt"
    clip.write_text(
        "Harbour reopens in Keelung\nBy Ana Lopez and Jo Park\nPublished March 9, 2024 10:02 AM\n"
        "Share\n\nThe harbour reopened on Saturday morning after a week of delays.\n",
        "utf-8",
    )
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


@pytest.mark.skipif(
    SEED is None,
    reason="only beside the seed clipping, ../shared/seed, which is another outlet's "
    "article and so is kept out of the repository",
)
def test_the_seed_clipping(desk):
    """The clipping our format is modelled on (read from ../shared/seed, never copied into the repo)."""
    result = desk.run(
        "import", str(SEED / "biden-xi-apec-2023.txt"), "--date", "2023-11-15", "--source", "Daily Caller"
    )
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
    for left_out in (
        "Photo by",
        "Getty Images",
        "Font Size",
        "White House Correspondent",
        "RELATED",
        "Woodside, California",
    ):
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
    for junk in (
        "Subscribe",
        "ADVERTISEMENT",
        "Share on",
        "loadAds",
        "trackingPixel",
        "Most read",
        "All rights",
        "# Pilots end harbour strike",
    ):
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
    assert again.output == (
        "Error: https://ledger.example/business/pilots-end-harbour-strike was already imported: "
        "content/articles/2024/"
        "2024-03-08-pilots-end-harbour-strike-as-port-agrees-to-review-night.md "
        "(nothing written)\n"
    )
    assert tree_hash(desk.root) == before


def test_importing_onto_an_existing_file_is_refused(desk, tmp_path):
    clip = tmp_path / "c.txt"
    clip.write_text("Keelung harbour\n\nThe harbour is open again after a long week.\n", "utf-8")
    assert desk.run("import", str(clip), "--date", "2024-01-01", "--source", "Desk").exit_code == 0
    before = tree_hash(desk.root)
    again = desk.run("import", str(clip), "--date", "2024-01-01", "--source", "Desk")
    assert again.exit_code == 1 and "already exists (nothing written" in again.output
    assert tree_hash(desk.root) == before


@pytest.mark.parametrize(
    "name, content, message",
    [
        (
            "missing.html",
            None,
            "missing.html: no such file (expected an .html file, an http(s):// URL or a text clipping)",
        ),
        ("empty.html", b"", "empty.html: cannot read it as HTML (expected a news page saved as .html)"),
        ("binary.html", bytes(range(256)) * 4, "binary.html: cannot read it as HTML"),
        (
            "nav-only.html",
            b"<html><body><nav><a href='/'>Home</a></nav></body></html>",
            "nav-only.html: no article found in it",
        ),
        ("latin1.txt", "Caf\u00e9 news\n\nText.\n".encode("latin-1"), "latin1.txt: not UTF-8 text"),
        ("blank.txt", b"\n\n  \n", "blank.txt: the file is empty"),
    ],
)
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
    assert result.exit_code == 2  # a usage error
    assert result.output.startswith("Error: --topic: unknown topic 'taiwn' (did you mean 'taiwan'?")


# --- web pages from a loopback server --------------------------------------------
# Loopback is refused by default (see "bounded" below), so these pass --allow-private.

MB = 2**20


class Pages(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []  # paths asked for, to show what was never fetched

    def do_GET(self):
        Pages.requests.append(self.path)
        port = self.server.server_address[1]
        routes = {
            "/news/pilots": (200, "text/html; charset=utf-8", (FIXTURES / "article.html").read_bytes()),
            "/news/plain": (200, "text/plain; charset=utf-8", (FIXTURES / "clipping.txt").read_bytes()),
            "/photo.png": (200, "image/png", b"\x89PNG\r\n"),
            "/broken": (500, "text/html", b"<h1>oops</h1>"),
            "/news/cp1252": (  # declared: read as what it says, not refused as "not UTF-8"
                200,
                "text/plain; charset=windows-1252",
                CP1252_CLIPPING,
            ),
        }
        redirects = {
            "/hop": f"http://127.0.0.1:{port}/news/pilots",
            "/to-private": "http://10.255.255.1:9/admin",
            "/to-ftp": "ftp://files.example.org/story.html",
            "/to-file": "file:///etc/passwd",
            "/to-data": "data:text/html,<h1>Harbour</h1>",
            "/loop": f"http://127.0.0.1:{port}/loop",
        }
        try:
            if self.path in redirects:
                self.send_response(302)
                self.send_header("Location", redirects[self.path])
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif self.path == "/news/untyped":  # an HTML page served with no Content-Type at all
                data = (FIXTURES / "article.html").read_bytes()
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            elif self.path.startswith("/trickle"):
                self.trickle(headers_too=self.path == "/trickle-headers")
            elif self.path == "/huge-length":  # says 11 MB, then sends a little and stalls
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(11 * MB))
                self.end_headers()
                self.wfile.write(b"<html>")
                time.sleep(1)
            elif self.path == "/endless":  # no Content-Length, more than the limit
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                for _ in range(12 * 16):
                    self.wfile.write(b"<p>harbour</p>" * (64 * 1024 // 14))
            else:
                if self.path == "/slow":
                    time.sleep(1.0)
                status, ctype, data = routes.get(self.path, (404, "text/html", b"<h1>not here</h1>"))
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (/slow, /trickle, limits)
            pass

    def trickle(self, headers_too: bool) -> None:
        """One byte every 0.2 s, of the status line and headers too if asked, for at most 20 s."""
        head = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\n\r\n"
        if not headers_too:
            self.wfile.write(head)
            head = b""
        for byte in (head + b"<p>harbour news</p>" * 60)[:100]:
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            time.sleep(0.2)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    Pages.requests = []
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
    result = desk.run("import", f"{server}/news/pilots", "--allow-private")
    assert result.exit_code == 0, result.output
    path = next((desk.root / "content/articles/2024").glob("*.md"))
    meta = front(path)
    assert meta["title"] == "Pilots end harbour strike as port agrees to review night shifts"
    assert meta["source"] == "The Coastal Ledger"
    assert "(from the web page)" in result.output
    assert f"<!-- Imported from {server}/news/pilots." in body(path)
    # The page's canonical address is what is stored, and it is refused next time.
    again = desk.run("import", f"{server}/news/pilots", "--allow-private")
    assert again.exit_code == 1 and "was already imported" in again.output


def test_import_a_plain_text_url_reads_it_as_a_clipping(desk, server):
    result = desk.run(
        "import", f"{server}/news/plain", "--date", "2024-03-08", "--source", "Coastline Weekly", "--allow-private"
    )
    assert result.exit_code == 0, result.output
    path = next((desk.root / "content/articles/2024").glob("*.md"))
    assert front(path)["url"] == f"{server}/news/plain"
    assert front(path)["author"] == "Tomas Varga"


def test_a_page_without_a_content_type_is_read_as_html_and_a_declared_charset_as_declared(desk, server):
    untyped = desk.run("import", f"{server}/news/untyped", "--allow-private")
    assert untyped.exit_code == 0, untyped.output
    path = next((desk.root / "content/articles/2024").glob("*.md"))
    assert front(path)["title"] == "Pilots end harbour strike as port agrees to review night shifts"
    path.unlink()
    cp1252 = desk.run(
        "import", f"{server}/news/cp1252", "--date", "2024-03-08", "--source", "Coastline Weekly", "--allow-private"
    )
    assert cp1252.exit_code == 0, cp1252.output
    assert CAFE in body(next((desk.root / "content/articles/2024").glob("*.md")))


def test_import_the_same_url_twice_without_a_canonical_link(desk, server):
    assert (
        desk.run("import", f"{server}/news/plain", "--date", "2024-03-08", "--source", "X", "--allow-private").exit_code
        == 0
    )
    again = desk.run("import", f"{server}/news/plain/", "--date", "2024-03-09", "--source", "X", "--allow-private")
    assert again.exit_code == 1
    assert f"{server}/news/plain/ was already imported: content/articles/2024/2024-03-08-" in again.output


@pytest.mark.parametrize(
    "route, message",
    [
        ("/missing", "HTTP 404 Not Found (the page was not found or is not public; check the address"),
        ("/broken", "HTTP 500 Internal Server Error (the server failed;"),
        ("/photo.png", "is image/png, not a web page"),
        ("/loop", "HTTP 302 (more than 5 redirects, or a redirect without an address; check the address"),
    ],
)
def test_http_errors_are_one_line_errors(desk, server, route, message):
    before = tree_hash(desk.root)
    result = desk.run("import", f"{server}{route}", "--topic", "taiwan", "--allow-private")
    assert result.exit_code == 1
    assert result.output == f"Error: {server}{route}: {message}" + result.output.split(message, 1)[1]
    assert len(result.output.splitlines()) == 1
    assert tree_hash(desk.root) == before


def test_a_slow_server_times_out(desk, server):
    result = desk.run("import", f"{server}/slow", "--topic", "taiwan", "--allow-private", "--timeout", "0.3")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {server}/slow: no complete answer within 0.3 s (the server is too slow, or you "
        "are offline; --timeout gives it longer, or save the page as HTML and import the file)\n"
    )


def test_offline_is_a_one_line_error(desk):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = desk.run("import", f"http://127.0.0.1:{port}/story", "--topic", "taiwan", "--allow-private")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: http://127.0.0.1:{port}/story: the connection was refused (is the address right? are you offline?)\n"
    )


# --- bounded: time, size, schemes and addresses -------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("route", ["/trickle", "/trickle-headers"])
def test_a_server_that_trickles_is_stopped_at_the_time_limit(desk, server, route):
    """The limit covers the whole fetch: a byte every 0.2 s never trips a per-read timeout."""
    started = time.monotonic()
    result = desk.run("import", f"{server}{route}", "--topic", "taiwan", "--allow-private", "--timeout", "1.5")
    took = time.monotonic() - started
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {server}{route}: no complete answer within 1.5 s (the server is too slow")
    assert len(result.output.splitlines()) == 1
    assert 1.4 < took < 4, took


def test_a_page_whose_content_length_is_over_the_limit_is_refused_before_reading(desk, server):
    started = time.monotonic()
    result = desk.run("import", f"{server}/huge-length", "--topic", "taiwan", "--allow-private")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {server}/huge-length: the page is 11 MB (expected at most 10 MB for one "
        "article; save the article as HTML or text and import the file)\n"
    )
    assert time.monotonic() - started < 0.9  # the server stalls after its first bytes: nothing was waited for


def test_a_page_without_content_length_is_read_up_to_the_limit_only(desk, server):
    result = desk.run("import", f"{server}/endless", "--topic", "taiwan", "--allow-private")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {server}/endless: the page is larger than 10 MB (expected one article; save "
        "the article as HTML or text and import the file)\n"
    )


@pytest.mark.parametrize("suffix", [".html", ".txt"])
def test_a_file_over_the_size_limit_is_refused_from_its_size(desk, tmp_path, suffix):
    big = tmp_path / f"saved{suffix}"
    with big.open("wb") as f:  # sparse: 50 MB that takes no room
        f.truncate(50 * MB)
    before = tree_hash(desk.root)
    result = desk.run("import", str(big), "--topic", "taiwan", "--date", "2024-01-01", "--source", "Desk")
    assert result.exit_code == 1
    # 50.0 MB is its size on disk: only the first 10 MB and a byte would ever be read
    assert result.output == (
        f"Error: {big}: the file is 50.0 MB (expected at most 10 MB: one article saved as HTML or text)\n"
    )
    assert tree_hash(desk.root) == before


def test_a_file_a_byte_over_the_limit_and_a_pipe_are_said_as_they_are(desk, tmp_path):
    over = tmp_path / "over.txt"
    with over.open("wb") as f:
        f.truncate(10 * MB + 1)
    fifo = tmp_path / "pipe.html"
    os.mkfifo(fifo)
    for source, said in (
        (over, "the file is 10,485,761 bytes (expected at most 10 MB"),  # not "10.0 MB (… at most 10 MB"
        (fifo, "is not a file (a pipe, a device...)"),
    ):
        result = desk.run("import", str(source), "--topic", "taiwan", "--date", "2024-01-01", "--source", "Desk")
        assert result.exit_code == 1 and result.output.startswith(f"Error: {source}: {said}"), result.output


@pytest.mark.parametrize(
    "route, target",
    [
        ("/to-ftp", "ftp://files.example.org/story.html"),
        ("/to-file", "file:///etc/passwd"),
        ("/to-data", "data:text/html,<h1>Harbour</h1>"),
    ],
)
def test_a_redirect_to_anything_but_http_is_refused(desk, server, route, target):
    result = desk.run("import", f"{server}{route}", "--topic", "taiwan", "--allow-private")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {server}{route}: redirected to {target}, which is not an http:// or https:// address (refused)\n"
    )


def test_a_redirect_within_the_allowed_network_is_followed(desk, server):
    result = desk.run("import", f"{server}/hop", "--allow-private")
    assert result.exit_code == 0, result.output
    assert Pages.requests == ["/hop", "/news/pilots"]


def test_loopback_is_refused_without_allow_private(desk, server):
    before = tree_hash(desk.root)
    result = desk.run("import", f"{server}/news/pilots", "--topic", "taiwan")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {server}/news/pilots: 127.0.0.1 is a loopback address (refused so that a pasted "
        "link cannot reach your own network; pass --allow-private to import from it)\n"
    )
    assert Pages.requests == []  # refused before connecting
    assert tree_hash(desk.root) == before


def test_a_host_name_is_checked_by_the_addresses_it_resolves_to(desk, server):
    port = server.rsplit(":", 1)[1]
    result = desk.run("import", f"http://localhost:{port}/news/pilots", "--topic", "taiwan")
    assert result.exit_code == 1
    assert re.match(
        rf"Error: http://localhost:{port}/news/pilots: localhost is (127\.0\.0\.1|::1), a loopback "
        r"address \(refused",
        result.output,
    ), result.output
    result = desk.run("import", f"http://[::ffff:127.0.0.1]:{port}/news/pilots", "--topic", "taiwan")
    assert result.exit_code == 1
    assert "::ffff:127.0.0.1 is a loopback address (refused" in result.output
    assert Pages.requests == []


def test_a_redirect_to_a_private_address_is_refused_before_connecting(desk, server, monkeypatch):
    """The first hop stands in for a public server: every redirect target is checked again."""
    checked = fetch.blocked_kind
    monkeypatch.setattr(fetch, "blocked_kind", lambda ip: "" if ip == "127.0.0.1" else checked(ip))
    result = desk.run("import", f"{server}/to-private", "--topic", "taiwan", "--timeout", "5")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {server}/to-private: redirected to http://10.255.255.1:9/admin, 10.255.255.1 is "
        "a private network address (refused so that a pasted link cannot reach your own network; "
        "pass --allow-private to import from it)\n"
    )


def test_the_connection_goes_to_the_address_that_was_checked(desk, server, monkeypatch):
    """DNS rebinding: a second lookup of the same name answering a private address is never made."""
    checked, resolve = fetch.blocked_kind, socket.getaddrinfo
    monkeypatch.setattr(fetch, "blocked_kind", lambda ip: "" if ip == "127.0.0.1" else checked(ip))
    answers = iter(["127.0.0.1", "10.255.255.1", "10.255.255.1"])  # public (standing in) first, then private

    def rebinding(host, *args, **kwargs):
        return resolve(next(answers) if host == "news.example" else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    port = server.rsplit(":", 1)[1]
    result = desk.run("import", f"http://news.example:{port}/news/pilots", "--timeout", "3")
    assert result.exit_code == 0, result.output
    assert Pages.requests == ["/news/pilots"]
    assert next(answers) == "10.255.255.1"  # looked up once


@pytest.mark.parametrize(
    "ip",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "100.64.0.1",
        "::1",
        "::",
        "fe80::1%eth0",
        "fc00::1",
        "ff02::1",
        "::ffff:10.0.0.1",
        "::ffff:169.254.169.254",
    ],
)
def test_addresses_that_are_not_public_are_blocked(ip):
    assert fetch.blocked_kind(ip)


@pytest.mark.parametrize("ip", ["93.184.215.14", "1.1.1.1", "2606:4700:4700::1111", "::ffff:93.184.215.14"])
def test_public_addresses_are_not_blocked(ip):
    assert fetch.blocked_kind(ip) == ""


# --- hostile sources: whatever they hold, the draft passes `briefings check` -------------


def hostile_html(title: str, text: str) -> bytes:
    return (
        f"<html><head><title>{title}</title><meta property='og:site_name' content='Harbour&#0; Ledger'>"
        f"</head><body><article><h1>{title}</h1>{text}</article></body></html>"
    ).encode()


PARAGRAPH = (
    "<p>Harbour pilots in Keelung returned to work on Friday after the port authority agreed to review "
    "the night shifts that had kept ships waiting at anchor for a week.</p>"
)


@pytest.mark.parametrize(
    "name, data, notes",
    [
        (
            "long-title.html",
            hostile_html("Harbour " * 187 + "pilots", PARAGRAPH * 3),
            [
                "title cut at a word boundary to 992 characters (it had 1,502; the limit is 1,000)",
                "removed 1 control character (such as NUL or vertical tab) from the HTML file",
            ],
        ),  # the &#0; in og:site_name
        (
            "vt-title.html",
            hostile_html("Harbour&#11; pilots &#x0B;return\x0b to work", PARAGRAPH.replace("on", "o&#0;n")),
            ["removed 8 control characters (such as NUL or vertical tab) from the HTML file"],
        ),
        (
            "c1.html",
            hostile_html("Harbour pilots &#150; &#129;return", PARAGRAPH + "<p>\x85\x9f\ufffe&#xfffe;</p>"),
            ["removed 7 control characters (such as NUL or vertical tab) from the HTML file"],
        ),
        (
            "nul.txt",
            b"Harbour\x00 pilots return\nBy Ana\x00 Lopez\n\n" + b"The harbour\x00 reopened on Friday.\x07\n" * 3,
            ["removed 8 control characters (such as NUL or vertical tab) from the text clipping"],
        ),
        (
            "big.txt",
            b"Harbour pilots return\n\n" + b"The harbour reopened on Friday after a week of delays.\n\n" * 115_000,
            [
                (
                    "article text cut at a paragraph to keep the file within 5 MB "
                    "(extra.briefings.max_file_mb; it would have been 6.1 MB)"
                )
            ],
        ),
        (
            "long-title.txt",
            ("Harbour " * 187 + "pilots\n\nThe harbour reopened on Friday.\n").encode(),
            ["title cut at a word boundary to 992 characters (it had 1,502; the limit is 1,000)"],
        ),
    ],
)
def test_hostile_sources_make_drafts_that_pass_check(desk, tmp_path, name, data, notes):
    source = tmp_path / name
    source.write_bytes(data)
    result = desk.run("import", str(source), "--topic", "taiwan", "--date", "2024-01-05", "--source", "Ledger")
    assert result.exit_code == 0, result.output
    for note in notes:
        assert f"  note: {note}" in result.output
    path = next((desk.root / "content/articles/2024").glob("*.md"))
    text = path.read_text("utf-8")
    for note in notes:  # also kept in the draft, as comments
        assert f"\n# briefings import: {note}" in text
    assert not drafts.CONTROL_RE.search(text)
    assert path.stat().st_size <= 5 * MB
    assert len(front(path)["title"]) <= 1000
    check = desk.run("check")
    assert check.exit_code == 0, check.output


def test_a_title_cut_to_the_limit_ends_at_a_word(desk, tmp_path):
    source = tmp_path / "t.html"
    source.write_bytes(hostile_html("Harbour " * 187 + "pilots", PARAGRAPH * 3))
    assert desk.run("import", str(source), "--topic", "taiwan", "--date", "2024-01-05").exit_code == 0
    title = front(next((desk.root / "content/articles/2024").glob("*.md")))["title"]
    assert title == "Harbour " * 123 + "Harbour…"


def test_c1_references_read_as_windows_1252_and_others_are_removed(desk, tmp_path):
    source = tmp_path / "c1.html"
    source.write_bytes(hostile_html("Harbour pilots &#150; &#129;return", PARAGRAPH))
    assert desk.run("import", str(source), "--topic", "taiwan", "--date", "2024-01-05").exit_code == 0
    meta = front(next((desk.root / "content/articles/2024").glob("*.md")))
    assert meta["title"] == "Harbour pilots – return"
    assert meta["source"] == "Harbour Ledger"


def test_a_title_that_is_only_control_characters_asks_for_title(desk, tmp_path):
    source = tmp_path / "clip.txt"
    source.write_bytes(b"\x00\x01\x02\n\nThe harbour reopened on Friday.\n")
    result = desk.run("import", str(source), "--topic", "taiwan", "--date", "2024-01-05", "--source", "Ledger")
    assert result.exit_code == 0  # the first line left is the headline
    source.write_bytes(hostile_html("&#1;&#2;", "<p>x</p>"))
    result = desk.run("import", str(source), "--topic", "taiwan", "--date", "2024-01-06", "--source", "Ledger")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {source}: no article found in it (expected a news article page, not an index, "
        "a login page or an empty file)\n"
    )
    source.write_bytes(hostile_html("&#1;&#2;", PARAGRAPH * 2))
    result = desk.run("import", str(source), "--topic", "taiwan", "--date", "2024-01-06", "--source", "Ledger")
    assert result.exit_code == 1
    assert result.output == f"Error: {source}: title not found: pass --title (nothing written)\n"


def test_the_size_limit_follows_max_file_mb(desk, tmp_path):
    desk.settings(max_file_mb=1)
    source = tmp_path / "big.txt"
    paragraph = b"The harbour reopened on Friday after a week of delays.\n\n"
    source.write_bytes(b"Harbour pilots return\n\n" + paragraph * 30_000)
    result = desk.run("import", str(source), "--topic", "taiwan", "--date", "2024-01-05", "--source", "Ledger")
    assert result.exit_code == 0, result.output
    assert "keep the file within 1 MB" in result.output
    path = next((desk.root / "content/articles/2024").glob("*.md"))
    assert 0.9 * MB < path.stat().st_size <= MB
    assert path.read_text("utf-8").endswith("(extra.briefings.max_file_mb) -->\n")
    assert desk.run("check").exit_code == 0
