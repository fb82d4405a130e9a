"""Read a plain-text clipping: an article copied from a news page as text.

The shape we handle, line by line (blank lines optional between them):

    Politics                                   <- the outlet's section (a word or three)
    Harbour Pilots Strike Over Night Shifts    <- the headline
    (Photo by Jane Roe / Agency) ...           <- photo credits: front matter, not body
    Tomas Varga Senior Maritime Correspondent  <- the byline: a name, then a job title
    Font Size:                                 <- page chrome: dropped
    Paragraphs of the article, with photo captions "... (Photo by ...)" and
    "(RELATED: ...)" links among them: both dropped.

Everything here is heuristics on plain text, so every guess is reported back
to the curator by `briefings import`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from briefings.authoring.datelines import short_date

# A parenthesised photo credit: (Photo by X / AFP), (AP Photo/Jane Roe), (Photo: X), (Image credit: X)
CREDIT_RE = re.compile(
    r"\(\s*(?:[A-Z][A-Za-z]*\s+)?(?:photo(?:graph)?|image|picture|pictured)s?"
    r"(?:\s+(?:by|credit|courtesy(?:\s+of)?)\b\s*:?|\s*[:/])\s*([^()]+?)\s*\)",
    re.IGNORECASE,
)
# A caption line introduced by its credit: "Photo: Jane Roe / Agency"
CREDIT_LINE_RE = re.compile(r"^(?:photo(?:graph)?|image|picture)\s*(?:by|credit)?\s*:\s*(.+)$", re.IGNORECASE)
RELATED_RE = re.compile(r"\s*[(\[]\s*(?:related|read more|see also|watch)\s*:[^)\]]*[)\]]", re.IGNORECASE)

CHROME_RE = re.compile(
    r"^(?:"
    r"(?:font|text)\s+size\b.*"
    r"|(?:share|share this(?: article| story)?|print|e-?mail|save|copy link|comments?(?:\s*\(\d+\))?"
    r"|listen(?: to this article)?|advertisement|sponsored|subscribe\b.*|sign up\b.*|follow us\b.*"
    r"|read more|continue reading|skip to (?:main )?content|close|menu|show comments|hide comments)[\s:.!]*"
    r"|\d+\s*(?:min|minute)s?\s+read"
    r"|(?:related|read more|see also)\s*:.*"
    r"|[(\[]\s*related\s*:.*[)\]]"
    r"|(?:(?:facebook|twitter|x|linkedin|whatsapp|reddit|email|telegram)[\s|/·•,]*){2,}"
    r")$",
    re.IGNORECASE,
)

# The last word of a byline's job title, and words that job titles are made of.
ROLE_NOUNS = {
    "correspondent",
    "reporter",
    "editor",
    "writer",
    "columnist",
    "contributor",
    "producer",
    "chief",
    "analyst",
    "journalist",
    "fellow",
    "intern",
    "photographer",
    "anchor",
    "host",
    "critic",
    "director",
    "strategist",
    "researcher",
    "commentator",
    "staff",
    "desk",
}
TITLE_WORDS = ROLE_NOUNS | {
    "white",
    "house",
    "senior",
    "foreign",
    "political",
    "politics",
    "national",
    "security",
    "defense",
    "defence",
    "energy",
    "health",
    "congressional",
    "capitol",
    "hill",
    "contributing",
    "investigative",
    "deputy",
    "managing",
    "associate",
    "executive",
    "business",
    "economics",
    "economic",
    "science",
    "tech",
    "technology",
    "education",
    "legal",
    "justice",
    "pentagon",
    "state",
    "department",
    "washington",
    "bureau",
    "sports",
    "culture",
    "media",
    "climate",
    "environment",
    "environmental",
    "immigration",
    "breaking",
    "news",
    "digital",
    "assistant",
    "general",
    "assignment",
    "special",
    "world",
    "global",
    "international",
    "diplomatic",
    "military",
    "opinion",
    "features",
    "investigations",
    "data",
    "video",
    "trade",
    "markets",
    "finance",
    "financial",
    "policy",
    "affairs",
    "legislative",
    "supreme",
    "court",
    "elections",
    "campaign",
    "regional",
    "metro",
    "local",
    "lead",
    "principal",
    "editorial",
    "staff",
    "asia",
    "china",
    "europe",
    "africa",
    "middle",
    "east",
    "america",
    "americas",
    "latin",
    "pacific",
}
PARTICLES = {"van", "von", "de", "der", "den", "da", "di", "del", "della", "du", "la", "le", "bin", "al", "st.", "mac"}
SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
NAME_TOKEN_RE = re.compile(r"^(?:[A-Z][\w'’.-]*|[A-Z]\.)$")


@dataclass(frozen=True)
class Byline:
    names: tuple[str, ...]
    job_title: str = ""


@dataclass(frozen=True)
class Clipping:
    title: str = ""
    section: str = ""
    byline: Byline | None = None
    image_credit: str = ""
    date: dt.date | None = None
    body: str = ""  # Markdown: the article's paragraphs, captions and chrome left out
    captions_dropped: int = 0
    chrome_dropped: int = 0


def parse_clipping(text: str) -> Clipping:
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    section = title = credit = ""
    byline: Byline | None = None
    date: dt.date | None = None
    captions = chrome = 0
    body_from = len(lines)
    content_seen = 0
    for i, line in enumerate(lines):
        if not line:
            continue
        if CHROME_RE.match(line):
            chrome += 1
            continue
        if is_caption(line):
            credit = credit or photo_credit(line)
            captions += 1
            continue
        if found := short_date(line, max_words=12 if title else 4):  # above the headline: a bare date only
            date = date or found
            chrome += 1
            continue
        content_seen += 1
        if content_seen == 1 and looks_like_section(line) and _next_is_headline(lines, i):
            section = line
            continue
        if not title:
            title = line
            continue
        if byline is None and (parsed := parse_byline(line)):
            byline = parsed
            continue
        body_from = i  # the first line that is neither header nor chrome: the article begins
        break
    paragraphs, dropped_captions, dropped_chrome = body_paragraphs(lines[body_from:])
    return Clipping(
        title=title,
        section=section,
        byline=byline,
        image_credit=credit,
        date=date,
        body="\n\n".join(plain_to_markdown(p) for p in paragraphs),
        captions_dropped=captions + dropped_captions,
        chrome_dropped=chrome + dropped_chrome,
    )


def is_caption(line: str) -> bool:
    """A photo's caption or credit line: the credit opens or closes it ("… (Photo by X / AFP)"),
    not a parenthesis inside a sentence ("Dong Jun (pictured: right) said …")."""
    if CREDIT_LINE_RE.match(line):
        return True
    credit = CREDIT_RE.search(line)
    return credit is not None and (credit.start() == 0 or not CREDIT_RE.sub("", line[credit.start() :]).strip(" .)"))


def photo_credit(line: str) -> str:
    """ "(Photo by Jane Roe / AFP) (Photo by ...)" -> "Jane Roe / AFP" (the first credit)."""
    m = CREDIT_RE.search(line) or CREDIT_LINE_RE.match(line)
    if not m:
        return ""
    whole = m.group(0).strip("() ")
    if re.match(r"^[A-Z][A-Za-z]*\s+photo\s*/", whole, re.IGNORECASE):  # "AP Photo/Jane Roe": keep the agency
        return whole
    return m.group(1).strip()


def looks_like_section(line: str) -> bool:
    words = line.split()
    return 1 <= len(words) <= 3 and len(line) <= 40 and line[0].isupper() and not line.endswith((".", "?", "!", ":"))


def _next_is_headline(lines: list[str], i: int) -> bool:
    """A section word is followed by a headline, not by a byline or the text."""
    for line in lines[i + 1 :]:
        if not line or CHROME_RE.match(line) or is_caption(line):
            continue
        return not parse_byline(line) and not is_paragraph(line)
    return False


def is_paragraph(line: str) -> bool:
    words = len(line.split())
    return words >= 25 or (words >= 6 and line.rstrip().endswith((".", "?", "!", '"', "”", "’", "'", ")")))


def parse_byline(line: str) -> Byline | None:
    """ "By Jane Doe and John Roe", "Jane Doe, Staff Writer", "Reagan Reese White House Correspondent"."""
    raw = re.sub(r"^by\s+", "", line.strip(), flags=re.IGNORECASE)
    had_by = raw != line.strip()
    if is_paragraph(raw) or len(raw.split()) > 10:
        return None
    job = ""
    m = re.match(r"^(.+?)\s*(?:\||—|–| - |,)\s*(.+)$", raw)
    if m and _is_job_title(m.group(2).split()):
        raw, job = m.group(1), m.group(2)
    names = [n.strip() for n in re.split(r"\s*(?:,|\band\b|&)\s*", raw) if n.strip()]
    if not names:
        return None
    if not job and len(names) == 1:
        name, job = _split_name_title(names[0].split())
        names = [name] if name else []
    if not names or not all(_is_name(n.split()) for n in names):
        return None
    if not (had_by or job or len(names) > 1 or len(names[0].split()) >= 2):
        return None
    # A bare "Firstname Lastname" line: accept only two to four name words.
    if not (had_by or job) and not all(2 <= len(n.split()) <= 4 for n in names):
        return None
    return Byline(names=tuple(names), job_title=job)


def _is_job_title(tokens: list[str]) -> bool:
    return bool(tokens) and tokens[-1].lower().strip(".,") in ROLE_NOUNS


def _split_name_title(tokens: list[str]) -> tuple[str, str]:
    """Two name words, a third for initials, particles and suffixes, or when a job title still follows it."""
    if not _is_job_title(tokens):
        return " ".join(tokens), ""
    if len(tokens) < 3:
        return "", ""
    n = 2
    while n < len(tokens) - 1:
        word = tokens[n].lower()
        if (
            re.fullmatch(r"[a-z]\.", word)
            or word in PARTICLES
            or word in SUFFIXES
            or tokens[n - 1].lower() in PARTICLES
        ) or (word not in TITLE_WORDS and n == 2 and len(tokens) - (n + 1) >= 2):
            n += 1
        else:
            break
    return " ".join(tokens[:n]), " ".join(tokens[n:])


def _is_name(tokens: list[str]) -> bool:
    if not 1 <= len(tokens) <= 5:
        return False
    return all(NAME_TOKEN_RE.match(t) or t.lower() in PARTICLES or t.lower() in SUFFIXES for t in tokens)


def body_paragraphs(lines: list[str]) -> tuple[list[str], int, int]:
    """Join wrapped lines into paragraphs; drop captions and chrome; strip (RELATED: ...) links."""
    paragraphs: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            paragraphs.append(" ".join(current))
            current.clear()

    kept, captions, chrome = [], 0, 0
    for line in lines:
        if not line:
            flush()
        elif CHROME_RE.match(line):  # a "Share" line between two paragraphs
            flush()
            chrome += 1
        elif current and current[-1].endswith((".", "?", "!", '"', "”", ")", ":")):
            flush()
            current.append(line)
        else:
            current.append(line)
    flush()
    for p in paragraphs:
        if CHROME_RE.match(p):
            chrome += 1
        elif is_caption(p):
            captions += 1
        elif text := RELATED_RE.sub("", p).strip():
            kept.append(text)
    return kept, captions, chrome


_MD_INLINE = re.compile(r"([\\`*_\[\]])")
_MD_LINE_START = re.compile(r"^(?:[#>+-]|(\d+)([.)]))")


def plain_to_markdown(paragraph: str) -> str:
    """Plain text as Markdown that renders as the same text."""
    out = _MD_INLINE.sub(r"\\\1", paragraph).replace("<", "&lt;")
    return _MD_LINE_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else "\\" + m.group(0), out)
