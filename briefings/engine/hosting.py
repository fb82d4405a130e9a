"""Files a host needs beside the pages, and what the site's size means for GitHub Pages."""

from __future__ import annotations

import os
from pathlib import Path

# GitHub Pages publishes sites of at most 1 GB ("GitHub Pages limits" in GitHub's docs). A
# briefings site is about 40 KB an article (10,000 articles: 399 MB), so near 25,000 articles.
PAGES_LIMIT = 10**9


def add_hosting_files(site: Path, cname: str | None) -> None:
    """GitHub Pages files, written into the staged site so they swap in with it:
    .nojekyll (serve the files as they are: no Jekyll run, which would hide
    folders starting with _) and, for a custom domain, CNAME."""
    for name, text in ((".nojekyll", ""), ("CNAME", f"{cname}\n" if cname else None)):
        if text is not None:
            (site / name).unlink(missing_ok=True)  # an incremental staging holds hard links: never write through them
            (site / name).write_text(text, encoding="utf-8")


def tally(site: Path) -> tuple[int, int]:
    """The HTML pages of ``site`` (Pagefind's own files left out, as ``searchshards.site_pages``
    does) and the bytes of all its files, in one walk (os.scandir: its entries' stats)."""
    pagefind = str(site / "pagefind")
    pages = total = 0
    folders = [str(site)]
    while folders:
        folder = folders.pop()
        counted = folder != pagefind and not folder.startswith(pagefind + os.sep)  # not Pagefind's files
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                elif entry.is_file(follow_symlinks=False):
                    total += entry.stat(follow_symlinks=False).st_size
                    pages += counted and entry.name.endswith(".html")
    return pages, total


def size_notes(size: int | None) -> list[str]:
    """A warning when the site is bigger than GitHub Pages publishes, else none."""
    if size is None or size <= PAGES_LIMIT:
        return []
    return [
        f"the site is {human_size(size)}, and GitHub Pages publishes sites of at most 1 GB: it may refuse "
        "this one (Hosting, in the docs, says what a desk can do)"
    ]


def human_size(n: int) -> str:
    """Bytes as a person reads them: 812 KB, 5.1 MB, 1.23 GB (powers of 1,000: the limit errs low)."""
    if n >= 10**9:
        return f"{n / 10**9:.2f} GB"
    if n >= 10**6:
        return f"{n / 10**6:.1f} MB"
    return f"{n / 10**3:.0f} KB"
