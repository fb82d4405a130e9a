"""The site folder: which folders a build may replace, and how it replaces one
with no instant at which the last good site is missing.

Rules (issue: nothing is ever lost):

- A build writes a marker file into every site it makes. A folder is accepted
  as the site folder only when it is absent, empty, or holds that marker (or is
  the folder the last recorded build went to). It is never the project folder,
  ``content/``, the theme, ``build/`` or ``.git``, nor inside or around any of
  them, after symlinks are resolved.
- Each build stages the new site in a private folder beside the target,
  ``.<name>-build-<pid>-<random>/`` holding a ``.briefings-staging`` marker and
  the new site in ``site/``. The swap exchanges the two folders in one system
  call (``renameat2(RENAME_EXCHANGE)`` on Linux, ``renamex_np(RENAME_SWAP)`` on
  macOS), so the target path always holds a whole site; the old site, now in
  the staging folder, is deleted with it.
- Where the file system cannot exchange (Windows, some network file systems)
  the fallback is two renames: the old site moves into the staging folder as
  ``old/``, then the new one moves in. A kill between the two leaves no target
  for an instant; the next run (:func:`recover`) moves ``old/`` back before
  anything else, so the last good copy is never deleted while it is the only one.
- Leftover staging folders are deleted only when they carry the staging marker
  and their process is gone.
- An incremental build stages a copy of the published site made of hard links
  (only replaced files are new; nothing is ever written through a link: a staged
  file is written in place only when it has no other link). After
  its swap, the previous site, which differs from the new one only in the files
  the build replaced, is kept beside the target as ``.<name>-spare/`` (a staging
  folder renamed, marker inside) instead of being deleted file by file; the next
  incremental build takes it as its staging copy and links again just the files
  the build record names. After a full build the previous site is first made a
  copy of the new one, file by file, each of its own files written over in
  place (``linktree.refresh_copy``: about what deleting it costs), so that its
  pages stay its own for the next new day. After
  one that wrote a new day into every page it is kept as it is, its pages a day
  behind and each its own file: the next build, of a new day or the same one,
  writes the day into them in place (``incremental.redate_pages``). Any
  build that does not use the spare deletes it; a kill leaves at worst a spare
  that no record names, which the next build deletes.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import functools
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from briefings.cache import read_site_record
from briefings.engine.linktree import link_tree, refresh_copy, remove_file
from briefings.errors import SiteBuildError
from briefings.options import BuildOptions
from briefings.project import Project

MARKER = ".briefings-site"
MARKER_TEXT = (
    "This folder is a site built by briefings. `briefings build` replaces it whole:\nkeep no files of your own here.\n"
)
STAGING_MARKER = ".briefings-staging"
STAGED_SITE = "site"  # the new site inside a staging folder
OLD_SITE = "old"  # the previous site inside a staging folder, in the two-rename fallback


class SiteDirError(SiteBuildError):
    """The folder given for the site is not one a build may replace."""


@dataclass(frozen=True)
class Protected:
    """A folder of the project that a site folder must never be, hold or sit in."""

    path: Path
    name: str  # how the message names it


def protected_folders(root: Path, *, build_dir: Path, theme_dirs: tuple[Path, ...] = ()) -> list[Protected]:
    found = [
        Protected(root / "content", "the content/ folder"),
        Protected(build_dir, "the build/ folder"),
        Protected(root / ".git", "the .git folder"),
        Protected(root / "theme", "the theme/ folder"),
        Protected(root / "overrides", "the overrides/ folder"),
    ]
    found += [Protected(folder, f"the theme folder {folder.name}/") for folder in theme_dirs]
    return [Protected(p.path.resolve(), p.name) for p in found]


def check_site_dir(
    target: Path, *, root: Path, build_dir: Path, theme_dirs: tuple[Path, ...] = (), recorded: Path | None = None
) -> Path:
    """The resolved site folder, or SiteDirError saying in one line why a build
    may not replace it. ``recorded`` is the folder the last successful build
    went to (proof of ownership for sites built before the marker existed)."""
    given = target
    target = target.resolve()
    why = "expected an empty folder, or one briefings built, such as site/"
    root = root.resolve()
    if target == root or target in root.parents:
        raise SiteDirError(f"site_dir {given} is the project folder or contains it ({why})")
    for folder in protected_folders(root, build_dir=build_dir, theme_dirs=theme_dirs):
        if target == folder.path or target in folder.path.parents:
            raise SiteDirError(f"site_dir {given} is {folder.name} or contains it ({why})")
        if folder.path in target.parents:
            raise SiteDirError(f"site_dir {given} is inside {folder.name} ({why})")
    for parent in target.parents:
        if parent.exists() and not parent.is_dir():
            raise SiteDirError(f"site_dir {given} cannot be made: {parent} is a file, not a folder")
    if os.path.lexists(target):
        if not target.is_dir():
            raise SiteDirError(f"site_dir {given} is a file, not a folder ({why})")
        if not owned(target, recorded):
            raise SiteDirError(
                f"site_dir {given} holds files briefings did not make, and a build replaces "
                f"the whole folder ({why}; move those files, or pass another --site-dir)"
            )
    return target


def owned(folder: Path, recorded: Path | None) -> bool:
    """Whether a build may replace the existing folder ``folder``: it holds our marker, is the
    folder the last build went to (``recorded``), or is empty."""
    marker = folder / MARKER
    if marker.is_file() and not marker.is_symlink():
        return True
    if recorded is not None and recorded.resolve() == folder:
        return True
    try:
        with os.scandir(folder) as entries:
            return next(entries, None) is None
    except OSError as exc:
        raise SiteDirError(f"site folder {folder} cannot be read: {exc.strerror}") from None


# --- staging -------------------------------------------------------------------


@dataclass(frozen=True)
class Staging:
    """A private folder beside the target; the new site is built into ``site``."""

    folder: Path

    @property
    def site(self) -> Path:
        return self.folder / STAGED_SITE


def _pattern(target: Path) -> str:
    return f".{target.name}-build-"


def stage(target: Path) -> Staging:
    """A new staging folder next to ``target`` with an empty ``site/`` to build into."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix=f"{_pattern(target)}{os.getpid()}-", dir=target.parent))
        (folder / STAGING_MARKER).write_text("A site being built by briefings; deleted when the build ends.\n", "utf-8")
        (folder / STAGED_SITE).mkdir()
    except OSError as exc:
        raise SiteDirError(f"cannot make the site folder {target}: {exc.strerror or exc}") from None
    return Staging(folder)


def discard(staging: Staging) -> None:
    _remove_tree(staging.folder)


@contextlib.contextmanager
def staged(target: Path, *, copy: bool = False, spare_differs: Collection[str] | None = None) -> Iterator[Staging]:
    """A staging folder for the next site at ``target``; removed, with what it
    holds, if the block fails. The block ends with ``swap_in``. With ``copy``,
    its site starts as a copy of ``target`` made of hard links: from the spare
    when ``spare_differs`` names the files in which it differs from ``target``
    (and, a day behind, the footer's day in every page: the engine writes that)."""
    staging = stage(target)
    try:
        if copy:
            copy_target(target, staging.site, spare_differs)
        else:
            drop_spare(target)
        yield staging
    except OSError as exc:  # a full disk, a folder that became unwritable...
        discard(staging)
        where = f": {exc.filename}" if exc.filename else ""
        raise SiteBuildError(
            f"could not write the site: {exc.strerror or exc}{where} (the previous site in {target} is untouched)"
        ) from None
    except BaseException:
        discard(staging)
        raise


def spare_of(target: Path) -> Path:
    return target.parent / f".{target.name}-spare"


def drop_spare(target: Path) -> None:
    """Delete the spare copy of the previous site, if there is one (it is ours: marker inside)."""
    spare = spare_of(target)
    if spare.is_dir() and not spare.is_symlink() and (spare / STAGING_MARKER).is_file():
        _remove_tree(spare)


def copy_target(target: Path, site: Path, spare_differs: Collection[str] | None) -> None:
    """Make the empty folder ``site`` a copy of ``target`` of hard links. The spare, when
    ``spare_differs`` says how it differs, is moved in and only those files linked again."""
    spare = spare_of(target)
    if spare_differs is None or not (spare / STAGING_MARKER).is_file() or not (spare / STAGED_SITE).is_dir():
        drop_spare(target)
        link_tree(target, site)
        return
    site.rmdir()
    _rename(spare / STAGED_SITE, site)
    _remove_tree(spare)
    for rel in spare_differs:
        if rel.endswith("/"):  # a whole folder (Pagefind's bundle)
            shutil.rmtree(site / rel, ignore_errors=True)
            if (target / rel).is_dir():
                link_tree(target / rel, site / rel)
            continue
        if (target / rel).is_file():
            (site / rel).unlink(missing_ok=True)
            (site / rel).parent.mkdir(parents=True, exist_ok=True)
            os.link(target / rel, site / rel)
        else:  # a page the build removed: its folder goes too, as from the site
            remove_file(site, rel)


def target_folder(project: Project, options: BuildOptions) -> Path:
    """The build's site folder, checked: a build may replace only a folder it owns."""
    record = read_site_record(project.build_dir)
    return check_site_dir(
        options.site_dir,
        root=project.root,
        build_dir=project.build_dir,
        theme_dirs=options.config.theme_dirs,
        recorded=record.target if record else None,
    )


def leftovers(target: Path) -> list[Path]:
    """Staging folders next to ``target`` that a build of ours made (marker inside), sorted."""
    found = []
    try:
        candidates = sorted(target.parent.glob(f"{_pattern(target)}*"))
    except OSError:
        return []
    for folder in candidates:
        if folder.is_dir() and not folder.is_symlink() and (folder / STAGING_MARKER).is_file():
            found.append(folder)
    return found


def _owner(folder: Path) -> int | None:
    try:
        return int(folder.name.split("-build-", 1)[1].split("-", 1)[0])
    except (IndexError, ValueError):
        return None


def recover(target: Path) -> str | None:
    """Before a build: put back a site that a killed swap left aside, and delete
    staging folders whose build is gone. Returns what was recovered, if anything."""
    restored = None
    for folder in leftovers(target):
        pid = _owner(folder)
        if pid is not None and _alive(pid):
            continue  # another build (of another project) is at work there
        old = folder / OLD_SITE
        if not os.path.lexists(target) and old.is_dir() and (old / MARKER).is_file():
            # The two-rename fallback was killed between its renames: this is the only good copy.
            _rename(old, target)
            restored = f"restored the last good site into {target} from {folder.name}/"
        _remove_tree(folder)
    return restored


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # our own earlier, failed attempt in this process
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# --- the swap ------------------------------------------------------------------


def swap_in(staging: Staging, target: Path, *, keep: bool = False, relink: bool = False) -> bool:
    """Publish the staged site at ``target``; the previous site is deleted last, or
    with ``keep`` kept as the spare (returns True) when the swap was an exchange.
    With ``relink`` (the staged site was built anew), the spare is first made a copy
    of the new site; otherwise it differs from it only where the build replaced files."""
    new = staging.site
    (new / MARKER).unlink(missing_ok=True)  # a staged copy holds a hard link to the published one
    (new / MARKER).write_text(MARKER_TEXT, "utf-8")
    os.chmod(new, 0o755)  # a web server must be able to read it
    if not os.path.lexists(target):
        _rename(new, target)
    elif exchange_supported() and _exchange(new, target):
        # The old site is now at staging.site.
        if keep:
            if relink:
                refresh_copy(target, staging.site)
            drop_spare(target)
            _rename(staging.folder, spare_of(target))
            return True
    else:
        _rename(target, staging.folder / OLD_SITE)
        _rename(new, target)
    _remove_tree(staging.folder)
    return False


# Module-level primitives, so a test can stop the process at any one of them.
def _rename(source: Path, dest: Path) -> None:
    os.rename(source, dest)


def _remove_tree(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically. False when this file system cannot (then use the fallback)."""
    call = _exchange_call()
    if call is None:
        return False
    if call(os.fsencode(a), os.fsencode(b)) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EPERM):
        return False
    raise OSError(code, os.strerror(code), str(b))


_RENAME_EXCHANGE = 2  # Linux's RENAME_EXCHANGE and macOS's RENAME_SWAP are both 1 << 1
_AT_FDCWD = -100


@functools.lru_cache(maxsize=1)
def _exchange_call() -> Callable[[bytes, bytes], int] | None:
    """renameat2 (Linux, glibc 2.28+) or renamex_np (macOS) as f(a, b) -> 0 or -1; None elsewhere."""
    if sys.platform.startswith("linux"):
        libc = _libc()
        fn = getattr(libc, "renameat2", None) if libc else None
        if fn is None:
            return None
        fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        return lambda a, b: fn(_AT_FDCWD, a, _AT_FDCWD, b, _RENAME_EXCHANGE)
    if sys.platform == "darwin":
        libc = _libc()
        fn = getattr(libc, "renamex_np", None) if libc else None
        if fn is None:
            return None
        fn.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint]
        return lambda a, b: fn(a, b, _RENAME_EXCHANGE)
    return None


def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name, use_errno=True) if name else ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def exchange_supported() -> bool:
    return _exchange_call() is not None
