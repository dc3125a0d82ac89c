"""Caption readers: voice spans, `Name:` cues, NOTE blocks, BOM and CRLF, bad cues and bad files."""

from __future__ import annotations

import pytest

from qualcode.errors import InputFileError
from qualcode.ingest.captions import read_captions
from qualcode.script import build_script

TEAMS = (
    "\ufeffWEBVTT\r\n\r\nNOTE exported from Teams\r\nsecond line of the note\r\n\r\n"
    "a1b2/1-0\r\n00:00:01.000 --> 00:00:03.500\r\n<v Grace Okafor>We started in</v>\r\n\r\n"
    "a1b2/2-0\r\n00:00:03.500 --> 00:00:05.000\r\n<v Grace Okafor>September.</v>\r\n\r\n"
    "a1b2/3-0\r\n00:00:06.000 --> 00:00:07.250\r\n<v Interviewer>Why then?</v>\r\n"
)


def read(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return read_captions(path, path.read_bytes(), path.suffix[1:])


def test_voice_spans_merge_into_turns_with_times(tmp_path):
    parsed = read(tmp_path, "teams.vtt", TEAMS)
    script = build_script(parsed.blocks)
    assert script.text == "Grace Okafor: We started in September.\n\nInterviewer: Why then?"
    first, second = script.turns
    assert (first.time_start, first.time_end, second.time_start, second.time_end) == (1.0, 5.0, 6.0, 7.25)
    assert parsed.warnings == []


def test_name_prefix_cues_in_srt(tmp_path):
    srt = "1\n00:00:01,000 --> 00:00:02,000\nChris: Hello\n\n2\n00:00:02,500 --> 00:00:04,000\nChristina: Hi Chris\n"
    parsed = read(tmp_path, "zoom.srt", srt)
    assert [(b.label, b.text) for b in parsed.blocks] == [("Chris", "Hello"), ("Christina", "Hi Chris")]


def test_unvoiced_cues_form_one_speakers_turn(tmp_path):
    sbv = "0:00:00.500,0:00:02.000\nfirst caption\n\n0:00:02.000,0:00:03.000\nsecond caption\n"
    script = build_script(read(tmp_path, "yt.sbv", sbv).blocks)
    assert script.text == "first caption second caption"


def test_bad_cue_is_skipped_with_its_line(tmp_path):
    vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nDan: one\n\n00:00:0x.000 --> 00:00:03.000\nDan: two\n\n00:00:04.000 --> 00:00:05.000\nDan: three\n"
    parsed = read(tmp_path, "bad.vtt", vtt)
    assert [b.text for b in parsed.blocks] == ["one", "three"]
    assert parsed.warnings == ["1 cue(s) with a bad or missing timing or no text (the block at line 6) were skipped or joined to the cue before; check the file"]


@pytest.mark.parametrize("name, content, line", [
    ("none.vtt", "", None),
    ("header.vtt", "00:00:01.000 --> 00:00:02.000\nhello\n", 1),
    ("garbage.srt", "some text", 1),
    ("empty.vtt", "WEBVTT\n", None),
])
def test_unreadable_caption_files(tmp_path, name, content, line):
    with pytest.raises(InputFileError) as error:
        read(tmp_path, name, content)
    assert error.value.line == line
    assert str(error.value).startswith(str(tmp_path / name))
