"""The built book, as a reader's browser sees it: offline, error-free, interactive, linked.

These tests need ``_build/html`` (``make test`` rebuilds it from clean before running them)
and Debian's Chromium.
"""

from __future__ import annotations

import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

BUILD = Path(__file__).resolve().parents[2] / "_build" / "html"

pytestmark = pytest.mark.book

PAGE_BUDGET_BYTES = 5_000_000


def book_pages() -> list[str]:
    """Every HTML page of the built book, relative to its root (empty before a build)."""
    if not BUILD.exists():
        return []
    return sorted(
        str(p.relative_to(BUILD))
        for p in BUILD.rglob("*.html")
        if "_static" not in p.parts and "_sources" not in p.parts
    )


def explorable_pages() -> list[str]:
    return [p for p in book_pages() if "rl-explorable" in (BUILD / p).read_text("utf8")]


class _LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for name in ("href", "src"):
            if attrs.get(name):
                self.links.append(attrs[name])


def _parse(path: Path) -> _LinkParser:
    parser = _LinkParser()
    parser.feed(path.read_text("utf8"))
    return parser


def test_book_has_the_pages_of_the_table_of_contents(book_dir):
    """The build produced the landing page and at least one chapter page."""
    pages = book_pages()
    assert "intro.html" in pages
    assert any(p.startswith("chapters/") for p in pages), pages


@pytest.mark.parametrize("page", book_pages())
def test_page_loads_offline_without_errors(watched, page):
    """Each page loads with no console error, no failed request and nothing from outside."""
    watched.goto(page)
    assert watched.errors == []
    assert watched.failed == []
    assert watched.outside == []


@pytest.mark.parametrize("page", book_pages())
def test_internal_links_resolve(book_dir, page):
    """Every relative link and asset on a page points to a file (and anchor) in the book."""
    source = book_dir / page
    broken = []
    for link in _parse(source).links:
        parts = urlsplit(link)
        if parts.scheme or link.startswith(("//", "mailto:", "data:", "javascript:")):
            continue
        target = (source.parent / unquote(parts.path)).resolve() if parts.path else source
        if target.is_dir():
            target = target / "index.html"
        if not target.exists() or (
            parts.fragment
            and target.suffix == ".html"
            and parts.fragment not in _parse(target).ids
        ):
            broken.append(link)
    assert broken == [], f"{page} has broken links: {broken}"


@pytest.mark.parametrize("page", book_pages())
def test_page_weight_within_budget(book_dir, page):
    """A page's HTML (frames embedded) plus its own images stays under 5 MB."""
    source = book_dir / page
    weight = source.stat().st_size
    for link in _parse(source).links:
        if re.search(r"\.(png|jpe?g|svg|gif)$", link) and not urlsplit(link).scheme:
            image = (source.parent / unquote(urlsplit(link).path)).resolve()
            if image.exists() and "_static" not in image.parts:
                weight += image.stat().st_size
    assert weight < PAGE_BUDGET_BYTES, f"{page} weighs {weight / 1e6:.1f} MB"


def _visible_figure(page, explorable):
    image = explorable.locator(".rl-figure img:visible")
    assert image.count() == 1, "exactly one frame of an explorable is visible at a time"
    src = image.first.get_attribute("src")
    alt = image.first.get_attribute("alt")
    return hashlib.sha1(src.encode()).hexdigest(), alt


def _move(page, control) -> None:
    """Move a slider one step with the keyboard (right, or left at the end), press the
    next of a row of choice buttons, or pick the next option of a menu."""
    slider = control.locator('input[type="range"]')
    if slider.count():
        before = slider.get_attribute("aria-valuetext")
        slider.focus()
        page.keyboard.press("ArrowRight")
        if slider.get_attribute("aria-valuetext") == before:
            page.keyboard.press("ArrowLeft")
        return
    select = control.locator("select")
    if select.count():
        current = select.evaluate("s => s.selectedIndex")
        select.select_option(index=(current + 1) % select.locator("option").count())
        return
    radios = control.locator('input[type="radio"]')
    current = next(i for i in range(radios.count()) if radios.nth(i).is_checked())
    control.locator(".rl-segment").nth((current + 1) % radios.count()).click()


def _explorable_count(page_path) -> int:
    return (BUILD / page_path).read_text("utf8").count('class="rl-explorable ')


@pytest.mark.parametrize("page_path", explorable_pages())
def test_every_control_changes_its_figure(watched, page_path):
    """On each explorable, moving each control in the static page shows a different figure
    and a different readout, announced in a polite live region."""
    page = watched.goto(page_path)
    explorables = page.locator(".rl-explorable")
    assert explorables.count() == _explorable_count(page_path) >= 1
    for i in range(explorables.count()):
        explorable = explorables.nth(i)
        explorable.scroll_into_view_if_needed()
        readout = explorable.locator(".rl-readout")
        assert readout.get_attribute("aria-live") == "polite"
        controls = explorable.locator(".rl-control")
        assert controls.count() >= 1, "an explorable without controls"
        for j in range(controls.count()):
            before, alt = _visible_figure(page, explorable)
            said = readout.inner_text()
            assert alt and len(alt) > 20, "every frame carries descriptive alt text"
            _move(page, controls.nth(j))
            after, _ = _visible_figure(page, explorable)
            assert after != before, f"control {j} of explorable {i} on {page_path} did nothing"
            assert readout.inner_text() != said, "the readout follows the figure"
    assert watched.errors == []


@pytest.mark.parametrize("page_path", explorable_pages())
def test_every_slider_is_named_and_says_its_value_with_a_unit(watched, page_path):
    """A screen reader hears each slider's parameter name and its value with a unit, and
    hears the new value when the slider moves."""
    page = watched.goto(page_path)
    sliders = page.get_by_role("slider")
    assert sliders.count() >= 1 or not page.locator(".rl-slider").count()
    for i in range(sliders.count()):
        slider = sliders.nth(i)
        name = slider.evaluate("s => s.labels.length ? s.labels[0].textContent.trim() : ''")
        assert name, f"slider {i} on {page_path} has no label"
        value = slider.get_attribute("aria-valuetext")
        assert value and re.search(r"[^\d\s.,−-]", value), (
            f"slider {name!r} on {page_path} says {value!r}: a value needs its unit")
        slider.focus()
        page.keyboard.press("End")
        page.keyboard.press("Home")
        first = slider.get_attribute("aria-valuetext")
        page.keyboard.press("ArrowRight")
        assert slider.get_attribute("aria-valuetext") != first, f"{name!r} did not update"


PHONE = {"width": 390, "height": 844}
SMALLEST_TEXT_PX = 9
SMALLEST_READOUT_PX = 13


@pytest.mark.parametrize("page_path", explorable_pages())
def test_explorables_read_on_a_phone(browser, book_url, page_path):
    """At a phone's 390 px, the smallest text of every explorable figure is at least 9 CSS
    px, readouts at least 13 px, and nothing makes the page scroll sideways."""
    from reactive_lab import figures

    context = browser.new_context(viewport=PHONE, device_scale_factor=2)
    try:
        page = context.new_page()
        page.goto(book_url + page_path, wait_until="networkidle")
        # Typeset formulas change the layout: measure once MathJax is done.
        page.evaluate("async () => { if (window.MathJax && MathJax.startup) "
                      "await MathJax.startup.promise; }")
        images = page.locator(".rl-figure img:visible")
        assert images.count() == _explorable_count(page_path)
        for i in range(images.count()):
            shown = images.nth(i).evaluate("i => i.clientWidth / Number(i.getAttribute('width'))")
            smallest = shown * figures.MIN_FONT_PT * figures.DPI / 72
            assert smallest >= SMALLEST_TEXT_PX, (
                f"explorable {i} on {page_path} shows its smallest text at {smallest:.1f} px")
        sizes = page.locator(".rl-readout").evaluate_all(
            "rs => rs.map(r => parseFloat(getComputedStyle(r).fontSize))")
        assert min(sizes) >= SMALLEST_READOUT_PX
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        clipping = page.evaluate(
            """() => [...document.querySelectorAll('.rl-explorable')].flatMap(card => {
                 const box = card.getBoundingClientRect(), found = [];
                 for (let n = card.parentElement; n; n = n.parentElement) {
                   const style = getComputedStyle(n), edge = n.getBoundingClientRect();
                   if (style.overflowX !== 'visible' &&
                       (box.left < edge.left - 0.5 || box.right > edge.right + 0.5))
                     found.push(n.className || n.tagName);
                 }
                 return found; })""")
        assert clipping == [], f"{page_path}: explorable cards clipped by {clipping}"
    finally:
        context.close()


def test_search_finds_a_term_from_a_chapter(watched):
    """The book's search page lists a chapter page for a term the chapter uses."""
    page = watched.goto("search.html?q=Erlang")
    results = page.locator("#search-results li a")
    results.first.wait_for(timeout=10_000)
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    assert any("chapters/" in href for href in hrefs), hrefs


def test_no_lab_solution_reaches_the_built_book(book_dir):
    """No line of a lab's solution regions appears on any page of the built book."""
    import html as html_module

    import nbformat

    from reactive_lab.teaching import labgen

    solutions = sorted((book_dir.parents[1] / "solutions").glob("*.ipynb"))
    assert solutions
    # Short lines ("return total") could occur anywhere; a solution's telling lines are long.
    secrets = {line for path in solutions
               for line in labgen.solution_lines(nbformat.read(path, as_version=4))
               if len(line) >= 24}
    assert secrets
    leaks = []
    for page in book_pages():
        text = html_module.unescape(re.sub(r"<[^>]+>", "", (book_dir / page).read_text("utf8")))
        leaks += [(page, line) for line in secrets if line in text]
    assert leaks == []


def test_intro_clones_the_repository_the_book_is_configured_with():
    """The clone command on the landing page is the repository of _config.yml, no placeholder."""
    import yaml

    root = BUILD.parents[1]
    url = yaml.safe_load((root / "_config.yml").read_text("utf8"))["repository"]["url"]
    assert f"git clone {url}\n" in (root / "intro.md").read_text("utf8")
