"""Optional registries that are a YAML list of entries (outlets.yml, stories.yml), read
the way topics.yml and people.yml are: every problem reported, one line each, naming
the file, the line and the entry's field (outlets[2].domains)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefings.content.fields import type_name
from briefings.content.registries import parse_fields, read_yaml_file, unknown_keys
from briefings.content.source import KeyPath
from briefings.errors import Problem

Parser = Callable[[Any], Any]


@dataclass(frozen=True)
class Entry:
    """One valid entry: its parsed fields, where it is written and the line of each key."""

    what: str  # "outlets"
    index: int  # from 0
    line: int
    values: dict[str, Any]
    lines: dict[KeyPath, int]

    @property
    def where(self) -> str:
        """How problems name the entry: outlets[2]."""
        return f"{self.what}[{self.index + 1}]"

    def line_of(self, *key: str | int) -> int:
        return self.lines.get((self.index, *key), self.line)


def read_entries(
    root: Path,
    rel: str,
    what: str,
    parsers: dict[str, Parser],
    required: tuple[str, ...],
    problems: list[Problem],
) -> Iterator[Entry]:
    """The entries of an optional YAML list (none when the file is missing or empty) whose
    every field parses; problems for the others. ``what`` names the entries ("outlets")."""
    if not os.path.lexists(root / rel):
        return
    parsed = read_yaml_file(root, rel, what, problems)
    if parsed is None:
        return
    data, lines = parsed
    if data is None:
        return
    expected = ", ".join(f"{key}:" for key in required)
    if not isinstance(data, list):
        problems.append(
            Problem(rel, 1, what, f"expected a list of {what}, each with {expected} (got {type_name(data)})")
        )
        return
    for i, item in enumerate(data):
        line = lines.get((i,), 1)
        where = f"{what}[{i + 1}]"
        if not isinstance(item, dict):
            problems.append(Problem(rel, line, where, f"expected {expected} (got {type_name(item)})"))
            continue
        before = len(problems)
        problems.extend(unknown_keys(rel, item, tuple(parsers), where, lines, (i,), line))
        problems.extend(
            Problem(rel, line, f"{where}.{key}", f"is missing (every entry needs {expected})")
            for key in parsers
            if key in required and key not in item
        )
        values = parse_fields(rel, item, parsers, where, lines, (i,), line, problems)
        if len(problems) == before:
            yield Entry(what, i, line, values, lines)
