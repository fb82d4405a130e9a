"""What changed in a window of time, and what one build publishes.

Owns: the days a digest covers (``window``), what changed in them, worked out from the
published edition (``changes``), the digest's renderings for mail and newsletter tools, and
the edition manifest each build writes (``manifest``).

Must not: read files or the clock (the CLI and the pipeline pass content and today in),
or import click.
"""
