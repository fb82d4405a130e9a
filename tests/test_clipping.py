"""The plain-text clipping reader, line by line."""

from __future__ import annotations

import datetime as dt

import pytest

from briefings.authoring.clipping import (
    parse_byline,
    parse_clipping,
    photo_credit,
    plain_to_markdown,
)


@pytest.mark.parametrize(
    "line, names, job",
    [
        ("Reagan Roe White House Correspondent", ("Reagan Roe",), "White House Correspondent"),
        ("Tomas Varga Senior Maritime Correspondent", ("Tomas Varga",), "Senior Maritime Correspondent"),
        ("Mary Ann Smith Senior Reporter", ("Mary Ann Smith",), "Senior Reporter"),
        ("Ana J. Lopez Staff Writer", ("Ana J. Lopez",), "Staff Writer"),
        ("Jan van der Berg Foreign Editor", ("Jan van der Berg",), "Foreign Editor"),
        ("By Jane Doe, Political Correspondent", ("Jane Doe",), "Political Correspondent"),
        ("By Jane Doe and John Roe", ("Jane Doe", "John Roe"), ""),
        ("Jane Doe | Asia Editor", ("Jane Doe",), "Asia Editor"),
        ("Jane Doe", ("Jane Doe",), ""),
    ],
)
def test_bylines(line, names, job):
    assert parse_byline(line) == type(parse_byline(line))(names=names, job_title=job)


@pytest.mark.parametrize(
    "line",
    [
        "The talks resumed on Monday after a long pause.",
        "Taiwan",
        "Font Size:",
        "why the harbour closed",
    ],
)
def test_not_bylines(line):
    assert parse_byline(line) is None


@pytest.mark.parametrize(
    "line, credit",
    [
        ("(Photo by Lena Marsh / Coastline Press) (Photo by LENA MARSH via Stock)", "Lena Marsh / Coastline Press"),
        ("Ships at anchor. (AP Photo/Jo Park)", "AP Photo/Jo Park"),
        ("Photo: Jo Park/Agency", "Jo Park/Agency"),
        ("The quay at dawn (Image credit: Harbour Board)", "Harbour Board"),
    ],
)
def test_photo_credits(line, credit):
    assert photo_credit(line) == credit


def test_a_clipping_without_section_or_byline():
    clip = parse_clipping(
        "Harbour reopens after a week of delays\n\nThe harbour reopened on Saturday, officials said.\n"
    )
    assert clip.title == "Harbour reopens after a week of delays"
    assert clip.section == "" and clip.byline is None
    assert clip.body == "The harbour reopened on Saturday, officials said."


def test_a_bare_date_above_the_headline_is_the_date_not_the_section():
    clip = parse_clipping("November 3, 2024\nPilots return\nBy Jo Park\n\nThe pilots returned on Sunday morning.\n")
    assert clip.date == dt.date(2024, 11, 3)
    assert clip.section == "" and clip.title == "Pilots return"
    assert clip.byline.names == ("Jo Park",)


def test_a_date_inside_the_headline_stays_in_the_headline():
    clip = parse_clipping(
        "Taiwan votes on January 13, 2024 for a new president\n\nVoters queued early, officials said.\n"
    )
    assert clip.title == "Taiwan votes on January 13, 2024 for a new president"
    assert clip.date is None  # a headline is not a dateline


@pytest.mark.parametrize(
    "line",
    [
        "Published November 14, 2024 3:05pm ET",
        "Updated: 14 November 2024, 10:32 GMT",
        "November 14, 2024 | 3:05 PM EST",
        "14 November 2024",
    ],
)
def test_a_dateline_under_the_headline_is_the_date(line):
    title = "Harbour pilots return to work after a week-long strike"
    clip = parse_clipping(f"{title}\n{line}\n\nThe pilots returned.\n")
    assert clip.date == dt.date(2024, 11, 14)
    assert clip.title == title and clip.body == "The pilots returned."


def test_a_short_first_paragraph_that_gives_a_date_is_text_not_a_dateline():
    """Never lost: a sentence is kept whatever date it names (the date is the curator's to give)."""
    clip = parse_clipping(
        "Lai Ching-te sworn in as president\n\nLai Ching-te took office in Taipei on May 20, 2024.\n\n"
        "He called on Beijing to stop its intimidation and said the DPP would seek talks.\n"
    )
    assert clip.body.split("\n\n") == [
        "Lai Ching-te took office in Taipei on May 20, 2024.",
        "He called on Beijing to stop its intimidation and said the DPP would seek talks.",
    ]
    assert clip.date is None and clip.chrome_dropped == 0


def test_a_parenthesis_inside_a_sentence_is_not_a_caption():
    text = "Defence Minister Dong Jun (pictured: right) said the PLA would not tolerate provocations near the island."
    clip = parse_clipping(f"Dong warns\n\n{text}\n\nA harbour at dusk. (Photo by Lena Marsh / Coastline Press)\n")
    assert clip.body == text  # kept, as written
    assert clip.captions_dropped == 1  # the caption that closes with its credit


def test_hard_wrapped_paragraphs_are_joined():
    clip = parse_clipping(
        "Harbour pilots return to work\n\n"
        "The first line of a paragraph\nthat was wrapped by the editor.\n"
        "A second paragraph starts here.\n"
    )
    assert clip.body.split("\n\n") == [
        "The first line of a paragraph that was wrapped by the editor.",
        "A second paragraph starts here.",
    ]


def test_plain_text_is_escaped_for_markdown():
    assert plain_to_markdown("1. a <b> *x* [y]") == "1\\. a &lt;b> \\*x\\* \\[y\\]"
    assert plain_to_markdown("# not a heading") == "\\# not a heading"
    assert plain_to_markdown("- not a list") == "\\- not a list"
