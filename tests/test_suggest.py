"""Topic suggestions from topics.yml keywords, and `briefings check --suggest`."""

from __future__ import annotations

from conftest import tree_hash

from briefings.authoring.suggest import TopicMatcher
from briefings.content.model import Topic

TOPICS = [
    Topic("taiwan", "Taiwan", keywords=("Taiwan", "Lai Ching-te", "DPP")),
    Topic("us-china", "US–China", keywords=("Xi Jinping", "Xi", "military-to-military")),
    Topic("empty", "No keywords"),
]


def test_keywords_match_whole_words_case_insensitively():
    matcher = TopicMatcher(TOPICS)
    assert matcher.match("Voters in TAIWAN's south") == {"taiwan": ("Taiwan",)}
    assert matcher.match("Taiwanese companies and the dppx index") == {}
    assert matcher.match("a dpp rally") == {"taiwan": ("DPP",)}


def test_phrases_match_across_line_breaks_and_report_the_keyword_as_written():
    matcher = TopicMatcher(TOPICS)
    found = matcher.match("talks with xi\njinping resumed", "on Military-to-Military channels")
    assert found == {"us-china": ("Xi Jinping", "military-to-military")}
    # "Xi" alone is its own keyword; "Xiamen" is not a match for it.
    assert matcher.match("a visit to Xiamen") == {}
    assert matcher.match("Xi said") == {"us-china": ("Xi",)}


def test_matches_are_listed_in_topics_yml_order_without_duplicates():
    matcher = TopicMatcher(TOPICS)
    assert matcher.match("DPP, Taiwan, DPP and Lai Ching-te") == {"taiwan": ("Taiwan", "Lai Ching-te", "DPP")}


KEYWORD_TOPICS = """\
- id: taiwan
  title: Taiwan
  keywords: [Taiwan, Taipei]
- id: fentanyl
  title: Fentanyl
  keywords: [fentanyl, precursor chemicals]
"""


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
        "Suggestion: content/articles/2024/a.md: not tagged 'fentanyl' but mentions fentanyl, precursor chemicals "
        "(add it to topics: if it belongs there)"
    ]
    assert tree_hash(site.root / "content") == before, "a suggestion never changes a file"


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
