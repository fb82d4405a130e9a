"""Article pages: the view (header, related coverage, neighbours in each topic,
sharing metadata) and the Markdown body (summary, key points, the text,
quotes, people). On a big archive nearly all the rendering is here, in
worker processes (``emit.py``): keep it lean."""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from briefings.content.model import Article, Quote, Related, joined
from briefings.fileio import digest
from briefings.pages.body import article_link, body_html, might_link_locally
from briefings.pages.context import RenderContext
from briefings.pages.frontmatter import page
from briefings.pages.group import completeness, neighbours
from briefings.pages.related import RelatedIndex
from briefings.pages.text import day, description, esc
from briefings.pages.viewparts import ArticleLink, FeedLink, StoryRef
from briefings.pages.views import ArticleView, FrontMatter, MoreInTopic, RelatedItem, Share

WORDS_PER_MINUTE = 230

Neighbours = dict[str, dict[str, tuple[Article | None, Article | None]]]  # topic id -> slug -> (newer, older)


class ArticlePages:
    """Article pages, one at a time by position in ``edition.articles``: what
    they all need (neighbours in each topic, the related-coverage index) is
    built once, so any share of them can be rendered apart from the rest."""

    def __init__(self, ctx: RenderContext):
        self.ctx = ctx
        self.around: Neighbours = {b.topic.id: neighbours(b) for b in ctx.edition.briefings}
        self.related = RelatedIndex(ctx.edition.articles, ctx.people_of, limit=ctx.settings.related)
        # Article pages link only their topics' Atom feeds: a page lists several, and pages stay small.
        self.atom_feed = {t: FeedLink(title=f.title, atom=f.atom, json=None) for t, f in ctx.topic_feed.items()}
        self.links: dict[str, ArticleLink] = {}  # slug -> link; an article is a neighbour of several
        self._pages_of_files: str | None = None

    def link(self, article: Article | None) -> ArticleLink | None:
        if article is None:
            return None
        found = self.links.get(article.slug)
        if found is None:
            found = self.links[article.slug] = ArticleLink(
                title=article.title, url=article.page_url, date=day(article.date)
            )
        return found

    def name(self, i: int) -> str:
        return f"articles/{self.ctx.edition.articles[i].slug}.md"

    def page(self, i: int, related: Sequence[Related] | None = None) -> str:
        """Page ``i``; ``related``: its related coverage, when already known."""
        article = self.ctx.edition.articles[i]
        front = FrontMatter(
            title=esc(article.title),
            description=description(article.summary),
            template="article.html",
            briefing=self.view(article, self.related.of(i) if related is None else related),
        )
        return page(front, article_body(self.ctx, article))

    def inputs(self, i: int, digest_of: Mapping[str, str], related: Sequence[Related]) -> tuple[object, ...] | None:
        """What page ``i`` is made from besides what every page shares (``emit.py``'s scope):
        the article's content file, by digest, and what the page shows of other articles
        (its neighbours in each topic, ``related`` coverage, the story's other versions).
        None when the file's digest is unknown."""
        article = self.ctx.edition.articles[i]
        own = digest_of.get(article.path)
        if own is None:
            return None
        parts: list[object] = [own]
        for topic_id in article.topics:
            for other in self.around[topic_id][article.slug]:
                parts.append((other.slug, other.title, other.date) if other is not None else None)
        for r in related:
            other = r.article
            parts.append((other.slug, other.title, other.date, other.source, r.shared_topics, r.shared_people))
        story = self.ctx.story_of.get(article.slug)
        if story is not None:
            parts += [story.id, story.title, self.ctx.sources[story.id]]
            parts += [self.ctx.version(a) for a in story.articles if a.slug != article.slug]
        if might_link_locally(article.body):  # a link to another article's file becomes one to its page
            parts.append(self.pages_of_files())
        return tuple(parts)

    def pages_of_files(self) -> str:
        """Which page each content file became (what a body's links to articles resolve by),
        in one digest, made once."""
        if self._pages_of_files is None:
            self._pages_of_files = digest(repr(sorted(self.ctx.slug_of.items())))
        return self._pages_of_files

    def layout(self) -> tuple[object, ...]:
        """Which articles each page shows besides its own, but for related coverage
        (``RelatedIndex.selection`` decides that): the neighbours in each topic follow from the
        topics' lists, the other versions from the stories' members."""
        edition = self.ctx.edition
        return (
            [(b.topic.id, [a.slug for a in b.articles]) for b in edition.briefings],
            [(s.id, [a.slug for a in s.articles]) for s in edition.stories],
        )

    def showing(self, edited: Collection[int], picks: Sequence[Collection[int]]) -> set[int]:
        """The pages that show any of the ``edited`` articles (positions): their own, their
        neighbours' in each topic (a neighbour's neighbour is the page itself), the other
        versions of their stories, and the pages whose related coverage picks them
        (``picks[j]``: page j's picks)."""
        articles = self.ctx.edition.articles
        position = {a.slug: i for i, a in enumerate(articles)}
        shown = set(edited)
        for i in edited:
            article = articles[i]
            for topic_id in article.topics:
                shown.update(position[other.slug] for other in self.around[topic_id][article.slug] if other is not None)
            story = self.ctx.story_of.get(article.slug)
            if story is not None:
                shown.update(position[a.slug] for a in story.articles)
        wanted = set(edited)
        shown.update(j for j, chosen in enumerate(picks) if not wanted.isdisjoint(chosen))
        return shown

    def view(self, article: Article, related: Sequence[Related]) -> ArticleView:
        ctx = self.ctx
        topics = ctx.topics
        more = []
        for topic_id in article.topics:
            newer, older = self.around[topic_id][article.slug]
            topic = topics[topic_id]
            more.append(MoreInTopic(topic=topic.title, url=topic.url, newer=self.link(newer), older=self.link(older)))
        words = word_count(article)
        story = ctx.story_of.get(article.slug)
        updated = article.updated.date() if article.updated else None
        corrected = article.corrections[-1].date if article.corrections else None
        return ArticleView(
            source=article.source,
            country=article.outlet.country if article.outlet else "",
            authors=article.authors,
            date=day(article.date),
            datetime=article.date.isoformat(),
            section=article.section,
            url=article.url,
            draft=ctx.draft(article),
            words=words,
            minutes=max(1, math.ceil(words / WORDS_PER_MINUTE)),
            topics=ctx.chips(article.topics),
            people=tuple([p.name for p in dict.fromkeys([ctx.index.resolve(n) for n in article.people])]),
            more=tuple(more),
            related=tuple(
                [
                    RelatedItem(
                        title=r.article.title,
                        url=r.article.page_url,
                        date=day(r.article.date),
                        source=r.article.source,
                        shares=tuple(
                            [topics[t].title for t in r.shared_topics] + [ctx.persons[p].name for p in r.shared_people]
                        ),
                    )
                    for r in related
                ]
            ),
            feeds=tuple([self.atom_feed[t] for t in article.topics]),
            share=Share(
                type="article",
                published=article.published.isoformat(),
                modified=article.last_changed.isoformat(),
                section=article.section or topics[article.topics[0]].title,  # tags: the topics
            ),
            jsonld=json_ld(ctx, article),
            updated=day(updated) if updated else None,
            updated_datetime=updated.isoformat() if updated else None,
            story=StoryRef(
                title=story.title,
                url=story.url,
                sources=ctx.sources[story.id],
                versions=tuple([ctx.version(a) for a in story.articles if a.slug != article.slug]),
            )
            if story
            else None,
            corrected=day(corrected) if corrected else None,
            corrected_datetime=corrected.isoformat() if corrected else None,
        )


def article_body(ctx: RenderContext, article: Article) -> str:
    parts = []
    # Our notes come first, marked as ours: the outlet wrote the headline, we wrote these.
    ours = []
    if article.summary:
        ours.append(f'<p class="bf-summary">{esc(article.summary)}</p>')
    if article.key_points:
        items = "\n".join(f"<li>{esc(p)}</li>" for p in article.key_points)
        ours.append(f'### Key points\n\n<ul class="bf-key-points">\n{items}\n</ul>')
    if article.why_it_matters:
        ours.append(f'### Why it matters\n\n<p class="bf-why">{esc(article.why_it_matters)}</p>')
    if ours:
        note = (
            f'<p class="bf-ours-note">By {esc(ctx.settings.site_name)}: our notes on this article, '
            f"not {esc(article.source)}'s words.</p>"
        )
        parts.append("## Our summary\n\n" + note + "\n\n" + "\n\n".join(ours))
    if article.corrections:
        parts.append(corrections_html(article))
    if article.body.strip():
        heading = "## In detail\n\n" if parts else ""
        link = article_link(article.path, ctx.slug_of, ctx.to_articles)
        parts.append(heading + body_html(article.body, trust_html=ctx.settings.trust_html, link=link))
    # The quotes and people are raw HTML, their links to person pages written as the
    # engine reads them (``ctx.to_root``), as the body's links to other articles are: the
    # conversion of a page's raw blocks is shared between pages (engine/pageconvert.py),
    # where Markdown links would cost each page a Python-Markdown pass of its own. Every
    # person named has a page (``edition.people``); a speaker links to one only when they have it.
    cards = [q for q in article.quotes if ctx.is_card(q)]
    if cards:
        quotes = "\n".join(quote_html(ctx, q) for q in cards)
        parts.append(f'## Quotes\n\n<div class="bf-quotes">\n{quotes}\n</div>')
    fragments = [q for q in article.quotes if not ctx.is_card(q)]
    if fragments:  # words too few to stand alone: quoted inline, never as cards
        items = "\n".join(
            f"<li>“{esc(q.text)}”{'' if q.text[-1] in '.,;:!?…' else ','} said {speakers_html(ctx, q)}</li>"
            for q in fragments
        )
        parts.append(f'## Quoted\n\n<div class="bf-quoted">\n<ul>\n{items}\n</ul>\n</div>')
    if article.people:
        people = dict.fromkeys(ctx.index.resolve(n) for n in article.people)
        items = "\n".join(f"<li>{person_link(ctx, p.url, p.name)}</li>" for p in people)
        parts.append(f'## People\n\n<div class="bf-people">\n<ul>\n{items}\n</ul>\n</div>')
    return "\n\n".join(parts) + "\n" if parts else ""


def corrections_html(article: Article) -> str:
    """The corrections of our notes, oldest first, right after them: each dated, in the body so
    search finds them and readers see them without JavaScript. The header links here."""
    items = "\n".join(
        f'<li><strong>Corrected <time datetime="{c.date.isoformat()}">{day(c.date)}</time>:</strong> {esc(c.text)}</li>'
        for c in article.corrections
    )
    return (
        '<section class="bf-corrections" aria-labelledby="corrections">\n'
        '<h2 id="corrections">Corrections</h2>\n'
        f'<ol class="bf-corrections__list">\n{items}\n</ol>\n'
        "</section>"
    )


def person_link(ctx: RenderContext, url: str, name: str) -> str:
    """A link from an article to a person's page (``url``: from the site's root)."""
    return f'<a href="{ctx.to_root}{esc(url)}">{esc(name)}</a>'


def speakers_html(ctx: RenderContext, quote: Quote) -> str:
    """A quote's speakers as attributed ("A and B"), each linked to their person page when they have one."""
    names = []
    for s in ctx.speakers(quote):
        names.append(person_link(ctx, s.url, s.name) if s.url else esc(s.name))
    return joined(tuple(names))


def quote_html(ctx: RenderContext, quote: Quote) -> str:
    """A quote in the body, so search finds it; each speaker links to their person
    page when they have one."""
    return (
        f'<figure class="bf-quote">\n<blockquote>\n<p>“{esc(quote.text)}”</p>\n</blockquote>\n'
        f"<figcaption>{speakers_html(ctx, quote)}</figcaption>\n</figure>"
    )


def json_ld(ctx: RenderContext, article: Article) -> str:
    """schema.org NewsArticle, serialised here so templates only print it.
    <, > and & are escaped so no value can close the <script> element."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": article.published.isoformat(),
        "dateModified": article.last_changed.isoformat(),
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
    return completeness(article)
