"""Open-ended surveys from CSV and XLSX."""

from __future__ import annotations

import openpyxl
import pytest

from qualcode.errors import InputFileError
from qualcode.ingest.documents import ReadOptions
from qualcode.ingest.survey import read_survey

CSV = (
    "respondent_id,school,q1_satisfaction,q3_what_changed,years\n"
    'R01,St Aidan\'s,Agree,"I plan lessons with a colleague now, and I ask for feedback more often.",4\n'
    'R02,Greyfield,Disagree,"",12\n'
    'R03,Greyfield,Agree,"Time to reflect, finally. ""Protected"" time matters.\nSecond line.",2\n'
)


def read(tmp_path, content, name="survey.csv", **options):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return read_survey(path, path.read_bytes(), path.suffix[1:], ReadOptions(**options))


def test_each_answer_is_a_turn_and_closed_columns_are_attributes(tmp_path):
    parsed = read(tmp_path, CSV)
    assert [(b.label, b.question) for b in parsed.blocks] == [("R01", "q3_what_changed"), ("R03", "q3_what_changed")]
    assert parsed.blocks[1].text.startswith('Time to reflect, finally. "Protected"')
    assert parsed.speaker_attributes["R02"] == {"school": "Greyfield", "q1_satisfaction": "Disagree", "years": "12"}


def test_chosen_columns(tmp_path):
    parsed = read(tmp_path, CSV, id_column="years", question_columns=("q1_satisfaction",))
    assert [(b.label, b.text) for b in parsed.blocks] == [("4", "Agree"), ("12", "Disagree"), ("2", "Agree")]


def test_missing_column_names_the_columns(tmp_path):
    with pytest.raises(InputFileError, match=r"no column 'q9'.*columns are 'respondent_id'"):
        read(tmp_path, CSV, question_columns=("q9",))


def test_semicolon_csv_in_cp1252(tmp_path):
    content = "id;answer\n1;Le café était très bon, vraiment très bon pour nous.\n2;Nous avons beaucoup appris cette année.\n"
    parsed = read(tmp_path, content.encode("cp1252"))
    assert [b.label for b in parsed.blocks] == ["1", "2"] and "café" in parsed.blocks[0].text


def test_xlsx_sheet_choice_and_errors(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Cover"
    workbook.active.append(["nothing here"])
    sheet = workbook.create_sheet("Responses")
    sheet.append(["Case", "Age", "Qual_opinion"])
    sheet.append(["ID1", 20, "The sessions gave me time to think about my teaching."])
    sheet.append(["ID2", 31, None])
    path = tmp_path / "s.xlsx"
    workbook.save(path)
    parsed = read_survey(path, path.read_bytes(), "xlsx", ReadOptions(sheet="Responses"))
    assert [(b.label, b.question) for b in parsed.blocks] == [("ID1", "Qual_opinion")]
    assert parsed.speaker_attributes["ID2"] == {"Age": "31"}
    with pytest.raises(InputFileError, match="no sheet 'Missing'"):
        read_survey(path, path.read_bytes(), "xlsx", ReadOptions(sheet="Missing"))
    with pytest.raises(InputFileError, match="no column 'Qual_x'"):
        read_survey(path, path.read_bytes(), "xlsx", ReadOptions(sheet="Responses", question_columns=("Qual_x",)))


def test_survey_without_open_ended_columns(tmp_path):
    with pytest.raises(InputFileError, match="no open-ended"):
        read(tmp_path, "id,age\n1,20\n2,30\n")


def test_repeated_ids_in_a_chosen_column_are_refused(tmp_path):
    content = "respondent,age,comment\nA1,34,It was a useful year for all of us.\nA1,35,We learned to plan lessons together.\n"
    with pytest.raises(InputFileError, match="'A1' appears twice") as error:
        read(tmp_path, content, id_column="respondent")
    assert error.value.line == 3


def test_repeated_ids_in_a_likely_column_are_numbered_with_a_warning(tmp_path):
    content = "respondent,comment\nA1,It was a useful year for all of us.\nA1,We learned to plan lessons together.\n"
    parsed = read(tmp_path, content)
    assert [b.label for b in parsed.blocks] == ["R1", "R2"]
    assert "repeated ids" in parsed.warnings[0]
    assert parsed.speaker_attributes["R1"] == {"respondent": "A1"}
