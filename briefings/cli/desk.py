"""The curator's desk: new, import, init."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import TYPE_CHECKING

import click
from click.core import ParameterSource

from briefings.cli.common import (
    CONTEXT,
    BadValue,
    _rel,
    option_values,
    progress,
    project_option,
    reports_errors,
)
from briefings.content.fields import CONTROL_RE
from briefings.errors import ContentError, Problem
from briefings.project import Project

if TYPE_CHECKING:  # imported where used, so `briefings --help` stays quick
    from briefings.content.model import Content, Topic


def print_suggestions(content: Content) -> None:
    from briefings.authoring.suggest import suggest

    hints = suggest(content)
    for hint in hints:
        click.echo(f"Suggestion: {hint}")
    if not hints:
        click.echo("No topic suggestions: every article is tagged with the topics its keywords point to.")


def _topics_of(project: Project) -> list[Topic]:
    """topics.yml only (not every article): enough to check --topic values."""
    from briefings.content.registries import load_topics

    problems: list[Problem] = []
    topics = load_topics(project.root, problems)
    if problems:
        raise ContentError(problems)
    return topics


@click.command(name="new", context_settings=CONTEXT)
@click.argument("title")
@click.option("--source", default="Briefings desk", show_default=True, help="The outlet.")
@click.option("--url", metavar="URL", help="Link to the original article (http:// or https://).")
@click.option(
    "--topic",
    "topic_refs",
    multiple=True,
    metavar="ID",
    help="A topic id from topics.yml; repeat for several.  [default: the topics whose keywords the title mentions]",
)
@click.option("--date", metavar="DATE", help="YYYY-MM-DD, or an ISO 8601 date-time with offset.  [default: today]")
@click.option("--edit", is_flag=True, help="Open the new file in $EDITOR.")
@reports_errors
@project_option
def new(
    project: Project,
    title: str,
    source: str,
    url: str | None,
    topic_refs: tuple[str, ...],
    date: str | None,
    edit: bool,
) -> None:
    """Start a new draft article: content/articles/YEAR/DATE-SLUG.md.

    Writes complete front matter (every optional field as a commented hint,
    draft: true) and prints the file's path. Never overwrites a file. The
    topics come from content/topics.yml; a bad --date, --url or --topic is
    refused before anything is written (exit status 2).

    \b
    Examples:
      briefings new "Lai meets US lawmakers in Taipei" --topic taiwan
      briefings new "Beijing adds precursors to its control list" \\
          --source Reuters --url https://example.com/story --date 2024-08-05 --edit
    """
    from briefings.authoring import draft as drafts
    from briefings.authoring.suggest import TopicMatcher

    topics = _topics_of(project)
    with option_values():
        title = drafts.check_text(title, "TITLE")
        source = drafts.check_text(source, "--source")
        date = drafts.check_date(date)
        url = drafts.check_url(url)
        suggested = {} if topic_refs else TopicMatcher(topics).match(title)
        if topic_refs:
            ids = drafts.check_topics(topic_refs, topics)
        else:
            ids = tuple(suggested)
            if not ids:
                raise drafts.DraftError(
                    f"no topic's keywords match the title: pass --topic ID (one of: {', '.join(t.id for t in topics)})"
                )
        draft = drafts.Draft(title=title, date=date, source=source, topics=ids, url=url)
        drafts.target_path(project.root, draft)  # a title with no letters or digits makes no file name
    if existing := drafts.article_with_url(project.root, url):
        raise drafts.DraftError(f"--url: {url} is already in {existing} (nothing written)")
    path = drafts.write(project.root, draft)
    click.echo(_rel(path))
    if not topic_refs:
        click.echo(f"Topics from the title's keywords: {', '.join(ids)} (edit topics: if they are wrong)", err=True)
        for topic_id, why in suggested.items():
            click.echo(f"  {topic_id}: {why.explain()}", err=True)
    if edit:
        click.edit(filename=str(path))


def _not_blank(value: str, option: str, expected: str) -> str:
    """A value that cannot be empty, refused while the command line is read (a usage error)."""
    if not value.strip():
        raise BadValue(f"{option} is empty (expected {expected})")
    if bad := CONTROL_RE.search(value.replace("\t", " ").replace("\n", " ")):
        raise BadValue(f"{option} contains the control character U+{ord(bad.group()):04X} (expected {expected})")
    return value


@click.command(name="import", context_settings=CONTEXT)
@click.argument("source")
@click.option(
    "--topic",
    "topic_refs",
    multiple=True,
    metavar="ID",
    help="A topic id from topics.yml; repeat for several.  [default: the topics whose keywords the article mentions]",
)
@click.option("--date", metavar="DATE", help="The article's date, when the clipping has none (YYYY-MM-DD).")
@click.option("--source", "source_name", metavar="OUTLET", help="The outlet.  [default: the page's site name]")
@click.option("--title", help="The headline, when the clipping's is wrong or missing.")
@click.option(
    "--timeout",
    "time_limit",
    type=click.FloatRange(min=0, min_open=True),
    default=30,
    show_default=True,
    metavar="SECONDS",
    help="Give up on a web address after this long in all (connecting, redirects and download).",
)
@click.option(
    "--allow-private",
    is_flag=True,
    help="Allow web addresses on this computer or the local network (localhost, 10.x, 192.168.x...), "
    "refused by default so a pasted link cannot reach them.",
)
@reports_errors
@project_option
def import_(
    project: Project,
    source: str,
    topic_refs: tuple[str, ...],
    date: str | None,
    source_name: str | None,
    title: str | None,
    time_limit: float,
    allow_private: bool,
) -> None:
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
    from briefings.authoring import draft as drafts
    from briefings.authoring.importer import REMINDER, import_article
    from briefings.options import read_settings

    topics = _topics_of(project)
    with option_values():  # as import_article checks them, before anything else: a usage error
        drafts.check_topics(topic_refs, topics)
        if date:
            drafts.check_date(date)
        if source_name is not None:
            drafts.check_text(source_name, "--source")
        if title is not None:
            drafts.check_text(title, "--title")
    result = import_article(
        project.root,
        topics,
        source,
        topic_refs=topic_refs,
        date=date,
        source_name=source_name,
        title=title,
        track=progress("Looking for the URL in"),
        max_file_bytes=read_settings(project).max_file_mb * 2**20,
        time_limit=time_limit,
        allow_private=allow_private,
    )
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
    for topic_id, why in result.suggested.items():
        click.echo(f"  suggested topic {topic_id}: {why.explain()}")
    for name in result.not_found:
        click.echo(f"  {name} not found: add it by hand if you want it")
    if found.left_out:
        click.echo(f"  left out of the body: {', '.join(found.left_out)}")
    for note in result.notes:
        click.echo(f"  note: {note}")
    click.echo(f"Draft written (draft: true). {REMINDER}")


@click.command(context_settings=CONTEXT)
@click.argument("folder", type=click.Path(path_type=Path))
@click.option(
    "--site-name",
    default="Briefings",
    show_default=True,
    callback=lambda ctx, param, value: _not_blank(value, "--site-name", "the site's title"),
    help="The site's title (site_name in mkdocs.yml).",
)
@click.option(
    "--eject-theme",
    is_flag=True,
    help="Also copy briefings' theme into overrides/, to own all of it: upgrades of briefings then "
    "no longer reach those files (delete the ones you do not change). FOLDER may be an existing "
    "site: files already in its overrides folder are kept.",
)
@reports_errors
def init(folder: Path, site_name: str, eject_theme: bool) -> None:
    """Create a new briefing site in FOLDER (new or empty).

    Writes mkdocs.yml, content/topics.yml with an example topic, an example
    article, a GitHub Pages workflow, requirements.txt, .gitignore and an
    empty overrides/ folder. The theme comes with briefings, so upgrades
    reach the site; a file in overrides/ replaces the theme's file with the
    same path (main.html, partials/header.html,
    assets/stylesheets/briefings.css...). The new site builds at once.

    \b
    Examples:
      briefings init my-desk --site-name "Arctic Briefings"
      briefings build --project my-desk
      briefings init my-desk --eject-theme
    """
    from briefings.authoring import scaffold

    if eject_theme and (folder / "mkdocs.yml").is_file():
        if click.get_current_context().get_parameter_source("site_name") is not ParameterSource.DEFAULT:
            raise click.UsageError(
                f"--site-name: {_rel(folder.resolve())} is an existing site (set site_name in its mkdocs.yml)"
            )
        ejected = scaffold.eject_theme(Project.at(folder))
        where = _rel(ejected.overrides)
        click.echo(
            f"Copied {len(ejected.copied)} theme files into {where}/: they are yours now, and upgrades of "
            "briefings no longer change them (delete the ones you do not change)."
        )
        if ejected.kept:
            click.echo(f"Kept {len(ejected.kept)} of your files there as they are: {', '.join(ejected.kept)}")
        return
    files = scaffold.init_site(folder, site_name=site_name, eject_theme=eject_theme)
    click.echo(f"Created {_rel(folder.resolve())}/ ({len(files)} files):")
    theme = [name for name in files if name.startswith("overrides/") and name != "overrides/README.md"]
    for name in files:
        if name not in theme:
            click.echo(f"  {name}")
    if theme:
        click.echo(f"  overrides/ (briefings' theme, {len(theme)} files: yours now, upgrades no longer change them)")
    made = folder.resolve()
    go = "" if made == Path.cwd() else f"cd {shlex.quote(_rel(made))} && "  # as a shell reads it
    click.echo(f'Next: {go}briefings serve   (then: briefings new "Headline" --topic example)')
