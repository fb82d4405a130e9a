"""MkDocs' pages built by worker processes: the same site, byte for byte."""

from __future__ import annotations

import re
import shutil

import jinja2
import pytest
from conftest import copy_sample, run_cli, tree_hash

from briefings import parallel
from briefings.engine import pagebuild, pageconvert, pageframe

pytestmark = pytest.mark.slow


@pytest.fixture
def forked(monkeypatch):
    """Workers for a site this small, and a record of each build that used them."""
    monkeypatch.setattr(parallel, "THRESHOLD", 5)
    used: list[bool] = []
    real = pagebuild._build_in_workers

    def spy(config, workers):
        used.append(True)
        return real(config, workers)

    monkeypatch.setattr(pagebuild, "_build_in_workers", spy)
    return used


def two_samples(tmp_path, search: str):
    """The sample desk twice, with the given search and no plugin but search."""
    serial = copy_sample(tmp_path / "serial")
    config = serial / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace("extra:\n", f"extra:\n  briefings:\n    search: {search}\n", 1), "utf-8"
    )
    workers = tmp_path / "workers"
    shutil.copytree(serial, workers)
    return serial, workers


@pytest.mark.parametrize("search", ["material", "pagefind"])
def test_pages_built_by_workers_are_byte_identical(tmp_path, forked, search):
    serial, workers = two_samples(tmp_path, search)
    one = run_cli("build", "--project", str(serial), "--workers", "1")
    assert one.exit_code == 0, one.output
    assert forked == []
    two = run_cli("build", "--project", str(workers), "--workers", "2")
    assert two.exit_code == 0, two.output
    assert forked == [True]
    assert tree_hash(serial / "site") == tree_hash(workers / "site")  # Pagefind's bundle included
    from mkdocs.structure.pages import Page, _RawHTMLPreprocessor

    assert Page.render.__module__ == _RawHTMLPreprocessor.run.__module__ == "mkdocs.structure.pages"  # put back
    if search == "material":  # the workers' search entries, merged in page order
        index = (workers / "site/search/search_index.json").read_text("utf-8")
        assert index.count('"location":"articles/') >= 80


def test_a_page_that_fails_in_a_worker_is_the_same_one_line_error(tmp_path, forked):
    serial, workers = two_samples(tmp_path, "material")
    for root in (serial, workers):
        (root / "overrides").mkdir(exist_ok=True)
        (root / "overrides/article.html").write_text(
            '{% extends "main.html" %}{% block content %}{{ page.meta.no_such.field }}{% endblock %}', "utf-8"
        )
    one = run_cli("build", "--project", str(serial), "--workers", "1")
    two = run_cli("build", "--project", str(workers), "--workers", "2")
    assert forked == [True]
    assert one.exit_code == two.exit_code == 1
    assert two.output == one.output.replace(str(serial), str(workers))
    assert len(two.output.strip().splitlines()) == 1 and "Traceback" not in two.output


def test_a_site_with_another_plugin_is_built_by_mkdocs_itself(tmp_path, forked):
    root = copy_sample(tmp_path / "offline")
    config = root / "mkdocs.yml"
    text = config.read_text("utf-8")
    assert "\n  - search\n" in text
    config.write_text(text.replace("\n  - search\n", "\n  - search\n  - offline\n"), "utf-8")  # Material's
    result = run_cli("build", "--project", str(root), "--workers", "2")
    assert result.exit_code == 0, result.output
    assert forked == []


def test_the_pages_are_counted_for_the_workers_without_mkdocs_up_to_what_is_enough(tmp_path):
    """Whether the pages are worth the workers is decided by counting the Markdown files of
    the generated tree (in every folder, nothing else counted), and no further than needed."""
    docs = tmp_path / "docs"
    for rel in ["index.md", "topics/taiwan.md", "articles/a.md", "articles/b.md", "articles/deep/c.md"]:
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text("# x\n", "utf-8")
    (docs / "feeds").mkdir()
    (docs / "feeds/all.xml").write_text("<feed/>", "utf-8")
    (docs / "edition.json").write_text("{}", "utf-8")
    assert pagebuild.markdown_files(str(docs), enough=100) == 5
    assert pagebuild.markdown_files(str(docs), enough=2) in range(2, 5)  # stops once it has enough
    assert pagebuild.markdown_files(str(tmp_path / "docs/feeds"), enough=100) == 0


def test_the_json_front_matter_reader_reads_what_mkdocs_reads(sample_build):
    """Every page briefings generates, read by the fast path and by MkDocs' own
    YAML reader: the same Markdown and the same values."""
    from mkdocs.utils import meta

    original = meta.get_data
    pages = sorted((sample_build[0] / "build/docs").rglob("*.md"))
    assert len(pages) > 100
    with pageconvert.json_front_matter():
        fast = meta.get_data
        assert fast is not original
        for path in pages:
            doc = path.read_text("utf-8")
            assert fast(doc) == original(doc), path
        # Not JSON, or not briefings' page: MkDocs' reader, as before.
        assert fast("---\ntitle: Yours\n---\n\nText") == ({"title": "Yours"}, "Text")[::-1]
        assert fast("---\n{not json: [1}\n---\nx") == original("---\n{not json: [1}\n---\nx")
    assert meta.get_data is original


def test_the_theme_files_listed_without_dot_folders_are_those_mkdocs_lists(sample_build, tmp_path):
    """The theme's files MkDocs copies into the site (the sample's overrides, briefings' theme and
    Material's), found without walking Material's 14,000 icons: the same files, from the same folders."""
    from mkdocs.structure.files import Files

    root = copy_sample(tmp_path / "desk")
    (root / "overrides/.hidden").mkdir(parents=True)
    (root / "overrides/.hidden/x.css").write_text("", "utf-8")  # never copied by MkDocs
    (root / "overrides/assets").mkdir()
    (root / "overrides/assets/desk.css").write_text("", "utf-8")  # copied
    _, _, config = pages_of(root)
    env = config.theme.get_env()
    theirs, ours = Files([]), Files([])
    theirs.add_files_from_theme(env, config)
    with pageframe.theme_files_listed_without_dot_folders():
        ours.add_files_from_theme(env, config)
    assert [(f.src_uri, f.abs_src_path) for f in ours] == [(f.src_uri, f.abs_src_path) for f in theirs]
    assert "assets/desk.css" in {f.src_uri for f in ours} and len(ours) > 20
    assert "list_templates" not in vars(env)  # the environment's own method again


def pages_of(root):
    """Every page the pipeline generates for the desk at ``root``, as MkDocs reads them,
    and a function that converts one as MkDocs does (content, toc, title, anchors, links)."""
    from mkdocs.structure.files import get_files
    from mkdocs.structure.nav import get_navigation

    from briefings.engine.base import SiteJob
    from briefings.engine.mkdocs import MkDocsEngine
    from briefings.options import build_options
    from briefings.pages.render import navigation
    from briefings.pipeline import build
    from briefings.project import Project

    project = Project.at(root)
    options = build_options(project, pages_only=True, strict=False)
    report = build(project, options)
    engine = MkDocsEngine(SiteJob(project, options, nav=navigation(report.edition), sources={}, epoch=0))
    config = engine.config(docs_dir=project.docs_dir, site_dir=root / "unused-site")
    files = get_files(config)
    get_navigation(files, config)

    def converted(page):
        page.read_source(config)
        page.render(config, files)
        return page.content, str(page.toc), page.title, page.present_anchor_ids, page.links_to_anchors

    return [f.page for f in files.documentation_pages() if f.page is not None], converted, config


def test_one_reused_markdown_converter_gives_each_page_what_a_new_one_gives(sample_build):
    """Every generated sample page converted by a new Python-Markdown converter (as MkDocs
    does) and by the one converter reused page after page: the same HTML, table of
    contents, title, anchors and links to anchors."""
    import markdown
    from mkdocs.structure import pages as mkdocs_pages

    pages, converted, config = pages_of(sample_build[0])
    assert len(pages) > 100
    fresh = [converted(page) for page in pages]
    with pageconvert.reused_markdown():
        reused = [converted(page) for page in pages]
        new = mkdocs_pages.markdown.Markdown  # what Page.render calls: one converter, reused
        made = [new(extensions=config["markdown_extensions"], extension_configs={}) for _ in range(2)]
        assert made[0] is made[1]
    assert mkdocs_pages.markdown.Markdown is markdown.Markdown  # put back after
    assert reused == fresh
    assert sum("headerlink" in content for content, *_ in reused) > 80  # the toc extension ran on them


def test_raw_blocks_set_aside_give_each_sample_page_what_markdown_gives(sample_build):
    """Every generated sample page converted with its raw HTML blocks set aside and put
    back (and the rest's conversion reused from an earlier page where it is the same), and
    as MkDocs converts it: the same HTML, toc, title, anchors and links."""
    from mkdocs.structure.pages import Page

    pages, converted, _ = pages_of(sample_build[0])
    whole = [converted(page) for page in pages]
    with pageconvert.raw_blocks_set_aside():
        aside = [converted(page) for page in pages]
        again = [converted(page) for page in pages]  # every skeleton now known
    assert Page.render.__module__ == "mkdocs.structure.pages"  # put back after
    assert aside == whole
    assert again == whole
    bodies = [page for page in pages if any(tag == "div" for *_, tag in pageconvert.raw_blocks(page.markdown))]
    assert len(bodies) >= 80  # every article's body...
    assert sum(len(pageconvert.raw_blocks(page.markdown)) > 3 for page in pages) >= 80  # ...and what surrounds it


def test_the_pages_of_a_kind_share_one_conversion(sample_build):
    """What is left of an article once its raw blocks are set aside (its headings: the body,
    quotes and people are raw HTML) is most often another article's too: Python-Markdown
    converts each such text once, not once a page."""
    import markdown

    pages, converted, _ = pages_of(sample_build[0])
    articles = [page for page in pages if page.file.src_uri.startswith("articles/2")]
    calls = []
    real = markdown.Markdown.convert

    def counted(self, text):
        calls.append(text)
        return real(self, text)

    markdown.Markdown.convert = counted
    try:
        with pageconvert.raw_blocks_set_aside():
            for page in articles:
                converted(page)
    finally:
        markdown.Markdown.convert = real
    assert len(articles) >= 80
    # One conversion per shape of article (which of the headings it has), none per page:
    # no text left to Python-Markdown holds a link of its own.
    assert len(calls) == len(set(calls)) <= len(articles) / 8
    assert not any("](" in text or "href" in text for text in calls)
    assert sum("## People" in text for text in calls) >= 2


# Bodies of every shape the fast path must either pass through exactly or leave to Python-Markdown.
ODD_BODIES = {
    "nested.md": "Intro.\n\n<div><div>inside</div>\n\n</div>\n\nAfter the divs.\n",
    "table.md": "| a | b |\n|---|---|\n| 1 < 2 | x & y |\n\nText with *emphasis* and `code <b>`.\n",
    "code.md": "Before.\n\n```\nline <one>\n\n\tindented & tabbed\n```\n\n# A heading\n\n> quoted\n",
    "entities.md": "Caf&eacute; &amp; &#169; \u201cquotes\u201d, 5 > 4, a\u00a0b.\n\n- one\n- two\n",
    "raw.md": (
        '<p id="anchor">An id.</p>\n\n<div markdown="1">*md*</div>\n\n<!-- a comment -->\n\n<a name="n">named</a>\n'
    ),
    "closing.md": "Ends with a closing div line:\n\n</div>\n\nand more after it.\n",
    "blocks.md": (
        "<p>One</p><p>two on a line</p>\n\n<ul><li>open item</ul>\n\n<section><p>a &amp b &copy;</p></section>\n"
        "text right after\n\n<div>\n<p>unclosed\n</div> tail\n\n<hr>\n\n<details><summary>s</summary>x</details>\n"
    ),
}


@pytest.mark.parametrize("trust_html", [False, True])
def test_raw_blocks_set_aside_give_odd_bodies_what_markdown_gives(site, trust_html):
    """Bodies with nested divs, tables, code with tabs and blank lines, entities, ids,
    comments, md_in_html markup, blocks closed early or late, cleaned and (with
    trust_html) raw: each page converted with its blocks set aside equals MkDocs' conversion."""
    site.settings(trust_html=trust_html)
    for i, (name, body) in enumerate(ODD_BODIES.items()):
        site.article(name, f"title: Odd {i}\ndate: 2024-01-1{i}\nsource: Briefings desk\ntopics: [taiwan]\n", body)
    pages, converted, _ = pages_of(site.root)
    articles = [page for page in pages if page.file.src_uri.startswith("articles/") and page.url != "articles/"]
    assert len(articles) == len(ODD_BODIES)
    whole = [converted(page) for page in pages]
    with pageconvert.raw_blocks_set_aside():
        aside = [converted(page) for page in pages]
        again = [converted(page) for page in pages]
    assert aside == whole
    assert again == whole
    fast = {page.file.src_uri for page in articles if pageconvert.raw_blocks(page.markdown)}
    assert fast  # some pages do take the fast path...
    if trust_html:  # ...but never set aside a block with an id, a comment, md_in_html markup or a tab
        for page in articles:
            for start, end, _ in pageconvert.raw_blocks(page.markdown):
                block = page.markdown[start:end]
                assert not any(mark in block for mark in ("id=", "<!--", "markdown=", "\t")), block


# A desk's own partials that read more of the page than Material's: never rendered once per folder.
OWN_PARTIALS = {
    "partials/header.html": '<header class="md-header">{{ page.title | upper }} at {{ page.url }}</header>',
    "partials/language.html": '{% import "partials/languages/en.html" as lang %}{% macro t(key) %}'
    '{% if key == "action.skip" %}Skip to the content of {{ page.url }}{% else %}{{ lang.t(key) }}{% endif %}'
    "{% endmacro %}",
}


@pytest.mark.parametrize("own_partials", [False, True])
def test_the_header_is_rendered_once_per_folder_and_each_page_gets_its_title(
    tmp_path, forked, monkeypatch, own_partials
):
    """The page-building path run in this process (so its renders can be counted): the
    header is rendered with a hole for the title once per folder, not once per page,
    and the site equals MkDocs' own build byte for byte. A desk's own header and
    translations partials, which read the page, are rendered for every page."""
    serial, workers = two_samples(tmp_path, "pagefind")
    if own_partials:
        for root in (serial, workers):
            for name, text in OWN_PARTIALS.items():
                (root / "overrides" / name).parent.mkdir(parents=True, exist_ok=True)
                (root / "overrides" / name).write_text(text, "utf-8")
    one = run_cli("build", "--project", str(serial), "--workers", "1")
    assert one.exit_code == 0, one.output
    in_process = lambda self, task, count, meanwhile, alone=0: ([task(range(count))], meanwhile())  # noqa: E731
    monkeypatch.setattr(parallel.Workers, "chunks", in_process)
    holes: list[str] = []
    real = pageframe._Untitled.__init__

    def untitled(self, page):
        holes.append(page.url)
        real(self, page)

    monkeypatch.setattr(pageframe._Untitled, "__init__", untitled)
    made: list[str] = []  # each module of the translations partial made
    make_module = jinja2.Template.make_module

    def counted(self, *args, **kwargs):
        if self.name == pageframe.LANGUAGE_TEMPLATE:
            made.append(self.filename)
        return make_module(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Template, "make_module", counted)
    two = run_cli("build", "--project", str(workers), "--workers", "2")
    assert two.exit_code == 0, two.output
    assert forked == [True]
    assert tree_hash(serial / "site") == tree_hash(workers / "site")
    pages = list((workers / "site").rglob("index.html"))
    assert len(pages) > 140
    if own_partials:
        assert holes == [] and len(made) > len(pages)  # for every page (and its table of contents)
        article = next((workers / "site/articles").glob("*/index.html")).read_text("utf-8")
        assert "Skip to the content of articles/" in article  # the desk's translations, with its address
        return
    assert 5 < len(holes) < 30  # one per folder of pages
    assert len(made) <= 3  # once for all pages (and before, for the 404 page and sitemap)
    assert len({url.rsplit("/", 2)[0] for url in holes}) == len(holes)


def test_the_theme_is_compiled_once_and_again_where_it_changed(tmp_path, monkeypatch):
    """The theme's templates are compiled by the first build and kept in the build folder
    (Jinja's bytecode cache): the next build compiles none and builds the same site. A
    template the desk changes is compiled again, and the site shows the change."""
    root = copy_sample(tmp_path / "desk")
    compiled: list[str] = []
    compile_ = jinja2.Environment.compile

    def counted(self, source, name=None, filename=None, *args, **kwargs):
        compiled.append(name)
        return compile_(self, source, name, filename, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    card = root / "overrides/partials/quote-card.html"
    card.parent.mkdir(parents=True, exist_ok=True)

    def build(marker: str) -> str:
        card.write_text(f'<figure class="{marker}">{{{{ q.text | e }}}}</figure>\n', "utf-8")
        compiled.clear()
        result = run_cli("build", "--project", str(root), "--full", "--workers", "1")
        assert result.exit_code == 0, result.output
        return tree_hash(root / "site")

    first = build("desk-card-one")
    assert {"main.html", "article.html", "partials/header.html", "partials/quote-card.html"} <= set(compiled)
    assert len(list((root / "build/templates").iterdir())) >= len(set(compiled)) > 20
    assert build("desk-card-one") == first and compiled == []
    build("desk-card-two")
    assert compiled == ["partials/quote-card.html"]
    topic = (root / "site/topics/taiwan/index.html").read_text("utf-8")
    assert "desk-card-two" in topic and "desk-card-one" not in topic


@pytest.mark.parametrize("own_template", [False, True])
def test_the_sitemap_listed_from_the_docs_files_is_the_one_mkdocs_writes(tmp_path, monkeypatch, own_template):
    """An incremental build that adds or removes pages writes the sitemap from the list of the
    docs' files, without MkDocs' files, navigation and pages: byte for byte what those give,
    with pages in folders and names MkDocs orders apart. A desk's own sitemap.xml may read more
    of a page: MkDocs renders it."""
    from briefings.engine.base import SiteJob
    from briefings.engine.mkdocs import MkDocsEngine
    from briefings.options import build_options
    from briefings.pages.render import navigation
    from briefings.pipeline import build
    from briefings.project import Project

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764633600")
    root = copy_sample(tmp_path / "desk")
    if own_template:
        (root / "overrides").mkdir()
        (root / "overrides/sitemap.xml").write_text("{% for f in pages %}{{ f.page.title }} {% endfor %}", "utf-8")
    project = Project.at(root)
    options = build_options(project, pages_only=True, strict=False, base_url="https://user.github.io/repo")
    report = build(project, options)
    docs = project.docs_dir
    for name in ("zz.md", "a-b.md", "a/index.md", "a/b.md", "a/b/c d.md", "a/b/index.md", "Z/é.md", "people/0.md"):
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text("# A page\n", "utf-8")
    files = [path.relative_to(docs).as_posix() for path in docs.rglob("*") if path.is_file()]
    engine = MkDocsEngine(SiteJob(project, options, nav=navigation(report.edition), sources={}, epoch=0))
    listed: list[bool] = []
    real = pagebuild._listed_sitemap
    monkeypatch.setattr(pagebuild, "_listed_sitemap", lambda *a: listed.append(real(*a)) or listed[-1])

    pagebuild.write_sitemap(engine.config(docs_dir=docs, site_dir=tmp_path / "mkdocs"))
    pagebuild.write_sitemap(engine.config(docs_dir=docs, site_dir=tmp_path / "listed"), files)

    assert listed == [not own_template]
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        assert (tmp_path / "listed" / name).read_bytes() == (tmp_path / "mkdocs" / name).read_bytes(), name
    sitemap = (tmp_path / "listed/sitemap.xml").read_text("utf-8")
    if not own_template:
        locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
        assert len(locs) > 100 and locs[0] == "https://user.github.io/repo/"
        assert "https://user.github.io/repo/a/b/c%20d/" in locs and "https://user.github.io/repo/Z/%C3%A9/" in locs
        assert locs.index("https://user.github.io/repo/zz/") < locs.index("https://user.github.io/repo/a/")
