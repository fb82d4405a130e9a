"""The theme a site is built with: briefings' own, with the desk's overrides laid over it.

The templates, stylesheet and script ship inside the package (``briefings/theme/``,
the repository's top-level ``theme/``). A desk does not copy them: the folder
that ``theme.custom_dir`` names in its mkdocs.yml (``overrides/`` unless it names
another) holds only what the curator changed, and a file there takes the place
of the package's file with the same path. Everything else comes from the
installed package, so an upgrade of briefings reaches every desk, and a
curator's own change is never mixed up with ours.

The engines are handed both layers: MkDocs searches a list of theme folders
(``Theme.dirs``), so it gets the overrides, then the package theme, then
Material's, and its messages name the file that was really read. Zensical takes
one ``custom_dir``, so it gets the two composed into ``build/theme/``, written
only where a file changed.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefings.errors import ProjectError
from briefings.fileio import digest
from briefings.options import SiteConfig

# Not part of a theme: what git, editors and Python leave behind, and the note
# `briefings init` writes into an empty overrides folder (so git keeps it).
NOTE = "README.md"


def package_theme() -> Path:
    """The theme this installation of briefings ships."""
    package = Path(__file__).resolve().parent.parent  # briefings/
    for candidate in (package / "theme", package.parent / "theme"):  # installed; a checkout of the repository
        if (candidate / "main.html").is_file():
            return candidate
    raise ProjectError("the briefings theme is missing from this installation (reinstall briefings)")


@dataclass(frozen=True)
class Theme:
    """The package's theme and, when the desk has one, its overrides folder."""

    package: Path
    overrides: Path | None = None

    @property
    def dirs(self) -> tuple[Path, ...]:
        """The folders in the order they are searched: the first that has a file wins."""
        return (self.package,) if self.overrides is None else (self.overrides, self.package)

    def files(self) -> dict[str, Path]:
        """Every file of the theme as built, by its path inside the theme, sorted:
        the overriding file where the desk has one."""
        found: dict[str, Path] = {}
        for folder in reversed(self.dirs):
            found.update(theme_files(folder, note=folder == self.overrides))
        return dict(sorted(found.items()))

    def overridden(self) -> list[str]:
        """The files the desk's overrides replace or add."""
        return sorted(theme_files(self.overrides, note=True)) if self.overrides else []

    def fingerprint(self) -> str:
        """A hash of the theme as built: it changes when the package or the overrides do."""
        return digest(repr([(rel, path.read_bytes()) for rel, path in self.files().items()]))

    def compose(self, into: Path) -> None:
        """Write the theme as built into ``into`` (a folder the build owns): files
        whose bytes changed are written, files no longer in it are removed."""
        wanted = self.files()
        for rel, source in wanted.items():
            data = source.read_bytes()
            dest = into / rel
            if dest.is_file() and not dest.is_symlink() and dest.read_bytes() == data:
                continue
            if dest.is_dir() and not dest.is_symlink():
                shutil.rmtree(dest)  # a folder of the last build where a file is now
            dest.parent.mkdir(parents=True, exist_ok=True)
            tmp = dest.with_name(f".{dest.name}.new")
            tmp.write_bytes(data)
            tmp.replace(dest)
        for path in sorted(into.rglob("*"), reverse=True):  # deepest first: folders emptied before they are seen
            rel = path.relative_to(into).as_posix()
            if path.is_symlink() or path.is_file():
                if rel not in wanted:
                    path.unlink()
            elif not any(path.iterdir()):
                path.rmdir()


def theme_of(config: SiteConfig, *, package: Path | None = None) -> Theme:
    """The theme a project's build uses (``package``: another package theme, for tests)."""
    overrides = config.overrides_dir  # raises when it names a file
    return Theme(
        package=(package or package_theme()).resolve(),
        overrides=overrides.resolve() if overrides.is_dir() else None,
    )


def theme_files(folder: Path, *, note: bool = False) -> dict[str, Path]:
    """A theme folder's files, by path inside it: hidden files and folders,
    Python's caches and (``note``) the overrides folder's README.md left out."""
    found = {}
    for path in sorted(folder.rglob("*")):
        parts = path.relative_to(folder).parts
        if any(p.startswith(".") or p == "__pycache__" for p in parts) or path.suffix == ".pyc":
            continue
        if (note and parts == (NOTE,)) or not path.is_file():
            continue
        found["/".join(parts)] = path
    return found


def engine_theme(raw: Mapping[str, Any], custom_dir: Path) -> dict[str, Any]:
    """mkdocs.yml's ``theme:`` as an engine gets it: Material, with ``custom_dir``."""
    theme = raw.get("theme") or {}
    theme = {"name": theme} if isinstance(theme, str) else dict(theme)
    if not theme.get("name"):
        theme["name"] = "material"  # briefings' templates extend Material's
    theme["custom_dir"] = str(custom_dir)
    return theme
