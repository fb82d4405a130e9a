"""`briefings import`: a clipped article (web page, saved HTML, plain text) -> a draft article file.

Reading the clipping is ``extract.py``'s; this module turns what it found into
a draft that always passes `briefings check` (cut to the limits, with a note
of each change), and never overwrites a file or imports a URL twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from briefings.authoring import draft as drafts
from briefings.authoring.extract import Extracted, ImportSourceError, extract
from briefings.authoring.suggest import TopicMatch, TopicMatcher
from briefings.content.fields import SHORT_TEXT
from briefings.content.load import Track
from briefings.content.model import Topic
from briefings.content.source import MAX_FILE_BYTES

REMINDER = (
    "The body is the outlet's own text: replace it with your own summary and notes "
    "before publishing (drafts are never published)."
)


@dataclass(frozen=True)
class ImportResult:
    path: Path
    draft: drafts.Draft
    extracted: Extracted
    suggested: dict[str, TopicMatch]  # topic id -> the keywords that suggest it
    not_found: tuple[str, ...]  # optional fields nobody could fill
    notes: tuple[str, ...] = ()  # what was changed to fit the limits of `briefings check`


def import_article(
    root: Path,
    topics: list[Topic],
    source: str,
    *,
    topic_refs: tuple[str, ...] = (),
    date: str | None = None,
    source_name: str | None = None,
    title: str | None = None,
    track: Track | None = None,
    max_file_bytes: int = MAX_FILE_BYTES,
    time_limit: float | None = None,
    allow_private: bool = False,
) -> ImportResult:
    """Extract, fill in, check, refuse duplicates, write. Raises before writing anything.

    Whatever the source holds, the draft written passes `briefings check`: long
    values are shortened, a body that would make the file larger than
    ``max_file_bytes`` is cut, control characters are removed; ``notes`` says so."""
    # Options first: a typo in --topic should not cost a download.
    wanted = drafts.check_topics(topic_refs, topics) if topic_refs else ()
    date = drafts.check_date(date) if date else None
    source_name = drafts.check_text(source_name, "--source") if source_name is not None else None
    title = drafts.check_text(title, "--title") if title is not None else None

    is_web = bool(re.match(r"^https?://", source, re.IGNORECASE))
    if is_web:  # before downloading it again
        _refuse_duplicate(root, drafts.check_url(source, "SOURCE"), track)
    found = extract(source, time_limit=time_limit, allow_private=allow_private)
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
    try:
        day = drafts.check_date(day, "date")  # an extracted date is checked like a typed one
    except drafts.DraftError as exc:
        raise ImportSourceError(f"{source}: the {exc}; pass --date (nothing written)") from None

    notes: list[str] = []
    url = _usable_url(found.url, source if is_web else "", notes)
    if url and not drafts.same_url(url, source):  # the page's canonical address may differ
        _refuse_duplicate(root, url, track)
    draft = make_draft(
        found, title=title, outlet=outlet, day=day, topics=chosen, url=url, max_file_bytes=max_file_bytes, notes=notes
    )
    path = drafts.write(root, draft)
    not_found = tuple(
        name
        for name, value in (
            ("author", found.authors),
            ("section", found.section),
            ("url", url),
            ("photo credit", found.image_credit),
            ("article text", found.body.strip()),
        )
        if not value
    )
    return ImportResult(
        path=path, draft=draft, extracted=found, suggested=suggested, not_found=not_found, notes=tuple(notes)
    )


MAX_AUTHORS = 20  # more is a list of contributors, not a byline


def make_draft(
    found: Extracted,
    *,
    title: str,
    outlet: str,
    day: str,
    topics: tuple[str, ...],
    url: str = "",
    max_file_bytes: int = MAX_FILE_BYTES,
    notes: list[str] | None = None,
) -> drafts.Draft:
    """The draft for what was found, within every limit `briefings check` applies.

    What had to change is appended to ``notes`` (printed by the CLI) and kept as
    comments at the top of the draft's front matter."""
    notes = [] if notes is None else notes
    if found.controls_removed:
        n = found.controls_removed
        notes.append(
            f"removed {n:,} control character{'s' if n != 1 else ''} (such as NUL or vertical tab) "
            f"from the {found.kind}"
        )

    def fit(value: str, what: str) -> str:
        value = " ".join(value.split())  # one-line fields
        short = drafts.shorten(value, SHORT_TEXT)
        if short != value:
            notes.append(
                f"{what} cut at a word boundary to {len(short):,} characters (it had {len(value):,}; "
                f"the limit is {SHORT_TEXT:,})"
            )
        return short

    authors = tuple(a for a in (fit(name, "author") for name in found.authors[:MAX_AUTHORS]) if a)
    if len(found.authors) > MAX_AUTHORS:
        notes.append(f"kept the first {MAX_AUTHORS} of {len(found.authors)} authors")
    draft = drafts.Draft(
        title=fit(title, "title"),
        date=day,
        source=fit(outlet, "source"),
        topics=topics,
        url=url,
        authors=tuple(dict.fromkeys(authors)),
        section=fit(found.section, "section"),
        image_credit=fit(found.image_credit, "photo credit"),
    )
    text = found.body.strip()
    if not text:
        return replace(draft, extra_comments=_comments(notes))
    origin = found.origin if found.kind == "web page" else Path(found.origin).name
    origin = drafts.strip_controls(" ".join(origin.split()))[0].replace("--", "- -")  # stays inside the comment
    header = f"<!-- Imported from {origin}. {REMINDER} -->\n\n"
    whole = replace(draft, body=header + text, extra_comments=_comments(notes))
    size = len(drafts.render(whole).encode("utf-8"))
    if size <= max_file_bytes:
        return whole
    limit = f"{max_file_bytes / 2**20:g} MB"
    notes.append(
        f"article text cut at a paragraph to keep the file within {limit} (extra.briefings.max_file_mb; "
        f"it would have been {size / 2**20:.1f} MB)"
    )
    cut_note = (
        f"\n\n<!-- briefings import: the text was cut here; the rest would have made the file larger than "
        f"{limit} (extra.briefings.max_file_mb) -->"
    )
    empty = replace(draft, body=header + cut_note, extra_comments=_comments(notes))
    room = max_file_bytes - len(drafts.render(empty).encode("utf-8"))
    if room < 0:  # the front matter alone: cannot happen with the fields' limits and a limit of 1 MB or more
        raise ImportSourceError(
            f"{found.origin}: even without its text the draft is larger than {limit} "
            "(raise extra.briefings.max_file_mb)"
        )
    return replace(empty, body=header + drafts.cut_to_bytes(text, room) + cut_note)


def _comments(notes: list[str]) -> tuple[str, ...]:
    return tuple(f"briefings import: {note}" for note in notes)


def _usable_url(found: str, fetched: str, notes: list[str]) -> str:
    """The page's canonical address, else the address it was fetched from; a bad one is left out, with a note."""
    for candidate in (found, fetched):
        if not candidate:
            continue
        try:
            return drafts.check_url(candidate, "url")
        except drafts.DraftError as exc:
            notes.append(f"left out the page's {exc}")
    return ""


def _refuse_duplicate(root: Path, url: str, track: Track | None = None) -> None:
    if other := drafts.article_with_url(root, url, track):
        raise ImportSourceError(f"{url} was already imported: {other} (nothing written)")
