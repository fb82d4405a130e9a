"""Where a briefing site's files live."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from briefings.errors import ProjectError


@dataclass(frozen=True)
class Project:
    root: Path

    @classmethod
    def at(cls, folder: str | Path) -> "Project":
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
        return self.root / "build"

    @property
    def docs_dir(self) -> Path:
        return self.build_dir / "docs"
