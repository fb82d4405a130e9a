"""Commands about the site: build, check, deploy, serve."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from briefings.cli.common import (
    CONTEXT,
    _rel,
    hosting_options,
    left_out_of,
    option_values,
    progress,
    project_option,
    reports_errors,
    waiting,
    workers_option,
)
from briefings.cli.desk import print_suggestions
from briefings.options import DEFAULT_MAX_MEMORY_GB, site_url_of
from briefings.project import Project

if TYPE_CHECKING:  # imported where used, so `briefings --help` stays quick
    from briefings.pipeline import BuildReport, SiteResult


@click.command(context_settings=CONTEXT)
@click.option("--drafts", is_flag=True, help="Include drafts and future-dated articles (marked as drafts).")
@click.option(
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write the site.  [default: site_dir from mkdocs.yml, or site/]",
)
@click.option(
    "--strict/--no-strict",
    default=True,
    show_default=True,
    help="Fail on any MkDocs warning, such as a broken link in an article body.",
)
@click.option(
    "--full",
    is_flag=True,
    help="Rebuild every page. By default, when only some pages changed since the last build, "
    "only those are rebuilt (the result is the same).",
)
@click.option(
    "--engine",
    type=click.Choice(["mkdocs", "zensical"]),
    default="mkdocs",
    show_default=True,
    help="The site generator: MkDocs + Material, or Zensical, Material's successor "
    "(pip install 'briefings[zensical]'; its links are checked by briefings).",
)
@click.option(
    "--max-memory-gb",
    type=click.FloatRange(min=0.1),
    default=DEFAULT_MAX_MEMORY_GB,
    show_default=True,
    help="Stop Zensical or Pagefind if it uses more memory than this.",
)
@hosting_options
@workers_option
@reports_errors
@project_option
def build(
    project: Project,
    drafts: bool,
    site_dir: Path | None,
    strict: bool,
    full: bool,
    engine: str,
    max_memory_gb: float,
    base_url: str | None,
    cname: str | None,
    workers: int | None,
) -> None:
    """Check the content, generate the pages and build the site.

    A problem in a published article stops the build (exit status 1: nothing
    is built); a draft with a problem is left out, with a warning naming the
    file, line and field (with --drafts it stops the build too). The generated
    Markdown goes to build/docs/; the site is built beside its target folder
    and swapped in only when the whole build succeeded, so a failed build
    leaves the last good site in place.

    \b
    Examples:
      briefings build
      briefings build --drafts --site-dir /tmp/preview
      briefings build --base-url https://user.github.io/repo/
      briefings build --engine zensical
    """
    from briefings.options import build_options
    from briefings.pipeline import build as run_build

    options = build_options(
        project,
        drafts=drafts,
        strict=strict,
        site_dir=site_dir,
        base_url=base_url,
        cname=cname,
        engine=engine,
        max_memory_gb=max_memory_gb,
        full=full,
        workers=workers,
    )
    _report_build(
        run_build(project, options, track=progress("Reading"), on_wait=waiting, on_left_out=left_out_of("the site"))
    )


def _report_build(report: BuildReport) -> SiteResult:
    site = report.site
    assert site is not None, "only pages_only builds have no site, and no command asks for one"
    for warning in site.warnings:
        click.echo(f"Warning: {warning}", err=True)
    edition = report.edition
    left_out = [f"{edition.left_out} draft or future-dated"] if edition.left_out else []
    if report.drafts_left_out:
        left_out.append(f"{report.drafts_left_out} draft{'s' if report.drafts_left_out != 1 else ''} with problems")
    extra = f" ({' and '.join(left_out)} left out)" if left_out else ""
    updated = site.updated
    how = (
        ""
        if updated is None
        else " (already up to date)"
        if updated == 0
        else f" ({updated} changed page{'s' if updated != 1 else ''} rebuilt)"
    )
    click.echo(
        f"Built {_rel(site.site_dir)}/: {len(edition.articles)} articles{extra}, "
        f"{len(edition.topics)} topics, {site.pages} pages in {report.seconds:.1f} s{how}."
    )
    return site


@click.command(context_settings=CONTEXT)
@click.option(
    "--suggest",
    is_flag=True,
    help="Also list articles that mention a topic's keywords (topics.yml) but are not tagged with it.",
)
@click.option(
    "--site",
    "check_built",
    is_flag=True,
    help="Also check the built site: every internal link and #anchor in every HTML file.",
)
@click.option(
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="The built site to check.  [default: site_dir from mkdocs.yml, or site/]",
)
@click.option(
    "--base-url",
    metavar="URL",
    envvar="BRIEFINGS_BASE_URL",
    help="Where the site is served, as given to build (links such as /repo/x/ are checked "
    "against its path).  [default: site_url from mkdocs.yml, or /]",
)
@reports_errors
@project_option
def check(project: Project, suggest: bool, check_built: bool, site_dir: Path | None, base_url: str | None) -> None:
    """Check every article and the registries (topics.yml, people.yml, outlets.yml,
    stories.yml); list every problem.

    Each problem is printed as FILE:LINE: FIELD: what is wrong (expected ...).
    Exits with status 1 if there is any, in drafts too (which `briefings
    build` would leave out with a warning). Nothing is written. Warnings
    (once there is a content/outlets.yml: a source that matches no outlet
    in it, with the entry to add) and suggestions are hints: they never
    change a file or the exit status. With --site, the
    built site's links are checked too, each broken one printed as
    PAGE: LINK: what is missing.

    \b
    Examples:
      briefings check
      briefings check --suggest
      briefings check --project ~/my-desk
      briefings check --site --base-url https://user.github.io/repo/
    """
    from briefings.content.outlets import outlet_warnings
    from briefings.pipeline import check as run_check

    if check_built and base_url and not base_url.startswith("/"):  # a path such as /repo/ is fine too
        with option_values():
            site_url_of(base_url)
    content = run_check(project, track=progress("Checking"))
    drafts = sum(1 for a in content.articles if a.draft)
    for warning in outlet_warnings(project.root, content.articles):
        click.echo(f"Warning: {warning}", err=True)
    click.echo(f"OK: {len(content.articles)} articles ({drafts} drafts) in {len(content.topics)} topics, no problems.")
    if suggest:
        print_suggestions(content)
    if check_built:
        from briefings.publish.check import check_built_site

        checked = check_built_site(project, site_dir=site_dir.resolve() if site_dir else None, base_url=base_url)
        for link in checked.broken:
            click.echo(str(link), err=True)
        if checked.broken:
            n = len(checked.broken)
            hint = (
                " (for a site built with --base-url, pass the same --base-url here)"
                if checked.built_for_a_subpath()
                else ""
            )
            click.echo(f"Error: {n} broken link{'s' if n != 1 else ''} in {_rel(checked.site_dir)}/{hint}.", err=True)
            raise SystemExit(1)
        click.echo(
            f"OK: {checked.pages} pages in {_rel(checked.site_dir)}/, every internal link and anchor "
            f"resolves under {checked.base_url}."
        )


@click.command(context_settings=CONTEXT)
@click.option(
    "-m",
    "--message",
    callback=lambda ctx, param, value: _not_blank_message(value),
    help="The commit message on the gh-pages branch.  [default: Deploy the briefings site built from <commit>]",
)
@click.option("--remote", default="origin", show_default=True, help="The git remote to push to.")
@click.option(
    "--force", is_flag=True, help="Replace the remote gh-pages branch with one fresh commit, dropping its history."
)
@click.option("--dry-run", is_flag=True, help="Build and show what would be pushed; commit and push nothing.")
@click.option(
    "--allow-dirty",
    is_flag=True,
    help="Publish even when files of the site are not committed (the commit message then says so).",
)
@hosting_options
@workers_option
@reports_errors
@project_option
def deploy(
    project: Project,
    message: str | None,
    remote: str,
    force: bool,
    dry_run: bool,
    allow_dirty: bool,
    base_url: str | None,
    cname: str | None,
    workers: int | None,
) -> None:
    """Build the site and publish it to the gh-pages branch of a git remote.

    For GitHub Pages without Actions (Settings > Pages > Deploy from a branch,
    gh-pages). Builds first, like `briefings build` (drafts are never
    published; one with a problem is left out with a warning), then commits
    site/ as the whole content of the local gh-pages branch with ghp-import
    and pushes it. Run it inside a clone of the repository (git on PATH, a
    remote to push to), with every change to the site committed: the
    published site is the one the commit named in its message holds.

    \b
    Examples:
      briefings deploy --dry-run
      briefings deploy --base-url https://user.github.io/repo/
      briefings deploy --remote upstream -m "Morning edition"
    """
    from briefings.lock import WorkLock

    def wait_for(pid: int | None) -> None:
        who = f" (PID {pid})" if pid else ""
        click.echo(f"Waiting for another deploy of this project{who} to finish...", err=True)

    # One deploy at a time, build to push: the builds alone are serialised by the build folder's
    # lock, but two commits to gh-pages at once would make one push fail.
    with WorkLock(project.build_dir / "deploy", what="deploy", on_wait=wait_for):
        _deploy(project, base_url, cname, remote, message, force, allow_dirty, dry_run, workers)


def _deploy(
    project: Project,
    base_url: str | None,
    cname: str | None,
    remote: str,
    message: str | None,
    force: bool,
    allow_dirty: bool,
    dry_run: bool,
    workers: int | None,
) -> None:
    from briefings.engine.hosting import human_size
    from briefings.options import build_options
    from briefings.pipeline import build as run_build
    from briefings.publish import deploy as publishing

    # Check git and the options before building, so a mistake costs nothing.
    repo, _ = publishing.check_repository(project.root, remote)
    options = build_options(project, base_url=base_url, cname=cname, workers=workers)
    from briefings.engine.sitefolder import spare_of

    # The build's own folders: the site, the last site it keeps beside it, and build/.
    outputs = (options.site_dir, spare_of(options.site_dir), project.build_dir)
    changes = publishing.uncommitted_changes(repo, project.root, outputs=outputs)
    if not allow_dirty:
        publishing.refuse_uncommitted(changes)
    elif changes:
        click.echo(
            f"Warning: publishing {len(changes)} uncommitted file{'s' if len(changes) != 1 else ''} "
            "(--allow-dirty); the commit message says so.",
            err=True,
        )
    site = _report_build(run_build(project, options, on_wait=waiting, on_left_out=left_out_of("the site")))
    todo = publishing.plan(project.root, site.site_dir, remote=remote, message=message, dirty=bool(changes))
    where = f"branch {todo.branch} of remote {todo.remote!r} ({todo.remote_url})"
    files = f"{todo.files} files ({human_size(todo.size)})"
    if dry_run:
        click.echo(
            f"Dry run: would push {files} from {_rel(todo.site_dir)}/ to {where}"
            f"{' with --force' if force else ''}, commit message {todo.message!r}. Nothing was pushed."
        )
        return
    commit = publishing.publish(todo, force=force)
    click.echo(f"Deployed {files} to {where} as commit {commit}.")


def _not_blank_message(value: str | None) -> str | None:
    if value is not None and not value.strip():
        raise click.BadParameter("is empty (expected a commit message, or leave -m out for the default)")
    return value


@click.command(context_settings=CONTEXT)
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="The port to serve on, on 127.0.0.1."
)
@reports_errors
@project_option
def serve(project: Project, port: int) -> None:
    """Preview the site while you edit it, drafts included (marked as drafts).

    Serves on http://127.0.0.1:PORT/ and watches content/, mkdocs.yml and
    the theme overrides (overrides/): a change rebuilds the site and open
    pages reload. The preview is built in build/preview/, apart from
    `briefings build`, so its drafts are never published, and its site in
    build/preview-site/, kept so that the next preview starts from it. A
    problem in the content, drafts included, is printed once and shown on
    every page over the last good build, and the server keeps running;
    fixing it recovers. Stop with Ctrl+C.

    \b
    Examples:
      briefings serve
      briefings serve --port 8001 --project ~/my-desk
    """
    import signal

    from briefings.authoring.serve import Preview

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)  # stop cleanly (the server shut down) when terminated
    Preview(project, port=port, log=click.echo, warn=lambda line: click.echo(line, err=True)).serve()
