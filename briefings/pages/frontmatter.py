"""Writing a page: its ``FrontMatter`` view as compact JSON, then the Markdown body.

Compact JSON is YAML too (flow style), so MkDocs and Zensical read it as any
other front matter, and the C JSON encoder is ~100x faster than yaml.dump.
"""

from __future__ import annotations

import json
import re

from briefings.pages.views import FrontMatter

# A view's instance __dict__ is exactly what its template reads: a frozen
# dataclass's __init__ sets each field once, in the order declared, nothing
# else can set one, and LeavesOutUnset takes out an OMITTED field that is
# None. So the encoder takes it as it is (default=vars: no copy, no Python call
# per view), and views are trees built bottom-up: no cycle to look for.
# Compact on purpose: with indent= json falls back to its Python encoder.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=vars, check_circular=False)

# Characters YAML does not allow raw in a double-quoted scalar, or folds as line
# breaks (NEL, LS, PS): written as \u escapes, which JSON and YAML read alike.
_NOT_YAML_SAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")


def page(front: FrontMatter, body: str) -> str:
    """A generated page: the front matter, then the Markdown body."""
    text = _ENCODER.encode(front)
    if not text.isascii() or "\x7f" in text:  # two quick scans spare most pages the regex
        text = _NOT_YAML_SAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", text)
    return f"---\n{text}\n---\n\n{body}"
