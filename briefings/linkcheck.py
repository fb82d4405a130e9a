"""Check a built site: every internal link and anchor resolves to a real file and id."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


@dataclass(frozen=True)
class BrokenLink:
    page: str  # site-relative path of the HTML file
    href: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: {self.href}: {self.reason}"


class _Scan(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        for key in ("href", "src"):
            if attrs.get(key) and not (tag == "link" and attrs.get("rel") in ("canonical", "alternate") and key == "href"
                                       and urlsplit(attrs[key]).scheme):
                self.links.append(attrs[key])


def scan(html_file: Path) -> _Scan:
    parser = _Scan()
    parser.feed(html_file.read_text("utf-8", errors="replace"))
    return parser


def check_site(site_dir: Path, base_path: str = "/") -> list[BrokenLink]:
    """Walk every HTML file; report internal links whose target file or anchor is missing.

    ``base_path`` is the URL path the site is served under ("/" or "/repo/"), so
    root-absolute links such as "/repo/topics/x/" can be checked too.
    """
    site_dir = site_dir.resolve()
    pages = {p.relative_to(site_dir).as_posix(): p for p in sorted(site_dir.rglob("*.html"))}
    ids: dict[str, set[str]] = {}
    broken: list[BrokenLink] = []
    scans = {rel: scan(path) for rel, path in pages.items()}
    for rel, parsed in scans.items():
        ids[rel] = parsed.ids
    for rel, parsed in scans.items():
        for href in parsed.links:
            problem = _check(site_dir, rel, href, base_path, ids)
            if problem:
                broken.append(BrokenLink(rel, href, problem))
    return broken


def _check(site_dir: Path, rel: str, href: str, base_path: str, ids: dict[str, set[str]]) -> str | None:
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None  # external (or data:/mailto:): not ours to check
    path = unquote(parts.path)
    if not path:
        target = rel
    else:
        if path.startswith("/"):
            if not path.startswith(base_path):
                return f"points outside the site's base path {base_path}"
            joined = path[len(base_path):]
        else:
            joined = posixpath.join(posixpath.dirname(rel), path)
        joined = posixpath.normpath(joined) if joined else "."
        if joined == ".." or joined.startswith("../"):
            return "points above the site's root"
        file = site_dir / joined
        if file.is_dir() or path.endswith("/"):
            target = posixpath.normpath(posixpath.join(joined, "index.html"))
            file = site_dir / target
        else:
            target = joined
        if not file.is_file():
            return "no such file in the site"
    if parts.fragment and target.endswith(".html"):
        if unquote(parts.fragment) not in ids.get(target, set()):
            return f"no element with id {parts.fragment!r} in {target}"
    return None
