"""content/outlets.yml: who published each article.

An article's outlet is the entry whose name or alias its ``source:`` is (case and
punctuation aside), else the one owning its url's domain: a URL on a subdomain
(www., uk., news.) belongs to the domain, and the longest listed domain wins, so
news.yahoo.com and uk.news.yahoo.com can be two outlets. ``source: Briefings desk``
marks our own notes: never an outlet, never unknown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from slugify import slugify

from briefings.content.entries import read_entries
from briefings.content.fields import (
    SHORT_TEXT,
    FieldError,
    did_you_mean,
    required_short_text,
    short_text,
    slug,
    text,
    text_list,
    type_name,
)
from briefings.content.model import OUTLET_TYPES, Article, Outlet
from briefings.content.people import name_key
from briefings.errors import Problem

OUTLETS_FILE = "content/outlets.yml"
DESK_SOURCE = "Briefings desk"  # the source: of our own notes (briefings new's default)
REQUIRED = ("id", "name", "domains", "country", "type", "language")
# A host name: labels of letters, digits and inner hyphens, a dot between, a top-level
# domain of letters (or an IDN's xn--). Lowercase only: that is how URLs are compared.
_DOMAIN = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$")
# BCP 47's shape: a language (en, zho), then subtags such as a script (Hant) or region (TW, 419).
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")


def domain(value: Any) -> str:
    raw = required_short_text(value)
    if "://" in raw or "/" in raw:
        host = urlsplit(raw if "://" in raw else "//" + raw).hostname or "example.com"
        raise FieldError(f"{raw!r} is not a domain (expected the host name alone, e.g. {host}: no scheme or path)")
    if raw != raw.lower():
        raise FieldError(f"{raw!r} has capitals (expected it in lowercase: {raw.lower()})")
    if raw.startswith("www."):
        raise FieldError(f"{raw!r} starts with www. (expected {raw[4:]}: its subdomains, www. too, match it)")
    if not _DOMAIN.match(raw):
        try:
            ascii_form = raw.encode("idna").decode("ascii")
        except UnicodeError:
            ascii_form = ""
        hint = f"write it as {ascii_form}" if ascii_form and ascii_form != raw else "e.g. reuters.com"
        raise FieldError(f"{raw!r} is not a domain name (expected letters, digits, hyphens and dots: {hint})")
    return raw


def domains(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        raise FieldError(f"expected a list of domains, e.g. [{value.strip() or 'reuters.com'}] (got text)")
    if not isinstance(value, list) or not value:
        raise FieldError(f"expected a list of one or more domains, e.g. [reuters.com] (got {type_name(value)})")
    found: list[str] = []
    for i, item in enumerate(value):
        try:
            host = domain(item)
        except FieldError as exc:
            raise FieldError(f"item {i + 1} {exc.message}", (i,)) from None
        if host in found:
            raise FieldError(f"item {i + 1} {host!r} is listed twice (expected each domain once)", (i,))
        found.append(host)
    return tuple(found)


def outlet_type(value: Any) -> str:
    raw = " ".join(required_short_text(value).split()).casefold()
    if raw not in OUTLET_TYPES:
        hint = did_you_mean(raw, OUTLET_TYPES)
        raise FieldError(
            f"unknown type {raw!r} ({hint + ' ' if hint else ''}expected one of: {', '.join(OUTLET_TYPES)})"
        )
    return raw


def language(value: Any) -> str:
    raw = required_short_text(value)
    if not _LANGUAGE.match(raw):
        raise FieldError(f"{raw!r} is not a language tag (expected a BCP 47 tag such as en, zh, zh-Hant or pt-BR)")
    return raw


PARSERS = {
    "id": lambda v: slug(v, "id", "reuters"),
    "name": required_short_text,
    "aliases": lambda v: text_list(v, "names", SHORT_TEXT),
    "domains": domains,
    "country": required_short_text,
    "type": outlet_type,
    "language": language,
    "owner": short_text,
    "note": text,
}


def load_outlets(root: Path, problems: list[Problem]) -> list[Outlet]:
    """content/outlets.yml is optional; ids, names and aliases, and domains are each unique."""
    rel = OUTLETS_FILE
    outlets: list[Outlet] = []
    ids: dict[str, int] = {}
    names: dict[str, tuple[str, int]] = {name_key(DESK_SOURCE): (DESK_SOURCE, 0)}
    hosts: dict[str, tuple[str, int]] = {}
    for entry in read_entries(root, rel, "outlets", PARSERS, REQUIRED, problems):
        v, where = entry.values, entry.where
        before = len(problems)
        if v["id"] in ids:
            problems.append(
                Problem(
                    rel,
                    entry.line_of("id"),
                    f"{where}.id",
                    f"{v['id']!r} is already used by the outlet on line {ids[v['id']]} (expected unique ids)",
                )
            )
        for j, name in enumerate((v["name"], *v.get("aliases", ()))):
            key, at = name_key(name), entry.line_of(*(("name",) if j == 0 else ("aliases", j - 1)))
            field = f"{where}.{'name' if j == 0 else 'aliases'}"
            if key in names and (names[key][1] == 0 or names[key][0] != v["name"]):
                other, other_line = names[key]
                why = (
                    "is how our own notes are marked (expected an outlet's name)"
                    if other_line == 0
                    else f"already names {other} on line {other_line} (expected each name or alias once)"
                )
                problems.append(Problem(rel, at, field, f"{name!r} {why}"))
            names.setdefault(key, (v["name"], at))
        for j, host in enumerate(v["domains"]):
            at = entry.line_of("domains", j)
            if host in hosts:
                other, other_line = hosts[host]
                problems.append(
                    Problem(
                        rel,
                        at,
                        f"{where}.domains",
                        f"{host!r} is already a domain of {other} on line {other_line} (expected each domain once)",
                    )
                )
            hosts.setdefault(host, (v["name"], at))
        ids.setdefault(v["id"], entry.line_of("id"))
        if len(problems) == before:
            outlets.append(
                Outlet(
                    id=v["id"],
                    name=v["name"],
                    domains=v["domains"],
                    country=v["country"],
                    type=v["type"],
                    language=v["language"],
                    aliases=v.get("aliases", ()),
                    owner=v.get("owner", ""),
                    note=v.get("note", ""),
                )
            )
    return outlets


def is_desk(source: str) -> bool:
    """Our own notes (source: Briefings desk) have no outlet."""
    return name_key(source) == name_key(DESK_SOURCE)


def host_of(url: str) -> str:
    """The host of a URL, lowercase, without port, final dot or www. ("" if none)."""
    try:
        host = (urlsplit(url).hostname or "").rstrip(".")
    except ValueError:  # a bad port or bracket: no host to match
        return ""
    if host and not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return host
    return host[4:] if host.startswith("www.") else host


class OutletIndex:
    """Finds an article's outlet by source: name or alias, else by its url's domain."""

    def __init__(self, outlets: Iterable[Outlet] = ()):
        self.outlets = tuple(outlets)
        self._by_name: dict[str, Outlet] = {}
        self._by_domain: dict[str, Outlet] = {}
        for outlet in self.outlets:
            for name in (outlet.name, *outlet.aliases):
                self._by_name.setdefault(name_key(name), outlet)
            for host in outlet.domains:
                self._by_domain.setdefault(host, outlet)

    def by_source(self, source: str) -> Outlet | None:
        return self._by_name.get(name_key(source))

    def by_url(self, url: str) -> Outlet | None:
        """The outlet of the longest listed domain the URL's host is or is under."""
        host = host_of(url)
        while host:
            if host in self._by_domain:
                return self._by_domain[host]
            host = host.partition(".")[2]
        return None

    def outlet_of(self, article: Article) -> Outlet | None:
        if is_desk(article.source):
            return None
        return self.by_source(article.source) or (self.by_url(article.url) if article.url else None)


@dataclass(frozen=True)
class UnknownOutlet:
    """A source: (by name) that no entry of outlets.yml matches, by name or by url."""

    source: str  # as the first article (by path) writes it
    domains: tuple[str, ...]  # of its articles' urls, most used first
    articles: tuple[Article, ...]  # by path

    def suggestion(self) -> str:
        """The entry to add, with what the articles tell and ? for the rest."""
        found = self.domains[0] if self.domains else "?"
        return (
            f"- {{id: {slugify(self.source) or '?'}, name: {_flow(self.source)}, domains: [{found}], "
            "country: ?, type: ?, language: ?}"
        )

    def warning(self) -> str:
        first, more = self.articles[0], len(self.articles) - 1
        others = f" (and {more} more article{'s' if more != 1 else ''})" if more else ""
        how = f", by name or by domain ({', '.join(self.domains)})" if self.domains else " by name (and it has no url)"
        return (
            f"{first.path}{others}: source: {self.source!r} matches no outlet in {OUTLETS_FILE}{how} "
            f"(add to {OUTLETS_FILE}, filling in each ?: {self.suggestion()})"
        )


def _flow(name: str) -> str:
    """A name as a value in a YAML flow mapping: quoted when plain YAML would misread it."""
    if re.fullmatch(r"[A-Za-z0-9][\w .'&()-]*", name) and ": " not in name and not name.endswith(":"):
        return name
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def outlet_warnings(root: Path, articles: Iterable[Article]) -> list[str]:
    """`briefings check`'s warnings: one per unknown outlet, once the desk keeps an
    outlets.yml (a desk without one works as before, with no warning)."""
    if not (root / OUTLETS_FILE).exists():
        return []
    return [unknown.warning() for unknown in unknown_outlets(articles)]


def unknown_outlets(articles: Iterable[Article]) -> list[UnknownOutlet]:
    """Each source: with no outlet (our own notes aside), with its articles; by name."""
    groups: dict[str, list[Article]] = {}
    for article in sorted(articles, key=lambda a: a.path):
        if article.outlet is None and not is_desk(article.source):
            groups.setdefault(name_key(article.source), []).append(article)
    unknown = []
    for members in groups.values():
        counts: dict[str, int] = {}
        for article in members:
            if host := host_of(article.url):
                counts[host] = counts.get(host, 0) + 1
        hosts = tuple(sorted(counts, key=lambda h: (-counts[h], h)))
        unknown.append(UnknownOutlet(members[0].source, hosts, tuple(members)))
    return sorted(unknown, key=lambda u: (u.source.casefold(), u.source))
