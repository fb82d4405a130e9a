"""Pagefind's index in shards by date (engine/searchshards.py): a sample split into
several shards searches the newest first, and on request, sorts and filters in Chromium
exactly as one index does;
an edit indexes one shard again and the site still equals a cold build, byte for
byte; extra.briefings.search_shard_pages is checked."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest
from conftest import copy_sample, pagefind_fragments, run_cli, tree_hash
from test_browser import every_result, serve_site, visiting
from test_browser import search as type_search
from test_search import article_days

from briefings.engine import searchshards, shardrun

SHARD_PAGES = 20  # the sample's 92 indexed pages: 2022-08, 2023-11, 2023-12 to 2024-02, 2024-04 to -05, 2024-08, -11
SHARDS = 6
SEED = "content/articles/2023/2023-11-15-daily-caller-biden-xi-agreement.md"


def sharded(root):
    """The sample's mkdocs.yml with extra.briefings.search_shard_pages set."""
    config = root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + f"  briefings:\n    search_shard_pages: {SHARD_PAGES}\n", "utf-8")
    return root


def build(root):
    result = run_cli("build", "--project", str(root))
    assert result.exit_code == 0, result.output
    return result.stdout


def shards_of(site):
    """Each shard's key and the URLs its bundle indexes, newest first."""
    bundle = site / "pagefind"
    listed = json.loads((bundle / "briefings-shards.json").read_text("utf-8"))["shards"]
    return [(s["key"], set(pagefind_fragments(bundle / s["path"]))) for s in listed]


@pytest.fixture(scope="session")
def sharded_build(tmp_path_factory):
    root = sharded(copy_sample(tmp_path_factory.mktemp("sharded")))
    build(root)
    return root


@pytest.fixture(scope="session")
def single_served(sample_build, tmp_path_factory):
    with serve_site("root", sample_build[0] / "site", tmp_path_factory, subpath=False) as served:
        yield served


@pytest.fixture(scope="session")
def sharded_served(sharded_build, tmp_path_factory):
    with serve_site("root", sharded_build / "site", tmp_path_factory, subpath=False) as served:
        yield served


def test_the_sample_splits_into_date_shards_that_together_index_what_one_index_does(sharded_build, sample_build):
    shards = shards_of(sharded_build / "site")
    single = shards_of(sample_build[0] / "site")
    assert [key for key, _ in single] == ["all"]  # a small desk: one bundle, as before shards
    keys = [key for key, _ in shards]
    # 2022, 2023 and 2024 each hold more than 20 pages: their months, grouped from the oldest up to 20 a shard,
    # but for the newest months, back to a quarter of that (at least one month): November 2024's 3 pages.
    assert keys == ["2024-11", "2024-08", "2024-04_2024-05", "2023-12_2024-02", "2023-11", "2022-08"]
    assert len(keys) == SHARDS
    assert all(len(urls) <= SHARD_PAGES or "_" not in key for key, urls in shards)
    assert set().union(*(urls for _, urls in shards)) == single[0][1]
    assert sum(len(urls) for _, urls in shards) == len(single[0][1])  # no page in two shards
    bundle = sharded_build / "site" / "pagefind"
    assert (bundle / "pagefind.js").is_file() and (bundle / "wasm.en.pagefind").is_file()
    assert not list(bundle.glob("shard-*/pagefind.js")) and not list(bundle.glob("shard-*/wasm.*"))
    counts = json.loads((bundle / "briefings-filters.json").read_text("utf-8"))  # for the Filter panel
    assert sorted(counts) == ["country", "outlet", "topic", "year"]
    assert sum(counts["year"].values()) == len(single[0][1])  # every indexed page has its year
    assert not (sample_build[0] / "site" / "pagefind" / "briefings-filters.json").exists()  # one shard: none


def test_a_shards_pages_index_the_same_by_glob_by_links_and_stripped_in_memory(sharded_build, tmp_path, monkeypatch):
    """Without a tmpfs, a shard's pages are given to Pagefind by a glob over the site itself;
    a page whose name a glob would misread makes the shard's run over a folder of links to its
    pages, as before globs: both give the same bundles, byte for byte. With one, Pagefind reads
    copies of the pages in memory, stripped to what it indexes: the same pages, each with the
    same record (its text, anchors, meta and filters), but numbered in the order that folder
    lists them."""
    from briefings.engine import pagefind

    site = tmp_path / "site"
    shutil.copytree(sharded_build / "site", site)
    linked, runs = [], []
    monkeypatch.setattr(shardrun, "link_or_copy", lambda s, d: (linked.append(d), shutil.copyfile(s, d)))
    real_run = pagefind.run_guarded
    monkeypatch.setattr(pagefind, "run_guarded", lambda args, **k: (runs.append(args), real_run(args, **k))[1])
    (tmp_path / "memory").mkdir()
    monkeypatch.setattr(shardrun, "MEMORY_ROOM", 0)
    trees, records = [], []
    for links, plain, memory in (
        (0, shardrun._PLAIN_NAME, tmp_path / "none"),
        (92, re.compile("^$"), tmp_path / "none"),  # matches no name
        (0, shardrun._PLAIN_NAME, tmp_path / "memory"),
    ):
        monkeypatch.setattr(shardrun, "_PLAIN_NAME", plain)
        monkeypatch.setattr(shardrun, "MEMORY", memory)
        linked.clear()
        runs.clear()
        shutil.rmtree(site / "pagefind")
        done = pagefind.index_site(site, max_memory_gb=4, shard_pages=SHARD_PAGES)  # in a scratch folder
        assert len(done.indexed) == SHARDS
        trees.append(tree_hash(site / "pagefind"))
        listed = json.loads((site / "pagefind" / "briefings-shards.json").read_text("utf-8"))["shards"]
        records.append([(s["key"], pagefind_fragments(site / "pagefind" / s["path"])) for s in listed])
        assert len([dest for dest in linked if ".work-" in str(dest)]) == links  # the pages, not the bundles
        sites = {Path(args[args.index("--site") + 1]) for args in runs}
        assert (sites == {site}) == (links == 0 and memory.name == "none")  # the glob's runs: over the site
    assert trees[0] == trees[1]
    assert records[0] == records[1] == records[2]
    assert list((tmp_path / "memory").iterdir()) == []


def test_pagefind_indexes_as_many_shards_at_once_as_the_build_has_workers(sharded_build, tmp_path, monkeypatch):
    """Each Pagefind run indexes on one core: a build with N workers (``--workers``, the
    machine's cores by default) runs N at once, and the bundles are the same as one at a time
    (as are the pages' digests, which the workers read in a full build)."""
    from briefings.engine import pagefind

    site = tmp_path / "site"
    shutil.copytree(sharded_build / "site", site)
    real_run = pagefind.run_guarded
    together = threading.Barrier(1)
    running, most, calls = [0], [0], [0]
    lock = threading.Lock()

    def run(args, **kwargs):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
            calls[0] += 1
            first = calls[0] <= together.parties
        try:
            if first:  # the first runs wait for each other: all at once, or the barrier breaks
                with contextlib.suppress(threading.BrokenBarrierError):
                    together.wait()
            return real_run(args, **kwargs)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(pagefind, "run_guarded", run)
    monkeypatch.setattr("briefings.parallel.THRESHOLD", 1)  # the pages read by forked workers too
    trees, digests = [], []
    for runs in (3, 1):
        shutil.rmtree(site / "pagefind")
        together = threading.Barrier(runs, timeout=60)
        most[0] = calls[0] = 0
        done = pagefind.index_site(site, max_memory_gb=4, shard_pages=SHARD_PAGES, runs=runs)
        assert len(done.indexed) == SHARDS
        assert most[0] == runs
        trees.append(tree_hash(site / "pagefind"))
        digests.append(done.digests)  # of each shard's pages as read
    assert trees[0] == trees[1]
    assert digests[0] == digests[1]


def test_no_more_pagefind_runs_at_once_than_half_the_available_memory_holds(sharded_build, tmp_path, monkeypatch):
    """About 0.3 MB a page of a shard, and 50 MB a run: with little memory free, one run at a
    time however many workers the build has; where the system does not say, no limit."""
    from briefings.engine import pagefind

    monkeypatch.setattr(shardrun, "memory_available", lambda: 2**30)
    assert shardrun.runs_that_fit(4000) == 1  # 1.2 GB a run: one, not none
    assert shardrun.runs_that_fit(20) == 9  # 56 MB a run: half of 1 GB holds nine
    monkeypatch.setattr(shardrun, "memory_available", lambda: None)
    assert shardrun.runs_that_fit(4000) == shardrun.MAX_RUNS

    site = tmp_path / "site"
    shutil.copytree(sharded_build / "site", site)
    real_run = pagefind.run_guarded
    running, most = [0], [0]
    lock = threading.Lock()

    def run(args, **kwargs):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        try:
            time.sleep(0.2)  # long enough for the runs of three threads to overlap
            return real_run(args, **kwargs)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(pagefind, "run_guarded", run)
    monkeypatch.setattr(shardrun, "memory_available", lambda: 100 * 2**20)
    shutil.rmtree(site / "pagefind")
    done = pagefind.index_site(site, max_memory_gb=4, shard_pages=SHARD_PAGES, runs=3)
    assert len(done.indexed) == SHARDS and most[0] == 1


def test_pagefind_reads_a_page_stripped_to_its_head_and_body_element_unless_more_of_it_counts(sharded_build):
    page = sharded_build / "site" / SEED.replace("content/articles/2023/", "articles/").replace(".md", "/index.html")
    data = page.read_bytes()
    stripped = shardrun.indexed_part(data)
    head = data[: data.index(b"<body")]
    assert stripped.startswith(head) and b'data-pagefind-filter="topic' in head
    body = data[data.index(b"<div data-pagefind-body") :]
    assert stripped.count(b"<div data-pagefind-body") == 1
    rest = stripped.removeprefix(head)
    assert len(stripped) < len(data) * 0.8 and b"md-header" not in rest and b"<script" not in rest
    assert body[: len(stripped) - len(head) - 200] in stripped  # the element, whole
    extra = b'<span data-pagefind-filter="year">2023</span>'
    for changed in (
        data.replace(b"<div data-pagefind-body", extra + b"<div data-pagefind-body"),  # a filter outside it
        data.replace(b"</body>", extra + b"</body>"),
        data.replace(b"</body>", b"<div data-pagefind-body>More</div></body>"),  # a second body element
        data.replace(b"<body", b"<bodyx"),
    ):
        assert shardrun.indexed_part(changed) == changed


def whole_archive(page):
    """Ask for the whole archive when the search covers only the newest shards."""
    wider = page.locator(".bf-search__wider")
    if wider.is_visible():
        wider.click()
        page.wait_for_function("!/ (since|up to) /.test(document.querySelector('.bf-search__status').textContent)")
        page.wait_for_load_state("networkidle")


def results(page, served, query):
    """Every result for ``query`` in the whole archive: by relevance, newest first, oldest first."""
    page.goto(served.url())
    type_search(page, query)
    whole_archive(page)
    found = [every_result(page)]
    for sort in ("Newest first", "Oldest first"):
        page.get_by_label("Sort").select_option(label=sort)
        page.wait_for_function("document.querySelectorAll('.bf-search__result').length <= 5")
        page.wait_for_load_state("networkidle")
        found.append(every_result(page))
    return [[u.removeprefix(served.base) for u in urls] for urls in found]


def filter_counts(page) -> list[str]:
    page.locator(".bf-search__filters > summary").click()
    page.wait_for_selector(".bf-search__group")
    return page.eval_on_selector_all(".bf-search__option", "labels => labels.map(l => l.textContent.trim())")


def test_a_sharded_index_finds_sorts_and_filters_as_one_index(browser, sharded_served, single_served, sharded_build):
    pages = {}
    for name, served in (("sharded", sharded_served), ("single", single_served)):
        for page_of in visiting(browser, served):
            page = page_of()
            found, newest, oldest = results(page, served, "China")
            pages[name] = (found, newest, oldest, filter_counts(page))
    found, newest, oldest, counts = pages["sharded"]
    assert sorted(found) == sorted(pages["single"][0])
    for key, urls in shards_of(sharded_build / "site"):  # every shard has a result
        assert {"/" + u for u in found} & urls, key
    days = article_days(["/" + u for u in newest])
    assert len(days) > 40 and days == sorted(days, reverse=True), days
    assert sorted(newest) == sorted(found) and newest == pages["single"][1]
    assert article_days(["/" + u for u in oldest]) == sorted(days) and oldest == pages["single"][2]
    assert counts == pages["single"][3] and len(counts) > 10  # filter counts summed over shards


def shard_requests(traffic) -> set[str]:
    """The shards (their keys) whose files the browser fetched; the newest is the primary bundle."""
    return {m.group(1) for url in traffic.requests if (m := re.search(r"/pagefind/shard-([^/]+)/", url))}


def status(page) -> str:
    return page.locator(".bf-search__status").inner_text()


def test_a_first_search_fetches_the_newest_shards_and_the_rest_on_request(
    browser, sharded_served, single_served, sharded_build
):
    """Each shard adds its metadata and index chunks to a reader's first search: the newest shard
    (November 2024's 3 pages) gives "China" less than a screen of results, so the next one is
    merged (August 2024's), and no other; the status says so; "Search the whole archive" merges
    the other shards, and the results are then one index's."""
    keys = [key for key, _ in shards_of(sharded_build / "site")]
    for page_of in visiting(browser, sharded_served):
        page = page_of()
        page.goto(sharded_served.url())
        type_search(page, "China")
        assert shard_requests(page_of.traffic) == {"2024-08"} == {keys[1]}
        assert re.fullmatch(r"\d+ results for “China” since August 2024", status(page)), status(page)
        newest = every_result(page)
        assert len(newest) >= 5 and min(article_days(newest)).isoformat() >= "2024-08-01"
        whole_archive(page)
        assert shard_requests(page_of.traffic) == set(keys[1:])
        assert re.fullmatch(r"\d+ results for “China”", status(page)), status(page)
        everything = every_result(page)
        assert set(newest) < set(everything)
    for page_of in visiting(browser, single_served):
        page = page_of()
        page.goto(single_served.url())
        type_search(page, "China")
        assert not page.locator(".bf-search__wider").is_visible()  # one shard: the whole archive already
        single = every_result(page)
    strip = lambda urls, served: sorted(u.removeprefix(served.base) for u in urls)  # noqa: E731
    assert strip(everything, sharded_served) == strip(single, single_served)


def test_older_shards_are_merged_while_the_newer_give_less_than_a_screen(browser, sharded_served, sharded_build):
    """ "result" is in one article of 2024's second half: the search merges older shards, newest
    first, until they give a screen of results (with the winter of 2023-24's), and stops there."""
    keys = [key for key, _ in shards_of(sharded_build / "site")]
    assert keys[3:] == ["2023-12_2024-02", "2023-11", "2022-08"]
    for page_of in visiting(browser, sharded_served):
        page = page_of()
        page.goto(sharded_served.url())
        type_search(page, "result")
        assert shard_requests(page_of.traffic) == set(keys[1:4])  # not 2023-11's or 2022-08's
        assert re.fullmatch(r"\d+ results for “result” since December 2023", status(page)), status(page)
        found = every_result(page)
        assert len(found) >= 5 and min(article_days(found)).isoformat() >= "2023-12-01"
        whole_archive(page)
        assert shard_requests(page_of.traffic) == set(keys[1:])
        assert min(article_days(every_result(page))).isoformat() < "2023-12-01"  # November 2023's report too


def test_each_round_merges_as_many_older_shards_again(browser, sharded_served, sharded_build):
    """ "Pelosi" is in no article after November 2023, whose shard holds five results: rounds
    of 1, 2 and 4 shards merge August 2022's with it, where one by one the search would have
    stopped before it. A rare word so costs a round trip per doubling, not per shard (at 10,000
    articles, 24)."""
    keys = [key for key, _ in shards_of(sharded_build / "site")]
    assert keys[4:] == ["2023-11", "2022-08"]
    for page_of in visiting(browser, sharded_served):
        page = page_of()
        page.goto(sharded_served.url())
        type_search(page, "Pelosi")
        assert shard_requests(page_of.traffic) == set(keys[1:])  # 2022-08 too, in the round of 4
        assert re.fullmatch(r"\d+ results for “Pelosi”", status(page)), status(page)  # the whole archive
        days = article_days(every_result(page))
        assert sum(day.isoformat() >= "2023-11-01" for day in days) >= 5  # enough without 2022-08's
        assert min(days).isoformat() < "2023-01-01"


def sort_by(page, label, covering):
    """Sort the results, and wait until the status line is the new search's (it is cleared first)."""
    page.eval_on_selector(".bf-search__status", "status => { status.textContent = ''; }")
    page.get_by_label("Sort").select_option(label=label)
    page.wait_for_function(f"document.querySelector('.bf-search__status').textContent.includes({covering!r})")
    page.wait_for_load_state("networkidle")


def test_oldest_first_merges_the_oldest_shard_not_every_shard(browser, sharded_served, single_served, sharded_build):
    """Sorted oldest first, the search merges shards from the oldest end (August 2022's holds
    a screen of results for "China"), says so, and lists them as the first of one index's
    oldest-first list; back to Best match, those old shards stay out of the newest's results."""
    keys = [key for key, _ in shards_of(sharded_build / "site")]
    for page_of in visiting(browser, single_served):
        page = page_of()
        page.goto(single_served.url())
        type_search(page, "China")
        sort_by(page, "Oldest first", "for")
        single = [u.removeprefix(single_served.base) for u in every_result(page)]
    for page_of in visiting(browser, sharded_served):
        page = page_of()
        page.goto(sharded_served.url())
        type_search(page, "China")
        sort_by(page, "Oldest first", " up to ")
        assert shard_requests(page_of.traffic) == {keys[1], "2022-08"}  # the first search's; not the four between
        assert re.fullmatch(r"\d+ results for “China” up to August 2022", status(page)), status(page)
        oldest = [u.removeprefix(sharded_served.base) for u in every_result(page)]
        assert len(oldest) >= 5 and oldest == single[: len(oldest)]
        sort_by(page, "Best match", " since ")
        assert re.fullmatch(r"\d+ results for “China” since August 2024", status(page)), status(page)
        assert min(article_days(every_result(page))).isoformat() >= "2024-08-01"  # not August 2022's
        whole_archive(page)
        assert shard_requests(page_of.traffic) == set(keys[1:])
        sort_by(page, "Oldest first", "for")
        assert [u.removeprefix(sharded_served.base) for u in every_result(page)] == single


def test_the_filters_count_the_whole_archive_without_merging_a_shard(
    browser, sharded_served, single_served, sharded_build
):
    """Opening *Filter* fetches the counts the build wrote beside the shards' list, the same as
    one index's; ticking August 2022's year merges the shards, newest first, down to it."""
    keys = [key for key, _ in shards_of(sharded_build / "site")]
    for page_of in visiting(browser, single_served):
        page = page_of()
        page.goto(single_served.url())
        type_search(page, "China")
        single = filter_counts(page)
    for page_of in visiting(browser, sharded_served):
        page = page_of()
        page.goto(sharded_served.url())
        type_search(page, "China")
        assert filter_counts(page) == single and len(single) > 10
        assert shard_requests(page_of.traffic) == {keys[1]}  # the first search's: none for the counts
        assert any(url.endswith("/pagefind/briefings-filters.json") for url in page_of.traffic.requests)
        page.locator(".bf-search__option", has_text="2022").locator("input").check()
        page.wait_for_function("document.querySelector('.bf-search__status').textContent.includes('(filtered)')")
        page.wait_for_load_state("networkidle")
        assert shard_requests(page_of.traffic) == set(keys[1:])  # 2022-08 is the oldest
        found = every_result(page)
        assert found and {day.year for day in article_days(found)} == {2022}


def test_without_the_filter_counts_file_the_panel_merges_every_shard(
    browser, sharded_build, single_served, tmp_path_factory
):
    """A site built before briefings wrote the counts: the panel merges every shard to count."""
    site = tmp_path_factory.mktemp("no-counts") / "site"
    shutil.copytree(sharded_build / "site", site)
    (site / "pagefind" / "briefings-filters.json").unlink()
    keys = [key for key, _ in shards_of(site)]
    for page_of in visiting(browser, single_served):
        page = page_of()
        page.goto(single_served.url())
        type_search(page, "China")
        single = filter_counts(page)
    with serve_site("root", site, tmp_path_factory, subpath=False) as served:
        for page_of in visiting(browser, served):
            page = page_of()
            page.goto(served.url())
            type_search(page, "China")
            assert filter_counts(page) == single
            assert shard_requests(page_of.traffic) == set(keys[1:])
            failed = page_of.traffic.failed
            missing = [f for f in failed if f.startswith("404 ") and f.endswith("/briefings-filters.json")]
            assert len(missing) == 1  # asked for once; the only failed request this test allows
            failed.remove(missing[0])


def test_an_edit_indexes_one_shard_again_and_matches_a_cold_build(tmp_path):
    root = sharded(copy_sample(tmp_path / "desk"))
    build(root)
    bundle = root / "site" / "pagefind"
    before = {p.relative_to(bundle): p.stat().st_ino for p in bundle.rglob("*") if p.is_file()}
    path = root / SEED
    old = "agreed to restore military-to-military"
    path.write_text(
        path.read_text("utf-8").replace(old, "agreed, after a year, to restore military-to-military"), "utf-8"
    )
    assert "rebuilt" in build(root)
    after = {p.relative_to(bundle): p.stat().st_ino for p in bundle.rglob("*") if p.is_file()}
    changed = {p.parts[0] for p in after if before.get(p) != after[p]}
    # SEED's month is indexed again; every other shard's files are the same files (the list
    # and the filters' counts are written again).
    assert changed == {"shard-2023-11", "briefings-shards.json", "briefings-filters.json"}
    kept = [p for p in (root / "build" / "pagefind-shards").iterdir() if p.is_dir()]
    assert len(kept) == len(shards_of(root / "site"))  # the replaced bundle of SEED's shard is removed
    fresh = tmp_path / "fresh"
    shutil.copytree(root, fresh, ignore=shutil.ignore_patterns("build", "site", ".site-*"))
    build(fresh)
    assert tree_hash(root / "site") == tree_hash(fresh / "site")


def test_an_edit_links_the_files_of_its_shard_pagefind_wrote_the_same(tmp_path, monkeypatch):
    """Pagefind writes an edited shard's bundle in memory (here a folder standing for the tmpfs);
    the files it wrote as they were are linked from the last bundle, the others copied. The
    folder in memory is removed, also what a killed build of the desk left there."""
    memory = tmp_path / "memory"
    memory.mkdir()
    monkeypatch.setattr(shardrun, "MEMORY", memory)
    monkeypatch.setattr(shardrun, "MEMORY_ROOM", 0)
    root = sharded(copy_sample(tmp_path / "desk"))
    build(root)
    shard = root / "site" / "pagefind" / "shard-2023-11"
    before = {p.relative_to(shard): (p.stat().st_ino, p.read_bytes()) for p in shard.rglob("*") if p.is_file()}
    leftover = shardrun.memory_folder_of(root / "build" / "pagefind-shards") / "killed"
    leftover.mkdir(parents=True)
    path = root / SEED
    path.write_text(path.read_text("utf-8").replace("military-to-military", "military to military"), "utf-8")
    assert "rebuilt" in build(root)
    after = {p.relative_to(shard): (p.stat().st_ino, p.read_bytes()) for p in shard.rglob("*") if p.is_file()}
    same = {p for p in after if p in before and before[p][1] == after[p][1]}
    linked = {p for p in after if p in before and before[p][0] == after[p][0]}
    assert linked == same
    assert len(same) > len(after) / 2 and any(p.parts[0] == "fragment" for p in same)
    assert any(p.parts[0] == "fragment" for p in set(after) - same)  # the edited page's fragment is new
    assert list(memory.iterdir()) == []
    fresh = tmp_path / "fresh"
    shutil.copytree(root, fresh, ignore=shutil.ignore_patterns("build", "site", ".site-*"))
    build(fresh)
    assert tree_hash(root / "site") == tree_hash(fresh / "site")


def test_each_bundles_filter_counts_are_read_once_and_kept_by_its_digest(tmp_path):
    from briefings.engine.pagefind import COUNTS_FILE, FILTERS_FILE, filter_counts, write_filter_counts

    root = sharded(copy_sample(tmp_path / "desk"))
    build(root)
    bundle, cache = root / "site" / "pagefind", root / "build" / "pagefind-shards"
    listed = json.loads((bundle / "briefings-shards.json").read_text("utf-8"))["shards"]
    bundles = [bundle / shard["path"] for shard in listed]
    written = json.loads((bundle / FILTERS_FILE).read_text("utf-8"))
    assert written == filter_counts(bundles) and written["topic"]
    record = json.loads((cache / COUNTS_FILE).read_text("utf-8"))
    digests = [p.name for p in cache.iterdir() if p.is_dir()]
    assert sorted(record) == sorted(digests) and len(record) == len(listed)
    # The counts come from the record (a bundle in the cache never changes)...
    entry = "pagefind-entry.json"
    order = [next(d for d in digests if (cache / d / entry).samefile(b / entry)) for b in bundles]
    newest = order[0]  # the primary bundle's
    record[newest]["topic"] = {"made-up": 1}
    (cache / COUNTS_FILE).write_text(json.dumps(record), "utf-8")
    write_filter_counts(bundle, digests=order, record=cache / COUNTS_FILE)
    assert json.loads((bundle / FILTERS_FILE).read_text("utf-8"))["topic"]["made-up"] == 1
    # ...unless what it holds is not counts, and then from the bundle's files again.
    record[newest] = "damaged"
    (cache / COUNTS_FILE).write_text(json.dumps(record), "utf-8")
    write_filter_counts(bundle, digests=order, record=cache / COUNTS_FILE)
    assert json.loads((bundle / FILTERS_FILE).read_text("utf-8")) == written
    assert json.loads((cache / COUNTS_FILE).read_text("utf-8"))[newest] == filter_counts([bundle])


def test_pagefind_writes_in_memory_only_where_there_is_room(tmp_path, monkeypatch):
    monkeypatch.setattr(shardrun, "MEMORY", tmp_path)
    cache = tmp_path / "desk" / "build" / "pagefind-shards"
    monkeypatch.setattr(shardrun, "MEMORY_ROOM", 0)
    assert shardrun.memory_folder(cache) == shardrun.memory_folder_of(cache)
    assert shardrun.memory_folder_of(cache).is_dir()
    assert shardrun.memory_folder(cache, wanted=False) is None  # what was there is removed
    assert not shardrun.memory_folder_of(cache).exists()
    monkeypatch.setattr(shardrun, "MEMORY_ROOM", 1 << 62)
    assert shardrun.memory_folder(cache) is None
    monkeypatch.setattr(shardrun, "MEMORY", tmp_path / "none")
    monkeypatch.setattr(shardrun, "MEMORY_ROOM", 0)
    assert shardrun.memory_folder(cache) is None


def test_an_edit_reads_only_its_changed_pages_unless_the_last_index_was_of_another_site(tmp_path, monkeypatch):
    """Finding each shard's pages walks the whole site (seconds at 100,000 articles), unless the
    record of the last index is of the very site the build staged a copy of: then only the pages
    it rebuilt are read. A build that failed after indexing left a record of a site that was
    never published: the next build walks the site, and equals a cold build."""
    from briefings import pipeline
    from briefings.errors import SiteBuildError

    root = sharded(copy_sample(tmp_path / "desk"))
    build(root)
    walks = []
    real_walk = searchshards.site_pages
    monkeypatch.setattr(searchshards, "site_pages", lambda site: walks.append(site) or real_walk(site))
    path = root / SEED
    path.write_text(path.read_text("utf-8").replace("military-to-military", "military to military"), "utf-8")
    assert "rebuilt" in build(root)
    assert walks == []
    # The same site in another folder (as a cache restores it): the record is of another site.
    (root / "site").rename(root / "site-moved")
    shutil.copytree(root / "site-moved", root / "site", copy_function=os.link)
    path.write_text(path.read_text("utf-8").replace("military to military", "military links"), "utf-8")
    assert "rebuilt" in build(root)
    assert len(walks) == 1
    walks.clear()

    real_check = pipeline.check_pages

    def failing_check(*args, **kwargs):
        raise SiteBuildError("a check that fails, after the index is made")

    monkeypatch.setattr(pipeline, "check_pages", failing_check)
    path.write_text(path.read_text("utf-8").replace("military links", "military ties"), "utf-8")
    failed = run_cli("build", "--project", str(root))
    assert failed.exit_code == 1 and "after the index is made" in failed.output
    assert walks == []  # the failed build staged a copy of the published site: no walk either
    monkeypatch.setattr(pipeline, "check_pages", real_check)
    build(root)  # (a full build: after a failed one, the cache no longer vouches for the site)
    assert len(walks) == 1  # the record is of the site that failed: the published one is walked
    fresh = tmp_path / "fresh"
    shutil.copytree(root, fresh, ignore=shutil.ignore_patterns("build", "site", ".site-*"))
    build(fresh)
    assert tree_hash(root / "site") == tree_hash(fresh / "site")


def fresh_checkout_with_cache(last_run, paths):
    """What a desk's workflow run starts from: a new checkout at the same place (the runner's
    workspace), whose files are new, and what actions/cache restores of the workflow's paths:
    one tar of them (GNU tar, POSIX format, as the action runs it), unpacked there, so the
    files' times and the hard links between them are kept and every inode is new."""
    packed = subprocess.run(
        ["tar", "--posix", "-C", str(last_run), "-cf", "-", *paths], capture_output=True, check=True
    )
    gone = last_run.with_name(f"{last_run.name}-gone")
    last_run.rename(gone)
    shutil.copytree(
        gone, last_run, ignore=shutil.ignore_patterns("build", "site", ".site-*"), copy_function=shutil.copyfile
    )
    subprocess.run(["tar", "-C", str(last_run), "-xf", "-"], input=packed.stdout, check=True)
    return last_run


@pytest.mark.parametrize("cached", [("build",), ("build", "site")])
def test_a_fresh_checkout_with_the_last_runs_cache_rebuilds_only_what_changed(tmp_path, monkeypatch, cached):
    """What a desk's GitHub Pages workflow does: a fresh checkout (every file new, so every
    mtime differs), and build/ restored from the last run's cache, with site/ (the workflow
    now) or without (a workflow made by an earlier briefings init). The search index of every
    unchanged shard is reused; with the site, only the edited article's pages are built
    again; and the site equals a cold build of the same content."""
    from briefings import pipeline

    last_run = sharded(copy_sample(tmp_path / "desk"))
    build(last_run)
    checkout = fresh_checkout_with_cache(last_run, cached)
    seed = checkout / SEED
    seed.write_text(seed.read_text("utf-8").replace("military-to-military", "military to military"), "utf-8")
    indexed, read = [], []
    real = pipeline.index_site
    monkeypatch.setattr(pipeline, "index_site", lambda *a, **k: indexed.append(real(*a, **k)) or indexed[-1])
    real_read = searchshards.read_bytes
    monkeypatch.setattr(searchshards, "read_bytes", lambda path: read.append(path) or real_read(path))
    out = build(checkout)
    if "site" in cached:
        rebuilt = int(re.search(r"\((\d+) changed pages? rebuilt\)", out).group(1))  # those showing the edit
        # The restored pages have the times of the last run's: only the rebuilt ones are read.
        assert 0 < len(read) <= rebuilt < 40, out
    else:
        assert "rebuilt" not in out  # no site to start from: every page is built
        assert len(read) > 140
    assert [done.indexed for done in indexed] == [("2023-11",)]  # the edited month's shard alone
    assert (
        "military to military"
        in pagefind_fragments(checkout / "site/pagefind/shard-2023-11")[
            "/articles/2023-11-15-daily-caller-biden-xi-agreement/"
        ]["content"]
    )
    cold = tmp_path / "cold"
    shutil.copytree(checkout, cold, ignore=shutil.ignore_patterns("build", "site", ".site-*"))
    build(cold)
    assert tree_hash(checkout / "site") == tree_hash(cold / "site")


def test_a_checkout_with_the_spare_in_the_cache_starts_from_it(tmp_path, monkeypatch):
    """The workflow caches .site-spare/ too, as the last run left it (after an edit: the site
    before it, hard links to the same files but for the pages it rebuilt). The next run moves
    it in as its stage and links again only those pages, instead of linking the whole site
    (a second at 10,000 articles); and the site equals a cold build."""
    from briefings.engine import sitefolder

    last_run = sharded(copy_sample(tmp_path / "desk"))
    build(last_run)
    newest = last_run / "content/articles/2024/2024-11-17-peoples-daily-xi-china-us-partner-friend.md"
    newest.write_text(newest.read_text("utf-8").replace("why_it_matters: >-", "why_it_matters: >-\n  Edited.", 1))
    assert "rebuilt" in build(last_run)
    assert (last_run / ".site-spare").is_dir()
    checkout = fresh_checkout_with_cache(last_run, ("build", "site", ".site-spare"))
    site, spare = checkout / "site", checkout / ".site-spare"
    # The tar kept the hard links between the site and its spare: one file, two names.
    asset = min(p.relative_to(site) for p in (site / "assets").rglob("*.css"))
    assert (site / asset).stat().st_ino == (spare / "site" / asset).stat().st_ino
    linked = []
    real = sitefolder.link_tree
    monkeypatch.setattr(sitefolder, "link_tree", lambda source, dest: linked.append(source) or real(source, dest))
    seed = checkout / SEED
    seed.write_text(seed.read_text("utf-8").replace("military-to-military", "military to military"), "utf-8")
    assert "rebuilt" in build(checkout)
    assert site not in linked  # started from the spare: only what it lacks is linked again
    cold = tmp_path / "cold"
    shutil.copytree(checkout, cold, ignore=shutil.ignore_patterns("build", "site", ".site-*"))
    build(cold)
    assert tree_hash(site) == tree_hash(cold / "site")


def test_edits_in_a_row_relink_only_the_shards_they_change(tmp_path):
    """The second edit starts from the spare (the site before the first edit), whose bundle of
    SEED's month is stale: that shard and the edited newest one are linked again; every other
    shard's files are left alone (their inodes' change times stay the same: not even relinked)."""
    root = sharded(copy_sample(tmp_path / "desk"))
    build(root)
    seed = root / SEED
    seed.write_text(seed.read_text("utf-8").replace("military-to-military", "military to military"), "utf-8")
    assert "rebuilt" in build(root)
    bundle = root / "site" / "pagefind"
    listed = [s["path"] for s in json.loads((bundle / "briefings-shards.json").read_text("utf-8"))["shards"]]
    untouched = [where for where in listed[1:] if where != "shard-2023-11/"]
    assert untouched and listed[0] == ""  # the newest shard is the primary bundle
    changed_at = {p: p.stat().st_ctime_ns for where in untouched for p in (bundle / where).rglob("*") if p.is_file()}
    newest = root / "content/articles/2024/2024-11-17-peoples-daily-xi-china-us-partner-friend.md"
    text = newest.read_text("utf-8").replace("why_it_matters: >-", "why_it_matters: >-\n  Edited.", 1)
    newest.write_text(text, "utf-8")
    assert "rebuilt" in build(root)
    assert {p: p.stat().st_ctime_ns for p in changed_at} == changed_at
    fresh = tmp_path / "fresh"
    shutil.copytree(root, fresh, ignore=shutil.ignore_patterns("build", "site", ".site-*"))
    build(fresh)
    assert tree_hash(root / "site") == tree_hash(fresh / "site")


JAPAN_NEWS = "content/articles/2023/2023-11-17-japan-news-biden-special-treatment-for-xi.md"


def test_a_headline_other_shards_show_only_in_related_coverage_indexes_its_own_shard_again(tmp_path):
    """Pages in four other shards list this report in their related coverage, a section Pagefind
    ignores (data-pagefind-ignore): a new headline changes their bytes, not what Pagefind reads
    of them, so only the report's own shard is indexed again; the site equals a cold build's."""
    root = sharded(copy_sample(tmp_path / "desk"))
    build(root)
    site, bundle = root / "site", root / "site" / "pagefind"

    def related(name):
        page = (site / "articles" / name / "index.html").read_text("utf-8")
        return page.split('<section class="bf-related"', 1)[-1].split("</section>", 1)[0]

    names = [p.name for p in (site / "articles").iterdir() if (p / "index.html").is_file()]
    showing = [n for n in names if "2023-11-17-japan-news" in related(n) and not n.startswith("2023-11")]
    before = {p.relative_to(bundle): p.stat().st_ino for p in bundle.rglob("*") if p.is_file()}
    report = root / JAPAN_NEWS
    report.write_text(report.read_text("utf-8").replace("title: US Gives China", "title: The US Gives China"), "utf-8")
    build(root)
    after = {p.relative_to(bundle): p.stat().st_ino for p in bundle.rglob("*") if p.is_file()}
    assert {name[:7] for name in showing} >= {"2023-12", "2024-01", "2024-05", "2024-11"}
    assert all("The US Gives China" in related(name) for name in showing)  # changed there only
    changed = {p.parts[0] for p in after if before.get(p) != after[p]}
    assert changed == {"shard-2023-11", "briefings-shards.json", "briefings-filters.json"}
    fresh = tmp_path / "fresh"
    shutil.copytree(root, fresh, ignore=shutil.ignore_patterns("build", "site", ".site-*"))
    build(fresh)
    assert tree_hash(site) == tree_hash(fresh / "site")


def test_an_article_of_a_new_day_indexes_only_its_own_shard_again(tmp_path):
    """A report dated after the newest moves the footer's "Updated" date on every page on;
    Pagefind removes footers, so only the report's shard is indexed again, and the site equals
    a cold build's."""
    root = sharded(copy_sample(tmp_path / "desk"))
    build(root)
    bundle = root / "site" / "pagefind"
    listed = [s["path"] for s in json.loads((bundle / "briefings-shards.json").read_text("utf-8"))["shards"]]
    older = {p: p.stat().st_ino for where in listed[1:] for p in (bundle / where).rglob("*") if p.is_file()}
    report = root / "content/articles/2024/2024-11-18-new-day.md"
    text = (root / "content/articles/2024/2024-11-17-peoples-daily-xi-china-us-partner-friend.md").read_text("utf-8")
    text = text.replace("date: 2024-11-17", "date: 2024-11-18").replace("url: http://", "url: https://example.org/")
    report.write_text(text.replace("title: ", "title: A day later, ", 1), "utf-8")
    assert "rebuilt" in build(root)
    assert "18 November 2024" in (root / "site/topics/taiwan/index.html").read_text("utf-8")
    assert {p: p.stat().st_ino for p in older} == older
    fresh = tmp_path / "fresh"
    shutil.copytree(root, fresh, ignore=shutil.ignore_patterns("build", "site", ".site-*"))
    build(fresh)
    assert tree_hash(root / "site") == tree_hash(fresh / "site")


def test_a_pages_digest_leaves_out_only_what_pagefind_ignores():
    page = (
        b'<html><div data-pagefind-body><h1>A</h1><section class="bf-related" data-pagefind-ignore>'
        b'<h2 id="related">Related</h2><section data-pagefind-ignore><a href="x">Old</a></section></section>'
        b'<p>Text</p></div><footer class="md-footer"><p>Updated <time>1 May</time></p></footer></html>'
    )
    for same in (
        page.replace(b"Old", b"New headline"),
        page.replace(b"<p>Updated <time>1 May", b'<p id="g">Updated <time>2 May'),  # removed whole
    ):
        assert searchshards.indexed_digest(page) == searchshards.indexed_digest(same)
    for other in (
        page.replace(b"<p>Text</p>", b"<p>Text, edited</p>"),  # indexed text
        page.replace(b' id="related"', b""),  # an id: Pagefind counts them
        page.replace(b"<a href", b'<a data-pagefind-filter="outlet" href'),  # a filter counts even there
        page.replace(b'<section class="bf-related" data-pagefind-ignore>', b'<section class="bf-related">'),
        page.replace(b"</section></section>", b"</section>"),  # unbalanced: hashed whole
    ):
        assert searchshards.indexed_digest(other) != searchshards.indexed_digest(page)


@pytest.mark.parametrize("value", [0, "many", True])
def test_search_shard_pages_must_be_a_whole_number(tmp_path, value):
    root = copy_sample(tmp_path / "desk")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + f"  briefings:\n    search_shard_pages: {value}\n", "utf-8")
    result = run_cli("build", "--project", str(root))
    assert result.exit_code == 1, result.output
    assert result.output.strip().splitlines()[-1] == (
        f"Error: mkdocs.yml: extra.briefings.search_shard_pages: expected a whole number of at least 1 (got {value!r})"
    )


@pytest.mark.parametrize("key", ["quotes", "search_shard_pages", "archive_after"])
def test_a_count_past_a_million_is_refused(tmp_path, key):
    """Past what any page lists (a count over 2**63 was a traceback where it slices a list)."""
    root = copy_sample(tmp_path / "desk")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + f"  briefings:\n    {key}: 9223372036854775808\n", "utf-8")
    result = run_cli("build", "--project", str(root))
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == (
        f"Error: mkdocs.yml: extra.briefings.{key}: expected a whole number no more than 1,000,000 "
        "(got 9223372036854775808)"
    )


def test_by_default_the_shard_size_grows_with_the_archive(tmp_path):
    """250 pages a shard, doubled while there would be more than 32: an edit indexes a few
    hundred pages again on a desk of 10,000, and a search of the whole archive of 100,000
    still merges a few dozen shards."""
    sizes = [searchshards.shard_size(n) for n in (92, 8_000, 8_001, 16_000, 16_001, 64_001, 100_000)]
    assert sizes == [250, 250, 500, 500, 1000, 4000, 4000]
    assert searchshards.shard_size(100_000, given=20) == 20  # extra.briefings.search_shard_pages
    # 1,200 dated pages over three years of 400: each year is over 250 pages, so the shards are
    # consecutive months (across a new year too) up to 250 pages, the newest month alone (a
    # quarter of 250 would not hold the month before it too).
    site = tmp_path / "site"
    for i in range(1200):
        page = site / "articles" / f"a{i:04d}" / "index.html"
        page.parent.mkdir(parents=True)
        date = f"{2022 + i // 400}-{1 + i % 12:02d}-01"
        page.write_text(
            f'<html><meta data-pagefind-sort="date[content]" content="{date}">'
            f"<main data-pagefind-body>Page {i}</main></html>",
            "utf-8",
        )
    shards = searchshards.plan(site, shard_pages=None, fingerprint="")
    assert [(s.key, len(s.pages)) for s in shards] == [
        ("2022-01_2022-07", 235),
        ("2022-08_2023-02", 231),
        ("2023-03_2023-09", 235),
        ("2023-10_2024-04", 231),
        ("2024-05_2024-11", 234),
        ("2024-12", 34),
    ]
    # At 500 a shard, a year each, but the newest shard holds no more than a quarter of that: the
    # newest year's last months (an addition, most often dated there, indexes 102 pages, not 400),
    # and its other months join the shards before them.
    by_year = searchshards.plan(site, shard_pages=500, fingerprint="")
    assert [(s.key, len(s.pages)) for s in by_year] == [
        ("2022", 400),
        ("2023_2024-03", 499),
        ("2024-04_2024-09", 199),
        ("2024-10_2024-12", 102),
    ]
    assert [s.key for s in searchshards.plan(site, shard_pages=2000, fingerprint="")] == ["all"]


def test_pagefind_runs_as_its_own_program():
    """Each of a build's Pagefind runs starts Pagefind's program itself, the one its Python
    package would start, not a Python that then starts it."""
    import subprocess

    from pagefind.service import get_executable

    from briefings.engine.pagefind import pagefind_command

    command = pagefind_command()
    assert command == [str(get_executable())]
    assert subprocess.run([*command, "--version"], capture_output=True, text=True, check=True).stdout.startswith(
        "pagefind 1."
    )
