"""The roster: reading it, and linking labels to the people on it."""

from __future__ import annotations

import pytest

from qualcode.errors import InputFileError
from qualcode.ingest import ImportOptions, import_paths
from qualcode.roster import import_roster, read_roster, roster
from qualcode.speakers import list_speakers

ROSTER = (
    "name,aliases,role,site,wave,group,school\n"
    "Margaret Hale,Mags; Margaret,coach,A;B,1;2,,St Aidan's Primary\n"
    "Tom Brennan,COACH 2,coach,C,1,,Kingsmead School\n"
    "Claire Evans,Interviewer,interviewer,,1;2,,\n"
    "Priya Shah,,teacher,A,2,,St Aidan's Primary\n"
)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def corpus(project, tmp_path):
    write(tmp_path, "w1.txt", "Interviewer: How was it?\nMargaret Hale: Good.\nInterviewer: And?\nMargaret Hale: Fine.")
    write(tmp_path, "w2.txt", "Interviewer: Again?\nMags: Yes.\nInterviewer: Thanks.")
    write(tmp_path, "w3.txt", "INTERVIEWER: Hello\nCOACH 2: Hi\nINTERVIEWER: Bye")
    import_paths(project, [str(tmp_path / n) for n in ("w1.txt", "w2.txt", "w3.txt")], ImportOptions())
    return project


def test_read_roster_lists_and_attributes(tmp_path):
    entries = read_roster(write(tmp_path, "roster.csv", ROSTER))
    margaret = entries[0]
    assert margaret.aliases == ("Mags", "Margaret")
    assert margaret.attributes == {"role": "coach", "site": ["A", "B"], "wave": ["1", "2"], "school": "St Aidan's Primary"}


@pytest.mark.parametrize("text, message, line", [
    ("name,role\n,coach\n", "empty name", 2),
    ("name,role\nAnn,coach\nAnn,coach\n", "listed twice", 3),
    ("person,role\nAnn,coach\n", "no column 'name'", 1),
])
def test_roster_errors(tmp_path, text, message, line):
    with pytest.raises(InputFileError, match=message) as error:
        read_roster(write(tmp_path, "r.csv", text))
    assert error.value.line == line


def test_same_name_told_apart_by_another_column_is_two_people(tmp_path):
    entries = read_roster(write(tmp_path, "r.csv", "name,site\nAnn Lee,A\nAnn Lee,B\n"))
    assert len(entries) == 2


def test_import_links_labels_to_people(corpus, tmp_path):
    report = import_roster(corpus, write(tmp_path, "roster.csv", ROSTER))
    assert (report.added, report.updated) == (4, 0)
    people = {(s.document, s.label): (s.person, s.role) for s in list_speakers(corpus)}
    assert people[("w1.txt", "Margaret Hale")] == people[("w2.txt", "Mags")]
    assert people[("w1.txt", "Interviewer")] == people[("w2.txt", "Interviewer")]
    assert people[("w1.txt", "Interviewer")][1] == "interviewer"
    entries = {r["name"]: r for r in roster(corpus)}
    assert entries["Margaret Hale"]["labels"] == "w1.txt:Margaret Hale, w2.txt:Mags"
    assert entries["Priya Shah"]["labels"] == ""  # on the roster, not yet heard
    again = import_roster(corpus, write(tmp_path, "roster.csv", ROSTER))
    assert (again.added, again.updated) == (0, 4)
    assert len(roster(corpus)) == 4


def test_a_label_matching_two_people_is_left_alone(corpus, tmp_path):
    report = import_roster(corpus, write(tmp_path, "r.csv", "name,aliases,site\nMargaret Hale,,A\nMags Jones,Mags,B\nMargaret Hale,Mags,C\n"))
    assert "w2.txt:Mags" in report.ambiguous


def test_roster_through_the_cli(cli, tmp_path):
    (tmp_path / "w1.txt").write_text("Interviewer: How was it?\nMargaret Hale: Good.", encoding="utf-8")
    cli("import", tmp_path / "w1.txt")
    result = cli("roster", "import", write(tmp_path, "roster.csv", ROSTER))
    assert result.exit_code == 0 and "4 added" in result.stderr and "2 label(s) linked" in result.stderr
    rows = cli.json("roster")
    assert rows[1]["name"] == "Margaret Hale" and rows[1]["labels"] == "w1.txt:Margaret Hale"
    missing = cli("roster", "import", tmp_path / "missing.csv")
    assert missing.exit_code == 2 and "missing.csv: no such file" in missing.stderr
