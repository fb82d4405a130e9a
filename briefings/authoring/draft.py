"""Write a new draft article file: complete front matter, never over an existing file.

Used by `briefings new` (a blank draft) and `briefings import` (a draft filled
from a clipping). Every value is checked with the loader's own field parsers
before anything is written, so the new file always passes `briefings check`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import yaml
from slugify import slugify

from briefings.content.fields import (
    ARTICLE_FIELDS,
    CONTROL_RE,
    SHORT_TEXT,
    FieldError,
    http_url,
    known_topic,
    required_text,
    when,
)
from briefings.content.files import article_files
from briefings.content.load import Track
from briefings.content.model import Topic
from briefings.content.source import read_source
from briefings.errors import BriefingsError

SLUG_MAX = 60

# Commented hints for every optional field, in the order ARTICLE_FIELDS lists them.
HINTS: dict[str, str] = {
    "author": "# author: Jane Doe              # one name, or a list: [Jane Doe, John Roe]",
    "url": "# url: https://example.com/news/story  # link to the original (http:// or https://)",
    "section": "# section: Politics              # the outlet's section",
    "summary": "# summary: >-                    # one paragraph, in your own words\n"
    "#   What happened, in two or three sentences.",
    "key_points": "# key_points:\n#   - The first thing to remember.\n#   - The second.",
    "why_it_matters": "# why_it_matters: >-\n#   Why a reader of this briefing should care.",
    "quotes": "# quotes:\n#   - text: The words, exactly as said.\n#     speaker: Who said them",
    "people": "# people: [Jane Doe, John Roe]   # people the article is about",
    "image": "# image:                         # the article's photo\n"
    "#   caption: What the photo shows.\n#   credit: Photographer / Agency",
    "updated": "# updated: 2024-01-31            # same formats as date",
    "corrections": "# corrections:                   # changes after publication, shown to readers\n"
    "#   - date: {date}               # the day it was made\n#     text: What was corrected, in one sentence.",
    "slug": "# slug: my-article               # the URL name (/articles/<slug>/); default: from the file name",
    "story": "# story: an-event-id              # the event it covers: an id in content/stories.yml",
}
_DRAFT_LINE = "draft: true                     # delete this line (or set false) to publish"
_BODY_HINT = "# Below the closing line: your notes on the article (Markdown), in your own words."
_missing = [k for k, f in ARTICLE_FIELDS.items() if not f.required and k not in HINTS and k != "draft"]
assert not _missing, f"draft.HINTS lacks a hint for {_missing}"  # a new field must get a hint


class DraftError(BriefingsError):
    """The new article cannot be written (bad option, target exists, duplicate URL)."""


@dataclass(frozen=True)
class Draft:
    """What we know about a new article; empty values become commented hints."""

    title: str
    date: str  # as the curator wrote it, already checked with fields.when
    source: str
    topics: tuple[str, ...]
    url: str = ""
    authors: tuple[str, ...] = ()
    section: str = ""
    image_credit: str = ""
    body: str = ""
    extra_comments: tuple[str, ...] = field(default=())  # notes put at the top of the front matter

    @property
    def day(self) -> dt.date:
        return when(self.date).date()


def check_date(raw: str | None, option: str = "--date") -> str:
    """A date as typed (default: today), checked with the loader's parser."""
    if raw is None:
        return dt.date.today().isoformat()
    try:
        when(raw)
    except FieldError as exc:
        raise DraftError(f"{option}: {exc.message}") from None
    return raw.strip()


def check_topics(
    refs: Iterable[str], topics: tuple[Topic, ...] | list[Topic], option: str = "--topic"
) -> tuple[str, ...]:
    known = [t.id for t in topics]
    ids: list[str] = []
    for ref in refs:
        try:
            topic_id = known_topic(ref, known)
        except FieldError as exc:
            raise DraftError(f"{option}: {exc.message}") from None
        if topic_id not in ids:
            ids.append(topic_id)
    return tuple(ids)


def check_url(raw: str | None, option: str = "--url") -> str:
    if not raw:
        return ""
    _refuse_controls(raw, option)
    try:
        return http_url(raw)
    except FieldError as exc:
        raise DraftError(f"{option}: {exc.message}") from None


def check_text(raw: str | None, option: str, limit: int = SHORT_TEXT) -> str:
    """A typed one-line value (a title, an outlet), checked as the validator will."""
    _refuse_controls(raw or "", option)
    try:
        return required_text(raw or "", limit)
    except FieldError as exc:
        raise DraftError(f"{option}: {exc.message}") from None


def _refuse_controls(raw: str, option: str) -> None:
    if found := CONTROL_RE.search(raw):
        raise DraftError(f"{option}: contains the control character U+{ord(found.group()):04X} (expected plain text)")


def strip_controls(text: str) -> tuple[str, int]:
    """``text`` without control characters, and how many there were. Line breaks
    become \\n; other whitespace controls (vertical tab, form feed) a space."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return CONTROL_RE.subn(lambda m: " " if m.group().isspace() else "", text)


def shorten(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters: cut at a word boundary, ending with "…"."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if (space := max(head.rfind(" "), head.rfind("\n"))) >= limit // 2:
        head = head[:space]
    return head.rstrip() + "…"


def cut_to_bytes(text: str, budget: int) -> str:
    """The start of ``text`` in at most ``budget`` bytes of UTF-8, cut after a
    paragraph (or else a line, or a word) when one ends in the second half."""
    head = text.encode("utf-8")[: max(budget, 0)].decode("utf-8", "ignore")
    if len(head) == len(text):
        return text
    for boundary in ("\n\n", "\n", " "):
        if (at := head.rfind(boundary)) >= len(head) // 2:
            return head[:at].rstrip()
    return head


def file_slug(title: str) -> str:
    """The title as a file-name slug, cut at a word boundary."""
    slug = slugify(title)
    if len(slug) > SLUG_MAX:
        slug = slug[: SLUG_MAX + 1].rsplit("-", 1)[0]
    return slug


def target_path(root: Path, draft: Draft) -> Path:
    """content/articles/<year>/<date>-<slug>.md"""
    slug = file_slug(draft.title)
    if not slug:
        raise DraftError(f"cannot make a file name from the title {draft.title!r} (expected letters or digits in it)")
    day = draft.day
    return root / "content" / "articles" / f"{day.year:04d}" / f"{day.isoformat()}-{slug}.md"


def same_url(a: str, b: str) -> bool:
    return _url_key(a) == _url_key(b)


def _url_key(url: str) -> str:
    """http/https, host case, a trailing slash and the #fragment do not make another article."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # a malformed address (another file's, not checked yet): only itself
        return url.strip()
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("", parts.netloc.lower().removeprefix("www."), path, parts.query, ""))


def article_with_url(root: Path, url: str, track: Track | None = None) -> str | None:
    """The content file (relative path) whose url: is ``url``, if any. Tolerates broken files."""
    if not url:
        return None
    files = article_files(root)
    for path in track(files) if track else files:
        source = read_source(path, path.relative_to(root).as_posix())
        data = source.data if isinstance(source.data, dict) else {}
        other = data.get("url")
        if isinstance(other, str) and same_url(other, url):
            return source.path
    return None


def render(draft: Draft) -> str:
    """The file's text: set fields as YAML, every other optional field as a commented hint."""
    lines = ["---"]
    lines += [f"# {c}" for c in draft.extra_comments]
    lines += [
        f"title: {_scalar(draft.title)}",
        f"date: {draft.date}",
        f"source: {_scalar(draft.source)}",
        f"topics: {_scalar(list(draft.topics))}",
        _DRAFT_LINE,
    ]
    known = {
        "author": (
            f"author: {_scalar(draft.authors[0])}"
            if len(draft.authors) == 1
            else f"author: {_scalar(list(draft.authors))}"
            if draft.authors
            else ""
        ),
        "url": f"url: {_scalar(draft.url)}" if draft.url else "",
        "section": f"section: {_scalar(draft.section)}" if draft.section else "",
        "image": f"image:\n  credit: {_scalar(draft.image_credit)}" if draft.image_credit else "",
    }
    for key, spec in ARTICLE_FIELDS.items():
        if spec.required or key == "draft":
            continue
        lines.append(known.get(key) or HINTS[key].replace("{date}", str(draft.date)))
    lines += [_BODY_HINT, "---"]
    body = draft.body.strip()
    return "\n".join(lines) + "\n" + (body + "\n" if body else "")


def write(root: Path, draft: Draft) -> Path:
    """Create the file; refuse if it exists. Returns its path."""
    path = target_path(root, draft)
    text = render(draft)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as f:  # "x": never overwrite
            f.write(text)
    except FileExistsError:
        raise DraftError(
            f"{path.relative_to(root).as_posix()} already exists (nothing written: edit that file, "
            "or choose another title or --date)"
        ) from None
    return path


def _scalar(value: object) -> str:
    """One YAML value on one line, quoted only when YAML needs it."""
    dumped = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=1_000_000)
    return re.sub(r"\n(\.\.\.\n)?$", "", dumped)
