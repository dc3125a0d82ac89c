"""Reading spreadsheets: delimiters, header rows, line numbers, and refusing what would lose data."""

from __future__ import annotations

import openpyxl
import pytest

from qualcode.errors import InputFileError
from qualcode.ingest.tables import read_attribute_sheet, read_table


def table_of(tmp_path, text, name="t.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path, read_table(path)


def test_delimiter_from_the_header_not_from_answers(tmp_path):
    _, table = table_of(tmp_path, "id;age;comment\n1;34;I liked it, but the food was cold, really.\n")
    assert table.header == ["id", "age", "comment"]
    assert table.rows == [(2, ["1", "34", "I liked it, but the food was cold, really."])]


def test_single_column_keeps_commas(tmp_path):
    _, table = table_of(tmp_path, 'comment\n"I liked it, but the food was cold."\n')
    assert table.rows[0][1] == ["I liked it, but the food was cold."]


def test_ragged_rows_are_refused_with_their_line(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("comment\nI liked it, but the food was cold\n", encoding="utf-8")
    with pytest.raises(InputFileError) as error:
        read_table(path)
    assert error.value.line == 2 and "2 cells but the header has 1" in str(error.value)


def test_duplicate_columns_are_refused(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("id,comment,comment\n1,a,b\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"'comment' appears twice \(columns 2 and 3\)"):
        read_table(path)


def test_unterminated_quote_is_an_error_not_a_merged_answer(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text('id,c\n1,"I really liked\n2,The materials\n', encoding="utf-8")
    with pytest.raises(InputFileError, match="broken CSV") as error:
        read_table(path)
    assert error.value.line == 2


def test_line_numbers_count_blank_lines_and_multiline_cells(tmp_path):
    _, table = table_of(tmp_path, 'id,c\n1,"two\nlines"\n\n2,after a blank line\n')
    assert [line for line, _ in table.rows] == [2, 5]


def test_title_rows_above_the_header_are_skipped(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Survey results 2025"])
    sheet.append([])
    sheet.append(["id", "age", "comment"])
    sheet.append(["A1", 34, "Useful."])
    path = tmp_path / "t.xlsx"
    workbook.save(path)
    table = read_table(path)
    assert (table.header, table.header_line, table.rows) == (["id", "age", "comment"], 3, [(4, ["A1", "34", "Useful."])])


def test_attribute_sheet(tmp_path):
    path = tmp_path / "documents.csv"
    path.write_text("Document;site;wave\np1.txt;A;1\n;;\np2.txt;B;\n", encoding="utf-8")
    assert read_attribute_sheet(path) == {"p1.txt": {"site": "A", "wave": "1"}, "p2.txt": {"site": "B"}}
    with pytest.raises(InputFileError, match="no such file"):
        read_attribute_sheet(tmp_path / "missing.csv")


def test_tab_separated_with_commas_in_the_header(tmp_path):
    path = tmp_path / "x.tsv"
    path.write_text("id\trole\tWhat, if anything, would you change?\n1\tTeacher\tMore time, please\n", encoding="utf-8")
    table = read_table(path)
    assert table.header == ["id", "role", "What, if anything, would you change?"]
    _, table = table_of(tmp_path, "id\trole\tWhat, if anything?\n1\tTeacher\tMore time, please\n", name="x.txt.csv")
    assert table.rows[0][1] == ["1", "Teacher", "More time, please"]


def test_qualtrics_export_header_rows_are_skipped(tmp_path):
    _, table = table_of(tmp_path, 'ResponseId,Q1\nResponse ID,What changed?\n"{""ImportId"":""_recordId""}","{""ImportId"":""QID1""}"\nR_1,More time to plan.\n')
    assert table.rows == [(4, ["R_1", "More time to plan."])]
