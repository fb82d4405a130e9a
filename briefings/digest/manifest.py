"""The edition manifest: what one build publishes, as sorted JSON (``edition.json`` at the
site's root). Stories with their articles and outlets, and for each article digests of what
readers are told (summary, key points, quotes) and its corrections, so two builds can be
compared with any JSON tool, and a mailing can say what changed since the last one."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from briefings.content.model import Article, Edition

MANIFEST = "edition.json"
VERSION = 1


def fingerprint(*texts: str) -> str:
    """A short digest of texts, each ended by a NUL so that ("ab", "c") and ("a", "bc") differ."""
    joined = "\0".join(texts) + "\0" if texts else ""
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


def article_entry(article: Article) -> dict[str, Any]:
    return {
        "slug": article.slug,
        "page": article.page_url,
        "title": article.title,
        "date": article.published.isoformat(),
        "updated": article.updated.isoformat() if article.updated else None,
        "outlet": article.outlet.id if article.outlet else None,
        "source": article.source,
        "url": article.url or None,
        "topics": list(article.topics),
        "story": article.story or None,
        "summary": fingerprint(article.summary),
        "key_points": fingerprint(*article.key_points),
        "quotes": fingerprint(*(f"{q.text}\0{q.speaker}" for q in article.quotes)),
        "quote_count": len(article.quotes),
        "corrections": [{"date": c.date.isoformat(), "text": c.text} for c in article.corrections],
    }


def manifest(edition: Edition) -> dict[str, Any]:
    """The manifest as data: every list sorted by a stable key."""
    return {
        "version": VERSION,
        "articles": sorted((article_entry(a) for a in edition.articles), key=lambda e: e["slug"]),
        "stories": sorted(
            (
                {
                    "id": s.id,
                    "page": s.url,
                    "title": s.title,
                    "articles": sorted(a.slug for a in s.articles),
                    "outlets": sorted({a.outlet.id for a in s.articles if a.outlet}),
                }
                for s in edition.stories
            ),
            key=lambda e: e["id"],
        ),
        "topics": [
            {
                "id": t.id,
                "page": t.url,
                "updated": t.updated.isoformat() if t.updated else None,
                "state_of_play": fingerprint(t.state_of_play),
            }
            for t in sorted(edition.topics, key=lambda t: t.id)
        ],
    }


def manifest_json(edition: Edition) -> str:
    """The manifest as the bytes a build writes: keys sorted, one line per article, story and
    topic, so that a diff of two editions shows each changed item as one changed line. (Written
    item by item because json.dumps with ``indent`` falls back to its Python encoder: 0.3 s at
    10,000 articles against 0.05 s.)"""
    dump = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode  # one, not one a call
    fields = []
    for key, value in sorted(manifest(edition).items()):
        if isinstance(value, list) and value:
            fields.append(f"{dump(key)}:[\n" + ",\n".join(dump(item) for item in value) + "\n]")
        else:
            fields.append(f"{dump(key)}:{dump(value)}")
    return "{\n" + ",\n".join(fields) + "\n}\n"
