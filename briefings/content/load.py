"""Load and validate the whole content folder, reporting every problem at once."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from slugify import slugify

from briefings.cache import Cache, digest
from briefings.errors import ContentError, Problem, ProjectError
from briefings.content.fields import (
    ARTICLE_FIELDS, MAX_SLUG_BYTES, SHORT_TEXT, SITE_NAMES, SLUG_RE, TOPIC_FIELDS, WINDOWS_NAMES, FieldError,
    FieldErrors, check_slug, did_you_mean, known_topic, slug, text, text_list, type_name,
)
from briefings.fileio import read_bytes
from briefings.content.model import Article, Content, Person, Topic
from briefings.parallel import pmap
from briefings.content.people import PeopleIndex, name_key, person_slug
from briefings.content.source import SourceFile, YamlProblem, decode, parse_yaml, source_from_bytes, stat_file

MAX_FILE_BYTES = 5 * 1024 * 1024


def load_content(root: Path, *, max_file_bytes: int = MAX_FILE_BYTES,
                 track: Callable[[list[Path]], Iterable[Path]] | None = None,
                 cache: Cache | None = None) -> Content:
    """Read content/topics.yml and content/articles/**/*.md.

    Raises ContentError listing every problem found, or ProjectError when the
    folders themselves are missing. ``track`` wraps the list of article files
    (the CLI's progress bar). ``cache`` holds articles parsed by earlier runs:
    an unchanged file is not read again.
    """
    content_dir = root / "content"
    if not content_dir.is_dir():
        raise ProjectError(f"{root}: no content/ folder (expected content/topics.yml and content/articles/; "
                           "run briefings from a briefing site's folder, or pass --project DIR)")
    problems: list[Problem] = []
    topics = load_topics(root, problems)
    inside = content_dir.resolve()
    files = article_files(root)
    found: dict[str, Article] = {}  # by path, from the cache or parsed below
    misses: list[tuple[Path, str]] = []
    prefix = len(str(root)) + 1
    for path in track(files) if track else files:
        rel = str(path)[prefix:].replace(os.sep, "/")
        stat, problem = stat_file(path, rel)  # a FIFO, a device, a folder, a link loop: never opened
        if problem:
            problems.append(problem)
            continue
        assert stat is not None
        if os.path.islink(path) and inside not in path.resolve().parents:
            problems.append(Problem(rel, 1, "file", f"is a link to {path.resolve()}, outside content/ "
                                                    "(expected the article itself, or a link within content/)"))
            continue
        size = stat.st_size
        if size > max_file_bytes:
            problems.append(Problem(rel, 1, "file", f"is {size / 2**20:.1f} MB (expected at most "
                                                    f"{max_file_bytes / 2**20:g} MB; raise extra.briefings.max_file_mb if needed)"))
            continue
        hit = cache.article(rel, stat) if cache is not None else None
        if hit is not None:
            found[rel] = hit
        else:
            misses.append((path, rel))
    # Files not in the cache are parsed in worker processes when there are many.
    for (path, rel), (article, file_problems, stat, digest_) in zip(
            misses, pmap(functools.partial(_parse_file, topics=tuple(topics)), misses)):
        problems.extend(file_problems)
        if article is not None:
            found[rel] = article
            if cache is not None:
                cache.keep(rel, stat, digest_, article)
    articles = [found[rel] for rel in sorted(found)]
    if cache is not None:
        cache.forget_missing(set(found))
    problems.extend(duplicate_slugs(articles))
    problems.extend(duplicate_urls(articles))
    people, pages, listed = load_people(root, problems)
    problems.extend(people_problems(people, pages, listed, articles))
    if problems:
        raise ContentError(problems)
    return Content(topics=tuple(topics), articles=tuple(sorted(articles, key=Article.sort_key)),
                   people=tuple(people))


def _parse_file(item: tuple[Path, str], topics: tuple[Topic, ...]):
    """Read and validate one file: (article or None, its problems, its stat, its digest)."""
    path, rel = item
    problems: list[Problem] = []
    try:
        raw, stat = read_bytes(path)
    except OSError as exc:
        return None, [Problem(rel, 1, "file", f"cannot read the file: {exc.strerror}")], None, ""
    article = load_article(source_from_bytes(raw, rel), list(topics), problems)
    return article, problems, stat, digest(raw)


def article_files(root: Path) -> list[Path]:
    """Every *.md entry under content/articles, in sorted order so runs are
    deterministic. (os.walk: directory entries carry their type, so a big
    archive is listed without a stat per file; it does not follow links to
    folders, so a link loop cannot make it go round.) Entries that are not
    regular files are listed too: the loader reports them."""
    articles_dir = root / "content" / "articles"
    found = []
    for folder, dirs, files in os.walk(articles_dir):
        found.extend(os.path.join(folder, name) for name in (*files, *dirs) if name.endswith(".md"))
    return [Path(p) for p in sorted(found)]


def read_yaml_file(root: Path, rel: str, what: str, problems: list[Problem]):
    """A YAML file of the content folder as (data, lines), or None after a problem."""
    info, problem = stat_file(root / rel, rel, "a YAML file")
    if problem is None and info is not None and info.st_size > MAX_FILE_BYTES:
        problem = Problem(rel, 1, "file", f"is {info.st_size / 2**20:.1f} MB "
                                          f"(expected at most {MAX_FILE_BYTES / 2**20:g} MB)")
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


def _entry_field(what: str, path: tuple) -> str:
    """("topics", 0, "title") or (0, "title") in topics.yml -> topics[1].title, as entries are named."""
    if path and path[0] == what:  # the {topics: [...]} form
        path = path[1:]
    if not path or not isinstance(path[0], int):
        return what
    return f"{what}[{path[0] + 1}]" + (f".{path[1]}" if len(path) > 1 else "")


def unknown_keys(rel: str, item: dict, allowed: tuple[str, ...], where: str, line_of) -> list[Problem]:
    """A problem, with a did-you-mean hint, for each key of a topics.yml or people.yml entry not in ``allowed``."""
    problems = []
    for key in item:
        if key not in allowed:
            hint = did_you_mean(str(key), allowed)
            problems.append(Problem(rel, line_of(key), f"{where}.{key}",
                                    f"unknown key ({hint + ' ' if hint else ''}expected one of: {', '.join(allowed)})"))
    return problems


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
        problems.append(Problem(rel, 1, "topics", f"expected a list of topics, each with id: and title: (got {type_name(data)})"))
        return []

    topics: list[Topic] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(data):
        line = lines.get((i,), 1)
        where = f"topics[{i + 1}]"
        if not isinstance(item, dict):
            problems.append(Problem(rel, line, where, f"expected id:, title: and description: (got {type_name(item)})"))
            continue
        unknown = unknown_keys(rel, item, TOPIC_FIELDS, where, lambda key: lines.get((i, key), line))
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
                problems.append(Problem(rel, lines.get((i, key), line), f"{where}.{key}", "is empty (expected some text)"))
                ok = False
        topic_id = values.get("id", "")
        if topic_id and not SLUG_RE.match(topic_id):
            problems.append(Problem(rel, lines.get((i, "id"), line), f"{where}.id",
                                    f"{topic_id!r} is not a valid id (expected lowercase letters, digits and hyphens, e.g. us-china)"))
            ok = False
        elif topic_id and (reason := _refused(topic_id, "id")):
            problems.append(Problem(rel, lines.get((i, "id"), line), f"{where}.id", reason))
            ok = False
        elif topic_id in seen:
            problems.append(Problem(rel, lines.get((i, "id"), line), f"{where}.id",
                                    f"{topic_id!r} is already used by the topic on line {seen[topic_id]} (expected unique ids)"))
            ok = False
        try:
            values["description"] = text(item.get("description", ""))
        except FieldError as exc:
            problems.append(Problem(rel, lines.get((i, "description"), line), f"{where}.description", exc.message))
            ok = False
        try:
            values["keywords"] = text_list(item["keywords"], "words or phrases") if "keywords" in item else ()
        except FieldError as exc:
            problems.append(Problem(rel, lines.get((i, "keywords", *exc.at), line), f"{where}.keywords", exc.message))
            ok = False
        except FieldErrors as exc:
            problems.extend(Problem(rel, lines.get((i, "keywords", *e.at), line), f"{where}.keywords", e.message)
                            for e in exc.errors)
            ok = False
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


PEOPLE_FIELDS = ("name", "aliases", "description", "slug")
PEOPLE_FILE = "content/people.yml"
SLUG_HINT = f"give this person a slug: in {PEOPLE_FILE}"


def load_people(root: Path, problems: list[Problem],
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
        problems.append(Problem(rel, 1, "people", f"expected a list of people, each with name: (got {type_name(data)})"))
        return [], pages, claimed.keys()
    people: list[Person] = []
    for i, item in enumerate(data):
        line = lines.get((i,), 1)
        where = f"people[{i + 1}]"
        if not isinstance(item, dict):
            problems.append(Problem(rel, line, where, f"expected name:, aliases: and description: (got {type_name(item)})"))
            continue
        before = len(problems)
        problems.extend(unknown_keys(rel, item, PEOPLE_FIELDS, where, lambda key: lines.get((i, key), line)))
        values: dict[str, Any] = {}
        parsers = {"name": lambda v: text(v, SHORT_TEXT), "description": text,
                   "aliases": lambda v: text_list(v, "names", SHORT_TEXT),
                   "slug": lambda v: slug(v, "slug", "wang-yi-2")}
        for key, parse in parsers.items():
            if key not in item:
                continue
            try:
                values[key] = parse(item[key])
            except FieldError as exc:
                problems.append(Problem(rel, lines.get((i, key, *exc.at), line), f"{where}.{key}", exc.message))
            except FieldErrors as exc:
                problems.extend(Problem(rel, lines.get((i, key, *e.at), line), f"{where}.{key}", e.message)
                                for e in exc.errors)
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
                problems.append(Problem(rel, alias_line, f"{where}.{'name' if j == 0 else 'aliases'}",
                                        f"{alias!r} already names {other} on line {other_line} (expected each name or alias once)"))
            claimed.setdefault(key, (name, alias_line))
        name_line = lines.get((i, "name"), line)
        page = values.get("slug") or person_slug(name)
        if len(problems) == before and "slug" not in values:
            reason = _person_page_problem(name, page, "add a slug: to this entry")
            if reason:
                problems.append(Problem(rel, name_line, f"{where}.name", reason))
        if len(problems) == before and page in pages:
            given = "slug" if "slug" in values else "name"
            problems.append(Problem(rel, lines.get((i, given), name_line), f"{where}.{given}",
                                    _clash(name, page, pages[page])))
        if len(problems) == before:
            pages[page] = (name, f"{rel}:{name_line}")
            people.append(Person(slug=page, name=name, aliases=tuple(values.get("aliases", ())),
                                 description=values.get("description", "")))
    return people, pages, claimed.keys()


def _short(name: str, limit: int = 60) -> str:
    return name if len(name) <= limit else name[:limit] + "…"


def _person_page_problem(name: str, page: str, hint: str = SLUG_HINT) -> str:
    """Why a name's own slug cannot be its page name, or ""."""
    size = len(page.encode("utf-8"))
    if size > MAX_SLUG_BYTES:
        return (f"{_short(name)!r} makes a page name of {size:,} bytes (expected at most {MAX_SLUG_BYTES}: "
                f"shorten the name, or {hint})")
    if page in WINDOWS_NAMES or page in SITE_NAMES:
        why = "a reserved file name on Windows" if page in WINDOWS_NAMES else "the name of a page the site builds"
        return f"{name!r} makes the page name {page!r}, {why} (expected another: {hint})"
    return ""


def _clash(name: str, page: str, first: tuple[str, str]) -> str:
    other, where = first
    return (f"{_short(name)!r} and {_short(other)!r} ({where}) would share the page people/{page}/ (expected one "
            f"page per person: if they are one person, list one as an alias of the other in {PEOPLE_FILE}; "
            f"if not, give one of them a slug: there)")


def people_problems(people: list[Person], pages: dict[str, tuple[str, str]], listed: Iterable[str],
                    articles: list[Article]) -> list[Problem]:
    """Every name in an article's people: list gets a page, found here (not when pages are
    written) so check reports it: a name whose page name cannot be a file, and two different
    names that would share one page (王毅 and 汪毅 both give wang-yi). Names listed in
    people.yml are its business: reported there if wrong."""
    index = PeopleIndex(tuple(people))
    pages = dict(pages)
    reported = set(listed)  # each bad name once, where it is first written
    problems = []
    for article in sorted(articles, key=lambda a: a.path):
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


def load_article(source: SourceFile, topics: list[Topic], problems: list[Problem]) -> Article | None:
    """Validate one parsed file into an Article, appending every problem found."""
    rel = source.path
    if source.problems:
        problems.extend(source.problems)
        return None
    data = source.data
    if not isinstance(data, dict):
        what = "is empty" if data is None else f"is {type_name(data)}"
        problems.append(Problem(rel, source.line(), "front matter",
                                f"{what} (expected fields such as title:, date:, source: and topics:)"))
        return None

    before = len(problems)
    values: dict[str, Any] = {}
    for key, raw in data.items():
        spec = ARTICLE_FIELDS.get(key) if isinstance(key, str) else None
        if spec is None:
            hint = did_you_mean(str(key), ARTICLE_FIELDS)
            problems.append(Problem(rel, source.line(key), str(key),
                                    f"unknown field ({hint + ' ' if hint else ''}expected one of: {', '.join(ARTICLE_FIELDS)})"))
            continue
        try:
            values[spec.attr or key] = spec.parse(raw)
        except FieldError as exc:
            problems.append(Problem(rel, source.line(key, *exc.at), key, exc.message))
        except FieldErrors as exc:
            problems.extend(Problem(rel, source.line(key, *e.at), key, e.message) for e in exc.errors)
    for key, spec in ARTICLE_FIELDS.items():
        if spec.required and key not in data:
            problems.append(Problem(rel, source.line(), key, f"is missing (every article needs {_required_list()})"))

    if "topics" in values and topics:  # with no usable topics.yml, that is the one problem to report
        known = {t.id for t in topics}
        ids = []
        for i, ref in enumerate(values["topics"]):
            try:
                topic_id = known_topic(ref, known)  # "Taiwan" and "taiwan" name one topic
            except FieldError as exc:
                problems.append(Problem(rel, source.line("topics", i), "topics", exc.message))
                continue
            if topic_id not in ids:
                ids.append(topic_id)
        values["topics"] = tuple(ids)

    if "people" in values:
        values["people_lines"] = tuple(source.line("people", i) for i in range(len(values["people"])))

    if "slug" not in values:
        stem = Path(rel).stem
        # A name already in slug form is its own slug (slugify is slow, and called for every article).
        # slugify's output is ASCII: at most MAX_SLUG_BYTES characters is at most that many bytes.
        stem_slug = stem if SLUG_RE.match(stem) and len(stem) <= MAX_SLUG_BYTES else slugify(
            stem, max_length=MAX_SLUG_BYTES, word_boundary=True)
        if not stem_slug:
            problems.append(Problem(rel, 1, "slug", "cannot be made from the file name (expected a file name with letters or digits, or a slug: field)"))
        else:
            try:
                check_slug(stem_slug)
            except FieldError as exc:
                problems.append(Problem(rel, 1, "slug", f"from the file name: {exc.message}"))
        values["slug"] = stem_slug

    if len(problems) > before:
        return None
    return Article(path=rel, body=source.body, **values)


def duplicate_slugs(articles: list[Article]) -> list[Problem]:
    return _duplicates(articles, "slug", "{value!r} is already used by {first} "
                                         "(expected a unique slug: rename one file or give it a slug: field)")


def duplicate_urls(articles: list[Article]) -> list[Problem]:
    """The same original article twice is almost always an accidental double import."""
    return _duplicates(articles, "url", "{value!r} is already the url of {first} "
                                        "(expected each original article once: merge the two files)")


def _duplicates(articles: list[Article], field: str, message: str) -> list[Problem]:
    """A problem for every article whose ``field`` an earlier file (by path) already has."""
    first: dict[str, str] = {}
    problems = []
    for article in sorted(articles, key=lambda a: a.path):
        value = getattr(article, field)
        if not value:
            continue
        if value in first:
            problems.append(Problem(article.path, 1, field, message.format(value=value, first=first[value])))
        else:
            first[value] = article.path
    return problems


def _required_list() -> str:
    return ", ".join(f"{k}:" for k, f in ARTICLE_FIELDS.items() if f.required)
