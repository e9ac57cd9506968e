"""Every page of the built book passes axe-core with no serious or critical violation.

axe-core is pinned in ``package.json`` and copied with the rest of the browser runtime into
``_static`` by ``make book``, so the check runs offline like every other browser test.
Pages are checked in both colour themes: contrast differs between them.
"""

from __future__ import annotations

import pytest

from tests.book.test_book import BUILD, book_pages

pytestmark = pytest.mark.book

AXE = "_static/axe.min.js"
BLOCKING = ("serious", "critical")


def _violations(page, base_url, rules=None) -> list[str]:
    """axe-core's serious and critical findings on *page*: every rule, or only *rules*."""
    page.add_script_tag(url=base_url + AXE)
    found = page.evaluate(
        """async rules => {
          const options = {resultTypes: ["violations"]};
          if (rules) options.runOnly = {type: "rule", values: rules};
          const result = await axe.run(document, options);
          return result.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            targets: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
        }""", rules)
    return [f"{v['impact']} {v['id']}: {v['help']} at {v['targets']}"
            for v in found if v["impact"] in BLOCKING]


def test_axe_core_is_served_by_the_book(book_dir):
    assert (BUILD / AXE).exists(), "make book copies node_modules/axe-core into _static"


THEME_RULES = ["color-contrast", "link-in-text-block"]
"""The rules whose outcome depends on colours: the themes differ in nothing else, so the
dark theme is checked against these and the light theme against every rule."""


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("page_path", book_pages())
def test_page_has_no_serious_accessibility_violation(watched, page_path, theme):
    """axe-core finds nothing serious or critical on the page, in either theme."""
    page = watched.goto(page_path, theme=theme)
    rules = None if theme == "light" else THEME_RULES
    assert _violations(page, watched.base_url, rules) == []
