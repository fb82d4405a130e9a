"""The render and write stages together: Markdown pages straight to build/docs.

On a big archive nearly all the work is the article pages: rendering each
body, related coverage and front matter, then creating ten thousand files.
That work is split between worker processes, which render and write their
share and send back only the names they changed, while this process renders
and writes the listings (home, topics, timeline, people, feeds). The bytes
written are the same as render.render() gives, serial or not.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from briefings.content.model import Edition
from briefings.options import Settings
from briefings.pages.article import ArticlePages
from briefings.pages.context import RenderContext
from briefings.pages.render import listing_pages
from briefings.pages.write import WriteStats, finish, write_file
from briefings.parallel import Workers


def render_and_write(
    edition: Edition,
    settings: Settings,
    docs_dir: Path,
    *,
    workers: Workers = Workers(),
    also: Callable[[], None] = lambda: None,
) -> WriteStats:
    """Write every page under docs_dir; ``also`` is more work for this process
    while the workers render (it finishes the listings well before them)."""
    ctx = RenderContext(edition, settings)
    articles = ArticlePages(ctx)
    base = str(docs_dir)
    fresh = not docs_dir.is_dir() or not any(os.scandir(base))  # a first build: nothing to compare with
    os.makedirs(os.path.join(base, "articles"), exist_ok=True)

    def article_share(indices: range) -> list[str]:  # runs in a worker: sends back only names
        changed = []
        for i in indices:
            name = articles.name(i)
            if write_file(base, name, articles.page(i), fresh=fresh):
                changed.append(name)
        return changed

    def listings() -> tuple[list[str], list[str]]:
        names, changed = [], []
        for name, text in listing_pages(ctx):
            names.append(name)
            if write_file(base, name, text, fresh=fresh):
                changed.append(name)
        also()
        return names, changed

    shares, (names, changed) = workers.chunks(article_share, len(edition.articles), listings)
    for share_changed in shares:
        changed += share_changed
    names += [articles.name(i) for i in range(len(edition.articles))]
    return finish(docs_dir, names, changed)
