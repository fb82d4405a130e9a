"""content/topics.yml and content/people.yml: the registries articles refer to.

Each is validated like the articles, with every problem reported: unknown keys
(with a did-you-mean), ids and page names that fit file names and are not the
site's own, names that would share a person's page.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from pathlib import Path
from typing import Any

from briefings.content.fields import (
    MAX_SLUG_BYTES,
    SHORT_TEXT,
    SITE_NAMES,
    SLUG_RE,
    TOPIC_FIELDS,
    WINDOWS_NAMES,
    FieldError,
    FieldErrors,
    check_slug,
    did_you_mean,
    expected_sides,
    side,
    slug,
    text,
    text_list,
    type_name,
)
from briefings.content.keywords import field_name as keyword_field
from briefings.content.keywords import topic_keywords
from briefings.content.model import Article, Person, Topic
from briefings.content.people import PeopleIndex, name_key, person_slug
from briefings.content.source import (
    MAX_FILE_BYTES,
    KeyPath,
    YamlProblem,
    decode,
    parse_yaml,
    stat_file,
)
from briefings.content.state import state_of_play, updated
from briefings.errors import Problem
from briefings.fileio import read_bytes


def read_yaml_file(root: Path, rel: str, what: str, problems: list[Problem]) -> tuple[Any, dict[KeyPath, int]] | None:
    """A YAML file of the content folder as (data, lines), or None after a problem."""
    info, problem = stat_file(root / rel, rel, "a YAML file")
    if problem is None and info is not None and info.st_size > MAX_FILE_BYTES:
        problem = Problem(
            rel, 1, "file", f"is {info.st_size / 2**20:.1f} MB (expected at most {MAX_FILE_BYTES / 2**20:g} MB)"
        )
    if problem:
        problems.append(problem)
        return None
    try:
        raw, _ = read_bytes(root / rel)
    except OSError as exc:
        problems.append(Problem(rel, 1, "file", f"cannot read the file: {exc.strerror}"))
        return None
    text_, problem = decode(raw, rel)
    if problem:
        problems.append(problem)
        return None
    try:
        return parse_yaml(text_ or "")
    except YamlProblem as exc:
        problems.append(Problem(rel, exc.line, _entry_field(what, exc.path), exc.message))
        return None


def _entry_field(what: str, path: KeyPath) -> str:
    """("topics", 0, "title") or (0, "title") in topics.yml -> topics[1].title, as entries are named."""
    if path and path[0] == what:  # the {topics: [...]} form
        path = path[1:]
    if not path or not isinstance(path[0], int):
        return what
    return f"{what}[{path[0] + 1}]" + (f".{path[1]}" if len(path) > 1 else "")


def unknown_keys(
    rel: str,
    item: Mapping[object, object],
    allowed: tuple[str, ...],
    where: str,
    lines: Mapping[KeyPath, int],
    at: KeyPath,
    line: int,
) -> list[Problem]:
    """A problem, with a did-you-mean hint, for each key of a topics.yml or people.yml entry not in ``allowed``.
    ``at`` is the entry's key path in ``lines``; ``line`` the entry's line, for a key with none of its own."""
    problems = []
    for key in item:
        if key not in allowed:
            hint = did_you_mean(str(key), allowed)
            key_line = lines.get((*at, key), line) if isinstance(key, str) else line  # null: and true: have none
            problems.append(
                Problem(
                    rel,
                    key_line,
                    f"{where}.{key}",
                    f"unknown key ({hint + ' ' if hint else ''}expected one of: {', '.join(allowed)})",
                )
            )
    return problems


def parse_fields(
    rel: str,
    item: Mapping[object, object],
    parsers: Mapping[str, Callable[[Any], Any]],
    where: str,
    lines: Mapping[KeyPath, int],
    at: KeyPath,
    line: int,
    problems: list[Problem],
) -> dict[str, Any]:
    """The entry's fields that are present and parse; a problem, at the value's own line, for
    each that does not. ``at`` and ``line`` as for ``unknown_keys``."""
    values: dict[str, Any] = {}
    for key, parse in parsers.items():
        if key not in item:
            continue
        try:
            values[key] = parse(item[key])
        except FieldError as exc:
            problems.append(Problem(rel, lines.get((*at, key, *exc.at), line), f"{where}.{key}", exc.message))
        except FieldErrors as exc:
            problems.extend(
                Problem(rel, lines.get((*at, key, *e.at), line), f"{where}.{key}", e.message) for e in exc.errors
            )
    return values


def load_topics(root: Path, problems: list[Problem]) -> list[Topic]:
    rel = "content/topics.yml"
    if not os.path.lexists(root / rel):
        problems.append(Problem(rel, 1, "file", "is missing (expected a list of topics, each with id: and title:)"))
        return []
    parsed = read_yaml_file(root, rel, "topics", problems)
    if parsed is None:
        return []
    data, lines = parsed
    if isinstance(data, dict) and set(data) == {"topics"}:
        data = data["topics"]
        lines = {key[1:]: line for key, line in lines.items() if key and key[0] == "topics"}
    if not isinstance(data, list) or not data:
        problems.append(
            Problem(rel, 1, "topics", f"expected a list of topics, each with id: and title: (got {type_name(data)})")
        )
        return []

    topics: list[Topic] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(data):
        line = lines.get((i,), 1)
        where = f"topics[{i + 1}]"
        if not isinstance(item, dict):
            problems.append(Problem(rel, line, where, f"expected id:, title: and description: (got {type_name(item)})"))
            continue
        unknown = unknown_keys(rel, item, TOPIC_FIELDS, where, lines, (i,), line)
        problems.extend(unknown)
        ok = not unknown
        values: dict[str, Any] = {}
        for key in ("id", "title"):
            if key not in item:
                problems.append(Problem(rel, line, f"{where}.{key}", "is missing (every topic needs id: and title:)"))
                ok = False
                continue
            try:
                values[key] = text(item[key], SHORT_TEXT)  # one line: the title goes into the nav
            except FieldError as exc:
                problems.append(Problem(rel, lines.get((i, key), line), f"{where}.{key}", exc.message))
                ok = False
                continue
            if not values[key]:
                problems.append(
                    Problem(rel, lines.get((i, key), line), f"{where}.{key}", "is empty (expected some text)")
                )
                ok = False
        topic_id = values.get("id", "")
        if topic_id and not SLUG_RE.match(topic_id):
            problems.append(
                Problem(
                    rel,
                    lines.get((i, "id"), line),
                    f"{where}.id",
                    f"{topic_id!r} is not a valid id (expected lowercase letters, digits and hyphens, e.g. us-china)",
                )
            )
            ok = False
        elif topic_id and (reason := _refused(topic_id, "id")):
            problems.append(Problem(rel, lines.get((i, "id"), line), f"{where}.id", reason))
            ok = False
        elif topic_id in seen:
            problems.append(
                Problem(
                    rel,
                    lines.get((i, "id"), line),
                    f"{where}.id",
                    f"{topic_id!r} is already used by the topic on line {seen[topic_id]} (expected unique ids)",
                )
            )
            ok = False
        try:
            values["description"] = text(item.get("description", ""))
        except FieldError as exc:
            problems.append(Problem(rel, lines.get((i, "description"), line), f"{where}.description", exc.message))
            ok = False
        try:
            values.update(topic_keywords(item["keywords"]) if "keywords" in item else {})
        except FieldErrors as exc:
            problems.extend(
                Problem(rel, lines.get((i, "keywords", *e.at), line), f"{where}.{keyword_field(e.at)}", e.message)
                for e in exc.errors
            )
            ok = False
        if "expected_sides" in item:
            try:
                values["expected_sides"] = expected_sides(item["expected_sides"])
            except (FieldError, FieldErrors) as exc:
                for e in exc.errors if isinstance(exc, FieldErrors) else [exc]:
                    at = lines.get((i, "expected_sides", *e.at), line)
                    problems.append(Problem(rel, at, f"{where}.expected_sides", e.message))
                ok = False
        # A bad state of play is reported, but the topic stays: its articles are not wrong.
        name = topic_id or where
        parsers: dict[str, Callable[[Any], Any]] = {
            "state_of_play": partial(state_of_play, topic_id=name),
            "updated": partial(updated, topic_id=name),
        }
        values.update(parse_fields(rel, item, parsers, where, lines, (i,), line, problems))
        if ok:
            seen[topic_id] = lines.get((i, "id"), line)
            topics.append(Topic(**values))
    return topics


def _refused(value: str, what: str) -> str:
    try:
        check_slug(value, what)
    except FieldError as exc:
        return exc.message
    return ""


PEOPLE_FIELDS = ("name", "aliases", "description", "slug", "side")
PEOPLE_FILE = "content/people.yml"
SLUG_HINT = f"give this person a slug: in {PEOPLE_FILE}"


def load_people(
    root: Path,
    problems: list[Problem],
) -> tuple[list[Person], dict[str, tuple[str, str]], Iterable[str]]:
    """content/people.yml is optional: names, aliases, a line about each person and, if
    needed, their page name (slug:). Returns the valid people; by slug, the name that owns
    each page and where it is written ("content/people.yml:3"); and every name and alias
    listed, valid or not (normalised)."""
    rel = PEOPLE_FILE
    pages: dict[str, tuple[str, str]] = {}
    claimed: dict[str, tuple[str, int]] = {}  # name or alias (normalised) -> (person, line)
    if not os.path.lexists(root / rel):
        return [], pages, claimed.keys()
    parsed = read_yaml_file(root, rel, "people", problems)
    if parsed is None:
        return [], pages, claimed.keys()
    data, lines = parsed
    if data is None:
        return [], pages, claimed.keys()
    if not isinstance(data, list):
        problems.append(
            Problem(rel, 1, "people", f"expected a list of people, each with name: (got {type_name(data)})")
        )
        return [], pages, claimed.keys()
    people: list[Person] = []
    for i, item in enumerate(data):
        line = lines.get((i,), 1)
        where = f"people[{i + 1}]"
        if not isinstance(item, dict):
            problems.append(
                Problem(rel, line, where, f"expected name:, aliases: and description: (got {type_name(item)})")
            )
            continue
        before = len(problems)
        problems.extend(unknown_keys(rel, item, PEOPLE_FIELDS, where, lines, (i,), line))
        parsers: dict[str, Callable[[object], object]] = {
            "name": lambda v: text(v, SHORT_TEXT),
            "description": text,
            "aliases": lambda v: text_list(v, "names", SHORT_TEXT),
            "slug": lambda v: slug(v, "slug", "wang-yi-2"),
            "side": side,
        }
        values = parse_fields(rel, item, parsers, where, lines, (i,), line, problems)
        if not values.get("name"):
            if "name" not in item or "name" in values:
                problems.append(Problem(rel, line, f"{where}.name", "is missing or empty (every person needs a name:)"))
            continue
        name = values["name"]
        for j, alias in enumerate((name, *values.get("aliases", ()))):
            key = name_key(alias)
            alias_line = lines.get((i, "name") if j == 0 else (i, "aliases", j - 1), line)
            if key in claimed and claimed[key][0] != name:
                other, other_line = claimed[key]
                problems.append(
                    Problem(
                        rel,
                        alias_line,
                        f"{where}.{'name' if j == 0 else 'aliases'}",
                        f"{alias!r} already names {other} on line {other_line} (expected each name or alias once)",
                    )
                )
            claimed.setdefault(key, (name, alias_line))
        name_line = lines.get((i, "name"), line)
        page = values.get("slug") or person_slug(name)
        if len(problems) == before and "slug" not in values:
            reason = _person_page_problem(name, page, "add a slug: to this entry")
            if reason:
                problems.append(Problem(rel, name_line, f"{where}.name", reason))
        if len(problems) == before and page in pages:
            given = "slug" if "slug" in values else "name"
            problems.append(
                Problem(rel, lines.get((i, given), name_line), f"{where}.{given}", _clash(name, page, pages[page]))
            )
        if len(problems) == before:
            pages[page] = (name, f"{rel}:{name_line}")
            people.append(
                Person(
                    slug=page,
                    name=name,
                    aliases=tuple(values.get("aliases", ())),
                    description=values.get("description", ""),
                    side=values.get("side"),
                )
            )
    return people, pages, claimed.keys()


def _short(name: str, limit: int = 60) -> str:
    return name if len(name) <= limit else name[:limit] + "…"


def _person_page_problem(name: str, page: str, hint: str = SLUG_HINT) -> str:
    """Why a name's own slug cannot be its page name, or ""."""
    size = len(page.encode("utf-8"))
    if size > MAX_SLUG_BYTES:
        return (
            f"{_short(name)!r} makes a page name of {size:,} bytes (expected at most {MAX_SLUG_BYTES}: "
            f"shorten the name, or {hint})"
        )
    if page in WINDOWS_NAMES or page in SITE_NAMES:
        why = "a reserved file name on Windows" if page in WINDOWS_NAMES else "the name of a page the site builds"
        return f"{name!r} makes the page name {page!r}, {why} (expected another: {hint})"
    return ""


def _clash(name: str, page: str, first: tuple[str, str]) -> str:
    other, where = first
    return (
        f"{_short(name)!r} and {_short(other)!r} ({where}) would share the page people/{page}/ (expected one "
        f"page per person: if they are one person, list one as an alias of the other in {PEOPLE_FILE}; "
        f"if not, give one of them a slug: there)"
    )


def people_problems(
    people: list[Person], pages: dict[str, tuple[str, str]], listed: Iterable[str], articles: list[Article]
) -> list[Problem]:
    """Every name in an article's people: list gets a page, found here (not when pages are
    written) so check reports it: a name whose page name cannot be a file, and two different
    names that would share one page (王毅 and 汪毅 both give wang-yi). Names listed in
    people.yml are its business: reported there if wrong. Articles that are not drafts
    claim their names first, so a clash with a draft is the draft's problem."""
    index = PeopleIndex(tuple(people))
    pages = dict(pages)
    reported = set(listed)  # each bad name once, where it is first written
    problems = []
    for article in sorted(articles, key=lambda a: (a.draft, a.path)):
        for i, name in enumerate(article.people):
            if index.find(name) is not None or name_key(name) in reported:
                continue
            line = article.people_lines[i] if i < len(article.people_lines) else 1
            page = person_slug(name)
            reason = _person_page_problem(name, page)
            if reason:
                problems.append(Problem(article.path, line, "people", reason))
            elif page in pages:
                problems.append(Problem(article.path, line, "people", _clash(name, page, pages[page])))
            else:
                pages[page] = (name, f"{article.path}:{line}")
                index.resolve(name)
                continue
            reported.add(name_key(name))
    return problems
