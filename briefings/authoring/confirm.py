"""Confirming suggested stories: ``briefings stories suggest --apply ID``.

For each confirmed group: one line, ``story: <id>``, inserted into each member
article's front matter (before its closing ``---``, in the file's own line
endings), and an entry appended to content/stories.yml (id, the lead article's
headline as title and its summary as summary, for the curator to edit). Every
other byte of every file is kept.

Everything is checked before anything is written (the ids, each article, the
files' permissions, what the new files parse to); then each file is replaced
atomically, and a failure part-way puts back the files already replaced.
"""

from __future__ import annotations

import codecs
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from briefings.authoring.stories import Group
from briefings.content.model import Content
from briefings.errors import BriefingsError
from briefings.fileio import read_bytes

STORIES_FILE = "content/stories.yml"


class ConfirmError(BriefingsError):
    """A confirmation refused before anything was written."""


@dataclass(frozen=True)
class Change:
    rel: str  # relative to the project root
    old: bytes | None  # None: a new file
    new: bytes


def plan(root: Path, content: Content, groups: Sequence[Group], ids: Sequence[str]) -> list[Change]:
    """The files to write for the confirmed ``ids``, checked; ConfirmError on the first problem."""
    by_id = {g.id: g for g in groups}
    for story_id in ids:
        if story_id not in by_id:
            raise ConfirmError(
                f"--apply: {story_id!r} is not a current suggestion (run `briefings stories suggest` "
                "and copy an id it prints; nothing written)"
            )
    confirmed = [by_id[i] for i in dict.fromkeys(ids)]
    existing = {s.id for s in content.stories}
    changes = []
    for group in confirmed:
        for article in group.articles:
            if article.story:
                raise ConfirmError(
                    f"{article.path}:{article.story_line}: already in story {article.story!r} "
                    "(remove its story: line first to move it; nothing written)"
                )
            changes.append(_with_story(root, article.path, group.id))
        if group.id in existing:
            raise ConfirmError(f"{STORIES_FILE}: a story {group.id!r} exists already (nothing written)")
    changes.append(_with_entries(root, confirmed))
    for change in changes:
        _check_writable(root, change.rel)
    return changes


BOM = codecs.BOM_UTF8
# The front matter's lines as the loader reads them (content/source.py): after a byte-order
# mark and blank lines, a line of three or more hyphens, trailing spaces allowed.
_BOUNDARY = re.compile(rb"^-{3,}[ \t]*\r?\n?$")


def _with_story(root: Path, rel: str, story_id: str) -> Change:
    old, _ = read_bytes(root / rel)
    lines = old.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.removeprefix(BOM).strip()), None)
    if start is None or not _BOUNDARY.match(lines[start].removeprefix(BOM if start == 0 else b"")):
        raise ConfirmError(f"{rel}: no front matter (expected a first line ---; nothing written)")
    end = next((i for i in range(start + 1, len(lines)) if _BOUNDARY.match(lines[i])), None)
    if end is None:
        raise ConfirmError(f"{rel}: front matter has no closing --- line (nothing written)")
    newline = b"\r\n" if lines[start].endswith(b"\r\n") else b"\n"
    new = b"".join([*lines[:end], f"story: {story_id}".encode() + newline, *lines[end:]])
    try:
        front = yaml.safe_load((b"".join(lines[start + 1 : end]) + f"story: {story_id}\n".encode()).decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError):
        front = None
    if not isinstance(front, dict) or front.get("story") != story_id:
        raise ConfirmError(f"{rel}: cannot add story: to its front matter as written (nothing written)")
    return Change(rel, old, new)


def _with_entries(root: Path, groups: Sequence[Group]) -> Change:
    path = root / STORIES_FILE
    old = read_bytes(path)[0] if path.exists() else None
    text = old.decode("utf-8") if old is not None else ""
    entries = []
    for group in groups:
        summary = next((a.summary for a in (group.lead, *group.articles) if a.summary.strip()), "")
        if not summary:
            raise ConfirmError(
                f"--apply {group.id}: no article of the group has a summary to start the story's from "
                f"(write one in {group.lead.path}, or the entry in {STORIES_FILE} by hand; nothing written)"
            )
        entries.append({"id": group.id, "title": group.lead.title, "summary": " ".join(summary.split())})
    indent = next(
        (line[: len(line) - len(line.lstrip())] for line in text.splitlines() if line.lstrip().startswith("- ")), ""
    )
    block = yaml.safe_dump(entries, allow_unicode=True, sort_keys=False, width=88)
    block = "".join(indent + line if line.strip() else line for line in block.splitlines(keepends=True))
    newline = "\r\n" if "\r\n" in text else "\n"
    if newline != "\n":
        block = block.replace("\n", newline)
    was = _yaml(text) if text else None
    if was == []:  # "[]", which `check` takes for no stories: the entries go in its place
        text = re.sub(r"(?m)^[ \t]*\[\][ \t]*$\r?\n?", "", text, count=1)
    before = text if not text or text.endswith(("\n", "\r")) else text + newline
    new = before + block
    if (was or []) + entries != _yaml(new):
        raise ConfirmError(
            f"{STORIES_FILE}: cannot append entries to it as written (expected a YAML list of entries, "
            "one `- id:` each; nothing written)"
        )
    return Change(STORIES_FILE, old, new.encode("utf-8"))


def _yaml(text: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return None  # not as `check` read it: refused by the caller


def _check_writable(root: Path, rel: str) -> None:
    path = root / rel
    target = path if path.exists() else path.parent
    # No write bit is read-only to us even where the user may write anyway (root): the
    # curator made it so on purpose.
    if not (os.access(target, os.W_OK) and os.access(path.parent, os.W_OK) and target.stat().st_mode & 0o222):
        what = rel if path.exists() else f"{Path(rel).parent}/"
        raise ConfirmError(f"{what}: read-only (make it writable, then run again; nothing written)")


def write(root: Path, changes: Sequence[Change]) -> None:
    """Replace each file atomically; on a failure, put back the ones already replaced."""
    done: list[Change] = []
    try:
        for change in changes:
            _replace(root / change.rel, change.new)
            done.append(change)
    except OSError:
        for change in reversed(done):
            if change.old is None:
                (root / change.rel).unlink(missing_ok=True)
            else:
                _replace(root / change.rel, change.old)
        raise


def _replace(path: Path, data: bytes) -> None:
    if path.is_symlink():  # a curator's link to the real file: that file is written, the link kept
        path = Path(os.path.realpath(path))
    mode = path.stat().st_mode & 0o7777 if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
