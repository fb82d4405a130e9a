"""Worker processes give exactly the serial output."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal

import pytest
from conftest import VALID, Site, copy_sample, generate, run_cli, tree_hash

from briefings import parallel
from briefings.errors import BriefingsError
from briefings.parallel import Workers
from briefings.project import Project

NOW = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def test_map_keeps_the_order():
    items = list(range(1000))
    assert Workers(2, threshold=10).map(str, items) == [str(i) for i in items]


def test_parallel_generation_is_identical_to_serial(tmp_path, monkeypatch):
    site = Site(tmp_path / "a")
    for i in range(60):
        site.article(
            f"a{i:03d}.md",
            VALID.replace("A valid article", f"Item {i}").replace(
                "2024-01-13", f"2024-{i % 12 + 1:02d}-{i % 27 + 1:02d}"
            ),
            body=f"Body *{i}* with <b>markup</b> and a [link](https://example.org/{i}).\n",
        )
    site.article("bad.md", VALID.replace("[taiwan]", "[nowhere]"))
    other = tmp_path / "b"
    shutil.copytree(site.root, other)

    serial_problems = run_cli("build", "--workers", "1", "--project", str(site.root)).stderr
    (site.root / "content/articles/bad.md").unlink()
    generate(Project.at(site.root), now=NOW, workers=1)

    monkeypatch.setattr(parallel, "THRESHOLD", 5)  # use the workers for this small site
    forked = []
    real_chunks = Workers.chunks

    def chunks(self, task, count, meanwhile, **how):
        forked.append(self.forks(count))
        return real_chunks(self, task, count, meanwhile, **how)

    monkeypatch.setattr(Workers, "chunks", chunks)
    parallel_problems = run_cli("build", "--workers", "2", "--project", str(other)).stderr
    assert parallel_problems == serial_problems and "nowhere" in parallel_problems
    (other / "content/articles/bad.md").unlink()
    generate(Project.at(other), now=NOW, workers=2)
    assert forked == [True, True, True]  # the failed build's parse, then generation's parse and its article pages
    assert tree_hash(site.root / "build/docs") == tree_hash(other / "build/docs")


def test_an_edit_with_the_listings_dealt_to_the_workers_writes_what_one_process_does(tmp_path, monkeypatch):
    """In an edit the listing units go to the workers, a unit a chunk (emit.py): the pages
    equal those one process writes, and those of a cold generation of the edited content."""
    quint = "content/articles/2022/2022-08-02-the-quint-pelosi-leaves-taipei.md"
    serial, forked, cold = (copy_sample(tmp_path / name) for name in ("serial", "forked", "cold"))
    monkeypatch.setattr(parallel, "THRESHOLD", 5)  # use the workers for the sample
    dealt = []
    real_chunks = Workers.chunks

    def chunks(self, task, count, meanwhile, alone=0):
        if task.__name__ == "share":  # generation's pages (not the parse)
            dealt.append(alone if self.forks(count) else None)
        return real_chunks(self, task, count, meanwhile, alone=alone)

    monkeypatch.setattr(Workers, "chunks", chunks)
    for root, workers in ((serial, 1), (forked, 2)):
        generate(Project.at(root), now=NOW, workers=workers)
    for root in (serial, forked, cold):
        path = root / quint
        text = path.read_text("utf-8").replace("title: Nancy Pelosi Leaves Taipei", "title: Pelosi Departs Taipei")
        path.write_text(text, "utf-8")
    dealt.clear()
    for root, workers in ((serial, 1), (forked, 2), (cold, 2)):
        generate(Project.at(root), now=NOW, workers=workers)
    # The forked edit dealt its listings (the cold one made them in this process).
    assert dealt[0] is None and dealt[1] > 10 and dealt[2] == 0
    assert tree_hash(forked / "build/docs") == tree_hash(serial / "build/docs") == tree_hash(cold / "build/docs")


def test_a_worker_that_dies_is_one_clear_error():
    """A worker killed (say, by the out-of-memory killer): one line, no traceback."""

    def dies(indices):
        os.kill(os.getpid(), signal.SIGKILL)

    with pytest.raises(BriefingsError, match=r"worker process died .*--workers 1"):
        Workers(2, threshold=10).chunks(dies, 100, lambda: None)


def _ignores_ctrl_c(span: range) -> list[bool]:
    return [signal.getsignal(signal.SIGINT) is signal.SIG_IGN for _ in span]


def test_workers_leave_ctrl_c_to_this_process():
    """Ctrl+C goes to the whole process group: the workers ignore it (this process stops them),
    so none prints a traceback of its own, and none is interrupted while it sends its results."""
    results, _ = Workers(2, threshold=1).chunks(_ignores_ctrl_c, 40, lambda: None)
    assert all(flag for chunk in results for flag in chunk)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # this process: as it was


def test_ctrl_c_while_forking_is_taken_after_the_fork():
    """Landing in the fork's handlers (logging's), it was lost, and left logging's lock held:
    a later fork waited for it forever."""
    reached = []
    with pytest.raises(KeyboardInterrupt), parallel._interrupts_held():
        os.kill(os.getpid(), signal.SIGINT)
        reached.append("after the signal")  # not interrupted here ...
    assert reached == ["after the signal"]  # ... but once the fork is done


def test_what_a_worker_raises_is_raised_here():
    def fails(indices):
        raise BriefingsError(f"cannot write page {indices.start}")

    with pytest.raises(BriefingsError, match="cannot write page 0"):
        Workers(2, threshold=10).chunks(fails, 100, lambda: None)


def test_a_free_worker_takes_the_next_chunk():
    """Chunks are taken, not dealt: while one worker is busy with a slow chunk, the other
    takes every chunk left, and the results still come back in order."""
    import time

    def task(indices):
        if indices.start == 0:
            time.sleep(1.5)
        return indices.start, os.getpid()

    results, _ = Workers(2, threshold=10).chunks(task, 200, lambda: None, alone=1)
    assert [start for start, _ in results] == sorted(start for start, _ in results)
    slow = results[0][1]
    assert len(results) > 10 and all(pid != slow for _, pid in results[1:])


def test_when_chunks_raise_the_first_in_order_is_raised():
    """As one process would: the earliest chunk's error, whichever worker met one first."""
    import time

    def fails(indices):
        if indices.start == 0:
            time.sleep(0.5)
            raise BriefingsError("cannot write page 0")
        if indices.start >= 60:
            raise BriefingsError(f"cannot write page {indices.start}")
        return indices.start

    with pytest.raises(BriefingsError, match=r"cannot write page 0$"):
        Workers(2, threshold=10).chunks(fails, 200, lambda: None, alone=1)


def test_no_workers_where_processes_cannot_fork(monkeypatch):
    """The workers fork (they inherit what the parent built); on Windows they cannot."""
    monkeypatch.setattr(parallel.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    from briefings.options import default_workers

    assert default_workers() == 1
    workers = Workers(2, threshold=10)
    results, other = workers.chunks(list, 1000, lambda: "here")
    assert results == [list(range(1000))] and other == "here"
    assert workers.map(str, list(range(500))) == [str(i) for i in range(500)]


def test_no_module_state_is_left_behind():
    """Nothing of a run stays in the module (the task travels with the fork, not in a global)."""
    before = {k: v for k, v in vars(parallel).items() if not k.startswith("__")}
    Workers(2, threshold=10).chunks(len, 100, lambda: None)
    assert {k: v for k, v in vars(parallel).items() if not k.startswith("__")} == before


def test_what_the_build_made_is_left_out_of_the_collectors_passes_until_it_ends(tmp_path, monkeypatch):
    """After the generation, the content and the edition are frozen (gc.freeze): the full pass
    the site's build sets off does not go over them. Workers forked meanwhile leave them so,
    and the build unfreezes them when it ends, even when it fails."""
    import gc

    from briefings.engine.mkdocs import MkDocsEngine

    root = copy_sample(tmp_path / "desk")
    seen = []
    real = MkDocsEngine.build

    def build(self, *args, **kwargs):
        before = gc.get_freeze_count()
        Workers(2, threshold=1).map(str, list(range(10)))
        seen.append((before, gc.get_freeze_count()))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(MkDocsEngine, "build", build)
    assert run_cli("build", "--project", str(root)).exit_code == 0
    assert gc.get_freeze_count() == 0
    ((before, after),) = seen
    assert before > 10_000 and after >= before

    monkeypatch.setattr(MkDocsEngine, "build", lambda *a, **k: 1 / 0)
    (root / "content/articles/2024").joinpath("new.md").write_text(VALID, "utf-8")
    assert run_cli("build", "--project", str(root)).exit_code != 0
    assert gc.get_freeze_count() == 0


def test_articles_pickle_whole_as_the_cache_and_the_workers_pass_them():
    """Every field of every article of the sample, its quotes, corrections and outlet, and
    the lines its problems name (fields left out of comparisons), comes back from a pickle."""
    import dataclasses
    import pickle
    from pathlib import Path

    from briefings.content.load import load_content

    def values(obj):
        if dataclasses.is_dataclass(obj):
            return (type(obj), tuple(values(getattr(obj, f.name)) for f in dataclasses.fields(obj)))
        if isinstance(obj, tuple):
            return tuple(values(item) for item in obj)
        return obj

    articles = load_content(Path(__file__).parent.parent).articles
    assert any(a.corrections for a in articles) and any(a.quotes for a in articles)
    assert any(a.people_lines for a in articles) and any(a.outlet for a in articles)
    for article in articles:
        assert values(pickle.loads(pickle.dumps(article))) == values(article)
