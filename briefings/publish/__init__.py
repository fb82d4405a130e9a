"""Publishing a built site: pushing it to a gh-pages branch (``deploy``).

Must not: build (it is given a built site) or touch the content folder.
"""
