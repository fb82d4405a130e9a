"""Text as pages show it: dates, one-line summaries, and escaping.

Escaping rule: Material prints ``title``, ``description``, tag names and nav
titles without escaping, so those are HTML-escaped (``esc``) when the pages
are made. Everything in the page views (``briefing:``) stays raw and the
templates escape it with ``|e``. Plain-text fields put into the Markdown body
go in as escaped HTML blocks, so Markdown and HTML in a summary are shown as
text, never interpreted.
"""

from __future__ import annotations

import datetime as dt
import html

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
DESCRIPTION_MAX = 300


def day(date: dt.date) -> str:
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def month_label(date: dt.date) -> str:
    return f"{MONTHS[date.month - 1]} {date.year}"


def one_line(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def description(text: str) -> str | None:
    """A page's <meta name="description">, escaped; None for no text."""
    return esc(one_line(text, DESCRIPTION_MAX)) if text else None


def esc(text: str) -> str:
    """HTML-escape one line of plain text (newlines folded to spaces)."""
    return html.escape(" ".join(text.split()), quote=True)
