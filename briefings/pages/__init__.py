"""From validated content to the generated Markdown tree that an engine builds.

Owns: choosing and grouping what one build publishes (``group``: by topic,
source and story), related coverage (``related``), article bodies and the
links in them (``body``), feeds (``feeds``), the typed page views each
template reads (``views``, their shared pieces in ``viewparts``), making them
(``render`` runs ``listings``, with the month archives and year pages of
the long ones in ``archives``, ``stories`` (story pages and their index),
``sources`` (the sources page) and ``article``, with what they share in
``context`` and ``text``) and writing them as front matter (``frontmatter``),
and writing the tree to ``build/docs/`` with worker processes (``emit``,
``write``).

Must not: read the content folder (it gets a ``Content``), or run an engine.
"""
