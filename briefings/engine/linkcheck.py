"""Check a built site: every internal link and anchor resolves to a real file and id."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from briefings.errors import SiteBuildError


@dataclass(frozen=True)
class BrokenLink:
    page: str  # site-relative path of the HTML file
    href: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: {self.href}: {self.reason}"


@dataclass(frozen=True)
class SiteCheck:
    site_dir: Path
    base_url: str
    pages: int
    broken: list[BrokenLink]

    def built_for_a_subpath(self) -> bool:
        """Checked at / but broken links such as /repo/x/ whose first folder the site lacks."""
        return self.base_url == "/" and any(
            link.href.startswith("/") and not (self.site_dir / link.href.split("/")[1]).exists() for link in self.broken
        )


class _Scan(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if element_id := values.get("id"):
            self.ids.add(element_id)
        if tag == "a" and (name := values.get("name")):
            self.ids.add(name)
        for key in ("href", "src"):
            if link := values.get(key):
                self.links.append(link)


def scan(html_file: Path) -> _Scan:
    parser = _Scan()
    parser.feed(html_file.read_text("utf-8", errors="replace"))
    return parser


def check_site(site_dir: Path, base_url: str = "/", only: set[str] | None = None) -> list[BrokenLink]:
    """Walk every HTML file; report internal links whose target file or anchor is missing.

    ``base_url`` is where the site is served: a path ("/", "/repo/") or a full
    address ("https://user.github.io/repo/"). Root-absolute links such as
    "/repo/topics/x/" (the 404 page uses them) are checked against its path,
    and with a full address, absolute links to the site itself (canonical
    links) are checked too.
    """
    site_dir = site_dir.resolve()
    base = urlsplit(base_url)
    origin = (base.scheme, base.netloc) if base.netloc else None
    base_path = base.path if base.path.endswith("/") else base.path + "/"
    if only is None:
        pages = {p.relative_to(site_dir).as_posix(): p for p in sorted(site_dir.rglob("*.html"))}
    else:  # check these pages' links, against the whole site
        pages = {rel: site_dir / rel for rel in sorted(only)}
    scans = {rel: scan(path) for rel, path in pages.items()}
    ids = _Ids(site_dir, {rel: parsed.ids for rel, parsed in scans.items()})
    broken: list[BrokenLink] = []
    for rel, parsed in scans.items():
        for href in dict.fromkeys(parsed.links):  # a link given twice on a page is one broken link
            problem = _check(site_dir, rel, href, base_path, origin, ids)
            if problem:
                broken.append(BrokenLink(rel, href, problem))
    return broken


class _Ids:
    """The ids of each page, read on first use (a partial check reads only the pages it needs)."""

    def __init__(self, site_dir: Path, known: dict[str, set[str]]) -> None:
        self.site_dir = site_dir
        self._known = known

    def of(self, rel: str) -> set[str]:
        """The ids in page ``rel`` (none when there is no such page)."""
        if rel not in self._known:
            path = self.site_dir / rel
            self._known[rel] = scan(path).ids if path.is_file() else set()
        return self._known[rel]


def _check(
    site_dir: Path, rel: str, href: str, base_path: str, origin: tuple[str, str] | None, ids: _Ids
) -> str | None:
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        if origin is None or (parts.scheme, parts.netloc) != origin:
            return None  # external (or data:/mailto:): not ours to check
        if not parts.path.startswith(base_path):
            return None  # another site on the same host
    path = unquote(parts.path) or ("/" if parts.netloc else "")
    if not path:
        target = rel
    else:
        if path.startswith("/"):
            if not path.startswith(base_path):
                return f"points outside the site's base path {base_path}"
            joined = path[len(base_path) :]
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
    if parts.fragment and target.endswith(".html") and unquote(parts.fragment) not in ids.of(target):
        return f"no element with id {parts.fragment!r} in {target}"
    return None


def check_pages(
    site: Path, pages: tuple[str, ...], *, base_url: str | None, sources: dict[str, str], strict: bool, target: Path
) -> list[str]:
    """Check every link of these generated pages (Markdown names) in the built
    ``site``, naming the content file behind each. Broken links fail a strict
    build and are warnings otherwise."""
    if not pages:
        return []
    outputs = {page_output(name): name for name in pages}
    broken = check_site(site, base_url or "/", only=set(outputs))
    messages = []
    for link in broken:
        name = outputs.get(link.page, link.page)
        messages.append(f"{sources.get(name, link.page)}: link {link.href!r}: {link.reason}")
    if broken and strict:
        shown = "; ".join(messages[:5]) + (f"; and {len(broken) - 5} more" if len(broken) > 5 else "")
        raise SiteBuildError(
            f"{len(broken)} broken link{'s' if len(broken) != 1 else ''}: {shown} "
            f"(the previous site in {target.name}/ is untouched; fix it, or build with --no-strict)"
        )
    return messages


def page_output(name: str) -> str:
    """Where MkDocs (directory URLs) writes a page: a/b.md -> a/b/index.html, a/index.md -> a/index.html."""
    stem = name[:-3]
    if stem == "index" or stem.endswith("/index"):
        return f"{stem}.html"
    return f"{stem}/index.html"
