"""Ratings sheets and the framework matrix: scores and ranks recomputed, workbooks read back exactly."""

from __future__ import annotations

import openpyxl
import pytest

from qualcode.errors import InputFileError, UsageError
from qualcode.framework import competition_ranks, framework_matrix, ratings, read_framework, write_framework


def write_sheet(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_ratings_are_scored_summed_and_ranked_with_ties_sharing(waves, tmp_path):
    sheet = write_sheet(tmp_path / "r.csv", "case,Time,Practice,Support\nNorth,Red,Green,amber\nSouth,G,R,A\n")
    matrix = ratings(waves, sheet)
    assert matrix.row_header == "site"  # found from the names in the sheet
    assert [(r, matrix.cells[r, "score"], matrix.cells[r, "rank"]) for r in matrix.rows] == [("North", 6, 1), ("South", 6, 1)]
    assert matrix.cells["North", "Support"] == "Amber"
    assert competition_ranks({"a": 5, "b": 9, "c": 5, "d": 1}) == {"b": 1, "a": 2, "c": 2, "d": 4}


@pytest.mark.parametrize("text, problem", [
    ("case,Time\nNorth,Purple\n", r"r.csv:2: rating 'Purple' for North / Time is not on the scale; use Red, Amber, Green"),
    ("case,Time\nNorth,Red\nWest,Red\n", r"not all people, documents or values of one attribute"),
    ("case\nNorth\n", r"r.csv:1: a ratings sheet has a case column and a column per theme"),
])
def test_a_bad_ratings_sheet_names_the_line(waves, tmp_path, text, problem):
    with pytest.raises((InputFileError, UsageError), match=problem):
        ratings(waves, write_sheet(tmp_path / "r.csv", text))


def test_an_unknown_case_of_a_named_kind_names_its_line(waves, tmp_path):
    with pytest.raises(InputFileError, match=r"r.csv:3: case 'West' is not a site of this project"):
        ratings(waves, write_sheet(tmp_path / "r.csv", "case,Time\nNorth,Red\nWest,Red\n"), case="site")


def test_the_framework_workbook_round_trips_its_summaries(waves, tmp_path):
    path = tmp_path / "fw.xlsx"
    assert write_framework(waves, path, case="site") == (2, 2)
    book = openpyxl.load_workbook(path)
    grid = book["Framework"]
    assert [c.value for c in grid[1]] == ["site", "Time", "Time – evidence", "Outputs", "Outputs – evidence"]
    assert grid["A2"].value == "North" and grid["C2"].value.startswith("w1.txt: turns 2, 3")
    assert book[book.sheetnames[1]].sheet_state == "hidden"
    grid["B2"] = "Cover and marking squeeze the time."
    grid["D3"] = "Two guides written."
    book.save(path)
    assert read_framework(waves, path) == 2
    matrix = framework_matrix(waves, "site")
    assert matrix.cells["North", "t"] == "Cover and marking squeeze the time." and matrix.cells["South", "t"] == ""
    rewritten = tmp_path / "again.xlsx"
    write_framework(waves, rewritten, case="site")
    assert openpyxl.load_workbook(rewritten)["Framework"]["B2"].value == "Cover and marking squeeze the time."
    book = openpyxl.load_workbook(rewritten)
    book["Framework"]["B2"] = None  # the team clears a cell
    book.save(rewritten)
    assert read_framework(waves, rewritten) == 1 and ("North", "t") not in framework_matrix(waves, "site").cells


def test_a_workbook_that_no_longer_matches_is_refused_and_nothing_saved(waves, tmp_path):
    path = tmp_path / "fw.xlsx"
    write_framework(waves, path, case="site")
    book = openpyxl.load_workbook(path)
    book["Framework"]["B2"] = "A summary."
    book["Framework"].move_range("A3:E3", rows=1)  # a row moved
    book.save(path)
    with pytest.raises(InputFileError, match=r"fw.xlsx: Framework!A3 is None, expected the case 'South'"):
        read_framework(waves, path)
    with pytest.raises(UsageError, match="no framework summaries for sites yet"):
        framework_matrix(waves, "site")
    with pytest.raises(UsageError, match="exists; pass --force"):
        write_framework(waves, path, case="site")
    with pytest.raises(UsageError, match="give a .xlsx file"):
        write_framework(waves, tmp_path / "fw.csv")


def test_framework_and_ratings_through_the_command_line(waves, cli, tmp_path):
    path = tmp_path / "fw.xlsx"
    written = cli("matrix", "framework", "--case", "site", "-o", path)
    assert written.exit_code == 0 and "2 case(s) × 2 theme(s)" in written.stderr
    read = cli("matrix", "framework", "--read", tmp_path / "missing.xlsx")
    assert read.exit_code == 2 and "missing.xlsx: no such file" in read.stderr
    sheet = write_sheet(tmp_path / "r.csv", "site,Time\nNorth,Red\nSouth,Green\n")
    assert "South  Green      3     1" in cli("matrix", "ratings", sheet).stdout
