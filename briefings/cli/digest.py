"""briefings digest: what changed in a week, for mail, newsletter tools or the terminal."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from briefings.cli.common import (
    CONTEXT,
    BadValue,
    checked_by,
    left_out_of,
    option_values,
    project_option,
    reports_errors,
)
from briefings.options import site_url_of
from briefings.project import Project


@click.command(context_settings=CONTEXT)
@click.option("--since", metavar="YYYY-MM-DD", help="The first day (alone: from it to today).")
@click.option("--until", metavar="YYYY-MM-DD", help="The last day (alone: the seven days ending on it).")
@click.option("--week", metavar="YYYY-Www", help="One ISO week, e.g. 2024-W21 (instead of --since/--until).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "text", "md"]),
    default="html",
    show_default=True,
    help="html: an email-ready page (CSS inlined, under 102 KB); text: the plain-text alternative; "
    "md: Markdown for newsletter tools.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="Write it to FILE (else, or with -, to stdout).",
)
@click.option(
    "--allow-empty", is_flag=True, help="Write a digest saying nothing changed, rather than fail, for an empty window."
)
@click.option(
    "--base-url",
    metavar="URL",
    envvar="BRIEFINGS_BASE_URL",
    show_envvar=True,
    callback=checked_by(site_url_of),
    help="The site's address, which every link of the digest starts with.  [default: site_url from mkdocs.yml]",
)
@reports_errors
@project_option
def digest(
    project: Project,
    since: str | None,
    until: str | None,
    week: str | None,
    fmt: str,
    output: Path | None,
    allow_empty: bool,
    base_url: str | None,
) -> None:
    """Write what changed in a week: new stories, stories that gained sources, quotes by
    person, states of play rewritten, corrections and updated articles.

    The days are the last full ISO week (Monday to Sunday) unless --week or
    --since/--until say otherwise; articles count by the dates written in them,
    drafts and future-dated articles left out as in a build. Every link is
    absolute, so the site's address is needed: site_url in mkdocs.yml, or
    --base-url. A window with nothing in it is an error (exit status 1) unless
    --allow-empty.

    \b
    Examples:
      briefings digest --base-url https://desk.example.org/ -o digest.html
      briefings digest --week 2024-W21 --format text
      briefings digest --since 2024-05-01 --until 2024-05-31 --format md
    """
    from briefings.digest import window as windows
    from briefings.digest.mail import as_html
    from briefings.digest.plain import as_markdown, as_text
    from briefings.digest.view import digest_view
    from briefings.fileio import replace_bytes
    from briefings.options import read_settings
    from briefings.pipeline import digest_of

    now = dt.datetime.now(dt.UTC)
    if output is not None and str(output) == "-":
        output = None  # stdout
    elif output is not None and output.is_dir():  # "" and "." too
        raise BadValue(f"--output: {str(output)!r} is a folder (expected a file name)")
    elif output is not None and not output.parent.is_dir():
        raise BadValue(f"--output: {output.parent} is not a folder (expected a file in an existing folder)")
    with option_values():
        if week and (since or until):
            raise BadValue("--week: give either --week or --since/--until, not both")
        if week:
            try:
                span = windows.named_week(week)
            except windows.WindowError as exc:
                raise BadValue(f"--week: {exc}") from None
        else:
            first = windows.parse_day(since, "--since") if since else None
            last = windows.parse_day(until, "--until") if until else None
            span = windows.window(first, last, now.date())
        settings = read_settings(project, site_url=base_url)
    if not settings.site_url:
        raise BadValue(
            "the digest's links must be absolute: set site_url in mkdocs.yml or pass --base-url "
            "(e.g. --base-url https://desk.example.org/)"
        )
    changes = digest_of(project, span, now=now, on_left_out=left_out_of("the digest"))
    if changes.is_empty and not allow_empty:
        click.echo(
            f"Error: nothing changed in {span.label} (no article, correction or state of play dated "
            "in it); choose other days, or pass --allow-empty for a digest that says so.",
            err=True,
        )
        raise SystemExit(1)
    if fmt == "html":
        text = as_html(changes, site_name=settings.site_name, site_url=settings.site_url)
    else:
        view = digest_view(changes, site_name=settings.site_name, site_url=settings.site_url)
        text = as_text(view) if fmt == "text" else as_markdown(view)
    if output is None:
        click.echo(text, nl=False)
    else:
        replace_bytes(output, text.encode("utf-8"))
        click.echo(f"{changes.headline[:1].upper()}{changes.headline[1:]} ({span.label}): {output}", err=True)
