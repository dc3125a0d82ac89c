"""Codings in and out: placing quotes, the import format, refusing what does not fit, and a real study."""

from __future__ import annotations

import csv
import json
import shutil

import pytest

from qualcode.coding import Location, code_document
from qualcode.codings import export_codings, find_quote, import_codings
from qualcode.errors import InputFileError, UsageError
from qualcode.ingest import ImportOptions, import_paths
from qualcode.project import init_project, open_project

from conftest import REPO


def test_quotes_are_found_across_white_space_hyphenation_and_merged_labels():
    text = "A: We can look at what fea-\nture matters.\n\nB: Fine.\nAnd   then again.\n\nA: Yes."
    labels = [(0, 3, "A"), (43, 46, "B"), (73, 76, "A")]
    assert text[slice(*find_quote(text, "look at what feature matters."))] == "look at what fea-\nture matters."
    assert text[slice(*find_quote(text, "B: Fine.\nB: And then again.", labels))] == "Fine.\nAnd   then again."
    assert find_quote(text, "again") == (text.index("again"), text.index("again") + 5)
    assert "found in 2 places" in find_quote(text, "A:")
    assert find_quote(text, "nowhere").startswith("quote not found")


@pytest.fixture
def two(demo, tmp_path):
    project, _ = demo
    shutil.copy(REPO / "codebooks" / "pathways.yaml", project.root / "codebook.yaml")
    return project


def write(path, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_import_by_turn_span_and_text_with_a_coder_column(two, tmp_path):
    sheet = write(tmp_path / "c.csv", [
        {"document": "w1_01", "coder": "ana", "code": "time.cover", "turn": "4", "start": "", "end": "", "text": ""},
        {"document": "w1_02_coach_interview.txt", "coder": "ben", "code": "Time and capacity > Workload and competing demands",
         "turn": "", "start": "", "end": "", "text": "Secondary timetables are...\n they're brutal."},
        {"document": "w1_03", "coder": "ana", "code": "Cover", "turn": "", "start": "0", "end": "10", "text": ""}])
    report = import_codings(two, sheet)
    assert report.imported == 3 and not report.unplaced
    codings = two.store.codings()
    assert {(c["coder"], c["code"], c["origin"]) for c in codings} == {
        ("ana", "time.cover", "import"), ("ben", "time.workload", "import")}
    assert any(c["quote"] == "Secondary timetables are... they're brutal." for c in codings)


@pytest.mark.parametrize("row, problem", [
    ({"document": "nope", "coder": "a", "code": "time.cover", "turn": "1"}, "c.csv:2: no document 'nope'"),
    ({"document": "w1_01", "coder": "a", "code": "nope", "turn": "1"}, "c.csv:2: unknown code 'nope'"),
    ({"document": "w1_01", "coder": "", "code": "time.cover", "turn": "1"}, "c.csv:2: no coder"),
    ({"document": "w1_01", "coder": "a", "code": "time.cover", "turn": "999"}, "c.csv:2: w1_01_coach_interview.txt has no turn"),
])
def test_bad_rows_stop_the_import_before_anything_is_written(two, tmp_path, row, problem):
    good = {"document": "w1_01", "coder": "a", "code": "time.cover", "turn": "2"}
    sheet = write(tmp_path / "c.csv", [{**good, **{k: "" for k in row if k not in good}}, row][::-1])
    with pytest.raises(InputFileError, match=problem):
        import_codings(two, sheet)
    assert two.store.codings() == []


def test_export_then_import_elsewhere_and_refusal_when_the_text_differs(two, tmp_path):
    code_document(two, "w1_01", "time.cover", Location(turn=4))
    code_document(two, "w1_02", "relationships.trust", Location(turn=6))
    rows = export_codings(two)
    assert [r["code"] for r in rows] == ["Time and capacity > Cover eating into coaching", "The coaching relationship > Trust and non-judgement"]
    exported = tmp_path / "codings.jsonl"
    exported.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    other = init_project(tmp_path / "second")
    shutil.copy(REPO / "codebooks" / "pathways.yaml", other / "codebook.yaml")
    with open_project(other) as second:
        import_paths(second, [str(REPO / "transcripts")], ImportOptions())
        assert import_codings(second, exported).imported == 2
        assert [(c["quote"], c["coder"]) for c in second.store.codings()] == [(r["text"], r["coder"]) for r in rows]
        changed = tmp_path / "w1_01_coach_interview.txt"
        changed.write_text("Interviewer: Changed.\n", encoding="utf-8")
        import_paths(second, [str(changed)], ImportOptions(replace=True))
        with pytest.raises(UsageError, match="made on other text than this project's for w1_01_coach_interview.txt"):
            import_codings(second, exported)


def test_the_pdpilot_study_places_all_its_coded_segments(project, corpora):
    study = corpora / "pdpilot-user-study"
    import_paths(project, [str(study / "transcripts_clean")], ImportOptions())
    report = import_codings(project, study / "derived_coded_segments.csv", {"text": "segment"}, coder="maxqda", create_codes=True)
    assert report.imported == 261 and not report.unplaced and len(report.created_codes) >= 80
    counts: dict[str, int] = {}
    for row in export_codings(project):
        counts[row["code"]] = counts.get(row["code"], 0) + 1
    with (study / "derived_code_system.csv").open(encoding="utf-8") as handle:
        expected = {r["path"]: int(r["frequency"]) for r in csv.DictReader(handle) if int(r["frequency"]) and r["path"] != "Anonymize"}
    assert counts == expected


def test_a_failed_import_leaves_the_codebook_alone_and_a_second_import_adds_nothing(two, tmp_path):
    before = (two.root / "codebook.yaml").read_text(encoding="utf-8")
    bad = write(tmp_path / "bad.csv", [{"document": "w1_01", "coder": "a", "code": "New theme > New code", "turn": "2"},
                                       {"document": "nope", "coder": "a", "code": "Other", "turn": "1"}])
    with pytest.raises(InputFileError, match="no document 'nope'"):
        import_codings(two, bad, create_codes=True)
    assert (two.root / "codebook.yaml").read_text(encoding="utf-8") == before
    good = write(tmp_path / "good.csv", [{"document": "w1_01", "coder": "a", "code": "time.cover", "turn": "2"}])
    assert import_codings(two, good).imported == 1
    again = import_codings(two, good)
    assert (again.imported, again.already) == (0, 1) and len(two.store.codings()) == 1
    with pytest.raises(UsageError, match="--map txt"):
        import_codings(two, good, {"txt": "segment"})
