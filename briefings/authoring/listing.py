"""`briefings list`, `briefings topics` and `briefings outlets`: the content as rows, and rows as text."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import Counter
from dataclasses import dataclass
from typing import TypedDict

from briefings.content.fields import FieldError, known_topic, when
from briefings.content.model import Article, Content, Outlet
from briefings.content.outlets import DESK_SOURCE, OUTLETS_FILE, UnknownOutlet, is_desk, unknown_outlets
from briefings.errors import BriefingsError
from briefings.pages.group import is_published

COLUMNS = ("date", "title", "source", "topics", "draft")


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
    writer.writerow([*COLUMNS, "path", "url"])
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


def as_table(articles: list[Article], *, width: int = 100) -> str:
    rows = [[a.date.isoformat(), a.title, a.source, ", ".join(a.topics), "draft" if a.draft else ""] for a in articles]
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


def topics_table(stats: list[TopicStats]) -> str:
    rows = [[s.id, s.title, str(s.count), s.latest.isoformat() if s.latest else "-"] for s in stats]
    return table(["ID", "TITLE", "ARTICLES", "LATEST"], rows, width=10_000)


def table(header: list[str], rows: list[list[str]], *, width: int, shrink: int | None = None) -> str:
    """Left-aligned columns two spaces apart; column ``shrink`` is cut with … to fit ``width``."""
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    if shrink is not None:
        spare = width - (sum(widths) + 2 * (len(widths) - 1))
        if spare < 0:
            widths[shrink] = max(len(header[shrink]), widths[shrink] + spare, 20)

    def line(cells: list[str]) -> str:
        out = []
        for i, cell in enumerate(cells):
            shown = cell[: widths[i] - 1] + "…" if len(cell) > widths[i] else cell
            out.append(shown.ljust(widths[i]))
        return "  ".join(out).rstrip()

    return "\n".join([line(header)] + [line(r) for r in rows]) + "\n"


@dataclass(frozen=True)
class OutletReport:
    """`briefings outlets`: each outlet of outlets.yml with its articles, the sources that
    match none, and how many of the articles are our own notes."""

    counts: list[tuple[Outlet, int]]  # in outlets.yml order
    unknown: list[UnknownOutlet]
    desk_notes: int


def outlet_report(content: Content, articles: list[Article]) -> OutletReport:
    counts = Counter(a.outlet.id for a in articles if a.outlet is not None)
    return OutletReport(
        [(o, counts[o.id]) for o in content.outlets],
        unknown_outlets(articles),
        sum(1 for a in articles if is_desk(a.source)),
    )


OUTLET_COLUMNS = ("status", "id", "name", "country", "type", "language", "side", "domains", "articles")


def outlet_rows(report: OutletReport) -> list[list[str]]:
    """One row per outlet, unknown source and (if any) our desk's notes, as CSV writes them."""
    rows = [
        ["listed", o.id, o.name, o.country, o.type, o.language, o.side, " ".join(o.domains), str(n)]
        for o, n in report.counts
    ]
    rows += [
        ["unknown", "", u.source, "", "", "", "", " ".join(u.domains), str(len(u.articles))] for u in report.unknown
    ]
    if report.desk_notes:
        rows.append(["desk", "", DESK_SOURCE, "", "", "", "", "", str(report.desk_notes)])
    return rows


def outlets_csv(report: OutletReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(OUTLET_COLUMNS)
    writer.writerows(outlet_rows(report))
    return out.getvalue()


def outlets_json(report: OutletReport) -> str:
    data = {
        "outlets": [
            {
                "id": o.id,
                "name": o.name,
                "aliases": list(o.aliases),
                "domains": list(o.domains),
                "country": o.country,
                "type": o.type,
                "language": o.language,
                "side": o.side,
                "owner": o.owner,
                "note": o.note,
                "articles": n,
            }
            for o, n in report.counts
        ],
        "unknown": [
            {
                "source": u.source,
                "domains": list(u.domains),
                "articles": len(u.articles),
                "paths": [a.path for a in u.articles],
                "suggestion": u.suggestion(),
            }
            for u in report.unknown
        ],
        "desk_notes": report.desk_notes,
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def outlets_table(report: OutletReport) -> str:
    rows = [[o.id, o.name, o.country, o.type, o.side, str(n)] for o, n in report.counts]
    text = (
        table(["ID", "NAME", "COUNTRY", "TYPE", "SIDE", "ARTICLES"], rows, width=10_000)
        if rows
        else f"No outlets in {OUTLETS_FILE}.\n"
    )
    if report.unknown:
        rows = [[u.source, ", ".join(u.domains) or "-", str(len(u.articles))] for u in report.unknown]
        text += f"\nUnknown: sources that match no outlet in {OUTLETS_FILE} (`briefings check` suggests entries)\n"
        text += table(["SOURCE", "DOMAINS", "ARTICLES"], rows, width=10_000)
    notes = report.desk_notes
    text += f"\n{notes} desk note{'s' if notes != 1 else ''} (source: {DESK_SOURCE}): ours, not an outlet's.\n"
    return text
