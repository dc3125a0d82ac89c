"""The full-screen coder, driven headless by Textual's pilot (keys in, codings out, state after a
crash) and once for real in tmux."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from textual.widgets import OptionList

from qualcode import coder
from qualcode.cli.coder_screen import CoderApp
from qualcode.project import open_project


def on_disk(project) -> list[dict]:
    """The codings as another process would read them: a fresh connection to the store."""
    fresh = open_project(project.root, {"coder": "reader"}, "pytest")
    try:
        return fresh.store.codings()
    finally:
        fresh.close()


def drive(project, keys, *, size=(80, 24), blind=None, document="w1_01", then=None):
    """Open the coder on a document, press the keys, run `then(app)` while it is still open."""
    async def run():
        app = CoderApp(project, coder.open_view(project, document, blind))
        async with app.run_test(size=size) as pilot:
            for key in keys:
                await pilot.press(*key) if isinstance(key, tuple) else await pilot.press(key)
            await pilot.pause()
            return then(app) if then else None

    return asyncio.run(run())


def typed(text: str) -> tuple[str, ...]:
    return tuple("space" if c == " " else c for c in text)


def status(app) -> str:
    return str(app.query_one("#status").render())


def test_it_shows_the_transcript_with_line_numbers_and_speakers_in_80_by_24(autocoded):
    def look(app):
        transcript = app.query_one("#transcript", OptionList)
        first = transcript.get_option_at_index(0).prompt.plain
        second = transcript.get_option_at_index(1).prompt.plain
        return first, second, status(app), transcript.size.width

    first, second, shown, width = drive(autocoded, [], then=look)
    assert first.startswith("    1   1 Interviewer\nOkay, I think that's recording now.")
    assert second.startswith("    3   2 Margaret Hale  ?1\n[laughs]")
    assert "w1_01_coach_interview.txt" in shown and "31 turns" in shown and width >= 40


def test_keys_code_a_sentence_and_it_is_on_disk(autocoded):
    keys = ["down", "down", "down", "s", "s", "c", typed("cover"), "enter"]
    shown = drive(autocoded, keys, then=status)
    [coding] = [c for c in on_disk(autocoded) if c["origin"] == "manual"]
    assert (coding["code"], coding["quote"], coding["status"]) == ("time.cover", "Twenty in September.", "accepted")
    assert "saved: coded Time and capacity > Cover eating into coaching" in shown


def test_flag_star_memo_and_remove_on_the_highlighted_coding(autocoded):
    keys = ["down", "down", "down", "c", typed("protected"), "enter", "tab", "d", "asterisk",
            "m", typed("strong example"), "enter"]
    drive(autocoded, keys)
    [coding] = [c for c in on_disk(autocoded) if c["origin"] == "manual"]
    assert (coding["code"], coding["disconfirming"], coding["starred"]) == ("time.protected", 1, 1)
    memos = autocoded.store.memos()
    assert [(m["kind"], m["target"], m["text"]) for m in memos] == [("coding", str(coding["id"]), "strong example")]
    drive(autocoded, ["down", "down", "down", "tab", "x"])
    assert not [c for c in on_disk(autocoded) if c["origin"] == "manual"]


def test_suggestions_are_accepted_and_rejected_where_they_are(autocoded):
    def marks(app):
        return [(m.id, m.status) for m in app._current_marks()]

    before = drive(autocoded, ["g"], then=marks)
    assert before and all(status == "suggested" for _, status in before)
    drive(autocoded, ["g", "tab", "y"])
    after = {c["id"]: c["status"] for c in on_disk(autocoded)}
    assert after[before[0][0]] == "accepted"
    following = drive(autocoded, ["g"], then=marks)  # the first turn has no suggestion left now
    assert following[0][0] != before[0][0]
    drive(autocoded, ["g", "tab", "r"])
    after = {c["id"]: c["status"] for c in on_disk(autocoded)}
    assert after[before[0][0]] == "accepted" and after[following[0][0]] == "rejected"


def test_a_new_code_from_the_screen_goes_into_the_codebook(autocoded):
    keys = ["down", "n", typed("Time and capacity > Mentors remembered"), "enter"]
    drive(autocoded, keys)
    assert [c["code"] for c in on_disk(autocoded) if c["origin"] == "manual"] == ["time.mentors_remembered"]
    assert "Mentors remembered" in (autocoded.root / "codebook.yaml").read_text(encoding="utf-8")


def test_words_select_part_of_a_turn_and_escape_cancels_a_prompt(autocoded):
    keys = ["down", "down", "down", "w", typed("nineteen years"), "enter", "c", typed("workload"), "enter",
            "m", typed("never saved"), "escape"]
    drive(autocoded, keys)
    [coding] = [c for c in on_disk(autocoded) if c["origin"] == "manual"]
    assert coding["quote"] == "nineteen years" and autocoded.store.memos() == []


def test_an_unknown_word_or_a_filter_matching_nothing_saves_nothing(autocoded):
    shown = drive(autocoded, ["w", typed("not in this turn"), "enter", "c", typed("zzzz"), "enter"], then=status)
    assert "not saved" in shown or "is not in turn 1" in shown
    assert not [c for c in on_disk(autocoded) if c["origin"] == "manual"]


def test_next_uncoded_skips_interviewer_turns_and_coded_ones(autocoded):
    def seq(app):
        return app.view.lines[app.index].seq

    assert drive(autocoded, ["u"], then=seq) == 2
    assert drive(autocoded, ["u", "c", typed("cover"), "enter", "home", "u"], then=seq) == 4


def test_a_crash_loses_nothing_already_done(autocoded):
    async def crash():
        app = CoderApp(autocoded, coder.open_view(autocoded, "w1_01"))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("down", "c", *typed("cover"), "enter", "down", "down", "c", *typed("protected"), "enter")
            raise RuntimeError("the terminal went away")

    with pytest.raises(RuntimeError):
        asyncio.run(crash())
    assert sorted(c["code"] for c in on_disk(autocoded) if c["origin"] == "manual") == ["time.cover", "time.protected"]


def test_blind_mode_hides_other_coders_and_says_so(autocoded):
    other = open_project(autocoded.root, {"coder": "ann"}, "pytest")
    view = coder.open_view(other, "w1_01")
    coder.apply(other, view, "time.cover", view.lines[1].start, view.lines[1].end)
    other.close()

    def look(app):
        return status(app), app.query_one("#transcript", OptionList).get_option_at_index(1).prompt.plain

    shown, turn = drive(autocoded, [], blind=True, then=look)
    assert "blind" in shown and "●" not in turn and "?" not in turn.split("\n")[0]
    shown, turn = drive(autocoded, [], blind=False, then=look)
    assert "●1" in turn


def test_a_large_window_and_the_help_screen(autocoded):
    def help_open(app):
        return type(app.screen).__name__

    assert drive(autocoded, ["question_mark"], size=(160, 50), then=help_open) == "HelpScreen"


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_in_a_real_terminal_under_tmux(autocoded, tmp_path):
    qualcode = Path(sys.executable).with_name("qualcode")
    if not qualcode.exists():
        pytest.skip("the qualcode command is not installed in this environment")
    session = f"qualcode-test-{tmp_path.name}"
    command = f"{qualcode} --project {autocoded.root} --coder tess code w1_01"
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "80", "-y", "24", command], check=True)
    try:
        screen = _wait_for(session, "31 turns")
        assert "Interviewer" in screen and "Margaret Hale" in screen
        for keys in (["Down", "Down", "Down"], ["c"], ["-l", "cover"], ["Enter"]):
            subprocess.run(["tmux", "send-keys", "-t", session, *keys], check=True)
            time.sleep(0.3)
        assert "saved: coded" in _wait_for(session, "saved: coded")
        subprocess.run(["tmux", "send-keys", "-t", session, "q"], check=True)
        _wait_until_gone(session)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    [coding] = [c for c in on_disk(autocoded) if c["origin"] == "manual"]
    assert (coding["code"], coding["coder"]) == ("time.cover", "tess")


def _wait_for(session: str, text: str, seconds: float = 20) -> str:
    deadline = time.monotonic() + seconds
    screen = ""
    while time.monotonic() < deadline:
        screen = subprocess.run(["tmux", "capture-pane", "-t", session, "-p"], capture_output=True, text=True).stdout
        if text in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")


def _wait_until_gone(session: str, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if subprocess.run(["tmux", "has-session", "-t", session], capture_output=True).returncode != 0:
            return
        time.sleep(0.2)
    raise AssertionError("the coder did not quit on q")
