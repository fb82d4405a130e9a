"""`briefings import`: a clipped article (web page, saved HTML, plain text) -> a draft article file.

Web pages are read with trafilatura, made for news pages: it finds the title,
author, date and site name, and the main text without navigation, ads,
scripts or share widgets. Plain-text clippings are read by ``clipping.py``.
"""

from __future__ import annotations

import contextlib
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from briefings import draft as drafts
from briefings.clipping import parse_byline, parse_clipping
from briefings.errors import BriefingsError
from briefings.fetch import fetch
from briefings.model import Topic
from briefings.suggest import TopicMatcher

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
REMINDER = ("The body is the outlet's own text: replace it with your own summary and notes "
            "before publishing (drafts are never published).")


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


@dataclass(frozen=True)
class ImportResult:
    path: Path
    draft: drafts.Draft
    extracted: Extracted
    suggested: dict[str, tuple[str, ...]]  # topic id -> keywords found
    not_found: tuple[str, ...]  # optional fields nobody could fill


def extract(source: str) -> Extracted:
    """Read ``source``: an http(s) URL, an .html file, or a plain-text clipping."""
    if re.match(r"^https?://", source, re.IGNORECASE):
        page = fetch(source)
        if page.content_type == "text/plain":
            return from_text(_decode(page.data, source), source, kind="web page", url=page.url)
        return from_html(page.data, source, kind="web page", url=page.url)
    path = Path(source)
    if not path.is_file():
        what = "is a folder" if path.is_dir() else "no such file"
        raise ImportSourceError(f"{source}: {what} (expected an .html file, an http(s):// URL or a text clipping)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportSourceError(f"{source}: cannot read the file ({exc.strerror})") from None
    if path.suffix.lower() in HTML_SUFFIXES or re.match(rb"\s*(<!doctype html|<html)", data[:512], re.IGNORECASE):
        return from_html(data, source, kind="HTML file")
    return from_text(_decode(data, source), source, kind="text clipping")


@contextlib.contextmanager
def _quiet():
    """trafilatura and its helpers log their own warnings; the library never prints."""
    loggers = [logging.getLogger(n) for n in ("trafilatura", "htmldate", "courlan", "justext")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels):
            lg.setLevel(level)


def from_html(data: bytes, origin: str, *, kind: str, url: str = "") -> Extracted:
    import trafilatura
    from trafilatura.metadata import extract_metadata

    with _quiet():
        tree = trafilatura.load_html(data)
        if tree is None:
            raise ImportSourceError(f"{origin}: cannot read it as HTML (expected a news page saved as .html)")
        meta = extract_metadata(trafilatura.load_html(data), default_url=url or None)
        text = trafilatura.extract(
            tree, url=url or None, output_format="markdown", include_formatting=True, include_links=False,
            include_images=False, include_comments=False, include_tables=True, favor_precision=True,
        ) or ""
    title = " ".join((meta.title or "").split()) if meta else ""
    if not title and len(text.split()) < 20:  # a menu or a login form, not an article
        raise ImportSourceError(f"{origin}: no article found in it (expected a news article page, not an index, "
                                "a login page or an empty file)")
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
        origin=origin, kind=kind, title=title, authors=authors, job_title=job,
        date=(meta.date or "")[:10] if meta else "",
        site_name=" ".join((meta.sitename or "").split()) if meta else "",
        url=(meta.url if meta and meta.url and re.match(r"^https?://", meta.url) else url),
        section=(meta.categories[0] if meta and meta.categories else ""),
        body=_drop_title_heading(text, title),
    )


def from_text(text: str, origin: str, *, kind: str, url: str = "") -> Extracted:
    clip = parse_clipping(text)
    if not clip.title:
        raise ImportSourceError(f"{origin}: the file is empty (expected a clipped article: headline, byline, text)")
    left_out = []
    if clip.captions_dropped:
        left_out.append(f"{clip.captions_dropped} photo caption{'s' if clip.captions_dropped != 1 else ''}")
    if clip.chrome_dropped:
        left_out.append(f"{clip.chrome_dropped} line{'s' if clip.chrome_dropped != 1 else ''} of page chrome")
    return Extracted(
        origin=origin, kind=kind, title=clip.title, section=clip.section,
        authors=clip.byline.names if clip.byline else (), job_title=clip.byline.job_title if clip.byline else "",
        date=clip.date.isoformat() if clip.date else "", url=url, image_credit=clip.image_credit,
        body=clip.body, left_out=tuple(left_out),
    )


def import_article(root: Path, topics: list[Topic], source: str, *, topic_refs: tuple[str, ...] = (),
                   date: str | None = None, source_name: str | None = None, title: str | None = None,
                   track=None) -> ImportResult:
    """Extract, fill in, check, refuse duplicates, write. Raises before writing anything."""
    # Options first: a typo in --topic should not cost a download.
    wanted = drafts.check_topics(topic_refs, topics) if topic_refs else ()
    date = drafts.check_date(date) if date else None
    source_name = drafts.check_text(source_name, "--source") if source_name is not None else None
    title = drafts.check_text(title, "--title") if title is not None else None

    if re.match(r"^https?://", source, re.IGNORECASE):  # before downloading it again
        _refuse_duplicate(root, drafts.check_url(source, "SOURCE"), track)
    found = extract(source)
    title = title or found.title
    outlet = source_name or found.site_name
    day = date or found.date
    suggested = TopicMatcher(topics).match(title, found.body)
    chosen = wanted or tuple(suggested)

    missing = []
    if not title:
        missing.append("title not found: pass --title")
    if not day:
        missing.append("date not found: pass --date")
    if not outlet:
        missing.append("source (the outlet) not found: pass --source")
    if not chosen:
        missing.append(f"no topic's keywords match it: pass --topic ID (one of: {', '.join(t.id for t in topics)})")
    if missing:
        raise ImportSourceError(f"{source}: {'; '.join(missing)} (nothing written)")
    day = drafts.check_date(day, "date")  # an extracted date is checked like a typed one

    url = drafts.check_url(found.url, "url") if found.url else ""
    if url and not drafts.same_url(url, source):  # the page's canonical address may differ
        _refuse_duplicate(root, url, track)

    body = found.body.strip()
    if body:
        origin = found.origin if found.kind == "web page" else Path(found.origin).name
        body = f"<!-- Imported from {origin}. {REMINDER} -->\n\n{body}"
    draft = drafts.Draft(
        title=title, date=day, source=outlet, topics=chosen, url=url, authors=found.authors,
        section=found.section, image_credit=found.image_credit, body=body,
    )
    path = drafts.write(root, draft)
    not_found = tuple(name for name, value in (
        ("author", found.authors), ("section", found.section), ("url", url), ("photo credit", found.image_credit),
        ("article text", body),
    ) if not value)
    return ImportResult(path=path, draft=draft, extracted=found, suggested=suggested, not_found=not_found)


def _refuse_duplicate(root: Path, url: str, track=None) -> None:
    if (other := drafts.article_with_url(root, url, track)):
        raise ImportSourceError(f"{url} was already imported: {other} (nothing written)")


def _drop_title_heading(markdown: str, title: str) -> str:
    """trafilatura keeps the page's <h1>; the article page already shows the title."""
    lines = markdown.strip().split("\n")
    if lines and re.match(r"^#{1,6}\s", lines[0]) and _same(lines[0].lstrip("#").strip(), title):
        lines = lines[1:]
    return "\n".join(lines).strip()


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _decode(data: bytes, origin: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportSourceError(f"{origin}: not UTF-8 text (expected a plain-text clipping saved as UTF-8, "
                                "or an .html file)") from None
