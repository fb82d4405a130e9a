"""Publishing a built site.

Owns: checking a built site (``check``: every link and anchor) and pushing it
to a gh-pages branch (``deploy``).

Must not: build (it is given a built site) or touch the content folder.
"""
