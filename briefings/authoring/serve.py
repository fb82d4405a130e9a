"""`briefings serve`: a live preview on 127.0.0.1, drafts included.

Built on MkDocs' own LiveReloadServer: it watches content/, mkdocs.yml and
the theme overrides (theme.custom_dir, overrides/ by default), calls our
rebuild, and makes open pages reload. A rebuild runs the usual pipeline
(``pipeline.build``, which rewrites only the pages that changed) in a build
folder of its own, build/preview/, so a preview's drafts never mix with the
pages of a `briefings build` running at the same time, and builds the site
into build/preview-site/. That folder is kept when the preview stops, so the
next one starts from it as an edit does: with nothing changed, in about a
second instead of a whole site build (ten seconds at 10,000 articles). When
the content has problems, the last good build stays up and every page shows
them in an overlay until they are fixed.
"""

from __future__ import annotations

import contextlib
import errno
import html
import socket
from collections.abc import Callable
from pathlib import Path

from mkdocs.livereload import LiveReloadServer

from briefings.cache import read_site_record
from briefings.engine.sitefolder import owned
from briefings.errors import BriefingsError, ContentError
from briefings.options import SiteConfig, build_options
from briefings.pipeline import build
from briefings.project import Project

HOST = "127.0.0.1"
OVERLAY_ID = "briefings-error"


class ServeError(BriefingsError):
    """The preview server cannot start."""


class _Server(LiveReloadServer):
    """MkDocs' server, plus our error overlay on every HTML page while the content is broken."""

    def __init__(self, *, builder: Callable[[], None], host: str, port: int, root: str, preview: Preview) -> None:
        self.preview = preview
        super().__init__(builder=builder, host=host, port=port, root=root)

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        content = super()._inject_js_into_html(content, epoch)  # type: ignore[no-untyped-call]  # MkDocs': unannotated
        problem = self.preview.problem
        if not problem:
            return content
        overlay = error_overlay(problem).encode("utf-8")
        at = content.rfind(b"</body>")
        return content + overlay if at < 0 else content[:at] + overlay + content[at:]

    def page_for_error(self, code: int) -> bytes | None:
        if self.preview.problem:  # no page built yet, or a page the broken content lost
            page = (
                b'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Preview: problems'
                b"</title></head><body></body></html>"
            )
            with self._epoch_cond:
                epoch = self._visible_epoch
            return self._inject_js_into_html(page, epoch)
        not_found = Path(self.root) / "404.html"
        if code == 404 and not_found.is_file():
            return self._inject_js_into_html(not_found.read_bytes(), self._visible_epoch)
        return None


def error_overlay(problem: str) -> str:
    """A full-window panel, like a compiler's error overlay. Inline styles: no request to anywhere."""
    return (
        f'<div id="{OVERLAY_ID}" role="alert" style="position:fixed;inset:0;z-index:10000;overflow:auto;'
        'background:rgba(24,24,27,.95);color:#fafafa;padding:2rem;font:14px/1.6 ui-monospace,monospace">'
        '<h2 style="margin:0 0 1rem;color:#fca5a5;font-size:1.2rem">The content has problems: '
        "this preview shows the last good build</h2>"
        f'<pre style="white-space:pre-wrap;margin:0 0 1rem">{html.escape(problem)}</pre>'
        '<p style="margin:0">Fix the file and save it: this page reloads by itself.</p></div>'
    )


class Preview:
    """One live preview of a project. ``serve()`` blocks until interrupted."""

    def __init__(
        self,
        project: Project,
        *,
        port: int = 8000,
        host: str = HOST,
        log: Callable[[str], None] = lambda line: None,
        warn: Callable[[str], None] | None = None,
    ):
        """``log`` is told what happens; ``warn`` (default: ``log``) each problem and warning, once."""
        self.project = project
        self.host = host
        self.port = port
        self.log = log
        self.warn = warn or log
        self.problem: str | None = None
        self.warned: set[str] = set()  # the build warnings printed: each once while it serves
        self.site_dir = preview_site(project)
        self.server = _Server(builder=self.rebuild, host=host, port=port, root=str(self.site_dir), preview=self)
        self.server.error_handler = self.server.page_for_error

    @property
    def url(self) -> str:
        return self.server.url

    def watched(self) -> list[Path]:
        """content/, mkdocs.yml and the desk's theme overrides (the package's theme changes only with an upgrade)."""
        try:
            overrides = SiteConfig.read(self.project).overrides_dir
        except BriefingsError:  # a broken mkdocs.yml: the first rebuild shows why; watch the usual folder
            overrides = self.project.root / "overrides"
        paths = [self.project.content_dir, self.project.config_file, overrides]
        return [p for p in paths if p.exists()]

    def rebuild(self) -> None:
        """Regenerate and rebuild; on a problem keep the last good site and show the problem."""
        try:
            # Options are made for each rebuild: mkdocs.yml is watched too.
            project = self.project.preview()
            options = build_options(project, drafts=True, strict=False, site_dir=self.site_dir)
            report = build(
                project,
                options,
                on_wait=lambda pid: self.log(
                    f"Waiting for another preview of this project (PID {pid}) to finish a build..."
                ),
            )
        except ContentError as exc:
            lines = [str(p) for p in exc.problems]
            n = len(lines)
            self._fail("\n".join(lines), f"{n} problem{'s' if n != 1 else ''} found", lines)
            return
        except BriefingsError as exc:
            self._fail(str(exc), " ".join(str(exc).split()))
            return
        except Exception as exc:  # noqa: BLE001 - a bug must not leave the server stuck on every request
            message = f"briefings failed: {type(exc).__name__}: {' '.join(str(exc).split())} (a bug: please report it)"
            self._fail(message, message)
            return
        assert report.site is not None
        for warning in report.site.warnings:
            if warning not in self.warned:
                self.warned.add(warning)
                self.warn(f"Warning: {warning}")
        was_broken, self.problem = self.problem is not None, None
        edition = report.edition
        self.log(
            f"{'Fixed: rebuilt' if was_broken else 'Built'} {len(edition.articles)} articles "
            f"({sum(a.draft for a in edition.articles)} drafts), "
            f"{report.written.written} pages changed, in {report.seconds:.1f} s."
        )

    def _fail(self, problem: str, summary: str, lines: list[str] | None = None) -> None:
        """Show ``problem`` on every page; print ``lines`` (each problem once) and the
        one-line ``summary``. A rebuild that fails the same way again (another file saved)
        prints the summary alone."""
        again, self.problem = problem == self.problem, problem
        for line in [] if again else lines or []:
            self.warn(line)
        how = " again (listed above)" if again and lines else ""
        self.warn(f"Error: {summary}{how}; the preview shows the last good build until it is fixed.")

    def serve(self) -> None:
        try:
            ensure_port_free(self.host, self.port)
            ensure_preview_site_ours(self.project, self.site_dir)
            self.log(f"Building the preview of {self.project.root} (drafts included)...")
            self.rebuild()
            for path in self.watched():
                self.server.watch(str(path))
            self.log(
                f"Serving on {self.url} (drafts shown). Watching "
                f"{', '.join(p.name + ('/' if p.is_dir() else '') for p in self.watched())}. "
                "Press Ctrl+C to stop."
            )
            try:
                self.server.serve()  # type: ignore[no-untyped-call]  # MkDocs' LiveReloadServer: unannotated
            except OSError as exc:
                raise ServeError(f"cannot serve on {self.host}:{self.port}: {exc.strerror or exc}") from None
            except KeyboardInterrupt:
                self.log("Stopped.")
        finally:
            self.close()

    def close(self) -> None:
        with contextlib.suppress(Exception):  # never started: nothing to stop
            self.server.shutdown()


def preview_site(project: Project) -> Path:
    """Where the preview's site is built: build/preview-site/, beside (not inside) the
    preview's build folder, which a site may not be in; kept between previews."""
    return project.preview().build_dir.with_name("preview-site")


def ensure_preview_site_ours(project: Project, site: Path) -> None:
    """Fail before the first build when the preview's site folder holds files briefings did
    not make: the build would refuse it with the advice for `build`'s own site folder."""
    if not site.is_dir() or site.is_symlink():
        return  # absent: made by the build; a file or a link: the build says why it is refused
    record = read_site_record(project.preview().build_dir)
    if not owned(site.resolve(), record.target if record else None):
        raise ServeError(
            f"{site} holds files briefings did not make, and each preview replaces that folder whole "
            "with its site: move those files out of it"
        )


def ensure_port_free(host: str, port: int) -> None:
    """Fail before the first build, with a hint, when the port is taken."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server itself binds
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ServeError(
                    f"port {port} on {host} is already in use (stop the other server, or pass --port {port + 1})"
                ) from None
            raise ServeError(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from None
