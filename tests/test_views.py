"""The templates read only what the page views have.

MkDocs and Zensical render templates with a lenient Undefined: a misspelt
name prints as nothing and the page still builds. Here every page template
(and the partials it includes) is rendered with Jinja's StrictUndefined
against the views of the real sample site, so a name that no view has fails.

What a template gets is the view as the engine gives it: ``page.meta`` parsed
back from the generated front matter, where a view's optional fields
(OMITTED in views.py) are absent while unset, and ``b.share`` exists on
article pages only. So templates test such keys with ``is defined`` (never by
truthiness, which StrictUndefined refuses), and a separate check makes sure
that each name tested so is one some view has: a misspelt name there would
otherwise always be "not defined".

Material's base.html cannot render outside MkDocs, so only our blocks are
rendered: ``content`` of each page template and ``extrahead`` of main.html,
with MkDocs' own Jinja environment (the theme's loader and its ``url``
filter) and the real MkDocs configuration.
"""

from __future__ import annotations

import dataclasses
import re
from types import SimpleNamespace

import jinja2
import pytest
from conftest import REPO, copy_sample, generate
from mkdocs.utils import get_relative_url
from mkdocs.utils.meta import get_data

from briefings.engine.base import SiteJob
from briefings.engine.mkdocs import MkDocsEngine
from briefings.options import build_options
from briefings.pages import digestviews, viewparts, views
from briefings.project import Project

THEME = REPO / "theme"
# main.html is every page's frame; 404.html is MkDocs' page for missing addresses, with no view.
PAGE_TEMPLATES = sorted(p.name for p in THEME.glob("*.html") if p.name not in ("main.html", "404.html"))
# Our partials. The others are Material's with marked changes, and pagefind.html
# is the search button in Material's header: none of them reads a view.
VIEW_PARTIALS = sorted(
    f"partials/{p.name}"
    for p in (THEME / "partials").glob("*.html")
    if "briefings: was" not in p.read_text("utf-8") and p.name != "pagefind.html"
)
VIEW_CLASSES = [
    c
    for m in (views, viewparts, digestviews)
    for c in vars(m).values()
    if isinstance(c, type) and dataclasses.is_dataclass(c)
]


class Recording(jinja2.BaseLoader):
    """The theme's loader, noting every template it loads."""

    def __init__(self, loader: jinja2.BaseLoader):
        self.loader = loader
        self.loaded: set[str] = set()

    def get_source(self, environment, template):
        self.loaded.add(template)
        return self.loader.get_source(environment, template)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The sample site's pages, with data for every branch of the templates:
    month archives and year pages (archive_after: 1) of topics, the timeline and a
    person, the articles index with its archive, a draft (built with --drafts), and
    an updated article besides one with an image."""
    root = copy_sample(tmp_path_factory.mktemp("views"))
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace("extra:\n", "extra:\n  briefings:\n    archive_after: 1\n", 1), "utf-8"
    )
    updated = root / "content/articles/2024/2024-01-13-focus-taiwan-lai-elected-president.md"
    updated.write_text(updated.read_text("utf-8").replace("\ndate: ", "\nupdated: 2024-02-01\ndate: ", 1), "utf-8")
    (root / "content/articles/2024/2024-12-01-draft.md").write_text(
        "---\ntitle: An unfinished draft\ndate: 2024-12-01\nsource: Briefings desk\ntopics: [taiwan]\n"
        "draft: true\n---\nNot yet.\n",
        "utf-8",
    )
    project = Project.at(root)
    report = generate(project, drafts=True)
    options = build_options(project, drafts=True, pages_only=True)
    engine = MkDocsEngine(SiteJob(project, options, nav=[], sources={}, epoch=0))
    mkdocs_config = engine.config(docs_dir=project.docs_dir, site_dir=root / "site")
    pages = {}
    for path in sorted(project.docs_dir.rglob("*.md")):
        name = path.relative_to(project.docs_dir).as_posix()
        body, meta = get_data(path.read_text("utf-8"))  # as MkDocs reads front matter
        pages[name] = (meta, body)
    assert report.edition.unpublished, "the sample needs a draft"
    return SimpleNamespace(pages=pages, config=mkdocs_config, briefings=dict(mkdocs_config.extra["briefings"]))


def page_of(name: str, meta: dict, body: str) -> SimpleNamespace:
    """What MkDocs gives a template as ``page`` (the attributes our blocks read)."""
    stem = name.removesuffix(".md")
    url = "" if stem == "index" else stem.removesuffix("/index") + "/"  # directory URLs
    return SimpleNamespace(
        meta=meta, content=body, title=meta.get("title"), url=url, is_homepage=name == "index.md", canonical_url=None
    )


def strict_env(config, overrides: dict[str, str] | None = None) -> jinja2.Environment:
    """MkDocs' environment for the theme (loader, url filter), with StrictUndefined."""
    env = config.theme.get_env()
    loader = Recording(env.loader)
    if overrides:
        loader = Recording(jinja2.ChoiceLoader([jinja2.DictLoader(overrides), env.loader]))
    return env.overlay(undefined=jinja2.StrictUndefined, loader=loader)


def render_block(
    env: jinja2.Environment, template: str, block: str, config, page_name: str, meta: dict, body: str
) -> str:
    page = page_of(page_name, meta, body)
    tmpl = env.get_template(template)
    context = tmpl.new_context({"page": page, "config": config, "base_url": get_relative_url(".", page.url)})
    # The blocks of the templates it extends (Material's base.html), so that super() finds them.
    for name in ancestors(env, template):
        for block_name, render in env.get_template(name).blocks.items():
            context.blocks.setdefault(block_name, []).append(render)
    return "".join(tmpl.blocks[block](context))


def ancestors(env: jinja2.Environment, template: str) -> list[str]:
    """The templates ``template`` extends, nearest first. Parsed once per environment:
    parsing Material's base.html for every page was nine tenths of this module's time."""
    known = env.__dict__.setdefault("_bf_ancestors", {})
    if template not in known:
        chain, name = [], template
        while (extends := env.parse(env.loader.get_source(env, name)[0]).find(jinja2.nodes.Extends)) is not None:
            name = extends.template.value
            chain.append(name)
        known[template] = chain
    return known[template]


def render_page(env, config, name, meta, body) -> str:
    """Our blocks of one generated page: its template's content, and main.html's extrahead."""
    html = render_block(env, "main.html", "extrahead", config, name, meta, body)
    if "template" in meta:
        html += render_block(env, meta["template"], "content", config, name, meta, body)
    return html


def configured(sample, extra: str):
    """The sample's MkDocs configuration as the engine gives it (extra.briefings.search resolved:
    pagefind, the default), with Material's search instead, or with extra.briefings absent."""
    config = sample.config
    config.extra.pop("briefings", None)
    if extra != "absent":
        config.extra["briefings"] = {**sample.briefings, **({"search": "material"} if extra == "material" else {})}
    return config


@pytest.mark.parametrize("extra", ["absent", "material", "pagefind"])
def test_every_template_reads_only_what_its_view_has(sample, extra):
    config = configured(sample, extra)  # the pagefind branches read other keys
    env = strict_env(config)
    rendered = {}
    for name, (meta, body) in sample.pages.items():
        try:
            rendered[name] = render_page(env, config, name, meta, body)
        except jinja2.UndefinedError as exc:
            pytest.fail(f"{meta.get('template', 'main.html')} on {name}: {exc}")
    used = {meta["template"] for meta, _ in sample.pages.values() if "template" in meta}
    assert sorted(used) == PAGE_TEMPLATES
    assert set(VIEW_PARTIALS) <= env.loader.loaded
    # The branches that read optional keys had data.
    articles = [meta["briefing"] for name, (meta, _) in sample.pages.items() if meta.get("template") == "article.html"]
    assert any("updated" in a for a in articles) and any("updated" not in a for a in articles)
    assert any("story" in a for a in articles) and any("story" not in a for a in articles)
    assert any(a["draft"] for a in articles)
    archives = [meta["briefing"] for meta, _ in sample.pages.values() if meta.get("template") == "archive.html"]
    assert any(a["stories"] for a in archives) and any(a["entries"] for a in archives)
    assert any(a["quotes"] for a in archives)
    years = [meta["briefing"] for meta, _ in sample.pages.values() if meta.get("template") == "year.html"]
    assert {bool(y["quotes"]) for y in years} == {True, False}
    assert any(y["newer"] and y["older"] for y in years)
    assert sample.pages["articles/index.md"][0]["briefing"]["years"]
    assert sample.pages["stories/index.md"][0]["briefing"]["years"]
    assert any("story" in a for a in articles) and any("story" not in a for a in articles)
    stories = [meta["briefing"] for meta, _ in sample.pages.values() if meta.get("template") == "story.html"]
    assert any(s["blindspots"] for s in stories) and any(not s["blindspots"] for s in stories)
    assert any(s["quotes"] for s in stories) and any(v["note"] for s in stories for v in s["versions"])
    # Its front matter has image: credit, but the site shows no photo: so no photo credit either.
    assert "Photo:" not in rendered["articles/2023-11-15-daily-caller-biden-xi-agreement.md"]
    assert 'class="bf-original__link"' in rendered["articles/2023-11-15-daily-caller-biden-xi-agreement.md"]
    assert ("data-pagefind-filter" in rendered["articles/2023-11-15-daily-caller-biden-xi-agreement.md"]) == (
        extra == "pagefind"
    )


MISSPELT = [
    ("article.html", "a.minutes", "a.minute"),
    ("article.html", "a.story.sources", "a.story.source"),
    ("topic.html", "b.key_dates", "b.key_date"),
    ("topic.html", "k.anchor", "k.id"),
    ("person.html", "b.quote_count", "b.quotes_count"),
    ("partials/month-lines.html", "month.label", "month.title"),
    ("archive.html", "b.newer.label", "b.newer.title"),
    ("archive.html", "b.year.url", "b.year.link"),
    ("year.html", "b.quotes", "b.quote"),
    ("year.html", "b.older.url", "b.older.link"),
    ("partials/archive-years.html", "y.months", "y.month"),
    ("articles.html", "b.shown", "b.show"),
    ("main.html", "b.share.published", "b.share.publish"),
    ("partials/compact-entry.html", "item.source", "item.sourc"),
    ("partials/story-sources.html", "item.sources", "item.source_count"),
    ("story.html", "b.blindspots", "b.blindspot"),
    ("story.html", "v.original", "v.origin"),
    ("story.html", "group.heading", "group.title"),
    ("stories.html", "b.count", "b.counts"),
    ("sources.html", "m.taiwan", "m.tw"),
    ("article.html", "a.story.versions", "a.story.version"),
    ("partials/topic-story.html", "s.why_it_matters", "s.why_it_maters"),
    ("partials/topic-story.html", "o.name", "o.title"),
    ("partials/quote-card.html", "s.url", "s.speaker_url"),
    ("partials/quote-card.html", "q.original", "q.origin"),
    ("story.html", "v.corrections", "v.correction"),
    ("story.html", "b.corrected_versions", "b.corrected_version"),
    ("corrections.html", "c.original", "c.origin"),
    ("partials/topic-cards.html", "card.headlines", "card.headline"),
    ("digest.html", "s.reach", "s.reaches"),
    ("digest.html", "q.source", "q.outlet"),
    ("digest.html", "b.older.label", "b.older.title"),
    ("digests.html", "w.headline", "w.headlines"),
    ("home.html", "b.digest.headline", "b.digest.headlines"),
]


@pytest.mark.parametrize("template, name, misspelt", MISSPELT)
def test_a_misspelt_name_fails(sample, template, name, misspelt):
    """The check above can fail: one name misspelt in one template raises."""
    source = (THEME / template).read_text("utf-8")
    assert name in source
    config = configured(sample, "written")
    env = strict_env(config, {template: source.replace(name, misspelt)})
    with pytest.raises(jinja2.UndefinedError, match=misspelt.rsplit(".", 1)[1]):
        for page, (meta, body) in sample.pages.items():
            render_page(env, config, page, meta, body)


def test_names_tested_with_is_defined_are_names_a_view_has():
    """``x.name is defined`` is false, and ``x.name | default(...)`` the default, for any
    misspelt name: each name read so must be a view's field."""
    fields = {f.name for cls in VIEW_CLASSES for f in dataclasses.fields(cls)}
    config_keys = {"briefings", "search"}  # config.extra.briefings.search: mkdocs.yml may leave them out
    tested = re.compile(r"\.(\w+)\)?\s*(?:is\s+(?:not\s+)?defined|\|\s*(?:default|d)\b)")
    for path in [*THEME.glob("*.html"), *(THEME / "partials").glob("*.html")]:
        if "briefings: was" in path.read_text("utf-8"):
            continue  # Material's, with marked changes
        names = tested.findall(path.read_text("utf-8"))
        assert not set(names) - fields - config_keys, f"{path.name}: no view has {set(names) - fields - config_keys}"


def test_a_view_with_optional_fields_leaves_them_out_while_unset():
    for cls in VIEW_CLASSES:
        if any(f.metadata.get("omit_if_none") for f in dataclasses.fields(cls)):
            assert issubclass(cls, views.LeavesOutUnset), cls.__name__
    front = views.FrontMatter(title="T")
    assert vars(front) == {"title": "T", "hide": ("toc",)} and front.briefing is None


VIEW_OF_TEMPLATE = {
    "home.html": views.HomeView,
    "topics.html": views.TopicsIndexView,
    "topic.html": views.TopicView,
    "archive.html": views.ArchiveView,
    "year.html": views.YearView,
    "articles.html": views.ArticlesIndexView,
    "article.html": views.ArticleView,
    "timeline.html": views.TimelineView,
    "sources.html": views.SourcesView,
    "people.html": views.PeopleIndexView,
    "person.html": views.PersonView,
    "story.html": views.StoryView,
    "stories.html": views.StoriesIndexView,
    "corrections.html": views.CorrectionsView,
    "digest.html": digestviews.DigestWeekView,
    "digests.html": digestviews.DigestsView,
}


def test_front_matter_is_the_views_fields_in_order(sample):
    """What a template reads is its view: the keys of every page's front matter
    and of its ``briefing`` are the view's fields, in order, but unset optional ones."""
    assert sorted(VIEW_OF_TEMPLATE) == PAGE_TEMPLATES
    for name, (meta, _) in sample.pages.items():
        assert list(meta) == [f.name for f in dataclasses.fields(views.FrontMatter) if f.name in meta], name
        if "template" in meta:
            expected = [
                f.name
                for f in dataclasses.fields(VIEW_OF_TEMPLATE[meta["template"]])
                if f.name in meta["briefing"] or not f.metadata.get("omit_if_none")
            ]
            assert list(meta["briefing"]) == expected, name
