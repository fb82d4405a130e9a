"""`briefings list` and `briefings topics`: the content as rows, and rows as text."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from typing import TypedDict

from briefings.content.fields import FieldError, known_topic, when
from briefings.content.model import Article, Content
from briefings.errors import BriefingsError
from briefings.pages.group import is_published

COLUMNS = ("date", "title", "source", "topics", "draft", "path")


class ListError(BriefingsError):
    """A filter names something that does not exist."""


def since_date(raw: str) -> dt.datetime:
    """--since: the same date formats as an article's date:."""
    try:
        return when(raw)
    except FieldError as exc:
        raise ListError(f"--since: {exc.message}") from None


def topic_id(content: Content, raw: str, option: str = "--topic") -> str:
    """A topic id as the curator typed it (any case), checked against topics.yml."""
    try:
        return known_topic(raw, [t.id for t in content.topics])
    except FieldError as exc:
        raise ListError(f"{option}: {exc.message}") from None


def select_articles(
    content: Content,
    *,
    topic: str | None = None,
    source: str | None = None,
    since: dt.datetime | None = None,
    drafts: bool = False,
    now: dt.datetime | None = None,
) -> list[Article]:
    """Newest first. Without ``drafts``, only what a build publishes."""
    now = now or dt.datetime.now(dt.UTC)
    wanted = topic_id(content, topic) if topic else None
    chosen = []
    for article in content.articles:
        if not drafts and not is_published(article, now):
            continue
        if wanted and wanted not in article.topics:
            continue
        if source and article.source.casefold() != source.strip().casefold():
            continue
        if since and article.date < since.date():
            continue
        chosen.append(article)
    return chosen


class ArticleRow(TypedDict):
    """One article in `briefings list --format json`."""

    date: str
    title: str
    source: str
    topics: list[str]
    draft: bool
    path: str
    url: str


def article_row(article: Article) -> ArticleRow:
    return {
        "date": article.date.isoformat(),
        "title": article.title,
        "source": article.source,
        "topics": list(article.topics),
        "draft": article.draft,
        "path": article.path,
        "url": article.url,
    }


def as_json(articles: list[Article]) -> str:
    return json.dumps([article_row(a) for a in articles], ensure_ascii=False, indent=2) + "\n"


def as_csv(articles: list[Article]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*COLUMNS, "url"])
    for a in articles:
        row = article_row(a)
        writer.writerow(
            [
                row["date"],
                row["title"],
                row["source"],
                " ".join(row["topics"]),
                "yes" if row["draft"] else "",
                row["path"],
                row["url"],
            ]
        )
    return out.getvalue()


def as_table(articles: list[Article], *, width: int | None = None) -> str:
    """Titles are cut to fit ``width`` (a terminal's); with None, nothing is ever cut."""
    rows = [
        [a.date.isoformat(), a.title, a.source, ", ".join(a.topics), "draft" if a.draft else "", a.path]
        for a in articles
    ]
    return table([c.upper() for c in COLUMNS], rows, width=width, shrink=1)


@dataclass(frozen=True)
class TopicStats:
    id: str
    title: str
    count: int
    latest: dt.date | None


def topic_stats(content: Content, articles: list[Article]) -> list[TopicStats]:
    """Each topic in topics.yml order, with how many of ``articles`` it has and the newest date."""
    stats = []
    for topic in content.topics:
        mine = [a for a in articles if topic.id in a.topics]
        stats.append(TopicStats(topic.id, topic.title, len(mine), max((a.date for a in mine), default=None)))
    return stats


class TopicRow(TypedDict):
    """One topic in `briefings topics --format json`."""

    id: str
    title: str
    articles: int
    latest: str | None


def topic_row(stats: TopicStats) -> TopicRow:
    return {
        "id": stats.id,
        "title": stats.title,
        "articles": stats.count,
        "latest": stats.latest.isoformat() if stats.latest else None,
    }


def topics_json(stats: list[TopicStats]) -> str:
    return json.dumps([topic_row(s) for s in stats], ensure_ascii=False, indent=2) + "\n"


def topics_csv(stats: list[TopicStats]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "title", "articles", "latest"])
    for s in stats:
        writer.writerow([s.id, s.title, s.count, s.latest.isoformat() if s.latest else ""])
    return out.getvalue()


def topics_table(stats: list[TopicStats], *, width: int | None = None) -> str:
    rows = [[s.id, s.title, str(s.count), s.latest.isoformat() if s.latest else "-"] for s in stats]
    return table(["ID", "TITLE", "ARTICLES", "LATEST"], rows, width=width, shrink=1)


def table(header: list[str], rows: list[list[str]], *, width: int | None, shrink: int | None = None) -> str:
    """Left-aligned columns two spaces apart. Column ``shrink`` is cut with … (to no fewer
    than 20 characters) to fit ``width``, a terminal's; with no width, nothing is cut, so
    a pipe or a file gets every character."""
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    if shrink is not None and width is not None:
        spare = width - (sum(widths) + 2 * (len(widths) - 1))
        if spare < 0:
            widths[shrink] = max(len(header[shrink]), min(widths[shrink], 20), widths[shrink] + spare)

    def line(cells: list[str]) -> str:
        out = []
        for i, cell in enumerate(cells):
            shown = cell[: widths[i] - 1] + "…" if len(cell) > widths[i] else cell
            out.append(shown.ljust(widths[i]))
        return "  ".join(out).rstrip()

    return "\n".join([line(header)] + [line(r) for r in rows]) + "\n"
