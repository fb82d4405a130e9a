"""What the commands share: options, progress, and turning the library's errors into one line."""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import click

from briefings.content.load import Track
from briefings.errors import BriefingsError, ContentError, Problem
from briefings.options import MAX_WORKERS, MOST_WORKERS, domain_name, site_url_of
from briefings.project import Project

CONTEXT: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 88}

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., object])


def project_option(func: Callable[..., R]) -> Callable[..., R]:
    """--project DIR, shared by every command that works on a briefing site.

    The command receives ``project`` (a Project) where click passes ``project_dir``:
    a keyword renamed, which no ParamSpec can spell, hence ``...``."""

    @click.option(
        "--project",
        "project_dir",
        default=".",
        show_default="the current folder",
        type=click.Path(file_okay=False, path_type=Path),
        envvar="BRIEFINGS_PROJECT",
        show_envvar=True,
        help="The briefing site's folder (holds mkdocs.yml and content/).",
    )
    @functools.wraps(func)
    def wrapper(*args: object, project_dir: Path, **kwargs: object) -> R:
        return func(*args, project=Project.at(project_dir), **kwargs)

    return wrapper


PROGRESS_MIN = 300  # articles: below this, reading them is quick enough to need no progress bar


def progress(label: str) -> Track:
    """Wraps the article files as they are read: a progress bar when there are many and
    stdout is a terminal, one plain line otherwise (CI logs), nothing for a small folder.
    Both go to stderr."""

    def track(files: list[T], /) -> Iterable[T]:
        if len(files) <= PROGRESS_MIN:
            return files
        if not sys.stdout.isatty():
            click.echo(f"{label} {len(files)} articles...", err=True)
            return files
        return _bar(files, label)

    return track


def _bar(files: list[T], label: str) -> Iterator[T]:
    # On stderr, so the command's own output can be piped.
    with click.progressbar(files, label=f"{label} {len(files)} articles", show_pos=True, file=sys.stderr) as bar:
        yield from bar


class BadValue(click.ClickException):
    """A value on the command line that the library refused: a usage error, as one line."""

    exit_code = 2


@contextlib.contextmanager
def option_values() -> Iterator[None]:
    """Around the library's checks of what was typed (a date, a topic id, a title): what
    they refuse is a usage error, exit status 2, like a value click itself refuses. The
    message already names the option (``--date: ...``)."""
    try:
        yield
    except BriefingsError as exc:
        raise BadValue(str(exc)) from None


def checked_by(check: Callable[[str], object]) -> Callable[[click.Context, click.Parameter, str | None], str | None]:
    """An option callback: ``check`` (a library function that raises BriefingsError) refuses
    a bad value while the command line is read, before any work (exit status 2)."""

    def callback(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        if value is not None:
            with option_values():
                check(value)
        return value

    return callback


def reports_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn the library's errors into one-line messages and exit status 1."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except ContentError as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            n = len(exc.problems)
            click.echo(f"Error: {n} problem{'s' if n != 1 else ''} found{_left_undone()}.", err=True)
            raise SystemExit(1) from None
        except BriefingsError as exc:
            click.echo(f"Error: {exc}", err=True)
            raise SystemExit(1) from None
        except OSError as exc:  # a full disk, a folder made read-only meanwhile: one line, no traceback
            where = f": {exc.filename}" if exc.filename else ""
            click.echo(f"Error: {exc.strerror or exc}{where}", err=True)
            raise SystemExit(1) from None

    return wrapper


def _left_undone() -> str:
    """What the command did not do because of the problems: ``check`` only says them."""
    context = click.get_current_context(silent=True)
    name = context.info_name if context is not None else None
    if name == "check":
        return ""
    return "; nothing was built" if name in ("build", "deploy", "serve") else "; nothing was written"


def left_out_of(what: str) -> Callable[[Problem], None]:
    """Prints a problem of a draft that is left out of ``what`` (the site, the list) as a warning."""

    def warn(problem: Problem) -> None:
        click.echo(f"Warning: {problem} (a draft: left out of {what})", err=True)

    return warn


def waiting(pid: int | None) -> None:
    """Told once when another build of the project holds its build folder."""
    who = f" (PID {pid})" if pid else ""
    click.echo(f"Waiting for another build of this project{who} to finish...", err=True)


def hosting_options(func: F) -> F:
    """--base-url and --cname, shared by build and deploy."""
    func = click.option(
        "--cname",
        metavar="DOMAIN",
        envvar="BRIEFINGS_CNAME",
        show_envvar=True,
        callback=checked_by(domain_name),
        help="Custom domain: write a CNAME file into the site.  [default: extra.cname from mkdocs.yml]",
    )(func)
    return click.option(
        "--base-url",
        metavar="URL",
        envvar="BRIEFINGS_BASE_URL",
        show_envvar=True,
        callback=checked_by(site_url_of),
        help="The address the site is served from, e.g. https://user.github.io/repo/ for a project "
        "site.  [default: site_url from mkdocs.yml]",
    )(func)


def workers_option(func: F) -> F:
    """--workers, shared by the commands that build."""
    return click.option(
        "--workers",
        type=click.IntRange(min=1, max=MOST_WORKERS),
        envvar="BRIEFINGS_WORKERS",
        show_envvar=True,
        help="Worker processes for reading, writing and building the pages of a big archive (1: none), "
        "and how many Pagefind runs index the search at once.  "
        f"[default: the CPUs available, at most {MAX_WORKERS}]",
    )(func)


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
