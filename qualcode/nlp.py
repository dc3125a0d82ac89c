"""The one module that imports spaCy. Pipelines are built on first use and cached.

Runs offline from `spacy.blank("en")`: no model is downloaded. A statistical model is an optional extra.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _sentencizer():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def sentence_bounds(texts: list[str]) -> list[list[tuple[int, int]]]:
    """Sentence (start, end) offsets within each text, by punctuation rules."""
    return [[(s.start_char, s.end_char) for s in doc.sents] for doc in _sentencizer().pipe(texts)]
