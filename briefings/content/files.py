"""Which files under content/articles are articles: every *.md entry, listed without following
links to folders (a link loop could make the walk go round), and those links said when they
hide articles (``load.load_content`` reads the files)."""

from __future__ import annotations

import os
from pathlib import Path

from briefings.errors import Problem


def article_files(root: Path) -> list[Path]:
    """Every *.md entry under content/articles, in sorted order so runs are
    deterministic. (os.scandir: directory entries carry their type, so a big
    archive is listed without a stat per file; links to folders are not
    followed, so a link loop cannot make it go round.) Entries that are not
    regular files are listed too: the loader reports them."""
    return [Path(p) for p in article_entries(root)[0]]


def article_entries(root: Path) -> tuple[list[str], set[str], list[str]]:
    """``article_files`` as strings, which of them are symbolic links (told by the folder's
    entries, so no file is asked), and the links to folders (not followed)."""
    found: list[str] = []
    links: set[str] = set()
    folder_links: list[str] = []

    def walk(folder: str) -> None:
        try:
            entries = list(os.scandir(folder))
        except OSError:  # as os.walk: a folder that cannot be listed is passed over
            return
        for entry in entries:
            if entry.name.endswith(".md"):
                found.append(entry.path)
                if entry.is_symlink():
                    links.add(entry.path)
            if entry.is_dir(follow_symlinks=False):
                walk(entry.path)
            elif entry.is_symlink() and not entry.name.endswith(".md") and entry.is_dir():
                folder_links.append(entry.path)

    articles_dir = os.path.join(root, "content", "articles")
    if os.path.isdir(articles_dir):
        walk(articles_dir)
    found.sort()
    return found, links, sorted(folder_links)


def unread_folders(root: Path, folder_links: list[str]) -> list[Problem]:
    """A link to a folder of articles, which the walk does not follow (a link loop could make
    it go round): said, not passed over, so no article goes missing unseen. A link back into
    content/articles (its articles are read there) or to a folder without articles is harmless."""
    articles = (root / "content" / "articles").resolve()
    unread = []
    for name in folder_links:
        target = Path(name).resolve()
        if target == articles or articles in target.parents or target in articles.parents:
            continue
        if any(f.endswith(".md") for _, _, files in os.walk(target) for f in files):
            rel = Path(name).relative_to(root).as_posix()
            unread.append(
                Problem(
                    rel,
                    1,
                    "file",
                    f"is a link to the folder {target}, which is not followed, so its articles are not read "
                    "(expected the folder itself: move it into content/articles, or link each file in it)",
                )
            )
    return unread
