"""The process pool gives exactly the serial output."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

import briefings.parallel as parallel
from briefings.pipeline import generate
from briefings.project import Project
from conftest import VALID, Site, tree_hash

NOW = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)


def test_pmap_keeps_the_order():
    items = list(range(1000))
    assert parallel.pmap(str, items, threshold=10) == [str(i) for i in items]


def test_parallel_generation_is_identical_to_serial(tmp_path, monkeypatch):
    site = Site(tmp_path / "a")
    for i in range(60):
        site.article(f"a{i:03d}.md", VALID.replace("A valid article", f"Item {i}")
                     .replace("2024-01-13", f"2024-{i % 12 + 1:02d}-{i % 27 + 1:02d}"),
                     body=f"Body *{i}* with <b>markup</b> and a [link](https://example.org/{i}).\n")
    site.article("bad.md", VALID.replace("[taiwan]", "[nowhere]"))
    other = tmp_path / "b"
    shutil.copytree(site.root, other)

    monkeypatch.setattr(parallel, "THRESHOLD", 400)
    serial_problems = site.run("check").stderr
    (site.root / "content/articles/bad.md").unlink()
    generate(Project.at(site.root), now=NOW)

    monkeypatch.setattr(parallel, "workers", lambda: 2)
    monkeypatch.setattr(parallel.pmap, "__kwdefaults__", {"threshold": 5})  # use the pools for this small site
    monkeypatch.setattr(parallel.fork_chunks, "__kwdefaults__", {"threshold": 5})
    pools = []
    real_pool = parallel.ProcessPoolExecutor
    monkeypatch.setattr(parallel, "ProcessPoolExecutor", lambda **kw: pools.append(kw) or real_pool(**kw))
    from click.testing import CliRunner
    from briefings.cli import main
    parallel_problems = CliRunner().invoke(main, ["check", "--project", str(other)]).stderr
    assert parallel_problems == serial_problems and "nowhere" in parallel_problems
    (other / "content/articles/bad.md").unlink()
    generate(Project.at(other), now=NOW)
    assert len(pools) == 3  # check's parse, generate's parse and its article pages all ran in a pool
    assert tree_hash(site.root / "build/docs") == tree_hash(other / "build/docs")


def test_a_worker_that_dies_is_one_clear_error(tmp_path, monkeypatch):
    """A worker killed (say, by the out-of-memory killer): one line, no traceback."""
    import os
    import signal

    from briefings.errors import BriefingsError

    monkeypatch.setattr(parallel, "workers", lambda: 2)

    def dies(indices):
        os.kill(os.getpid(), signal.SIGKILL)

    with pytest.raises(BriefingsError, match="worker process died .*BRIEFINGS_WORKERS=1"):
        parallel.fork_chunks(dies, 100, lambda: None, threshold=10)


def test_no_pool_where_processes_cannot_fork(monkeypatch):
    """The pools fork (workers inherit what the parent built); on Windows they cannot."""
    monkeypatch.setattr(parallel.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert parallel.workers() == 1
    results, other = parallel.fork_chunks(lambda r: list(r), 1000, lambda: "here", threshold=10)
    assert results == [list(range(1000))] and other == "here"
    assert parallel.pmap(str, list(range(500)), threshold=10) == [str(i) for i in range(500)]
