"""The `briefings` command line. The only module that imports click."""

from __future__ import annotations

import functools
from pathlib import Path

import click

from briefings import __version__
from briefings.errors import BriefingsError, ContentError
from briefings.project import Project

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 88}


def project_option(func):
    """--project DIR, shared by every command that works on a briefing site."""

    @click.option(
        "--project", "project_dir", default=".", show_default="the current folder",
        type=click.Path(file_okay=False, path_type=Path), envvar="BRIEFINGS_PROJECT",
        help="The briefing site's folder (holds mkdocs.yml and content/).",
    )
    @functools.wraps(func)
    def wrapper(*args, project_dir: Path, **kwargs):
        return func(*args, project=Project.at(project_dir), **kwargs)

    return wrapper


def reports_errors(func):
    """Turn the library's errors into one-line messages and exit status 1."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except ContentError as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            n = len(exc.problems)
            click.echo(f"Error: {n} problem{'s' if n != 1 else ''} found; nothing was built.", err=True)
            raise SystemExit(1) from None
        except BriefingsError as exc:
            click.echo(f"Error: {exc}", err=True)
            raise SystemExit(1) from None

    return wrapper


@click.group(name="briefings", context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="briefings")
def main() -> None:
    """Publish curated news briefings, grouped by topic, as a searchable static site.

    Articles are Markdown files with YAML front matter in content/articles/;
    topics are listed in content/topics.yml. See README.md for the format.
    """


@main.command(context_settings=CONTEXT)
@click.option("--drafts", is_flag=True, help="Include drafts and future-dated articles (marked as drafts).")
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where to write the site.  [default: site_dir from mkdocs.yml, or site/]")
@click.option("--strict/--no-strict", default=True, show_default=True,
              help="Fail on any MkDocs warning, such as a broken link in an article body.")
@reports_errors
@project_option
def build(project: Project, drafts: bool, site_dir: Path | None, strict: bool) -> None:
    """Check the content, generate the pages and build the site.

    The generated Markdown goes to build/docs/; the site is built beside its
    target folder and swapped in only when the whole build succeeded, so a
    failed build leaves the last good site in place.

    \b
    Examples:
      briefings build
      briefings build --drafts --site-dir /tmp/preview
    """
    from briefings.pipeline import build as run_build

    if site_dir is not None:
        site_dir = site_dir.resolve()
    report = run_build(project, drafts=drafts, strict=strict, site_dir=site_dir)
    for warning in report.site.warnings if report.site else ():
        click.echo(f"Warning: {warning}", err=True)
    edition = report.edition
    extra = f" ({edition.left_out} draft or future-dated left out)" if edition.left_out else ""
    click.echo(
        f"Built {_rel(report.site.site_dir)}/: {len(edition.articles)} articles{extra}, "
        f"{len(edition.topics)} topics, {report.site.pages} pages in {report.seconds:.1f} s."
    )


@main.command(context_settings=CONTEXT)
@reports_errors
@project_option
def check(project: Project) -> None:
    """Check every article and topics.yml; list every problem.

    Each problem is printed as FILE:LINE: FIELD: what is wrong (expected ...).
    Exits with status 1 if there is any. Nothing is written.

    \b
    Examples:
      briefings check
      briefings check --project ~/my-desk
    """
    from briefings.pipeline import check as run_check

    content = run_check(project)
    drafts = sum(1 for a in content.articles if a.draft)
    click.echo(
        f"OK: {len(content.articles)} articles ({drafts} drafts) in {len(content.topics)} topics, no problems."
    )


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
