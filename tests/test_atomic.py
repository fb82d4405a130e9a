"""Atomic, safe output: an interrupted build never costs the last good site, and
a build writes only to its build and site folders."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from conftest import VALID, Site, tree_hash


def many_articles(site: Site, n: int) -> None:
    for i in range(n):
        site.article(
            f"a{i:04d}.md",
            VALID.replace("A valid article", f"Article number {i}").replace(
                "2024-01-13", f"2024-{i % 12 + 1:02d}-{i % 28 + 1:02d}"
            ),
            body="Some words in the body of the article. " * 40,
        )


@pytest.mark.slow
def test_killing_a_build_midway_leaves_the_old_site_and_the_next_build_works(site):
    many_articles(site, 3)
    assert site.run("build").exit_code == 0
    good = tree_hash(site.root / "site")
    many_articles(site, 400)  # slow enough to be caught in the middle

    proc = subprocess.Popen(
        [sys.executable, "-m", "briefings", "build", "--project", str(site.root)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    staging = []
    while time.monotonic() < deadline and proc.poll() is None:
        staging = [p for p in site.root.glob(".site-build-*") if any(p.rglob("*.html"))]
        if staging:
            break
        time.sleep(0.02)
    assert staging, "the build finished before it could be interrupted"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)

    assert tree_hash(site.root / "site") == good  # the last good site, untouched
    result = site.run("build")
    assert result.exit_code == 0, result.output
    assert (site.root / "site/articles/a0399/index.html").is_file()
    assert not list(site.root.glob(".site-build-*")), "the abandoned staging folder is cleared"


def test_a_build_writes_only_its_build_and_site_folders(site, tmp_path):
    site.article("a.md", VALID)
    outside = {p.name for p in tmp_path.iterdir()}
    before = {p: tree_hash(p) if p.is_dir() else p.read_bytes() for p in site.root.iterdir()}
    assert site.run("build").exit_code == 0
    assert site.run("build", "--drafts").exit_code == 0
    after = {p for p in site.root.iterdir()}
    assert after - set(before) == {site.root / "build", site.root / "site"}
    for path, state in before.items():
        assert (tree_hash(path) if path.is_dir() else path.read_bytes()) == state, path
    assert {p.name for p in tmp_path.iterdir()} == outside
