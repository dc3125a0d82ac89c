"""The stored text model: merging, offsets, and the promise that no word is lost."""

from __future__ import annotations

import re
from collections import Counter

from hypothesis import given, settings, strategies as st

from qualcode.ingest.documents import lines_of
from qualcode.ingest.labels import parse_transcript
from qualcode.models import Block
from qualcode.script import LineIndex, build_script, merge_blocks, normalise, paragraph_spans


def test_script_layout_and_offsets():
    script = build_script([Block("Interviewer", "How was it?"), Block("Margaret Hale", "Good.\nReally good.")])
    assert script.text == "Interviewer: How was it?\n\nMargaret Hale: Good.\nReally good."
    first, second = script.turns
    assert (first.seq, second.seq) == (1, 2)
    assert script.text[first.label_start:first.label_end] == "Interviewer"
    assert script.content(second) == "Good.\nReally good."


def test_same_label_merges_paragraphs_on_new_lines_and_cues_with_spaces():
    merged = merge_blocks([Block("Dan", "One."), Block("dan", "Two."), Block(None, "Three.")])
    assert [(b.label, b.text) for b in merged] == [("Dan", "One.\nTwo.\nThree.")]
    cues = merge_blocks([Block("Chris", "Quis", time_start=1.0, time_end=2.0, inline=True),
                         Block("Chris", "nostrud", time_start=2.5, time_end=3.0, inline=True)])
    assert [(b.text, b.time_start, b.time_end) for b in cues] == [("Quis nostrud", 1.0, 3.0)]


def test_labels_differing_only_in_spacing_merge():
    merged = merge_blocks([Block("Interviewer 1", "a"), Block("Interviewer1", "b")])
    assert len(merged) == 1 and merged[0].label == "Interviewer 1"


def test_survey_answers_of_one_respondent_stay_apart_by_question():
    merged = merge_blocks([Block("R1", "a", question="q1"), Block("R1", "b", question="q2")])
    assert [b.question for b in merged] == ["q1", "q2"]


def test_leading_unlabelled_text_is_its_own_turn():
    script = build_script([Block(None, "Interview"), Block("Dan", "Hello")])
    assert script.text == "Interview\n\nDan: Hello"
    assert script.turns[0].speaker_label is None and script.turns[0].label_start is None


def test_normalise_gives_nfc_and_lf():
    assert normalise("\ufeffcafe\u0301\r\nnext\rlast") == "café\nnext\nlast"


def test_paragraph_spans_and_line_numbers():
    script = build_script([Block("A", "one\ntwo"), Block("B", "three")])
    spans = paragraph_spans(script)
    assert [script.text[s.start:s.end] for s in spans] == ["one", "two", "three"]
    assert [LineIndex(script.text).line(s.start) for s in spans] == [1, 2, 4]
    assert LineIndex("a\nb").line(1) == 1 and LineIndex("a\nb").line(2) == 2


# -- properties ---------------------------------------------------------------------------------

NAMES = ["Interviewer", "Margaret Hale", "COACH 2", "Q", "A", "Dan", "Participant 3"]
STYLES = ["{label}: {text}", "[{label}] {text}", "{label}:\n{text}", "00:01:02 {label}: {text}", "**{label}:** {text}"]
WORD = st.text(alphabet=st.characters(whitelist_categories=("Ll", "Lu", "Nd"), max_codepoint=0x24F), min_size=1, max_size=8)
SENTENCE = st.lists(WORD, min_size=1, max_size=12).map(lambda words: " ".join(words).lower() + ".")


@st.composite
def transcripts(draw):
    turns = draw(st.lists(st.tuples(st.sampled_from(NAMES), st.lists(SENTENCE, min_size=1, max_size=3)), min_size=1, max_size=8))
    style = draw(st.sampled_from(STYLES))
    parts = []
    for label, paragraphs in turns:
        parts.append(style.format(label=label, text=paragraphs[0]))
        parts.extend(paragraphs[1:])
    return turns, "\n\n".join(parts)


@settings(max_examples=150, deadline=None)
@given(transcripts())
def test_every_word_of_generated_transcripts_survives_with_its_speaker(case):
    turns, text = case
    blocks, _ = parse_transcript(lines_of(text))
    script = build_script(blocks)
    _assert_offsets(script)
    assert " ".join(script.content(t) for t in script.turns).split() == " ".join(" ".join(p) for _, p in turns).split()
    expected_labels = [label for i, (label, _) in enumerate(turns) if i == 0 or turns[i - 1][0] != label]
    assert [t.speaker_label for t in script.turns] == expected_labels


_TIME = re.compile(r"^[\[(]?\d{1,2}:\d{2}")


def _tokens(text: str) -> Counter:
    tokens = (token.strip("[]*_:()") for token in text.split())
    return Counter(token for token in tokens if token and not _TIME.match(token))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab Dn:[]*_\n\t0123.QA,'")), max_size=300))
def test_any_text_keeps_every_word_but_speaker_labels(text):
    blocks, _ = parse_transcript(lines_of(normalise(text)))
    script = build_script(blocks)
    _assert_offsets(script)
    label_words = {w for t in script.turns if t.speaker_label for w in _tokens(t.speaker_label)}
    lost = _tokens(text) - _tokens(script.text)
    assert set(lost) <= label_words
    assert not (_tokens(script.text) - _tokens(text))


def _assert_offsets(script):
    position = 0
    for turn in script.turns:
        begin = turn.start if turn.label_start is None else turn.label_start
        assert begin >= position
        if turn.speaker_label is not None:
            assert script.text[turn.label_start:turn.label_end] == turn.speaker_label
            assert script.text[turn.label_end] == ":"
        assert turn.start <= turn.end
        position = turn.end
    assert position == len(script.text)



def test_text_cache_reads_each_document_once():
    from qualcode.script import TextCache

    reads = []
    cache = TextCache(lambda document_id: reads.append(document_id) or "one\ntwo")
    assert cache(1)[1].line(5) == 2 and cache(1)[0] == "one\ntwo" and reads == [1]
