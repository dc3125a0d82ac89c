"""Ratification packs (Word to read, Excel to mark), readers' marks read back or entered, and evidence
tables showing them."""

from __future__ import annotations

import docx
import openpyxl
import pytest

from qualcode.errors import InputFileError, UsageError
from qualcode.export import write_evidence
from qualcode.quotebank import build_evidence_table
from qualcode.ratify import build_pack, by_code, mark, read_marks, summary, write_pack


def test_a_word_pack_gives_each_theme_its_definition_tally_and_quotes(waves, tmp_path):
    (waves.root / "codebook.yaml").write_text((waves.root / "codebook.yaml").read_text(encoding="utf-8").replace(
        "    label: Time\n", "    label: Time\n    definition: Time set aside for coaching.\n    exclude: Holidays.\n", 1), encoding="utf-8")
    path = tmp_path / "pack.docx"
    assert write_pack(waves, build_pack(waves), path) == 2
    paragraphs = [(p.style.name, p.text) for p in docx.Document(str(path)).paragraphs]
    texts = [text for _, text in paragraphs]
    assert ("Heading 2", "Time") in paragraphs and ("Heading 2", "Outputs") in paragraphs
    at = texts.index("Time")
    assert texts[at + 1:at + 4] == ["Time set aside for coaching.", "Excludes: Holidays.", "How many: 3 of 3   (% of participants (n=3))"]
    quotes = [text for style, text in paragraphs if style == "Quote"]
    assert any("Cover ate our time." in q for q in quotes)
    assert texts.count("Ratified ☐    Queried ☐    Comment:") == 2
    with pytest.raises(UsageError, match="exists; pass --force"):
        write_pack(waves, build_pack(waves), path)
    with pytest.raises(UsageError, match="a .docx \\(to read\\) or .xlsx"):
        write_pack(waves, build_pack(waves), tmp_path / "pack.pdf")


def marked(waves, tmp_path, rows: dict[int, tuple], name="marked.xlsx"):
    path = tmp_path / "pack.xlsx"
    if not path.exists():
        write_pack(waves, build_pack(waves), path)
    book = openpyxl.load_workbook(path)
    sheet = book["Themes"]
    for row, (status, comment, reviewer) in rows.items():
        sheet.cell(row, 6, status), sheet.cell(row, 7, comment), sheet.cell(row, 8, reviewer)
    book.save(tmp_path / name)
    return tmp_path / name


def test_a_marked_workbook_is_read_back_whole(waves, tmp_path):
    path = marked(waves, tmp_path, {2: ("ratified", "", "Head, North"), 3: ("Queried", "  not what  we saw ", "Head, South")})
    sheet = openpyxl.load_workbook(tmp_path / "pack.xlsx")["Themes"]
    assert [c.value for c in sheet[1]][:4] == ["Theme id", "Theme", "Definition", "How many: % of participants (n=3)"]
    assert sheet.column_dimensions["A"].hidden and sheet["A2"].value == "t"
    assert read_marks(waves, path) == 2
    marks = by_code(waves)
    assert [(r["status"], r["reviewer"]) for r in marks["t"]] == [("ratified", "Head, North")]
    assert (marks["u"][0]["status"], marks["u"][0]["comment"]) == ("queried", "not what we saw")
    assert summary(marks["t"]) == "1 ratified"
    # Read again with a change: the reviewer's mark is replaced, not added.
    assert read_marks(waves, marked(waves, tmp_path, {2: ("queried", "on reflection", "Head, North")}, "again.xlsx")) == 1
    assert [r["status"] for r in by_code(waves)["t"]] == ["queried"]


@pytest.mark.parametrize("rows, problem", [
    ({2: ("ratified", "", "A"), 3: ("maybe", "", "B")}, r"marked.xlsx:3: status 'maybe'"),
    ({2: ("ratified", "", "")}, r"marked.xlsx:2: who marked 't'\?"),
])
def test_a_bad_row_saves_nothing(waves, tmp_path, rows, problem):
    with pytest.raises(InputFileError, match=problem):
        read_marks(waves, marked(waves, tmp_path, rows))
    assert waves.store.ratifications() == []


def test_a_sheet_for_other_themes_or_another_project_is_refused(waves, tmp_path):
    path = marked(waves, tmp_path, {2: ("ratified", "", "A")})
    book = openpyxl.load_workbook(path)
    book["Themes"]["A2"] = "old.theme"
    book.save(path)
    with pytest.raises(InputFileError, match="theme 'old.theme' is not in this project's codebook"):
        read_marks(waves, path)
    book["Themes"]["A2"] = "t"
    book["About"]["B1"] = "another-project-id"
    book.save(path)
    with pytest.raises(InputFileError, match="written for another project"):
        read_marks(waves, path)
    assert waves.store.ratifications() == []


def test_a_reviewer_given_once_for_the_sheet(waves, tmp_path):
    assert read_marks(waves, marked(waves, tmp_path, {2: ("ratified", "", None)}), reviewer="Head, North") == 1
    assert by_code(waves)["t"][0]["reviewer"] == "Head, North"


def test_marks_entered_by_hand_and_the_evidence_table_shows_them(waves, tmp_path):
    assert mark(waves, "Time", "ratified", "Head, North") == "Time"
    mark(waves, "t", "queried", "Head, South", "cover was worse")
    with pytest.raises(UsageError, match="--status maybe"):
        mark(waves, "t", "maybe", "X")
    with pytest.raises(UsageError, match="--reviewer NAME"):
        mark(waves, "t", "ratified", " ")
    table = build_evidence_table(waves)
    assert [(row.code, row.ratification) for row in table.rows] == [("t", "1 ratified, 1 queried"), ("u", "")]
    markdown = write_evidence(waves, table, None)
    assert "| Theme | Exemplar quote | % of participants (n=3) | Ratification |" in markdown
    write_evidence(waves, table, tmp_path / "e.docx")
    header = [c.text for c in docx.Document(str(tmp_path / "e.docx")).tables[0].rows[0].cells]
    assert header[-1] == "Ratification"


def test_the_command_line(waves, cli, tmp_path):
    assert cli("ratify", "--pack", "-o", tmp_path / "p.xlsx").exit_code == 0
    assert cli("ratify", "t", "--status", "queried", "--reviewer", "Head, North", "--comment", "why").exit_code == 0
    listed = cli.json("ratify")
    assert [(r["id"], r["status"]) for r in listed] == [("t", "1 queried"), ("u", "not marked")]
    for args, problem in ((["ratify", "--pack"], "--pack needs -o"), (["ratify", "--pack", "--read", tmp_path / "p.xlsx"], "one thing at a time"),
                          (["ratify", "t"], "--status ratified or --status queried"),
                          (["ratify", "--read", tmp_path / "none.xlsx"], "none.xlsx: no such file")):
        result = cli(*args)
        assert result.exit_code == 2 and problem in result.stderr, (args, result.stderr)


def test_reviewers_and_comments_are_anonymised_and_restored(waves, tmp_path):
    from qualcode.anonymise import anonymise, reverse

    mark(waves, "t", "queried", "Bob Bell", "Ann Ashby would disagree")
    key = tmp_path / "keys" / "k.json"
    anonymise(waves, key)
    [row] = waves.store.ratifications()
    assert "Ashby" not in row["comment"] and "Bell" not in row["reviewer"]
    reverse(waves, key)
    [row] = waves.store.ratifications()
    assert (row["reviewer"], row["comment"]) == ("Bob Bell", "Ann Ashby would disagree")


def test_a_status_without_a_theme_and_a_status_in_capitals(waves, cli):
    result = cli("ratify", "--status", "ratified", "--reviewer", "X")
    assert result.exit_code == 2 and "give it first" in result.stderr
    assert cli("ratify", "t", "--status", "Ratified", "--reviewer", "X").exit_code == 0
    assert by_code(waves)["t"][0]["status"] == "ratified"
