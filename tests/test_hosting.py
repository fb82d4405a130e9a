"""Hosting on GitHub Pages: subpath sites, .nojekyll and CNAME, and the link check of a built site."""

from __future__ import annotations

import gzip
import re
import shutil

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from conftest import SUBPATH_URL, VALID, pagefind_fragments, run_cli

from briefings.cli import main
from briefings.engine.linkcheck import check_site


def soup(path):
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def test_a_root_site_has_nojekyll_and_no_cname(sample_build):
    root, _ = sample_build
    assert (root / "site/.nojekyll").read_bytes() == b""
    assert not (root / "site/CNAME").exists()


def test_a_subpath_site_links_everything_under_the_subpath(subpath_build):
    root, _ = subpath_build
    site = root / "site"
    assert (site / ".nojekyll").is_file()
    # The 404 page is served at any depth, so its links are root-absolute: under /repo/.
    links = [tag.get("href") or tag.get("src") for tag in soup(site / "404.html").select("[href], [src]")]
    local = [link for link in links if not link.startswith(("https://", "http://", "#"))]
    assert local and all(link.startswith("/repo/") for link in local), local
    assert "/repo/assets/stylesheets/briefings.css" in local
    # Canonical links and the sitemap name the public address.
    canonical = soup(site / "topics/taiwan/index.html").select_one('link[rel="canonical"]')["href"]
    assert canonical == SUBPATH_URL + "topics/taiwan/"
    sitemap = gzip.decompress((site / "sitemap.xml.gz").read_bytes()).decode()
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert locs and all(loc.startswith(SUBPATH_URL) for loc in locs)
    # Search results are relative to the site's root (briefings-search.js gives Pagefind the
    # root, /repo/, read off its own address), so they work under any path.
    records = pagefind_fragments(site / "pagefind")
    assert records and all(url.startswith("/") and not url.startswith("/repo/") for url in records)


def test_link_check_of_root_and_subpath_sites(sample_build, subpath_build):
    root_site, sub_site = sample_build[0] / "site", subpath_build[0] / "site"
    assert check_site(root_site, "/") == []
    assert check_site(sub_site, SUBPATH_URL) == []  # canonical links on the same host are checked too
    assert check_site(sub_site, "/repo/") == []
    # The check can fail: each site served from the wrong place has broken links.
    wrong = check_site(sub_site, "/")
    assert wrong and {b.page for b in wrong} == {"404.html"}
    wrong = check_site(root_site, "/repo/")
    assert wrong and all("outside the site's base path /repo/" in b.reason for b in wrong)


def test_check_site_cli_passes_on_both_sites(sample_build, subpath_build):
    result = run_cli("check", "--site", "--project", str(sample_build[0]))
    assert result.exit_code == 0, result.output
    assert re.search(r"OK: \d+ pages in .*site/, every internal link and anchor resolves under /\.", result.stdout)
    result = run_cli("check", "--site", "--base-url", SUBPATH_URL, "--project", str(subpath_build[0]))
    assert result.exit_code == 0, result.output
    assert f"resolves under {SUBPATH_URL}." in result.stdout


def test_check_site_cli_reports_broken_links_and_anchors(sample_build, tmp_path):
    site = tmp_path / "copy"
    shutil.copytree(sample_build[0] / "site", site)
    shutil.rmtree(site / "topics/fentanyl")
    page = site / "timeline/index.html"
    page.write_text(page.read_text("utf-8").replace("</article>", '<a href="../sources/#nowhere">x</a></article>', 1))
    result = run_cli("check", "--site", "--site-dir", str(site), "--project", str(sample_build[0]))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert "timeline/index.html: ../sources/#nowhere: no element with id 'nowhere' in sources/index.html" in lines
    assert "index.html: topics/fentanyl/: no such file in the site" in lines
    assert re.fullmatch(r"Error: \d+ broken links in .*copy/\.", lines[-1])


def test_check_site_of_a_subpath_site_without_its_base_url_says_what_to_do(subpath_build):
    result = run_cli("check", "--site", "--project", str(subpath_build[0]))
    assert result.exit_code == 1
    assert "404.html: /repo/topics/: no such file in the site" in result.stderr
    assert result.stderr.splitlines()[-1].endswith("(for a site built with --base-url, pass the same --base-url here).")


def test_check_site_without_a_built_site(site):
    site.article("a.md", VALID)
    result = site.run("check", "--site")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {site.root / 'site'} holds no built site (expected index.html; run briefings build first)\n"
    )


@pytest.mark.slow
def test_base_url_from_mkdocs_yml_and_from_the_environment(site):
    site.article("a.md", VALID)
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + "site_url: https://example.org/desk/\n", encoding="utf-8")
    assert site.run("build").exit_code == 0
    stylesheet = soup(site.root / "site/404.html").select_one('link[href$="briefings.css"]')
    assert stylesheet["href"] == "/desk/assets/stylesheets/briefings.css"
    assert site.run("check", "--site").exit_code == 0  # site_url is the default base for the check
    # BRIEFINGS_BASE_URL (what the Pages workflow sets) wins over mkdocs.yml; the final slash is added.
    result = CliRunner(env={"BRIEFINGS_BASE_URL": "https://user.github.io/other"}).invoke(
        main, ["build", "--project", str(site.root)]
    )
    assert result.exit_code == 0, result.output
    stylesheet = soup(site.root / "site/404.html").select_one('link[href$="briefings.css"]')
    assert stylesheet["href"] == "/other/assets/stylesheets/briefings.css"


@pytest.mark.slow
def test_cname_option_and_setting(site):
    site.article("a.md", VALID)
    assert site.run("build", "--cname", "News.Example.org").exit_code == 0
    assert (site.root / "site/CNAME").read_text() == "news.example.org\n"
    assert (site.root / "site/.nojekyll").is_file()
    config = site.root / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace("extra:\n", "extra:\n  cname: briefs.example.com\n"), encoding="utf-8"
    )
    assert site.run("build").exit_code == 0
    assert (site.root / "site/CNAME").read_text() == "briefs.example.com\n"
    assert site.run("build", "--cname", "other.example.net").exit_code == 0
    assert (site.root / "site/CNAME").read_text() == "other.example.net\n"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--base-url", "ftp://x"], "Error: base URL 'ftp://x' is not a web address (expected an http(s) address"),
        (["--base-url", "user.github.io/repo/"], "Error: base URL 'user.github.io/repo/' is not a web address"),
        (["--base-url", "https://[::1/"], "Error: base URL 'https://[::1/' is not a web address (Invalid IPv6 URL;"),
        (["--base-url", "https://x.example:99999/"], "is not a web address (Port out of range 0-65535;"),
        (["--base-url", "https://user.github.io/repo/index.html"], "names a file, not a folder"),
        (["--base-url", "https://user.github.io/repo/?x=1"], "has a ?query or #fragment"),
        (
            ["--base-url", 'https://user.github.io/"><script>alert(1)</script>/'],
            "Error: base URL 'https://user.github.io/\"><script>alert(1)</script>/' contains '\"' "
            "(expected an http(s) address",
        ),
        (["--base-url", "https://user.github.io/it's/"], 'contains "\'" (expected'),
        (["--base-url", "https://user.github.io/a b/"], "contains a space (expected"),
        (["--base-url", "https://user.github.io/a\\b/"], "contains '\\\\' (expected"),
        (["--base-url", "https://user.github.io/a`b/"], "contains '`' (expected"),
        (["--base-url", "https://user.github.io/\x0b/"], "contains U+000B (expected"),
        (["--base-url", "https://user.github.io/\u2028/"], "contains U+2028 (expected"),
        (["--cname", "https://news.example.org/"], "Error: CNAME 'https://news.example.org/' is not a domain name"),
        (["--cname", "localhost"], "Error: CNAME 'localhost' is not a domain name"),
    ],
)
def test_bad_hosting_settings_fail_before_anything_is_written(site, args, message):
    site.article("a.md", VALID)
    result = site.run("build", *args)
    assert result.exit_code == 2  # a usage error
    assert message in result.stderr and len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.output
    assert not (site.root / "site").exists() and not (site.root / "build").exists()


@pytest.mark.parametrize("where", ["mkdocs.yml", "BRIEFINGS_BASE_URL"])
def test_a_site_url_that_could_break_out_of_an_attribute_is_refused(site, where):
    """site_url reaches href and content attributes unescaped (MkDocs' canonical links, og:url)."""
    site.article("a.md", VALID)
    url = 'https://example.org/desk/"onmouseover="alert(1)'
    env = {}
    if where == "mkdocs.yml":
        config = site.root / "mkdocs.yml"
        config.write_text(config.read_text("utf-8") + f"site_url: '{url}'\n", encoding="utf-8")
        label = "mkdocs.yml: site_url"
    else:
        env = {"BRIEFINGS_BASE_URL": url}
        label = "base URL"
    for command in ("build", "check"):
        result = CliRunner(env=env).invoke(main, [command, "--project", str(site.root)])
        if command == "check" and where != "mkdocs.yml":
            assert result.exit_code == 0  # checking the content reads no base URL
            continue
        assert result.exit_code == (1 if where == "mkdocs.yml" else 2), result.output  # 2: a usage error
        assert result.stderr == (
            f"Error: {label} {url!r} contains '\"' (expected an http(s) address of the site's "
            "folder, such as https://user.github.io/repo/; quotes, angle brackets, backslashes, "
            "spaces and control characters are not allowed)\n"
        )
    assert not (site.root / "site").exists() and not (site.root / "build").exists()


def test_a_safe_site_url_is_kept_as_written(site):
    site.article("a.md", VALID)
    result = site.run("build", "--base-url", "https://user.github.io/R&D~desk/(2024)/")
    assert result.exit_code == 0, result.output
    canonical = soup(site.root / "site/articles/a/index.html").select_one('link[rel="canonical"]')["href"]
    assert canonical == "https://user.github.io/R&D~desk/(2024)/articles/a/"


def test_a_broken_link_given_twice_on_a_page_is_one_broken_link(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text('<a href="gone/">one</a> <a href="gone/">two</a> <a href="./">home</a>', "utf-8")
    assert [(b.page, b.href) for b in check_site(site)] == [("index.html", "gone/")]
