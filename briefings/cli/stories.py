"""`briefings stories`: suggest groups of articles that report one event, and confirm them."""

from __future__ import annotations

import json

import click

from briefings.cli.common import CONTEXT, project_option, reports_errors
from briefings.project import Project

MAX_WINDOW_DAYS = 60  # briefings.authoring.stories.MAX_WINDOW_DAYS: not imported, so --help stays quick


@click.group(context_settings=CONTEXT)
def stories() -> None:
    """Stories: articles from several outlets about one event (content/stories.yml).

    Each command works on the current folder's site, or the one --project DIR names.

    \b
    Examples:
      briefings stories suggest
      briefings stories suggest --apply ID --project my-desk
    """


@stories.command(context_settings=CONTEXT)
@click.option(
    "--window",
    type=click.IntRange(1, MAX_WINDOW_DAYS),
    default=3,
    show_default=True,
    metavar="DAYS",
    help=f"Group only articles published within DAYS of each other (1 to {MAX_WINDOW_DAYS}).",
)
@click.option("--all", "include_confirmed", is_flag=True, help="Also group articles already in a story.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: each group with the words that tie it, for reading; json: an array of groups "
    "(id, articles, shared_terms, similarity) for other programs.",
)
@click.option(
    "--apply",
    "apply_ids",
    multiple=True,
    metavar="ID",
    help="Confirm the suggestion with this id: add story: ID to its articles and an entry to "
    "content/stories.yml. Repeat for several.",
)
@reports_errors
@project_option
def suggest(project: Project, window: int, include_confirmed: bool, fmt: str, apply_ids: tuple[str, ...]) -> None:
    """Suggest stories among the articles not yet in one, each with the words that tie it.

    Articles published within --window days whose title, summary, key points,
    why-it-matters and people are alike (TF-IDF) are grouped, the more days
    apart the more alike they must be; each group shows the words its articles
    share, its similarity and an id. Nothing is written unless you pass --apply
    with ids it printed.

    \b
    Examples:
      briefings stories suggest
      briefings stories suggest --window 5 --format json
      briefings stories suggest --apply pelosi-taiwan-visit-2022-08-02
    """
    from briefings.authoring import confirm
    from briefings.authoring.stories import suggest_stories
    from briefings.pipeline import check as run_check

    content = run_check(project)
    groups = suggest_stories(content.articles, window=window, include_confirmed=include_confirmed)
    if apply_ids:
        changes = confirm.plan(project.root, content, groups, apply_ids)
        confirm.write(project.root, changes)
        for change in changes:
            click.echo(f"{'Wrote' if change.old is None else 'Updated'} {change.rel}")
        click.echo(
            f"Confirmed {len(set(apply_ids))} stor{'y' if len(set(apply_ids)) == 1 else 'ies'}: edit the title "
            f"and summary in {confirm.STORIES_FILE} (they are the lead article's), then run `briefings check`.",
            err=True,
        )
        return
    if fmt == "json":
        click.echo(json.dumps([g.as_json() for g in groups], ensure_ascii=False, indent=2))
        return
    pool = len(content.articles) if include_confirmed else sum(not a.story for a in content.articles)
    scope = "articles" if include_confirmed else "articles not in a story"
    if not groups:
        click.echo(f"No suggestions among {pool} {scope} (window {window} days).")
        return
    click.echo(
        f"{len(groups)} suggested stor{'y' if len(groups) == 1 else 'ies'} among {pool} {scope} (window {window} days):"
    )
    for group in groups:
        click.echo(f"\n{group.id}  {len(group.articles)} articles, {group.first} to {group.last}")
        click.echo(f"  {group.explain()}")
        for article in group.articles:
            click.echo(f"  {article.date}  {article.path}  {article.title}")
    click.echo("\nConfirm with: briefings stories suggest --apply ID (repeat --apply for several)")
