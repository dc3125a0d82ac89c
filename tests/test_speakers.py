"""Speaker roles."""

from __future__ import annotations

import pytest

from qualcode.errors import UsageError
from qualcode.ingest import ImportOptions, import_paths
from qualcode.speakers import interviewer_regex, list_speakers, role_for_label, set_role
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
