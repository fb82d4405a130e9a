"""Reading a clipped article: a web page, a saved HTML file or a plain-text clipping.

Web pages are read with trafilatura, made for news pages: it finds the title,
author, date and site name, and the main text without navigation, ads,
scripts or share widgets. Plain-text clippings are read by ``clipping.py``.
Every read is bounded: a time limit and a size limit, checked before reading.
"""

from __future__ import annotations

import codecs
import contextlib
import html
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from briefings.authoring import draft as drafts
from briefings.authoring.clipping import parse_byline, parse_clipping
from briefings.authoring.fetch import MAX_BYTES, fetch
from briefings.content.fields import CONTROL_RE
from briefings.errors import BriefingsError

HTML_SUFFIXES = (".html", ".htm", ".xhtml")


class ImportSourceError(BriefingsError):
    """The source cannot be read, or not enough could be found in it."""


@dataclass(frozen=True)
class Extracted:
    """What a clipping told us; empty means not found."""

    origin: str  # the path or URL, as given
    kind: str  # "web page", "HTML file" or "text clipping"
    title: str = ""
    authors: tuple[str, ...] = ()
    job_title: str = ""
    date: str = ""  # YYYY-MM-DD
    site_name: str = ""
    url: str = ""
    section: str = ""
    image_credit: str = ""
    body: str = ""  # Markdown
    left_out: tuple[str, ...] = ()  # what was dropped, for the report
    controls_removed: int = 0  # control characters taken out of the source


_HTML_START = re.compile(rb"\s*(<!doctype html|<html)", re.IGNORECASE)


def codecs_name(charset: str) -> str | None:
    """Python's name of a declared charset, or None when Python has no such codec."""
    try:
        return codecs.lookup(charset).name
    except LookupError:
        return None


def extract(source: str, *, time_limit: float | None = None, allow_private: bool = False) -> Extracted:
    """Read ``source``: an http(s) URL, an .html file, or a plain-text clipping."""
    if re.match(r"^https?://", source, re.IGNORECASE):
        page = fetch(source, time_limit=time_limit, allow_private=allow_private)
        # text/plain is also what a page served with no Content-Type is taken for: HTML is
        # known by its start, as a local file's is.
        if page.content_type == "text/plain" and not _HTML_START.match(page.data[:512]):
            return from_text(_decode(page.data, source, page.charset), source, kind="web page", url=page.url)
        return from_html(page.data, source, kind="web page", url=page.url)
    path = Path(source)
    if not path.is_file():
        what = (
            "is a folder"
            if path.is_dir()
            else "is not a file (a pipe, a device...)"
            if path.exists()
            else "no such file"
        )
        raise ImportSourceError(f"{source}: {what} (expected an .html file, an http(s):// URL or a text clipping)")
    try:
        if (size := path.stat().st_size) > MAX_BYTES:  # refused from its size: nothing read
            raise _too_big(source, size)
        with path.open("rb") as f:
            data = f.read(MAX_BYTES + 1)  # it may have grown since
    except OSError as exc:
        raise ImportSourceError(f"{source}: cannot read the file ({exc.strerror})") from None
    if len(data) > MAX_BYTES:
        raise _too_big(source, len(data))
    if path.suffix.lower() in HTML_SUFFIXES or _HTML_START.match(data[:512]):
        return from_html(data, source, kind="HTML file")
    return from_text(_decode(data, source), source, kind="text clipping")


def _size(size: int) -> str:
    """In MB, or in bytes where MB would round to the limit ("10.0 MB (expected at most 10 MB)")."""
    return f"{size / 2**20:.1f} MB" if round(size / 2**20, 1) > MAX_BYTES / 2**20 else f"{size:,} bytes"


def _too_big(source: str, size: int) -> ImportSourceError:
    return ImportSourceError(
        f"{source}: the file is {_size(size)} (expected at most {MAX_BYTES // 2**20} MB: "
        "one article saved as HTML or text)"
    )


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """trafilatura and its helpers log their own warnings; the library never prints."""
    loggers = [logging.getLogger(n) for n in ("trafilatura", "htmldate", "courlan", "justext")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


def from_html(data: bytes, origin: str, *, kind: str, url: str = "") -> Extracted:
    import trafilatura
    from trafilatura.metadata import extract_metadata

    page, removed = _clean_html(data)
    with _quiet():
        try:
            tree = trafilatura.load_html(page)
            if tree is None:
                raise ImportSourceError(f"{origin}: cannot read it as HTML (expected a news page saved as .html)")
            meta = extract_metadata(trafilatura.load_html(page), default_url=url or None)
            text = (
                trafilatura.extract(
                    tree,
                    url=url or None,
                    output_format="markdown",
                    include_formatting=True,
                    include_links=False,
                    include_images=False,
                    include_comments=False,
                    include_tables=True,
                    favor_precision=True,
                )
                or ""
            )
        except ValueError as exc:  # lxml refusing a string it was handed: never seen once controls are removed
            raise ImportSourceError(f"{origin}: cannot read it as HTML ({' '.join(str(exc).split())})") from None
    title = " ".join((meta.title or "").split()) if meta else ""
    if not title and len(text.split()) < 20:  # a menu or a login form, not an article
        raise ImportSourceError(
            f"{origin}: no article found in it (expected a news article page, not an index, "
            "a login page or an empty file)"
        )
    authors: tuple[str, ...] = ()
    job = ""
    if meta and meta.author:
        for name in (n.strip() for n in meta.author.split(";")):
            byline = parse_byline(name)
            if byline:
                authors += byline.names
                job = job or byline.job_title
            elif name:
                authors += (name,)
    return Extracted(
        origin=origin,
        kind=kind,
        title=title,
        authors=authors,
        job_title=job,
        date=(meta.date or "")[:10] if meta else "",
        site_name=" ".join((meta.sitename or "").split()) if meta else "",
        url=(meta.url if meta and meta.url and re.match(r"^https?://", meta.url) else url),
        section=(meta.categories[0] if meta and meta.categories else ""),
        body=_drop_title_heading(text, title),
        controls_removed=removed,
    )


# A numeric character reference: &#11; or &#x0B;
_CHAR_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")
_NOT_XML = ("\ufffe", "\uffff")  # not characters at all; lxml refuses them in text


def _clean_html(data: bytes) -> tuple[str, int]:
    """The page as text without control characters, written or as references
    (&#11;): lxml refuses them in the tree, and the validator in any field."""
    from trafilatura.utils import decode_file

    page = decode_file(data, MAX_BYTES)  # trafilatura's own decoding (BOM, meta charset, gzip up to the limit)
    removed = 0

    def reference(m: re.Match[str]) -> str:
        nonlocal removed
        code = int(m.group(1), 16) if m.group(1) else int(m.group(2))
        char = chr(code) if code <= 0x10FFFF else ""
        if char and not CONTROL_RE.match(char) and char not in _NOT_XML:
            return m.group()
        if 0x80 <= code <= 0x9F and not CONTROL_RE.search(mapped := html.unescape(m.group())):
            return mapped  # HTML reads these as Windows-1252: &#150; is an en dash
        removed += 1
        return ""

    page = _CHAR_REF.sub(reference, page)
    page, controls = drafts.strip_controls(page)
    for char in _NOT_XML:
        removed += page.count(char)
        page = page.replace(char, "")
    return page, removed + controls


def from_text(text: str, origin: str, *, kind: str, url: str = "") -> Extracted:
    text, removed = drafts.strip_controls(text)
    clip = parse_clipping(text)
    if not clip.title:
        raise ImportSourceError(f"{origin}: the file is empty (expected a clipped article: headline, byline, text)")
    left_out = []
    if clip.captions_dropped:
        left_out.append(f"{clip.captions_dropped} photo caption{'s' if clip.captions_dropped != 1 else ''}")
    if clip.chrome_dropped:
        left_out.append(f"{clip.chrome_dropped} line{'s' if clip.chrome_dropped != 1 else ''} of page chrome")
    return Extracted(
        origin=origin,
        kind=kind,
        title=clip.title,
        section=clip.section,
        authors=clip.byline.names if clip.byline else (),
        job_title=clip.byline.job_title if clip.byline else "",
        date=clip.date.isoformat() if clip.date else "",
        url=url,
        image_credit=clip.image_credit,
        body=clip.body,
        left_out=tuple(left_out),
        controls_removed=removed,
    )


def _decode(data: bytes, origin: str, charset: str | None = None) -> str:
    """A clipping's text: UTF-8, or the charset a server declared for it."""
    if charset and codecs_name(charset) not in ("utf-8", None):
        try:
            return data.decode(codecs_name(charset) or "utf-8")
        except UnicodeDecodeError:
            pass  # declared wrongly: read as UTF-8, or refused
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportSourceError(
            f"{origin}: not UTF-8 text (expected a plain-text clipping saved as UTF-8, or an .html file)"
        ) from None


def _drop_title_heading(markdown: str, title: str) -> str:
    """trafilatura keeps the page's <h1>; the article page already shows the title."""
    lines = markdown.strip().split("\n")
    if lines and re.match(r"^#{1,6}\s", lines[0]) and _same(lines[0].lstrip("#").strip(), title):
        lines = lines[1:]
    return "\n".join(lines).strip()


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()
