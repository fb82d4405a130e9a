"""From the generated Markdown tree to a published site folder.

Owns: what an engine is given and does (``base``: SiteJob, SitePlan, the
Engine protocol), running MkDocs + Material (``mkdocs``) or Zensical
(``zensical``) over the pages, the theme they build with (``theme``: the
package's, with the desk's overrides laid over it), incremental rebuilds
(``incremental``),
Pagefind's index (``pagefind``; in shards by date, ``searchshards``, each run
by ``shardrun``), child processes under a memory limit
(``guard``), checking the links of built pages (``linkcheck``), files a host
needs (``hosting``), and the site folder itself: which folders a build may
replace, staging and the atomic swap (``sitefolder``).

Must not: read the content folder or render pages; it gets the generated tree.
"""
