"""`briefings check --site`: every internal link and anchor of a built site."""

from __future__ import annotations

from pathlib import Path

from briefings.engine.linkcheck import SiteCheck, check_site
from briefings.errors import SiteBuildError
from briefings.options import SiteConfig, site_url_of
from briefings.project import Project


def check_built_site(project: Project, *, site_dir: Path | None = None, base_url: str | None = None) -> SiteCheck:
    """Check the project's built site, served from ``base_url`` (default: mkdocs.yml's
    site_url, else the server's root). A path such as "/repo/" is accepted too."""
    config = SiteConfig.read(project)
    site_dir = site_dir or config.site_dir
    if not (site_dir / "index.html").is_file():
        raise SiteBuildError(f"{site_dir} holds no built site (expected index.html; run briefings build first)")
    base = base_url or config.site_url or "/"
    if not base.startswith("/"):
        base = site_url_of(base, "base URL")
    elif not base.endswith("/"):
        base += "/"
    pages = sum(1 for _ in site_dir.rglob("*.html"))
    return SiteCheck(site_dir=site_dir, base_url=base, pages=pages, broken=check_site(site_dir, base))
