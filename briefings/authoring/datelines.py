"""Dates in a clipping's header: "Published November 14, 2024 3:05pm ET", "14 Nov. 2024",
"2024-11-14" (``clipping.parse_clipping`` reads the header; this says which lines are datelines)."""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    m: i + 1
    for i, m in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        )
    )
}
_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
DATE_RES = (
    (re.compile(rf"\b{_MONTH}\s+(\d{{1,2}}),?\s+(\d{{4}})\b", re.IGNORECASE), ("month", "day", "year")),
    (re.compile(rf"\b(\d{{1,2}})\s+{_MONTH},?\s+(\d{{4}})\b", re.IGNORECASE), ("day", "month", "year")),
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), ("year", "month", "day")),
)


def short_date(line: str, max_words: int = 12) -> dt.date | None:
    """A date on a short header line ("Published November 14, 2024 3:05pm ET"): a line that is
    mostly its date, not a sentence that gives one ("Lai took office on May 20, 2024.")."""
    if len(line.split()) > max_words:
        return None
    for pattern, order in DATE_RES:
        m = pattern.search(line)
        if not m:
            continue
        around = [w for w in (line[: m.start()] + " " + line[m.end() :]).split() if not _TIME_WORD.match(w)]
        if len(around) > _DATELINE_WORDS:
            return None
        parts = dict(zip(order, m.groups(), strict=True))
        month = parts["month"]
        month_no = (
            int(month)
            if month.isdigit()
            else next(n for name, n in MONTHS.items() if name.startswith(month.lower().rstrip(".")[:3]))
        )
        try:
            return dt.date(int(parts["year"]), month_no, int(parts["day"]))
        except ValueError:
            return None
    return None


# A header's words besides its date: "Published", "Updated:", "3:05pm", "ET", "|"...
_TIME_WORD = re.compile(
    r"^(?:[|·•,–—-]+|\d{1,2}[:.]\d{2}(?:[aApP]\.?[mM]\.?)?|[aApP]\.?[mM]\.?|[A-Z]{2,5}(?:[+-]\d{1,2})?)[,.]?$"
)
_DATELINE_WORDS = 3
