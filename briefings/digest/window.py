"""The days a digest covers: an ISO week by default, or any span of whole days."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from briefings.content.fields import EARLIEST_YEAR, LATEST_YEAR
from briefings.errors import BriefingsError

WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")


class WindowError(BriefingsError):
    """A digest's dates cannot be used (a usage error: exit 2)."""


@dataclass(frozen=True, order=True)
class Window:
    """From ``since`` to ``until``, both days included, as the articles' dates are written."""

    since: dt.date
    until: dt.date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.since <= day <= self.until

    @property
    def week(self) -> str:
        """ "2024-W02" when the window is exactly one ISO week, else ""."""
        year, number, weekday = self.since.isocalendar()
        if weekday == 1 and self.until == self.since + dt.timedelta(days=6):
            return f"{year}-W{number:02}"
        return ""

    @property
    def label(self) -> str:
        """The days as readers read them: "8–14 January 2024", "29 January – 4 February 2024"."""
        a, b = self.since, self.until
        if a == b:
            return f"{a.day} {a:%B %Y}"
        if (a.year, a.month) == (b.year, b.month):
            return f"{a.day}–{b.day} {b:%B %Y}"
        if a.year == b.year:
            return f"{a.day} {a:%B} – {b.day} {b:%B %Y}"
        return f"{a.day} {a:%B %Y} – {b.day} {b:%B %Y}"


@functools.cache  # an archive has a few thousand days, and the digests ask for each many times
def week_of(day: dt.date) -> Window:
    """The ISO week (Monday to Sunday) that holds ``day``."""
    monday = day - dt.timedelta(days=day.weekday())
    return Window(monday, monday + dt.timedelta(days=6))


def named_week(key: str) -> Window:
    """The window of "2024-W02"."""
    match = WEEK_RE.match(key)
    if not match:
        raise WindowError(f"{key!r} is not a week (expected YYYY-Www, e.g. 2024-W02)")
    try:
        monday = dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        raise WindowError(f"{key!r} is not a week of that year (expected YYYY-Www, e.g. 2024-W02)") from None
    _in_range(monday, repr(key))
    return week_of(monday)


def _in_range(day: dt.date, shown: str) -> dt.date:
    """Refuse a day outside the years an article may have: the weeks around it would leave
    the calendar (year 1 or 9999)."""
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise WindowError(f"{shown} is outside {EARLIEST_YEAR}-{LATEST_YEAR} (expected a year articles can have)")
    return day


def last_full_week(today: dt.date) -> Window:
    """The ISO week before the one ``today`` is in."""
    return week_of(today - dt.timedelta(days=7))


def parse_day(text: str, option: str) -> dt.date:
    """A day as an option gives it: YYYY-MM-DD only, so 03/04 can never mean two things."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        raise WindowError(f"{option}: {text!r} is not a date (expected YYYY-MM-DD, e.g. 2024-01-08)")
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise WindowError(f"{option}: {text!r} is not a real calendar date (expected YYYY-MM-DD)") from None
    return _in_range(day, f"{option}: {text.strip()!r}")


def window(since: dt.date | None, until: dt.date | None, today: dt.date) -> Window:
    """The window the options ask for: neither (the last full ISO week), ``since`` alone (to
    today), ``until`` alone (the week ending that day) or both."""
    if since is None and until is None:
        return last_full_week(today)
    if since is None:
        assert until is not None
        since = until - dt.timedelta(days=6)
    if until is None:
        until = max(today, since)
    if since > until:
        raise WindowError(f"--since {since} is after --until {until} (expected the earlier day first)")
    return Window(since, until)
