"""The weekly digest as an Atom feed (``feeds/digests.xml``), for feed readers and the
RSS-to-email services that mail each new entry: one entry per week, newest first, whose
content is the whole digest as an HTML fragment.

An entry's id is a tag: URI of the week's page (``tag:host,2024-05-20:digests/2024-W21/``),
so a week rebuilt with more in it is an update of its entry, never a new one; its
``updated`` is the latest dated thing in the week (a report, a correction, an update, a
state of play), never the clock, so the same content makes the same feed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from html import escape

from feedgen.feed import FeedGenerator

from briefings import __version__
from briefings.digest.changes import Digest
from briefings.options import Settings
from briefings.pages.digests import DIGEST_FEED, DIGESTS, week_url
from briefings.pages.digestviews import DigestNote, DigestStory, DigestWeekView
from briefings.pages.feeds import EPOCH, _restore_link_rels, _url, _xml, tag_uri

FEED_WEEKS = 20  # newest weeks in the feed


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), dt.UTC)


def last_change(d: Digest) -> dt.datetime:
    """The latest dated thing of the week: a report, an update, a correction (on its day, at
    midnight UTC), a state of play; the Monday's midnight UTC at the earliest."""
    stamps = [a.published for c in d.new_stories + d.gained for a in c.articles]
    stamps += [a.published for p in d.quotes for _, a in p.quotes]
    stamps += [at(n.correction.date) for n in d.corrections]
    stamps += [a.updated for a in d.updated if a.updated is not None]
    stamps += [at(t.updated) for t in d.states if t.updated is not None]
    return max([at(d.window.since), *stamps])  # never before the entry's published, the Monday


def digest_html(view: DigestWeekView, link: Callable[[str], str]) -> str:
    """The digest as an HTML fragment (headings, lists, links through ``link``), as its page says it."""

    def a(url: str, text: str) -> str:
        return f'<a href="{escape(link(url))}">{escape(text)}</a>'

    def stories(heading: str, items: Sequence[DigestStory]) -> list[str]:
        if not items:
            return []
        out = [f"<h2>{heading}</h2>", "<ul>"]
        for s in items:
            summary = f"<br>{escape(s.summary)}" if s.summary else ""
            out.append(f"<li>{a(s.url, s.title)}: {escape(s.reach)}{summary}</li>")
        return [*out, "</ul>"]

    def notes(heading: str, items: Sequence[DigestNote]) -> list[str]:
        if not items:
            return []
        lines = (
            f"<li>{a(n.url, n.title)}, {escape(n.date)}{': ' + escape(n.text) if n.text else ''}</li>" for n in items
        )
        return [f"<h2>{heading}</h2>", "<ul>", *lines, "</ul>"]

    html = [f"<p>{escape(view.headline)}.</p>"]
    html += stories("New stories", view.new_stories)
    html += stories("Stories that gained sources", view.gained)
    if view.quotes:
        html.append("<h2>Quotes</h2>")
        for p in view.quotes:
            html.append(f"<h3>{a(p.url, p.name) if p.url else escape(p.name)}</h3>")
            html.append("<ul>")
            for q in p.quotes:
                html.append(f"<li>“{escape(q.text)}”, in {a(q.url, q.source)}, {escape(q.date)}</li>")
            html.append("</ul>")
    html += notes("States of play rewritten", view.states)
    html += notes("Corrections", view.corrections)
    html += notes("Updated articles", view.updated)
    html.append(f"<p>{a(f'{DIGESTS.url}{view.week}/', f'This digest on the site: {view.label}')}</p>")
    return _xml("\n".join(html))


def digest_feed(weeks: Sequence[Digest], views: Sequence[DigestWeekView], settings: Settings) -> str:
    """The Atom feed of the newest ``FEED_WEEKS`` weeks (``weeks`` and their ``views``, newest first)."""
    path = DIGEST_FEED.atom
    fg = FeedGenerator()
    fg.id(_xml(settings.absolute(path)) or tag_uri(settings, EPOCH.date(), path))
    fg.title(_xml(f"{settings.site_name}: {DIGEST_FEED.title}"))
    fg.subtitle("What changed each week: new stories, stories that gained sources, quotes, corrections.")
    fg.link(href=_xml(_url(DIGESTS.url, path, settings)), rel="alternate", type="text/html")
    fg.link(href=_xml(_url(path, path, settings)), rel="self", type="application/atom+xml")
    fg.author({"name": _xml(settings.site_name)})
    fg.generator("briefings", version=__version__)
    fg.language("en")
    shown = list(zip(weeks, views, strict=True))[:FEED_WEEKS]
    fg.updated(max((last_change(d) for d, _ in shown), default=EPOCH))
    for d, view in shown:
        fe = fg.add_entry(order="append")
        url = week_url(d)
        fe.id(tag_uri(settings, d.window.since, url))
        fe.title(_xml(f"Week of {view.label}: {view.headline}"))
        fe.link(href=_xml(_url(url, path, settings)), rel="alternate", type="text/html")
        fe.published(at(d.window.since))
        fe.updated(last_change(d))
        fe.summary(_xml(view.headline))
        fe.content(digest_html(view, lambda target: _url(target, path, settings)), type="html")
    return _restore_link_rels(fg.atom_str(pretty=True)).decode("utf-8")
