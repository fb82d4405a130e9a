"""A topic's ``keywords:`` in topics.yml: which words suggest the topic, and how much each counts.

Two forms. A plain list: each keyword is enough on its own (the original form,
still valid). Or strong and weak keywords::

    keywords:
      strong: [Lai Ching-te, Taiwan Strait]  # one is enough
      weak: [Taiwan | Taipei, election]      # words many articles share
      weak_needed: 2                         # how many different weak ones it takes (default 2)

A keyword may list alternatives separated by ``|`` ("US | U.S. | United
States"): they count as one keyword. Parsing only; matching is
``briefings.authoring.suggest``'s.
"""

from __future__ import annotations

from typing import Any

from briefings.content.fields import FieldError, FieldErrors, did_you_mean, text_list, type_name

KEYWORD_KEYS = ("strong", "weak", "weak_needed")
DEFAULT_WEAK_NEEDED = 2


def alternatives(keyword: str) -> tuple[str, ...]:
    """ "US | U.S." -> ("US", "U.S."); the spellings of one keyword, as written."""
    return tuple(" ".join(part.split()) for part in keyword.split("|"))


def topic_keywords(value: Any) -> dict[str, Any]:
    """The ``keywords:`` value -> Topic fields (keywords, weak_keywords, weak_needed).

    Raises FieldErrors, each error's ``at`` the path inside the value (("weak", 2)),
    so every problem is reported at its own line."""
    if isinstance(value, list):
        return {"keywords": _keyword_list(value, ())}
    if not isinstance(value, dict):
        raise FieldErrors(
            [
                FieldError(
                    "expected a list of words or phrases, or strong: and weak: lists "
                    f"(see the content format page) (got {type_name(value)})"
                )
            ]
        )
    errors: list[FieldError] = []
    for key in value:
        if key not in KEYWORD_KEYS:
            hint = did_you_mean(str(key), KEYWORD_KEYS)
            errors.append(
                FieldError(
                    f"unknown key {key!r} ({hint + ' ' if hint else ''}expected one of: {', '.join(KEYWORD_KEYS)})",
                    (str(key),),
                )
            )
    lists: dict[str, tuple[str, ...]] = {}
    for key in ("strong", "weak"):
        try:
            lists[key] = _keyword_list(value.get(key, []), (key,))
        except FieldErrors as exc:
            errors.extend(exc.errors)
    if not errors and not lists["strong"] and not lists["weak"]:
        errors.append(FieldError("has no keywords (expected a strong: or weak: list of words or phrases)"))
    raw = value.get("weak_needed", DEFAULT_WEAK_NEEDED)
    needed = int(raw) if isinstance(raw, str) and raw.strip().isdigit() else raw  # the YAML reader keeps text
    weak = lists.get("weak", ())
    if isinstance(needed, bool) or not isinstance(needed, int) or needed < 1:
        errors.append(
            FieldError(f"expected a whole number, 1 or more (got {raw!r})", ("weak_needed",)),
        )
    elif "weak" in lists and weak and needed > len(weak):
        errors.append(
            FieldError(
                f"is {needed} but there are only {len(weak)} weak keywords, so they could never "
                "suggest the topic (expected at most that number)",
                ("weak_needed",),
            )
        )
    if errors:
        raise FieldErrors(errors)
    return {"keywords": lists["strong"], "weak_keywords": weak, "weak_needed": needed}


def _keyword_list(value: Any, at: tuple[str, ...]) -> tuple[str, ...]:
    try:
        words = text_list(value, "words or phrases")
    except FieldError as exc:
        raise FieldErrors([FieldError(exc.message, (*at, *exc.at))]) from None
    except FieldErrors as exc:
        raise FieldErrors([FieldError(e.message, (*at, *e.at)) for e in exc.errors]) from None
    errors = [
        FieldError(f"item {i + 1} {word!r} has an empty alternative (expected words between the '|')", (*at, i))
        for i, word in enumerate(words)
        if not all(alternatives(word))
    ]
    if errors:
        raise FieldErrors(errors)
    return words


def field_name(at: tuple[str | int, ...]) -> str:
    """Where an error of ``topic_keywords`` is: keywords, keywords.weak, keywords.weak_needed."""
    return "keywords" + (f".{at[0]}" if at and isinstance(at[0], str) else "")
