"""Codebook files: parsing, every problem with line and column, versions, paths and diffs."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualcode.codebook import check_codebook, diff, load_codebook, parse_codebook
from qualcode.errors import InputFileError

from conftest import REPO

DEMO_CODEBOOK = REPO / "codebooks" / "pathways.yaml"


def test_the_demo_codebook_is_valid_and_deep_enough():
    codebook = load_codebook(DEMO_CODEBOOK)
    descriptors = [c for c in codebook.codes.values() if c.parent]
    assert len(codebook.codes) - len(descriptors) >= 5 and len(descriptors) >= 20
    assert codebook.path("time.cover") == "Time and capacity > Cover eating into coaching"
    assert codebook.find("Cover").id == "time.cover" and codebook.find("Time and capacity > Cover eating into coaching").id == "time.cover"
    assert codebook.descendants("time")[:2] == ["time.protected", "time.cover"]


def test_every_problem_is_reported_with_line_and_column():
    text = """name: x
codes:
  - id: a
    scope: nowhere
    codes:
      - id: a
      - id: b
        patterns: ['(unclosed']
  - label: no id
  - id: c
    colour: red
    fuzzy: 20
    within: zz
"""
    codebook, problems = parse_codebook(text)
    assert codebook is None
    assert [(p.line, p.column, p.message.split(" ")[0]) for p in problems] == [
        (4, 5, "scope"), (6, 9, "duplicate"), (8, 20, "pattern"), (9, 5, "every"), (11, 5, "unknown"), (12, 5, "`fuzzy`")]


def test_yaml_syntax_errors_and_missing_files_name_the_place(tmp_path):
    _, problems = parse_codebook("codes:\n  - id: a\n   label: b\n")
    assert (problems[0].line, problems[0].column) == (3, 4) and problems[0].message.startswith("YAML")
    unclosed = parse_codebook("codes:\n  - id: a\n    keywords: [x, y\n  - id: b\n    label: 'B\n")[1][0]
    assert (unclosed.line, unclosed.column) == (3, 15) and "this bracket is never closed" in unclosed.message
    unquoted = parse_codebook("codes:\n  - id: a\n    label: 'B\n  - id: b\n")[1][0]
    assert (unquoted.line, unquoted.column) == (3, 12) and "this quote is never closed" in unquoted.message
    broken = tmp_path / "codebook.yaml"
    broken.write_text("codes:\n  - id: a\n    scope: x\n  - id: a\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"codebook.yaml:3:5: scope 'x'.*\(and 1 more\)"):
        load_codebook(broken)
    assert check_codebook(tmp_path / "none.yaml")[1][0].message.startswith("no such file")


def test_the_version_follows_meaning_not_layout():
    one = parse_codebook("codes:\n  - id: a\n    label: A  # comment\n    keywords: [x]\n")[0]
    two = parse_codebook("# header\ncodes:\n- {id: a, keywords: [x], label: A}\n")[0]
    three = parse_codebook("codes:\n  - id: a\n    label: A\n    keywords: [y]\n")[0]
    assert one.version == two.version != three.version


def test_diff_lists_added_removed_moved_and_changed():
    old = parse_codebook("codes:\n  - id: a\n    label: A\n    codes:\n      - id: b\n        label: B\n  - id: c\n")[0]
    new = parse_codebook("codes:\n  - id: a\n    label: Alpha\n  - id: c\n    codes:\n      - id: b\n        label: B\n  - id: d\n")[0]
    assert [(c.kind, c.code) for c in diff(old, new)] == [("changed", "a"), ("moved", "b"), ("added", "d")]


@given(st.text(max_size=200))
def test_any_text_is_a_codebook_or_a_list_of_problems_never_a_crash(text):
    codebook, problems = parse_codebook(text)
    assert (codebook is None) == bool(problems)
