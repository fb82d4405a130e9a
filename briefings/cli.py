"""The `briefings` command line. The only module that imports click."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from briefings import __version__
from briefings.errors import BriefingsError, ContentError
from briefings.engine.guard import DEFAULT_MAX_MEMORY_GB
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


PROGRESS_MIN = 300  # articles: below this, reading them is quick enough to need no progress bar


def progress(label: str):
    """Wraps the article files as they are read: a progress bar when there are many and
    stdout is a terminal, one plain line otherwise (CI logs), nothing for a small folder.
    Both go to stderr."""

    def track(files: list[Path]):
        if len(files) <= PROGRESS_MIN:
            return files
        if not sys.stdout.isatty():
            click.echo(f"{label} {len(files)} articles...", err=True)
            return files
        return _bar(files, label)

    return track


def _bar(files: list[Path], label: str):
    # On stderr, so the command's own output can be piped.
    with click.progressbar(files, label=f"{label} {len(files)} articles", show_pos=True, file=sys.stderr) as bar:
        yield from bar


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
        except OSError as exc:  # a full disk, a folder made read-only meanwhile: one line, no traceback
            where = f": {exc.filename}" if exc.filename else ""
            click.echo(f"Error: {exc.strerror or exc}{where}", err=True)
            raise SystemExit(1) from None

    return wrapper


def waiting(pid: int | None) -> None:
    """Told once when another build of the project holds its build folder."""
    who = f" (PID {pid})" if pid else ""
    click.echo(f"Waiting for another build of this project{who} to finish...", err=True)


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
@click.option("--full", is_flag=True,
              help="Rebuild every page. By default, when only some pages changed since the last build, "
                   "only those are rebuilt (the result is the same).")
@click.option("--engine", type=click.Choice(["mkdocs", "zensical"]), default="mkdocs", show_default=True,
              help="The site generator: MkDocs + Material, or Zensical, Material's successor "
                   "(pip install 'briefings[zensical]'; its links are checked by briefings).")
@click.option("--max-memory-gb", type=click.FloatRange(min=0.1), default=DEFAULT_MAX_MEMORY_GB, show_default=True,
              help="Stop Zensical or Pagefind if it uses more memory than this.")
@hosting_options
@reports_errors
@project_option
def build(project: Project, drafts: bool, site_dir: Path | None, strict: bool, full: bool, engine: str,
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
                       engine=engine, max_memory_gb=max_memory_gb, track=progress("Reading"), full=full,
                       on_wait=waiting)
    _report_build(report)


def _report_build(report) -> None:
    for warning in report.site.warnings if report.site else ():
        click.echo(f"Warning: {warning}", err=True)
    edition = report.edition
    extra = f" ({edition.left_out} draft or future-dated left out)" if edition.left_out else ""
    updated = report.site.updated
    how = ("" if updated is None else " (already up to date)" if updated == 0
           else f" ({updated} changed page{'s' if updated != 1 else ''} rebuilt)")
    click.echo(
        f"Built {_rel(report.site.site_dir)}/: {len(edition.articles)} articles{extra}, "
        f"{len(edition.topics)} topics, {report.site.pages} pages in {report.seconds:.1f} s{how}."
    )


@main.command(context_settings=CONTEXT)
@click.option("--suggest", is_flag=True,
              help="Also list articles that mention a topic's keywords (topics.yml) but are not tagged with it.")
@click.option("--site", "check_built", is_flag=True,
              help="Also check the built site: every internal link and #anchor in every HTML file.")
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path),
              help="The built site to check.  [default: site_dir from mkdocs.yml, or site/]")
@click.option("--base-url", metavar="URL", envvar="BRIEFINGS_BASE_URL",
              help="Where the site is served, as given to build (links such as /repo/x/ are checked "
                   "against its path).  [default: site_url from mkdocs.yml, or /]")
@reports_errors
@project_option
def check(project: Project, suggest: bool, check_built: bool, site_dir: Path | None, base_url: str | None) -> None:
    """Check every article and topics.yml; list every problem.

    Each problem is printed as FILE:LINE: FIELD: what is wrong (expected ...).
    Exits with status 1 if there is any. Nothing is written. Suggestions are
    hints: they never change a file or the exit status. With --site, the
    built site's links are checked too, each broken one printed as
    PAGE: LINK: what is missing.

    \b
    Examples:
      briefings check
      briefings check --suggest
      briefings check --project ~/my-desk
      briefings check --site --base-url https://user.github.io/repo/
    """
    from briefings.pipeline import check as run_check

    content = run_check(project, track=progress("Checking"))
    drafts = sum(1 for a in content.articles if a.draft)
    click.echo(
        f"OK: {len(content.articles)} articles ({drafts} drafts) in {len(content.topics)} topics, no problems."
    )
    if suggest:
        _print_suggestions(content)
    if check_built:
        from briefings.engine.linkcheck import check_built_site

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
@click.option("--allow-dirty", is_flag=True,
              help="Publish even when files of the site are not committed (the commit message then says so).")
@hosting_options
@reports_errors
@project_option
def deploy(project: Project, message: str | None, remote: str, force: bool, dry_run: bool, allow_dirty: bool,
           base_url: str | None, cname: str | None) -> None:
    """Build the site and publish it to the gh-pages branch of a git remote.

    For GitHub Pages without Actions (Settings > Pages > Deploy from a branch,
    gh-pages). Builds first, like `briefings build` (drafts are never
    published), then commits site/ as the whole content of the local gh-pages
    branch with ghp-import and pushes it. Run it inside a clone of the
    repository, with every change to the site committed: the published site
    is the one the commit named in its message holds.

    \b
    Examples:
      briefings deploy --dry-run
      briefings deploy --base-url https://user.github.io/repo/
      briefings deploy --remote upstream -m "Morning edition"
    """
    from briefings.publish import deploy as publishing
    from briefings.pipeline import build as run_build
    from briefings.engine.site import hosting_settings

    # Check git before building, so a mistake costs nothing.
    repo, _ = publishing.check_repository(project.root, remote)
    changes = publishing.uncommitted_changes(repo, project.root, outputs=(hosting_settings(project)[0],
                                                                           project.build_dir))
    if not allow_dirty:
        publishing.refuse_uncommitted(changes)
    elif changes:
        click.echo(f"Warning: publishing {len(changes)} uncommitted file{'s' if len(changes) != 1 else ''} "
                   "(--allow-dirty); the commit message says so.", err=True)
    report = run_build(project, base_url=base_url, cname=cname, on_wait=waiting)
    _report_build(report)
    todo = publishing.plan(project.root, report.site.site_dir, remote=remote, message=message, dirty=bool(changes))
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


# --- the curator's workflow ----------------------------------------------------

def _print_suggestions(content) -> None:
    from briefings.authoring.suggest import suggest

    hints = suggest(content)
    for hint in hints:
        click.echo(f"Suggestion: {hint}")
    if not hints:
        click.echo("No topic suggestions: every article is tagged with the topics its keywords point to.")


def _topics_of(project: Project):
    """topics.yml only (not every article): enough to check --topic values."""
    from briefings.content.load import load_topics

    problems: list = []
    topics = load_topics(project.root, problems)
    if problems:
        raise ContentError(problems)
    return topics


@main.command(name="new", context_settings=CONTEXT)
@click.argument("title")
@click.option("--source", default="Briefings desk", show_default=True, help="The outlet.")
@click.option("--url", help="Link to the original article (http:// or https://).")
@click.option("--topic", "topic_refs", multiple=True, metavar="ID",
              help="A topic id from topics.yml; repeat for several.  "
                   "[default: the topics whose keywords the title mentions]")
@click.option("--date", help="YYYY-MM-DD, or an ISO 8601 date-time with offset.  [default: today]")
@click.option("--edit", is_flag=True, help="Open the new file in $EDITOR.")
@reports_errors
@project_option
def new(project: Project, title: str, source: str, url: str | None, topic_refs: tuple[str, ...],
        date: str | None, edit: bool) -> None:
    """Start a new draft article: content/articles/YEAR/DATE-SLUG.md.

    Writes complete front matter (every optional field as a commented hint,
    draft: true) and prints the file's path. Never overwrites a file.

    \b
    Examples:
      briefings new "Lai meets US lawmakers in Taipei" --topic taiwan
      briefings new "Beijing adds precursors to its control list" \\
          --source Reuters --url https://example.com/story --date 2024-08-05 --edit
    """
    from briefings.authoring import draft as drafts
    from briefings.authoring.suggest import TopicMatcher

    topics = _topics_of(project)
    title = drafts.check_text(title, "TITLE")
    source = drafts.check_text(source, "--source")
    date = drafts.check_date(date)
    url = drafts.check_url(url)
    if topic_refs:
        ids = drafts.check_topics(topic_refs, topics)
    else:
        ids = tuple(TopicMatcher(topics).match(title))
        if not ids:
            raise drafts.DraftError(f"no topic's keywords match the title: pass --topic ID "
                                    f"(one of: {', '.join(t.id for t in topics)})")
    if (existing := drafts.article_with_url(project.root, url)):
        raise drafts.DraftError(f"--url: {url} is already in {existing} (nothing written)")
    path = drafts.write(project.root, drafts.Draft(title=title, date=date, source=source, topics=ids, url=url))
    click.echo(_rel(path))
    if not topic_refs:
        click.echo(f"Topics from the title's keywords: {', '.join(ids)} (edit topics: if they are wrong)", err=True)
    if edit:
        click.edit(filename=str(path))


@main.command(name="list", context_settings=CONTEXT)
@click.option("--topic", metavar="ID", help="Only articles tagged with this topic.")
@click.option("--source", help="Only articles from this outlet (case does not matter).")
@click.option("--since", metavar="DATE", help="Only articles dated on or after DATE (YYYY-MM-DD).")
@click.option("--drafts", is_flag=True, help="Include drafts and future-dated articles.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@reports_errors
@project_option
def list_(project: Project, topic: str | None, source: str | None, since: str | None, drafts: bool,
          fmt: str) -> None:
    """List the articles, newest first: date, title, source, topics, draft.

    \b
    Examples:
      briefings list
      briefings list --topic taiwan --since 2024-01-01
      briefings list --drafts --format csv > articles.csv
    """
    from briefings.authoring import listing
    from briefings.pipeline import check as run_check

    since_at = listing.since_date(since) if since else None
    content = run_check(project)
    articles = listing.select_articles(content, topic=topic, source=source, since=since_at, drafts=drafts)
    if fmt == "json":
        click.echo(listing.as_json(articles), nl=False)
    elif fmt == "csv":
        click.echo(listing.as_csv(articles), nl=False)
    else:
        width = _terminal_width()
        click.echo(listing.as_table(articles, width=width), nl=False)
        click.echo(f"{len(articles)} article{'s' if len(articles) != 1 else ''}.", err=True)


@main.command(context_settings=CONTEXT)
@click.option("--drafts", is_flag=True, help="Count drafts and future-dated articles too.")
@reports_errors
@project_option
def topics(project: Project, drafts: bool) -> None:
    """List the topics with their article count and latest article date.

    \b
    Examples:
      briefings topics
      briefings topics --drafts
    """
    from briefings.authoring import listing
    from briefings.pipeline import check as run_check

    content = run_check(project)
    articles = listing.select_articles(content, drafts=drafts)
    click.echo(listing.topics_table(listing.topic_stats(content, articles)), nl=False)


def _terminal_width() -> int:
    import shutil

    return shutil.get_terminal_size((100, 24)).columns


@main.command(name="import", context_settings=CONTEXT)
@click.argument("source")
@click.option("--topic", "topic_refs", multiple=True, metavar="ID",
              help="A topic id from topics.yml; repeat for several.  "
                   "[default: the topics whose keywords the article mentions]")
@click.option("--date", help="The article's date, when the clipping has none (YYYY-MM-DD).")
@click.option("--source", "source_name", metavar="OUTLET", help="The outlet.  [default: the page's site name]")
@click.option("--title", help="The headline, when the clipping's is wrong or missing.")
@click.option("--timeout", "time_limit", type=click.FloatRange(min=0, min_open=True), default=30, show_default=True,
              metavar="SECONDS", help="Give up on a web address after this long in all (connecting, redirects and "
                                      "download).")
@click.option("--allow-private", is_flag=True,
              help="Allow web addresses on this computer or the local network (localhost, 10.x, 192.168.x...), "
                   "refused by default so a pasted link cannot reach them.")
@reports_errors
@project_option
def import_(project: Project, source: str, topic_refs: tuple[str, ...], date: str | None,
            source_name: str | None, title: str | None, time_limit: float, allow_private: bool) -> None:
    """Turn a clipped article into a draft article file.

    SOURCE is a web address (http:// or https://), a page saved as .html, or
    a plain-text clipping (section, headline, photo credits, byline, text).
    Title, author, date, outlet, section and photo credit go to the front
    matter; topics are suggested from the topics' keywords. Prints the new
    file's path, then what it found and what it could not. Never overwrites a
    file, and refuses a URL that is already imported. Pages and files over
    10 MB are refused; a title or a text too long for `briefings check` is
    shortened, and the output says so.

    \b
    Examples:
      briefings import https://example.com/news/taiwan-vote --topic taiwan
      briefings import saved-page.html
      briefings import clipping.txt --date 2023-11-15 --source "Daily Caller"
    """
    from briefings.authoring.importer import REMINDER, import_article
    from briefings.options import read_settings

    result = import_article(project.root, _topics_of(project), source, topic_refs=topic_refs, date=date,
                            source_name=source_name, title=title, track=progress("Looking for the URL in"),
                            max_file_bytes=read_settings(project).max_file_mb * 2**20, time_limit=time_limit,
                            allow_private=allow_private)
    d, found = result.draft, result.extracted
    click.echo(_rel(result.path))
    click.echo(f"  title:   {d.title}")
    click.echo(f"  date:    {d.date}{'' if date else ' (from the ' + found.kind + ')'}")
    click.echo(f"  source:  {d.source}")
    if d.authors:
        job = f" (job title left out: {found.job_title})" if found.job_title else ""
        click.echo(f"  author:  {', '.join(d.authors)}{job}")
    if d.section:
        click.echo(f"  section: {d.section}")
    if d.image_credit:
        click.echo(f"  photo credit: {d.image_credit}")
    if d.url:
        click.echo(f"  url:     {d.url}")
    click.echo(f"  topics:  {', '.join(d.topics)}{'' if topic_refs else ' (suggested by keywords)'}")
    for topic_id, words in result.suggested.items():
        click.echo(f"  suggested topic {topic_id}: mentions {', '.join(words)}")
    for name in result.not_found:
        click.echo(f"  {name} not found: add it by hand if you want it")
    if found.left_out:
        click.echo(f"  left out of the body: {', '.join(found.left_out)}")
    for note in result.notes:
        click.echo(f"  note: {note}")
    click.echo(f"Draft written (draft: true). {REMINDER}")


@main.command(context_settings=CONTEXT)
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--site-name", default="Briefings", show_default=True, help="The site's title (site_name in mkdocs.yml).")
@reports_errors
def init(folder: Path, site_name: str) -> None:
    """Create a new briefing site in FOLDER (new or empty).

    Writes mkdocs.yml, content/topics.yml with an example topic, an example
    article, the theme, a GitHub Pages workflow, requirements.txt and
    .gitignore. The new site builds at once.

    \b
    Examples:
      briefings init my-desk --site-name "Arctic Briefings"
      briefings build --project my-desk
    """
    from briefings.authoring.scaffold import init_site

    files = init_site(folder, site_name=site_name)
    click.echo(f"Created {_rel(folder.resolve())}/ ({len(files)} files):")
    for name in files:
        if not name.startswith("theme/"):
            click.echo(f"  {name}")
    click.echo("  theme/ (the templates and stylesheet)")
    click.echo(f"Next: cd {_rel(folder.resolve())} && briefings serve   (then: briefings new \"Headline\" --topic example)")


@main.command(context_settings=CONTEXT)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="The port to serve on, on 127.0.0.1.")
@reports_errors
@project_option
def serve(project: Project, port: int) -> None:
    """Preview the site while you edit it, drafts included (marked as drafts).

    Serves on http://127.0.0.1:PORT/ and watches content/, theme/ and
    mkdocs.yml: a change rebuilds the site and open pages reload. The preview
    is built in build/preview/, apart from `briefings build`, so its drafts
    are never published. A problem in
    the content is printed and shown on every page over the last good build,
    and the server keeps running; fixing it recovers. Stop with Ctrl+C.

    \b
    Examples:
      briefings serve
      briefings serve --port 8001 --project ~/my-desk
    """
    import signal

    from briefings.authoring.serve import Preview

    def stop(*_):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)  # stop cleanly (temporary folder removed) when terminated
    Preview(project, port=port, log=lambda line: click.echo(line, err=line.startswith(("Error", "Warning")))).serve()
