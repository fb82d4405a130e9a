"""Lighthouse's mobile audit of the sample site: home, a topic, a story, an
article and a person score 100 for Accessibility, Best Practices and SEO. (Performance is
printed by benchmarks/lighthouse.py, never asserted: it depends on the machine.)"""

from __future__ import annotations

import sys

import pytest
from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import lighthouse

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def audits(sample_build):
    problem = lighthouse.missing()
    assert not problem, f"the Lighthouse test needs {problem}"  # fails, never skips
    root, _ = sample_build
    return lighthouse.audit_site(root / "site", lighthouse.SAMPLE_PAGES)


@pytest.mark.parametrize("page", sorted(lighthouse.SAMPLE_PAGES))
@pytest.mark.parametrize("category", ["accessibility", "best-practices", "seo"])
def test_full_marks_on_the_mobile_audit(audits, page, category):
    result = audits[page]
    failing = [line for line in result.failing if line.startswith(category)]
    assert result.scores[category] == 1, f"{page} ({result.url}): {result.scores[category]}; {failing}"


def test_every_page_was_audited_over_gzip(audits):
    # The figures the benchmark prints are worth reading only if the server compressed like GitHub Pages.
    for name, result in audits.items():
        assert 0 < result.transferred < 400_000, f"{name}: {result.transferred} bytes on a first visit"
