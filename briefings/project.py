"""Where a briefing site's files live."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from briefings.errors import ProjectError


@dataclass(frozen=True)
class Project:
    root: Path
    work: Path | None = None  # the build folder, when not build/ (serve has its own)

    @classmethod
    def at(cls, folder: str | Path) -> Project:
        root = Path(folder).resolve()
        project = cls(root)
        if not project.config_file.is_file():
            raise ProjectError(
                f"{root}: no mkdocs.yml here (expected a briefing site's folder: "
                "run briefings from it, or pass --project DIR)"
            )
        return project

    @property
    def config_file(self) -> Path:
        return self.root / "mkdocs.yml"

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def build_dir(self) -> Path:
        """Git-ignored folder for everything generated before MkDocs runs."""
        return self.work or self.root / "build"

    def preview(self) -> Project:
        """The same project with a build folder of its own (build/preview/) for
        `briefings serve`: its pages include drafts, and must never be published
        by a `briefings build` running at the same time."""
        return replace(self, work=self.root / "build" / "preview")

    @property
    def docs_dir(self) -> Path:
        return self.build_dir / "docs"
