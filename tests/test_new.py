"""`briefings new`: a complete draft that passes `briefings check`, never over another file."""

from __future__ import annotations

import sys

import pytest
from conftest import tree_hash

from briefings.content.fields import ARTICLE_FIELDS


def test_new_writes_a_complete_draft_that_passes_check(site):
    result = site.run(
        "new",
        'Lai meets lawmakers: a "quiet" visit',
        "--topic",
        "Taiwan",
        "--topic",
        "us-china",
        "--date",
        "2024-03-05",
        "--source",
        "Reuters",
        "--url",
        "https://example.com/lai",
    )
    assert result.exit_code == 0, result.output
    path = site.root / "content/articles/2024/2024-03-05-lai-meets-lawmakers-a-quiet-visit.md"
    assert result.output.splitlines()[0].endswith(path.relative_to(site.root).as_posix())
    text = path.read_text("utf-8")
    assert "\ndraft: true" in text
    assert "\ntopics: [taiwan, us-china]\n" in text and "\nsource: Reuters\n" in text
    assert "\nurl: https://example.com/lai\n" in text
    for key in ARTICLE_FIELDS:  # every field is there, set or as a commented hint
        assert f"\n{key}:" in text or f"\n# {key}:" in text, key

    check = site.run("check")
    assert check.exit_code == 0, check.output
    assert "1 drafts" in check.output
    listed = site.run("list", "--drafts", "--format", "json").output
    assert '"title": "Lai meets lawmakers: a \\"quiet\\" visit"' in listed


def test_uncommenting_the_hints_gives_a_valid_article(site):
    """The hints are examples of valid values, so a curator can fill them in place."""
    site.run("new", "Hints", "--topic", "taiwan", "--date", "2024-03-05")
    path = site.root / "content/articles/2024/2024-03-05-hints.md"
    lines = [
        line[2:] if line.startswith("# ") and not line.startswith("# Below") else line
        for line in path.read_text("utf-8").splitlines()
    ]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    # story: names an entry of stories.yml, which a real event would have
    site.write("content/stories.yml", "- id: an-event-id\n  title: An event\n  summary: What happened.\n")
    result = site.run("check")
    assert result.exit_code == 0, result.output


def test_new_defaults_to_today_and_topics_from_title_keywords(site):
    site.write(
        "content/topics.yml", "- id: taiwan\n  title: Taiwan\n  keywords: [Taipei]\n- id: fentanyl\n  title: Fentanyl\n"
    )
    result = site.run("new", "Rain in Taipei")
    assert result.exit_code == 0, result.output
    written = next((site.root / "content/articles").rglob("*.md"))
    assert written.name.endswith("-rain-in-taipei.md")
    assert "topics: [taiwan]" in written.read_text("utf-8")
    assert "Topics from the title's keywords: taiwan" in result.output
    assert site.run("check").exit_code == 0


def test_new_refuses_to_overwrite(site):
    first = site.run("new", "Same title", "--topic", "taiwan", "--date", "2024-01-01")
    assert first.exit_code == 0
    path = site.root / "content/articles/2024/2024-01-01-same-title.md"
    path.write_text(path.read_text("utf-8") + "My notes.\n", "utf-8")
    before = tree_hash(site.root / "content")
    again = site.run("new", "Same title", "--topic", "fentanyl", "--date", "2024-01-01")
    assert again.exit_code == 1
    assert again.output == (
        "Error: content/articles/2024/2024-01-01-same-title.md already exists (nothing written: "
        "edit that file, or choose another title or --date)\n"
    )
    assert tree_hash(site.root / "content") == before


@pytest.mark.parametrize(
    "args, message",
    [
        (["--topic", "taiwn"], "Error: --topic: unknown topic 'taiwn' (did you mean 'taiwan'?"),
        (["--topic", "taiwan", "--date", "2024-02-30"], "Error: --date: '2024-02-30' is not a real calendar date"),
        (["--topic", "taiwan", "--date", "yesterday"], "Error: --date: 'yesterday' is not a date"),
        (["--topic", "taiwan", "--url", "ftp://x.example/a"], "Error: --url: 'ftp://x.example/a' is not a web address"),
        (["--topic", "taiwan", "--url", "https://[::1"], "Error: --url: 'https://[::1' is not a web address (Invalid"),
        (["--topic", "taiwan", "--source", " "], "Error: --source: is empty"),
        ([], "Error: no topic's keywords match the title: pass --topic ID (one of: us-china, taiwan, fentanyl)"),
    ],
)
def test_bad_options_are_one_line_errors_and_write_nothing(site, args, message):
    before = tree_hash(site.root)
    result = site.run("new", "A title", *args)
    assert result.exit_code == 2  # a usage error
    assert result.output.startswith(message), result.output
    assert len(result.output.splitlines()) == 1
    assert tree_hash(site.root) == before


def test_a_title_without_letters_is_refused(site):
    result = site.run("new", "!!!", "--topic", "taiwan")
    assert result.exit_code == 2  # a usage error: the title
    assert "cannot make a file name from the title '!!!'" in result.output


def test_new_refuses_a_url_already_in_the_content(site):
    site.article(
        "2024/x.md", "title: X\ndate: 2024-01-01\nsource: Desk\ntopics: [taiwan]\nurl: https://Example.com/story/\n"
    )
    before = tree_hash(site.root)
    result = site.run("new", "Again", "--topic", "taiwan", "--url", "http://example.com/story#top")
    assert result.exit_code == 1
    assert "is already in content/articles/2024/x.md" in result.output
    assert tree_hash(site.root) == before


def test_new_is_not_stopped_by_another_files_malformed_url(site):
    """Looking for the same url: reads every article, checked or not: one that is not an
    address matches only itself, never a traceback."""
    site.article("2024/x.md", "title: X\ndate: 2024-01-01\nsource: Desk\ntopics: [taiwan]\nurl: 'https://[::1'\n")
    result = site.run("new", "Another", "--topic", "taiwan", "--date", "2024-01-02", "--url", "https://example.org/a")
    assert result.exit_code == 0, result.output
    assert (site.root / "content/articles/2024/2024-01-02-another.md").is_file()


def test_a_broken_registry_stops_new_which_says_it_wrote_nothing(site):
    (site.root / "content/topics.yml").write_text("- id: taiwan\n  title: [unclosed\n", "utf-8")
    before = tree_hash(site.root)
    result = site.run("new", "A title", "--topic", "taiwan")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "Error: 1 problem found; nothing was written."  # not "built"
    assert tree_hash(site.root) == before


def test_new_without_a_project_is_a_clear_error(tmp_path):
    from conftest import run_cli

    result = run_cli("new", "X", "--project", str(tmp_path))
    assert result.exit_code == 1
    assert "no mkdocs.yml here" in result.output


def test_new_edit_opens_the_file_in_the_editor(site, tmp_path, monkeypatch):
    editor = tmp_path / "editor.py"
    editor.write_text("import sys\nopen(sys.argv[1], 'a', encoding='utf-8').write('Edited in the editor.\\n')\n")
    monkeypatch.setenv("EDITOR", f'"{sys.executable}" "{editor}"')
    monkeypatch.delenv("VISUAL", raising=False)
    result = site.run("new", "Edit me", "--topic", "taiwan", "--date", "2024-01-02", "--edit")
    assert result.exit_code == 0, result.output
    text = (site.root / "content/articles/2024/2024-01-02-edit-me.md").read_text("utf-8")
    assert text.endswith("---\nEdited in the editor.\n")


@pytest.mark.parametrize(
    "args, message",
    [
        (["Harbour\x0bpilots"], "Error: TITLE: contains the control character U+000B (expected plain text)"),
        (["Harbour pilots\x00"], "Error: TITLE: contains the control character U+0000 (expected plain text)"),
        (["Harbour \udcff pilots"], "Error: TITLE: contains the control character U+DCFF (expected plain text)"),
        (["Harbour", "--source", "Ledger\x85"], "Error: --source: contains the control character U+0085"),
        (["Harbour", "--url", "https://example.com/a\x01b"], "Error: --url: contains the control character U+0001"),
        (["Harbour " * 200], "Error: TITLE: is 1,599 characters long (expected at most 1,000)"),
    ],
)
def test_typed_values_check_would_refuse_are_refused_before_writing(site, args, message):
    """A title or outlet is one line of text: what `briefings check` refuses is refused here first.
    (U+DCFF is how Python hands over an undecodable byte of a command line.)"""
    before = tree_hash(site.root)
    result = site.run("new", *args, "--topic", "taiwan")
    assert result.exit_code == 2  # a usage error
    assert result.output.startswith(message), result.output
    assert len(result.output.splitlines()) == 1
    assert tree_hash(site.root) == before


def test_a_title_of_the_longest_length_passes_check(site):
    result = site.run("new", ("Harbour pilots " * 67)[:1000], "--topic", "taiwan", "--date", "2024-01-02")
    assert result.exit_code == 0, result.output
    assert site.run("check").exit_code == 0
