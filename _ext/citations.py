"""Sphinx extension: citations labelled by author and year, the references sorted by them.

pybtex's ``alpha`` labels ("[HDefagoYK04]", "[EricssonABa]") say nothing to a reader. This
registers a bibliography style, ``authoryear``: each entry is labelled with its authors'
last names and its year ("Little 1961", "Dean and Barroso 2013", "DeCandia et al. 2007"),
and the list is sorted by author, year and title. Documentation pages without a year are
labelled with the organisation and the name the title gives before a colon ("Wiger, jobs"
for "jobs: a job scheduler"), or its first words ("Ericsson AB, Distributed Erlang"), or
the entry's ``shorttitle`` when it has one, which stays unique without a meaningless
"a"/"b" suffix.

Use it with ``bibtex_default_style: authoryear`` in ``_config.yml``.
"""

from pybtex.plugin import register_plugin
from pybtex.richtext import Text
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting import BaseSortingStyle

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
    if "shorttitle" in entry.fields:
        return f"{authors}, {_plain(entry.fields['shorttitle'])}".strip(", ")
    title = _plain(entry.fields.get("title", ""))
    # "jobs: a job scheduler" names itself before the colon; "erlang:process_flag/2" has
    # its colon inside a word, so only a colon followed by a space ends the name.
    name = title.split(": ", 1)[0] if ": " in title else " ".join(title.split()[:TITLE_WORDS])
    return f"{authors}, {name}".strip(", ")


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


class AuthorYearSorting(BaseSortingStyle):
    """Sort by the authors as printed ("Ericsson AB", not "{Ericsson AB}"), year, title."""

    def sorting_key(self, entry):
        return (_authors(entry).lower(), entry.fields.get("year", ""),
                _plain(entry.fields.get("title", "")).lower())


class AuthorYearStyle(UnsrtStyle):
    """unsrt's formatting, sorted by author, year and title, with author–year labels."""

    default_sorting_style = "authoryear"
    default_label_style = "authoryear"


def setup(app):
    register_plugin("pybtex.style.labels", "authoryear", AuthorYearLabels)
    register_plugin("pybtex.style.sorting", "authoryear", AuthorYearSorting)
    register_plugin("pybtex.style.formatting", "authoryear", AuthorYearStyle)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
