"""Site settings the render stage needs, read from mkdocs.yml.

MkDocs' own YAML loader is used so !ENV tags and INHERIT behave as in MkDocs.
Briefings' own options live under ``extra.briefings`` (templates can read them
too, as ``config.extra.briefings``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from briefings.errors import ProjectError
from briefings.project import Project

DEFAULTS: dict[str, int | bool | str] = {
    "archive_after": 50,  # a topic, the timeline or a person with more shows the newest and links month archives
    "latest": 5,  # items in a topic's "latest developments"
    "quotes": 6,  # quote cards on a topic page
    "related": 5,  # related articles on an article page
    "max_file_mb": 5,  # larger article files are refused
    "trust_html": False,  # pass article bodies to MkDocs unsanitised
    "search": "material",  # or "pagefind": a static index fetched in small pieces, for big sites
    "search_full_text": True,  # pagefind: index article bodies too (false: a lighter index)
}

# Options that take one of a few words: the first is the default.
CHOICES: dict[str, tuple[str, ...]] = {
    "search": ("material", "pagefind"),
}


@dataclass(frozen=True)
class Settings:
    site_name: str = "Briefings"
    site_description: str = ""
    site_url: str = ""  # "" when not set; otherwise ends with "/"
    archive_after: int = DEFAULTS["archive_after"]
    latest: int = DEFAULTS["latest"]
    quotes: int = DEFAULTS["quotes"]
    related: int = DEFAULTS["related"]
    max_file_mb: int = DEFAULTS["max_file_mb"]
    trust_html: bool = DEFAULTS["trust_html"]
    search: str = DEFAULTS["search"]
    search_full_text: bool = DEFAULTS["search_full_text"]

    def absolute(self, path: str) -> str:
        """A site-root-relative path as an absolute URL, when site_url is known."""
        return self.site_url + path if self.site_url else ""


def read_settings(project: Project, *, site_url: str | None = None) -> Settings:
    from mkdocs.utils.yaml import yaml_load

    try:
        with open(project.config_file, "rb") as fd:
            data = yaml_load(fd) or {}
    except Exception as exc:  # YAML errors, INHERIT of a missing file...
        raise ProjectError(f"mkdocs.yml: cannot be read: {' '.join(str(exc).split())}") from None
    if not isinstance(data, dict):
        raise ProjectError("mkdocs.yml: expected a mapping of settings such as site_name:")
    url, what = (site_url, "base URL") if site_url is not None else (data.get("site_url") or "", "mkdocs.yml: site_url")
    options = _options(((data.get("extra") or {}).get("briefings")) or {})
    return Settings(
        site_name=str(data.get("site_name") or "Briefings"),
        site_description=str(data.get("site_description") or ""),
        site_url=site_url_of(str(url), what) if url else "",
        **options,
    )


def _options(raw: Any) -> dict[str, int | bool | str]:
    if not isinstance(raw, dict):
        raise ProjectError("mkdocs.yml: extra.briefings: expected a mapping such as {archive_after: 50}")
    options = {}
    for key, value in raw.items():
        if key not in DEFAULTS:
            raise ProjectError(f"mkdocs.yml: extra.briefings.{key}: unknown option (expected one of: {', '.join(DEFAULTS)})")
        if key in CHOICES:
            if value not in CHOICES[key]:
                raise ProjectError(f"mkdocs.yml: extra.briefings.{key}: expected one of: {', '.join(CHOICES[key])} (got {value!r})")
        elif isinstance(DEFAULTS[key], bool):
            if not isinstance(value, bool):
                raise ProjectError(f"mkdocs.yml: extra.briefings.{key}: expected true or false (got {value!r})")
        elif isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ProjectError(f"mkdocs.yml: extra.briefings.{key}: expected a whole number of at least 1 (got {value!r})")
        options[key] = value
    return options


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
            raise ProjectError(f"{what} {url!r} contains {shown} ({expected}; quotes, angle brackets, backslashes, "
                               "spaces and control characters are not allowed)")
    parts = urlsplit(url)
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
