"""Speaker roles."""

from __future__ import annotations

import pytest

from qualcode.errors import UsageError
from qualcode.ingest import ImportOptions, import_paths
from qualcode.speakers import interviewer_regex, link, list_speakers, role_for_label, set_role, suggest_links, unlink
from qualcode.settings import DEFAULT_INTERVIEWER_LABELS


@pytest.mark.parametrize("label, role", [
    ("Interviewer", "interviewer"), ("interviewer 2", "interviewer"), ("I", "interviewer"), ("Q", "interviewer"),
    ("Facilitator", "interviewer"), ("Int.", "interviewer"), ("A", "participant"), ("Ivan", "participant"),
    ("Interviewee", "participant"), ("Margaret Hale", "participant"),
])
def test_default_roles(label, role):
    assert role_for_label(label, interviewer_regex(DEFAULT_INTERVIEWER_LABELS)) == role


def test_bad_pattern_in_settings():
    with pytest.raises(UsageError, match="interviewer_labels"):
        interviewer_regex(["(oops"])


def test_set_role_everywhere_or_in_one_document(project, tmp_path):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("Dan: question\nParticipant: answer", encoding="utf-8")
    import_paths(project, [str(tmp_path)], ImportOptions())
    assert set_role(project, "Dan", "Interviewer", document="a") == 1
    assert {(s.document, s.role) for s in list_speakers(project) if s.label == "Dan"} == {("a.txt", "interviewer"), ("b.txt", "participant")}
    assert set_role(project, "Dan", "interviewer") == 2
    with pytest.raises(UsageError, match="no speaker labelled 'Nobody'"):
        set_role(project, "Nobody", "interviewer")
    with pytest.raises(UsageError, match="role"):
        set_role(project, "Dan", "!!")


def _import(project, tmp_path, files: dict[str, str]):
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    import_paths(project, [str(tmp_path / name) for name in files], ImportOptions())


def people(project):
    return {(s.document, s.label): s.person for s in list_speakers(project)}


def test_people_behind_labels(project, tmp_path):
    _import(project, tmp_path, {
        "p1.txt": "Interviewer: a\nParticipant: b\nInterviewer1: c\nParticipant: d",
        "p2.txt": "Interviewer: e\nParticipant: f",
    })
    found = people(project)
    assert found[("p1.txt", "Interviewer")] == found[("p2.txt", "Interviewer")]  # one interviewer across documents
    assert found[("p1.txt", "Participant")] != found[("p2.txt", "Participant")]  # participants differ until linked


def test_link_a_typo_after_a_suggestion_and_roles_follow_the_person(project, tmp_path):
    _import(project, tmp_path, {"p5.txt": "Dan: a\nParticipant: b\nDan: c\nParticpant: d\nDan: e\nParticipant: f"})
    suggestions = suggest_links(project)
    assert [(s.document, s.label, s.similar_to) for s in suggestions] == [("p5.txt", "Particpant", "Participant")]
    assert link(project, ["p5.txt:Participant", "Particpant"], document="p5") == 1
    assert suggest_links(project) == []
    found = people(project)
    assert found[("p5.txt", "Participant")] == found[("p5.txt", "Particpant")]
    set_role(project, "Particpant", "observer")
    assert {s.label: s.role for s in list_speakers(project)}["Participant"] == "observer"
    changes = [c for entry in project.store.log_entries() for c in entry.changes]
    assert [c["target"] for c in changes if c["action"] == "link"] == ["p5.txt: Participant, p5.txt: Particpant"]


def test_link_errors(project, tmp_path):
    _import(project, tmp_path, {"a.txt": "Interviewer: q\nAnn: x", "b.txt": "Interviewer: q\nAnn: y"})
    with pytest.raises(UsageError, match="write DOC:Ann"):
        link(project, ["Ann", "a.txt:Interviewer"])
    with pytest.raises(UsageError, match="different roles"):
        link(project, ["a.txt:Ann", "a.txt:Interviewer"])
    with pytest.raises(UsageError, match="at least two"):
        link(project, ["a.txt:Ann"])
    assert link(project, ["a.txt:Ann", "b.txt:Ann"]) == 1
    assert link(project, ["a.txt:Ann", "b.txt:Ann"]) == 0


def test_assign_codes_writes_the_seed_to_the_key_not_the_project(project, tmp_path):
    import json

    from qualcode.speakers import assign_codes

    _import(project, tmp_path, {"a.txt": "Interviewer: q\nAnn: x", "b.txt": "Interviewer: q\nBen: y"})
    project.store.set_document_attributes(1, "a.txt", {"site": "North"})
    key = tmp_path / "keys" / "study.key"
    seed, assignments, _ = assign_codes(project, key, seed=11)
    codes = {a.labels: a.code for a in assignments}
    assert codes["a.txt:Interviewer, b.txt:Interviewer"] == "INT1"
    assert {codes["a.txt:Ann"][1:], codes["b.txt:Ben"][1:]} == {"1"}
    stored = json.loads(key.read_text())
    assert stored["seed"] == 11 and sorted(stored["codes"].values()) == sorted(codes.values())
    raw = (project.root / "qualcode.db").read_bytes() + (project.root / "qualcode.toml").read_bytes()
    assert b'"seed"' not in raw
    assert {s.label: s.code for s in list_speakers(project)}["Ann"] == codes["a.txt:Ann"]
    again = assign_codes(project, key)[1]
    assert {a.labels: a.code for a in again} == codes
    with pytest.raises(UsageError, match="inside the project"):
        assign_codes(project, project.root / "k.json")
    with pytest.raises(UsageError, match="a key is needed"):
        assign_codes(project, None)


def test_unlink_undoes_a_link(project, tmp_path):
    (tmp_path / "p5.txt").write_text("Participant: One.\n\nParticpant: Two.\n", encoding="utf-8")
    import_paths(project, [str(tmp_path / "p5.txt")], ImportOptions())
    link(project, ["p5:Participant", "p5:Particpant"])
    assert len({s["person_id"] for s in project.store.speakers()}) == 1
    assert unlink(project, "p5:Particpant")
    assert len({s["person_id"] for s in project.store.speakers()}) == 2
    assert not unlink(project, "p5:Particpant")
    assert any(c["action"] == "unlink" for e in project.store.log_entries(1) for c in e.changes)


def test_the_seed_typed_on_the_command_line_never_reaches_the_log(cli, tmp_path):
    (tmp_path / "a.txt").write_text("Interviewer: q\n\nAnn: x\n", encoding="utf-8")
    cli("import", tmp_path / "a.txt")
    key = tmp_path / "keys" / "k.json"
    assert cli("speakers", "assign", "--seed", "987654", "--key", key).exit_code == 0
    assert cli("speakers", "assign", "--seed=987654", "--key", key).exit_code == 0
    assert cli("speakers", "assign", "--seed", " 987654", "--key", key).exit_code == 0
    cli("speakers", "assign", "--seed", "5", "--seed", "987654", "--key", key)
    commands = [entry["command"] for entry in cli.json("log")]
    assert any("speakers assign --seed '[seed]'" in c or "speakers assign --seed [seed]" in c for c in commands)
    assert not any("987654" in c for c in commands)
    db = tmp_path / "project" / "qualcode.db"
    assert b"987654" not in b"".join(p.read_bytes() for p in db.parent.glob("qualcode.db*"))


def test_a_seed_in_an_older_log_is_blanked_by_anonymising(project, tmp_path):
    from qualcode.anonymise import anonymise, reverse
    from qualcode.key import hide_seed

    assert hide_seed("qualcode -P p speakers assign --key k --seed 7") == "qualcode -P p speakers assign --key k --seed [seed]"
    assert hide_seed("qualcode sample --fraction 0.2 --seed 7") == "qualcode sample --fraction 0.2 --seed 7"  # a sample's seed is no secret
    assert hide_seed("qualcode speakers assign --seed ' 77' --seed=\"8 8\" --seed 9") == (
        "qualcode speakers assign --seed [seed] --seed=[seed] --seed [seed]")
    _import(project, tmp_path, {"a.txt": "Interviewer: q\nAnn: x"})
    with project.store.unit_of_work():
        project.store.log_change("assign", "codes", "by hand")
    project.store.conn.execute("UPDATE commands SET command = 'qualcode speakers assign --seed 4321 --key k'")
    project.store.conn.commit()
    key = tmp_path / "keys" / "k.json"
    from qualcode.checks.leaks import check_leaks

    assert any(leak.category == "seed" for leak in check_leaks(project))
    anonymise(project, key)
    assert not any("4321" in command for command in project.store.log_texts()[0].values())
    assert not any(leak.category == "seed" for leak in check_leaks(project, key))
    reverse(project, key)
    assert any("4321" in command for command in project.store.log_texts()[0].values())
