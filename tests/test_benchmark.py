"""The benchmark keeps working: run it at a tiny N and check every figure is printed.
(It prints figures; no test ever asserts a time.)"""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import REPO

FIGURES = [
    "generation, cold (content -> Markdown)",
    "generation, no-op (nothing changed)",
    "briefings build (full site)",
    "mkdocs build of the same pages (bare)",
    "ratio briefings / bare",
    "one article edited, briefings build",
    "site size",
    "article page HTML",
    "largest listing page",
    # Pagefind, the default search: its index, and a first search measured in Chromium.
    "Pagefind index (part of the full build)",
    "Pagefind bundle on disk",
    "Pagefind bytes before the first key",
    "first search, typed 'fentanyl'",
]


@pytest.mark.slow
def test_benchmark_runs_and_prints_every_figure():
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks/run.py"), "--sizes", "40", "--no-lighthouse"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "N = 40 articles" in result.stdout
    for figure in FIGURES:
        assert figure in result.stdout, figure
    assert "0 files written" in result.stdout  # the no-op generation writes nothing
    assert "Pagefind bytes before the first key          0 B served" in result.stdout


def test_the_corpus_is_deterministic(tmp_path):
    sys.path.insert(0, str(REPO / "benchmarks"))
    from conftest import tree_hash
    from corpus import make_corpus

    first, second = make_corpus(tmp_path / "a", 25), make_corpus(tmp_path / "b", 25)
    assert tree_hash(first / "content") == tree_hash(second / "content")
