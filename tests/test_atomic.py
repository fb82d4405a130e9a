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


def test_refreshing_a_spare_writes_its_own_files_over_and_links_the_others_leaving_nothing_behind(tmp_path):
    """A spare copy made again a copy of the new site (engine/linktree.refresh_copy): a file it
    alone links gets the new bytes in place (the same inode: its pages stay its own, which a
    new day's build writes in place); a file it shares with the site (a hard link, as a page
    no build rewrote) is left as it is, for renaming a link over another of the same file does
    nothing and would leave the link's temporary name in the spare, where the next one fails on
    it; one it shares with something else (a cached search bundle's file) is linked again."""
    from briefings.engine.linktree import link_tree, refresh_copy

    site, spare = tmp_path / "site", tmp_path / "spare"
    (site / "assets").mkdir(parents=True)
    (site / "assets/style.css").write_text("shared", "utf-8")
    (site / "index.html").write_text("old", "utf-8")
    (site / "gone.html").write_text("gone", "utf-8")
    (tmp_path / "cached.json").write_text("cached", "utf-8")
    link_tree(site, spare)
    os.link(tmp_path / "cached.json", spare / "bundle.json")  # the spare's, and the cache's
    (site / "bundle.json").write_text("the new bundle", "utf-8")
    (site / "gone.html").unlink()
    (site / "index.html").unlink()
    (site / "index.html").write_text("new", "utf-8")  # rewritten: a new file; the spare's old one is its own
    own = (spare / "index.html").stat().st_ino
    for _ in range(2):
        refresh_copy(site, spare)
        assert sorted(p.relative_to(spare).as_posix() for p in spare.rglob("*") if p.is_file()) == [
            "assets/style.css",
            "bundle.json",
            "index.html",
        ]
        assert (spare / "index.html").read_text("utf-8") == "new"
        assert (spare / "index.html").stat().st_ino == own != (site / "index.html").stat().st_ino
        assert (spare / "assets/style.css").stat().st_ino == (site / "assets/style.css").stat().st_ino
        assert (spare / "bundle.json").stat().st_ino == (site / "bundle.json").stat().st_ino
        assert (tmp_path / "cached.json").read_text("utf-8") == "cached"  # never written through
