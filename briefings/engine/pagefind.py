"""Index a built site with Pagefind (``search: pagefind``, the default).

Pagefind splits its index into small fragments, so a reader downloads a few
kilobytes per query, and only once they type, instead of the whole index
Material's search fetches with every page (66 MB at 10,000 articles). The
templates mark what it indexes: ``data-pagefind-body`` on article and story
pages; ``data-pagefind-meta`` for what a result shows (outlet, date, topics),
``data-pagefind-filter`` for topic, outlet, country and year, and
``data-pagefind-sort`` for the date (theme/main.html).
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.metadata
import json
import shutil
import sys
import tempfile
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

from briefings.engine.guard import run_guarded
from briefings.engine.searchshards import SHARDS_LIST, ShardsDone, index_in_shards, plan
from briefings.errors import SiteBuildError

# With extra.briefings.search_full_text: false, an article's full text
# (render.py's ``bf-body``) is left out of the index. On the 10,000-article
# benchmark it makes a common word's index chunk several hundred KB smaller;
# the title, summary, key points, why it matters, quotes and people still carry
# most of what a reader searches for.
BODY_SELECTORS = (".bf-body",)
# Never indexed: the headings' permalink sign and the line that says our notes are ours,
# which would otherwise start many excerpts ("Our summary¶ By ...: our notes on ...").
NOISE_SELECTORS = (".headerlink", ".bf-ours-note")


def index_site(
    site: Path,
    *,
    max_memory_gb: float,
    full_text: bool = True,
    cache: Path | None = None,
    shard_pages: int | None = None,
    changed: Collection[str] | None = None,
    copy_of: Path | None = None,
    runs: int = 1,
) -> ShardsDone:
    """Write the Pagefind bundle into ``site/pagefind/``: in shards by date, each indexed
    once and kept in ``cache`` (a folder of the build folder) for the next build
    (engine/searchshards.py). Without ``cache``, everything is indexed in a scratch folder.
    ``changed``: when ``site`` is a copy of the site ``copy_of`` but for a few pages, those
    pages (site-relative): changed, added or removed (``searchshards.plan``). ``runs``: how many
    Pagefind processes index shards at once (each indexes on one core)."""
    try:
        import pagefind  # noqa: F401 - only to say clearly that it is missing

        version = importlib.metadata.version("pagefind")
    except (ImportError, importlib.metadata.PackageNotFoundError):
        raise SiteBuildError(
            "the site's search needs Pagefind, which comes with briefings: reinstall it (pip install briefings), "
            "or choose Material's search (extra.briefings.search: material in mkdocs.yml)"
        ) from None
    selectors = NOISE_SELECTORS + (() if full_text else BODY_SELECTORS)
    excludes = [arg for selector in selectors for arg in ("--exclude-selectors", selector)]

    command = pagefind_command()

    def run(pages: Path, out: Path, glob: str | None = None) -> str:
        if glob is not None:  # in a config file: a shard's glob can be longer than one argument may be
            (out.parent / "pagefind.json").write_text(json.dumps({"glob": glob}), "utf-8")
        finished = run_guarded(
            [*command, "--site", str(pages), "--output-path", str(out), "--quiet", *excludes],
            what="Pagefind",
            cwd=out.parent if glob is not None else pages,  # Pagefind reads pagefind.json there
            max_memory_gb=max_memory_gb,
        )
        if not (out / "pagefind.js").is_file():
            raise SiteBuildError(f"Pagefind wrote no search bundle: {finished.output.strip()[-300:] or 'no message'}")
        order_filters(out)
        return finished.output

    fingerprint = repr((version, excludes))
    shards = plan(
        site,
        shard_pages=shard_pages,
        fingerprint=fingerprint,
        cache=cache,
        changed=changed,
        copy_of=copy_of,
        workers=runs,
    )
    if not shards:  # no page marks what to index: Pagefind indexes every page, in one run
        shutil.rmtree(site / "pagefind", ignore_errors=True)  # a staged copy's links: never written through
        log = run(site, site / "pagefind")
        (site / "pagefind" / SHARDS_LIST).write_text('{"shards":[{"key":"all","path":""}]}', "utf-8")
        return ShardsDone(("all",), ("all",), log)
    if cache is not None:
        done = index_in_shards(site, shards, cache=cache, run=run, runs=runs)
        write_filter_counts(site / "pagefind", digests=done.digests, record=cache / COUNTS_FILE)
    else:
        with tempfile.TemporaryDirectory(prefix="briefings-pagefind-") as scratch:
            done = index_in_shards(site, shards, cache=Path(scratch), run=run, runs=runs)
        write_filter_counts(site / "pagefind")
    return done


def pagefind_command() -> list[str]:
    """Pagefind's own program, as the ``pagefind`` package finds it (its binary package,
    PAGEFIND_BINARY_PATH or the PATH), run directly: ``python -m pagefind`` would start
    a Python first for each of a build's dozens of runs (a tenth of a second each)."""
    from pagefind.service import get_executable

    try:
        found = get_executable()
    except Exception:  # noqa: BLE001 - whatever it is, the module finds it again
        found = None
    return [str(found)] if found is not None and found.is_file() else [sys.executable, "-m", "pagefind"]


# The search's Filter panel shows each filter's values with how many pages have them, over the
# whole archive: what Pagefind's filters() gives once every shard is merged, which would make a
# reader who opens the panel download every shard's metadata (megabytes at 100,000 articles).
# With several shards the build writes those counts beside the shards' list instead.
FILTERS_FILE = "briefings-filters.json"  # in the site's pagefind/
COUNTS_FILE = "filter-counts.json"  # in the build folder's pagefind-shards/: each bundle's, by digest


def write_filter_counts(bundle: Path, *, digests: Sequence[str] = (), record: Path | None = None) -> None:
    """Write ``bundle/briefings-filters.json``: every filter's values and their pages, summed
    over the shards ``briefings-shards.json`` lists. With one shard (Pagefind's filters() is as
    cheap) or more than one language (Pagefind counts the reader's only), there is none.
    ``digests``: the listed bundles' (as the cache names them, never changed once made), whose
    counts ``record`` keeps: a bundle's files are read once, not in every build."""
    listed = json.loads((bundle / SHARDS_LIST).read_text("utf-8"))["shards"]
    counts = None
    if len(listed) > 1:
        bundles = [bundle / shard["path"] for shard in listed]
        if record is not None and len(digests) == len(bundles):
            counts = _counted(bundles, list(digests), record)
        else:
            counts = filter_counts(bundles)
    target = bundle / FILTERS_FILE
    if counts is None:
        target.unlink(missing_ok=True)  # unlinked, never written through: it may be the published site's
        return
    tmp = target.with_name(f".{FILTERS_FILE}.new")
    tmp.write_text(json.dumps(counts, ensure_ascii=False, separators=(",", ":")), "utf-8")
    tmp.replace(target)


def _counted(bundles: list[Path], digests: list[str], record: Path) -> dict[str, dict[str, int]] | None:
    """``filter_counts`` of the bundles, each bundle's counts taken from ``record`` (by its
    digest) when it holds them, and ``record`` rewritten with those of these bundles alone."""
    try:
        known = json.loads(record.read_text("utf-8"))
    except (OSError, ValueError):
        known = {}
    if not isinstance(known, dict):
        known = {}
    each: dict[str, dict[str, dict[str, int]] | None] = {}
    for bundle, digest in zip(bundles, digests, strict=True):
        kept = known.get(digest, False)
        each[digest] = kept if kept is None or _is_counts(kept) else _bundle_counts(bundle)
    if each != known:
        tmp = record.with_name(f".{record.name}.new")
        tmp.write_text(json.dumps(each, ensure_ascii=False, separators=(",", ":")), "utf-8")
        tmp.replace(record)
    return _summed(list(each.values()))


def _is_counts(value: Any) -> bool:
    return isinstance(value, dict) and all(
        isinstance(values, dict) and all(isinstance(n, int) for n in values.values()) for values in value.values()
    )


def filter_counts(bundles: list[Path]) -> dict[str, dict[str, int]] | None:
    """Each filter's values and the number of pages with each, over these bundles, sorted; None
    when a bundle indexes more than one language or is laid out as this code does not know."""
    return _summed([_bundle_counts(bundle) for bundle in bundles])


def _summed(each: list[dict[str, dict[str, int]] | None]) -> dict[str, dict[str, int]] | None:
    total: dict[str, dict[str, int]] = {}
    for counts in each:
        if counts is None:
            return None
        for name, values in counts.items():
            summed = total.setdefault(name, {})
            for value, pages in values.items():
                summed[value] = summed.get(value, 0) + pages
    return {name: dict(sorted(values.items())) for name, values in sorted(total.items())}


def _bundle_counts(bundle: Path) -> dict[str, dict[str, int]] | None:
    """One bundle's filter counts (``filter_counts``)."""
    languages = list(json.loads((bundle / "pagefind-entry.json").read_text("utf-8")).get("languages", {}).values())
    if len(languages) != 1:
        return None
    meta = _read(bundle / f"pagefind.{languages[0]['hash']}.pf_meta")
    filters = meta[3] if isinstance(meta, list) and len(meta) > 3 else None
    if not isinstance(filters, list):
        return None
    counts: dict[str, dict[str, int]] = {}
    for name, digest in filters:
        data = _read(bundle / "filter" / f"{digest}.pf_filter")
        listed = data[1] if isinstance(data, list) and len(data) > 1 and isinstance(data[1], list) else None
        if listed is None or not all(isinstance(v, list) and len(v) == 2 for v in listed):
            return None  # a layout this code does not know: the panel merges every shard instead
        values = counts.setdefault(name, {})
        for value, pages in listed:
            if not isinstance(pages, list):
                return None
            values[value] = values.get(value, 0) + len(pages)
    return counts


# Pagefind (1.5) writes each filter's values in a different order on every run (a hash map's),
# so the filter files, the language's metadata file that names them and pagefind-entry.json that
# names that differ from one build of the same pages to the next. The same content must build
# the same bytes: the values are put in order, and the files renamed after their new content.
# Everything else Pagefind writes (index chunks, fragments, the sort) is already the same.
SIGNATURE = b"pagefind_dcd"


def order_filters(bundle: Path) -> None:
    """Rewrite Pagefind's filter files with each filter's values sorted, and rename them (and
    the metadata naming them) after their content. Leaves a bundle it does not recognise as it is."""
    entry_file = bundle / "pagefind-entry.json"
    entry = json.loads(entry_file.read_text("utf-8"))
    for language in entry.get("languages", {}).values():
        meta_file = bundle / f"pagefind.{language['hash']}.pf_meta"
        meta = _read(meta_file)
        filters = meta[3] if isinstance(meta, list) and len(meta) > 3 else None
        if not isinstance(filters, list) or not all(isinstance(f, list) and len(f) == 2 for f in filters):
            continue  # a layout this code does not know: the bundle works, only less reproducibly
        prefix = language["hash"].rsplit("_", 1)[0]
        named = []
        for name, old in sorted(filters):
            path = bundle / "filter" / f"{old}.pf_filter"
            data = _read(path)
            data[1] = sorted(data[1], key=lambda value: value[0])
            new = _write_named(bundle / "filter", prefix, 7, ".pf_filter", data)
            if new != old:
                path.unlink()
            named.append([name, new])
        meta[3] = named
        meta_hash = _write_named(bundle, f"pagefind.{prefix}", 10, ".pf_meta", meta)
        if meta_hash != language["hash"]:
            meta_file.unlink()
        language["hash"] = f"{prefix}_{meta_hash.rsplit('_', 1)[1]}"
    entry_file.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), "utf-8")


def _read(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise SiteBuildError(f"Pagefind wrote an unexpected file: {path.name}")
    value, end = _decode(data, len(SIGNATURE))
    if end != len(data):
        raise SiteBuildError(f"Pagefind wrote an unexpected file: {path.name}")
    return value


def _write_named(folder: Path, prefix: str, digits: int, suffix: str, value: Any) -> str:
    """Write ``value`` as Pagefind does (gzipped, signed CBOR) into PREFIX_HASH.SUFFIX; returns
    the name's hash part as Pagefind writes it (such as en_1a2b3c4)."""
    data = SIGNATURE + _encode(value)
    lang = prefix.rsplit(".", 1)[-1]
    name = f"{lang}_{hashlib.sha256(data).hexdigest()[:digits]}"
    stem = f"{prefix.rsplit('.', 1)[0]}.{name}" if "." in prefix else name
    (folder / f"{stem}{suffix}").write_bytes(gzip.compress(data, compresslevel=6, mtime=0))
    return name


def _decode(data: bytes, i: int) -> tuple[Any, int]:
    """One CBOR item (the kinds Pagefind writes: numbers, strings, arrays, maps) at ``data[i]``."""
    head = data[i]
    major, info = head >> 5, head & 31
    i += 1
    if info < 24:
        arg = info
    elif info <= 27:
        size = 1 << (info - 24)
        arg, i = int.from_bytes(data[i : i + size], "big"), i + size
    else:
        raise SiteBuildError(f"Pagefind wrote an unexpected value (CBOR {head:#x})")
    if major == 0:
        return arg, i
    if major == 1:
        return -1 - arg, i
    if major in (2, 3):
        raw = data[i : i + arg]
        return (raw if major == 2 else raw.decode()), i + arg
    if major == 4:
        items = []
        for _ in range(arg):
            item, i = _decode(data, i)
            items.append(item)
        return items, i
    if major == 5:
        mapping = {}
        for _ in range(arg):
            key, i = _decode(data, i)
            mapping[key], i = _decode(data, i)
        return mapping, i
    if major == 7 and info in (20, 21, 22):
        return {20: False, 21: True, 22: None}[info], i
    raise SiteBuildError(f"Pagefind wrote an unexpected value (CBOR {head:#x})")


def _head(major: int, arg: int) -> bytes:
    if arg < 24:
        return bytes([major << 5 | arg])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if arg < 1 << (8 * size):
            return bytes([major << 5 | info]) + arg.to_bytes(size, "big")
    raise SiteBuildError("Pagefind's index holds a number too large to write")


def _encode(value: Any) -> bytes:
    """CBOR in its shortest form, as Pagefind writes it."""
    if value is False or value is True or value is None:
        return bytes([{False: 0xF4, True: 0xF5, None: 0xF6}[value]])
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode()
        return _head(3, len(raw)) + raw
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(_encode(v) for v in value)
    if isinstance(value, dict):
        return _head(5, len(value)) + b"".join(_encode(k) + _encode(v) for k, v in value.items())
    raise SiteBuildError(f"Pagefind's index holds a value briefings cannot write: {type(value).__name__}")
