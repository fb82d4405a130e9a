"""From the generated Markdown tree to a published site folder.

Owns: running MkDocs + Material or Zensical over the pages (``site``,
``zensical``), incremental rebuilds (``incremental``), Pagefind's index
(``pagefind``), child processes under a memory limit (``guard``), checking the
links of built pages (``linkcheck``), and the site folder itself: which
folders a build may replace, staging and the atomic swap (``sitefolder``).

Must not: read the content folder or render pages; it gets the generated tree.
"""
