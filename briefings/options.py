"""What one build needs to know, made once: the command line, mkdocs.yml (read
once) and the documented environment variables, as one frozen ``BuildOptions``.

- ``SiteConfig``: mkdocs.yml as written, read once per build. MkDocs' own
  YAML loader reads it, so !ENV tags and INHERIT behave as in MkDocs; the
  engine is handed the same bytes.
- ``Settings``: what the pages need from it: names, the site's address and
  briefings' own options under ``extra.briefings`` (templates can read those
  too, as ``config.extra.briefings``).
- ``BuildOptions``: everything else a build is asked to do (drafts, strict,
  engine, base URL, CNAME, site folder, memory limit, workers...).

Environment variables (each also a command-line option, which wins):
``BRIEFINGS_PROJECT`` (--project), ``BRIEFINGS_BASE_URL`` (--base-url),
``BRIEFINGS_CNAME`` (--cname), ``BRIEFINGS_WORKERS`` (--workers), and
``SOURCE_DATE_EPOCH`` (the build date MkDocs writes; by default the newest
article's date).
"""

from __future__ import annotations

import datetime as dt
import io
import multiprocessing
import os
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from briefings.errors import ProjectError
from briefings.project import Project


@dataclass(frozen=True)
class Settings:
    site_name: str = "Briefings"
    site_description: str = ""
    site_url: str = ""  # "" when not set; otherwise ends with "/"
    # The options under extra.briefings (OPTIONS), with their defaults:
    archive_after: int = 50  # a topic, the timeline or a person with more shows the newest and links month archives
    latest: int = 5  # unused since topic pages list each story once (kept so configs stay valid)
    quotes: int = 3  # quote cards on a topic page
    quote_card_min_words: int = 8  # shorter quotes are fragments: inline, never cards (unless card: true)
    related: int = 5  # related articles on an article page
    max_file_mb: int = 5  # larger article files are refused
    trust_html: bool = False  # pass article bodies to MkDocs unsanitised
    # "pagefind": a static index fetched in small pieces, only once the reader types; or
    # "material": Material's own search, whose one index every page downloads (small desks only).
    search: str = "pagefind"
    search_full_text: bool = True  # pagefind: index article bodies too (false: a lighter index)
    # pagefind: the most pages an index shard holds (None: 250, doubled past 32 shards; searchshards.py)
    search_shard_pages: int | None = None
    # Not an option: how the build's engine reads a relative link in a page's raw HTML.
    # "page": from the page's address, as the browser does (MkDocs passes raw HTML through);
    # "file": from its Markdown file's folder (Zensical rewrites such links as Markdown ones).
    raw_links_from: str = "page"

    def absolute(self, path: str) -> str:
        """A site-root-relative path as an absolute URL, when site_url is known."""
        return self.site_url + path if self.site_url else ""


OPTIONS = (
    "archive_after",
    "latest",
    "quotes",
    "quote_card_min_words",
    "related",
    "max_file_mb",
    "trust_html",
    "search",
    "search_full_text",
    "search_shard_pages",
)
SEARCH_CHOICES = ("pagefind", "material")  # the first is the default


@dataclass(frozen=True)
class SiteConfig:
    """mkdocs.yml as written: its bytes (for the engine, and to tell whether it
    changed) and its data (never modified: copy before changing)."""

    path: Path
    data: bytes = field(repr=False)
    raw: Mapping[str, Any] = field(repr=False)

    @classmethod
    def read(cls, project: Project) -> SiteConfig:
        from mkdocs.utils.yaml import yaml_load

        try:
            data = project.config_file.read_bytes()
            raw = yaml_load(cls._stream(project.config_file, data)) or {}
        except Exception as exc:  # noqa: BLE001 - YAML errors, INHERIT of a missing file...: the user's file
            raise ProjectError(f"mkdocs.yml: cannot be read: {' '.join(str(exc).split())}") from None
        if not isinstance(raw, dict):
            raise ProjectError("mkdocs.yml: expected a mapping of settings such as site_name:")
        return cls(project.config_file, data, raw)

    @staticmethod
    def _stream(path: Path, data: bytes) -> io.BytesIO:
        stream = io.BytesIO(data)
        stream.name = str(path)  # INHERIT paths are relative to the file
        return stream

    def stream(self) -> io.BytesIO:
        """The file's bytes as an open file, for MkDocs' own loader."""
        return self._stream(self.path, self.data)

    @property
    def site_dir(self) -> Path:
        """The site folder mkdocs.yml names (site/ by default), resolved."""
        return (self.path.parent / str(self.raw.get("site_dir") or "site")).resolve()

    @property
    def site_url(self) -> str | None:
        return self.raw.get("site_url") or None

    @property
    def extra(self) -> Mapping[str, Any]:
        extra = self.raw.get("extra")
        return extra if isinstance(extra, dict) else {}

    @property
    def overrides_dir(self) -> Path:
        """The desk's theme overrides: the folder theme.custom_dir names (default
        overrides/), laid over the package's theme (engine/theme.py). It need not
        exist; a file of that name is an error."""
        theme = self.raw.get("theme")
        custom_dir = theme.get("custom_dir") if isinstance(theme, dict) else None
        if custom_dir is None:
            custom_dir = "overrides"
        if not isinstance(custom_dir, str) or not custom_dir.strip():
            raise ProjectError(
                f"mkdocs.yml: theme.custom_dir: expected the name of your theme overrides folder, "
                f"such as overrides (got {custom_dir!r})"
            )
        folder = self.path.parent / custom_dir
        if folder.exists() and not folder.is_dir():
            raise ProjectError(
                f"mkdocs.yml: theme.custom_dir: {custom_dir} is a file, not a folder (expected the folder "
                "of your theme overrides: rename the file, or name another folder)"
            )
        return folder

    @property
    def theme_dirs(self) -> tuple[Path, ...]:
        """The project's own theme folders (its overrides), which a site folder must never be."""
        return (self.overrides_dir,)


def read_settings(project: Project, *, site_url: str | None = None) -> Settings:
    """The pages' settings from the project's mkdocs.yml."""
    return settings_of(SiteConfig.read(project), site_url=site_url)


def settings_of(config: SiteConfig, *, site_url: str | None = None) -> Settings:
    """The pages' settings; ``site_url`` (the base URL) replaces mkdocs.yml's, with its final slash."""
    data = config.raw
    url, what = (site_url, "base URL") if site_url is not None else (data.get("site_url") or "", "mkdocs.yml: site_url")
    given = _Options(_or_empty((data.get("extra") or {}).get("briefings")))
    return Settings(
        site_name=str(data.get("site_name") or "Briefings"),
        site_description=str(data.get("site_description") or ""),
        site_url=site_url_of(str(url), what) if url else "",
        archive_after=given.count("archive_after", Settings.archive_after),
        latest=given.count("latest", Settings.latest),
        quotes=given.count("quotes", Settings.quotes),
        quote_card_min_words=given.count("quote_card_min_words", Settings.quote_card_min_words),
        related=given.count("related", Settings.related),
        max_file_mb=given.count("max_file_mb", Settings.max_file_mb),
        trust_html=given.flag("trust_html", Settings.trust_html),
        search=given.word("search", SEARCH_CHOICES),
        search_full_text=given.flag("search_full_text", Settings.search_full_text),
        search_shard_pages=given.optional_count("search_shard_pages"),
    )


def _or_empty(value: object) -> object:
    """extra.briefings left empty (``briefings:``) is no settings; ``[]`` or ``""`` is a mistake."""
    return {} if value is None else value


class _Options:
    """extra.briefings as written, each option read with its kind's check (defaults: Settings')."""

    def __init__(self, raw: object) -> None:
        if not isinstance(raw, dict):
            raise ProjectError("mkdocs.yml: extra.briefings: expected a mapping such as {archive_after: 50}")
        for key in raw:
            if key not in OPTIONS:
                raise ProjectError(
                    f"mkdocs.yml: extra.briefings.{key}: unknown option (expected one of: {', '.join(OPTIONS)})"
                )
        self.raw: dict[str, object] = raw

    def count(self, key: str, default: int) -> int:
        value = self.raw.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ProjectError(
                f"mkdocs.yml: extra.briefings.{key}: expected a whole number of at least 1 (got {value!r})"
            )
        if value > MAX_COUNT:  # past what any page could list, and what Python's slices take
            raise ProjectError(
                f"mkdocs.yml: extra.briefings.{key}: expected a whole number no more than {MAX_COUNT:,} (got {value})"
            )
        return value

    def optional_count(self, key: str) -> int | None:
        """A whole number, or None when the option is left out (its default is worked out later)."""
        return self.count(key, 1) if key in self.raw else None

    def flag(self, key: str, default: bool) -> bool:
        value = self.raw.get(key, default)
        if not isinstance(value, bool):
            raise ProjectError(f"mkdocs.yml: extra.briefings.{key}: expected true or false (got {value!r})")
        return value

    def word(self, key: str, choices: tuple[str, ...]) -> str:
        """One of ``choices``; the first is the default."""
        value = self.raw.get(key, choices[0])
        if not isinstance(value, str) or value not in choices:
            raise ProjectError(
                f"mkdocs.yml: extra.briefings.{key}: expected one of: {', '.join(choices)} (got {value!r})"
            )
        return value


# Characters a base URL never needs that MkDocs and Material would print as they are, into attributes
# (href, content) and scripts: quotes and angle brackets end them, a backslash or a backtick escapes in
# JavaScript, and the rest are not allowed in a URL at all (RFC 3986: spaces, braces, |, ^).
_UNSAFE = set("\"'<>\\`{}|^")


def site_url_of(url: str, what: str = "base URL") -> str:
    """The address the site is served from, e.g. https://user.github.io/repo/, checked
    and with a final slash (GitHub's configure-pages gives none). ``what`` names it in
    errors: "base URL" (--base-url, BRIEFINGS_BASE_URL) or "site_url" (mkdocs.yml)."""
    expected = "expected an http(s) address of the site's folder, such as https://user.github.io/repo/"
    url = url.strip()
    for char in url:
        if char in _UNSAFE or char.isspace() or unicodedata.category(char).startswith("C"):
            shown = "a space" if char == " " else repr(char) if char.isprintable() else f"U+{ord(char):04X}"
            raise ProjectError(
                f"{what} {url!r} contains {shown} ({expected}; quotes, angle brackets, backslashes, "
                "spaces and control characters are not allowed)"
            )
    try:
        parts = urlsplit(url)
        _ = parts.hostname, parts.port  # each raises on a malformed host or port
    except ValueError as exc:
        raise ProjectError(f"{what} {url!r} is not a web address ({exc}; {expected})") from None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ProjectError(f"{what} {url!r} is not a web address ({expected})")
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        raise ProjectError(f"{what} {url!r} has a ?query or #fragment ({expected})")
    path = parts.path or "/"
    if "." in path.rstrip("/").rsplit("/", 1)[-1]:
        raise ProjectError(f"{what} {url!r} names a file, not a folder ({expected})")
    if not path.endswith("/"):
        path += "/"
    return f"{parts.scheme}://{parts.netloc}{path}"


_DOMAIN = re.compile(r"(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]")


def domain_name(value: Any) -> str | None:
    """A custom domain for the CNAME file: a bare host name such as news.example.org."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not _DOMAIN.fullmatch(value.strip().lower()):
        raise ProjectError(
            f"CNAME {value!r} is not a domain name (expected a bare host name such as news.example.org, "
            "without https:// or a path)"
        )
    return value.strip().lower()


ENGINES = ("mkdocs", "zensical")
# How each engine reads a relative link in a page's raw HTML (Settings.raw_links_from).
RAW_LINKS_FROM = {"mkdocs": "page", "zensical": "file"}
DEFAULT_MAX_MEMORY_GB = 8.0
MAX_WORKERS = 8  # the default's cap
MOST_WORKERS = 64  # what --workers / BRIEFINGS_WORKERS may ask for
MAX_COUNT = 1_000_000  # the most any extra.briefings count may be


def default_workers() -> int:
    """Worker processes by default: the CPUs this process may use (at most 8).
    Where processes cannot fork (Windows), everything runs in this one."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MAX_WORKERS))


@dataclass(frozen=True)
class BuildOptions:
    """One build, as asked for. Made by ``build_options``; never changed after."""

    config: SiteConfig
    settings: Settings  # site_url is the base URL when one is given
    site_dir: Path  # resolved; the engine stage checks that the build may replace it
    drafts: bool = False  # include drafts and future-dated articles
    strict: bool = True  # any engine warning or broken link fails the build
    engine: str = "mkdocs"  # or "zensical"
    base_url: str | None = None  # --base-url, checked, ending in "/"; None: mkdocs.yml's site_url
    cname: str | None = None  # --cname or extra.cname, checked
    max_memory_gb: float = DEFAULT_MAX_MEMORY_GB  # for Zensical and Pagefind
    full: bool = False  # rebuild every page, never an incremental build
    workers: int = 1  # processes for parsing and writing (1: none forked)
    pages_only: bool = False  # stop once the pages are written (no site): the benchmark's generation
    now: dt.datetime | None = None  # what counts as future-dated (default: the time of the build)

    @property
    def search(self) -> str:
        return self.settings.search


def build_options(
    project: Project,
    *,
    drafts: bool = False,
    strict: bool = True,
    site_dir: Path | None = None,
    engine: str = "mkdocs",
    base_url: str | None = None,
    cname: str | None = None,
    max_memory_gb: float = DEFAULT_MAX_MEMORY_GB,
    full: bool = False,
    workers: int | None = None,
    pages_only: bool = False,
    now: dt.datetime | None = None,
) -> BuildOptions:
    """Check what was asked and read mkdocs.yml once. Raises ProjectError with one line."""
    if engine not in ENGINES:
        raise ProjectError(f"unknown engine {engine!r} (expected one of: {', '.join(ENGINES)})")
    if not max_memory_gb > 0:
        raise ProjectError(f"--max-memory-gb must be more than 0 (got {max_memory_gb})")
    if workers is not None and workers < 1:
        raise ProjectError(f"--workers must be at least 1 (got {workers})")
    config = SiteConfig.read(project)
    base = site_url_of(base_url, "base URL") if base_url is not None else None
    settings = replace(settings_of(config, site_url=base), raw_links_from=RAW_LINKS_FROM[engine])
    return BuildOptions(
        config=config,
        settings=settings,
        site_dir=site_dir.resolve() if site_dir is not None else config.site_dir,
        drafts=drafts,
        strict=strict,
        engine=engine,
        base_url=base,
        cname=domain_name(cname if cname is not None else config.extra.get("cname")),
        max_memory_gb=max_memory_gb,
        full=full,
        workers=default_workers() if workers is None else workers,
        pages_only=pages_only,
        now=now,
    )
