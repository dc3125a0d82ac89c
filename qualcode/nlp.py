"""The one module that imports spaCy. Pipelines are built on first use and cached.

Runs offline from `spacy.blank("en")`: no model is downloaded. A statistical model is an optional extra.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def _sentencizer():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def sentence_bounds(texts: list[str]) -> list[list[tuple[int, int]]]:
    """Sentence (start, end) offsets within each text, by punctuation rules."""
    return [_regrouped(text, [(s.start_char, s.end_char) for s in doc.sents]) for text, doc in zip(texts, _sentencizer().pipe(texts))]


_CLOSING = set("\"'”’)]»")


def _regrouped(text: str, bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentencizer keeps punctuation after a full stop with the sentence it ends; only closing quotes
    and brackets belong there. `sacrificed. _____ (school) did` starts the next sentence at `_____`."""
    fixed: list[tuple[int, int]] = []
    carry = None
    for start, end in bounds:
        if carry is not None:
            start, carry = carry, None
        stop = max(text.rfind(mark, start, end) for mark in ".!?…")
        cut = stop + 1
        while cut < end and text[cut] in _CLOSING:
            cut += 1
        rest = text[cut:end]
        if stop >= start and rest.strip() and not any(c.isalnum() for c in rest) and (start, end) != bounds[-1]:
            fixed.append((start, cut))
            carry = cut + len(rest) - len(rest.lstrip())
        else:
            fixed.append((start, end))
    return fixed


class Vocabulary:
    """Everyday English from the spaCy lookups tables (offline): which words are so common that a name
    spelled like them (`will`, `may`, `hope`) must be decided by context, and is no typo of a name."""

    # An everyday word is a dictionary word (lemma tables, stop words) whose lower-case form is, in the
    # tables' web text, not much rarer than its capitalised form (log-probability margin). `frank`
    # (-12.9 vs -11.6) is one; `tom` (-13.2 vs -10.9) and `sarah` are not.
    EVERYDAY_MARGIN = 1.5

    def __init__(self) -> None:
        self._everyday: set[str] | None = None

    def everyday(self, names: set[str]) -> set[str]:
        """The names here (folded) that are also everyday words."""
        return names & self._everyday_words()

    def is_everyday(self, folded: str) -> bool:
        return folded in self._everyday_words()

    def _everyday_words(self) -> set[str]:
        if self._everyday is None:
            cache = _cache_file(f"everyday-{self.EVERYDAY_MARGIN}")
            try:
                self._everyday = set(cache.read_text(encoding="utf-8").split("\n"))
            except OSError:
                self._everyday = _everyday_from_tables(self.EVERYDAY_MARGIN)
                _write_cache(cache, "\n".join(sorted(self._everyday)))
        return self._everyday


def _everyday_from_tables(margin: float) -> set[str]:
    """A million word probabilities read once; only the verdict for dictionary words is kept (and cached)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    words: set[str] = set().union(*_lookups_table("en_lemma_index").values())
    words.update(_lookups_table("en_lemma_lookup"))
    probabilities = _lookups_table("en_lexeme_prob")
    floor = -99.0
    return {w for w in words if probabilities.get(w, floor) >= probabilities.get(w.title(), floor) - margin} | set(STOP_WORDS)


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    return Vocabulary()


def _cache_file(name: str) -> Path:
    """A file in the user's cache folder, named for the versions of the tables and rules it derives from."""
    from importlib.metadata import version

    from platformdirs import user_cache_dir

    from . import __version__

    return Path(user_cache_dir("qualcode")) / f"{name}-{version('spacy-lookups-data')}-{__version__}.txt"


def _write_cache(path: Path, content: str) -> None:
    """Best effort, whole or not at all: a cache that cannot be written is computed again next time."""
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text(content, encoding="utf-8")
        partial.replace(path)
    except OSError:
        partial.unlink(missing_ok=True)


def _lookups_table(name: str) -> dict:
    import gzip
    import json
    from importlib.resources import files

    with gzip.open(files("spacy_lookups_data") / "data" / f"{name}.json.gz") as handle:
        return json.load(handle)


def entity_spans(texts: list[str], model: str) -> list[list[tuple[int, int, str]]]:
    """Named entities (start, end, label) from an installed spaCy pipeline (a package name or a path).

    Nothing is downloaded: a pipeline that is not installed is an error for the caller to report.
    """
    import spacy

    nlp = spacy.load(model)
    if "ner" not in nlp.pipe_names and "entity_ruler" not in nlp.pipe_names:
        raise ValueError(f"the pipeline {model!r} has no named-entity recogniser")
    return [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(texts)]


@lru_cache(maxsize=1)
def _lemmatising():
    """A blank English pipeline whose tokens carry lower-case lookup lemmas (`Coaching` -> `coach`)."""
    import spacy
    from spacy.language import Language

    table = _lemma_table()

    @Language.component("qualcode_lower_lemma")
    def lower_lemma(doc):
        for token in doc:
            token.lemma_ = table.get(token.lower_, token.lower_)
        return doc

    nlp = spacy.blank("en")
    nlp.add_pipe("qualcode_lower_lemma")
    return nlp


class TermMatcher:
    """Finds term lists in texts: each term as its lemmas (`protected times` for `protected time`), or
    as written (case aside) for terms that must match exactly. Character spans come back per text."""

    def __init__(self, terms: dict[str, list[tuple[str, bool]]]):
        """`terms`: key (e.g. a code id) -> [(term, by_lemma)]."""
        from spacy.matcher import PhraseMatcher

        self.nlp = _lemmatising()
        self._lemma = PhraseMatcher(self.nlp.vocab, attr="LEMMA")
        self._lower = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        for key, entries in terms.items():
            for by_lemma in (True, False):
                chosen = [term for term, lemma in entries if lemma is by_lemma]
                if chosen:
                    (self._lemma if by_lemma else self._lower).add(key, list(self.nlp.pipe(chosen)))

    def find(self, texts: list[str]) -> list[list[tuple[str, int, int, str]]]:
        """For each text: (key, start, end, matched text) for every match."""
        found = []
        for doc in self.nlp.pipe(texts, batch_size=256):
            spans = [(self.nlp.vocab.strings[key], doc[start:end]) for matcher in (self._lemma, self._lower)
                     for key, start, end in matcher(doc)]
            found.append([(key, span.start_char, span.end_char, span.text) for key, span in spans])
        return found


def lemmas(texts: list[str]) -> list[list[str]]:
    """The lower-case lookup lemmas of each text's words (punctuation and numbers left out).

    Words are runs of letters: no spaCy pass, so a million words take about a second."""
    import re

    table = _lemma_table()
    word = re.compile(r"[^\W\d_]+")
    return [[table.get(w, w) for w in word.findall(text.lower())] for text in texts]


@lru_cache(maxsize=1)
def _lemma_table() -> dict[str, str]:
    return _lookups_table("en_lemma_lookup")
