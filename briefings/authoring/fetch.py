"""Fetch one web page for `briefings import`: bounded in time and size, http(s)
only, and never from the curator's own network unless asked.

urllib does the HTTP; three of its hooks make it safe to point at any address
a curator pastes:

- the connection (``_Session.connect``) resolves the host once, refuses
  private, loopback, link-local, multicast and reserved addresses, and connects
  to the address it checked, so a second DNS answer cannot swap in 127.0.0.1
  (DNS rebinding). Every redirect target goes through it again;
- the redirect handler follows http and https only;
- one deadline covers the whole fetch: when it passes, the connection is shut
  down, which ends any read in progress. Socket timeouts only bound each read:
  a server sending a byte a second would never trip them.

Proxies from the environment are not used: through a proxy, the address check
would see the proxy's address, never the page's. Resolving the host name itself
(the system resolver) is not covered by the deadline; it has its own timeouts.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO
from urllib.parse import urlsplit

from briefings import __version__
from briefings.errors import BriefingsError

TIME_LIMIT = 30.0  # seconds for the whole fetch: connecting, redirects, headers and body
MAX_BYTES = 10 * 2**20  # one article's page; bigger is a file download, not a news page
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
SCHEMES = ("http", "https")
MAX_REDIRECTS = 5


class FetchError(BriefingsError):
    """The page could not be fetched (offline, refused, timed out, too big, 4xx/5xx, not a page)."""


@dataclass(frozen=True)
class Page:
    url: str  # after redirects
    content_type: str
    data: bytes
    charset: str | None = None  # as the server declares it (Content-Type's charset)


def fetch(
    url: str, *, time_limit: float | None = None, max_bytes: int = MAX_BYTES, allow_private: bool = False
) -> Page:
    """GET ``url``. ``allow_private`` lets it reach loopback and private-network addresses."""
    if urlsplit(url).scheme.lower() not in SCHEMES:
        raise FetchError(f"{url}: not an http:// or https:// address")
    session = _Session(url, time_limit or TIME_LIMIT, allow_private)
    try:
        return _get(session, url, max_bytes)
    except (OSError, http.client.HTTPException, ValueError) as exc:  # what urllib, http.client and ssl raise
        if session.expired.is_set():  # whatever the shut-down connection made urllib raise
            raise session.too_slow() from None
        raise _fetch_error(session, exc) from None
    finally:
        session.close()


def _get(session: _Session, url: str, max_bytes: int) -> Page:
    opener = urllib.request.OpenerDirector()  # no file:, ftp: or data: handlers, no proxies
    for handler in (
        _HTTP(session),
        _HTTPS(session),
        _Redirects(session),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    request = urllib.request.Request(
        url,
        headers={
            "User-Agent": f"briefings/{__version__} (article import)",
            "Accept": "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.5",
        },
    )
    with opener.open(request, timeout=session.time_limit) as response:
        content_type = response.headers.get_content_type()
        if content_type not in PAGE_TYPES:
            raise FetchError(f"{url}: is {content_type}, not a web page (expected HTML or plain text)")
        length = (response.headers.get("Content-Length") or "").strip()
        if length.isdigit() and int(length) > max_bytes:  # refused before reading any of it
            raise FetchError(
                f"{url}: the page is {_mb(int(length))} (expected at most {_mb(max_bytes)} for one "
                "article; save the article as HTML or text and import the file)"
            )
        chunks, size = [], 0
        while chunk := response.read1(64 * 1024):  # what one socket read gives: counted as it arrives
            size += len(chunk)
            if size > max_bytes:  # no Content-Length, or a wrong one: stop at the limit
                raise FetchError(
                    f"{url}: the page is larger than {_mb(max_bytes)} (expected one article; save "
                    "the article as HTML or text and import the file)"
                )
            chunks.append(chunk)
        if session.expired.is_set():  # the shut-down connection looked like the end of the page
            raise session.too_slow()
        charset = response.headers.get_content_charset()
        return Page(url=response.geturl(), content_type=content_type, data=b"".join(chunks), charset=charset)


class _Session:
    """One fetch: its deadline, its address policy, and where redirects led."""

    def __init__(self, url: str, time_limit: float, allow_private: bool) -> None:
        self.url = url
        self.time_limit = time_limit
        self.allow_private = allow_private
        self.deadline = time.monotonic() + time_limit
        self.redirected_to = ""  # the latest redirect target, for messages
        self.expired = threading.Event()
        self._watched: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(time_limit, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def connect(
        self, address: tuple[str, int], timeout: float | None = None, source_address: tuple[str, int] | None = None
    ) -> socket.socket:
        """http.client's ``_create_connection``: resolve, check every address, connect to a checked one."""
        host, port = address
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))  # an IP address: str for TCP
        if not self.allow_private:
            for ip in addresses:  # every address: a host can resolve to a public and a private one
                if kind := blocked_kind(ip):
                    raise self.refused(host, ip, kind)
        error: OSError | None = None
        for ip in addresses:
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                sock = socket.create_connection((ip, port), min(timeout or remaining, remaining), source_address)
            except OSError as exc:
                error = exc
                continue
            self._watch(sock)
            return sock
        raise error or TimeoutError(f"no connection within {self.time_limit:g} s")

    def _watch(self, sock: socket.socket) -> None:
        # A duplicate of the socket: TLS wraps (and detaches) the original, and
        # shutting down either ends reads on both.
        with self._lock:
            self._watched.append(sock.dup())
            if self.expired.is_set():
                self._shut(self._watched[-1])

    def _expire(self) -> None:
        with self._lock:
            self.expired.set()
            for sock in self._watched:
                self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self._timer.cancel()
        with self._lock:
            for sock in self._watched:
                sock.close()
            self._watched.clear()

    def where(self) -> str:
        return f"{self.url}: redirected to {self.redirected_to}, " if self.redirected_to else f"{self.url}: "

    def refused(self, host: str, ip: str, kind: str) -> FetchError:
        what = f"{host} is {ip}, {kind}" if host.strip("[]") != ip else f"{ip} is {kind}"
        return FetchError(
            f"{self.where()}{what} (refused so that a pasted link cannot reach your own network; "
            "pass --allow-private to import from it)"
        )

    def too_slow(self) -> FetchError:
        return FetchError(
            f"{self.url}: no complete answer within {self.time_limit:g} s (the server is too slow, "
            "or you are offline; --timeout gives it longer, or save the page as HTML and import the "
            "file)"
        )


def blocked_kind(ip: str) -> str:
    """What kind of non-public address ``ip`` is, or "" for a public one."""
    address = ipaddress.ip_address(ip.split("%", 1)[0])  # an IPv6 scope (%eth0) is not part of the address
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:  # ::ffff:127.0.0.1 is 127.0.0.1
        address = address.ipv4_mapped
    for test, kind in (
        ("is_unspecified", "an unspecified address"),
        ("is_loopback", "a loopback address"),
        ("is_link_local", "a link-local address"),
        ("is_multicast", "a multicast address"),
        ("is_private", "a private network address"),
        ("is_reserved", "a reserved address"),
    ):
        if getattr(address, test):
            return kind
    return "" if address.is_global else "not a public internet address"


class _Pinned:
    """A connection that connects through the session: checked, pinned, under the deadline.
    (``_create_connection`` is http.client's hook for how the socket is made; host
    name, Host header and TLS certificate checks stay the page's own.)"""

    def __init__(self, host: str, *, session: _Session, **kwargs: object) -> None:
        super().__init__(host, **kwargs)  # type: ignore[call-arg]  # a mixin: the next class is an HTTPConnection
        self._create_connection = session.connect


class _PinnedHTTP(_Pinned, http.client.HTTPConnection):
    pass


class _PinnedHTTPS(_Pinned, http.client.HTTPSConnection):
    pass


class _HTTP(urllib.request.HTTPHandler):
    def __init__(self, session: _Session) -> None:
        super().__init__()
        self.session = session

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_connection(_PinnedHTTP, self.session), req)


class _HTTPS(urllib.request.HTTPSHandler):
    _context: ssl.SSLContext | None  # set by HTTPSHandler.__init__ (every Python we support); typeshed omits it

    def __init__(self, session: _Session) -> None:
        super().__init__()
        self.session = session

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_connection(_PinnedHTTPS, self.session), req, context=self._context)


def _connection(
    cls: type[_PinnedHTTP] | type[_PinnedHTTPS], session: _Session
) -> Callable[..., http.client.HTTPConnection]:
    def make(host: str, **kwargs: object) -> http.client.HTTPConnection:
        return cls(host, session=session, **kwargs)

    return make


class _Redirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def __init__(self, session: _Session) -> None:
        super().__init__()
        self.session = session

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        if urlsplit(newurl).scheme.lower() not in SCHEMES:
            fp.close()
            raise _not_web(self.session.url, newurl)
        self.session.redirected_to = newurl  # its address is checked when it is connected to
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _not_web(url: str, target: str) -> FetchError:
    return FetchError(f"{url}: redirected to {target}, which is not an http:// or https:// address (refused)")


def _fetch_error(session: _Session, exc: Exception) -> FetchError:
    url = session.url
    if isinstance(exc, urllib.error.HTTPError):
        exc.close()
        if 300 <= exc.code < 400:
            target = exc.url or ""
            if target and urlsplit(target).scheme.lower() not in SCHEMES:  # refused by urllib itself (file:, data:)
                return _not_web(url, target)
            return FetchError(
                f"{url}: HTTP {exc.code} (more than {MAX_REDIRECTS} redirects, or a "
                "redirect without an address; check the address, or save the page as HTML and "
                "import the file)"
            )
        kind = "the page was not found or is not public" if 400 <= exc.code < 500 else "the server failed"
        return FetchError(
            f"{url}: HTTP {exc.code} {_one_line(exc.reason)} ({kind}; check the address, or save the page "
            "as HTML and import the file)"
        )
    if isinstance(exc, TimeoutError) or isinstance(getattr(exc, "reason", None), TimeoutError):
        return session.too_slow()
    if isinstance(exc, urllib.error.URLError):
        return FetchError(f"{session.where()}{_reason(exc.reason)}")
    if isinstance(exc, ValueError):  # e.g. a port that is not a number, a host name IDNA cannot encode
        return FetchError(f"{session.where()}not a usable web address ({_one_line(exc)})")
    return FetchError(f"{url}: the connection failed ({_one_line(exc)}; are you offline?)")


def _reason(reason: str | BaseException) -> str:
    if isinstance(reason, socket.gaierror):
        return "cannot find that host (are you offline, or is the address misspelt?)"
    if isinstance(reason, ConnectionRefusedError):
        return "the connection was refused (is the address right? are you offline?)"
    return f"cannot connect ({_one_line(reason)}; are you offline?)"


def _mb(size: int) -> str:
    return f"{size / 2**20:.1f} MB".replace(".0 MB", " MB")


def _one_line(value: object) -> str:
    return " ".join(str(value).split()) or type(value).__name__
