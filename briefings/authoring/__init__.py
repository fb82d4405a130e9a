"""The curator's commands that make and look at content.

Owns: new drafts (``draft``), importing a web page or clipping (``importer``;
reading it: ``extract``, ``fetch``, ``clipping``), topic suggestions (``suggest``), new desks
(``scaffold``), listings (``listing``) and the live preview (``serve``).

Must not: change an existing article file, or publish anything.
"""
