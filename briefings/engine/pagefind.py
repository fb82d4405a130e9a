"""Index a built site with Pagefind (``search: pagefind``).

Pagefind splits its index into small fragments, so a reader downloads a few
kilobytes per query instead of the whole index Material's search fetches
first (66 MB at 10,000 articles). The templates mark what it indexes:
``data-pagefind-body`` on article and topic pages, ``data-pagefind-filter``
for topic, source, person and year.
"""

from __future__ import annotations

import sys
from pathlib import Path

from briefings.engine.guard import run_guarded
from briefings.errors import SiteBuildError

# With extra.briefings.search_full_text: false, an article's full text
# (render.py's ``bf-body``) is left out of the index. On the 10,000-article
# benchmark it makes a common word's index chunk several hundred KB smaller;
# the title, summary, key points, why it matters, quotes and people still carry
# most of what a reader searches for.
BODY_SELECTORS = (".bf-body",)


def index_site(site: Path, *, max_memory_gb: float, full_text: bool = True) -> str:
    """Write the Pagefind bundle into ``site/pagefind/``. Returns Pagefind's log."""
    try:
        import pagefind  # noqa: F401 - only to say clearly that it is missing
    except ImportError:
        raise SiteBuildError("search: pagefind needs Pagefind: pip install 'briefings[pagefind]'") from None
    excludes = [] if full_text else [arg for selector in BODY_SELECTORS for arg in ("--exclude-selectors", selector)]
    finished = run_guarded(
        [sys.executable, "-m", "pagefind", "--site", str(site), "--quiet", *excludes],
        what="Pagefind",
        cwd=site,
        max_memory_gb=max_memory_gb,
    )
    if not (site / "pagefind" / "pagefind.js").is_file():
        raise SiteBuildError(f"Pagefind wrote no search bundle: {finished.output.strip()[-300:] or 'no message'}")
    return finished.output
