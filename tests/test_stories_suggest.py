"""Story suggestions (`briefings stories suggest`): the quality of the method on the labelled
set (tests/fixtures/stories/labelled.yml) and on the sample desk (content/), the JSON contract,
--apply writing one line per article and one entry in stories.yml and nothing else, and its
errors."""

from __future__ import annotations

import json
import sys
from itertools import combinations

import pytest
import yaml
from conftest import REPO, Site, copy_sample, run_cli, tree_hash

from briefings.authoring.stories import suggest_stories

sys.path.insert(0, str(REPO / "benchmarks"))
import stories_eval

ITEMS = stories_eval.load_items()


@pytest.mark.parametrize("split", ["holdout", "all"])
def test_suggestions_meet_the_targets_on_the_labelled_set(split):
    """F1 >= 0.85 with precision >= 0.9, on the held-out half (never used to tune) and on all."""
    groups = suggest_stories([i.article for i in ITEMS], include_confirmed=True)
    scores = stories_eval.score(ITEMS, groups, split)
    assert scores.precision >= 0.9, scores.wrong
    assert scores.f1 >= 0.85, scores.missed


def test_suggest_all_meets_the_targets_on_the_sample_desk(tmp_path):
    """The sample's articles are written as a curator writes them (key points and why-it-matters
    that name the event before or after): F1 >= 0.85 with precision >= 0.9 against its confirmed
    stories, pair by pair. Without the fade, Pelosi's visit and the channels China cut three days
    later were one group, and Lai's inauguration and the drills after it another (precision 0.61)."""
    root = copy_sample(tmp_path / "sample")
    result = run_cli("stories", "suggest", "--all", "--format", "json", "--project", str(root))
    assert result.exit_code == 0, result.output
    group_of = {path: g["id"] for g in json.loads(result.stdout) for path in g["articles"]}
    story_of = {i.article.path: i.event for i in stories_eval.load_sample(root)}
    assert len(story_of) >= 80 and len(set(story_of.values())) >= 12
    together = {(a, b): a in group_of and group_of[a] == group_of.get(b) for a, b in combinations(sorted(story_of), 2)}
    same = {pair: story_of[pair[0]] == story_of[pair[1]] for pair in together}
    tp = sum(together[p] and same[p] for p in together)
    wrong = [p for p in together if together[p] and not same[p]]
    missed = [p for p in together if same[p] and not together[p]]
    precision, recall = tp / (tp + len(wrong)), tp / (tp + len(missed))
    assert precision >= 0.9, wrong[:10]
    assert 2 * precision * recall / (precision + recall) >= 0.85, missed[:10]


def test_the_labelled_set_is_as_described():
    assert len(ITEMS) >= 80
    assert len({i.event for i in ITEMS}) >= 15
    assert {i.split for i in ITEMS} == {"tune", "holdout"}


NEAR_MISSES = [
    ("pelosi-visit-2022", "channels-suspended-2022"),  # two days apart, both about the Speaker's visit
    ("pelosi-visit-2022", "pla-drills-2022"),
    ("woodside-2023", "xi-business-dinner-2023"),  # the same evening, Xi in both
    ("lai-inauguration-2024", "joint-sword-2024a"),  # three days apart, Lai in both
    ("taiwan-election-2024", "nauru-switch-2024"),
    ("sullivan-wang-bangkok-2024", "cnwg-beijing-2024"),
    ("biden-xi-lima-2024", "trilateral-lima-2024"),  # Lima, a day apart, Biden in both
    ("biden-xi-lima-2024", "xi-ishiba-lima-2024"),  # Lima, a day apart, Xi in both
]


@pytest.mark.parametrize("events", NEAR_MISSES, ids="/".join)
def test_near_misses_within_days_are_kept_apart(events):
    """(Not yet: Biden with Ishiba and Yoon, and Xi with Ishiba, on the same day in Lima: one
    group. See docs/src/workflow.md.)"""
    groups = suggest_stories([i.article for i in ITEMS], include_confirmed=True)
    event_of = {i.article.path: i.event for i in ITEMS}
    both = [g.id for g in groups if set(events) <= {event_of[a.path] for a in g.articles}]
    assert not both
    assert all(any(e in {event_of[a.path] for a in g.articles} for g in groups) for e in events), "each is suggested"


# A desk made of the labelled set's articles of August 2022 (the Speaker's visit, the
# channels China cut, the PLA's drills) and November 2024 (Lima).
PERIODS = ("2022-08", "2024-11")


def make_desk(site: Site, *, crlf: bool = False) -> dict[str, str]:
    """One article file per labelled item of PERIODS; returns path -> event."""
    events = {}
    for item in ITEMS:
        a = item.article
        if not str(a.date).startswith(PERIODS):
            continue
        front = {"title": a.title, "date": a.date.isoformat(), "source": a.source, "topics": ["taiwan"]}
        front["summary"] = a.summary
        text = "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\nOur note.\n"
        rel = f"content/articles/{item.id}.md"
        (site.root / rel).write_bytes(text.replace("\n", "\r\n").encode() if crlf else text.encode())
        events[rel] = item.event
    return events


def suggestions(site: Site, *args: str) -> list[dict]:
    result = site.run("stories", "suggest", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_json_lists_groups_of_two_or_more_with_exactly_the_contract_keys(site):
    events = make_desk(site)
    groups = suggestions(site)
    assert groups, "the desk has several articles per event"
    for group in groups:
        assert set(group) == {"id", "articles", "shared_terms", "similarity"}
        assert isinstance(group["id"], str) and group["id"]
        assert len(group["articles"]) >= 2
        assert all(path in events and (site.root / path).is_file() for path in group["articles"])
        assert group["shared_terms"] and all(isinstance(t, str) for t in group["shared_terms"])
        assert isinstance(group["similarity"], float) and 0 < group["similarity"] <= 1
    assert len({g["id"] for g in groups}) == len(groups)
    assert suggestions(site) == groups, "the same desk gives the same groups and ids"
    visit = next(g for g in groups if g["id"].startswith("pelosi-"))
    assert {events[p] for p in visit["articles"]} == {"pelosi-visit-2022"}


def test_text_output_explains_each_group(site):
    make_desk(site)
    result = site.run("stories", "suggest")
    assert result.exit_code == 0, result.output
    first = suggestions(site)[0]
    assert f"\n{first['id']}  {len(first['articles'])} articles" in result.output
    assert f"shares: {', '.join(first['shared_terms'])} (similarity {first['similarity']:.2f})" in result.output
    assert "--apply ID" in result.output


@pytest.mark.parametrize("crlf", [False, True])
def test_apply_inserts_one_line_per_article_and_appends_one_entry(site, crlf):
    make_desk(site, crlf=crlf)
    stories_yml = site.root / "content/stories.yml"
    before = {p: p.read_bytes() for p in (site.root / "content/articles").glob("*.md")}
    groups = suggestions(site)
    chosen = groups[-1]
    result = site.run("stories", "suggest", "--apply", chosen["id"])
    assert result.exit_code == 0, result.output
    nl = b"\r\n" if crlf else b"\n"
    for path, old in before.items():
        new = path.read_bytes()
        rel = f"content/articles/{path.name}"
        if rel in chosen["articles"]:
            head, sep, rest = old.partition(nl + b"---" + nl)
            assert new == head + nl + f"story: {chosen['id']}".encode() + sep + rest
        else:
            assert new == old
    entries = yaml.safe_load(stories_yml.read_text("utf-8"))
    assert [e["id"] for e in entries] == [chosen["id"]]
    assert entries[0]["title"] in {yaml.safe_load(p.read_text("utf-8").split("---")[1])["title"] for p in before}
    assert site.run("check").exit_code == 0
    # The confirmed articles are no longer suggested; the others keep their ids.
    after = suggestions(site)
    assert chosen["id"] not in {g["id"] for g in after}
    assert [g for g in groups if g["id"] != chosen["id"]] == after
    # A second story: stories.yml keeps its bytes and gains the entry at the end.
    kept = stories_yml.read_bytes()
    assert site.run("stories", "suggest", "--apply", after[0]["id"]).exit_code == 0
    assert stories_yml.read_bytes().startswith(kept)
    assert site.run("check").exit_code == 0


def test_apply_reads_files_as_check_does(site):
    """What `check` takes, --apply takes too, never with a traceback: a stories.yml of "[]"
    (no stories yet), a closing line with trailing spaces and a rule in the body, a byte-order
    mark and a blank first line, and an article that is a link to the curator's real file
    (written through; the link stays a link)."""
    make_desk(site)
    (site.root / "content/stories.yml").write_text("# Our stories\n[]\n", "utf-8")
    assert site.run("check").exit_code == 0
    chosen = suggestions(site)[0]
    first, second, *_ = sorted(site.root / path for path in chosen["articles"])
    text = first.read_text("utf-8")
    first.write_text(text.replace("---\nOur note.", "---   \nOur note.\n\n---\n\nA rule above.", 1), "utf-8")
    second.write_bytes(b"\xef\xbb\xbf\n" + second.read_bytes())
    real = site.root / "content/kept" / second.name  # links stay within content/
    real.parent.mkdir()
    second.rename(real)
    second.symlink_to(real)
    checked = site.run("check")
    assert checked.exit_code == 0, checked.output
    result = site.run("stories", "suggest", "--apply", chosen["id"])
    assert result.exit_code == 0, result.output
    assert f"story: {chosen['id']}\n---   \nOur note." in first.read_text("utf-8")
    assert second.is_symlink() and f"story: {chosen['id']}\n---\nOur note." in real.read_text("utf-8-sig")
    assert (site.root / "content/stories.yml").read_text("utf-8").startswith("# Our stories\n- id: ")
    assert [e["id"] for e in yaml.safe_load((site.root / "content/stories.yml").read_text("utf-8"))] == [chosen["id"]]
    assert site.run("check").exit_code == 0


def test_apply_takes_several_ids(site):
    make_desk(site)
    groups = suggestions(site)
    args = [x for g in groups[:2] for x in ("--apply", g["id"])]
    assert site.run("stories", "suggest", *args).exit_code == 0
    assert [e["id"] for e in yaml.safe_load((site.root / "content/stories.yml").read_text("utf-8"))] == sorted(
        [g["id"] for g in groups[:2]], key=[g["id"] for g in groups[:2]].index
    )


def test_an_unknown_id_is_refused_and_nothing_is_written(site):
    make_desk(site)
    before = tree_hash(site.root)
    result = site.run("stories", "suggest", "--apply", "no-such-story")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: --apply: 'no-such-story' is not a current suggestion (run `briefings stories suggest` "
        "and copy an id it prints; nothing written)"
    )
    assert tree_hash(site.root) == before


def test_an_article_already_in_a_story_is_refused_and_nothing_is_written(site):
    make_desk(site)
    first = suggestions(site)[0]
    assert site.run("stories", "suggest", "--apply", first["id"]).exit_code == 0
    before = tree_hash(site.root)
    again = next(g for g in suggestions(site, "--all") if set(first["articles"]) & set(g["articles"]))
    result = site.run("stories", "suggest", "--all", "--apply", again["id"])
    assert result.exit_code == 1
    assert "already in story" in result.stderr and result.stderr.count("\n") == 1
    assert tree_hash(site.root) == before


def test_a_read_only_article_is_refused_and_nothing_is_written(site):
    make_desk(site)
    group = suggestions(site)[0]
    last = site.root / group["articles"][-1]
    last.chmod(0o444)
    before = tree_hash(site.root)
    result = site.run("stories", "suggest", "--apply", group["id"])
    assert result.exit_code == 1
    assert (
        result.stderr.strip()
        == f"Error: {group['articles'][-1]}: read-only (make it writable, then run again; nothing written)"
    )
    assert tree_hash(site.root) == before


@pytest.mark.parametrize("window", ["0", "61", "three"])
def test_a_bad_window_is_a_usage_error(site, window):
    result = site.run("stories", "suggest", "--window", window)
    assert result.exit_code == 2
    assert "--window" in result.stderr


def test_all_includes_confirmed_articles_and_a_desk_without_pairs_has_no_suggestion(site):
    make_desk(site)
    first = suggestions(site)[0]
    assert site.run("stories", "suggest", "--apply", first["id"]).exit_code == 0
    assert first["id"] in {g["id"] for g in suggestions(site, "--all")}
    lone = Site(site.root.parent / "lone")
    lone.article("one.md", "title: One\ndate: 2024-01-13\nsource: Briefings desk\ntopics: [taiwan]\n")
    assert suggestions(lone) == []
    assert "No suggestions among 1 articles not in a story" in lone.run("stories", "suggest").output
