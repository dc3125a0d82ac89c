"""Quote candidates and the ranking: pure functions over any evidence."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.quote_text import locate
from qualcode.quotes import Balance, Window, candidates, choose, inline_phrase
from qualcode.script import LineIndex
from qualcode.tally import Evidence, Occurrence, Person, Spoken

PEOPLE = {1: Person(1, "A1", "participant", False, {"site": "N"}), 2: Person(2, "B1", "participant", False, {"site": "S"}),
          3: Person(3, "INT1", "interviewer", False, {})}
WORDS = "we the coach time cover planned lessons and it helped really a lot with marking".split()


@st.composite
def transcripts(draw):
    """A transcript of turns by three people, and accepted codings over random spans of it."""
    turns, text = [], ""
    for number in range(draw(st.integers(2, 6))):
        person = draw(st.sampled_from([1, 2, 3]))
        label = f"{PEOPLE[person].code}: "
        content = " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=90))) + "."
        start = len(text) + len(label)
        turns.append(Spoken(number + 1, 1, start, start + len(content), person, None, number + 1))
        text += label + content + "\n\n"
    occurrences = []
    for coding in range(draw(st.integers(1, 8))):
        a, b = sorted(draw(st.tuples(st.integers(0, len(text)), st.integers(0, len(text)))))
        for turn in turns:
            if turn.start < b and turn.end > a:
                occurrences.append(Occurrence(draw(st.sampled_from(["t", "u"])) if not occurrences or occurrences[-1].coding != coding
                                              else occurrences[-1].code, 1, a, b, turn, None, "me", coding))
    return text, turns, occurrences


@settings(max_examples=150, deadline=None)
@given(transcripts(), st.integers(1, 6))
def test_a_chosen_quote_is_always_the_speakers_own_words(drawn, count):
    text, turns, occurrences = drawn
    evidence = Evidence(occurrences, turns, PEOPLE, {}, {}, "me", document_names={1: "d"})
    found = candidates(evidence, lambda _: (text, LineIndex(text)), Window(8, 60, 25), {})
    for code, quotes in found.by_code.items():
        for quote in choose(quotes, evidence, Window(8, 60, 25), Balance("site"), count):
            assert quote.speaker != "INT1"
            (start, end), = quote.spans
            assert quote.text == " ".join(text[start:end].split()) and quote.turn.start <= start < end <= quote.turn.end
            assert locate(quote.text, text) is not None
            assert inline_phrase(quote).replace("...", "").split()[0] in quote.text
