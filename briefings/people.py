"""Who is who: one Person for every way a curator writes a name.

content/people.yml (optional) gives names, aliases and descriptions:
"Xi" and "Xi Jinping" are one person. Names not listed there become a person
of their own, keyed by slug, so "Lai Ching-te" and "lai ching-te" still match.
"""

from __future__ import annotations

import re

from slugify import slugify

from briefings.model import Person

_TRAILING = re.compile(r"[\s,;:.()\[\]'\"“”‘’]+$")
MAX_NAME_WORDS = 6


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


class PeopleIndex:
    def __init__(self, people: tuple[Person, ...] = ()):
        self._by_key: dict[str, Person] = {}
        self._by_slug: dict[str, Person] = {}
        for person in people:
            self._by_slug[person.slug] = person
            for name in (person.name, *person.aliases):
                self._by_key[_key(name)] = person

    def resolve(self, name: str) -> Person:
        """The person a name (or alias) refers to; a new person for an unknown name."""
        known = self._by_key.get(_key(name))
        if known:
            return known
        slug = slugify(name)
        if slug in self._by_slug:
            return self._by_slug[slug]
        person = Person(slug=slug, name=" ".join(name.split()))
        self._by_slug[slug] = person
        self._by_key[_key(name)] = person
        return person

    def speaker(self, text: str) -> Person | None:
        """The known person a quote's speaker line starts with, e.g.
        'Xi Jinping (as reported)' -> Xi Jinping. Longest name wins."""
        words = text.split()
        for n in range(min(len(words), MAX_NAME_WORDS), 0, -1):
            candidate = _TRAILING.sub("", " ".join(words[:n]))
            person = self._by_key.get(_key(candidate))
            if person:
                return person
        return None
