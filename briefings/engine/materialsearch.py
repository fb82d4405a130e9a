"""Material's search index, spliced: an incremental build puts the rebuilt pages' entries
into the last full index (engine/incremental.py) instead of building every page for it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any


def splice_index(staged: Path, rebuilt: Path, urls: set[str], order: list[str]) -> None:
    """Put the rebuilt pages' entries in place of theirs, and remove those of ``urls`` the
    rebuilt index has none of (removed pages); keep everything else. ``order``: every page's
    URL in MkDocs' order, which the index follows: an added page's entries go after those
    of the page before it.

    Material writes the index as compact JSON, one page's entries one after
    another, each starting ``{"location":"URL`` (a string value cannot hold that
    unescaped), so the text is cut at those starts and put together again, byte for
    byte what Material writes, without parsing 50 MB."""
    text = staged.read_bytes()  # bytes: nothing to decode (Material escapes all but ASCII)
    fresh: dict[bytes, list[bytes]] = {}  # Material's search_index.json entries, by page, as it writes them
    for entry in json.loads(rebuilt.read_text("utf-8"))["docs"]:
        url = entry["location"].split("#", 1)[0]
        if url in urls:
            fresh.setdefault(_escaped(url), []).append(json.dumps(entry, separators=(",", ":"), default=str).encode())
    view = memoryview(text)
    head, spans, tail = _pages_entries(text)
    pages: dict[bytes, list[Any]] = {url: [view[start:end] for start, end in found] for url, found in spans.items()}
    for url in map(_escaped, urls):
        pages.pop(url, None)
    pages.update(fresh)
    rank = {_escaped(url): i for i, url in enumerate(order)}
    placed, last = [], -1
    for url in pages:  # a page not in ``order`` (none should be) keeps its place after the one before it
        last = rank.get(url, last)
        placed.append((last, url))
    placed.sort(key=lambda item: item[0])  # stable: pages of the same rank keep their order
    tmp = staged.with_name(f".{staged.name}.new")
    entries = b",".join([entry for _, url in placed for entry in pages[url]])
    tmp.write_bytes(b"".join([head, entries, tail]))
    tmp.replace(staged)


_DOCS = b'"docs":['


def _escaped(url: str) -> bytes:
    return json.dumps(url)[1:-1].encode()


def _pages_entries(text: bytes) -> tuple[bytes, dict[bytes, list[tuple[int, int]]], bytes]:
    """Material's index text cut in three: up to its list of entries, where each page's
    entries are (by the page's URL as the text has it, in their order), and from the list's end."""
    opening = text.index(_DOCS) + len(_DOCS)
    closing = text.rindex(b"]")
    pages: dict[bytes, list[tuple[int, int]]] = {}
    found: list[tuple[int, int]] = []
    for entry in _ENTRY_START.finditer(text, opening, closing):
        start = entry.start()
        if text[start - 1] not in b"[,":
            continue  # (not there in what Material writes)
        if found:  # the entry before ends at this one's comma
            found[-1] = (found[-1][0], start - 1)
        found = pages.setdefault(entry.group(1), [])
        if not (found and found[-1][1] == start - 1):  # else the next of the page's entries: one span
            found.append((start, start))
    if found:
        found[-1] = (found[-1][0], closing)
    return text[:opening], pages, text[closing:]


# An entry's start (a string value cannot hold it unescaped), and its page's URL.
_ENTRY_START = re.compile(rb'\{"location":"([^"#]*)')
