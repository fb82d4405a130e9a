"""Files a host needs beside the pages."""

from __future__ import annotations

from pathlib import Path


def add_hosting_files(site: Path, cname: str | None) -> None:
    """GitHub Pages files, written into the staged site so they swap in with it:
    .nojekyll (serve the files as they are: no Jekyll run, which would hide
    folders starting with _) and, for a custom domain, CNAME."""
    for name, text in ((".nojekyll", ""), ("CNAME", f"{cname}\n" if cname else None)):
        if text is not None:
            (site / name).unlink(missing_ok=True)  # an incremental staging holds hard links: never write through them
            (site / name).write_text(text, encoding="utf-8")
