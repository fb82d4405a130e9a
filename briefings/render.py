"""Render an Edition into Markdown pages for MkDocs. Pure: returns {path: text}.

Each page is front matter plus Markdown. Listings and headers are drawn by the
templates in theme/ from the page's ``briefing:`` front matter; the Markdown
body carries what readers should find with search (summaries, key points,
quotes, the article text).

Escaping rule: Material prints ``title``, ``description``, tag names and nav
titles without escaping, so those are HTML-escaped here. Everything under
``briefing:`` stays raw and the templates escape it with ``|e``. Plain-text
fields put into the Markdown body go in as escaped HTML blocks, so Markdown
and HTML in a summary are shown as text, never interpreted.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from typing import Any

import yaml

from briefings.group import by_month, neighbours
from briefings.model import Article, Edition, Topic

try:
    from yaml import CSafeDumper as _Dumper
except ImportError:  # pragma: no cover
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]

MONTHS = ("January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December")
LATEST_ON_HOME = 8
HEADLINES_PER_CARD = 3
DESCRIPTION_MAX = 300


@dataclass(frozen=True)
class Pages:
    """The generated Markdown tree and the navigation that goes with it."""

    files: dict[str, str]  # path inside the docs folder -> Markdown text
    nav: list[Any]  # MkDocs ``nav`` value
    sources: dict[str, str]  # generated article page -> the content file it came from


def render(edition: Edition) -> Pages:
    files: dict[str, str] = {}
    files["index.md"] = home_page(edition)
    files["topics/index.md"] = topics_index_page(edition)
    for briefing in edition.briefings:
        files[f"topics/{briefing.topic.id}.md"] = topic_page(edition, briefing)
    around = {b.topic.id: neighbours(b) for b in edition.briefings}
    for article in edition.articles:
        files[f"articles/{article.slug}.md"] = article_page(edition, article, around)
    files["timeline.md"] = timeline_page(edition)
    files["sources.md"] = sources_page(edition)
    files["tags.md"] = page({"title": "Tags", "hide": ["toc"]},
                            '<p class="bf-lede">Every article by topic tag.</p>\n\n<!-- material/tags -->\n')
    sources = {f"articles/{a.slug}.md": a.path for a in edition.articles}
    return Pages(files=files, nav=navigation(edition), sources=sources)


def navigation(edition: Edition) -> list[Any]:
    """Home, Topics, Timeline, Sources. Articles are never listed: Material copies
    the navigation into every page, so listing them makes the build quadratic."""
    return [
        {"Home": "index.md"},
        {"Topics": ["topics/index.md"] + [{esc(t.title): f"topics/{t.id}.md"} for t in edition.topics]},
        {"Timeline": "timeline.md"},
        {"Sources": "sources.md"},
    ]


# --- pages -------------------------------------------------------------------

def home_page(edition: Edition) -> str:
    meta = {
        "title": "Home",
        "hide": ["toc"],
        "template": "home.html",
        "briefing": {
            "latest": [entry(edition, a, brief=True) for a in edition.articles[:LATEST_ON_HOME]],
            "topics": topic_cards(edition),
        },
    }
    return page(meta, "")


def topics_index_page(edition: Edition) -> str:
    meta = {
        "title": "Topics",
        "hide": ["toc"],
        "template": "topics.html",
        "briefing": {"topics": topic_cards(edition)},
    }
    return page(meta, "")


def topic_cards(edition: Edition) -> list[dict]:
    return [
        {
            "title": b.topic.title,
            "url": b.topic.url,
            "description": b.topic.description,
            "count": len(b.articles),
            "latest": day(b.articles[0].date) if b.articles else None,
            "headlines": [
                {"title": a.title, "url": a.page_url, "date": day(a.date), "draft": a.draft}
                for a in b.articles[:HEADLINES_PER_CARD]
            ],
        }
        for b in edition.briefings
    ]


def topic_page(edition: Edition, briefing) -> str:
    topic: Topic = briefing.topic
    meta = {
        "title": esc(topic.title),
        **description(topic.description),
        "hide": ["toc"],
        "template": "topic.html",
        "briefing": {
            "topic": {"id": topic.id, "title": topic.title},
            "count": len(briefing.articles),
            "latest": day(briefing.articles[0].date) if briefing.articles else None,
            "months": [
                {"label": month_label(month), "id": month.strftime("%Y-%m"),
                 "entries": [entry(edition, a, context=topic.id) for a in items]}
                for month, items in by_month(briefing.articles)
            ],
        },
    }
    body = f'<p class="bf-lede">{esc(topic.description)}</p>\n' if topic.description else ""
    return page(meta, body)


def article_page(edition: Edition, article: Article, around: dict) -> str:
    more = []
    for topic_id in article.topics:
        newer, older = around[topic_id][article.slug]
        more.append({
            "topic": edition.topic(topic_id).title,
            "url": edition.topic(topic_id).url,
            "newer": link(newer),
            "older": link(older),
        })
    info: dict[str, Any] = {
        "source": article.source,
        "authors": list(article.authors),
        "date": day(article.date),
        "datetime": article.date.isoformat(),
        "section": article.section,
        "url": article.url,
        "draft": article.draft,
        "topics": [{"title": edition.topic(t).title, "url": edition.topic(t).url} for t in article.topics],
        "more": more,
    }
    if article.updated:
        info["updated"] = day(article.updated.date())
        info["updated_datetime"] = article.updated.date().isoformat()
    if article.image and (article.image.caption or article.image.credit):
        info["image"] = {"caption": article.image.caption, "credit": article.image.credit}
    meta = {
        "title": esc(article.title),
        **description(article.summary),
        "template": "article.html",
        "tags": [esc(edition.topic(t).title) for t in article.topics],
        "briefing": info,
    }
    return page(meta, article_body(article))


def article_body(article: Article) -> str:
    parts = []
    if article.summary:
        parts.append(f'<p class="bf-summary">{esc(article.summary)}</p>')
    if article.key_points:
        items = "\n".join(f"<li>{esc(p)}</li>" for p in article.key_points)
        parts.append(f'## Key points\n\n<ul class="bf-key-points">\n{items}\n</ul>')
    if article.why_it_matters:
        parts.append(f'## Why it matters\n\n<p class="bf-why">{esc(article.why_it_matters)}</p>')
    if article.body.strip():
        heading = "## In detail\n\n" if parts else ""
        parts.append(heading + article.body.strip())
    if article.quotes:
        quotes = "\n".join(
            f'<figure class="bf-quote"><blockquote><p>“{esc(q.text)}”</p></blockquote>'
            f'<figcaption>{esc(q.speaker)}</figcaption></figure>'
            for q in article.quotes
        )
        parts.append(f"## Quotes\n\n<div class=\"bf-quotes\">\n{quotes}\n</div>")
    if article.people:
        people = "\n".join(f"<li>{esc(p)}</li>" for p in article.people)
        parts.append(f'## People\n\n<ul class="bf-people">\n{people}\n</ul>')
    return "\n\n".join(parts) + "\n" if parts else ""


def timeline_page(edition: Edition) -> str:
    meta = {
        "title": "Timeline",
        "description": esc("Every article, newest first, across all topics."),
        "hide": ["toc"],
        "template": "timeline.html",
        "briefing": {
            "count": len(edition.articles),
            "months": [
                {"label": month_label(month), "id": month.strftime("%Y-%m"),
                 "entries": [entry(edition, a, brief=True) for a in items]}
                for month, items in by_month(edition.articles)
            ],
        },
    }
    return page(meta, "")


def sources_page(edition: Edition) -> str:
    meta = {
        "title": "Sources",
        "description": esc("The outlets behind the briefings, with their articles."),
        "hide": ["toc"],
        "template": "sources.html",
        "briefing": {
            "sources": [
                {"name": s.name, "count": len(s.articles),
                 "articles": [{"title": a.title, "url": a.page_url, "date": day(a.date), "draft": a.draft}
                              for a in s.articles]}
                for s in edition.sources
            ],
        },
    }
    return page(meta, "")


# --- pieces ------------------------------------------------------------------

def entry(edition: Edition, article: Article, *, context: str | None = None, brief: bool = False) -> dict:
    """One article as a listing entry. ``context`` is the topic page it appears on."""
    item: dict[str, Any] = {
        "title": article.title,
        "url": article.page_url,
        "date": day(article.date),
        "datetime": article.date.isoformat(),
        "source": article.source,
        "authors": list(article.authors),
        "summary": article.summary,
        "draft": article.draft,
        "topics": [
            {"title": edition.topic(t).title, "url": edition.topic(t).url}
            for t in article.topics if t != context
        ],
    }
    if not brief:
        item["key_points"] = list(article.key_points)
        item["why_it_matters"] = article.why_it_matters
    return item


def link(article: Article | None) -> dict | None:
    if article is None:
        return None
    return {"title": article.title, "url": article.page_url, "date": day(article.date)}


def description(text: str) -> dict:
    if not text:
        return {}
    if len(text) > DESCRIPTION_MAX:
        text = text[: DESCRIPTION_MAX - 1].rsplit(" ", 1)[0] + "…"
    return {"description": esc(text)}


def page(meta: dict, body: str) -> str:
    front = yaml.dump(meta, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000)
    return f"---\n{front}---\n\n{body}"


def esc(text: str) -> str:
    """HTML-escape one line of plain text (newlines folded to spaces)."""
    return html.escape(" ".join(text.split()), quote=True)


def day(date: dt.date) -> str:
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def month_label(date: dt.date) -> str:
    return f"{MONTHS[date.month - 1]} {date.year}"
