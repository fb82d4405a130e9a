"""The `briefings` command line. The only module that imports click."""

from __future__ import annotations

import functools
from pathlib import Path

import click

from briefings import __version__
from briefings.errors import BriefingsError, ContentError
from briefings.guard import DEFAULT_MAX_MEMORY_GB
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


def hosting_options(func):
    """--base-url and --cname, shared by build and deploy."""
    func = click.option(
        "--cname", metavar="DOMAIN", envvar="BRIEFINGS_CNAME",
        help="Custom domain: write a CNAME file into the site.  [default: extra.cname from mkdocs.yml]",
    )(func)
    return click.option(
        "--base-url", metavar="URL", envvar="BRIEFINGS_BASE_URL",
        help="The address the site is served from, e.g. https://user.github.io/repo/ for a project "
             "site (or set BRIEFINGS_BASE_URL).  [default: site_url from mkdocs.yml]",
    )(func)


@main.command(context_settings=CONTEXT)
@click.option("--drafts", is_flag=True, help="Include drafts and future-dated articles (marked as drafts).")
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where to write the site.  [default: site_dir from mkdocs.yml, or site/]")
@click.option("--strict/--no-strict", default=True, show_default=True,
              help="Fail on any MkDocs warning, such as a broken link in an article body.")
@click.option("--engine", type=click.Choice(["mkdocs", "zensical"]), default="mkdocs", show_default=True,
              help="The site generator: MkDocs + Material, or Zensical, Material's successor "
                   "(pip install 'briefings[zensical]'; its links are checked by briefings).")
@click.option("--max-memory-gb", type=click.FloatRange(min=0.1), default=DEFAULT_MAX_MEMORY_GB, show_default=True,
              help="Stop Zensical or Pagefind if it uses more memory than this.")
@hosting_options
@reports_errors
@project_option
def build(project: Project, drafts: bool, site_dir: Path | None, strict: bool, engine: str,
          max_memory_gb: float, base_url: str | None, cname: str | None) -> None:
    """Check the content, generate the pages and build the site.

    The generated Markdown goes to build/docs/; the site is built beside its
    target folder and swapped in only when the whole build succeeded, so a
    failed build leaves the last good site in place.

    \b
    Examples:
      briefings build
      briefings build --drafts --site-dir /tmp/preview
      briefings build --base-url https://user.github.io/repo/
      briefings build --engine zensical
    """
    from briefings.pipeline import build as run_build

    if site_dir is not None:
        site_dir = site_dir.resolve()
    report = run_build(project, drafts=drafts, strict=strict, site_dir=site_dir, base_url=base_url, cname=cname,
                       engine=engine, max_memory_gb=max_memory_gb)
    _report_build(report)


def _report_build(report) -> None:
    for warning in report.site.warnings if report.site else ():
        click.echo(f"Warning: {warning}", err=True)
    edition = report.edition
    extra = f" ({edition.left_out} draft or future-dated left out)" if edition.left_out else ""
    click.echo(
        f"Built {_rel(report.site.site_dir)}/: {len(edition.articles)} articles{extra}, "
        f"{len(edition.topics)} topics, {report.site.pages} pages in {report.seconds:.1f} s."
    )


@main.command(context_settings=CONTEXT)
@click.option("--site", "check_built", is_flag=True,
              help="Also check the built site: every internal link and #anchor in every HTML file.")
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path),
              help="The built site to check.  [default: site_dir from mkdocs.yml, or site/]")
@click.option("--base-url", metavar="URL", envvar="BRIEFINGS_BASE_URL",
              help="Where the site is served, as given to build (links such as /repo/x/ are checked "
                   "against its path).  [default: site_url from mkdocs.yml, or /]")
@reports_errors
@project_option
def check(project: Project, check_built: bool, site_dir: Path | None, base_url: str | None) -> None:
    """Check every article and topics.yml; list every problem.

    Each problem is printed as FILE:LINE: FIELD: what is wrong (expected ...).
    Exits with status 1 if there is any. Nothing is written. With --site, the
    built site's links are checked too, each broken one printed as
    PAGE: LINK: what is missing.

    \b
    Examples:
      briefings check
      briefings check --project ~/my-desk
      briefings check --site --base-url https://user.github.io/repo/
    """
    from briefings.pipeline import check as run_check

    content = run_check(project)
    drafts = sum(1 for a in content.articles if a.draft)
    click.echo(
        f"OK: {len(content.articles)} articles ({drafts} drafts) in {len(content.topics)} topics, no problems."
    )
    if check_built:
        from briefings.linkcheck import check_built_site

        checked = check_built_site(project, site_dir=site_dir.resolve() if site_dir else None, base_url=base_url)
        for link in checked.broken:
            click.echo(str(link), err=True)
        if checked.broken:
            n = len(checked.broken)
            hint = " (for a site built with --base-url, pass the same --base-url here)" if checked.built_for_a_subpath() else ""
            click.echo(f"Error: {n} broken link{'s' if n != 1 else ''} in {_rel(checked.site_dir)}/{hint}.", err=True)
            raise SystemExit(1)
        click.echo(f"OK: {checked.pages} pages in {_rel(checked.site_dir)}/, every internal link and anchor "
                   f"resolves under {checked.base_url}.")


@main.command(context_settings=CONTEXT)
@click.option("-m", "--message", help="The commit message on the gh-pages branch.  "
              "[default: Deploy the briefings site built from <commit>]")
@click.option("--remote", default="origin", show_default=True, help="The git remote to push to.")
@click.option("--force", is_flag=True, help="Replace the remote gh-pages branch with one fresh commit, dropping its history.")
@click.option("--dry-run", is_flag=True, help="Build and show what would be pushed; commit and push nothing.")
@hosting_options
@reports_errors
@project_option
def deploy(project: Project, message: str | None, remote: str, force: bool, dry_run: bool,
           base_url: str | None, cname: str | None) -> None:
    """Build the site and publish it to the gh-pages branch of a git remote.

    For GitHub Pages without Actions (Settings > Pages > Deploy from a branch,
    gh-pages). Builds first, like `briefings build` (drafts are never
    published), then commits site/ as the whole content of the local gh-pages
    branch with ghp-import and pushes it. Run it inside a clone of the
    repository.

    \b
    Examples:
      briefings deploy --dry-run
      briefings deploy --base-url https://user.github.io/repo/
      briefings deploy --remote upstream -m "Morning edition"
    """
    from briefings import deploy as publishing
    from briefings.pipeline import build as run_build

    # Check git before building, so a mistake costs nothing.
    publishing.check_repository(project.root, remote)
    report = run_build(project, base_url=base_url, cname=cname)
    _report_build(report)
    todo = publishing.plan(project.root, report.site.site_dir, remote=remote, message=message)
    where = f"branch {todo.branch} of remote {todo.remote!r} ({todo.remote_url})"
    if dry_run:
        click.echo(f"Dry run: would push {todo.files} files from {_rel(todo.site_dir)}/ to {where}"
                   f"{' with --force' if force else ''}, commit message {todo.message!r}. Nothing was pushed.")
        return
    commit = publishing.publish(todo, force=force)
    click.echo(f"Deployed {todo.files} files to {where} as commit {commit}.")


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
