"""Drafts never block: a problem in a draft leaves the draft out of a build of the
published articles, with a warning, instead of failing the whole site.

`briefings check`, `build --drafts` and `serve` (tests/test_serve.py) still refuse
it. Each test writes real files and runs the real CLI.
"""

from __future__ import annotations

import subprocess

import pytest
from conftest import VALID, tree_hash

FEEDS = "Warning: feeds: no site address"

DATE_HELP = "(expected YYYY-MM-DD or an ISO 8601 date-time with offset, e.g. 2023-11-15T09:30:00-05:00)"
LEFT_OUT = "(a draft: left out of the site)"
BROKEN_DRAFT = """\
title: Work in progress
date: 2024-02-30
source: Desk
topics: [taiwn]
draft: true
"""
DRAFT_PROBLEMS = [
    f"content/articles/2024/wip.md:3: date: '2024-02-30' is not a real calendar date {DATE_HELP}",
    "content/articles/2024/wip.md:5: topics: unknown topic 'taiwn' (did you mean 'taiwan'? "
    "expected one of the ids in content/topics.yml: fentanyl, taiwan, us-china)",
]


def warnings(result) -> list[str]:
    """The build's warnings but the one every build of a desk without site_url gives (feeds_warning)."""
    return [line for line in result.stderr.splitlines() if line.startswith("Warning: ") and FEEDS not in line]


@pytest.fixture
def desk(site):
    site.article("2024/vote.md", VALID)
    site.article("2024/wip.md", BROKEN_DRAFT)
    return site


def test_a_broken_draft_is_left_out_with_a_warning_and_the_site_builds(desk):
    before = tree_hash(desk.root / "content")
    result = desk.run("build")
    assert result.exit_code == 0, result.output
    assert warnings(result) == [f"Warning: {p} {LEFT_OUT}" for p in DRAFT_PROBLEMS]
    assert "1 articles (1 draft with problems left out)" in result.stdout
    assert (desk.root / "site/articles/vote/index.html").is_file()
    assert not (desk.root / "site/articles/wip").exists()
    assert tree_hash(desk.root / "content") == before

    again = desk.run("build")  # nothing changed: nothing to do, and the warnings again
    assert again.exit_code == 0, again.output
    assert "(already up to date)" in again.stdout
    assert warnings(again) == warnings(result)


def test_check_and_build_with_drafts_still_refuse_it(desk):
    check = desk.run("check")
    assert check.exit_code == 1
    assert check.stderr.splitlines()[:-1] == DRAFT_PROBLEMS
    with_drafts = desk.run("build", "--drafts")
    assert with_drafts.exit_code == 1
    assert with_drafts.stderr.splitlines()[:-1] == DRAFT_PROBLEMS
    assert not (desk.root / "site").exists()


def test_a_broken_article_that_is_not_a_draft_still_fails_the_build(desk):
    desk.article("2024/vote.md", VALID.replace("2024-01-13", "2024-13-01"))
    result = desk.run("build")
    assert result.exit_code == 1
    assert warnings(result) == [f"Warning: {p} {LEFT_OUT}" for p in DRAFT_PROBLEMS]  # told too
    assert "content/articles/2024/vote.md:3: date: '2024-13-01' is not a real calendar date" in result.stderr
    assert result.stderr.splitlines()[-1] == "Error: 1 problem found; nothing was built."
    assert not (desk.root / "site").exists()


@pytest.mark.parametrize(
    "front, problem",
    [
        ("title: WIP\ndate: 2024-01-14\ntopics: [taiwan]\ndraft: true\n", "2: source: is missing"),
        (
            "title: WIP\ndate: 2024-01-14\nsource: Desk\ntopics: [taiwan]\ndraft: true\nsumary: x\n",
            "7: sumary: unknown",
        ),
        ("title: WIP\ndate: 2024-01-14\nsource: Desk\ntopics: []\ndraft: true\n", "5: topics: is empty"),
    ],
)
def test_any_problem_of_a_readable_draft_leaves_it_out(site, front, problem):
    site.article("2024/vote.md", VALID)
    site.article("2024/wip.md", front)
    result = site.run("build")
    assert result.exit_code == 0, result.output
    [warning] = warnings(result)
    assert warning.startswith(f"Warning: content/articles/2024/wip.md:{problem}") and warning.endswith(LEFT_OUT)


@pytest.mark.parametrize(
    "text, problem",
    [
        ("title: [unclosed\ndraft: true\n", "wip.md:3: front matter: YAML syntax error"),
        ("title: WIP\ndraft: true\ndraft: true\n", "wip.md:4: draft: is given twice"),
        ("title: WIP\ndate: 2024-01-14\nsource: Desk\ntopics: [taiwan]\ndraft: yes\n", "wip.md:6: draft:"),
    ],
)
def test_a_file_that_cannot_be_read_as_a_draft_still_fails_the_build(site, text, problem):
    """Only front matter that YAML reads can say draft: true (and `yes` is not true)."""
    site.article("2024/vote.md", VALID)
    site.write("content/articles/2024/wip.md", f"---\n{text}---\n")
    result = site.run("build")
    assert result.exit_code == 1
    assert warnings(result) == []
    assert f"content/articles/2024/{problem}" in result.stderr


def test_a_draft_that_clashes_with_a_published_article_is_the_one_left_out(site):
    """Same slug, same url, two names for one person page: the published article keeps
    them, whichever file comes first, and the draft is told."""
    site.article("2024/vote.md", VALID + "url: https://example.org/vote\npeople: [汪毅]\n")
    site.article("2024/a-copy.md", VALID + "slug: vote\nurl: https://example.org/vote\npeople: [王毅]\ndraft: true\n")
    result = site.run("build")
    assert result.exit_code == 0, result.output
    assert warnings(result) == [
        "Warning: content/articles/2024/a-copy.md:1: slug: 'vote' is already used by content/articles/2024/vote.md "
        f"(expected a unique slug: rename one file or give it a slug: field) {LEFT_OUT}",
        "Warning: content/articles/2024/a-copy.md:1: url: 'https://example.org/vote' is already the url of "
        f"content/articles/2024/vote.md (expected each original article once: merge the two files) {LEFT_OUT}",
        "Warning: content/articles/2024/a-copy.md:8: people: '王毅' and '汪毅' (content/articles/2024/vote.md:7) "
        "would share the page people/wang-yi/ (expected one page per person: if they are one person, list one "
        "as an alias of the other in content/people.yml; if not, give one of them a slug: there) "
        f"{LEFT_OUT}",
    ]
    assert "汪毅" in (site.root / "site/people/wang-yi/index.html").read_text("utf-8")
    check = site.run("check")
    assert check.exit_code == 1
    assert [line.split(":")[0] for line in check.stderr.splitlines()[:-1]] == ["content/articles/2024/a-copy.md"] * 3


def test_two_drafts_that_clash_leave_the_second_out(site):
    site.article("2024/vote.md", VALID)
    site.article("2024/a.md", VALID.replace("A valid", "First") + "slug: plan\ndraft: true\n")
    site.article("2024/b.md", VALID.replace("A valid", "Second") + "slug: plan\ndraft: true\n")
    result = site.run("build")
    assert result.exit_code == 0, result.output
    [warning] = warnings(result)
    assert warning.startswith("Warning: content/articles/2024/b.md:1: slug: 'plan' is already used by ")


def test_a_published_article_that_links_to_a_broken_draft_fails_the_build(desk):
    """The link would lead nowhere on the published site: that is the published article's
    problem, and it says why (as a link to a draft without problems fails the link check)."""
    desk.article("2024/vote.md", VALID, body="Background: [the draft](wip.md).\n")
    result = desk.run("build")
    assert result.exit_code == 1
    assert warnings(result) == [f"Warning: {p} {LEFT_OUT}" for p in DRAFT_PROBLEMS]
    assert result.stderr.splitlines()[-2:] == [
        "content/articles/2024/vote.md:7: body: links to 'wip.md', a draft left out of this build for its "
        "problems (fix the draft, or remove the link)",
        "Error: 1 problem found; nothing was built.",
    ]


def test_a_draft_with_a_broken_link_is_left_out_in_every_build(site):
    """Links of drafts are checked in every build, so the warning comes back even when the
    pages are current; a draft that links to that draft is left out as well."""
    site.article("2024/vote.md", VALID)
    site.article("2024/one.md", VALID.replace("A valid", "One") + "draft: true\n", body="See [x](gone.md).\n")
    site.article("2024/two.md", VALID.replace("A valid", "Two") + "draft: true\n", body="See [one](one.md).\n")
    expected = [
        "Warning: content/articles/2024/one.md:8: body: links to 'gone.md', which is not an article file "
        "(expected the path of another article, relative to this file, e.g. ../2024/2024-01-13-slug.md) "
        f"{LEFT_OUT}",
        "Warning: content/articles/2024/two.md:8: body: links to 'one.md', a draft left out of this build for "
        f"its problems (fix the draft, or remove the link) {LEFT_OUT}",
    ]
    for _ in range(2):
        result = site.run("build")
        assert result.exit_code == 0, result.output
        assert warnings(result) == expected
    assert "(already up to date)" in result.stdout
    assert site.run("build", "--drafts").exit_code == 1


def test_fixing_a_draft_brings_it_back(desk):
    """The parsed-article cache and the pages' fingerprint follow the draft through broken and fixed."""
    assert desk.run("build").exit_code == 0
    desk.article("2024/wip.md", BROKEN_DRAFT.replace("2024-02-30", "2024-02-03").replace("taiwn", "taiwan"))
    result = desk.run("build", "--drafts")
    assert result.exit_code == 0, result.output
    assert warnings(result) == []
    assert (desk.root / "site/articles/wip/index.html").is_file()
    desk.article("2024/wip.md", BROKEN_DRAFT)
    result = desk.run("build")
    assert result.exit_code == 0, result.output
    assert len(warnings(result)) == 2
    assert not (desk.root / "site/articles/wip").exists()


def git(cwd, *args) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


@pytest.mark.slow
def test_deploy_leaves_a_broken_draft_out_too(desk, tmp_path):
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    git(desk.root, "init", "--quiet")
    git(desk.root, "config", "user.name", "Desk Editor")
    git(desk.root, "config", "user.email", "desk@example.org")
    (desk.root / ".gitignore").write_text("/build/\n/site/\n")
    git(desk.root, "add", ".")
    git(desk.root, "commit", "--quiet", "-m", "Desk")
    git(desk.root, "remote", "add", "origin", str(remote))
    result = desk.run("deploy", "--dry-run")
    assert result.exit_code == 0, result.output
    assert warnings(result) == [f"Warning: {p} {LEFT_OUT}" for p in DRAFT_PROBLEMS]
    assert "Dry run: would push" in result.stdout
