"""The curator's commands that make and look at content.

Owns: new drafts (``draft``), importing a web page or clipping (``importer``;
reading it: ``extract``, ``fetch``, ``clipping``), topic suggestions (``suggest``), story suggestions (``stories``) and
confirming them (``confirm``), new desks
(``scaffold``), listings (``listing``) and the live preview (``serve``).

Must not: change an existing article file (except ``confirm``: one ``story:`` line, when the
curator passes --apply), or publish anything.
"""
