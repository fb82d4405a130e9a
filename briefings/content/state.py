"""A topic's state of play (topics.yml ``state_of_play:`` and ``updated:``): one short
paragraph saying where the topic stands today, and the day it was last written."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from briefings.content.fields import FieldError, text, type_name

MAX_STATE_OF_PLAY = 700  # characters: a paragraph that fits on a phone screen beside the top story
# The earliest time zone's date: a curator anywhere may write the day it is where they are.
EARLIEST_ZONE = dt.timezone(dt.timedelta(hours=14))


def state_of_play(value: Any, topic_id: str) -> str:
    """One paragraph of plain text, at most MAX_STATE_OF_PLAY characters. Written with ``>-``
    its lines join into one; a blank line (or ``|``, which keeps line breaks) makes more."""
    result = text(value)
    paragraphs = [p for p in re.split(r"\s*\n\s*", result) if p]
    if len(paragraphs) > 1:
        raise FieldError(
            f"the state of play of topic {topic_id!r} has {len(paragraphs)} paragraphs or lines (expected one "
            "paragraph: remove the blank lines and write it under 'state_of_play: >-' so that its lines join)"
        )
    if len(result) > MAX_STATE_OF_PLAY:
        raise FieldError(
            f"the state of play of topic {topic_id!r} is {len(result):,} characters long (expected at most "
            f"{MAX_STATE_OF_PLAY}: say where the topic stands today in a few sentences; the details belong "
            "in its articles and stories)"
        )
    return result


def updated(value: Any, topic_id: str, today: dt.date | None = None) -> dt.date:
    """The day the state of play was last written: YYYY-MM-DD, not after today (anywhere on Earth)."""
    help_ = "expected YYYY-MM-DD, the day the state of play was last written, e.g. 2024-11-20"
    if isinstance(value, dt.date):
        value = value.isoformat()
    if not isinstance(value, str):
        raise FieldError(f"topic {topic_id!r}: expected a date (got {type_name(value)}; {help_})")
    raw = value.strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        raise FieldError(f"topic {topic_id!r}: {raw!r} is not a date ({help_})")
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        raise FieldError(f"topic {topic_id!r}: {raw!r} is not a real calendar date ({help_})") from None
    today = today or dt.datetime.now(EARLIEST_ZONE).date()
    if day > today:
        raise FieldError(
            f"topic {topic_id!r}: {raw} is in the future (expected the day the state of play was last "
            "written: today or earlier)"
        )
    return day
