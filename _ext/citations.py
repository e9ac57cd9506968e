"""Sphinx extension: citations labelled by author and year, the references sorted by them.

pybtex's ``alpha`` labels ("[HDefagoYK04]", "[EricssonABa]") say nothing to a reader. This
registers a bibliography style, ``authoryear``: each entry is labelled with its authors'
last names and its year ("Little 1961", "Dean and Barroso 2013", "DeCandia et al. 2007"),
and the list is sorted by author, year and title. Documentation pages without a year are
labelled with the organisation and the first words of their title ("Ericsson AB, Distributed
Erlang"), which stays unique without a meaningless "a"/"b" suffix.

Use it with ``bibtex_default_style: authoryear`` in ``_config.yml``.
"""

from pybtex.plugin import register_plugin
from pybtex.richtext import Text
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.labels import BaseLabelStyle

TITLE_WORDS = 3
"""Words of the title that name an undated page."""


def _plain(latex: str) -> str:
    return Text.from_latex(latex).render_as("text")


def _authors(entry) -> str:
    names = [_plain(" ".join(p.last_names)) for p in entry.persons.get("author", [])]
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} and {names[1]}"
    return f"{names[0]} et al."


def author_year_label(entry) -> str:
    """The label of one entry: "Little 1961", or "Ericsson AB, Distributed Erlang"."""
    authors = _authors(entry)
    year = entry.fields.get("year")
    if year:
        return f"{authors} {year}".strip()
    title = _plain(entry.fields.get("title", "")).replace(":", "").split()
    return f"{authors}, {' '.join(title[:TITLE_WORDS])}".strip(", ")


class AuthorYearLabels(BaseLabelStyle):
    """Author–year labels; two entries that would share one get "a", "b" after the year."""

    def format_labels(self, sorted_entries):
        labels = [author_year_label(entry) for entry in sorted_entries]
        counts = {label: labels.count(label) for label in labels}
        seen = {}
        for label in labels:
            if counts[label] == 1:
                yield label
            else:
                seen[label] = seen.get(label, 0) + 1
                yield f"{label}{'abcdefghijklmnopqrstuvwxyz'[seen[label] - 1]}"


class AuthorYearStyle(UnsrtStyle):
    """unsrt's formatting, sorted by author, year and title, with author–year labels."""

    default_sorting_style = "author_year_title"
    default_label_style = "authoryear"


def setup(app):
    register_plugin("pybtex.style.labels", "authoryear", AuthorYearLabels)
    register_plugin("pybtex.style.formatting", "authoryear", AuthorYearStyle)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
