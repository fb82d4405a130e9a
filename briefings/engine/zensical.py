"""Build the generated pages with Zensical (Material's successor) instead of MkDocs.

Zensical reads an mkdocs.yml, but takes no overrides on its command line, so
briefings writes build/mkdocs.yml: the project's mkdocs.yml with what briefings
owns laid over it (as ``MkDocsEngine.config`` does for MkDocs), and its one
``custom_dir`` is build/theme/: the package's theme with the desk's overrides
composed over it (``engine/theme.py``). Zensical wants the docs and site
folders inside the folder holding its config file, so it builds into build/
and the result is moved into the staging folder afterwards.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

from briefings.cache import BuildCache
from briefings.engine.base import RETIRED_PLUGINS, SiteJob, SitePlan, extra_for_templates
from briefings.engine.guard import run_guarded
from briefings.engine.theme import Theme, engine_theme, theme_of
from briefings.errors import SiteBuildError
from briefings.project import Project

# Plugins not passed on: tags (RETIRED_PLUGINS: the topics are the tags, and Zensical's
# tags plugin needed 19 GB at 5,000 pages) and search when Pagefind replaces it.
NOT_PASSED_ON = set(RETIRED_PLUGINS)


def zensical_config(
    project: Project,
    raw: dict[str, Any],
    *,
    nav: list[Any],
    out_dir: Path,
    theme_dir: Path,
    base_url: str | None,
    pagefind: bool,
) -> dict[str, Any]:
    """The configuration Zensical gets: mkdocs.yml plus briefings' overrides, with absolute paths."""
    config = dict(raw)
    for key in ("hooks", "strict", "not_in_nav", "INHERIT"):
        config.pop(key, None)  # Zensical ignores them; leave no doubt
    config["docs_dir"] = project.docs_dir.relative_to(project.build_dir).as_posix()  # an absolute one panics 0.0.73
    config["site_dir"] = str(out_dir)
    config["use_directory_urls"] = True
    config["nav"] = nav
    if base_url is not None:
        config["site_url"] = base_url
    config["theme"] = engine_theme(raw, theme_dir)  # one custom_dir: the composed theme
    plugins = []
    for item in config.get("plugins") or []:
        name = next(iter(item)) if isinstance(item, dict) else str(item)
        if name in NOT_PASSED_ON:
            continue
        if name in ("search", "material/search") and pagefind:
            continue
        plugins.append(item)
    if pagefind:
        plugins.append({"search": {"enabled": False}})  # Zensical builds its index unless told not to
    config["plugins"] = plugins
    return config


def build_with_zensical(
    project: Project,
    raw: dict[str, Any],
    *,
    nav: list[Any],
    theme: Theme,
    staging: Path,
    base_url: str | None,
    pagefind: bool,
    max_memory_gb: float,
    epoch: int,
) -> str:
    """Build into ``staging`` (which must exist and be empty). Returns Zensical's output."""
    try:
        import zensical  # noqa: F401 - only to say clearly that it is missing
    except ImportError:
        raise SiteBuildError("--engine zensical needs Zensical: pip install 'briefings[zensical]'") from None
    out_dir = project.build_dir / f".zensical-site-{staging.name}"
    shutil.rmtree(out_dir, ignore_errors=True)
    theme_dir = project.build_dir / "theme"
    theme.compose(theme_dir)
    config = zensical_config(
        project, raw, nav=nav, out_dir=out_dir, theme_dir=theme_dir, base_url=base_url, pagefind=pagefind
    )
    # Zensical's templates have no build_date_utc, MkDocs' "updated" date in the footer
    # (partials/copyright.html): give them the same day, the build's epoch.
    day = dt.datetime.fromtimestamp(epoch, dt.UTC)
    updated = {"iso": f"{day:%Y-%m-%d}", "text": f"{day.day} {day:%B %Y}"}
    config["extra"] = {**(config.get("extra") or {}), "briefings_updated": updated}
    config_file = project.build_dir / "mkdocs.yml"
    try:
        text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
    except yaml.YAMLError:
        raise SiteBuildError(
            "mkdocs.yml: a value cannot be passed on to Zensical (such as a !!python/name tag); "
            "build with --engine mkdocs"
        ) from None
    config_file.write_text("# Written by briefings for Zensical; regenerated on every build.\n" + text, "utf-8")
    try:
        finished = run_guarded(
            [sys.executable, "-m", "zensical", "build", "--config-file", str(config_file)],
            what="Zensical",
            cwd=project.build_dir,
            max_memory_gb=max_memory_gb,
            env={"SOURCE_DATE_EPOCH": str(epoch), "RUST_BACKTRACE": "0"},
        )
        if not (out_dir / "index.html").is_file():
            raise SiteBuildError(f"Zensical wrote no index.html: {finished.output.strip()[-300:] or 'no message'}")
        staging.rmdir()
        shutil.move(str(out_dir), str(staging))
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)
    return finished.output


class ZensicalEngine:
    """Always a full build. Zensical has no strict link check that briefings can
    rely on, so every link of the built site is checked here: broken ones fail a
    strict build and are warnings otherwise."""

    name = "zensical"
    incremental = False

    def __init__(self, job: SiteJob):
        self.job = job

    def plan(self, target: Path, cache: BuildCache) -> SitePlan:
        from briefings.engine import incremental

        return SitePlan(
            key=incremental.site_key(self.job.project, self.job.options, nav=self.job.nav, epoch=self.job.epoch)
        )

    def unchecked(self, plan: SitePlan) -> tuple[str, ...]:
        return ()  # build() checked every page

    def build(self, plan: SitePlan, site: Path, previous: Path) -> list[str]:
        from briefings.engine.linkcheck import check_site

        options = self.job.options
        build_with_zensical(
            self.job.project,
            {**options.config.raw, "extra": extra_for_templates(options.config.raw, options)},
            nav=self.job.nav,
            theme=theme_of(options.config),
            staging=site,
            base_url=options.base_url,
            pagefind=options.search == "pagefind",
            max_memory_gb=options.max_memory_gb,
            epoch=self.job.epoch,
        )
        broken = check_site(site, options.base_url or options.config.site_url or "/")  # 404.html links from the root
        messages = [f"broken link: {link}" for link in broken]
        if broken and options.strict:
            shown = "; ".join(messages[:5]) + (f"; and {len(broken) - 5} more" if len(broken) > 5 else "")
            raise SiteBuildError(
                f"Zensical built a site with {len(broken)} broken link"
                f"{'s' if len(broken) != 1 else ''}: {shown} (the previous site is untouched; "
                "fix it, or build with --no-strict)"
            )
        return messages
