"""Atom (via feedgen) and JSON Feed 1.1 documents for a list of articles.

Links are absolute when site_url is set; otherwise relative to the feed's own
location, which feed readers resolve against the feed URL.
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from feedgen.feed import FeedGenerator

from briefings import __version__
from briefings.content.model import Article, Edition
from briefings.options import Settings
from briefings.pages.group import collapse, story_lead, story_sources

FEED_SIZE = 50  # newest entries per feed
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
# Characters XML 1.0 cannot hold, which lxml refuses with an error. The loader refuses them in
# content; the site's own name and description come from mkdocs.yml, which it does not check.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(text: str) -> str:
    return _NOT_XML.sub("", text)


@dataclass(frozen=True)
class FeedSpec:
    title: str
    description: str
    page: str  # site-root-relative URL of the page the feed follows, e.g. "topics/taiwan/"
    articles: tuple[Article, ...]  # newest first; drafts already removed
    key: str = ""  # "" for the whole site, else e.g. "topic-taiwan"
    # Article slug -> its story's page and sources: a story is one entry, its first report's
    # headline with "(N sources)", linking to the story page.
    stories: Mapping[str, tuple[str, int]] = field(default_factory=dict)

    # Feeds live at the site root: Material's JavaScript fetches sitemap.xml
    # next to every <link rel="alternate">, which only exists at the root.
    @property
    def atom(self) -> str:
        return f"feed-{self.key}.xml" if self.key else "feed.xml"

    @property
    def json(self) -> str:
        return f"feed-{self.key}.json" if self.key else "feed.json"


def feed_files(spec: FeedSpec, edition: Edition, settings: Settings) -> dict[str, str]:
    return {spec.atom: atom(spec, edition, settings), spec.json: json_feed(spec, edition, settings)}


def _url(path: str, feed_path: str, settings: Settings) -> str:
    if settings.site_url:
        return settings.site_url + path
    rel = posixpath.relpath(path or ".", posixpath.dirname(feed_path) or ".")
    return rel + "/" if path.endswith("/") and not rel.endswith("/") else rel


def _updated(article: Article) -> dt.datetime:
    return article.updated or article.published


def _target(spec: FeedSpec, article: Article) -> tuple[str, str]:
    """What an entry links to and its title: the article, or its story with the number of sources."""
    story = spec.stories.get(article.slug)
    if story is None:
        return article.page_url, article.title
    url, sources = story
    return url, f"{article.title} ({sources} source{'s' if sources != 1 else ''})"


def atom(spec: FeedSpec, edition: Edition, settings: Settings) -> str:
    fg = FeedGenerator()
    fg.id(_xml(settings.absolute(spec.atom) or f"urn:briefings:{spec.atom}"))
    fg.title(_xml(f"{settings.site_name}: {spec.title}" if spec.page else settings.site_name))
    fg.subtitle(_xml(spec.description or settings.site_description or spec.title))
    fg.link(href=_xml(_url(spec.page, spec.atom, settings)), rel="alternate", type="text/html")
    fg.link(href=_xml(_url(spec.atom, spec.atom, settings)), rel="self", type="application/atom+xml")
    fg.author({"name": _xml(settings.site_name)})
    fg.generator("briefings", version=__version__)
    fg.language("en")
    items = spec.articles[:FEED_SIZE]
    fg.updated(max((_updated(a) for a in items), default=EPOCH))
    for article in items:
        fe = fg.add_entry(order="append")
        target, title = _target(spec, article)
        page = _xml(_url(target, spec.atom, settings))
        fe.id(_xml(settings.absolute(target) or f"urn:briefings:{target}"))
        fe.title(_xml(title))
        fe.link(href=page, rel="alternate", type="text/html")
        if article.url:
            fe.link(href=_xml(article.url), rel="related", type="text/html")
        fe.published(article.published)
        fe.updated(_updated(article))
        for name in article.authors or (article.source,):
            fe.author({"name": _xml(name)})
        if article.summary:
            fe.summary(_xml(article.summary))
        for topic_id in article.topics:
            fe.category(term=topic_id, label=_xml(edition.topic(topic_id).title))
    return _restore_link_rels(fg.atom_str(pretty=True)).decode("utf-8")


def _restore_link_rels(xml: bytes) -> bytes:
    """feedgen 1.0.0 drops rel/type from entry links (lkiesow/python-feedgen#135),
    which would make the original article a second rel="alternate". Put them back."""
    from lxml import etree

    ns = {"a": "http://www.w3.org/2005/Atom"}
    root = etree.fromstring(xml)
    for entry in root.iterfind("a:entry", ns):
        for i, link in enumerate(entry.iterfind("a:link", ns)):
            link.set("rel", "alternate" if i == 0 else "related")
            link.set("type", "text/html")
    fixed: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return fixed


def json_feed(spec: FeedSpec, edition: Edition, settings: Settings) -> str:
    items = []
    for article in spec.articles[:FEED_SIZE]:
        target, title = _target(spec, article)
        item = {
            "id": settings.absolute(target) or f"urn:briefings:{target}",
            "url": _url(target, spec.json, settings),
            "title": title,
            "content_text": article.summary or article.title,
            "date_published": article.published.isoformat(),
            "date_modified": _updated(article).isoformat(),
            "authors": [{"name": name} for name in article.authors or (article.source,)],
            "tags": [edition.topic(t).title for t in article.topics],
        }
        if article.summary:
            item["summary"] = article.summary
        if article.url:
            item["external_url"] = article.url
        items.append(item)
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": f"{settings.site_name}: {spec.title}" if spec.page else settings.site_name,
        "home_page_url": _url(spec.page, spec.json, settings),
        "feed_url": _url(spec.json, spec.json, settings),
        "description": spec.description or settings.site_description or spec.title,
        "language": "en",
        "authors": [{"name": settings.site_name}],
        "items": items,
    }
    return json.dumps(feed, ensure_ascii=False, indent=2) + "\n"


def site_feeds(edition: Edition, settings: Settings) -> dict[str, str]:
    """Every feed of the site: all articles, each topic's and each person's.
    Feeds never carry drafts, even in a --drafts preview. The site's and the topics'
    list a story once; a person's lists each article naming them."""

    story_of = {a.slug: s for s in edition.stories for a in s.articles}
    stories = {slug: (s.url, story_sources(s)) for slug, s in story_of.items()}
    lead_of = {s.id: story_lead(s).slug for s in edition.stories}

    def published(articles: tuple[Article, ...], *, once: bool = False) -> tuple[Article, ...]:
        """Without drafts; with each story once (``group.collapse``) on the site's and topics' feeds."""
        shown = tuple(a for a in articles if a.slug not in edition.unpublished)
        return collapse(shown, story_of, lead_of) if once and story_of else shown

    specs = [
        FeedSpec("All articles", settings.site_description, "", published(edition.articles, once=True), "", stories)
    ]
    for b in edition.briefings:
        specs.append(
            FeedSpec(
                b.topic.title,
                b.topic.description,
                b.topic.url,
                published(b.articles, once=True),
                key=f"topic-{b.topic.id}",
                stories=stories,
            )
        )
    for f in edition.people:
        specs.append(
            FeedSpec(
                f.person.name, f.person.description, f.person.url, published(f.articles), key=f"person-{f.person.slug}"
            )
        )
    files: dict[str, str] = {}
    for spec in specs:
        files.update(feed_files(spec, edition, settings))
    return files
