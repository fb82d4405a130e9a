"""Read one file into a YAML mapping (with line numbers) and a Markdown body.

python-frontmatter finds and splits the front matter; YAML is composed here
rather than through ``frontmatter.load`` so every key and list item keeps the
line it was written on, for error messages a curator can jump to.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from briefings.content.fields import control_message
from briefings.errors import Problem

try:  # libyaml is several times faster for large archives
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]  # the same API, in Python


class _Loader(_BaseLoader):
    """Safe YAML whose plain scalars are text as written, as no field is a number: YAML 1.1
    would read `title: 9:11` as 551, `010` as 8 and `title: No` as false. Only null and
    YAML 1.2's true/false keep a type. Dates stay text too, so the validator parses them
    itself and can say what is wrong with 2023-02-30."""


_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag == _NULL]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
for _first in "tTfF":
    _Loader.yaml_implicit_resolvers[_first].append((_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")))

_FM = YAMLHandler()
_BOUNDARY = re.compile(r"^-{3,}\s*$")

# A path of keys and list indexes into the front matter, e.g. ("quotes", 0, "speaker").
KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class SourceFile:
    """A file's parsed front matter and body, or the problems that stopped parsing."""

    path: str
    data: Any = None
    body: str = ""
    lines: dict[KeyPath, int] = field(default_factory=dict)
    start_line: int = 1  # where the YAML begins
    problems: tuple[Problem, ...] = ()

    def line(self, *key: str | int) -> int:
        """Line of the deepest known part of ``key`` (falls back to where the YAML starts)."""
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return self.start_line


MAX_FILE_BYTES = 5 * 1024 * 1024  # the default of extra.briefings.max_file_mb
MAX_DEPTH = 20  # front matter is a flat mapping with a few lists inside
MAX_VALUES = 10_000
PLAIN_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "bool", "null", "seq", "map")}
# Raw characters YAML refuses in a file (the reader stops at the first with its offset): found
# first, so the problem names their line and field. Tab and newline are fine; \x85 is a line break.
_RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")


def _syntax_problem(exc: yaml.MarkedYAMLError, first_line: int) -> YamlProblem:
    """One line: where PyYAML gave up, and where the construct it was reading began."""
    mark = exc.problem_mark or exc.context_mark
    line = first_line + (mark.line if mark else 0)
    message = f"YAML syntax error: {exc.problem or exc.context or 'invalid YAML'}"
    if exc.context and exc.problem and exc.context_mark:
        context_line = first_line + exc.context_mark.line
        if context_line != line:
            message += f" ({exc.context} that starts on line {context_line})"
    return YamlProblem(line, message)


def _tag_name(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def parse_yaml(text: str, first_line: int = 1) -> tuple[Any, dict[KeyPath, int]]:
    """Parse YAML, returning the data and the line of every key and item.

    One pass: libyaml composes the node tree, then one walk over it records
    lines, refuses what no article needs and what can hang or mislead a parser
    (aliases as in "billion laughs", custom tags such as !!python/object, deep
    nesting, huge documents, duplicate keys, control characters) and builds the data.
    Raises ``YamlProblem`` with the file line of the problem.
    """
    # Raw control characters, by offset: replaced one for one so YAML reads on and offsets stay,
    # then reported with the value they are in.
    controls = {match.start(): match.group() for match in _RAW_CONTROL.finditer(text)}
    if controls:
        text = _RAW_CONTROL.sub("\ufffd", text)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        lines: dict[KeyPath, int] = {}
        data = _Walk(loader, first_line, lines, text, controls).visit(node, (), 0) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        if controls:  # the likelier cause, and the one to fix first
            raise _control_problem(text, min(controls), controls, first_line) from None
        raise _syntax_problem(exc, first_line) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(first_line, f"YAML error: {_one_line(str(exc))}") from None
    finally:
        loader.dispose()
    if controls:  # in a comment or between values: still not plain text
        raise _control_problem(text, min(controls), controls, first_line)
    return data, lines


def _control_problem(
    text: str, offset: int, controls: dict[int, str], first_line: int, path: KeyPath = ()
) -> YamlProblem:
    # An article's field is its key ("quotes" for quotes[1].speaker); topics.yml and people.yml
    # name their entries from ``path`` (loader.read_yaml_file).
    return YamlProblem(
        first_line + text.count("\n", 0, offset),
        control_message(controls[offset]),
        field=str(path[0]) if path else "front matter",
        path=path,
    )


class YamlProblem(Exception):
    def __init__(self, line: int, message: str, field: str = "front matter", path: KeyPath = ()):
        self.line = line
        self.message = message
        self.field = field
        self.path = path  # the value it is in, when known, e.g. (0, "title") in topics.yml


_STR = "tag:yaml.org,2002:str"


class _Walk:
    """Checks the node tree and builds the data from it, as PyYAML's safe
    constructor would (which it calls for numbers, booleans and nulls)."""

    def __init__(
        self,
        loader: _Loader,
        first_line: int,
        lines: dict[KeyPath, int],
        text: str = "",
        controls: dict[int, str] | None = None,
    ):
        self.loader = loader
        self.text = text
        self.first_line = first_line
        self.lines = lines
        self.controls = controls or {}
        self.seen: set[int] = set()

    def visit(self, node: yaml.Node, path: KeyPath, depth: int) -> Any:
        if id(node) in self.seen:  # the composer returns the anchored node again for an alias
            raise YamlProblem(
                self.line(node),
                "YAML anchors and aliases (&name, *name) are not allowed (expected every value written out)",
            )
        self.seen.add(id(node))
        if len(self.seen) > MAX_VALUES:
            raise YamlProblem(self.line(node), f"has more than {MAX_VALUES:,} values (expected a few fields)")
        tag = node.tag
        if self.controls and isinstance(node, yaml.ScalarNode):
            inside = [at for at in self.controls if node.start_mark.index <= at < node.end_mark.index]
            if inside:
                raise _control_problem(self.text, min(inside), self.controls, self.first_line, path)
        if tag == _STR and type(node) is yaml.ScalarNode:  # most values: checked, and nothing to build
            return node.value
        if tag not in PLAIN_TAGS:
            raise YamlProblem(
                self.line(node),
                f"YAML tag {_tag_name(tag)!r} is not allowed (expected plain text, numbers, dates, lists and mappings)",
            )
        if isinstance(node, yaml.ScalarNode):
            if tag == _BOOL and node.value.lower() not in ("true", "false"):  # !!bool yes is YAML 1.1
                raise YamlProblem(
                    self.line(node),
                    f"{node.value!r} is not true or false (expected true or false, without the !!bool tag)",
                )
            return self.loader.yaml_constructors[tag](self.loader, node)
        if depth >= MAX_DEPTH:
            raise YamlProblem(
                self.line(node),
                f"is nested more than {MAX_DEPTH} levels deep (expected fields with simple values and lists)",
            )
        first_line = self.first_line
        if isinstance(node, yaml.MappingNode):
            data: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key_value = self.visit(key_node, path, depth + 1)
                if isinstance(key_node, yaml.ScalarNode):
                    key = (*path, key_node.value)
                    key_line = first_line + key_node.start_mark.line
                    if key in self.lines:  # PyYAML keeps the last silently; a curator meant one of them
                        raise YamlProblem(
                            key_line,
                            f"is given twice, also on line {self.lines[key]} (expected each field once)",
                            field=".".join(map(str, key)),
                        )
                    self.lines[key] = key_line
                    value = self.visit(value_node, key, depth + 1)
                else:
                    value = self.visit(value_node, path, depth + 1)
                try:
                    data[key_value] = value
                except TypeError:  # a list or mapping used as a key
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping", node.start_mark, "found unhashable key", key_node.start_mark
                    ) from None
            return data
        items = []
        for i, item in enumerate(node.value):
            key = (*path, i)
            self.lines[key] = first_line + item.start_mark.line
            items.append(self.visit(item, key, depth + 1))
        return items

    def line(self, node: yaml.Node) -> int:
        return self.first_line + node.start_mark.line


def _one_line(text: str) -> str:
    return " ".join(text.split())


def decode(raw: bytes, rel: str) -> tuple[str | None, Problem | None]:
    """UTF-8 (a leading BOM is allowed), newlines normalised to \\n."""
    nul = raw.find(b"\x00")
    if nul >= 0:  # checked first: a binary file is better told apart from a mis-encoded one
        return None, Problem(
            rel, raw.count(b"\n", 0, nul) + 1, "file", "contains a NUL byte (expected a text file, not a binary one)"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return None, Problem(
            rel,
            line,
            "file",
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}) "
            "(expected a UTF-8 text file: re-save it as UTF-8)",
        )
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def read_source(path: Path, rel: str) -> SourceFile:
    """Read an article file: front matter mapping, body and line numbers."""
    _info, problem = stat_file(path, rel)
    if problem:  # never opened: a FIFO would block, a device never end
        return SourceFile(rel, problems=(problem,))
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return SourceFile(rel, problems=(Problem(rel, 1, "file", f"cannot read the file: {exc.strerror}"),))
    return source_from_bytes(raw, rel)


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def stat_file(
    path: str | os.PathLike[str],
    rel: str,
    expected: str = "a Markdown file",
) -> tuple[os.stat_result | None, Problem | None]:
    """The stat of ``path`` if it is (or links to) a regular file, else the problem to report.
    Only a regular file is ever opened: a FIFO blocks the reader, /dev/zero never ends."""
    try:
        info = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, Problem(rel, 1, "file", f"is a link that leads back to itself (expected {expected})")
        if exc.errno == errno.ENOENT and os.path.islink(path):
            return None, Problem(rel, 1, "file", f"is a link to a file that does not exist (expected {expected})")
        return None, Problem(rel, 1, "file", f"cannot read the file: {exc.strerror}")
    if stat.S_ISREG(info.st_mode):
        return info, None
    kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a regular file")
    link = "a link to " if os.path.islink(path) else ""
    return None, Problem(rel, 1, "file", f"is {link}{kind}, not a file (expected {expected})")


def source_from_bytes(raw: bytes, rel: str) -> SourceFile:
    text, problem = decode(raw, rel)
    if problem:
        return SourceFile(rel, problems=(problem,))
    assert text is not None
    return parse_front_matter(text, rel)


def parse_front_matter(text: str, rel: str) -> SourceFile:
    stripped = text.lstrip()
    skipped = text[: len(text) - len(stripped)].count("\n")
    if not _FM.detect(stripped):
        return SourceFile(
            rel,
            problems=(
                Problem(
                    rel,
                    skipped + 1,
                    "front matter",
                    "no front matter (expected the file to start with a '---' line, "
                    "then YAML fields such as title:, then a closing '---' line)",
                ),
            ),
        )
    # Split by lines rather than with the handler's regex, whose trailing \s*
    # can swallow a blank line and put every line number off by one.
    lines_ = stripped.split("\n")
    close = next((i for i in range(1, len(lines_)) if _BOUNDARY.match(lines_[i])), None)
    if close is None:
        return SourceFile(
            rel,
            problems=(
                Problem(
                    rel,
                    skipped + 1,
                    "front matter",
                    "the front matter is never closed (expected a '---' line after the YAML fields)",
                ),
            ),
        )
    fm_text = "\n".join(lines_[1:close])
    body = "\n".join(lines_[close + 1 :])
    first_line = skipped + 2  # the YAML starts on the line after the opening '---'
    try:
        data, lines = parse_yaml(fm_text, first_line)
    except YamlProblem as exc:
        return SourceFile(rel, problems=(Problem(rel, exc.line, exc.field, exc.message),))
    return SourceFile(rel, data=data, body=body.lstrip("\n"), lines=lines, start_line=first_line)
