"""Matrices: cases × codes, co-occurrence and coverage agree with tallies of the same evidence."""

from __future__ import annotations

import pytest

from qualcode.corpus import set_attributes
from qualcode.errors import UsageError
from qualcode.matrix import as_rows, project_matrix
from qualcode.tally import tally_project

from conftest import golden


def cells(matrix):
    return {(row, column): value for (row, column), value in matrix.cells.items() if value}


def test_cases_by_codes_counts_segments_and_themes_count_each_once(waves):
    matrix = project_matrix(waves, "cases")
    assert matrix.columns == ["t", "u"] and matrix.rows == ["A1", "A2", "B1", "PC"]
    by_code = {code: {r: matrix.cells[r, code] for r in matrix.rows} for code in matrix.columns}
    ann = next(p for p in ("A1", "A2") if by_code["t"][p] == 2)  # Ann: turn 2 of w1 (two descriptors, one segment) and w2
    assert by_code["t"][ann] == 2 and matrix.totals == {"t": 5, "u": 2}
    descriptors = project_matrix(waves, "cases", level=2)
    assert descriptors.columns == ["t.a", "t.b", "u.x"]
    presence = project_matrix(waves, "cases", values="presence", case="wave")
    assert cells(presence) == {("1", "t"): "Y", ("1", "u"): "Y", ("2", "t"): "Y", ("2", "u"): "Y"}


def test_a_matrix_and_a_tally_of_the_same_evidence_agree(waves):
    presence = project_matrix(waves, "cases", values="presence", level=2)
    participants = {r.code: r.count.n for r in tally_project(waves).rows}
    group = "PC"
    for code in presence.columns:
        assert sum(1 for r in presence.rows if r != group and presence.cells[r, code]) == participants[code]


def test_percent_is_the_share_of_the_cases_segments(waves):
    matrix = project_matrix(waves, "cases", values="percent", case="document")
    assert matrix.cells["w1.txt", "t"] == 100 and matrix.cells["w1.txt", "u"] == 25  # 4 and 1 of its 4 segments


def test_cooccurrence_is_symmetric_with_counts_on_the_diagonal(waves):
    matrix = project_matrix(waves, "cooccurrence", level=2)
    assert matrix.cells["t.a", "t.b"] == matrix.cells["t.b", "t.a"] == 1  # Ann's turn 2 in w1
    assert matrix.cells["t.a", "t.a"] == 4 and matrix.cells["u.x", "t.a"] == 1  # Dee's turn: toolkit
    by_person = project_matrix(waves, "cooccurrence", level=1, unit="person")
    assert by_person.cells["t", "t"] == 4  # three participants and the group code PC; never the interviewer


def test_coverage_marks_where_each_case_has_evidence(waves):
    set_attributes(waves, "w1", ["source=interview"])
    set_attributes(waves, "w2", ["source=focus group"])
    matrix = project_matrix(waves, "coverage", case="person")
    assert matrix.columns == ["focus group", "interview"]
    assert sum(1 for r in matrix.rows if matrix.cells[r, "focus group"] and matrix.cells[r, "interview"]) == 1  # Ann
    rows, columns = as_rows(matrix)
    assert rows[-1] == {"case": "Persons", "focus group": 2, "interview": 3} and columns[0] == ("case", "person")


@pytest.mark.parametrize("kind, options, problem", [
    ("cases", {"case": "colour"}, "--case colour: person, document, or an attribute"),
    ("cases", {"values": "sums"}, "--values sums: choose one of"),
    ("cases", {"level": 4}, "--level 4: the codebook's levels are 1 to 2"),
    ("cases", {"codes": ["nope"], "level": None}, "--code nope: no such code"),
    ("cooccurrence", {"unit": "line"}, "--by line: choose one of turn, document, person"),
    ("coverage", {"source": "medium"}, "--source medium: no such attribute"),
])
def test_bad_matrix_options(waves, kind, options, problem):
    with pytest.raises(UsageError, match=problem.replace("(", "\\(")):
        project_matrix(waves, kind, **options)


def test_the_matrix_commands_print_and_write_tables(waves, cli, tmp_path):
    golden("matrix-cases.md", cli("matrix", "cases", "--level", "2", "--format", "md").stdout)
    golden("matrix-cooccurrence.csv", cli("matrix", "cooccurrence", "--csv").stdout)
    assert cli("matrix", "cases", "-o", tmp_path / "m.xlsx").exit_code == 0
    import openpyxl

    sheet = openpyxl.load_workbook(tmp_path / "m.xlsx").active
    assert [c.value for c in sheet[1]] == ["person", "Time", "Outputs"]
    bad = cli("matrix", "coverage")
    assert bad.exit_code == 2 and "--source source: no such attribute" in bad.stderr


def test_tables_go_to_word_with_their_notes(waves, cli, tmp_path):
    from docx import Document

    assert cli("matrix", "cases", "--case", "wave", "-o", tmp_path / "m.docx").exit_code == 0
    document = Document(str(tmp_path / "m.docx"))
    assert document.paragraphs[0].text == "wave × code" and document.paragraphs[0].style.name == "Title"
    assert [c.text for c in document.tables[0].rows[0].cells] == ["wave", "Time", "Outputs"]
    assert any(p.style.name == "Methods Note" and p.text.startswith("Cells: coded segments") for p in document.paragraphs)
    assert any(p.text.startswith("Codebook version a4209c5793017978; 0% of the project's accepted codings") for p in document.paragraphs)
    assert ("Heading 2", "Methods note") in [(p.style.name, p.text) for p in document.paragraphs]
    tally = cli("tally", "--by", "wave", "-o", tmp_path / "t.docx")
    assert tally.exit_code == 0
    rows = Document(str(tmp_path / "t.docx")).tables[0].rows
    assert [c.text for c in rows[0].cells] == ["Code", "% of participants (n=3)", "wave 1 (n=2)", "wave 2 (n=2)", "Groups"]
