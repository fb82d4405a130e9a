"""Topic suggestions from topics.yml keywords: matching, strong and weak keywords, the
topics.yml syntax, what `check --suggest`, `new` and `import` print, and the quality
of the sample's keywords on a labelled set (tests/fixtures/suggest/labelled.yml)."""

from __future__ import annotations

import subprocess
import sys

import frontmatter
import pytest
import yaml
from conftest import REPO, tree_hash

from briefings.authoring.suggest import TopicMatch, TopicMatcher
from briefings.content.model import Topic

sys.path.insert(0, str(REPO / "benchmarks"))
import suggest_eval

TOPICS = [
    Topic("taiwan", "Taiwan", keywords=("Taiwan", "Lai Ching-te", "DPP")),
    Topic("us-china", "US–China", keywords=("Xi Jinping", "Xi", "military-to-military")),
    Topic("empty", "No keywords"),
]


def words(found: dict[str, TopicMatch]) -> dict[str, tuple[str, ...]]:
    return {topic_id: m.words for topic_id, m in found.items()}


def test_keywords_match_whole_words_in_any_case():
    matcher = TopicMatcher(TOPICS)
    assert words(matcher.match("Voters in TAIWAN's south")) == {"taiwan": ("Taiwan",)}
    assert words(matcher.match("Voters in taiwan’s south")) == {"taiwan": ("Taiwan",)}  # a curly apostrophe
    assert matcher.match("Taiwanese companies and the DPPX index") == {}


def test_a_keyword_in_capitals_is_an_acronym_and_matches_only_in_capitals():
    matcher = TopicMatcher([Topic("us", "US", keywords=("US | U.S.", "DPP"))])
    assert matcher.match("tell us about it, the dpp said") == {}
    assert words(matcher.match("the US said")) == {"us": ("US",)}
    assert words(matcher.match("U.S. officials")) == {"us": ("U.S.",)}
    assert matcher.match("the U.S.A. said") == {}, "no letter runs on after a keyword"


def test_phrases_match_across_line_breaks_and_any_dash_and_report_the_keyword_as_written():
    matcher = TopicMatcher(TOPICS)
    found = matcher.match("talks with xi\njinping resumed", "on Military–to–Military channels")
    assert words(found) == {"us-china": ("Xi Jinping", "military-to-military")}
    # "Xi" alone is its own keyword; "Xiamen" is not a match for it, nor "military to military".
    assert matcher.match("a visit to Xiamen", "military to military") == {}
    assert words(matcher.match("Xi said")) == {"us-china": ("Xi",)}


def test_matches_are_listed_in_topics_yml_order_without_duplicates():
    matcher = TopicMatcher(TOPICS)
    assert words(matcher.match("DPP, Taiwan, DPP and Lai Ching-te")) == {"taiwan": ("Taiwan", "Lai Ching-te", "DPP")}


US_CHINA = Topic(
    "us-china",
    "US–China",
    keywords=("counternarcotics working group", "military-to-military"),
    weak_keywords=("US | U.S. | Washington", "China | Beijing", "talks | dialogue"),
    weak_needed=3,
)


def test_weak_keywords_suggest_only_in_numbers():
    matcher = TopicMatcher([US_CHINA])
    # Two shared words are not enough: climate news names both capitals.
    assert matcher.match("Beijing and Washington back the climate deal") == {}
    assert matcher.scan("Beijing and Washington back the climate deal")["us-china"].weak == (
        "Washington",
        "Beijing",
    )
    found = matcher.match("US and Chinese officials: talks in Beijing", "Washington welcomed the talks")
    assert found["us-china"].weak == ("US/Washington", "Beijing", "talks")
    assert found["us-china"].explain() == "mentions US/Washington, Beijing, talks (3 weak keywords, 3 needed)"
    # One strong keyword is enough, and the weak ones found are listed after it.
    found = matcher.match("The counternarcotics working group met in Beijing")
    assert found["us-china"].explain() == "mentions counternarcotics working group (and weak keywords Beijing)"


def test_alternatives_count_as_one_keyword():
    matcher = TopicMatcher([US_CHINA])
    assert matcher.match("The U.S., the United States, Washington and the US") == {}
    assert matcher.scan("The U.S. and Washington")["us-china"].weak == ("U.S./Washington",)


def test_a_plain_keyword_list_is_all_strong_as_before():
    matcher = TopicMatcher([Topic("taiwan", "Taiwan", keywords=("Taipei", "Keelung"))])
    found = matcher.match("Keelung and Taipei")["taiwan"]
    assert (found.strong, found.weak) == (("Taipei", "Keelung"), ())
    assert found.explain() == "mentions Taipei, Keelung"


# --- the labelled set -------------------------------------------------------------


@pytest.fixture(scope="module")
def labelled():
    from briefings.content.registries import load_topics

    problems: list = []
    sample_topics = load_topics(REPO, problems)
    assert not problems
    return suggest_eval.load_items(), sample_topics


def test_the_labelled_set_is_large_enough_and_has_every_kind(labelled):
    items, _ = labelled
    kinds = {item.kind for item in items}
    assert len(items) >= 60 and kinds == {"sample", "coverage", "own", "off-topic", "near-miss"}
    # Every note of the desk the set was labelled on is an item, labelled with its own topics: (the curator's).
    desk = {
        f"content/articles/{p.parent.name}/{p.name}": p for p in (suggest_eval.DESK / "content/articles").rglob("*.md")
    }
    samples = [raw for raw in yaml.safe_load(suggest_eval.LABELLED.read_text("utf-8")) if raw["kind"] == "sample"]
    assert sorted(raw["article"] for raw in samples) == sorted(desk) and len(desk) == 12
    for raw in samples:
        assert raw["topics"] == frontmatter.load(desk[raw["article"]]).metadata["topics"], raw["id"]
    assert {item.split for item in items} == {"tune", "holdout"}


@pytest.mark.parametrize("split", ["all", "holdout"])
def test_the_sample_keywords_reach_the_targets_on_the_labelled_set(labelled, split):
    """Precision >= 0.9 and recall >= 0.8, micro-averaged over (item, topic) pairs, on the
    whole set and on the half held out from tuning (benchmarks/suggest_eval.py prints the table)."""
    items, topics = labelled
    scores = suggest_eval.evaluate(items, suggest_eval.keyword_method(topics), split)
    assert scores.precision() >= 0.9, scores.errors
    assert scores.recall() >= 0.8, scores.errors


def test_no_item_without_a_topic_gets_a_suggestion(labelled):
    """Off-topic news and near-misses (Beijing and Washington in a climate story, a Taiwan
    chipmaker, Xi Jinping in Europe) get nothing."""
    items, topics = labelled
    scores = suggest_eval.evaluate(items, suggest_eval.keyword_method(topics))
    assert scores.off_topic_hits == []
    assert sum(not item.topics for item in items) >= 30


def test_the_original_plain_keywords_miss_the_targets(labelled):
    """The set can fail a method: the keywords before weighting fire on shared words."""
    items, topics = labelled
    scores = suggest_eval.evaluate(items, suggest_eval.keyword_method(suggest_eval.original(topics)))
    assert scores.precision() < 0.9 and len(scores.off_topic_hits) > 5


# --- topics.yml ---------------------------------------------------------------------


KEYWORD_TOPICS = """\
- id: taiwan
  title: Taiwan
  keywords: [Taiwan, Taipei]
- id: fentanyl
  title: Fentanyl
  keywords: [fentanyl, precursor chemicals]
"""

WEIGHTED_TOPICS = """\
- id: us-china
  title: US–China relations
  keywords:
    strong: [counternarcotics working group]
    weak:
      - US | Washington
      - China | Beijing
      - talks
    weak_needed: 3
- id: taiwan
  title: Taiwan
  keywords: [Taiwan]
"""


@pytest.mark.parametrize(
    "keywords, expected",
    [
        (
            "keywords: {strong: [a], wek: [b]}",
            "content/topics.yml:3: topics[1].keywords.wek: unknown key 'wek' (did you mean 'weak'? "
            "expected one of: strong, weak, weak_needed)",
        ),
        (
            "keywords:\n    weak: [a, b]\n    weak_needed: 3",
            "content/topics.yml:5: topics[1].keywords.weak_needed: is 3 but there are only 2 weak keywords, so they "
            "could never suggest the topic (expected at most that number)",
        ),
        (
            "keywords:\n    weak: [a, b]\n    weak_needed: two",
            "content/topics.yml:5: topics[1].keywords.weak_needed: expected a whole number, 1 or more (got 'two')",
        ),
        (
            "keywords:\n    strong:\n      - a\n      - US | | U.S.",
            "content/topics.yml:6: topics[1].keywords.strong: item 2 'US | | U.S.' has an empty alternative "
            "(expected words between the '|')",
        ),
        (
            "keywords: {strong: [], weak: []}",
            "content/topics.yml:3: topics[1].keywords: has no keywords (expected a strong: or weak: list of words or "
            "phrases)",
        ),
        (
            "keywords: Taiwan",
            "content/topics.yml:3: topics[1].keywords: expected a list of words or phrases, or strong: and weak: lists "
            "(see the content format page) (got text)",
        ),
        (
            "keywords: {weak: Taiwan}",
            "content/topics.yml:3: topics[1].keywords.weak: expected a list of words or phrases, one '- item' per line "
            "(got text)",
        ),
    ],
)
def test_bad_keywords_are_one_line_errors_naming_file_line_and_field(site, keywords, expected):
    site.write("content/topics.yml", f"- id: taiwan\n  title: Taiwan\n  {keywords}\n")
    result = site.run("check")
    assert result.exit_code == 1
    assert expected in result.output.splitlines(), result.output


def test_weighted_keywords_pass_check(site):
    site.write("content/topics.yml", WEIGHTED_TOPICS)
    site.article("2024/a.md", "title: A\ndate: 2024-02-01\nsource: Desk\ntopics: [taiwan]\n")
    result = site.run("check")
    assert result.exit_code == 0, result.output


def test_the_sample_topics_use_strong_and_weak_keywords():
    from briefings.content.registries import load_topics

    problems: list = []
    topics = load_topics(REPO, problems)
    assert not problems
    assert all(t.keywords and t.weak_keywords for t in topics)


# --- what the commands print ------------------------------------------------------


def test_check_suggest_lists_untagged_topics_with_the_matched_words(site):
    site.write("content/topics.yml", KEYWORD_TOPICS)
    site.article(
        "2024/a.md",
        """\
        title: Precursor chemicals seized
        date: 2024-02-01
        source: Desk
        topics: [taiwan]
        summary: Customs in Taipei seized precursor chemicals.
        """,
        body="Officials said the shipment could have made fentanyl.\n",
    )
    site.article(
        "2024/b.md",
        """\
        title: Nothing to see
        date: 2024-02-02
        source: Desk
        topics: [fentanyl]
        """,
        body="Fentanyl deaths fell.\n",
    )
    before = tree_hash(site.root / "content")
    result = site.run("check", "--suggest")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("Suggestion:")]
    assert lines == [
        "Suggestion: content/articles/2024/a.md: not tagged 'fentanyl' but mentions fentanyl, precursor chemicals; "
        "add it to topics: if it belongs there"
    ]
    assert tree_hash(site.root / "content") == before, "a suggestion never changes a file"


def test_check_suggest_explains_weak_keywords_and_ignores_too_few(site):
    site.write("content/topics.yml", WEIGHTED_TOPICS)
    site.article(
        "2024/climate.md",
        "title: Beijing and Washington back the climate deal\ndate: 2024-02-01\nsource: Desk\ntopics: [taiwan]\n",
    )
    site.article(
        "2024/talks.md",
        "title: Talks between Washington and Beijing\ndate: 2024-02-02\nsource: Desk\ntopics: [taiwan]\n",
    )
    result = site.run("check", "--suggest")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("Suggestion:")]
    assert lines == [
        "Suggestion: content/articles/2024/talks.md: not tagged 'us-china' but mentions Washington, Beijing, talks "
        "(3 weak keywords, 3 needed); add it to topics: if it belongs there"
    ]


def test_check_without_suggest_prints_no_suggestions(site):
    site.write("content/topics.yml", KEYWORD_TOPICS)
    site.article("2024/a.md", "title: Taipei\ndate: 2024-02-01\nsource: Desk\ntopics: [fentanyl]\n")
    result = site.run("check")
    assert result.exit_code == 0 and "Suggestion" not in result.output
    result = site.run("check", "--suggest")
    assert "not tagged 'taiwan' but mentions Taipei" in result.output


def test_check_suggest_with_nothing_to_suggest(site):
    site.write("content/topics.yml", KEYWORD_TOPICS)
    site.article("2024/a.md", "title: Taipei\ndate: 2024-02-01\nsource: Desk\ntopics: [taiwan]\n")
    result = site.run("check", "--suggest")
    assert result.exit_code == 0
    assert "No topic suggestions" in result.output


def test_new_says_which_words_chose_the_topics(site):
    site.write("content/topics.yml", WEIGHTED_TOPICS)
    result = site.run("new", "Talks in Washington and Beijing on Taiwan", "--date", "2024-03-01")
    assert result.exit_code == 0, result.output
    assert "Topics from the title's keywords: us-china, taiwan (edit topics: if they are wrong)" in result.output
    assert "  us-china: mentions Washington, Beijing, talks (3 weak keywords, 3 needed)" in result.output
    assert "  taiwan: mentions Taiwan" in result.output


def test_new_does_not_tag_from_shared_words_alone(site):
    site.write("content/topics.yml", WEIGHTED_TOPICS)
    before = tree_hash(site.root)
    result = site.run("new", "Washington and Beijing back the climate deal")
    assert result.exit_code == 2  # a usage error: pass --topic
    assert result.output.startswith("Error: no topic's keywords match the title: pass --topic ID")
    assert tree_hash(site.root) == before


def test_import_explains_the_suggested_topics(site, tmp_path):
    site.write("content/topics.yml", WEIGHTED_TOPICS)
    clipping = tmp_path / "clipping.txt"
    clipping.write_text(
        "World\n\nThe counternarcotics working group meets again\n\n"
        "Officials from Washington and Beijing met for talks on Tuesday.\n\n"
        "The next meeting is planned for the summer.\n",
        "utf-8",
    )
    result = site.run("import", str(clipping), "--date", "2024-03-01", "--source", "Desk")
    assert result.exit_code == 0, result.output
    assert "  topics:  us-china (suggested by keywords)" in result.output
    assert (
        "  suggested topic us-china: mentions counternarcotics working group "
        "(and weak keywords Washington, Beijing, talks)" in result.output
    )


@pytest.mark.slow
def test_the_evaluation_script_prints_the_table():
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks/suggest_eval.py"), "--compare"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "108 labelled items (35 with no topic)" in out
    for line in ("Title and text (import, check --suggest)", "Headline alone (new)", "all (micro)"):
        assert line in out
    shipped = next(line for line in out.splitlines() if line.startswith("strong and weak keywords (shipped)"))
    assert shipped.split()[-1] == "0", shipped  # no item without a topic gets one
