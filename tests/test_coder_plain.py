"""The line-mode coder (`qualcode code DOC --plain`), and the screen's fallback without a terminal."""

from __future__ import annotations


import pytest

from qualcode import coder


def manual(project) -> list[dict]:
    return [c for c in project.store.codings() if c["origin"] == "manual"]


def test_a_session_codes_flags_stars_and_writes_memos(autocoded, cli):
    commands = ["go 4", "s 2", "a Cover", "all", "a! time.protected", "q"]
    result = cli("--coder", "pat", "code", "w1_01", "--plain", input="\n".join(commands) + "\n")
    assert result.exit_code == 0, result.stderr
    assert "line 7, turn 4 of 31  Margaret Hale" in result.stdout
    assert "selected: Twenty in September." in result.stdout and "saved: Time and capacity > Cover eating into coaching" in result.stdout
    view = coder.open_view(autocoded, "w1_01")
    listed = [m.code for m in view.marks_on(view.lines[3])]  # numbered as the session lists them
    number = listed.index("time.protected") + 1
    again = ["go 4", f"d {number}", f"* {number}", f"memo {number} lovely line", "memo a document note", "q"]
    result = cli("--coder", "pat", "code", "w1_01", "--plain", input="\n".join(again) + "\n")
    assert result.exit_code == 0, result.stderr
    assert "no longer evidence against" in result.stdout
    rows = {c["code"]: c for c in manual(autocoded)}
    assert rows["time.cover"]["quote"] == "Twenty in September." and rows["time.cover"]["coder"] == "pat"
    assert rows["time.protected"]["disconfirming"] == 0  # flagged as evidence against, then `d` took it off
    assert [c["code"] for c in autocoded.store.codings() if c["starred"]] == ["time.protected"]
    memos = sorted((m["kind"], m["text"]) for m in autocoded.store.memos())
    assert memos == [("coding", "lovely line"), ("document", "a document note")]
    assert "every change is saved" in result.stderr


def test_suggestions_moves_and_code_search(autocoded, cli):
    commands = ["g", "y 1", "u", "codes cover", "new Time and capacity > Mentors remembered", "p", "n", "x 1", "q"]
    result = cli("code", "w1_01", "--plain", input="\n".join(commands) + "\n")
    assert result.exit_code == 0, result.stderr
    assert "accepted:" in result.stdout and "time.cover" in result.stdout
    assert [c["code"] for c in manual(autocoded)] == []  # the new code went on, then `x 1` took it off
    assert "Mentors remembered" in (autocoded.root / "codebook.yaml").read_text(encoding="utf-8")
    assert sum(1 for c in autocoded.store.codings() if c["status"] == "accepted") == 1


def test_mistakes_are_explained_and_the_session_goes_on(autocoded, cli):
    commands = ["go 999", "s 99", "w not said here", "a no such code", "x 7", "frobnicate", "a time.cover", "q"]
    result = cli("code", "w1_01", "--plain", input="\n".join(commands) + "\n")
    assert result.exit_code == 0
    out = result.stdout
    for problem in ("go N: N is a turn number, 1 to 31", "s K: turn 1 has sentences 1 to", "is not in turn 1",
                    "no such code: no such code", "this turn has no codings", "frobnicate: not a command here"):
        assert problem in out, problem
    assert [c["code"] for c in manual(autocoded)] == ["time.cover"]


def test_without_a_terminal_the_screen_falls_back_to_line_mode_and_end_of_input_quits(autocoded, cli):
    result = cli("code", "w1_01", input="go 4\na time.cover\n")
    assert result.exit_code == 0 and "coding line by line" in result.stderr
    assert [c["code"] for c in manual(autocoded)] == ["time.cover"]


def test_places_without_an_action_are_refused(autocoded, cli):
    result = cli("code", "w1_01", "--turn", "3")
    assert result.exit_code == 2 and "say what to do there" in result.stderr
    both = cli("code", "w1_01", "--add", "time.cover", "--remove", "time.cover", "--turn", "3")
    assert both.exit_code == 2 and "not both" in both.stderr


def test_blind_mode_from_the_command_line(autocoded, cli):
    cli("--coder", "ann", "code", "w1_01", "--turn", "4", "--add", "time.cover")
    seen = cli("--coder", "bob", "code", "w1_01", "--plain", "--blind", input="go 4\nq\n")
    assert "blind: only your codings" in seen.stdout and "Cover eating" not in seen.stdout
    open_ = cli("--coder", "bob", "code", "w1_01", "--plain", input="go 4\nq\n")
    assert "Cover eating into coaching" in open_.stdout


def test_screen_options_do_not_go_with_a_single_change(autocoded, cli):
    result = cli("code", "w1_01", "--turn", "2", "--add", "time.cover", "--plain")
    assert result.exit_code == 2 and "are for the coder screen" in result.stderr
