"""The book's citation labels (_ext/citations.py) read as names, for every reference."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pybtex.database import parse_file

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))
import citations  # noqa: E402  (a Sphinx extension, not a package)

ENTRIES = parse_file(ROOT / "references.bib").entries

DANGLING = {"a", "an", "and", "the", "of", "for", "to", "in", "on", "with"}


@pytest.mark.parametrize("key", sorted(ENTRIES))
def test_every_label_is_a_name_and_a_year_or_a_title(key):
    label = citations.author_year_label(ENTRIES[key])
    assert label and not label.startswith(","), label
    assert label.split()[-1].lower() not in DANGLING, label   # not a title cut mid-phrase
    if "year" in ENTRIES[key].fields:
        assert label.endswith(ENTRIES[key].fields["year"]), label


def test_an_undated_title_is_named_by_what_comes_before_its_colon():
    from pybtex.database import Entry, Person

    page = Entry("misc", fields={"title": "jobs: a job scheduler for load regulation"},
                 persons={"author": [Person("Wiger")]})
    module = Entry("misc", fields={"title": "erlang:monitor/2"},   # a colon inside a word
                   persons={"author": [Person("{Ericsson AB}")]})
    assert citations.author_year_label(page) == "Wiger, jobs"
    assert citations.author_year_label(module) == "Ericsson AB, erlang:monitor/2"
