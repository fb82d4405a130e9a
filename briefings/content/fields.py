"""Front matter fields: one small parser per key, as a table.

Each parser takes the raw YAML value and returns the clean value or raises
``FieldError`` saying what is wrong and what was expected.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

from slugify import slugify

from briefings.content.model import SIDES, Correction, Image, Quote, Side

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Names Windows refuses as file names, whatever the extension.
WINDOWS_NAMES = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
)
# Pages and folders the site itself builds or may build: an article, topic or person with one of
# these slugs would overwrite a listing (articles/index.md, topics/index.md, people/index.md).
SITE_NAMES = frozenset(
    "index topics timeline sources people tags articles search assets feeds pagefind stories outlets digests "
    "corrections 404 sitemap edition".split()
)
RESERVED_SLUGS = WINDOWS_NAMES | SITE_NAMES
# Slugs and topic ids become file names such as "feeds/.person-<slug>.json.tmp": 100 bytes leaves
# room for every prefix and suffix under the 255-byte limit of common file systems (NAME_MAX).
MAX_SLUG_BYTES = 100
SHORT_TEXT = 1_000  # characters: titles, names, outlets
LONG_TEXT = 20_000  # characters: summaries, key points, quotes
EARLIEST_YEAR, LATEST_YEAR = 1800, 2200
DATE_HELP = "expected YYYY-MM-DD or an ISO 8601 date-time with offset, e.g. 2023-11-15T09:30:00-05:00"
# What no text field may hold: C0 controls but tab and newline, DEL, C1 controls, and the
# characters XML 1.0 forbids (lone surrogates, U+FFFE, U+FFFF), which the Atom writer refuses.
CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
QUOTE_HINT = "put it in quotes if you mean the words"


def control_message(char: str) -> str:
    what = "a control character" if char.isascii() or ord(char) <= 0x9F else "an invalid character"
    return f"contains {what} U+{ord(char):04X} (expected plain text: remove it)"


class FieldError(Exception):
    def __init__(self, message: str, at: tuple[str | int, ...] = ()):
        self.message = message
        self.at = at  # where inside the field, e.g. (1, "speaker") for quotes[1].speaker
        super().__init__(message)


class FieldErrors(Exception):
    """Several problems in one field, e.g. two bad items in a list."""

    def __init__(self, errors: list[FieldError]):
        self.errors = errors
        super().__init__("; ".join(e.message for e in errors))


T = TypeVar("T")


def _each(value: list[object], parse_item: Callable[[int, object], T]) -> list[T]:
    """Parse every item of a list, collecting the problems of all bad items."""
    results: list[T] = []
    errors: list[FieldError] = []
    for i, item in enumerate(value):
        try:
            results.append(parse_item(i, item))
        except FieldError as exc:
            errors.append(exc)
    if errors:
        raise FieldErrors(errors)
    return results


def type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "a mapping",
    }.get(type(value), type(value).__name__)


def text(value: Any, limit: int = LONG_TEXT) -> str:
    """Text as written. YAML gives numbers and dates as text (reader.py), so anything else is a
    list, a mapping, nothing, or a bare true/false the curator may have meant as words."""
    if not isinstance(value, str):
        hint = f"; {QUOTE_HINT}" if isinstance(value, bool) else ""
        raise FieldError(f"expected text (got {type_name(value)}{hint})")
    result = value.strip()
    if len(result) > limit:
        raise FieldError(f"is {len(result):,} characters long (expected at most {limit:,})")
    bad = CONTROL_RE.search(result)
    if bad:
        raise FieldError(control_message(bad.group()))
    if limit <= SHORT_TEXT and "\n" in result:  # titles and names are one line: they go into links and nav
        raise FieldError("contains a line break (expected one line of text)")
    return result


def short_text(value: Any) -> str:
    return text(value, SHORT_TEXT)


def required_text(value: Any, limit: int = LONG_TEXT) -> str:
    result = text(value, limit)
    if not result:
        raise FieldError("is empty (expected some text)")
    return result


def required_short_text(value: Any) -> str:
    return required_text(value, SHORT_TEXT)


def text_list(value: Any, what: str = "text", limit: int = LONG_TEXT) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise FieldError(f"expected a list of {what}, one '- item' per line (got {type_name(value)})")

    def item(i: int, raw: Any) -> str:
        try:
            return required_text(raw, limit)
        except FieldError as exc:
            raise FieldError(f"item {i + 1} {exc.message}", (i,)) from None

    return tuple(_each(value, item))


def authors(value: Any) -> tuple[str, ...]:
    if isinstance(value, list):
        return text_list(value, "names", SHORT_TEXT)
    return (required_short_text(value),)


def names(value: Any) -> tuple[str, ...]:
    return text_list(value, "names", SHORT_TEXT)


def topic_refs(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        raise FieldError(f"expected a list of topic ids, e.g. [{value.strip() or 'taiwan'}] (got text)")
    refs = text_list(value, "topic ids", SHORT_TEXT)
    if not refs:
        raise FieldError("is empty (expected at least one topic id from content/topics.yml)")
    return refs


def when(value: Any) -> dt.datetime:
    """A date or a date-time with offset, as an aware datetime (bare dates: midnight UTC)."""
    if not isinstance(value, str):
        raise FieldError(f"expected a date: YYYY-MM-DD or an ISO 8601 date-time with offset (got {type_name(value)})")
    raw = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        try:
            day = dt.date.fromisoformat(raw)
        except ValueError:
            raise FieldError(f"{raw!r} is not a real calendar date ({DATE_HELP})") from None
        return _in_range(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC), raw)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})", raw):
        raise FieldError(f"{raw!r} is not a date ({DATE_HELP})")
    try:
        moment = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise FieldError(f"{raw!r} is not a real date and time ({DATE_HELP})") from None
    return _in_range(moment, raw)


def _in_range(moment: dt.datetime, raw: str) -> dt.datetime:
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise FieldError(
            f"{raw!r} is outside the years {EARLIEST_YEAR}–{LATEST_YEAR} (expected a real publication date)"
        )
    return moment


def http_url(value: Any) -> str:
    url = text(value, 2_000)
    try:
        parts = urlsplit(url)
        _ = parts.hostname, parts.port  # each raises on a malformed host or port
    except ValueError as exc:  # "https://[::1", "https://example.org:http/"...
        raise FieldError(f"{url!r} is not a web address ({exc}; expected an http:// or https:// URL)") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise FieldError(f"{url!r} is not a web address (expected an http:// or https:// URL)")
    if any(ch.isspace() for ch in url):
        raise FieldError(f"{url!r} contains spaces (expected a URL with spaces encoded as %20)")
    return url


# YAML 1.1's other booleans are text now (reader.py): say what to write instead.
_OLD_BOOLEANS = {"yes": "true", "on": "true", "y": "true", "no": "false", "off": "false", "n": "false"}


def flag(value: Any) -> bool:
    if isinstance(value, str) and value.strip().lower() in _OLD_BOOLEANS:
        word = value.strip()
        raise FieldError(f"expected true or false (got {word!r}: write {_OLD_BOOLEANS[word.lower()]})")
    if not isinstance(value, bool):
        raise FieldError(f"expected true or false (got {type_name(value)})")
    return value


def slug(value: Any, what: str = "slug", example: str = "biden-xi-meet-in-woodside") -> str:
    result = text(value, SHORT_TEXT)
    if not SLUG_RE.match(result):
        raise FieldError(
            f"{result!r} is not a valid {what} (expected lowercase letters, digits and single hyphens, e.g. {example})"
        )
    return check_slug(result, what)


def check_slug(result: str, what: str = "slug") -> str:
    """A slug becomes a file name: refuse the names Windows or the site itself reserve, and
    any that would not fit in a file name with the prefixes and suffixes the build adds."""
    size = len(result.encode("utf-8"))
    if size > MAX_SLUG_BYTES:
        raise FieldError(f"is {size:,} bytes long (expected at most {MAX_SLUG_BYTES} bytes)")
    if result in WINDOWS_NAMES:
        raise FieldError(f"{result!r} is a reserved file name on Windows (expected another {what})")
    if result in SITE_NAMES:
        raise FieldError(f"{result!r} is the name of a page or folder the site builds (expected another {what})")
    return result


def _within(at: tuple[str | int, ...], parse: Callable[[Any], T], raw: Any) -> T:
    """Parse one part of a list item; an error names where: (1, "speaker") for quotes[1].speaker."""
    try:
        return parse(raw)
    except FieldError as exc:
        raise FieldError(exc.message, (*at, *exc.at)) from None


QUOTE_KEYS = ("text", "speaker", "speakers", "card")
SPEAKER_HINT = "add speaker: Name, or speakers: [Name, Name] for a joint statement"


def quotes(value: Any) -> tuple[Quote, ...]:
    """Each quote: text:, and speaker: (who said it, as the article attributes it) or speakers:
    (a list, for a joint statement); card: true shows a short quote as a card all the same.
    Errors point into the list (``at``): the loader names the field ``quotes[1].speaker``."""
    if not isinstance(value, list):
        raise FieldError(f"expected a list of quotes, each with text: and speaker: (got {type_name(value)})")

    def item(i: int, raw: Any) -> Quote:
        if not isinstance(raw, dict):
            raise FieldError(f"expected text: and speaker: (got {type_name(raw)})", (i,))
        for key in raw:
            if key not in QUOTE_KEYS:
                raise FieldError(f"unknown key {key!r} (expected text:, speaker: or speakers:, and card:)", (i, key))
        if "text" not in raw:
            raise FieldError("is missing (add text: with the words, exactly as said)", (i, "text"))
        words = _within((i, "text"), required_text, raw["text"])
        if "speaker" in raw and "speakers" in raw:
            raise FieldError("and speaker: both given (keep one: speakers: lists a joint statement's)", (i, "speakers"))
        if "speakers" in raw:
            names = raw["speakers"]
            if not isinstance(names, list) or not names:
                got = "an empty list" if names == [] else type_name(names)
                raise FieldError(f"expected a list of names (got {got}; {SPEAKER_HINT})", (i, "speakers"))
            speakers = tuple(_within((i, "speakers", j), required_short_text, n) for j, n in enumerate(names))
        elif "speaker" in raw:
            speakers = (_within((i, "speaker"), required_short_text, raw["speaker"]),)
        else:
            raise FieldError(f"is missing ({SPEAKER_HINT})", (i, "speaker"))
        card = _within((i, "card"), flag, raw["card"]) if "card" in raw else False
        return Quote(text=words, speakers=speakers, card=card)

    return tuple(_each(value, item))


CORRECTION_KEYS = ("date", "text")


def corrections(value: Any) -> tuple[Correction, ...]:
    """Each correction: date: (the day it was made, YYYY-MM-DD) and text: (what changed, in a
    sentence readers see). In the order written: the loader checks them against the date and
    keeps them oldest first."""
    if not isinstance(value, list):
        raise FieldError(f"expected a list of corrections, each with date: and text: (got {type_name(value)})")

    def item(i: int, raw: Any) -> Correction:
        if not isinstance(raw, dict):
            raise FieldError(f"expected date: and text: (got {type_name(raw)})", (i,))
        for key in raw:
            if key not in CORRECTION_KEYS:
                raise FieldError(f"unknown key {key!r} (expected date: and text:)", (i, key))
        if "date" not in raw:
            raise FieldError("is missing (add date: YYYY-MM-DD, the day the correction was made)", (i, "date"))
        if "text" not in raw:
            raise FieldError("is missing (add text: saying what was corrected)", (i, "text"))
        day = _within((i, "date"), when, raw["date"]).date()
        return Correction(date=day, text=_within((i, "text"), required_text, raw["text"]))

    return tuple(_each(value, item))


def item_path(key: str, at: tuple[str | int, ...]) -> str:
    """A field and where inside it, as readers of the error look it up: ``quotes[1].speaker``."""
    return key + "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in at)


def image(value: Any) -> Image:
    if not isinstance(value, dict):
        raise FieldError(f"expected caption: and/or credit: (got {type_name(value)})")
    for key in value:
        if key not in ("caption", "credit"):
            raise FieldError(f"unknown key {key!r} (expected caption: and/or credit:)", (key,))
    parts = {}
    for key in ("caption", "credit"):
        if key in value:
            try:
                parts[key] = text(value[key], LONG_TEXT if key == "caption" else SHORT_TEXT)
            except FieldError as exc:
                raise FieldError(f"{key}: {exc.message}", (key,)) from None
    return Image(**parts)


def story_id(value: Any) -> str:
    """story: names one entry of content/stories.yml; an article is in one story at most."""
    if isinstance(value, list):
        raise FieldError(f"is a list of {len(value)} (expected one story id: an article belongs to one story at most)")
    return slug(value, "story id", "pelosi-taiwan-visit-2022")


def side(value: Any, allowed: tuple[Side, ...] = SIDES) -> Side:
    raw = text(value, SHORT_TEXT)
    for known in allowed:
        if raw.casefold() == known:
            return known
    hint = did_you_mean(raw.casefold(), allowed)
    raise FieldError(f"unknown side {raw!r} ({hint + ' ' if hint else ''}expected one of: {', '.join(allowed)})")


EXPECTED_SIDES: tuple[Side, ...] = ("us", "prc", "taiwan")


def expected_sides(value: Any) -> tuple[Side, ...]:
    """A topic's sides whose absence from a story is worth saying: a list of us, prc, taiwan."""
    if not isinstance(value, list):
        raise FieldError(f"expected a list of sides, e.g. [us, prc, taiwan] (got {type_name(value)})")

    def item(i: int, raw: Any) -> Side:
        try:
            return side(raw, EXPECTED_SIDES)
        except FieldError as exc:
            raise FieldError(f"item {i + 1}: {exc.message}", (i,)) from None

    return tuple(dict.fromkeys(_each(value, item)))


@dataclass(frozen=True)
class Field:
    parse: Callable[[Any], Any]
    required: bool = False
    attr: str | None = None  # Article attribute, when it differs from the key
    pointed: bool = False  # errors name the item and key inside the field: quotes[1].speaker


ARTICLE_FIELDS: dict[str, Field] = {
    "title": Field(required_short_text, required=True),
    "date": Field(when, required=True, attr="published"),
    "source": Field(required_short_text, required=True),
    "topics": Field(topic_refs, required=True),
    "author": Field(authors, attr="authors"),
    "url": Field(http_url),
    "section": Field(short_text),
    "summary": Field(text),
    "key_points": Field(lambda v: text_list(v, "points")),
    "why_it_matters": Field(text),
    "quotes": Field(quotes, pointed=True),
    "people": Field(names),
    "image": Field(image),
    "updated": Field(when),
    "corrections": Field(corrections, pointed=True),
    "draft": Field(flag),
    "slug": Field(slug),
    "story": Field(story_id),
}

TOPIC_FIELDS = ("id", "title", "description", "state_of_play", "updated", "keywords", "expected_sides")


@functools.lru_cache(maxsize=4096)  # a few topic names, written in thousands of articles
def topic_slug(ref: str) -> str:
    return slugify(ref)


def known_topic(ref: str, known: Collection[str]) -> str:
    """A topic reference as written ("Taiwan" or "taiwan") -> its id in topics.yml."""
    wanted = topic_slug(ref)
    if wanted not in known:
        hint = did_you_mean(wanted, known)
        raise FieldError(
            f"unknown topic {ref!r} ({hint + ' ' if hint else ''}expected one of the ids in "
            f"content/topics.yml: {', '.join(sorted(known)) or 'none defined'})"
        )
    return wanted


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean {match[0]!r}?" if match else ""
