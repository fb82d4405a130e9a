"""Copies of a site made of hard links, for staging a site without copying it
(``sitefolder.py``). Safe only because a build never writes a linked file in
place: it replaces it (a new inode), so the site it was linked from is untouched
(a page written in place has no other link: ``incremental.redate_pages``).
Plain strings and os calls: a big site is ten thousand folders."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

from briefings.fileio import overwrite_bytes, read_bytes


def link_tree(source: Path, dest: Path) -> None:
    """``dest`` becomes a copy of ``source`` made of hard links."""

    def link(src: str, dst: str) -> None:
        os.makedirs(dst, exist_ok=True)
        with os.scandir(src) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    link(entry.path, os.path.join(dst, entry.name))
                else:
                    os.link(entry.path, os.path.join(dst, entry.name), follow_symlinks=False)

    link(str(source), str(dest))


def refresh_copy(source: Path, dest: Path) -> None:
    """Make ``dest``, an older copy of a site, a copy of ``source``: a file ``dest`` alone links
    gets ``source``'s bytes written over it in place where they differ (no new inode: on ext4 a
    new file costs several times what writing the page does), any other is linked again by
    rename (nothing is written through a link) unless it already is the same file; the folders
    are kept (a site keeps its pages), and what ``source`` does not hold is deleted. About what
    deleting ``dest`` would cost, and it leaves a spare instead of nothing whose pages are its
    own, as a new day's build wants them (``incremental.redate_pages``)."""

    def walk(src: str, dst: str) -> None:
        os.makedirs(dst, exist_ok=True)
        with os.scandir(dst) as entries:
            old = {e.name: (e.is_dir(follow_symlinks=False), e.inode()) for e in entries}
        with os.scandir(src) as entries:
            for entry in entries:
                target = os.path.join(dst, entry.name)
                is_dir = entry.is_dir(follow_symlinks=False)
                was_dir, inode = old.pop(entry.name, (is_dir, None))
                if was_dir != is_dir:  # a file became a folder, or the other way
                    _remove(target, was_dir=was_dir)
                    inode = None
                if is_dir:
                    walk(entry.path, target)
                elif inode != entry.inode() and not (inode is not None and _written_over(entry, target)):
                    # Not already the same file (then rename would do nothing), nor its own.
                    tmp = os.path.join(dst, f".{entry.name}.link")
                    os.link(entry.path, tmp, follow_symlinks=False)
                    os.replace(tmp, target)
        for name, (was_dir, _) in old.items():
            _remove(os.path.join(dst, name), was_dir=was_dir)

    walk(str(source), str(dest))


def _written_over(source: os.DirEntry[str], dest: str) -> bool:
    """Give ``dest``, a regular file with no other link, the bytes of ``source`` in place;
    False, untouched, when it has another link (a published page, a cached bundle's file)."""
    found = os.lstat(dest)
    if not stat.S_ISREG(found.st_mode) or found.st_nlink != 1 or not source.is_file(follow_symlinks=False):
        return False
    data, _ = read_bytes(source.path)
    if found.st_size != len(data) or read_bytes(dest)[0] != data:
        overwrite_bytes(dest, data)
    return True


def _remove(path: str, *, was_dir: bool) -> None:
    if was_dir:
        shutil.rmtree(path)
    else:
        os.unlink(path)


def remove_file(site: Path, rel: str) -> None:
    """Delete a file of a staged site, and the folders it leaves empty: a full build
    would not have made them."""
    path = site / rel
    path.unlink(missing_ok=True)
    for folder in path.parents:
        if folder == site or site not in folder.parents:
            break
        try:
            folder.rmdir()  # only when empty
        except OSError:
            break
