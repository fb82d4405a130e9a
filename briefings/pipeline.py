"""The whole build in one function, ``build(project, options)``, whose body lists
the stages in order:

    load → validate → group → render → write → engine → search index → check links → swap in

``briefings build``, ``serve``, ``deploy`` and the benchmark all call it; only
the options differ (``options.build_options`` makes them). Work from earlier
runs is reused through one ``BuildCache``: unchanged articles are not parsed
again, unchanged inputs render and write nothing, and an edit to a few pages
rebuilds only those pages of the site.

Without ``--drafts`` a draft does not stop the build: its problems are told to
``on_left_out`` (in every build, even one with nothing to do) and the draft is
left out. ``briefings check``, ``build --drafts`` and ``serve`` still refuse them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import os
import stat
import time
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from briefings import __version__
from briefings.cache import BuildCache
from briefings.content.load import Track, load_content
from briefings.content.model import Content, Edition
from briefings.digest.changes import Digest
from briefings.digest.changes import digest as changes_in
from briefings.digest.window import Window
from briefings.engine import incremental
from briefings.engine.base import Engine, SiteJob, SitePlan, retired_plugins_note
from briefings.engine.hosting import add_hosting_files, size_notes, tally
from briefings.engine.linkcheck import check_pages, page_output
from briefings.engine.mkdocs import MkDocsEngine
from briefings.engine.pagefind import index_site
from briefings.engine.searchshards import SHARDS_DIR, page_names
from briefings.engine.sitefolder import recover as recover_site
from briefings.engine.sitefolder import staged, swap_in, target_folder
from briefings.errors import ContentError, Problem
from briefings.fileio import digest
from briefings.lock import WorkLock
from briefings.options import BuildOptions, SiteConfig, default_workers, settings_of
from briefings.pages.body import broken_article_links, might_link_locally
from briefings.pages.emit import render_and_write
from briefings.pages.feeds import feeds_warning
from briefings.pages.group import group, select
from briefings.pages.render import navigation, sources_of
from briefings.pages.write import WriteStats
from briefings.parallel import Workers
from briefings.project import Project


@dataclass(frozen=True)
class SiteResult:
    site_dir: Path
    pages: int  # HTML pages in the site
    warnings: tuple[str, ...]
    updated: int | None = None  # pages rebuilt by an incremental build (0: the site was current); None: full build


@dataclass(frozen=True)
class BuildReport:
    edition: Edition
    written: WriteStats
    site: SiteResult | None  # None with options.pages_only
    seconds: float
    drafts_left_out: int = 0  # drafts with problems, left out (without --drafts)


def build(
    project: Project,
    options: BuildOptions,
    *,
    track: Track | None = None,
    on_wait: Callable[[int | None], None] = lambda pid: None,
    on_left_out: Callable[[Problem], None] = lambda problem: None,
) -> BuildReport:
    """Build the site as ``options`` ask. One build of a build folder runs at a
    time: while another holds it this one waits, and ``on_wait(pid)`` is told once.
    Without ``options.drafts``, each problem of a draft left out is told to ``on_left_out``."""
    started = time.perf_counter()
    target = target_folder(project, options)  # a folder the build may not replace is refused before any work
    now = options.now or dt.datetime.now(dt.UTC)
    with WorkLock(project.build_dir, what="preview" if project.work else "build", on_wait=on_wait), frozen_heap():
        with collector_paused():
            cache = build_cache(project, options.settings.max_file_mb)
            content, left_out = load(project, options, cache, track, on_left_out)  # load + validate
            edition = group(content, select(content, drafts=options.drafts, now=now), now=now)  # group
            written = render_and_write_pages(project, options, content, edition, cache, left_out)  # render + write
        if options.pages_only:
            return BuildReport(edition, written, None, time.perf_counter() - started, len(left_out))

        job = SiteJob(
            project,
            options,
            nav=navigation(edition),
            sources=sources_of(edition),
            epoch=content_epoch(edition),
            linking=functools.partial(linking_pages, edition),
        )
        engine = engine_for(job)
        notes = [note] if (note := recover_site(target)) else []
        if feeds_note := feeds_warning(options.settings):
            notes.append(feeds_note)
        if tags_note := retired_plugins_note(options.config.raw):
            notes.append(tags_note)
        plan = engine.plan(target, cache)
        if plan.up_to_date:
            notes += size_notes(plan.size)
            return BuildReport(
                edition, written, up_to_date(target, notes, plan.pages), time.perf_counter() - started, len(left_out)
            )
        cache.site_changing()
        with staged(target, copy=plan.incremental, spare_differs=plan.spare) as stage:
            warnings = engine.build(plan, stage.site, target)  # engine
            if options.search == "pagefind":
                index_site(
                    stage.site,
                    max_memory_gb=options.max_memory_gb,  # search index
                    full_text=options.settings.search_full_text,
                    cache=project.build_dir / SHARDS_DIR,
                    shard_pages=options.settings.search_shard_pages,
                    changed=changed_pages(plan),
                    copy_of=target,
                    runs=options.workers,
                )
            warnings += check_pages(
                stage.site,
                engine.unchecked(plan),
                base_url=options.base_url,  # check links
                sources=job.sources,
                strict=options.strict,
                target=target,
            )
            add_hosting_files(stage.site, options.cname)
            anew = incremental.rewrote_every_page(plan)
            kept = swap_in(stage, target, keep=engine.incremental, relink=anew)  # swap in
        if plan.pages is not None and plan.size is not None:
            # An incremental build: the last count, with the pages it added or removed.
            pages, size = plan.pages, plan.size + incremental.added_bytes(plan, target)
        else:
            pages, size = tally(target)  # every page built: counted (0.3 s at 10,000 articles)
        warnings += size_notes(size)
        spare = (() if anew else incremental.replaced(plan, options.search)) if kept else None
        cache.site_built(incremental.record(plan, target, project.docs_dir, pages, spare, size))
    site = SiteResult(target, pages, tuple(notes + warnings), len(plan.changed) if plan.changed is not None else None)
    return BuildReport(edition, written, site, time.perf_counter() - started, len(left_out))


def check(
    project: Project, *, track: Track | None = None, on_left_out: Callable[[Problem], None] | None = None
) -> Content:
    """Load and validate only (``briefings check``). Raises ContentError with every problem;
    with ``on_left_out`` (``briefings list``), drafts are left out as in a build. The last
    build's parsed articles spare parsing the unchanged files again (0.5 s instead of 2.2 s at
    10,000 articles); they are read, never written: these commands change no file."""
    settings = settings_of(SiteConfig.read(project))
    load_files = functools.partial(
        load_content,
        project.root,
        max_file_bytes=settings.max_file_mb * 2**20,
        track=track,
        cache=build_cache(project, settings.max_file_mb),
        workers=Workers(default_workers()),
    )
    if on_left_out is None:
        content, left_out = load_files(), frozenset[str]()
    else:
        content, left_out = leaving_out_drafts(project, load_files, on_left_out)
    validate_links(project, content, left_out)
    return content


# --- the stages ----------------------------------------------------------------


def load(
    project: Project,
    options: BuildOptions,
    cache: BuildCache,
    track: Track | None,
    on_left_out: Callable[[Problem], None],
) -> tuple[Content, frozenset[str]]:
    """Every content file, validated (parsed again only when it changed), and the drafts
    left out for their problems (without --drafts)."""
    load_files = functools.partial(
        load_content,
        project.root,
        max_file_bytes=options.settings.max_file_mb * 2**20,
        track=track,
        cache=cache,
        workers=Workers(options.workers),
    )
    if options.drafts:
        return load_files(), frozenset()
    return leaving_out_drafts(project, load_files, on_left_out)


def leaving_out_drafts(
    project: Project, load_files: Callable[..., Content], on_left_out: Callable[[Problem], None]
) -> tuple[Content, frozenset[str]]:
    """The content without the drafts that have problems, each problem told to ``on_left_out``
    (also when other files' problems stop the build). A draft's links are checked here, in
    every build, so its warnings are told again by a build with nothing else to do."""
    set_aside: list[Problem] = []
    try:
        content = load_files(set_aside=set_aside)
        # Again while drafts are left out: another draft may link to one of them.
        while problems := broken_article_links(
            [a for a in content.articles if a.draft],
            project.root,
            paths={a.path for a in content.articles},
            left_out={p.path for p in set_aside},
        ):
            set_aside.extend(problems)
            gone = {p.path for p in problems}
            content = replace(content, articles=tuple(a for a in content.articles if a.path not in gone))
    finally:
        for problem in sorted(set(set_aside)):  # each once: a link written twice is one problem
            on_left_out(problem)
    return content, frozenset(p.path for p in set_aside)


def validate_links(project: Project, content: Content, left_out: Collection[str] = ()) -> None:
    """Links between article files, which the render stage turns into links between pages.
    A link to a draft ``left_out`` of this build is a problem of the article that has it."""
    problems = broken_article_links(content.articles, project.root, left_out=left_out)
    if problems:
        raise ContentError(problems)


def render_and_write_pages(
    project: Project,
    options: BuildOptions,
    content: Content,
    edition: Edition,
    cache: BuildCache,
    left_out: Collection[str],
) -> WriteStats:
    """The generated tree in build/docs/: rendered and written only when an input changed."""
    fingerprint = inputs_fingerprint(content, edition, options, cache)
    if cache.pages_current(fingerprint, project.docs_dir):
        cache.save_articles()  # a touched file's new mtime
        count = sum(len(files) for _, _, files in os.walk(project.docs_dir))
        return WriteStats(written=0, unchanged=count, removed=0)
    validate_links(project, content, left_out)  # (a stored fingerprint means these inputs passed)
    known = cache.page_keys()
    cache.pages_changing()
    # This process saves the parsed articles while the workers render.
    written = render_and_write(
        edition,
        options.settings,
        project.docs_dir,
        workers=Workers(options.workers),
        also=cache.save_articles,
        scope=pages_scope(content, edition, options),
        digest_of={rel: entry.digest for rel, entry in cache.articles.items()},
        known=known,
    )
    cache.pages_written(fingerprint, written.keys)
    return written


def engine_for(job: SiteJob) -> Engine:
    if job.options.engine == "zensical":
        from briefings.engine.zensical import ZensicalEngine  # imports only when asked for

        return ZensicalEngine(job)
    return MkDocsEngine(job)


def changed_pages(plan: SitePlan) -> list[str] | None:
    """The site's HTML pages an incremental build changed, added or removed (for the search
    index to read only those); None when it built every page."""
    if plan.changed is None:
        return None
    return [page_output(n) for n in plan.changed] + [page_output(n) for n in plan.removed if n.endswith(".md")]


def linking_pages(edition: Edition) -> tuple[str, ...]:
    """Generated article pages whose body links inside the site: their links are checked."""
    return tuple(f"articles/{a.slug}.md" for a in edition.articles if might_link_locally(a.body))


def up_to_date(target: Path, notes: list[str], pages: int | None) -> SiteResult:
    return SiteResult(target, pages if pages is not None else count_pages(target), tuple(notes), updated=0)


def count_pages(site: Path) -> int:
    """HTML pages of a site, Pagefind's own files left out."""
    return len(page_names(str(site)))


# --- what tells that nothing changed ---------------------------------------------


def build_cache(project: Project, max_file_mb: int) -> BuildCache:
    """The build folder's state: its parsed articles, what its pages and site were made from."""
    return BuildCache.open(project.build_dir, key=cache_key(project, max_file_mb), root=project.root)


def cache_key(project: Project, max_file_mb: int) -> str:
    """Parsed articles stay valid while topics.yml and the size limit do. A topics.yml that is
    not a file within the limit is not read (a FIFO would never end): loading says what is wrong."""
    path = project.content_dir / "topics.yml"
    try:
        found = path.stat()
        readable = stat.S_ISREG(found.st_mode) and found.st_size <= max_file_mb * 2**20
        topics = path.read_bytes() if readable else b""
    except OSError:
        topics = b""
    return digest(topics + f"|{max_file_mb}".encode())


def inputs_fingerprint(content: Content, edition: Edition, options: BuildOptions, cache: BuildCache) -> str:
    """Everything the generated pages depend on, in one hash."""
    files = [(rel, entry.digest) for rel, entry in sorted(cache.articles.items())]
    articles = [a.slug for a in edition.articles]
    return digest(repr((*shared_inputs(content, options), files, articles, sorted(edition.unpublished))))


def pages_scope(content: Content, edition: Edition, options: BuildOptions) -> str:
    """What every article page may show besides articles (``emit.py``): any change here
    renders them all again. Not which articles there are: an article added or removed is
    keyed on the pages that show it (and the bodies that link to articles, ``ArticlePages.inputs``)."""
    people = sorted((f.person for f in edition.people), key=lambda person: person.slug)  # who has a page, in no rank
    return digest(repr((*shared_inputs(content, options), sorted(edition.unpublished), people)))


def shared_inputs(content: Content, options: BuildOptions) -> tuple[object, ...]:
    """The inputs besides the articles that any generated page may show."""
    stories = [(s.id, s.title, s.summary, s.why_it_matters) for s in content.stories]
    return (__version__, options.settings, content.topics, content.people, content.outlets, stories)


def content_epoch(edition: Edition) -> int:
    """The newest date in the published content: the site's build date (the footer's "Updated"),
    which a topic's state of play (topics.yml ``updated:``) moves on as an article does."""
    stamps = [a.published for a in edition.articles] + [a.updated for a in edition.articles if a.updated]
    stamps += [dt.datetime.combine(t.updated, dt.time(), dt.UTC) for t in edition.topics if t.updated]
    # It becomes SOURCE_DATE_EPOCH, and gzip headers (sitemap.xml.gz) hold an unsigned 32-bit
    # time: clamp articles dated before 1970 and far-future drafts (built with --drafts).
    return max(0, min(int(max(stamps).timestamp()), 2**32 - 1)) if stamps else 0


@contextlib.contextmanager
def frozen_heap() -> Iterator[None]:
    """Undoes, when the build ends, what ``collector_paused`` froze."""
    try:
        yield
    finally:
        gc.unfreeze()


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """A build makes large trees of objects that do not form cycles: the
    garbage collector's passes over them find nothing, and cost ~5% of a cold
    run of a big archive (and copied memory in forked workers). They live until
    the build ends, so they are then frozen (left out of the collector's passes,
    until ``frozen_heap`` ends): the full pass that MkDocs' and the search step's
    garbage sets off would go over them all again (0.06 s at 10,000 articles)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def digest_of(
    project: Project, window: Window, *, now: dt.datetime, on_left_out: Callable[[Problem], None] | None = None
) -> Digest:
    """What changed in ``window`` (``briefings digest``): the content loaded and validated as
    ``check`` does, drafts and articles dated after ``now`` left out as in a build."""
    content = check(project, on_left_out=on_left_out or (lambda problem: None))
    edition = group(content, select(content, drafts=False, now=now), now=now)
    return changes_in(edition, window)
