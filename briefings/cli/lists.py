"""Looking at what the desk holds: list, topics, outlets. Tables for reading, JSON and CSV for
other programs; the count and warnings go to stderr, so the output can be piped."""

from __future__ import annotations

import sys
from collections.abc import Callable

import click

from briefings.cli.common import CONTEXT, F, left_out_of, option_values, project_option, reports_errors
from briefings.project import Project


def format_option(what: str) -> Callable[[F], F]:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["table", "json", "csv"]),
        default="table",
        show_default=True,
        help=f"table: aligned columns for reading ({what} cut to fit only on a terminal); "
        "json or csv: for other programs.",
    )


@click.command(name="list", context_settings=CONTEXT)
@click.option("--topic", metavar="ID", help="Only articles tagged with this topic.")
@click.option("--source", help="Only articles from this outlet (case does not matter).")
@click.option("--since", metavar="DATE", help="Only articles dated on or after DATE (YYYY-MM-DD).")
@click.option("--drafts", is_flag=True, help="Include drafts and future-dated articles.")
@format_option("titles")
@reports_errors
@project_option
def list_(project: Project, topic: str | None, source: str | None, since: str | None, drafts: bool, fmt: str) -> None:
    """List the articles, newest first: date, title, source, topics, draft, path.

    Reads the content as `briefings build` does: a published article with a
    problem stops it (exit status 1), a draft with one is left out with a
    warning (without --drafts). Warnings and the count go to stderr, so the
    list itself can be piped; the JSON and CSV also have each article's url.

    \b
    Examples:
      briefings list
      briefings list --topic taiwan --since 2024-01-01
      briefings list --drafts --format csv > articles.csv
      briefings list --format json | jq -r '.[].path'
    """
    from briefings.authoring import listing
    from briefings.pipeline import check as run_check

    with option_values():
        since_at = listing.since_date(since) if since else None
    content = run_check(project, on_left_out=None if drafts else left_out_of("the list"))
    with option_values():
        wanted = listing.topic_id(content, topic) if topic else None
    articles = listing.select_articles(content, topic=wanted, source=source, since=since_at, drafts=drafts)
    if fmt == "json":
        click.echo(listing.as_json(articles), nl=False)
    elif fmt == "csv":
        click.echo(listing.as_csv(articles), nl=False)
    else:
        click.echo(listing.as_table(articles, width=_terminal_width()), nl=False)
        click.echo(f"{len(articles)} article{'s' if len(articles) != 1 else ''}.", err=True)


@click.command(context_settings=CONTEXT)
@click.option("--drafts", is_flag=True, help="Count drafts and future-dated articles too.")
@format_option("topic titles")
@reports_errors
@project_option
def topics(project: Project, drafts: bool, fmt: str) -> None:
    """List the topics with their article count and latest article date.

    Reads the content as `briefings list` does (a draft with a problem is left
    out with a warning on stderr, without --drafts). The topics are those of
    content/topics.yml, in its order.

    \b
    Examples:
      briefings topics
      briefings topics --drafts
      briefings topics --format csv > topics.csv
    """
    from briefings.authoring import listing
    from briefings.pipeline import check as run_check

    content = run_check(project, on_left_out=None if drafts else left_out_of("the counts"))
    stats = listing.topic_stats(content, listing.select_articles(content, drafts=drafts))
    if fmt == "json":
        click.echo(listing.topics_json(stats), nl=False)
    elif fmt == "csv":
        click.echo(listing.topics_csv(stats), nl=False)
    else:
        click.echo(listing.topics_table(stats, width=_terminal_width()), nl=False)


@click.command(context_settings=CONTEXT)
@click.option("--drafts", is_flag=True, help="Count drafts and future-dated articles too.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="table: aligned columns for reading (nothing is cut); json or csv: for other programs.",
)
@reports_errors
@project_option
def outlets(project: Project, drafts: bool, fmt: str) -> None:
    """List the outlets of content/outlets.yml with their article count.

    Then the unknown ones: sources that match no outlet by name, alias or
    their url's domain (`briefings check` suggests the entry to add), and the
    count of our own desk notes (source: Briefings desk).

    \b
    Examples:
      briefings outlets
      briefings outlets --format json
      briefings outlets --drafts --format csv > outlets.csv
    """
    from briefings.authoring import listing
    from briefings.pipeline import check as run_check

    content = run_check(project, on_left_out=None if drafts else left_out_of("the counts"))
    report = listing.outlet_report(content, listing.select_articles(content, drafts=drafts))
    if fmt == "json":
        click.echo(listing.outlets_json(report), nl=False)
    elif fmt == "csv":
        click.echo(listing.outlets_csv(report), nl=False)
    else:
        click.echo(listing.outlets_table(report), nl=False)


def _terminal_width() -> int | None:
    """The terminal's width when stdout is one; None (never cut) for a pipe or a file."""
    import shutil

    return shutil.get_terminal_size().columns if sys.stdout.isatty() else None
