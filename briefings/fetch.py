"""Fetch one web page for `briefings import`, with a timeout and one-line errors."""

from __future__ import annotations

import http.client
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass

from briefings import __version__
from briefings.errors import BriefingsError

TIMEOUT = 20.0  # seconds, for connecting and for each read
MAX_BYTES = 20 * 1024 * 1024
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")


class FetchError(BriefingsError):
    """The page could not be fetched (offline, refused, timed out, 4xx/5xx, not a page)."""


@dataclass(frozen=True)
class Page:
    url: str  # after redirects
    content_type: str
    data: bytes


def fetch(url: str, *, timeout: float | None = None) -> Page:
    timeout = timeout or TIMEOUT
    request = urllib.request.Request(url, headers={
        "User-Agent": f"briefings/{__version__} (article import)",
        "Accept": "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.5",
    })
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            content_type = response.headers.get_content_type()
            if content_type not in PAGE_TYPES:
                raise FetchError(f"{url}: is {content_type}, not a web page (expected HTML or plain text)")
            data = response.read(MAX_BYTES + 1)
            if len(data) > MAX_BYTES:
                raise FetchError(f"{url}: the page is larger than {MAX_BYTES // 2**20} MB (expected one article)")
            return Page(url=response.geturl(), content_type=content_type, data=data)
    except urllib.error.HTTPError as exc:
        kind = "the page was not found or is not public" if 400 <= exc.code < 500 else "the server failed"
        raise FetchError(f"{url}: HTTP {exc.code} {exc.reason} ({kind}; check the address, or save the page "
                         "as HTML and import the file)") from None
    except urllib.error.URLError as exc:
        raise FetchError(f"{url}: {_reason(exc.reason, timeout)}") from None
    except (TimeoutError, socket.timeout):
        raise FetchError(f"{url}: no answer within {timeout:g} s (are you offline? or save the page as HTML "
                         "and import the file)") from None
    except (http.client.HTTPException, OSError) as exc:
        raise FetchError(f"{url}: the connection failed ({_one_line(exc)}; are you offline?)") from None


def _reason(reason, timeout: float) -> str:
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return f"no answer within {timeout:g} s (are you offline? or save the page as HTML and import the file)"
    if isinstance(reason, socket.gaierror):
        return "cannot find that host (are you offline, or is the address misspelt?)"
    if isinstance(reason, ConnectionRefusedError):
        return "the connection was refused (is the address right? are you offline?)"
    return f"cannot connect ({_one_line(reason)}; are you offline?)"


def _one_line(value) -> str:
    return " ".join(str(value).split()) or type(value).__name__
