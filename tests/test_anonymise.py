"""Anonymising a project and reversing it: labels, names, speech, attributes, log, and the file on disk."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualcode.anonymise import anonymise, pending, redact, reverse
from qualcode.corpus import turns
from qualcode.errors import InputFileError, UsageError
from qualcode.ingest import ImportOptions, import_paths
from qualcode.project import init_project, open_project
from qualcode.roster import import_roster, read_roster
from qualcode.withdraw import withdraw

from conftest import DEMO, snapshot

def identifying_strings() -> set[str]:
    """Every roster name, alias that is a name, surname and term of the demo, as they might be written."""
    found = set()
    for entry in read_roster(DEMO / "roster.csv"):
        found.add(entry.name)
        found.update(entry.name.split())  # first names and surnames alone too
        found.update(alias for alias in entry.aliases if alias[:1].isupper() and alias not in _LABEL_ALIASES)
    found.update(line.split(",")[0] for line in (DEMO / "terms.csv").read_text(encoding="utf-8").splitlines()[1:])
    return {s for s in found if len(s) >= 3}


_LABEL_ALIASES = {"Interviewer", "Facilitator", "COACH 2"}  # the roster's way of naming labels, not names


def test_no_name_is_left_in_any_file_of_the_project(demo):
    project, key = demo
    anonymise(project, key, DEMO / "terms.csv")
    redact(project, None, key)  # the doubtful finds too
    root = project.root
    project.close()
    needles = [re.compile(rb"(?<![a-z])" + re.escape(s.casefold().encode("utf-8")) + rb"(?![a-z])") for s in identifying_strings()]
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes().lower()
            assert not [n.pattern for n in needles if n.search(data)], path


def test_anonymised_text_has_codes_neutral_names_and_redactions(demo):
    project, key = demo
    with (project.root / "qualcode.toml").open("a", encoding="utf-8") as settings:
        settings.write('\n# our sites: Kingsmead = "K"\n')
    report = anonymise(project, key, DEMO / "terms.csv")
    assert report.settings_naming == ["qualcode.toml: Kingsmead"]
    names = sorted(d["name"] for d in project.store.document_refs())
    assert names == sorted(report.documents) and all(n.startswith("document-0") for n in names)
    document, views = turns(project, next(n for n in names if project.store.document_attributes(
        project.store.document_named(n)).get("date") == "2024-10-08"))
    assert views[0].speaker_label == "INT1" and views[1].speaker_label[0] in "ABCDEFGH"
    assert "[coach's name]" in views[1].text and "Mags" not in views[1].text
    stored = json.loads(key.read_text(encoding="utf-8"))
    assert stored["documents"][str(document["id"])]["name"] == "w1_01_coach_interview.txt"
    assert not project.store.roster_entries()
    attributes = project.store.document_attributes(document["id"])
    assert attributes["site"].startswith("Site ") and attributes["la"] in {"la 1", "la 2"}
    assert report.redacted["email"] == report.redacted["phone"] == report.redacted["postcode"] == 1


def test_reverse_puts_back_text_names_labels_attributes_roster_and_log_exactly(demo):
    project, key = demo
    before = snapshot(project)
    log_before = project.store.log_texts()[0]
    anonymise(project, key, DEMO / "terms.csv")
    assert snapshot(project)["documents"] != before["documents"]
    reverse(project, key)
    assert snapshot(project) == before
    assert {i: c for i, c in project.store.log_texts()[0].items() if i in log_before} == log_before


def test_running_again_after_a_new_wave_keeps_codes_names_and_links_new_labels(demo, tmp_path):
    project, key = demo
    anonymise(project, key, DEMO / "terms.csv")
    first = {r["id"]: (r["name"], r["text"]) for r in project.store.all_documents()}
    codes = {p["id"]: p["code"] for p in project.store.people_for_codes()}
    wave = tmp_path / "wave3"
    wave.mkdir()
    (wave / "w3_margaret.txt").write_text("Interviewer: Hello again.\n\nMargaret Hale: Honestly, Mags says, Priya and I still meet "
                                          "at St Aidan's, and Tom came over from Kingsmead.\n", encoding="utf-8")
    import_paths(project, [str(wave)], ImportOptions())
    import_roster(project, DEMO / "roster.csv")  # the same people again, by name
    anonymise(project, key)  # terms come from the key now
    after = {r["id"]: (r["name"], r["text"]) for r in project.store.all_documents()}
    assert all(after[i] == first[i] for i in first)
    assert {p["id"]: p["code"] for p in project.store.people_for_codes() if p["id"] in codes} == codes
    new = next(i for i in after if i not in first)
    _, views = turns(project, str(new))
    margaret = next(p for p, c in codes.items() if views[1].speaker_label == c)
    assert margaret in codes and "Honestly, [coach's name] says, [teacher's name] and I" in views[1].text
    assert "_____ (school)" in views[1].text and "Kingsmead" not in views[1].text
    assert len(project.store.people_for_codes()) == len(codes)


def test_withdrawal_after_anonymising_and_then_reversal(demo):
    project, key = demo
    anonymise(project, key, DEMO / "terms.csv")
    coach = next(s for s in project.store.speakers() if s["document"].startswith("document-") and s["role"] == "participant")
    respondent = next(s for s in project.store.speakers_with_attributes())
    withdraw(project, coach["label"])
    withdraw(project, respondent["label"])
    reverse(project, key)
    names = {d["name"] for d in project.store.document_refs()}
    assert "w1_01_coach_interview.txt" in names
    assert all("[coach's name]" not in r["text"] for r in project.store.all_documents())
    # The respondent's answers stay withdrawn: reversal does not bring their attributes back.
    assert len(project.store.speakers_with_attributes()) == 23


@pytest.mark.parametrize("damage", ["wrong-project", "corrupted", "missing-redaction"])
def test_a_key_that_does_not_fit_changes_nothing(demo, tmp_path, damage):
    project, key = demo
    anonymise(project, key, DEMO / "terms.csv")
    before = snapshot(project)
    if damage == "wrong-project":
        other = init_project(tmp_path / "other")
        with open_project(other) as second:
            anonymise(second, tmp_path / "keys" / "other.json")
        key = tmp_path / "keys" / "other.json"
    elif damage == "corrupted":
        key.write_text(key.read_text(encoding="utf-8")[:-40], encoding="utf-8")
    else:
        data = json.loads(key.read_text(encoding="utf-8"))
        data["redactions"].popitem()
        key.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(UsageError):
        reverse(project, key)
    assert snapshot(project) == before


def test_wrong_passphrase_and_key_inside_the_project_are_refused(demo, monkeypatch):
    project, key = demo
    anonymise(project, key, DEMO / "terms.csv", passphrase="correct horse")
    before = snapshot(project)
    with pytest.raises(UsageError, match="wrong passphrase"):
        reverse(project, key, "battery staple")
    with pytest.raises(UsageError, match="inside the project"):
        reverse(project, project.root / "key.json")
    assert snapshot(project) == before


@pytest.mark.parametrize("content, problem", [
    ("term,category\n,school\n", ":2: empty term"),
    ("term,category\nKingsmead,a school!\n", ":2: category"),
    ("term\nKingsmead\n", "category"),
])
def test_a_broken_terms_file_is_one_error_and_changes_nothing(demo, tmp_path, content, problem):
    project, key = demo
    terms = tmp_path / "terms.csv"
    terms.write_text(content, encoding="utf-8")
    before = snapshot(project)
    with pytest.raises(InputFileError, match=problem):
        anonymise(project, key, terms)
    assert snapshot(project) == before and not key.exists()


def test_an_installed_ner_pipeline_adds_suggestions_for_review(project, tmp_path):
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "PERSON", "pattern": "Zebedee"}, {"label": "ORG", "pattern": "Acme Trust"}])
    nlp.to_disk(tmp_path / "tiny_ner")
    (project.root / "qualcode.toml").write_text(f'[anonymise]\nner_model = "{tmp_path / "tiny_ner"}"\n', encoding="utf-8")
    (tmp_path / "a.txt").write_text("Interviewer: Who helped?\n\nParticipant: Zebedee, from the Acme Trust.\n", encoding="utf-8")
    with open_project(project.root) as reopened:
        import_paths(reopened, [str(tmp_path / "a.txt")], ImportOptions())
        anonymise(reopened, tmp_path / "keys" / "k.json")
        found = {(p.text, p.category, p.detector.split(":")[0]) for p in pending(reopened)}
    assert found == {("Zebedee", "person", "ner"), ("Acme Trust", "organisation", "ner")}


NAMES = ["Margaret Hale", "Will Jones", "Priya Shah", "Seamus O'Brien", "Hope Adeyemi", "Zoë Kowalczyk"]
words = st.sampled_from(["the", "coach", "said", "will", "may", "we", "met", "Margaret", "margaret's", "Mags", "Priya", "hope",
                         "O'Brien", "Zoë", "Kowalczyk", "at", "Kingsmead", "07700 900123", "a@b.org", ",", ".", "\n", "é", "[x]"])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(turns_text=st.lists(st.lists(words, min_size=1, max_size=25).map(" ".join), min_size=1, max_size=6),
       roster_names=st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True))
def test_anonymise_then_reverse_gives_back_exactly_what_was_imported(tmp_path_factory, turns_text, roster_names):
    root = tmp_path_factory.mktemp("round")
    project_dir = init_project(root / "p")
    labels = ["Interviewer", *roster_names]
    (root / "t.txt").write_text("\n\n".join(f"{labels[i % len(labels)]}: {text}" for i, text in enumerate(turns_text)), encoding="utf-8")
    (root / "roster.csv").write_text("name,aliases\n" + "\n".join(f'"{n}",' for n in roster_names), encoding="utf-8")
    (root / "terms.csv").write_text("term,category\nKingsmead,school\n", encoding="utf-8")
    with open_project(project_dir) as project:
        import_paths(project, [str(root / "t.txt")], ImportOptions())
        import_roster(project, root / "roster.csv")
        before = snapshot(project)
        anonymise(project, root / "key.json", root / "terms.csv")
        redact(project, None, root / "key.json")
        reverse(project, root / "key.json")
        assert snapshot(project) == before


free_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from(["\n", "\t", " "]),
                    max_size=80)
generated_name = st.from_regex(r"[A-Z][a-zà-ÿ]{2,8}( [A-Z]['a-z]{2,10})?", fullmatch=True)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(pieces=st.lists(st.lists(words | free_text, min_size=1, max_size=12).map(" ".join), min_size=1, max_size=5),
       roster_names=st.lists(generated_name, min_size=1, max_size=4, unique_by=str.casefold), data=st.data())
def test_any_text_and_roster_come_back_exactly(tmp_path_factory, pieces, roster_names, data):
    # Names from the roster are said in the turns (as written, lower case, possessive), among any text at all.
    said = []
    for number, piece in enumerate(pieces):
        name = roster_names[number % len(roster_names)]
        said.append(piece + " " + data.draw(st.sampled_from([name, name.lower(), name.split()[0] + "'s"])))
    root = tmp_path_factory.mktemp("anything")
    project_dir = init_project(root / "p")
    labels = ["Interviewer", *roster_names]
    (root / "t.txt").write_text("\n\n".join(f"{labels[i % len(labels)]}: {text}" for i, text in enumerate(said)), encoding="utf-8")
    (root / "roster.csv").write_text("name,aliases\n" + "\n".join(f'"{n}",' for n in roster_names), encoding="utf-8")
    with open_project(project_dir) as project:
        import_paths(project, [str(root / "t.txt")], ImportOptions())
        import_roster(project, root / "roster.csv")
        before = snapshot(project)
        anonymise(project, root / "key.json")
        redact(project, None, root / "key.json")
        reverse(project, root / "key.json")
        assert snapshot(project) == before


def test_the_store_file_keeps_no_free_pages_or_log_after_anonymising(demo):
    project, key = demo
    anonymise(project, key, DEMO / "terms.csv")
    path = project.root / "qualcode.db"
    project.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA freelist_count").fetchone()[0] == 0
    wal = path.with_name("qualcode.db-wal")
    assert not wal.exists() or wal.stat().st_size == 0


def test_attributes_changed_after_anonymising_survive_reversal_and_replacement(demo, tmp_path):
    from qualcode.corpus import set_attributes

    project, key = demo
    anonymise(project, key, DEMO / "terms.csv")
    first = next(d for d in project.store.document_refs() if project.store.document_attributes(d["id"]).get("date") == "2024-10-08")
    set_attributes(project, first["name"], ["wave=3", "coder_note=checked"])
    replacement = tmp_path / "again" / first["name"]
    replacement.parent.mkdir()
    replacement.write_text(project.store.document_text(first["id"]) + "\n\nInterviewer: One more thing, Mags.\n", encoding="utf-8")
    import_paths(project, [str(replacement)], ImportOptions(replace=True))
    anonymise(project, key)
    reverse(project, key)
    attributes = project.store.document_attributes(first["id"])
    assert attributes["site"] == "St Aidan's" and attributes["la"] == "Northmoor"
    assert attributes["wave"] == "3" and attributes["coder_note"] == "checked"


def test_another_program_reading_the_project_is_reported_not_ignored(demo):
    from qualcode.errors import PartialFailure

    project, key = demo
    reader = sqlite3.connect(project.root / "qualcode.db")
    reader.execute("BEGIN")
    reader.execute("SELECT COUNT(*) FROM documents").fetchone()
    with pytest.raises(PartialFailure, match="still in qualcode.db-wal"):
        anonymise(project, key, DEMO / "terms.csv")
    reader.close()
    anonymise(project, key)  # nothing new to do; now the old text leaves the disk
    assert (project.root / "qualcode.db-wal").stat().st_size == 0


def test_terms_given_on_a_later_run_reach_attributes_and_withdrawn_originals_leave_the_key(demo):
    project, key = demo
    anonymise(project, key)
    assert any(a.get("la") == "Northmoor" for a in map(project.store.document_attributes, (d["id"] for d in project.store.document_refs())))
    anonymise(project, key, DEMO / "terms.csv")
    values = {a.get("la") for a in map(project.store.document_attributes, (d["id"] for d in project.store.document_refs()))}
    assert "Northmoor" not in values and "la 1" in values
    person = next(s for s in project.store.speakers() if s["role"] == "participant" and s["document"].endswith(".txt"))
    before = len(json.loads(key.read_text(encoding="utf-8"))["redactions"])
    withdraw(project, person["label"])
    anonymise(project, key)
    assert len(json.loads(key.read_text(encoding="utf-8"))["redactions"]) < before


def test_a_coder_who_is_on_the_roster_and_old_codebook_texts_are_anonymised_and_restored(demo):
    from qualcode.checks.leaks import check_leaks
    from qualcode.coding import Location, code_document
    from qualcode.memo import add_memo

    project, key = demo
    (project.root / "codebook.yaml").write_text("codes:\n  - id: t\n    label: Time\n    definition: As Mags put it, time.\n",
                                                encoding="utf-8")
    interviewer = open_project(project.root, {"coder": "Claire Evans"}, "pytest")  # the interviewer codes her interviews
    code_document(interviewer, "w1_01", "t", Location(turn=4))
    add_memo(interviewer, "Mags and Tom Brennan disagree")
    interviewer.close()
    assert any(leak.where == "coders" for leak in check_leaks(project))
    anonymise(project, key, DEMO / "terms.csv")
    assert "Claire Evans" not in project.store.coder_names() and "coder 1" in project.store.coder_names()
    assert not any("Mags" in text for text in project.store.codebook_texts().values())
    assert not any("Mags" in m["text"] for m in project.store.memos())
    assert not [leak for leak in check_leaks(project, key) if leak.where in ("coders", "codebook versions", "memos")]
    reverse(project, key)
    assert "Claire Evans" in project.store.coder_names()
    assert any("As Mags put it" in text for text in project.store.codebook_texts().values())
