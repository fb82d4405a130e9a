"""Render an Edition into Markdown pages and feeds for MkDocs. Pure: returns {path: text}.

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
import json
import math
import re
from dataclasses import dataclass
from typing import Any

from briefings.content.model import Article, Edition, PersonFile, Topic, TopicBriefing
from briefings.content.people import PeopleIndex
from briefings.options import Settings
from briefings.pages.body import article_link, body_html
from briefings.pages.feeds import FeedSpec, feed_files
from briefings.pages.group import by_month, neighbours
from briefings.pages.related import RelatedIndex

MONTHS = ("January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December")
LATEST_ON_HOME = 8
HEADLINES_PER_CARD = 3
DESCRIPTION_MAX = 300
WORDS_PER_MINUTE = 230


@dataclass(frozen=True)
class Pages:
    """The generated tree (Markdown pages and feeds) and the navigation that goes with it."""

    files: dict[str, str]  # path inside the docs folder -> text (empty when streamed to disk)
    nav: list[Any]  # MkDocs ``nav`` value
    sources: dict[str, str]  # generated article page -> the content file it came from


class RenderContext:
    """What every page renderer needs: the edition, settings and lookups built once."""

    def __init__(self, edition: Edition, settings: Settings):
        self.edition = edition
        self.settings = settings
        self.topics = {t.id: t for t in edition.topics}
        self.people_of = {}  # article slug -> person slugs
        for person_file in edition.people:
            for article in person_file.articles:
                self.people_of.setdefault(article.slug, []).append(person_file.person.slug)
        self.people_of = {slug: tuple(p) for slug, p in self.people_of.items()}
        self.persons = {f.person.slug: f.person for f in edition.people}
        self.index = PeopleIndex(tuple(self.persons.values()))
        self.slug_of = {a.path: a.slug for a in edition.articles}  # content file -> page, for links in bodies

    def chips(self, topic_ids, skip: str | None = None) -> list[dict]:
        return [{"title": self.topics[t].title, "url": self.topics[t].url} for t in topic_ids if t != skip]

    def draft(self, article: Article) -> bool:
        return article.slug in self.edition.unpublished

    def published(self, articles) -> tuple[Article, ...]:
        """Feeds never carry drafts, even in a --drafts preview."""
        return tuple(a for a in articles if a.slug not in self.edition.unpublished)


def render(edition: Edition, settings: Settings | None = None) -> Pages:
    """Every page in memory: for tests and small sites. The pipeline renders and
    writes the same pages through emit.py instead."""
    files = dict(iter_pages(edition, settings))
    return Pages(files=files, nav=navigation(edition), sources=sources_of(edition))


def iter_pages(edition: Edition, settings: Settings | None = None):
    """Yield (path, text) for every generated file, one at a time."""
    ctx = RenderContext(edition, settings or Settings())
    yield from listing_pages(ctx)
    articles = ArticlePages(ctx)
    for i in range(len(edition.articles)):
        yield articles.name(i), articles.page(i)


def listing_pages(ctx: RenderContext):
    """Every generated file but the article pages: home, topics, timeline,
    sources, people, tags and feeds, as (path, text)."""
    edition = ctx.edition
    yield "index.md", home_page(ctx)
    yield "topics/index.md", topics_index_page(ctx)
    for briefing in edition.briefings:
        yield from topic_pages(ctx, briefing).items()
    yield from timeline_pages(ctx).items()
    yield "sources.md", sources_page(ctx)
    yield "people/index.md", people_index_page(ctx)
    for person_file in edition.people:
        yield from person_pages(ctx, person_file).items()
    yield "tags.md", page({"title": "Tags", "hide": ["toc"]},
                          '<p class="bf-lede">Every topic, as a tag; each leads to its briefing.</p>\n\n'
                          '<!-- material/tags -->\n')
    yield from all_feeds(ctx).items()


class ArticlePages:
    """Article pages, one at a time by position in ``edition.articles``: what
    they all need (neighbours in each topic, the related-coverage index) is
    built once, so any share of them can be rendered apart from the rest."""

    def __init__(self, ctx: RenderContext):
        self.ctx = ctx
        self.around = {b.topic.id: neighbours(b) for b in ctx.edition.briefings}
        self.related = RelatedIndex(ctx.edition.articles, ctx.people_of, limit=ctx.settings.related)

    def name(self, i: int) -> str:
        return f"articles/{self.ctx.edition.articles[i].slug}.md"

    def page(self, i: int) -> str:
        return article_page(self.ctx, self.ctx.edition.articles[i], self.around, self.related.of(i))


def sources_of(edition: Edition) -> dict[str, str]:
    """Generated article page -> the content file it came from (for error messages)."""
    return {f"articles/{a.slug}.md": a.path for a in edition.articles}


def navigation(edition: Edition) -> list[Any]:
    """Home, Topics, Timeline, People, Sources. Articles and archives are never listed:
    Material copies the navigation into every page, so listing them makes the build quadratic."""
    return [
        {"Home": "index.md"},
        {"Topics": ["topics/index.md"] + [{esc(t.title): f"topics/{t.id}.md"} for t in edition.topics]},
        {"Timeline": "timeline.md"},
        {"People": "people/index.md"},
        {"Sources": "sources.md"},
    ]


# --- feeds -------------------------------------------------------------------

def all_feeds(ctx: RenderContext) -> dict[str, str]:
    files: dict[str, str] = {}
    specs = [FeedSpec("All articles", ctx.settings.site_description, "", ctx.published(ctx.edition.articles))]
    for b in ctx.edition.briefings:
        specs.append(FeedSpec(b.topic.title, b.topic.description, b.topic.url, ctx.published(b.articles),
                              key=f"topic-{b.topic.id}"))
    for f in ctx.edition.people:
        specs.append(FeedSpec(f.person.name, f.person.description, f.person.url, ctx.published(f.articles),
                              key=f"person-{f.person.slug}"))
    for spec in specs:
        files.update(feed_files(spec, ctx.edition, ctx.settings))
    return files


def feed_link(title: str, page_url: str, key: str) -> dict:
    spec = FeedSpec(title, "", page_url, (), key)
    return {"title": title, "atom": spec.atom, "json": spec.json}


# --- pages -------------------------------------------------------------------

def home_page(ctx: RenderContext) -> str:
    meta = {
        "title": "Home",
        "hide": ["toc"],
        "template": "home.html",
        "briefing": {
            "latest": [entry(ctx, a, brief=True) for a in ctx.edition.articles[:LATEST_ON_HOME]],
            "topics": topic_cards(ctx),
        },
    }
    return page(meta, "")


def topics_index_page(ctx: RenderContext) -> str:
    meta = {
        "title": "Topics",
        "hide": ["toc"],
        "template": "topics.html",
        "briefing": {"topics": topic_cards(ctx)},
    }
    return page(meta, "")


def topic_cards(ctx: RenderContext) -> list[dict]:
    return [
        {
            "title": b.topic.title,
            "url": b.topic.url,
            "description": b.topic.description,
            "count": len(b.articles),
            "latest": day(b.articles[0].date) if b.articles else None,
            "headlines": [
                {"title": a.title, "url": a.page_url, "date": day(a.date), "draft": ctx.draft(a)}
                for a in b.articles[:HEADLINES_PER_CARD]
            ],
            "feed": feed_link(b.topic.title, b.topic.url, f"topic-{b.topic.id}"),
        }
        for b in ctx.edition.briefings
    ]


def topic_pages(ctx: RenderContext, briefing: TopicBriefing) -> dict[str, str]:
    """The topic's briefing page, plus month archives once it outgrows one page."""
    topic: Topic = briefing.topic
    items = briefing.articles
    archived = len(items) > ctx.settings.archive_after
    shown = items[: ctx.settings.archive_after] if archived else items
    months = by_month(items)
    archives = [
        {"label": month_label(m), "url": f"{topic.url}{m:%Y/%m}/", "count": len(group)}
        for m, group in months
    ] if archived else []
    feed = feed_link(topic.title, topic.url, f"topic-{topic.id}")
    quotes = [
        quote_card(ctx, q, a) for a in items for q in a.quotes
    ][: ctx.settings.quotes]
    meta = {
        "title": esc(topic.title),
        **description(topic.description),
        "hide": ["toc"],
        "template": "topic.html",
        # The topic page is the tag's page: tagging every article instead would
        # make the tags index list the whole archive.
        "tags": [esc(topic.title)],
        "briefing": {
            "topic": {"id": topic.id, "title": topic.title},
            "count": len(items),
            "shown": len(shown),
            "latest": day(items[0].date) if items else None,
            "feed": feed,
            "feeds": [feed],
            "developments": [
                {"title": a.title, "url": a.page_url, "date": day(a.date), "datetime": a.date.isoformat(),
                 "summary": one_line(a.summary), "draft": ctx.draft(a)}
                for a in items[: ctx.settings.latest]
            ],
            "timeline": [
                {"title": a.title, "url": a.page_url, "date": day(a.date), "datetime": a.date.isoformat(),
                 "draft": ctx.draft(a)}
                for a in shown
            ],
            "quotes": quotes,
            "months": month_groups(ctx, shown, context=topic.id),
            "archives": archives,
        },
    }
    body = f'<p class="bf-lede">{esc(topic.description)}</p>\n' if topic.description else ""
    files = {f"topics/{topic.id}.md": page(meta, body)}
    for i, (month, group) in enumerate(months if archived else []):
        files[f"topics/{topic.id}/{month:%Y/%m}.md"] = archive_page(
            ctx, f"{topic.title}: {month_label(month)}", {"title": topic.title, "url": topic.url},
            group, archives, i, context=topic.id, feeds=[feed])
    return files


def archive_page(ctx: RenderContext, title: str, parent: dict, articles: list[Article], archives: list[dict],
                 i: int, *, context: str | None = None, feeds=(), brief: bool = False, quotes=()) -> str:
    meta = {
        "title": esc(title),
        "hide": ["toc"],
        "template": "archive.html",
        "briefing": {
            "parent": parent,
            "count": len(articles),
            "brief": brief,
            "entries": [entry(ctx, a, context=context, brief=brief) for a in articles],
            "newer": archives[i - 1] if i > 0 else None,
            "older": archives[i + 1] if i + 1 < len(archives) else None,
            "feeds": list(feeds),
            "quotes": list(quotes),
        },
    }
    return page(meta, "")


def article_page(ctx: RenderContext, article: Article, around: dict, related) -> str:
    more = []
    for topic_id in article.topics:
        newer, older = around[topic_id][article.slug]
        more.append({
            "topic": ctx.topics[topic_id].title,
            "url": ctx.topics[topic_id].url,
            "newer": link(newer),
            "older": link(older),
        })
    words = word_count(article)
    info: dict[str, Any] = {
        "source": article.source,
        "authors": list(article.authors),
        "date": day(article.date),
        "datetime": article.date.isoformat(),
        "section": article.section,
        "url": article.url,
        "draft": ctx.draft(article),
        "words": words,
        "minutes": max(1, math.ceil(words / WORDS_PER_MINUTE)),
        "topics": ctx.chips(article.topics),
        "people": [p.name for p in dict.fromkeys(ctx.index.resolve(n) for n in article.people)],
        "more": more,
        "related": [
            {"title": r.article.title, "url": r.article.page_url, "date": day(r.article.date),
             "source": r.article.source,
             "shares": [ctx.topics[t].title for t in r.shared_topics] + [ctx.persons[p].name for p in r.shared_people]}
            for r in related
        ],
        # Atom only: an article page lists several topics' feeds, and pages stay small.
        "feeds": [{**feed_link(ctx.topics[t].title, ctx.topics[t].url, f"topic-{t}"), "json": None}
                  for t in article.topics],
        "share": {
            "type": "article",
            "published": article.published.isoformat(),
            "modified": (article.updated or article.published).isoformat(),
            "section": article.section or ctx.topics[article.topics[0]].title,  # tags: the topics
        },
        "jsonld": json_ld(ctx, article),
    }
    if article.updated:
        info["updated"] = day(article.updated.date())
        info["updated_datetime"] = article.updated.date().isoformat()
    if article.image and (article.image.caption or article.image.credit):
        info["image"] = {"caption": article.image.caption, "credit": article.image.credit}
    meta = {
        "title": esc(article.title),
        **description(article.summary),
        "hide": ["toc"],  # a few short, fixed sections; the text gets the width instead
        "template": "article.html",
        "briefing": info,
    }
    return page(meta, article_body(ctx, article))


def article_body(ctx: RenderContext, article: Article) -> str:
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
        parts.append(heading + body_html(article.body, trust_html=ctx.settings.trust_html,
                                         link=article_link(article.path, ctx.slug_of)))
    # Links to person pages are Markdown links to their source file inside
    # md_in_html blocks: MkDocs and Zensical both resolve and check those, while
    # a relative href in raw HTML means different things to the two engines.
    if article.quotes:
        quotes = "\n".join(quote_html(ctx, q.text, q.speaker) for q in article.quotes)
        parts.append(f'## Quotes\n\n<div class="bf-quotes" markdown>\n{quotes}\n</div>')
    if article.people:
        people = "\n".join(f"- [{md_text(p.name)}](../people/{p.slug}.md)"
                           for p in dict.fromkeys(ctx.index.resolve(n) for n in article.people))
        parts.append(f'## People\n\n<div class="bf-people" markdown>\n\n{people}\n\n</div>')
    return "\n\n".join(parts) + "\n" if parts else ""


def quote_html(ctx: RenderContext, text: str, speaker: str) -> str:
    """A quote in the Markdown body, so search finds it; the speaker links to
    their person page when they have one."""
    person = ctx.index.speaker(speaker)
    who = md_text(speaker)
    if person and person.slug in ctx.persons:
        who = f"[{who}](../people/{person.slug}.md)"
    return (f'<figure class="bf-quote" markdown>\n<blockquote><p>“{esc(text)}”</p></blockquote>\n'
            f'<figcaption markdown="span">{who}</figcaption>\n</figure>')


def timeline_pages(ctx: RenderContext) -> dict[str, str]:
    items = ctx.edition.articles
    archived = len(items) > ctx.settings.archive_after
    shown = items[: ctx.settings.archive_after] if archived else items
    months = by_month(items)
    archives = [
        {"label": month_label(m), "url": f"timeline/{m:%Y/%m}/", "count": len(group)} for m, group in months
    ] if archived else []
    meta = {
        "title": "Timeline",
        "description": esc("Every article, newest first, across all topics."),
        "hide": ["toc"],
        "template": "timeline.html",
        "briefing": {
            "count": len(items),
            "shown": len(shown),
            "months": [
                {"label": month_label(m), "id": f"{m:%Y-%m}", "entries": [entry(ctx, a, brief=True) for a in group]}
                for m, group in by_month(shown)
            ],
            "archives": archives,
        },
    }
    files = {"timeline.md": page(meta, "")}
    for i, (month, group) in enumerate(months if archived else []):
        files[f"timeline/{month:%Y/%m}.md"] = archive_page(
            ctx, f"Timeline: {month_label(month)}", {"title": "Timeline", "url": "timeline/"},
            group, archives, i, brief=True)
    return files


SOURCE_HEADLINES = 10


def sources_page(ctx: RenderContext) -> str:
    meta = {
        "title": "Sources",
        "description": esc("The outlets behind the briefings, with their latest articles."),
        "hide": ["toc"],
        "template": "sources.html",
        "briefing": {
            "sources": [
                {"name": s.name, "count": len(s.articles),
                 "articles": [{"title": a.title, "url": a.page_url, "date": day(a.date), "draft": ctx.draft(a)}
                              for a in s.articles[:SOURCE_HEADLINES]]}
                for s in ctx.edition.sources
            ],
        },
    }
    return page(meta, "")


def people_index_page(ctx: RenderContext) -> str:
    meta = {
        "title": "People",
        "description": esc("The people in the briefings, with their articles and quotes."),
        "hide": ["toc"],
        "template": "people.html",
        "briefing": {
            "people": [
                {"name": f.person.name, "url": f.person.url, "description": f.person.description,
                 "articles": len(f.articles), "quotes": len(f.quotes),
                 "latest": day(f.articles[0].date) if f.articles else None}
                for f in ctx.edition.people
            ],
        },
    }
    return page(meta, "")


def person_pages(ctx: RenderContext, person_file: PersonFile) -> dict[str, str]:
    """The person's page, plus month archives once their articles or quotes
    outgrow one page (as for topics): the page shows the newest of each."""
    person = person_file.person
    feed = feed_link(person.name, person.url, f"person-{person.slug}")
    limit = ctx.settings.archive_after
    articles, quotes = person_file.articles, person_file.quotes
    archived = len(articles) > limit or len(quotes) > limit
    per_month = {}  # month -> (articles naming them, cards of their quotes) from that month
    for a in articles:
        per_month.setdefault(a.date.replace(day=1), ([], []))[0].append(a)
    for q, a in quotes:
        per_month.setdefault(a.date.replace(day=1), ([], []))[1].append(quote_card(ctx, q, a))
    months = sorted(per_month.items(), reverse=True) if archived else []
    archives = [{"label": month_label(m), "url": f"{person.url}{m:%Y/%m}/", "count": len(named)}
                for m, (named, _) in months]
    shown = articles[:limit] if archived else articles
    meta = {
        "title": esc(person.name),
        **description(person.description or f"Articles about {person.name}, and their quotes."),
        "hide": ["toc"],
        "template": "person.html",
        "briefing": {
            "name": person.name,
            "description": person.description,
            "aliases": list(person.aliases),
            "count": len(articles),
            "shown": len(shown),
            "quote_count": len(quotes),
            "feed": feed,
            "feeds": [feed],
            "entries": [entry(ctx, a, brief=True) for a in shown],
            "quotes": [quote_card(ctx, q, a) for q, a in quotes[:limit]],
            "archives": archives,
        },
    }
    body = f'<p class="bf-lede">{esc(person.description)}</p>\n' if person.description else ""
    files = {f"people/{person.slug}.md": page(meta, body)}
    for i, (month, (named, cards)) in enumerate(months):
        files[f"people/{person.slug}/{month:%Y/%m}.md"] = archive_page(
            ctx, f"{person.name}: {month_label(month)}", {"title": person.name, "url": person.url},
            named, archives, i, feeds=[feed], brief=True, quotes=cards)
    return files


# --- pieces ------------------------------------------------------------------

def month_groups(ctx: RenderContext, articles, *, context: str | None = None) -> list[dict]:
    return [
        {"label": month_label(m), "id": f"{m:%Y-%m}", "entries": [entry(ctx, a, context=context) for a in group]}
        for m, group in by_month(tuple(articles))
    ]


def entry(ctx: RenderContext, article: Article, *, context: str | None = None, brief: bool = False) -> dict:
    """One article as a listing entry. ``context`` is the topic page it appears on."""
    item: dict[str, Any] = {
        "title": article.title,
        "url": article.page_url,
        "date": day(article.date),
        "datetime": article.date.isoformat(),
        "source": article.source,
        "authors": list(article.authors),
        "summary": article.summary,
        "draft": ctx.draft(article),
        "topics": ctx.chips(article.topics, skip=context),
    }
    if not brief:
        item["key_points"] = list(article.key_points)
        item["why_it_matters"] = article.why_it_matters
    return item


def quote_card(ctx: RenderContext, quote, article: Article) -> dict:
    person = ctx.index.speaker(quote.speaker)
    return {
        "text": quote.text,
        "speaker": quote.speaker,
        "speaker_url": person.url if person and person.slug in ctx.persons else None,
        "source": article.source,
        "date": day(article.date),
        "url": article.page_url,
        "title": article.title,
    }


def json_ld(ctx: RenderContext, article: Article) -> str:
    """schema.org NewsArticle, serialised here so templates only print it.
    <, > and & are escaped so no value can close the <script> element."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": article.published.isoformat(),
        "dateModified": (article.updated or article.published).isoformat(),
        "author": [{"@type": "Person", "name": a} for a in article.authors]
        or [{"@type": "Organization", "name": article.source}],
        "publisher": {"@type": "Organization", "name": article.source},
        "articleSection": article.section or ctx.topics[article.topics[0]].title,
        "keywords": [ctx.topics[t].title for t in article.topics],
    }
    if ctx.settings.site_url:
        data["url"] = ctx.settings.absolute(article.page_url)
        data["mainEntityOfPage"] = data["url"]
    if article.url:
        data["isBasedOn"] = article.url
    text = json.dumps(data, ensure_ascii=False, sort_keys=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def word_count(article: Article) -> int:
    texts = [article.summary, *article.key_points, article.why_it_matters, *(q.text for q in article.quotes)]
    return article.body_words + sum(len(t.split()) for t in texts)


def link(article: Article | None) -> dict | None:
    if article is None:
        return None
    return {"title": article.title, "url": article.page_url, "date": day(article.date)}


def one_line(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def description(text: str) -> dict:
    if not text:
        return {}
    return {"description": esc(one_line(text, DESCRIPTION_MAX))}


# Characters YAML does not allow raw in a double-quoted scalar, or folds as line
# breaks (NEL, LS, PS): written as \u escapes, which JSON and YAML read alike.
_NOT_YAML_SAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")


def page(meta: dict, body: str) -> str:
    """Front matter as compact JSON, which is YAML too (flow style): the C JSON
    encoder is ~100x faster than yaml.dump, and MkDocs reads it as any other
    front matter. (Compact on purpose: with indent= json falls back to Python.)"""
    front = json.dumps(meta, ensure_ascii=False, separators=(",", ":"))
    if not front.isascii() or "\x7f" in front:  # two quick scans spare most pages the regex
        front = _NOT_YAML_SAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", front)
    return f"---\n{front}\n---\n\n{body}"


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!])")  # Python-Markdown's escapable characters


def md_text(text: str) -> str:
    """Plain text for a place Markdown reads (a link's label): HTML-escaped, and
    every character Markdown could take as syntax backslash-escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", esc(text))


def esc(text: str) -> str:
    """HTML-escape one line of plain text (newlines folded to spaces)."""
    return html.escape(" ".join(text.split()), quote=True)


def day(date: dt.date) -> str:
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def month_label(date: dt.date) -> str:
    return f"{MONTHS[date.month - 1]} {date.year}"
