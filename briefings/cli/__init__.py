"""The `briefings` command line.

Owns: the commands, their options and help, and what the user sees: ``main``
is the command group; the commands live in ``site`` (build, check, deploy,
serve: the site), ``desk`` (new, import, init: the curator's desk), ``lists``
(list, topics, outlets: what the desk holds), ``stories`` (stories suggest)
and ``digest`` (what changed in a week); ``common`` turns the library's errors
into one line and an exit status.

Must not: hold logic of its own beyond reading options and printing results.
It is the only package that imports click.
"""

from __future__ import annotations

import atexit
import gc

import click

from briefings import __version__
from briefings.cli import desk, digest, lists, site, stories
from briefings.cli.common import CONTEXT

# At exit, what a command leaves (a build's edition and cache) is frozen first, so that the
# interpreter's last garbage collection does not go over all of it: an edit at 10,000 articles
# exits in 0.03 s instead of 0.08 s. The memory goes back to the system either way.
atexit.register(gc.freeze)


@click.group(name="briefings", context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="briefings")
def main() -> None:
    """Publish curated news briefings, grouped by topic, as a searchable static site.

    A briefing site is a folder with mkdocs.yml and content/: topics in
    content/topics.yml (id, title, description, keywords), optional people in
    content/people.yml, outlets in content/outlets.yml, events in
    content/stories.yml, and one Markdown file per article under
    content/articles/, whose front matter holds title, date, source and topics
    (required), and url, author, summary, key_points, why_it_matters, quotes,
    people, story, draft... (optional). `briefings new` writes a file with every field.

    Every command exits with status 0 when it did what was asked, 1 when what
    it works on has a problem (the content, the project folder, a file to
    import, git), 2 when the command line itself is wrong (an unknown option,
    a bad value). Problems and warnings go to stderr.

    \b
    Examples:
      briefings init my-desk && cd my-desk
      briefings new "Headline" --topic example
      briefings serve
      briefings build
    """


for command in (
    site.build,
    site.check,
    site.deploy,
    site.serve,
    desk.new,
    desk.import_,
    lists.list_,
    lists.topics,
    lists.outlets,
    desk.init,
    stories.stories,
    digest.digest,
):
    main.add_command(command)
