"""The render and write stages together: Markdown pages straight to build/docs.

On a big archive nearly all the work is the article pages: rendering each
body, related coverage and front matter, then creating ten thousand files.
That work is split between worker processes, which render and write their
share and send back only the names they changed, while this process renders
and writes the listings (home, topics, timeline, digests, people, feeds); in an
edit, when the listings are most of what is left to do, they are dealt to the
workers too, one unit at a time. The bytes written are the same as
render.render() gives, serial or not.

An article page is not even rendered when its key, the digest of everything it
is made from (``scope``: what every page shares, such as settings and the
registries; then the article's content file and what the page shows of other
articles, ``ArticlePages.inputs``), is the one its file was last written with:
an edit renders the few pages that show the article, not ten thousand. And
when nothing but some articles' own files changed (``_to_key``), only the pages
showing one of those are even keyed: the others' keys are the ones stored. Most
of what a key costs is picking the related coverage, so the picks are stored
with the keys and reused while the selection (the articles' dates, topics and
people: ``RelatedIndex.selection``) is the same, and after articles were only
added, but near them in a topic or a person (``RelatedIndex.to_pick_again``).
A topic's or a person's pages are keyed likewise, by the content files of the
articles they list (``unit_key``), and so are each week's digest, the digest
pages and feed that list weeks, the timeline's page and each month of its
archives; the pages that show the whole archive (the stories, the sources, the
manifest...) are made every time, the manifest from the last one's lines for the
articles whose files are the same.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path

from briefings.content.model import Article, Edition, Related
from briefings.digest.manifest import MANIFEST, article_lines
from briefings.fileio import digest, read_bytes
from briefings.options import Settings
from briefings.pages.article import ArticlePages
from briefings.pages.body import might_link_locally
from briefings.pages.context import RenderContext
from briefings.pages.render import ListingUnit, listing_units
from briefings.pages.write import WriteStats, finish, write_file
from briefings.parallel import Workers


def render_and_write(
    edition: Edition,
    settings: Settings,
    docs_dir: Path,
    *,
    workers: Workers = Workers(),
    also: Callable[[], None] = lambda: None,
    scope: str = "",
    digest_of: Mapping[str, str] | None = None,
    known: Mapping[str, str] | None = None,
) -> WriteStats:
    """Write every page under docs_dir; ``also`` is more work for this process
    while the workers render.
    With ``digest_of`` (content file -> digest of its bytes), article pages get
    keys (in the result); a page whose key is the one ``known`` gives for its
    file, which exists, is left as it is."""
    ctx = RenderContext(edition, settings)
    articles = ArticlePages(ctx)
    base = str(docs_dir)
    fresh = not docs_dir.is_dir() or not any(os.scandir(base))  # a first build: nothing to compare with
    os.makedirs(os.path.join(base, "articles"), exist_ok=True)

    known = {} if known is None or fresh else known
    # The files there now, listed once: a page is left as it is only if its file exists, and
    # asking for each of ten thousand costs a tenth of a second.
    present = files_under(base) if known else set()

    stored_layout, before = _stored_files(known)

    def earlier() -> dict[str, str]:  # where the manifest is made: in a worker, in an edit
        """The last manifest's lines of the articles whose files are the same, when nothing else
        an entry shows changed (the scope): their entries are the same too."""
        if digest_of is None or known.get(SCOPE) != scope or MANIFEST not in present:
            return {}
        slugs = {a.slug for a in edition.articles if a.path in before and before[a.path] == digest_of.get(a.path)}
        try:
            lines = article_lines(read_bytes(os.path.join(base, MANIFEST))[0].decode("utf-8"))
        except (OSError, UnicodeDecodeError):
            return {}
        return {slug: line for slug, line in lines.items() if slug in slugs}

    units = list(listing_units(ctx, earlier=earlier))  # made here, so every worker has the same list

    selection = articles.related.selection if digest_of is not None else ""  # made here, once
    # What the keys were made from besides the articles' own files: when it is what the last
    # generation's were made from, only the pages showing an edited article are keyed again.
    layout = digest(repr((scope, selection, articles.layout()))) if selection else ""
    # Picks made with another selection (one generation's all share theirs) still hold where
    # articles were only added, away from them.
    again: set[int] | None = None
    stored = next((value for entry, value in known.items() if entry.startswith(RELATED)), None) if selection else None
    if stored is not None and _picks(stored)[0] != selection:
        again = articles.related.to_pick_again(_stored_facts(known))
    to_key = None
    if layout and digest_of is not None:
        to_key = _to_key(articles, layout, digest_of, known, (stored_layout, before), scope=scope, again=again)

    def related_of(i: int, name: str, keys: dict[str, str]) -> tuple[Related, ...]:
        """Page ``i``'s related coverage: picked again only where the selection changed around
        it (the scoring is most of what it costs to key an article page), and stored with its keys
        as the selection and the article's facts it was picked with, then the picks' slugs."""
        index = articles.related
        if not selection:
            return index.of(i)
        entry = f"{RELATED}{name}"
        found = _picks(known[entry]) if entry in known else None
        if found is not None and found[0] == selection:
            keys[entry] = known[entry]
            return index.from_picks(i, [index.index_of[slug] for slug in found[2]])
        if found is not None and again is not None and i not in again:
            chosen = [index.index_of[slug] for slug in found[2]]
        else:
            chosen = index.picks(i)
        keys[entry] = "\n".join([selection, index.facts(i), *(index.articles[j].slug for j in chosen)])
        return index.from_picks(i, chosen)

    def article_page(i: int, changed: list[str], keys: dict[str, str]) -> None:
        name = articles.name(i)
        if to_key is not None and i not in to_key and name in known and name in present:
            keys[name] = known[name]  # it shows no edited article: its inputs are the same
            if (entry := f"{RELATED}{name}") in known:
                keys[entry] = known[entry]
            return
        related = related_of(i, name, keys)
        if digest_of is not None and (inputs := articles.inputs(i, digest_of, related)) is not None:
            keys[name] = key = digest(repr((scope, inputs)))
            if known.get(name) == key and name in present:
                return
        if write_file(base, name, articles.page(i, related), fresh=fresh):
            changed.append(name)

    parts: dict[str, str | None] = {}  # unit_key's, by article: filled where the units are made

    def unit_pages(unit: ListingUnit, names: list[str], changed: list[str], keys: dict[str, str]) -> None:
        key = unit_key(ctx, unit, scope, digest_of, parts)
        if key is not None:
            # Stored as the key, then the unit's page names: one per line.
            entry = f"{LISTING}{unit.key}"
            stored = known.get(entry, "").split("\n")
            if stored[0] == key and all(n in present for n in stored[1:]):
                names += stored[1:]
                keys[entry] = known[entry]
                return
        made = []
        for name, text in unit.pages():
            made.append(name)
            if write_file(base, name, text, fresh=fresh):
                changed.append(name)
        names += made
        if key is not None:
            keys[entry] = "\n".join([key, *made])

    # Who makes the listing units. In an edit (pages were keyed before) nearly every article
    # page is current and the listings are most of the work: they are dealt to the workers,
    # a unit a chunk. Otherwise the workers are busy with the article pages and this process
    # makes the listings meanwhile: in a worker, a listing over the whole archive would also
    # copy much of this process's memory into it (each object it touches), for nothing.
    dealt = units if known else []
    here = [] if known else units

    def share(indices: range) -> tuple[list[str], list[str], dict[str, str]]:  # runs in a worker
        """The dealt listing units, then the article pages, of these indices: the listings'
        page names, and the names written and the keys of both."""
        names: list[str] = []
        changed: list[str] = []
        keys: dict[str, str] = {}
        for i in indices:
            if i < len(dealt):
                unit_pages(dealt[i], names, changed, keys)
            else:
                article_page(i - len(dealt), changed, keys)
        return names, changed, keys

    def listings() -> tuple[list[str], list[str], dict[str, str]]:
        names: list[str] = []
        changed: list[str] = []
        keys: dict[str, str] = {}
        for unit in here:
            unit_pages(unit, names, changed, keys)
        also()
        return names, changed, keys

    shares, mine = workers.chunks(share, len(dealt) + len(edition.articles), listings, alone=len(dealt))
    names: list[str] = []
    changed: list[str] = []
    keys: dict[str, str] = {}
    for share_names, share_changed, share_keys in [mine, *shares]:
        names += share_names
        changed += share_changed
        keys |= share_keys
    names += [articles.name(i) for i in range(len(edition.articles))]
    if layout and digest_of is not None:
        keys[FILES] = f"{layout}\n{json.dumps(dict(digest_of), sort_keys=True, separators=(',', ':'))}"
        keys[SCOPE] = scope
    return replace(finish(docs_dir, names, changed), keys=keys)


def files_under(folder: str) -> set[str]:
    """The files under ``folder``, by relative path ("/"-separated)."""
    found: set[str] = set()

    def walk(path: str, prefix: str) -> None:
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path, f"{prefix}{entry.name}/")
                else:
                    found.add(f"{prefix}{entry.name}")

    walk(folder, "")
    return found


def _to_key(
    articles: ArticlePages,
    layout: str,
    digest_of: Mapping[str, str],
    known: Mapping[str, str],
    stored: tuple[str, dict[str, str]],
    *,
    scope: str,
    again: set[int] | None,
) -> set[int] | None:
    """The article pages to key again (positions); None: key them all. A page's key is made
    of what every page shares (``scope``) and its inputs (``ArticlePages.inputs``): its content
    file, and what it shows of other articles, found in the topics' lists, the stories' members
    and its related picks. Every other page's key is the one stored.

    When the last generation's keys were made with this ``layout`` (the scope, the related
    selection, the topic lists and story members): the pages that show an article whose file
    changed since (``ArticlePages.showing``). When articles were only added (no other file
    changed, the same scope): the pages that show an added one (its neighbours in each topic,
    the other versions of its story), those whose related coverage may pick it (``again``,
    picked again), and those whose body may link to another article's file (which page each
    file became is one of their inputs)."""
    layout_before, before = stored
    if not before:
        return None
    edition = articles.ctx.edition.articles
    if layout_before == layout:
        added, changed = False, [i for i, a in enumerate(edition) if before.get(a.path) != digest_of.get(a.path)]
    elif known.get(SCOPE) == scope and again is not None and all(digest_of.get(f) == d for f, d in before.items()):
        added, changed = True, [i for i, a in enumerate(edition) if a.path not in before]
    else:
        return None
    index_of = articles.related.index_of
    picks: list[set[int]] = []
    for i in range(len(edition)):
        entry = known.get(f"{RELATED}{articles.name(i)}")
        if entry is None:
            if added and edition[i].path not in before:
                picks.append(set())  # picked for the first time (in ``again``)
                continue
            return None
        slugs = _picks(entry)[2]
        if not all(slug in index_of for slug in slugs):
            return None
        picks.append({index_of[slug] for slug in slugs})
    shown = articles.showing(changed, picks)
    if added and again is not None:
        shown |= again
        shown.update(i for i, a in enumerate(edition) if might_link_locally(a.body))
    return shown


def _stored_files(known: Mapping[str, str]) -> tuple[str, dict[str, str]]:
    """The layout the last generation's keys were made with, and each content file's digest then."""
    layout, _, files = known.get(FILES, "").partition("\n")
    return layout, json.loads(files) if files else {}


def _picks(value: str) -> tuple[str, str, list[str]]:
    """A page's related picks as stored with the keys (``related_of``): the selection and the
    article's facts they were made with, and the slugs picked."""
    made_with, facts, *slugs = value.split("\n")
    return made_with, facts, slugs


def _stored_facts(known: Mapping[str, str]) -> dict[str, str]:
    """The facts each article's stored picks were made with, by slug (``ArticlePages.name``)."""
    facts = {}
    for entry, value in known.items():
        if entry.startswith(RELATED):
            slug = entry[len(RELATED) :].removeprefix("articles/").removesuffix(".md")
            facts[slug] = _picks(value)[1]
    return facts


LISTING = "listing:"  # the keys of listing units are stored under this prefix and the unit's key
RELATED = "picks:"  # ...an article page's related picks under this one and the page's name
FILES = "files:"  # ...the layout, then the content files' digests, that the keys were made from
SCOPE = "scope:"  # ...and what every article page shares, as their keys hold it


def unit_key(
    ctx: RenderContext,
    unit: ListingUnit,
    scope: str,
    digest_of: Mapping[str, str] | None,
    parts: dict[str, str | None] | None = None,
) -> str | None:
    """The key of a topic's or a person's pages: the content files, by digest, of the articles
    they list, and of the other articles of those articles' stories, and what else they show
    (``ListingUnit.also``). None: made every time. ``parts``: each article's share of a key,
    by slug, kept between calls (an article is in several units: its weeks, its topics...)."""
    if not unit.key or digest_of is None:
        return None
    parts = {} if parts is None else parts
    shares = []
    for article in unit.articles:
        share = parts[article.slug] if article.slug in parts else _share(ctx, article, digest_of)
        parts[article.slug] = share
        if share is None:
            return None
        shares.append(share)
    return digest(repr((scope, unit.key, unit.also)) + "\n".join(shares))


def _share(ctx: RenderContext, article: Article, digest_of: Mapping[str, str]) -> str | None:
    """An article's share of a unit's key: its story, and its file's digest and those of its
    story's other articles; None when one of them has none."""
    story = ctx.story_of.get(article.slug)
    files = [article, *story.articles] if story is not None else [article]
    digests = [found for a in files if (found := digest_of.get(a.path)) is not None]
    if len(digests) < len(files):
        return None
    return f"{story.id if story is not None else ''} {' '.join(digests)}"
