"""The roster: reading it, and linking labels to the people on it."""

from __future__ import annotations

import pytest

from qualcode.errors import InputFileError, UsageError
from qualcode.ingest import ImportOptions, import_paths
from qualcode.roster import import_roster, read_roster, remove, roster
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


def test_roster_review_cases(project, tmp_path):
    from qualcode.speakers import assign_codes, link, suggest_links

    write(tmp_path, "a.txt", "Interviewer: q\nA: one\nInterviewer: q\nParticipant 1: x\nParticipant 2: y")
    write(tmp_path, "b.txt", "Q: q\nA: two\nQ: q")
    import_paths(project, [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")], ImportOptions())
    project.store.set_document_attributes(1, "a.txt", {"site": "North"})
    project.store.set_document_attributes(2, "b.txt", {"site": "South"})
    sheet = write(tmp_path, "r.csv", "name,aliases,role,site\nRashid Ahmed,A,facilitator,North\nMargaret Hale,Mags,coach,South\n")
    report = import_roster(project, sheet)
    people = {(s.document, s.label): (s.person, s.role) for s in list_speakers(project)}
    assert people[("a.txt", "A")][0] != people[("b.txt", "A")][0]  # the alias A means Rashid only at his site
    assert people[("a.txt", "A")][1] == "participant"  # a facilitator's job is not the interviewer role
    assert suggest_links(project) == []  # Participant 1 / Participant 2 are a series, not a typo
    log_size = len([c for e in project.store.log_entries() for c in e.changes])
    again = import_roster(project, sheet)
    assert (again.added, again.updated, again.linked) == (0, 2, [])
    assert len([c for e in project.store.log_entries() for c in e.changes]) == log_size
    # Labels imported later that are a roster name join that person.
    write(tmp_path, "c.txt", "Interviewer: q\nMags: later\nInterviewer: q")
    import_paths(project, [str(tmp_path / "c.txt")], ImportOptions())
    people = {(s.document, s.label): s.person for s in list_speakers(project)}
    margaret = {r["name"]: r["person_id"] for r in roster(project)}["Margaret Hale"]
    assert people[("c.txt", "Mags")] == margaret
    # Linking keeps the roster person (and so its code), whatever order the labels are given in.
    assign_codes(project, tmp_path / "keys" / "k.json", seed=1)
    write(tmp_path, "d.txt", "Interviewer: q\nMags H: typo\nInterviewer: q")
    import_paths(project, [str(tmp_path / "d.txt")], ImportOptions())
    link(project, ["d.txt:Mags H", "c.txt:Mags"])
    assert {(s.document, s.label): s.person for s in list_speakers(project)}[("d.txt", "Mags H")] == margaret
    assert report.ambiguous == []


def test_replace_with_a_relabelled_speaker_keeps_the_person(project, tmp_path):
    path = write(tmp_path, "t.txt", "Interviewer: q\nMargaret Hale: a\nInterviewer: q")
    import_paths(project, [str(path)], ImportOptions())
    before = {s.label: s.person for s in list_speakers(project)}["Margaret Hale"]
    write(tmp_path, "t.txt", "Interviewer: q\nMARGARET HALE: a\nInterviewer: q")
    import_paths(project, [str(path)], ImportOptions(replace=True))
    assert {s.label: s.person for s in list_speakers(project)}["MARGARET HALE"] == before


def test_an_unwritable_key_leaves_the_project_unchanged(cli, tmp_path):
    (tmp_path / "t.txt").write_text("Interviewer: q\nAnn: a\nInterviewer: q", encoding="utf-8")
    cli("import", tmp_path / "t.txt")
    (tmp_path / "afile").write_text("x")
    result = cli("speakers", "assign", "--key", tmp_path / "afile" / "k.json")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "cannot write" in result.stderr
    assert all(row["code"] is None for row in cli.json("speakers"))


def test_remove_takes_someone_off_the_roster(project, tmp_path):
    (tmp_path / "a.txt").write_text("Interviewer: Hi.\n\nMargaret Hale: Hello.\n", encoding="utf-8")
    (tmp_path / "roster.csv").write_text("name,role\nMargaret Hale,coach\nTom Brennan,coach\n", encoding="utf-8")
    import_paths(project, [str(tmp_path / "a.txt")], ImportOptions())
    import_roster(project, tmp_path / "roster.csv")
    speaker = next(s for s in project.store.speakers() if s["label"] == "Margaret Hale")
    remove(project, "tom brennan")
    assert [r["name"] for r in roster(project)] == ["Margaret Hale"]
    remove(project, "Margaret Hale")
    assert roster(project) == [] and project.store.speakers()[1]["person_id"] == speaker["person_id"]
    with pytest.raises(UsageError, match="no one called"):
        remove(project, "Margaret Hale")


def test_a_code_given_before_the_roster_stays_with_its_label(project, tmp_path):
    from qualcode.speakers import assign_codes

    (tmp_path / "t.txt").write_text("Interviewer: Hello?\n\nAnn: Hello.\n\nBob: Hi.\n", encoding="utf-8")
    import_paths(project, [str(tmp_path / "t.txt")], ImportOptions())
    key = tmp_path / "keys" / "k.json"
    assign_codes(project, key, seed=3)
    before = {r["labels"]: r["code"] for r in project.store.people_for_codes()}
    (tmp_path / "roster.csv").write_text("name,aliases\nAnn Ashby,Ann\nBob Bell,Bob\n", encoding="utf-8")
    import_roster(project, tmp_path / "roster.csv")
    assign_codes(project, key)
    after = {r["labels"]: r["code"] for r in project.store.people_for_codes()}
    assert after == before


def test_a_roster_keeps_labels_a_person_linked_together(project, tmp_path):
    from qualcode.speakers import link

    (tmp_path / "a.txt").write_text("Interviewer: hi\n\nMargaret Hale: hello\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Interviewer: hi\n\nMags: hi\n", encoding="utf-8")
    (tmp_path / "r.csv").write_text("name,role,site\nMargaret Hale,coach,North\n", encoding="utf-8")
    import_paths(project, [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")], ImportOptions())
    link(project, ["a.txt:Margaret Hale", "b.txt:Mags"])
    import_roster(project, tmp_path / "r.csv")
    people = {s["label"]: s["person_id"] for s in project.store.speakers() if s["label"] != "Interviewer"}
    assert people["Mags"] == people["Margaret Hale"]
    [entry] = project.store.roster_entries()
    assert entry["person_id"] == people["Mags"] and "b.txt:Mags" in entry["labels"]
