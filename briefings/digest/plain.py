"""The digest as plain text (a mail's text/plain part) and as Markdown (for newsletter tools).

Both lay out the same ``DigestView`` as the HTML: the same headlines, every link written out
in full. Text is wrapped at 72 columns, a URL always on a line of its own, never broken.
"""

from __future__ import annotations

import re
import textwrap

from briefings.digest.view import DigestView, Note, PersonView, Report, Section, StoryView

WIDTH = 72
NOTHING = "Nothing changed on the site in these days: no new story, source, quote or correction."


def wrap(text: str, indent: str = "", first: str | None = None) -> list[str]:
    return textwrap.wrap(
        " ".join(text.split()),
        WIDTH,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [indent.rstrip()]


def as_text(view: DigestView) -> str:
    lines = [view.site_name, f"Digest: {view.label}", "", *wrap(view.preheader), ""]
    if not view.sections:
        lines += [*wrap(NOTHING), ""]
    for section in view.sections:
        lines += [section.title.upper(), "=" * len(section.title), ""]
        for story in section.stories:
            lines += text_story(story)
        for person in section.people:
            lines += text_person(person)
        for note in section.notes:
            lines += text_note(note)
        if section.more:
            lines += [f"...and {section.more} more on the site:", view.more_href, ""]
    lines += ["--", f"{view.site_name}: {view.site_href}", f"Every digest: {view.digests_href}"]
    return "\n".join(lines) + "\n"


def text_story(story: StoryView) -> list[str]:
    lines = [*wrap(story.title), story.href, ""]
    if story.summary:
        lines += [*wrap(story.summary), ""]
    lines += [story.sources + ":"]
    for r in story.reports:
        lines += text_report(r)
    if story.more_reports:
        lines += [f"  ...and {story.more_reports} more on the story's page"]
    return [*lines, ""]


def text_report(r: Report, prefix: str = "  - ") -> list[str]:
    lines = wrap(f"{r.outlet}, {r.date}: {r.title}", "    ", first=prefix)
    if r.original:
        lines.append(f"    {r.original}")
    lines.append(f"    Our page: {r.page}")
    return lines


def text_person(person: PersonView) -> list[str]:
    lines = [person.name + (f" ({person.href})" if person.href else ""), ""]
    for q in person.quotes:
        lines += [*wrap(f"“{q.text}”", "  "), *text_report(q.report, "  — "), ""]
    if person.more:
        lines += [f"  ...and {person.more} more quotes on the site", ""]
    return lines


def text_note(note: Note) -> list[str]:
    lines = [*wrap(f"{note.title} ({note.date})"), note.href]
    if note.text:
        lines += wrap(note.text, "  ")
    return [*lines, ""]


# --- Markdown -----------------------------------------------------------------------

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def esc(text: str) -> str:
    """Text that Markdown shows as written (no emphasis, link or heading from its characters)."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def link(text: str, href: str) -> str:
    return f"[{esc(text)}](<{href}>)" if href else esc(text)


def as_markdown(view: DigestView) -> str:
    lines = [f"# {esc(view.site_name)}: {esc(view.label)}", "", f"**{esc(view.preheader)}**", ""]
    if not view.sections:
        lines += [esc(NOTHING), ""]
    for section in view.sections:
        lines += md_section(section, view.more_href)
    lines += ["---", "", f"{link(view.site_name, view.site_href)} · {link('Every digest', view.digests_href)}"]
    return "\n".join(lines) + "\n"


def md_section(section: Section, more_href: str) -> list[str]:
    lines = [f"## {esc(section.title)}", ""]
    for story in section.stories:
        lines += [f"### {link(story.title, story.href)}", ""]
        if story.summary:
            lines += [esc(story.summary), ""]
        lines += [f"*{esc(story.sources)}*", ""]
        lines += [f"- {md_report(r)}" for r in story.reports]
        if story.more_reports:
            lines.append(f"- {link(f'…and {story.more_reports} more', story.href)}")
        lines.append("")
    for person in section.people:
        lines += [f"### {link(person.name, person.href)}", ""]
        for q in person.quotes:
            lines += [f"> “{esc(q.text)}”", ">", f"> — {esc(q.speaker)}, {md_report(q.report)}", ""]
        if person.more:
            lines += [link(f"…and {person.more} more quotes", person.href or more_href), ""]
    for note in section.notes:
        lines.append(
            f"- {link(note.title, note.href)} ({esc(note.date)})" + (f": {esc(note.text)}" if note.text else "")
        )
    if section.notes:
        lines.append("")
    if section.more:
        lines += [link(f"…and {section.more} more on the site", more_href), ""]
    return lines


def md_report(r: Report) -> str:
    return f"{link(r.outlet, r.original)}, {esc(r.date)}: {esc(r.title)} ({link('our page', r.page)})"
