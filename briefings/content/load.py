"""Load and validate the whole content folder, reporting every problem at once.

A draft's problems can be set aside instead (``load_content(set_aside=...)``,
for a build of the published articles): a file whose front matter says
``draft: true`` is work in progress, and is left out rather than stopping the
build. A file whose front matter cannot be read cannot be known to be a draft.
"""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol, TypeVar

from slugify import slugify

from briefings.content.fields import (
    ARTICLE_FIELDS,
    MAX_SLUG_BYTES,
    SLUG_RE,
    Field,
    FieldError,
    FieldErrors,
    check_slug,
    did_you_mean,
    item_path,
    known_topic,
    type_name,
)
from briefings.content.files import article_entries, unread_folders
from briefings.content.model import Article, Content, Topic
from briefings.content.outlets import OutletIndex, load_outlets
from briefings.content.registries import load_people, load_topics, people_problems
from briefings.content.source import (
    MAX_FILE_BYTES,
    SourceFile,
    source_from_bytes,
    stat_file,
)
from briefings.content.stories import load_stories
from briefings.errors import ContentError, Problem, ProjectError
from briefings.fileio import digest, read_bytes
from briefings.parallel import Workers

_T = TypeVar("_T")


class Track(Protocol):
    """Wraps the list of article files as they are read, e.g. with a progress bar."""

    def __call__(self, files: list[_T], /) -> Iterable[_T]: ...


class ArticleCache(Protocol):
    """Articles parsed by earlier runs (briefings.cache.BuildCache)."""

    def article(self, rel: str, stat: os.stat_result) -> Article | None: ...
    def keep(self, rel: str, stat: os.stat_result, file_digest: str, article: Article) -> None: ...
    def forget_missing(self, present: set[str]) -> None: ...
    def update(self, rel: str, article: Article) -> None: ...


def load_content(
    root: Path,
    *,
    max_file_bytes: int = MAX_FILE_BYTES,
    track: Track | None = None,
    cache: ArticleCache | None = None,
    workers: Workers = Workers(),
    set_aside: list[Problem] | None = None,
) -> Content:
    """Read content/topics.yml and content/articles/**/*.md.

    Raises ContentError listing every problem found, or ProjectError when the
    folders themselves are missing. ``track`` wraps the list of article files
    (the CLI's progress bar). ``cache`` holds articles parsed by earlier runs:
    an unchanged file is not read again. With a ``set_aside`` list, the
    problems of drafts go there instead, and those drafts are left out of the
    content; the problems of every other file are still raised.
    """
    content_dir = root / "content"
    if not content_dir.is_dir():
        raise ProjectError(
            f"{root}: no content/ folder (expected content/topics.yml and content/articles/; "
            "run briefings from a briefing site's folder, or pass --project DIR)"
        )
    problems: list[Problem] = []
    topics = load_topics(root, problems)
    outlets = OutletIndex(load_outlets(root, problems))
    inside = content_dir.resolve()
    articles_dir = content_dir / "articles"
    if os.path.lexists(articles_dir) and not articles_dir.is_dir():
        what = "a link to nothing" if not articles_dir.exists() else "a file"
        problems.append(
            Problem("content/articles", 1, "file", f"is {what}, not a folder (expected the folder of article files)")
        )
    files, links, folder_links = article_entries(root)  # paths as strings: 10,000 Path objects cost 0.03 s
    problems += unread_folders(root, folder_links)
    found: dict[str, Article] = {}  # by path, from the cache or parsed below
    drafts: set[str] = set()  # files whose front matter says draft: true, valid or not
    misses: list[tuple[Path, str]] = []
    prefix = len(str(root)) + 1
    for name in track(files) if track else files:
        rel = name[prefix:].replace(os.sep, "/")
        stat, problem = stat_file(name, rel)  # a FIFO, a device, a folder, a link loop: never opened
        if problem:
            problems.append(problem)
            continue
        assert stat is not None
        path = Path(name)
        if name in links and inside not in path.resolve().parents:
            problems.append(
                Problem(
                    rel,
                    1,
                    "file",
                    f"is a link to {path.resolve()}, outside content/ "
                    "(expected the article itself, or a link within content/)",
                )
            )
            continue
        size = stat.st_size
        if size > max_file_bytes:
            problems.append(
                Problem(
                    rel,
                    1,
                    "file",
                    f"is {size / 2**20:.1f} MB (expected at most "
                    f"{max_file_bytes / 2**20:g} MB; raise "
                    "extra.briefings.max_file_mb if needed)",
                )
            )
            continue
        hit = cache.article(rel, stat) if cache is not None else None
        if hit is not None:
            found[rel] = hit
            if hit.draft:
                drafts.add(rel)
        else:
            misses.append((path, rel))
    # Files not in the cache are parsed in worker processes when there are many.
    for (_, rel), (parsed, file_problems, draft) in zip(
        misses, workers.map(functools.partial(_parse_file, topics=tuple(topics)), misses), strict=True
    ):
        problems.extend(file_problems)
        if draft:
            drafts.add(rel)
        if parsed is not None:
            article, stat, digest_ = parsed
            found[rel] = article
            if cache is not None:
                cache.keep(rel, stat, digest_, article)
    articles = [with_outlet(rel, found[rel], outlets, cache) for rel in sorted(found)]
    if cache is not None:
        cache.forget_missing(set(found))
    problems.extend(duplicate_slugs(articles))
    problems.extend(duplicate_urls(articles))
    people, pages, listed = load_people(root, problems)
    problems.extend(people_problems(people, pages, listed, articles))
    stories = load_stories(root, articles, problems)
    if set_aside is not None:
        problems, left_out = split_drafts(problems, drafts)
        set_aside.extend(left_out)
        gone = {p.path for p in left_out}
        articles = [a for a in articles if a.path not in gone]
        # A story keeps its published members; one of left-out drafts only is no story this build.
        kept = (dataclasses.replace(s, articles=tuple(a for a in s.articles if a.path not in gone)) for s in stories)
        stories = [s for s in kept if s.articles]
    if problems:
        raise ContentError(problems)
    return Content(
        topics=tuple(topics),
        articles=tuple(sorted(articles, key=Article.sort_key)),
        people=tuple(people),
        outlets=outlets.outlets,
        stories=tuple(stories),
    )


def with_outlet(rel: str, article: Article, outlets: OutletIndex, cache: ArticleCache | None) -> Article:
    """The article with its outlet from outlets.yml. Resolved after the cache, as outlets.yml
    may have changed; the cache keeps the result, so an unchanged archive copies nothing."""
    outlet = outlets.outlet_of(article)
    if outlet == article.outlet:
        return article
    article = dataclasses.replace(article, outlet=outlet)
    if cache is not None:
        cache.update(rel, article)
    return article


def _parse_file(
    item: tuple[Path, str], topics: tuple[Topic, ...]
) -> tuple[tuple[Article, os.stat_result, str] | None, list[Problem], bool]:
    """Read and validate one file: ((the article, its file's stat, its digest) or None,
    its problems, whether its front matter says draft: true)."""
    path, rel = item
    problems: list[Problem] = []
    try:
        raw, stat = read_bytes(path)
    except OSError as exc:
        return None, [Problem(rel, 1, "file", f"cannot read the file: {exc.strerror}")], False
    source = source_from_bytes(raw, rel)
    article = load_article(source, list(topics), problems)
    return (article, stat, digest(raw)) if article is not None else None, problems, says_draft(source)


def says_draft(source: SourceFile) -> bool:
    """Does the front matter say ``draft: true``, whatever else is wrong with it? Only a
    mapping that YAML could read can say so: a file whose YAML does not parse cannot be
    known to be a draft."""
    return isinstance(source.data, dict) and source.data.get("draft") is True


def split_drafts(problems: list[Problem], drafts: set[str]) -> tuple[list[Problem], list[Problem]]:
    """(the problems of every other file, those of drafts). A problem between two files is
    pinned on the draft when one of them is one (``_duplicates``, ``people_problems``): the
    published article keeps its slug, url or name, and the draft is left out."""
    kept: list[Problem] = []
    left_out: list[Problem] = []
    for problem in problems:
        (left_out if problem.path in drafts else kept).append(problem)
    return kept, left_out


def load_article(source: SourceFile, topics: list[Topic], problems: list[Problem]) -> Article | None:
    """Validate one parsed file into an Article, appending every problem found."""
    rel = source.path
    if source.problems:
        problems.extend(source.problems)
        return None
    data = source.data
    if not isinstance(data, dict):
        what = "is empty" if data is None else f"is {type_name(data)}"
        problems.append(
            Problem(
                rel,
                source.line(),
                "front matter",
                f"{what} (expected fields such as title:, date:, source: and topics:)",
            )
        )
        return None

    before = len(problems)
    values: dict[str, Any] = {}
    for key, raw in data.items():
        spec = ARTICLE_FIELDS.get(key) if isinstance(key, str) else None
        if spec is None:
            hint = did_you_mean(str(key), ARTICLE_FIELDS)
            problems.append(
                Problem(
                    rel,
                    source.line(key),
                    str(key),
                    f"unknown field ({hint + ' ' if hint else ''}expected one of: {', '.join(ARTICLE_FIELDS)})",
                )
            )
            continue
        try:
            values[spec.attr or key] = spec.parse(raw)
        except FieldError as exc:
            problems.append(Problem(rel, source.line(key, *exc.at), _named(key, spec, exc), exc.message))
        except FieldErrors as exc:
            problems.extend(Problem(rel, source.line(key, *e.at), _named(key, spec, e), e.message) for e in exc.errors)
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

    if "corrections" in values and "published" in values:
        day = values["published"].date()
        for i, fix in enumerate(values["corrections"]):
            if fix.date < day:
                problems.append(
                    Problem(
                        rel,
                        source.line("corrections", i, "date"),
                        f"corrections[{i}].date",
                        f"{fix.date} is before the article's date {day} (expected the day the correction was made)",
                    )
                )
        values["corrections"] = tuple(sorted(values["corrections"], key=lambda fix: fix.date))

    if "story" in data:
        values["story_line"] = source.line("story")
    if "people" in values:
        values["people_lines"] = tuple(source.line("people", i) for i in range(len(values["people"])))

    if "slug" not in values:
        stem = Path(rel).stem
        # A name already in slug form is its own slug (slugify is slow, and called for every article).
        # slugify's output is ASCII: at most MAX_SLUG_BYTES characters is at most that many bytes.
        stem_slug = (
            stem
            if SLUG_RE.match(stem) and len(stem) <= MAX_SLUG_BYTES
            else slugify(stem, max_length=MAX_SLUG_BYTES, word_boundary=True)
        )
        if not stem_slug:
            problems.append(
                Problem(
                    rel,
                    1,
                    "slug",
                    "cannot be made from the file name (expected a file name with letters or digits, or a slug: field)",
                )
            )
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
    return _duplicates(
        articles,
        "slug",
        "{value!r} is already used by {first} (expected a unique slug: rename one file or give it a slug: field)",
    )


def duplicate_urls(articles: list[Article]) -> list[Problem]:
    """The same original article twice is almost always an accidental double import."""
    return _duplicates(
        articles,
        "url",
        "{value!r} is already the url of {first} (expected each original article once: merge the two files)",
    )


def _duplicates(articles: list[Article], field: str, message: str) -> list[Problem]:
    """A problem for every article whose ``field`` an earlier file already has: the
    articles that are not drafts come first, then by path, so a draft that clashes with
    a published article is the one told (and, in a build, left out)."""
    first: dict[str, str] = {}
    problems = []
    for article in sorted(articles, key=lambda a: (a.draft, a.path)):
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


def _named(key: str, spec: Field, exc: FieldError) -> str:
    """The field an error names: its key, or the item inside it for pointed fields (quotes[1].speaker)."""
    return item_path(key, exc.at) if spec.pointed else key
