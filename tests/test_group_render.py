"""Grouping, ordering and rendering: pure stages, tested without a site build."""

from __future__ import annotations

import datetime as dt

import yaml

from briefings.content.model import Article, Content, Quote, Topic
from briefings.pages.group import by_month, group, select
from briefings.pages.render import render

UTC = dt.UTC
TOPICS = (Topic("us-china", "US–China relations", "Washington and Beijing."), Topic("taiwan", "Taiwan", "The island."))


def art(slug, day, topics=("us-china",), **kw) -> Article:
    published = kw.pop("published", dt.datetime.fromisoformat(day).replace(tzinfo=UTC))
    return Article(
        path=f"content/articles/{slug}.md",
        slug=slug,
        title=kw.pop("title", slug.title()),
        published=published,
        source=kw.pop("source", "Desk"),
        topics=tuple(topics),
        **kw,
    )


def edition_of(*articles, drafts=False, now="2025-01-01"):
    content = Content(TOPICS, tuple(sorted(articles, key=Article.sort_key)))
    return group(content, select(content, drafts=drafts, now=dt.datetime.fromisoformat(now).replace(tzinfo=UTC)))


def front(text: str) -> dict:
    return yaml.safe_load(text.split("---\n")[1])


def test_articles_sort_newest_first_then_by_slug():
    e = edition_of(art("b", "2024-01-01"), art("a", "2024-01-01"), art("c", "2024-02-01"))
    assert [a.slug for a in e.articles] == ["c", "a", "b"]


def test_datetimes_with_offsets_compare_as_instants():
    early_utc = art(
        "taipei-evening", "2024-01-13", published=dt.datetime.fromisoformat("2024-01-13T20:00:00+08:00")
    )  # 12:00 UTC
    late_utc = art("london-afternoon", "2024-01-13", published=dt.datetime.fromisoformat("2024-01-13T13:00:00+00:00"))
    e = edition_of(early_utc, late_utc)
    assert [a.slug for a in e.articles] == ["london-afternoon", "taipei-evening"]


def test_an_article_sits_in_every_topic_it_names_in_topics_yml_order():
    e = edition_of(art("both", "2024-01-01", topics=("taiwan", "us-china")), art("one", "2024-02-01"))
    assert [b.topic.id for b in e.briefings] == ["us-china", "taiwan"]
    assert [a.slug for a in e.briefings[0].articles] == ["one", "both"]
    assert [a.slug for a in e.briefings[1].articles] == ["both"]


def test_drafts_and_future_articles_are_left_out_unless_asked():
    items = (art("draft", "2024-01-01", draft=True), art("future", "2026-01-01"), art("live", "2024-06-01"))
    assert [a.slug for a in edition_of(*items).articles] == ["live"]
    assert edition_of(*items).left_out == 2
    assert [a.slug for a in edition_of(*items, drafts=True).articles] == ["future", "live", "draft"]


def test_sources_most_articles_first_then_by_name():
    e = edition_of(
        art("a", "2024-01-01", source="b outlet"),
        art("b", "2024-01-02", source="A outlet"),
        art("c", "2024-01-03", source="Desk"),
        art("d", "2024-01-04", source="Desk"),
    )
    assert [(s.name, len(s.articles)) for s in e.sources] == [("Desk", 2), ("A outlet", 1), ("b outlet", 1)]


def test_by_month_groups_consecutive_months():
    e = edition_of(art("a", "2024-03-31"), art("b", "2024-03-01"), art("c", "2023-12-25"))
    assert [(m.isoformat(), [a.slug for a in items]) for m, items in by_month(e.articles)] == [
        ("2024-03-01", ["a", "b"]),
        ("2023-12-01", ["c"]),
    ]


def test_render_makes_every_page_and_a_nav_without_articles():
    pages = render(edition_of(art("a", "2024-01-01", topics=("taiwan",)), art("b", "2024-01-02")))
    markdown = sorted(name for name in pages.files if name.endswith(".md"))
    assert markdown == [
        "articles/a.md",
        "articles/b.md",
        "articles/index.md",
        "corrections.md",
        "digests/2024-W01.md",  # both articles' ISO week
        "digests/index.md",
        "index.md",
        "people/index.md",
        "sources.md",
        "stories/index.md",
        "timeline.md",
        "topics/index.md",
        "topics/taiwan.md",
        "topics/us-china.md",
    ]
    assert pages.nav == [
        {"Home": "index.md"},
        {"Topics": ["topics/index.md", {"US–China relations": "topics/us-china.md"}, {"Taiwan": "topics/taiwan.md"}]},
        {"Stories": "stories/index.md"},
        {"Digests": "digests/index.md"},
        {"Timeline": "timeline.md"},
        {"Articles": "articles/index.md"},
        {"People": "people/index.md"},
        {"Sources": "sources.md"},
    ]


def test_topic_page_lists_each_article_in_no_story_as_a_story_of_one_with_its_other_topics():
    pages = render(
        edition_of(
            art("both", "2024-01-05", topics=("taiwan", "us-china"), summary="S."),
            art("solo", "2023-12-01", topics=("taiwan",)),
        )
    )
    meta = front(pages.files["topics/taiwan.md"])["briefing"]
    assert [(s["url"], s["date"]) for s in meta["stories"]] == [
        ("articles/both/", "5 January 2024"),
        ("articles/solo/", "1 December 2023"),
    ]
    first = meta["stories"][0]
    assert first["summary"] == "S."
    assert first["topics"] == [{"title": "US–China relations", "url": "topics/us-china/"}]
    # Key dates: the same stories, oldest first, linked to their place on the page.
    assert [(k["date"], k["anchor"]) for k in meta["key_dates"]] == [
        ("1 December 2023", "article-solo"),
        ("5 January 2024", "article-both"),
    ]


def test_article_page_links_to_neighbours_in_each_topic():
    pages = render(edition_of(art("old", "2024-01-01"), art("mid", "2024-02-01"), art("new", "2024-03-01")))
    more = front(pages.files["articles/mid.md"])["briefing"]["more"]
    assert more == [
        {
            "topic": "US–China relations",
            "url": "topics/us-china/",
            "newer": {"title": "New", "url": "articles/new/", "date": "1 March 2024"},
            "older": {"title": "Old", "url": "articles/old/", "date": "1 January 2024"},
        }
    ]


def test_markup_in_front_matter_is_escaped_where_material_prints_it_raw():
    evil = '<script>alert(1)</script> & "quotes"'
    pages = render(
        edition_of(
            art(
                "x",
                "2024-01-01",
                title=evil,
                summary=evil,
                quotes=(Quote(evil, (evil,)),),
                people=(evil,),
                key_points=(evil,),
            )
        )
    )
    text = pages.files["articles/x.md"]
    meta = front(text)
    assert meta["title"] == "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"
    assert meta["description"] == meta["title"]
    body = text.split("---\n", 2)[2]
    assert "<script>" not in body
    assert body.count("&lt;script&gt;") == 5  # summary, key point, quote text and speaker, person
    # The templates escape what is under briefing:, so it stays raw text there.
    assert front(pages.files["index.md"])["briefing"]["top"]["title"] == evil


def test_markdown_in_plain_text_fields_is_not_interpreted():
    pages = render(edition_of(art("x", "2024-01-01", summary="1. not a list *not bold* [no](link)")))
    body = pages.files["articles/x.md"].split("---\n", 2)[2]
    assert '<p class="bf-summary">1. not a list *not bold* [no](link)</p>' in body


def test_rendering_is_deterministic():
    items = [art(f"a{i}", f"2024-01-{i + 1:02d}", topics=("taiwan", "us-china")) for i in range(9)]
    assert render(edition_of(*items)).files == render(edition_of(*reversed(items))).files


def test_people_aliases_merge_and_quotes_find_their_speaker():
    from briefings.content.model import Person

    xi = Person("xi-jinping", "Xi Jinping", aliases=("Xi", "President Xi"))
    items = (
        art("a", "2024-01-01", people=("Xi",), quotes=(Quote("Words.", ("President Xi, at the summit",)),)),
        art("b", "2024-02-01", people=("xi jinping", "Joe Biden")),
        art("c", "2024-03-01", quotes=(Quote("Other words.", ("Joe Biden (readout)",)),)),
    )
    content = Content(TOPICS, tuple(sorted(items, key=Article.sort_key)), people=(xi,))
    e = group(content, select(content, drafts=False, now=dt.datetime(2025, 1, 1, tzinfo=UTC)))
    files = {f.person.slug: f for f in e.people}
    assert sorted(files) == ["joe-biden", "xi-jinping"]
    assert [a.slug for a in files["xi-jinping"].articles] == ["b", "a"]
    assert [(q.text, a.slug) for q, a in files["xi-jinping"].quotes] == [("Words.", "a")]
    assert [(q.text, a.slug) for q, a in files["joe-biden"].quotes] == [("Other words.", "c")]


def test_related_ranks_shared_people_then_topics_then_closeness_with_reasons():
    from briefings.pages.related import related_articles

    items = tuple(
        sorted(
            [
                art("target", "2024-06-01", topics=("taiwan", "us-china")),
                art("same-person", "2020-01-01", topics=("us-china",)),
                art("two-topics-far", "2021-01-01", topics=("taiwan", "us-china")),
                art("one-topic-near", "2024-06-02", topics=("taiwan",)),
                art("one-topic-far", "2019-06-02", topics=("taiwan",)),
                art("unrelated", "2024-06-01", topics=()),
            ],
            key=Article.sort_key,
        )
    )
    people_of = {"target": ("lai-ching-te",), "same-person": ("lai-ching-te",)}
    related = related_articles(items, people_of, limit=3)["target"]
    assert [(r.article.slug, r.shared_topics, r.shared_people) for r in related] == [
        ("same-person", ("us-china",), ("lai-ching-te",)),
        ("two-topics-far", ("taiwan", "us-china"), ()),
        ("one-topic-near", ("taiwan",), ()),
    ]
    assert related_articles(items, people_of)["target"] == related_articles(tuple(reversed(items)), people_of)["target"]


def test_json_ld_cannot_close_its_script_element():
    pages = render(edition_of(art("x", "2024-01-01", title="</script><script>alert(1)</script>")))
    jsonld = front(pages.files["articles/x.md"])["briefing"]["jsonld"]
    assert "<" not in jsonld and ">" not in jsonld
    import json

    assert json.loads(jsonld)["headline"] == "</script><script>alert(1)</script>"


def test_reading_time_and_word_count():
    body = "word " * 460
    pages = render(edition_of(art("x", "2024-01-01", summary="Three more words.", body=body)))
    meta = front(pages.files["articles/x.md"])["briefing"]
    assert (meta["words"], meta["minutes"]) == (463, 3)
