"""Finding a lightly edited quote in its transcript: cuts, insertions, fillers, case and marks."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.quote_text import locate, pieces

TEXT = ("Participant: Well, um, I think the coaching – you know – changed how I plan.\n"
        "And honestly it was hard to find the time, with cover and SATs.\n")


def found(quote: str) -> list[str] | None:
    located = locate(quote, TEXT)
    return None if located is None else [TEXT[a:b] for a, b in located.spans]


def test_verbatim_and_edited_quotes_are_found_piece_by_piece():
    assert found("I think the coaching changed how I plan") == ["I think the coaching – you know – changed how I plan"]
    assert found("Well, I think [...] it was hard to find the time") == ["Well, um, I think", "it was hard to find the time"]
    assert found("I think the [peer] coaching changed how I plan.") == ["I think the", "coaching – you know – changed how I plan"]
    assert found("‘It was hard to find the time’") == ["it was hard to find the time"]
    assert locate("Well, I think [...] it was hard", TEXT).cuts == 1


def test_an_interviewers_prompt_in_brackets_must_have_been_asked():
    text = "Interviewer: Did it help with planning?\n\nParticipant: Yes, massively, every single week.\n"
    assert locate("[Interviewer: Did it help with planning?] Yes, massively", text) is not None
    assert locate("[Interviewer: Did it help with marking?] Yes, massively", text) is None


def test_words_out_of_order_or_not_said_are_not_found():
    assert found("it was easy to find the time") is None
    assert found("changed how I plan [...] I think the coaching") is None
    assert found("[laughs]") is None


def test_pieces_are_the_speakers_own_words():
    assert pieces("So [the school] did … well [...] more") == ["So", "did … well", "more"]


WORDS = st.sampled_from("the coach said we could plan more time for cover and it helped a lot really".split())


@settings(max_examples=200, deadline=None)
@given(st.lists(WORDS, min_size=6, max_size=40), st.data())
def test_any_cut_of_a_transcript_is_found_where_it_came_from(words, data):
    text = " ".join(words) + "."
    cut_at = sorted(data.draw(st.lists(st.integers(1, len(words) - 1), min_size=2, max_size=4, unique=True)))
    first, second = words[:cut_at[0]], words[cut_at[-1]:]
    quote = " ".join(first) + " [...] " + " ".join(second)
    located = locate(quote, text)
    assert located is not None
    assert " ".join(text[a:b] for a, b in located.spans).split() == first + second


@settings(max_examples=200, deadline=None)
@given(st.lists(WORDS, min_size=3, max_size=30), st.lists(st.sampled_from(["banana", "governors", "x"]), min_size=1, max_size=3))
def test_words_the_speaker_never_said_are_never_found(words, strangers):
    text = " ".join(words)
    assert locate(" ".join(words[:2] + strangers), text) is None


def test_a_redaction_in_brackets_is_the_transcripts_own_words():
    text = ("Interviewer: And what did your coach do?\n\n"
            "Participant: And [coach's name] watched a session and afterwards she asked me what I thought.")
    found = locate("And [coach's name] watched a session and afterwards she asked me", text)
    start = text.index("And [coach's name]")
    assert found is not None and found.spans == [(start, start + len("And [coach's name] watched a session and afterwards she asked me"))]
    assert locate("[The teacher] watched a session", text) is not None  # a clarification is still an addition
