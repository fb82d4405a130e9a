"""The library's own errors. Only cli.py turns them into exit codes and messages."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, pinned to a file, a line and a field."""

    path: str  # relative to the project root, with forward slashes
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        # Always one line: control characters from hostile keys or values are shown escaped.
        return f"{_printable(self.path)}:{self.line}: {_printable(self.field)}: {_printable(self.message)}"


def _printable(text: str) -> str:
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


class BriefingsError(Exception):
    """Base class: anything the tool reports to the user without a traceback."""


class ContentError(BriefingsError):
    """The content folder has problems; every one of them is listed."""

    def __init__(self, problems: list[Problem]):
        # topics.yml first (articles depend on it), then file by file, line by line; each
        # problem once (a link written twice in a body is one problem).
        self.problems = sorted(dict.fromkeys(problems), key=lambda p: (p.path != "content/topics.yml", p.path, p.line))
        super().__init__(f"{len(self.problems)} problem(s) in the content")


class ProjectError(BriefingsError):
    """The project folder is not usable (missing mkdocs.yml, content/, ...)."""


class SiteBuildError(BriefingsError):
    """MkDocs could not build the site from the generated pages."""


class DeployError(BriefingsError):
    """The site could not be published (no git repository, unknown remote, push refused)."""
