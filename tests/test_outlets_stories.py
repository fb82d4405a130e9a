"""The content model of issue 15: outlets.yml, stories.yml, story:, people's side: and
topics' expected_sides:, read from real files (tests/fixtures/stories) and refused, one
line each, when wrong."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path

import pytest
from conftest import REPO, VALID, copy_sample, generate, run_cli, tree_hash

from briefings.content.load import load_content
from briefings.content.model import Outlet, outlet_side
from briefings.content.outlets import OutletIndex, host_of
from briefings.project import Project

FIXTURE = Path(__file__).parent / "fixtures" / "stories"


@pytest.fixture
def desk(tmp_path) -> Path:
    root = tmp_path / "desk"
    shutil.copytree(FIXTURE, root)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


def by_name(content, name):
    return next(a for a in content.articles if a.path.endswith(name))


def test_each_article_gets_its_outlet_by_source_else_by_domain(desk):
    content = load_content(desk)
    outlet = {a.path.rsplit("/", 1)[1]: a.outlet.id if a.outlet else None for a in content.articles}
    assert outlet == {
        "2022-08-02-wire.md": "example-wire",  # by name
        "2022-08-02-state.md": "state-news",  # by alias, its url on a subdomain
        "2022-08-03-island.md": "island-post",  # source unknown, url on a subdomain of its domain
        "2023-11-15-news-uk.md": "example-news-uk",  # the longest listed domain wins
        "2023-11-15-news.md": "example-news",
        "2023-11-16-desk.md": None,  # our own note
        "2024-01-13-unknown.md": None,
        "2024-01-14-unknown-too.md": None,
        "2024-01-15-city.md": "city-daily",  # no url: by name
    }
    state = content.articles[[a.path for a in content.articles].index("content/articles/2022-08-02-state.md")].outlet
    assert state == Outlet(
        id="state-news",
        name="State News",
        domains=("statenews.example", "statenews.example.cn"),
        country="China (PRC)",
        type="state media",
        language="zh-Hans",
        aliases=("State News Agency",),
        owner="The state",
        note="Owned by the state; speaks for the government.",
    )
    assert [o.id for o in content.outlets][:2] == ["example-wire", "state-news"]  # in the file's order


def test_stories_hold_their_articles_oldest_first(desk):
    content = load_content(desk)
    assert [s.id for s in content.stories] == ["speaker-visit-2022", "summit-2023"]
    visit = content.story("speaker-visit-2022")
    assert (visit.title, visit.summary, visit.why_it_matters, visit.url) == (
        "The Speaker visits the island",
        "A visit, and the answer to it.",
        "It changed the talks.",
        "stories/speaker-visit-2022/",
    )
    # 09:00+08:00 is before 15:00 UTC of the same day
    assert [a.path for a in visit.articles] == [
        "content/articles/2022-08-02-state.md",
        "content/articles/2022-08-02-wire.md",
        "content/articles/2022-08-03-island.md",
    ]
    summit = content.story("summit-2023")
    assert summit.why_it_matters == ""
    assert [a.path for a in summit.articles] == [  # same date: by path
        "content/articles/2023-11-15-news-uk.md",
        "content/articles/2023-11-15-news.md",
        "content/articles/2023-11-16-desk.md",
    ]
    assert by_name(content, "wire.md").story == "speaker-visit-2022"
    assert by_name(content, "unknown.md").story == ""


def test_people_sides_topics_expected_sides_and_outlet_sides(desk):
    content = load_content(desk)
    assert {p.name: p.side for p in content.people} == {
        "Jane Speaker": "us",
        "Wang Spokesman": "prc",
        "Lin Minister": "taiwan",
        "Ann Analyst": "other",
        "No Side Given": None,
    }
    assert {t.id: t.expected_sides for t in content.topics} == {
        "us-china": ("us", "prc"),
        "taiwan": ("us", "prc", "taiwan"),
    }
    assert {o.id: o.side for o in content.outlets} == {
        "example-wire": "other",
        "state-news": "prc",
        "city-daily": "other",  # a PRC newspaper that is not state media is not Beijing's voice
        "island-post": "taiwan",
        "example-news": "us",
        "example-news-uk": "other",
    }


@pytest.mark.parametrize(
    ("country", "kind", "side"),
    [
        ("US", "wire", "us"),
        ("us", "government", "us"),
        ("China (PRC)", "state media", "prc"),
        ("China (PRC)", "government", "prc"),
        ("Hong Kong (China)", "government", "prc"),
        ("Hong Kong (China)", "newspaper", "other"),
        ("China (PRC)", "think tank", "other"),
        ("Taiwan", "government", "taiwan"),
        ("Taiwan", "broadcaster", "taiwan"),
        ("UK", "state media", "other"),
        ("India", "newspaper", "other"),
    ],
)
def test_outlet_side(country, kind, side):
    assert outlet_side(country, kind) == side


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://www.Example.com:8443/x", "example.com"),
        ("https://uk.news.example.org/a", "uk.news.example.org"),
        ("https://bücher.example/a", "xn--bcher-kva.example"),
        ("https://[::1/", ""),
        ("", ""),
    ],
)
def test_host_of(url, host):
    assert host_of(url) == host


def test_a_domain_matches_itself_and_subdomains_only():
    index = OutletIndex([Outlet("a", "A", ("news.example.org",), "US", "wire", "en")])
    assert index.by_url("https://news.example.org/x") is not None
    assert index.by_url("https://www.news.example.org/x") is not None
    assert index.by_url("https://example.org/x") is None
    assert index.by_url("https://fakenews.example.org/x") is None  # a label, not a string suffix
    assert index.by_source("  a ") is not None


def test_a_desk_without_the_new_files_works_as_before(site):
    site.article("a.md", VALID)
    content = load_content(site.root)
    assert (content.outlets, content.stories) == ((), ())
    assert content.articles[0].outlet is None and content.articles[0].story == ""


def test_editing_outlets_yml_reaches_cached_articles(desk):
    """Parsed articles are cached between builds; their outlet comes from outlets.yml, read each time."""
    now = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    project = Project.at(desk)
    first = generate(project, now=now).edition
    assert next(a for a in first.articles if a.path.endswith("unknown.md")).outlet is None
    with open(desk / "content/outlets.yml", "a", encoding="utf-8") as fd:
        fd.write(
            "- {id: unlisted, name: Unlisted, domains: [unlisted.example], country: US, type: other, language: en}\n"
        )
    second = generate(project, now=now).edition
    assert {a.outlet.id for a in second.articles if a.path.endswith(("unknown.md", "unknown-too.md"))} == {"unlisted"}
    third = generate(project, now=now).edition  # from the cache, which kept the resolved outlet
    assert next(a for a in third.articles if a.path.endswith("unknown.md")).outlet.id == "unlisted"


# --- bad input: one line each, naming the file, the line and the field; nothing written --------------


def problems(result) -> list[str]:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return [line for line in result.stderr.splitlines() if not line.startswith("Error:")]


def check_outlets(site, yaml_text: str) -> list[str]:
    site.article("a.md", VALID)
    site.write("content/outlets.yml", yaml_text)
    return problems(site.run("check"))


ENTRY = "- id: wire\n  name: Wire\n  domains: [{domain}]\n  country: US\n  type: wire\n  language: en\n"


@pytest.mark.parametrize(
    ("domain", "message"),
    [
        (
            "https://wire.example/news",
            "item 1 'https://wire.example/news' is not a domain (expected the host name alone, e.g. wire.example: "
            "no scheme or path)",
        ),
        (
            "wire.example/news",
            "item 1 'wire.example/news' is not a domain (expected the host name alone, e.g. "
            "wire.example: no scheme or path)",
        ),
        ("Wire.Example", "item 1 'Wire.Example' has capitals (expected it in lowercase: wire.example)"),
        (
            "www.wire.example",
            "item 1 'www.wire.example' starts with www. (expected wire.example: its subdomains, www. too, match it)",
        ),
        ("wire", "item 1 'wire' is not a domain name (expected letters, digits, hyphens and dots: e.g. reuters.com)"),
        (
            "wire..example",
            "item 1 'wire..example' is not a domain name (expected letters, digits, hyphens and dots: "
            "e.g. reuters.com)",
        ),
        (
            "-wire.example",
            "item 1 '-wire.example' is not a domain name (expected letters, digits, hyphens and dots: "
            "e.g. reuters.com)",
        ),
        (
            "bücher.example",
            "item 1 'bücher.example' is not a domain name (expected letters, digits, hyphens and dots: "
            "write it as xn--bcher-kva.example)",
        ),
    ],
)
def test_a_malformed_domain_is_an_error(site, domain, message):
    assert check_outlets(site, ENTRY.format(domain=f"'{domain}'")) == [
        f"content/outlets.yml:3: outlets[1].domains: {message}"
    ]


def test_outlet_entry_problems(site):
    entry = ENTRY.format(domain="wire.example")
    assert check_outlets(
        site,
        entry
        + entry.replace("domains: [wire.example]", "domains: [other.example]").replace("name: Wire", "name: WIRE")
        + "- id: Bad Id\n  name: Bad\n  aliases: [Other]\n  domains: wire.example\n"
        "  country: UK\n  type: wire service\n  language: english\n  owner: [x]\n  homepage: x\n"
        + "- id: other\n  name: Other Wire\n  domains: [a.example, sub.wire.example, wire.example]\n"
        "  country: UK\n  type: Wire\n  language: en\n" + "- id: missing\n  name: Missing\n" + "- just text\n",
    ) == [
        "content/outlets.yml:7: outlets[2].id: 'wire' is already used by the outlet on line 1 (expected unique ids)",
        "content/outlets.yml:8: outlets[2].name: 'WIRE' already names Wire on line 2 "
        "(expected each name or alias once)",
        "content/outlets.yml:13: outlets[3].id: 'Bad Id' is not a valid id (expected lowercase letters, digits and "
        "single hyphens, e.g. reuters)",
        "content/outlets.yml:16: outlets[3].domains: expected a list of domains, e.g. [wire.example] (got text)",
        "content/outlets.yml:18: outlets[3].type: unknown type 'wire service' (expected one of: "
        "wire, newspaper, broadcaster, magazine, news site, government, state media, think tank, other)",
        "content/outlets.yml:19: outlets[3].language: 'english' is not a language tag (expected a BCP 47 tag such as "
        "en, zh, zh-Hant or pt-BR)",
        "content/outlets.yml:20: outlets[3].owner: expected text (got a list)",
        "content/outlets.yml:21: outlets[3].homepage: unknown key (expected one of: id, name, aliases, domains, "
        "country, type, language, owner, note)",
        "content/outlets.yml:24: outlets[4].domains: 'wire.example' is already a domain of Wire on line 3 "
        "(expected each domain once)",
        "content/outlets.yml:28: outlets[5].domains: is missing (every entry needs id:, name:, domains:, country:, "
        "type:, language:)",
        "content/outlets.yml:28: outlets[5].country: is missing (every entry needs id:, name:, domains:, country:, "
        "type:, language:)",
        "content/outlets.yml:28: outlets[5].type: is missing (every entry needs id:, name:, domains:, country:, "
        "type:, language:)",
        "content/outlets.yml:28: outlets[5].language: is missing (every entry needs id:, name:, domains:, country:, "
        "type:, language:)",
        "content/outlets.yml:30: outlets[6]: expected id:, name:, domains:, country:, type:, language: (got text)",
    ]


def test_our_desk_is_not_an_outlet(site):
    entry = ENTRY.format(domain="wire.example")
    assert check_outlets(
        site,
        entry
        + entry.replace("wire.", "desk.").replace("id: wire", "id: desk").replace("name: Wire", "name: Briefings Desk"),
    ) == [
        "content/outlets.yml:8: outlets[2].name: 'Briefings Desk' is how our own notes are marked (expected an "
        "outlet's name)"
    ]


def test_outlets_yml_that_is_not_a_list(site):
    assert check_outlets(site, "reuters: reuters.com\n") == [
        "content/outlets.yml:1: outlets: expected a list of outlets, each with id:, name:, domains:, country:, type:, "
        "language: (got a mapping)"
    ]


def test_outlets_yml_syntax_error_names_its_line(site):
    lines = check_outlets(site, ENTRY.format(domain="wire.example") + "- {id: x, name: [\n")
    assert len(lines) == 1 and lines[0].startswith("content/outlets.yml:8: outlets: YAML syntax error")


STORY = "- id: summit\n  title: The summit\n  summary: Two leaders meet.\n"


def test_story_problems(site):
    site.write(
        "content/stories.yml",
        STORY
        + STORY
        + "- id: nobody-names-me\n  title: Lonely\n  summary: No article.\n"
        + "- id: no-summary\n  title: x\n  why: typo\n",
    )
    site.article("a.md", VALID + "story: summit\n")
    site.article("b.md", VALID + "story: sumit\n")
    site.article("c.md", VALID + "story: [summit, nobody-names-me]\n")
    site.article("d.md", VALID + "story: Not A Slug\n")
    assert problems(site.run("check")) == [
        "content/articles/b.md:6: story: unknown story 'sumit' (did you mean 'summit'? expected one of the ids in "
        "content/stories.yml: nobody-names-me, summit, with id:, title: and summary:)",
        "content/articles/c.md:6: story: is a list of 2 (expected one story id: an article belongs to one story at "
        "most)",
        "content/articles/d.md:6: story: 'Not A Slug' is not a valid story id (expected lowercase letters, digits "
        "and single hyphens, e.g. pelosi-taiwan-visit-2022)",
        "content/stories.yml:4: stories[2].id: 'summit' is already used by the story on line 1 (expected unique ids)",
        "content/stories.yml:7: stories[3].id: 'nobody-names-me' names no article (expected at least one article "
        "with story: nobody-names-me, or remove the entry)",
        "content/stories.yml:10: stories[4].summary: is missing (every entry needs id:, title:, summary:)",
        "content/stories.yml:12: stories[4].why: unknown key (expected one of: id, title, summary, why_it_matters)",
    ]


def test_story_without_stories_yml(site):
    site.article("a.md", VALID + "story: summit\n")
    assert problems(site.run("check")) == [
        "content/articles/a.md:6: story: unknown story 'summit' (expected an entry in content/stories.yml, "
        "with id:, title: and summary:)"
    ]


def test_a_stories_yml_that_cannot_be_read_is_its_one_problem(site):
    """Not also one for every article that names a story: the file is what to fix."""
    site.write("content/stories.yml", STORY + "- id: other\n  title: [Unclosed\n  summary: x\n")
    site.article("a.md", VALID + "story: summit\n")
    site.article("b.md", VALID + "story: other\n")
    lines = problems(site.run("check"))
    assert len(lines) == 1 and lines[0].startswith("content/stories.yml:6: stories: YAML syntax error"), lines


def test_story_id_that_is_a_page_of_the_site(site):
    site.write("content/stories.yml", STORY.replace("id: summit", "id: index"))
    site.article("a.md", VALID + "story: index\n")
    lines = problems(site.run("check"))
    assert lines[-1] == (
        "content/stories.yml:1: stories[1].id: 'index' is the name of a page or folder the site builds "
        "(expected another id)"
    )


def test_story_id_that_is_a_year_of_the_archive(site):
    site.write("content/stories.yml", STORY.replace("id: summit", "id: 2024"))
    site.article("a.md", VALID + "story: '2024'\n")
    lines = problems(site.run("check"))
    assert lines[-1] == (
        "content/stories.yml:1: stories[1].id: '2024' is only digits, the name of an archive page "
        "(expected words, e.g. pelosi-taiwan-visit-2022)"
    )


def test_side_problems(site):
    site.write(
        "content/topics.yml",
        "- id: taiwan\n  title: Taiwan\n  expected_sides: [us, beijing, other]\n"
        "- id: us-china\n  title: US-China\n  expected_sides: us\n",
    )
    site.write("content/people.yml", "- name: Jane Doe\n  side: washington\n- name: John Roe\n  side: [us]\n")
    site.article("a.md", VALID)
    assert problems(site.run("check")) == [
        "content/topics.yml:3: topics[1].expected_sides: item 2: unknown side 'beijing' (expected one of: us, prc, "
        "taiwan)",
        "content/topics.yml:3: topics[1].expected_sides: item 3: unknown side 'other' (expected one of: us, prc, "
        "taiwan)",
        "content/topics.yml:6: topics[2].expected_sides: expected a list of sides, e.g. [us, prc, taiwan] (got text)",
        "content/people.yml:2: people[1].side: unknown side 'washington' (expected one of: us, prc, taiwan, other)",
        "content/people.yml:4: people[2].side: expected text (got a list)",
    ]


def test_bad_input_writes_nothing(desk):
    (desk / "content/articles/2024-01-15-city.md").write_text(
        "---\ntitle: x\ndate: 2024-01-15\nsource: City Daily\ntopics: [taiwan]\nstory: [a, b]\n---\n", "utf-8"
    )
    before = tree_hash(desk / "content")
    result = run_cli("build", "--project", str(desk))
    assert result.exit_code == 1 and "nothing was built" in result.stderr
    assert tree_hash(desk / "content") == before
    assert not (desk / "site").exists() and not (desk / "build" / "docs").exists()


# --- briefings check warns; briefings outlets lists -------------------------------------------------


def run(desk: Path, *args: str):
    return run_cli(*args, "--project", str(desk))


def test_check_warns_of_each_unknown_outlet_with_the_entry_to_add(desk):
    (desk / "content/articles/2024-01-16-no-url.md").write_text(
        "---\ntitle: x\ndate: 2024-01-16\nsource: 'Radio: Free'\ntopics: [taiwan]\n---\n", "utf-8"
    )
    result = run(desk, "check")
    assert result.exit_code == 0, result.output
    assert result.stdout == "OK: 10 articles (0 drafts) in 2 topics, no problems.\n"
    assert result.stderr.splitlines() == [
        "Warning: content/articles/2024-01-16-no-url.md: source: 'Radio: Free' matches no outlet in "
        "content/outlets.yml by name (and it has no url) (add to content/outlets.yml, filling in each ?: "
        '- {id: radio-free, name: "Radio: Free", domains: [?], country: ?, type: ?, language: ?})',
        "Warning: content/articles/2024-01-13-unknown.md (and 1 more article): source: 'The Unlisted Times' "
        "matches no outlet in content/outlets.yml, by name or by domain (unlisted.example) (add to "
        "content/outlets.yml, filling in each ?: - {id: the-unlisted-times, name: The Unlisted Times, "
        "domains: [unlisted.example], country: ?, type: ?, language: ?})",
    ]


def test_the_suggested_entry_once_filled_in_is_valid_and_ends_the_warning(desk):
    warning = run(desk, "check").stderr.splitlines()[0]
    entry = warning.split("filling in each ?: ")[1][:-1]
    filled = entry.replace("country: ?, type: ?, language: ?", "country: US, type: newspaper, language: en")
    with open(desk / "content/outlets.yml", "a", encoding="utf-8") as fd:
        fd.write(filled + "\n")
    result = run(desk, "check")
    assert (result.exit_code, result.stderr) == (0, "")
    assert next(a for a in load_content(desk).articles if a.path.endswith("unknown.md")).outlet.id == (
        "the-unlisted-times"
    )


def test_a_desk_without_outlets_yml_gets_no_warning(desk):
    (desk / "content/outlets.yml").unlink()
    result = run(desk, "check")
    assert (result.exit_code, result.stderr) == (0, "")
    assert "No outlets in content/outlets.yml." in run(desk, "outlets").stdout


def test_the_sample_has_no_unknown_outlet(tmp_path):
    result = run(copy_sample(tmp_path / "sample"), "check")
    assert (result.exit_code, result.stderr) == (0, "")


def test_outlets_table(desk):
    result = run(desk, "outlets")
    assert result.exit_code == 0
    assert result.stdout == (
        "ID               NAME             COUNTRY      TYPE         SIDE    ARTICLES\n"
        "example-wire     Example Wire     UK           wire         other   1\n"
        "state-news       State News       China (PRC)  state media  prc     1\n"
        "city-daily       City Daily       China (PRC)  newspaper    other   1\n"
        "island-post      Island Post      Taiwan       newspaper    taiwan  1\n"
        "example-news     Example News     US           news site    us      1\n"
        "example-news-uk  Example News UK  UK           news site    other   1\n"
        "\n"
        "Unknown: sources that match no outlet in content/outlets.yml (`briefings check` suggests entries)\n"
        "SOURCE              DOMAINS           ARTICLES\n"
        "The Unlisted Times  unlisted.example  2\n"
        "\n"
        "1 desk note (source: Briefings desk): ours, not an outlet's.\n"
    )


def test_outlets_json_and_csv(desk):
    data = json.loads(run(desk, "outlets", "--format", "json").stdout)
    assert [(o["id"], o["side"], o["articles"]) for o in data["outlets"]] == [
        ("example-wire", "other", 1),
        ("state-news", "prc", 1),
        ("city-daily", "other", 1),
        ("island-post", "taiwan", 1),
        ("example-news", "us", 1),
        ("example-news-uk", "other", 1),
    ]
    assert data["outlets"][1]["aliases"] == ["State News Agency"]
    assert data["outlets"][1]["note"] == "Owned by the state; speaks for the government."
    assert data["unknown"] == [
        {
            "source": "The Unlisted Times",
            "domains": ["unlisted.example"],
            "articles": 2,
            "paths": ["content/articles/2024-01-13-unknown.md", "content/articles/2024-01-14-unknown-too.md"],
            "suggestion": "- {id: the-unlisted-times, name: The Unlisted Times, domains: [unlisted.example], "
            "country: ?, type: ?, language: ?}",
        }
    ]
    assert data["desk_notes"] == 1
    rows = list(csv.reader(io.StringIO(run(desk, "outlets", "--format", "csv").stdout)))
    assert rows[0] == ["status", "id", "name", "country", "type", "language", "side", "domains", "articles"]
    assert rows[2] == [
        "listed",
        "state-news",
        "State News",
        "China (PRC)",
        "state media",
        "zh-Hans",
        "prc",
        "statenews.example statenews.example.cn",
        "1",
    ]
    assert rows[-2:] == [
        ["unknown", "", "The Unlisted Times", "", "", "", "", "unlisted.example", "2"],
        ["desk", "", "Briefings desk", "", "", "", "", "", "1"],
    ]


def test_outlets_counts_drafts_only_when_asked(desk):
    path = desk / "content/articles/2022-08-02-wire.md"
    path.write_text(path.read_text("utf-8").replace("story:", "draft: true\nstory:"), "utf-8")

    def counts(*args: str) -> dict[str, int]:
        listed = json.loads(run(desk, "outlets", "--format", "json", *args).stdout)["outlets"]
        return {o["id"]: o["articles"] for o in listed}

    assert counts()["example-wire"] == 0
    assert counts("--drafts")["example-wire"] == 1


def test_outlets_exit_codes(desk, tmp_path):
    result = run(desk, "outlets", "--format", "xml")
    assert result.exit_code == 2 and "Invalid value for '--format'" in result.stderr
    (desk / "content/outlets.yml").write_text("- id: x\n  name: X\n  domains: [http://x.example]\n", "utf-8")
    result = run(desk, "outlets")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.splitlines()[0].startswith("content/outlets.yml:1: outlets[1].country: is missing")
    assert "content/outlets.yml:3: outlets[1].domains: item 1 'http://x.example' is not a domain" in result.stderr
    assert run(tmp_path, "outlets").exit_code == 1  # not a project
