"""Speaker-label styles in running text."""

from __future__ import annotations

import re

import pytest

from qualcode.errors import UsageError
from qualcode.ingest.documents import lines_of
from qualcode.ingest.labels import SourceLine, leading_label, parse_time, parse_transcript
from qualcode.script import normalise_label


def labels(text: str, **options) -> list[tuple[str | None, str]]:
    blocks, _ = parse_transcript(lines_of(text), **options)
    return [(b.label, b.text) for b in blocks]


@pytest.mark.parametrize("text, expected", [
    ("Name: hello\nOther: hi", [("Name", "hello"), ("Other", "hi")]),
    ("MARGARET HALE: hello\nINTERVIEWER: hi", [("MARGARET HALE", "hello"), ("INTERVIEWER", "hi")]),
    ("Interviewer 1: hello\nInterviewer1 : again", [("Interviewer 1", "hello"), ("Interviewer1", "again")]),
    ("Q: why?\nA: because", [("Q", "why?"), ("A", "because")]),
    ("[id1] hello\n[id2] hi", [("id1", "hello"), ("id2", "hi")]),
    ("[Johnny Doe] 11:02:09\nHow you doing?", [("Johnny Doe", "How you doing?")]),
    ("00:01:02 Interviewer: hello", [("Interviewer", "hello")]),
    ("[00:01:02] Interviewer: hello", [("Interviewer", "hello")]),
    ("**Interviewer:** hello\n**Ann**: hi", [("Interviewer", "hello"), ("Ann", "hi")]),
    ("Interviewer\nSo how was it?\n\nPriya Shah\nGood.\n\nInterviewer\nAnd?\n\nPriya Shah\nFine.",
     [("Interviewer", "So how was it?"), ("Priya Shah", "Good."), ("Interviewer", "And?"), ("Priya Shah", "Fine.")]),
    ("Dan:\nspeech on the next line", [("Dan", "speech on the next line")]),
])
def test_label_styles(text, expected):
    assert labels(text) == expected


def test_unlabelled_lines_continue_the_previous_turn():
    assert labels("Dan: one\ntwo\n\nthree\nAnn: four") == [("Dan", "one\ntwo\nthree"), ("Ann", "four")]


def test_text_without_labels_is_one_block():
    assert labels("Just some notes.\n\nAnother paragraph.") == [(None, "Just some notes.\nAnother paragraph.")]


def test_transcriber_notes_in_brackets_are_not_speakers():
    assert labels("Dan: hello\n[laughs] yes\n[inaudible] then") == [("Dan", "hello\n[laughs] yes\n[inaudible] then")]


def test_prose_colons_and_urls_are_not_labels():
    assert labels("Dan: see http://x.org\nNote: this is prose") == [("Dan", "see http://x.org\nNote: this is prose")]


def test_a_heading_above_a_paragraph_is_not_a_label():
    assert labels("Interview notes\nWe met at the school.") == [(None, "Interview notes\nWe met at the school.")]


def test_lower_case_labels_count_when_they_recur():
    assert labels("dan: one\nann: two\ndan: three")[0][0] == "dan"
    assert labels("so what i mean: it was fine")[0][0] is None


def test_typo_label_is_still_a_label():
    assert labels("Participant: a\nDan: b\nParticpant: c")[2][0] == "Particpant"


def test_times_are_kept_as_metadata():
    blocks, style = parse_transcript(lines_of("[Ann] 00:01:02\nhi\n\n[Bob] 00:01:05\nhey"))
    assert [b.time_start for b in blocks] == [62.0, 65.0]
    assert style == "bracket+time"


def test_user_pattern_replaces_builtin_styles():
    text = "JS> hello\nAB> hi\nNot: a label"
    assert labels(text, label_pattern=r"(?P<label>[A-Z]{2})> ") == [("JS", "hello"), ("AB", "hi\nNot: a label")]


@pytest.mark.parametrize("pattern", ["(unclosed", "no-label-group"])
def test_bad_user_pattern_is_a_usage_error(pattern):
    with pytest.raises(UsageError):
        labels("x", label_pattern=pattern)


def test_markup_labels_are_taken_as_given():
    blocks, _ = parse_transcript([SourceLine(1, "text", label="bold name"), SourceLine(2, "more")])
    assert [(b.label, b.text) for b in blocks] == [("bold name", "text\nmore")]


def test_known_interviewer_labels_are_accepted_alone_on_a_line():
    known = re.compile("interviewer", re.IGNORECASE)
    blocks, _ = parse_transcript(lines_of("Interviewer\nhow are you?"), interviewer_labels=known)
    assert blocks[0].label == "Interviewer"


def test_leading_label_in_a_caption_cue():
    assert leading_label("Christina: Lorem ipsum") == ("Christina", "Lorem ipsum")
    assert leading_label("Note: not a speaker") is None
    assert leading_label("just text") is None


@pytest.mark.parametrize("value, seconds", [("00:01:02", 62.0), ("1:02", 62.0), ("00:00:05,790", 5.79), ("01:00:00.5", 3600.5), (None, None)])
def test_parse_time(value, seconds):
    assert parse_time(value) == seconds


def test_normalise_label():
    assert normalise_label("Interviewer 1:") == normalise_label("interviewer1")


@pytest.mark.parametrize("text, expected", [
    ("ANNA\nHello\n\nBEN\nHi back\n\nANNA\nOK then", [("ANNA", "Hello"), ("BEN", "Hi back"), ("ANNA", "OK then")]),
    ("Interviewer  0:05\nHow was it?\n\nMaria Lopez  0:09\nGood.\n\nInterviewer  0:15\nWhy?",
     [("Interviewer", "How was it?"), ("Maria Lopez", "Good."), ("Interviewer", "Why?")]),
    ("interviewer: hi\nmaria: hello\ninterviewer: bye", [("interviewer", "hi"), ("maria", "hello"), ("interviewer", "bye")]),
    ("田中: こんにちは\n鈴木: はい", [("田中", "こんにちは"), ("鈴木", "はい")]),
    ("Interviewer (00:00:05): Hello\nAnna (00:00:09): Hi", [("Interviewer", "Hello"), ("Anna", "Hi")]),
    ("[Anna]: Hello\n[Ben]: Hi", [("Anna", "Hello"), ("Ben", "Hi")]),
    ("Speaker 1 [00:00:05]: Hello\nSpeaker 2 [00:00:07]: Hi", [("Speaker 1", "Hello"), ("Speaker 2", "Hi")]),
    # Word, ODT and PDF readers give one line per paragraph, with no blank lines between.
    ("INTERVIEWER\nHello there.\nANNA\nHello\nBEN\nHi back.\nINTERVIEWER\nAnd?",
     [("INTERVIEWER", "Hello there."), ("ANNA", "Hello"), ("BEN", "Hi back."), ("INTERVIEWER", "And?")]),
])
def test_more_label_styles(text, expected):
    assert labels(text) == expected


def test_times_in_rev_style_labels():
    blocks, _ = parse_transcript(lines_of("Interviewer (00:00:05): Hello\nAnna (00:01:09): Hi"))
    assert [b.time_start for b in blocks] == [5.0, 69.0]


@pytest.mark.parametrize("text", [
    "First: money was short.\nSecond: time was short.",
    "Methodology: Biographical interviews were used.",
    "Yes\nI think so.\n\nYes\nAnd more.",
    "a\nb\ni\nq\nthe",
])
def test_prose_is_not_read_as_speakers(text):
    assert all(label is None for label, _ in labels(text, interviewer_labels=re.compile("i|q|interviewer", re.IGNORECASE)))


def test_established_style_accepts_a_one_off_speaker_but_not_notes():
    assert [label for label, _ in labels("Dan: a\nAnn: b\nDan: c\n[laughs] d\nAnn: e")] == ["Dan", "Ann", "Dan", "Ann"]


def test_colons_inside_speech_do_not_make_speakers():
    text = ("Interviewer: How many were there?\nMargaret: There were three.\nThe first one: staffing.\n"
            "My view is: plan better.\nIn 2019: the Ofsted visit.\nInterviewer: Thanks.\nMargaret: Fine.")
    assert [label for label, _ in labels(text)] == ["Interviewer", "Margaret", "Interviewer", "Margaret"]


def test_timestamps_alone_do_not_make_speakers():
    text = "00:01:02 Okay then: how many pupils?\n00:01:09 About thirty, I think.\n00:01:15 And staff: how many?"
    assert [label for label, _ in labels(text)] == [None]


def test_otter_speech_lines_without_times_are_not_speakers():
    text = "Tom Baker  0:12\nHonestly\nit was fine.\n\nAnn Lee  0:20\nSt Mary's Primary\nwas the school.\n\nTom Baker  0:31\nRight."
    assert [label for label, _ in labels(text)] == ["Tom Baker", "Ann Lee", "Tom Baker"]


def test_reports_and_emails_have_no_speakers():
    report = ("Evaluation of the Pathways programme\n\nKey Findings: teachers valued the time.\n"
              "Recommendations: keep the sessions.\nChapter 1: Introduction\nStep 2: Analysis\n")
    email = "From: Ann Lee\nSent: Monday\nTo: Tom Baker\nSubject: the visit\n\nDear Tom, see you then."
    assert [label for label, _ in labels(report)] == [None]
    assert [label for label, _ in labels(email)] == [None]


def test_bracketed_placeholders_are_speech():
    text = "Participant: I taught there.\n[College name] was small.\n[Town] is near.\n[2 sec pause] Anyway.\nInterviewer: OK."
    assert [label for label, _ in labels(text)] == ["Participant", "Interviewer"]
