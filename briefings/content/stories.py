"""content/stories.yml and story:: the events the curator has confirmed.

A story is an entry of stories.yml (id, title, summary, why_it_matters) and the
articles whose front matter says ``story: <id>``. Only what the curator wrote
counts: the build never groups articles itself. Both sides must agree, so a
typo cannot lose an article or leave a story empty: an article naming no entry,
and an entry no article names, are each a problem.
"""

from __future__ import annotations

from pathlib import Path

from briefings.content.entries import read_entries
from briefings.content.fields import SHORT_TEXT, FieldError, did_you_mean, required_text, slug, text
from briefings.content.model import Article, Story
from briefings.errors import Problem


def story_id(value: object) -> str:
    """A story's id: a slug, and not only digits, which name the stories archive's year pages
    (stories/2024/)."""
    result = slug(value, "id", "pelosi-taiwan-visit-2022")
    if result.isdigit():
        raise FieldError(
            f"{result!r} is only digits, the name of an archive page (expected words, e.g. pelosi-taiwan-visit-2022)"
        )
    return result


STORIES_FILE = "content/stories.yml"
REQUIRED = ("id", "title", "summary")
PARSERS = {
    "id": story_id,
    "title": lambda v: required_text(v, SHORT_TEXT),
    "summary": required_text,
    "why_it_matters": text,
}


def load_stories(root: Path, articles: list[Article], problems: list[Problem]) -> list[Story]:
    """The stories of content/stories.yml (optional), in its order, each with its articles."""
    rel = STORIES_FILE
    before = len(problems)
    entries = list(read_entries(root, rel, "stories", PARSERS, REQUIRED, problems))
    # A file that could not be read at all (its YAML, or not a file) is its one problem:
    # not every article that names a story as well.
    unreadable = any(p.path == rel and p.field in ("file", "stories") for p in problems[before:])
    first: dict[str, int] = {}  # id -> its line
    for entry in entries:
        story_id, at = entry.values["id"], entry.line_of("id")
        if story_id in first:
            problems.append(
                Problem(
                    rel,
                    at,
                    f"{entry.where}.id",
                    f"{story_id!r} is already used by the story on line {first[story_id]} (expected unique ids)",
                )
            )
        first.setdefault(story_id, at)

    members: dict[str, list[Article]] = {}
    for article in sorted(articles, key=lambda a: a.path):
        if article.story:
            members.setdefault(article.story, []).append(article)
    for story_id, named in members.items():
        if story_id not in first and not unreadable:
            hint = did_you_mean(story_id, first)
            known = f"one of the ids in {rel}: {', '.join(sorted(first))}" if first else f"an entry in {rel}"
            problems.extend(
                Problem(
                    article.path,
                    article.story_line,
                    "story",
                    f"unknown story {story_id!r} ({hint + ' ' if hint else ''}expected {known}, "
                    "with id:, title: and summary:)",
                )
                for article in named
            )

    stories: list[Story] = []
    for entry in entries:
        v = entry.values
        if first[v["id"]] != entry.line_of("id"):
            continue  # a duplicate, reported above
        named = members.get(v["id"], [])
        if not named:
            problems.append(
                Problem(
                    rel,
                    entry.line_of("id"),
                    f"{entry.where}.id",
                    f"{v['id']!r} names no article (expected at least one article with story: {v['id']}, "
                    "or remove the entry)",
                )
            )
            continue
        stories.append(
            Story(
                id=v["id"],
                title=v["title"],
                summary=v["summary"],
                why_it_matters=v.get("why_it_matters", ""),
                articles=tuple(sorted(named, key=lambda a: (a.published, a.path))),
            )
        )
    return stories
