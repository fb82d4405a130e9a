"""Atom (via feedgen) and JSON Feed 1.1 documents for a list of articles, all
under feeds/ with an OPML file (feeds/index.opml) listing them.

Links are absolute when site_url is set; otherwise relative to the feed's own
location, which feed readers resolve against the feed URL (the build warns:
``feeds_warning``). Entry ids are tag: URIs (RFC 4151) made of the site's host
and folder, the entry's date and its page, so they never change on a rebuild
and never collide with another desk's.
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from html import escape
from urllib.parse import urlsplit

from feedgen.feed import FeedGenerator

from briefings import __version__
from briefings.content.model import Article, Correction, Edition
from briefings.options import Settings
from briefings.pages.group import collapse, story_lead, story_sources
from briefings.pages.text import day

FEED_SIZE = 50  # newest entries per feed
FEEDS = "feeds/"  # every feed file, the OPML list and the sitemap Material looks for
OPML = FEEDS + "index.opml"
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
# Characters XML 1.0 cannot hold, which lxml refuses with an error. The loader refuses them in
# content; the site's own name and description come from mkdocs.yml, which it does not check.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(text: str) -> str:
    return _NOT_XML.sub("", text)


@dataclass(frozen=True)
class StoryEntry:
    """What a story's one entry in the site's and topics' feeds shows besides its lead report."""

    url: str  # the story's page
    sources: int
    versions: tuple[Article, ...]  # its published reports, oldest first: their corrections and dates count


@dataclass(frozen=True)
class FeedSpec:
    title: str
    description: str
    page: str  # site-root-relative URL of the page the feed follows, e.g. "topics/taiwan/"
    articles: tuple[Article, ...]  # newest first; drafts already removed
    key: str = ""  # "" for the whole site, else e.g. "topic-taiwan"
    # Article slug -> its story: a story is one entry, its first report's headline with
    # "(N sources)", linking to the story page.
    stories: Mapping[str, StoryEntry] = field(default_factory=dict)

    @property
    def atom(self) -> str:
        return f"{FEEDS}{self.key or 'all'}.xml"

    @property
    def json(self) -> str:
        return f"{FEEDS}{self.key or 'all'}.json"

    def name(self, settings: Settings) -> str:
        """The feed's title, as feed readers show it."""
        return f"{settings.site_name}: {self.title}" if self.page else settings.site_name


def feeds_warning(settings: Settings) -> str | None:
    """The build's one warning when feeds cannot carry absolute links."""
    if settings.site_url:
        return None
    return (
        "feeds: no site address, so feed links are relative to each feed and entry ids use a made-up host"
        " (tag:...invalid): set site_url in mkdocs.yml or pass --base-url"
    )


def tag_uri(settings: Settings, day: dt.date, path: str) -> str:
    """A tag: URI (RFC 4151) for a site-root-relative path: the site's host and folder, so
    two desks on one host (GitHub project sites) differ; without site_url a host under
    .invalid (RFC 2606), which no one owns, made from the site's name."""
    if settings.site_url:
        url = urlsplit(settings.site_url)
        host, base = url.hostname or "localhost", url.path.lstrip("/")
    else:
        host = (re.sub(r"[^a-z0-9]+", "-", settings.site_name.lower()).strip("-") or "briefings") + ".invalid"
        base = ""
    return _xml(f"tag:{host},{day.isoformat()}:{base}{path}")


def _content(article: Article, story: StoryEntry | None = None) -> str:
    """Our summary and key points as HTML, escaped as on the pages, then the corrections of
    our notes, dated (an entry with corrections is updated: ``_updated``). A story's entry
    lists the corrections of all its reports, each with its outlet."""
    html = f"<p>{escape(article.summary)}</p>" if article.summary else ""
    if article.key_points:
        html += "<ul>" + "".join(f"<li>{escape(point)}</li>" for point in article.key_points) + "</ul>"
    fixes: list[tuple[Correction, str]] = (
        sorted(((c, f" ({a.source})") for a in story.versions for c in a.corrections), key=lambda f: f[0].date)
        if story is not None
        else [(c, "") for c in article.corrections]
    )
    if fixes:
        html += "<p><strong>Corrections</strong></p><ul>" + "".join(
            f"<li>Corrected {day(c.date)}{escape(outlet)}: {escape(c.text)}</li>" for c, outlet in fixes
        )
        html += "</ul>"
    return _xml(html)


def feed_files(spec: FeedSpec, edition: Edition, settings: Settings) -> dict[str, str]:
    return {spec.atom: atom(spec, edition, settings), spec.json: json_feed(spec, edition, settings)}


def _url(path: str, feed_path: str, settings: Settings) -> str:
    if settings.site_url:
        return settings.site_url + path
    rel = posixpath.relpath(path or ".", posixpath.dirname(feed_path) or ".")
    return rel + "/" if (not path or path.endswith("/")) and not rel.endswith("/") else rel


def _updated(article: Article, story: StoryEntry | None = None) -> dt.datetime:
    """When readers last saw it change: its date, updated: or its newest correction; for a
    story's entry, the latest of those of its reports (a new source changes its title)."""
    if story is None:
        return article.last_changed
    return max(a.last_changed for a in (article, *story.versions))


def _target(spec: FeedSpec, article: Article) -> tuple[str, str]:
    """What an entry links to and its title: the article, or its story with the number of sources."""
    story = spec.stories.get(article.slug)
    if story is None:
        return article.page_url, article.title
    return story.url, f"{article.title} ({story.sources} source{'s' if story.sources != 1 else ''})"


def atom(spec: FeedSpec, edition: Edition, settings: Settings) -> str:
    fg = FeedGenerator()
    fg.id(_xml(settings.absolute(spec.atom)) or tag_uri(settings, EPOCH.date(), spec.atom))
    fg.title(_xml(spec.name(settings)))
    fg.subtitle(_xml(spec.description or settings.site_description or spec.title))
    fg.link(href=_xml(_url(spec.page, spec.atom, settings)), rel="alternate", type="text/html")
    fg.link(href=_xml(_url(spec.atom, spec.atom, settings)), rel="self", type="application/atom+xml")
    fg.author({"name": _xml(settings.site_name)})
    fg.generator("briefings", version=__version__)
    fg.language("en")
    items = spec.articles[:FEED_SIZE]
    fg.updated(max((_updated(a, spec.stories.get(a.slug)) for a in items), default=EPOCH))
    for article in items:
        story = spec.stories.get(article.slug)
        fe = fg.add_entry(order="append")
        target, title = _target(spec, article)
        page = _xml(_url(target, spec.atom, settings))
        fe.id(tag_uri(settings, article.published.date(), target))
        fe.title(_xml(title))
        fe.link(href=page, rel="alternate", type="text/html")
        if article.url:
            fe.link(href=_xml(article.url), rel="related", type="text/html")
        fe.published(article.published)
        fe.updated(_updated(article, story))
        for name in article.authors or (article.source,):
            fe.author({"name": _xml(name)})
        if article.summary:
            fe.summary(_xml(article.summary))
        if content := _content(article, story):
            fe.content(content, type="html")
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
        story = spec.stories.get(article.slug)
        item = {
            "id": tag_uri(settings, article.published.date(), target),
            "url": _url(target, spec.json, settings),
            "title": title,
            "content_text": article.summary or article.title,
            "content_html": _content(article, story) or escape(article.title),
            "date_published": article.published.isoformat(),
            "date_modified": _updated(article, story).isoformat(),
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
        "title": spec.name(settings),
        "home_page_url": _url(spec.page, spec.json, settings),
        "feed_url": _url(spec.json, spec.json, settings),
        "description": spec.description or settings.site_description or spec.title,
        "language": "en",
        "authors": [{"name": settings.site_name}],
        "items": items,
    }
    return json.dumps(feed, ensure_ascii=False, indent=2) + "\n"


def feed_specs(edition: Edition, settings: Settings) -> list[FeedSpec]:
    """Every feed of the site: all articles, each topic's, person's and story's. Feeds
    never carry drafts, even in a --drafts preview. The site's and the topics' list a
    story once; a person's and a story's list each article."""

    story_of = {a.slug: s for s in edition.stories for a in s.articles}
    entries = {
        s.id: StoryEntry(s.url, story_sources(s), tuple(a for a in s.articles if a.slug not in edition.unpublished))
        for s in edition.stories
    }
    stories = {slug: entries[s.id] for slug, s in story_of.items()}
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
    for story in edition.stories:
        newest = tuple(sorted(story.articles, key=lambda a: a.published, reverse=True))
        specs.append(FeedSpec(story.title, story.summary, story.url, published(newest), key=f"story-{story.id}"))
    return specs


def feed_lists(specs: list[FeedSpec], settings: Settings) -> dict[str, str]:
    """The OPML list of the feeds, and an empty sitemap beside them."""
    # Material's JavaScript fetches sitemap.xml next to each <link rel="alternate">: one that
    # lists nothing answers it here (a sitemap lists only URLs under its own folder anyway).
    sitemap = '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>\n'
    return {OPML: opml(specs, settings), FEEDS + "sitemap.xml": sitemap}


def opml(specs: list[FeedSpec], settings: Settings) -> str:
    """OPML 2.0: every Atom feed with its title and page, grouped as the site is, for
    subscribing to all of them at once. Addresses as in the feeds (relative to this file
    without site_url)."""
    groups: dict[str, list[str]] = {"": [], "topic": [], "person": [], "story": []}
    for spec in specs:
        text = escape(_xml(spec.name(settings)))
        xml_url = escape(_url(spec.atom, OPML, settings))
        html_url = escape(_url(spec.page, OPML, settings))
        kind = spec.key.split("-")[0] if spec.key else ""
        groups[kind if kind in groups else ""].append(
            f'<outline type="rss" text="{text}" title="{text}" xmlUrl="{xml_url}" htmlUrl="{html_url}"/>'
        )
    body = [f"    {line}" for line in groups[""]]
    for key, label in (("topic", "Topics"), ("person", "People"), ("story", "Stories")):
        if groups[key]:
            body += [f'    <outline text="{label}">', *(f"      {line}" for line in groups[key]), "    </outline>"]
    title = escape(_xml(f"{settings.site_name}: feeds"))
    return "\n".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<opml version="2.0">',
            f"  <head>\n    <title>{title}</title>\n  </head>",
            "  <body>",
            *body,
            "  </body>",
            "</opml>",
            "",
        ]
    )
