"""Import figures equal those computed independently from the real-world files (expected_figures.json).

Every figure is computed through qualcode's own import: the readers, the script builder and the store.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from qualcode.ingest import ImportOptions, import_paths
from qualcode.ingest.captions import read_captions
from qualcode.corpus import turns
from qualcode.errors import InputFileError

PDPILOT = [f"P{n}" for n in range(1, 8)]


def imported(project, path: Path, **options):
    report = import_paths(project, [str(path)], ImportOptions(**options))
    assert not report.failed, report.failed[0].error
    return turns(project, path.name)[1]


def pdpilot(project, corpora, expected, name, folder, suffix):
    """Import one pdpilot interview; its figures, turns and labelled turns (whose count must match)."""
    figures = expected["pdpilot-user-study"][f"{name}.txt"]
    views = imported(project, corpora / "pdpilot-user-study" / folder / f"{name}{suffix}")
    labelled = [v for v in views if v.speaker_label]
    assert len(labelled) == figures["merged_turns"]
    return figures, views, labelled


@pytest.mark.parametrize("name", PDPILOT)
def test_pdpilot_clean_transcripts(project, corpora, expected, name):
    figures, views, labelled = pdpilot(project, corpora, expected, name, "transcripts_clean", ".txt")
    assert {v.speaker_label for v in labelled} == set(figures["raw_labels"])
    lines = sum(len(v.text.split("\n")) for v in views)
    assert lines == figures["paragraphs"]
    # Each label is one word ("Dan:"), written once per merged turn instead of once per paragraph.
    words = sum(len(v.text.split()) for v in views)
    assert words == figures["words"] - figures["labelled_paragraphs"]


@pytest.mark.parametrize("name", PDPILOT)
def test_pdpilot_pdf_matches_clean_transcript(project, corpora, expected, name):
    figures, views, labelled = pdpilot(project, corpora, expected, name, "transcripts_pdf", ".pdf")
    assert Counter(v.speaker_label for v in labelled) == _merged_label_counts(corpora, name)
    assert views[0].speaker_label is None and views[0].text == "Interview"
    words = sum(len(v.text.split()) for v in views)
    assert abs(words - (figures["words"] - figures["labelled_paragraphs"])) <= 0.01 * figures["words"]
    # Turn by turn, the PDF reads as the clean derivation but for a few line-end hyphens.
    clean = imported(project, corpora / "pdpilot-user-study" / "transcripts_clean" / f"{name}.txt")
    same = sum(" ".join(a.text.split()) == " ".join(b.text.split()) for a, b in zip(views, clean))
    assert len(views) == len(clean) and same >= 0.95 * len(views)


def _merged_label_counts(corpora, name) -> Counter:
    clean = (corpora / "pdpilot-user-study" / "transcripts_clean" / f"{name}.txt").read_text(encoding="utf-8")
    labels = [p.split(":", 1)[0] for p in clean.split("\n\n") if ":" in p.split("\n")[0][:15]]
    merged = [label for i, label in enumerate(labels) if i == 0 or labels[i - 1] != label]
    return Counter(merged)


def test_qualcoder_tagged_transcript(project, corpora, expected):
    figures = expected["qualcoder-examples"]["transcript.txt"]
    views = imported(project, corpora / "qualcoder-examples" / "transcript.txt")
    assert len(views) == figures["turns"]
    assert Counter(v.speaker_label for v in views) == figures["turns_per_speaker"]
    assert sum(len(v.text.split()) for v in views) == figures["words_excluding_labels"]


def test_qualcoder_docx_without_labels_is_one_speakers_text(project, corpora, expected):
    figures = expected["qualcoder-examples"]["ID1.docx"]
    views = imported(project, corpora / "qualcoder-examples" / "ID1.docx")
    assert len(views) == 1 and views[0].speaker_label is None
    assert len(views[0].text.split("\n")) == figures["non_empty_paragraphs"]
    assert len(views[0].text.split()) == figures["words"]


def test_qualcoder_odt(project, corpora):
    views = imported(project, corpora / "qualcoder-examples" / "ID2.odt")
    assert views and sum(len(v.text.split()) for v in views) > 50


def test_qualcoder_csv_survey(project, corpora, expected):
    figures = expected["qualcoder-examples"]["survey456.csv"]
    views = imported(project, corpora / "qualcoder-examples" / "survey456.csv")
    assert [len(v.text.split()) for v in views] == figures["freetext_words"]
    assert {v.question for v in views} == {"freetext"}
    speakers = {s.label: s for s in project.store.speaker_summaries()}
    assert len(speakers) == figures["rows"]
    assert speakers["ID4"].attributes == {"Age": "24", "Gender": "f", "Interest": "shopping"}


def test_qualcoder_xlsx_survey_finds_open_ended_columns(project, corpora, expected):
    figures = expected["qualcoder-examples"]["survey789.xlsx"]
    views = imported(project, corpora / "qualcoder-examples" / "survey789.xlsx")
    assert {v.question for v in views} == set(figures["qual_columns"])
    assert len({v.speaker_label for v in views}) == figures["rows"]


def _fixture_names():
    import json

    from tests.conftest import CORPORA

    path = CORPORA / "expected_figures.json"
    if not path.is_file():
        return [pytest.param("-", marks=pytest.mark.skip(reason=f"real-world corpora not found at {CORPORA} (set QUALCODE_CORPORA)"))]
    return sorted(json.loads(path.read_text(encoding="utf-8"))["webvtt-py-fixtures"])


@pytest.mark.parametrize("name", _fixture_names())
def test_caption_fixture(corpora, expected, name):
    figures = expected["webvtt-py-fixtures"][name]
    path = corpora / "webvtt-py-fixtures" / "subtitles" / name
    fmt = path.suffix[1:]
    if "error" in figures or figures["cues"] == 0:
        with pytest.raises(InputFileError) as error:
            read_captions(path, path.read_bytes(), fmt)
        assert str(error.value).startswith(str(path))
        assert "\n" not in str(error.value)
        return
    parsed = read_captions(path, path.read_bytes(), fmt)
    assert len(parsed.blocks) == figures["cues"]
    assert sorted({b.label for b in parsed.blocks if b.label}) == sorted(figures["voices"])


def test_caption_fixtures_with_bad_cues_warn_where(corpora):
    path = corpora / "webvtt-py-fixtures" / "subtitles" / "missing_timeframe.vtt"
    parsed = read_captions(path, path.read_bytes(), "vtt")
    assert parsed.warnings and "line" in parsed.warnings[0]


def test_zoom_vtt_cues_merge_into_turns(project, corpora, expected):
    figures = expected["incharge-vtt-to-script"]["example.vtt"]
    views = imported(project, corpora / "incharge-vtt-to-script" / "example.vtt")
    assert len(views) == figures["merged_turns"]
    assert [v.speaker_label for v in views] == ["Christina", "Chris"]
    assert sum(len(v.text.split()) for v in views) == figures["words_excluding_labels"]
    assert views[0].time_start == pytest.approx(5.790) and views[-1].time_end == pytest.approx(20.907)
    script = (corpora / "incharge-vtt-to-script" / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert [" ".join(v.text.split()) for v in views] == [" ".join(line.split(":", 3)[3].split()) for line in script]


def test_zoom_saved_transcript_blocks_merge(project, corpora, expected):
    figures = expected["zoom-transcript-filter"]["input_example.txt"]
    views = imported(project, corpora / "zoom-transcript-filter" / "input_example.txt")
    assert len(views) == figures["merged_turns"]
    assert len({v.speaker_label for v in views}) == figures["distinct_speakers"]
    merged = (corpora / "zoom-transcript-filter" / "input_example.out.txt").read_text(encoding="utf-8").split("\n\n")
    assert [" ".join(v.text.split()) for v in views] == [" ".join(block.split("\n", 1)[1].split()) for block in merged if block.strip()]


@pytest.mark.parametrize("name", ["empty.vtt", "invalid.vtt", "invalid_format.sbv", "invalid_format1.srt",
                                  "invalid_format2.srt", "invalid_format3.srt", "invalid_format4.srt", "no_captions.vtt"])
def test_broken_caption_files_through_the_cli(cli, corpora, name):
    path = corpora / "webvtt-py-fixtures" / "subtitles" / name
    result = cli("import", path)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and "Traceback" not in result.stderr
    assert cli.json("documents") == []


@pytest.mark.parametrize("name, skipped", [("missing_timeframe.vtt", 1), ("invalid_timeframe.srt", 1), ("missing_caption_text.vtt", 1)])
def test_caption_files_with_bad_cues_import_the_rest_and_warn(cli, corpora, name, skipped):
    path = corpora / "webvtt-py-fixtures" / "subtitles" / name
    result = cli("import", path)
    assert result.exit_code == 0, result.stderr
    assert f"warning: {path}: {skipped} cue(s) with a bad" in result.stderr and "line" in result.stderr
