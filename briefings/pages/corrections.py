"""The corrections log, /corrections/: every correction of our notes on a published
article, newest first, each with what changed, our article page and the outlet's
original. It shows the whole archive, so it is made every generation (a listing
unit with key "", ``render.listing_units``)."""

from __future__ import annotations

from briefings.pages.context import RenderContext
from briefings.pages.frontmatter import page
from briefings.pages.text import day, esc
from briefings.pages.views import CorrectionEntry, CorrectionsView, FrontMatter

CORRECTIONS = "corrections.md"  # the page, at corrections/


def corrections_view(ctx: RenderContext) -> CorrectionsView:
    """Newest correction first; on one day, by the article's order (newest first), then as written."""
    found = []
    for rank, article in enumerate(ctx.edition.articles):
        if ctx.draft(article):  # only published articles: a --drafts preview shows no more
            continue
        for i, fix in enumerate(article.corrections):
            entry = CorrectionEntry(
                date=day(fix.date),
                datetime=fix.date.isoformat(),
                text=fix.text,
                title=article.title,
                url=article.page_url,
                source=article.outlet.name if article.outlet else article.source,
                original=article.url,
            )
            found.append(((-fix.date.toordinal(), rank, -i), entry))
    found.sort(key=lambda item: item[0])
    return CorrectionsView(count=len(found), entries=tuple(entry for _, entry in found))


def corrections_page(ctx: RenderContext) -> str:
    front = FrontMatter(
        title="Corrections",
        description=esc("Every correction of our notes on the articles in this archive, newest first."),
        template="corrections.html",
        briefing=corrections_view(ctx),
    )
    return page(front, "")
