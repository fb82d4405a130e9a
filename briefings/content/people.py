"""Who is who: one Person for every way a curator writes a name.

content/people.yml (optional) gives names, aliases, descriptions and, when
needed, a page name (slug): "Xi" and "Xi Jinping" are one person. Names not
listed there become a person of their own. Two names are one person when they
are the same after case folding and collapsing spaces and punctuation, so
"Lai Ching-te" and "lai ching te" still match; two *different* names whose
slugs are equal (王毅 and 汪毅 both give wang-yi) are refused by the loader,
never merged here.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

from slugify import slugify

from briefings.content.model import Person

_TRAILING = re.compile(r"[\s,;:.()\[\]'\"“”‘’]+$")
MAX_NAME_WORDS = 6


@functools.lru_cache(maxsize=65536)  # a few hundred names, written tens of thousands of times
def name_key(name: str) -> str:
    """What makes two ways of writing a name the same name: Unicode-normalised,
    case-folded, with runs of spaces and punctuation as one space."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    words = "".join(" " if ch.isspace() or unicodedata.category(ch)[0] in "PZ" else ch for ch in folded).split()
    return " ".join(words) or " ".join(folded.split())  # a name of punctuation only is still itself


@functools.lru_cache(maxsize=65536)
def person_slug(name: str) -> str:
    """The page name a name gets. A name with nothing to transliterate ("🙂")
    gets a stable one from its hash, so its page and links still work."""
    return slugify(name) or "person-" + hashlib.sha256(name_key(name).encode("utf-8")).hexdigest()[:8]


class PeopleIndex:
    def __init__(self, people: tuple[Person, ...] = ()):
        self._by_key: dict[str, Person] = {}
        self._by_slug: dict[str, Person] = {}
        for person in people:
            self._by_slug[person.slug] = person
            for name in (person.name, *person.aliases):
                self._by_key.setdefault(name_key(name), person)

    def find(self, name: str) -> Person | None:
        """The person a name or alias already refers to."""
        return self._by_key.get(name_key(name))

    def with_slug(self, slug: str) -> Person | None:
        return self._by_slug.get(slug)

    def resolve(self, name: str) -> Person:
        """The person a name (or alias) refers to; a new person for an unknown name."""
        known = self.find(name)
        if known:
            return known
        slug = person_slug(name)
        # The loader refuses two different names with one slug; should one get here, it shares
        # the page rather than writing it twice.
        person = self._by_slug.get(slug) or Person(slug=slug, name=" ".join(name.split()))
        self._by_slug[slug] = person
        self._by_key[name_key(name)] = person
        return person

    def speaker(self, text: str) -> Person | None:
        """The known person a quote's speaker line starts with, e.g.
        'Xi Jinping (as reported)' -> Xi Jinping. Longest name wins."""
        words = text.split()
        for n in range(min(len(words), MAX_NAME_WORDS), 0, -1):
            candidate = _TRAILING.sub("", " ".join(words[:n]))
            person = self._by_key.get(name_key(candidate))
            if person:
                return person
        return None
