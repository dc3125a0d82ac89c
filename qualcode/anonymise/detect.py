"""Finding identifying spans in speech: declared names and terms, their variants, and identifier patterns.

Pure functions over text. A `Lexicon` holds what is declared (roster names and aliases, terms); a
`Detector` finds, in one stretch of speech, every mention of it (any letter case, possessives, with a
title, typos of declared names) plus e-mail addresses, web addresses, phone numbers and postcodes.

Names that are also everyday words (`Will`, `May`, `Hope`) are decided by context: clear name uses are
redacted, clear word uses are left alone, and the doubtful ones come back with the decision `review`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..models import REDACT, REVIEW, Detection

TOKEN = re.compile(r"[^\W_]+")
TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "rev", "revd"}
# Not names on their own: particles of surnames and short forms of titles.
PARTICLES = {"van", "von", "der", "den", "de", "da", "di", "du", "la", "le", "el", "al", "bin", "ibn", "st", "o", "mc", "mac"}
CALENDAR = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
            "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
_MONTH_BEFORE = {"in", "of", "since", "until", "till", "by", "last", "next", "this", "early", "late", "mid", "end",
                 "from", "through", "during", "every", "before", "after", "since", "around", "until"}
# Words after which a name-word is being used as a word: subjects of a modal, determiners.
_WORD_BEFORE = {"i", "you", "we", "they", "he", "she", "it", "this", "there", "who", "which", "what", "people",
                "the", "a", "an", "some", "no", "any", "my", "your", "our", "their", "his", "its", "one", "free",
                "good", "ill", "much", "more", "less", "great", "little", "of", "with", "and", "so", "but", "all",
                "at", "in", "on", "until", "till", "since"}
_WORD_AFTER = {"be", "have", "not", "go", "get", "do", "make", "take", "need", "come", "see", "say", "try", "just",
               "probably", "also", "never", "always", "still", "so", "to", "for", "you", "we", "i", "it",
               "they", "he", "she", "the", "a", "an", "this", "of", "in", "on"}
# Name cues: who you talk with or about, and what people named in speech do.
_NAME_BEFORE = {"with", "asked", "ask", "told", "tell", "called", "named", "thanks", "thank", "from", "and", "met", "emailed",
                "m", "am", "says", "said", "helps", "like", "love",
                "rang", "phoned", "saw", "by", "mr", "mrs", "ms", "miss", "dr", "auntie", "uncle", "son", "daughter",
                "husband", "wife", "sister", "brother", "mum", "dad", "colleague", "partner"}
_SPEECH_AFTER = {"said", "says", "told", "tells", "asked", "asks", "thinks", "thought", "came", "comes", "went", "goes", "was",
                 "did", "does", "had", "has", "wanted", "wants", "knows", "knew", "felt", "feels", "runs", "ran", "left",
                 "joined", "helps", "works", "makes", "takes", "gets", "got", "likes", "loves", "plays", "coaches", "teaches",
                 "talks", "keeps", "puts", "lets", "sent", "rang", "explained", "explains", "laughed", "reckons", "reckoned"}
_PRONOUN_AFTER = {"i", "you", "we", "they", "he", "she", "it", "there", "this", "that", "my", "your", "our", "his", "her",
                  "their", "me", "us", "them"}
_BEFORE_SENTENCE = ".!?…:;\n]"  # `]` closes an annotation: `[laughs] Will do.`
_QUOTES = "\"'“”‘’([-–— "
_OPENING_QUOTES = "\"“‘'("
_POSSESSIVE = re.compile(r"['’]s\b|(?<=s)['’](?!\w)")  # Hope's, James'
_CONTRACTION = re.compile(r"['’](?:t|ll|re|ve|d|m)\b", re.IGNORECASE)  # don't, won't: not a name

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:org|com|net|gov|ac|edu|co|uk|io|info|nhs)"
                 r"(?:\.uk)?(?![\w-])(?:/[^\s<>\"']*)?", re.IGNORECASE)  # `time.cover` is a code id, not a .co address
POSTCODES = {
    "GB": r"\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b",
    "IE": r"\b(?:[AC-FHKNPRTV-Y]\d{2}|D6W) ?[0-9AC-FHKNPRTV-Y]{4}\b",
    "CA": r"\b[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d\b",
    # Where the letters are also everyday words ("in 2019 we", "or 97201"), they count only in capitals.
    "US": r"\b(?-i:A[KLRZ]|C[AOT]|D[CE]|FL|GA|HI|I[ADLN]|K[SY]|LA|M[ADEINOST]|N[CDEHJMVY]|O[HKR]|PA|RI|S[CD]|T[NX]|UT|V[AT]|W[AIVY])"
          r",? \d{5}(?:-\d{4})?\b",
    "AU": r"\b(?-i:NSW|VIC|QLD|WA|SA|TAS|ACT|NT),? \d{4}\b",
    "NL": r"\b[1-9]\d{3} ?(?-i:(?!SA|SD|SS)[A-Z]{2})\b",
}
_PHONE_DIGITS = 9  # fewer digits than this is a year, a sum of money or a count, not a phone number
_PHONE_SHAPE = re.compile(r"(?:\d[^\d\n]{0,3}){%d}" % _PHONE_DIGITS)  # worth asking phonenumbers about
_TRAILING = ".,;:!?)]}'\""


@dataclass(frozen=True, slots=True)
class Target:
    """What a declared phrase stands for."""

    category: str  # person, school, place, organisation …
    replacement: str
    source: str  # roster | terms


@dataclass(slots=True)
class Lexicon:
    """Declared phrases as token sequences, indexed by their first token."""

    phrases: dict[str, list[tuple[tuple[str, ...], Target]]] = field(default_factory=dict)
    everyday: set[tuple[str, ...]] = field(default_factory=set)  # phrases made only of everyday words: context decides

    def add(self, phrase: str, target: Target) -> None:
        """A declared phrase as written (NFC), and without its accents (`Lukasz` for `Łukasz`)."""
        phrase = unicodedata.normalize("NFC", phrase)
        for form in dict.fromkeys([phrase, without_accents(phrase)]):
            self._add_form(form, target)

    def _add_form(self, phrase: str, target: Target) -> None:
        tokens = tuple(m.group().casefold() for m in TOKEN.finditer(phrase))
        if not tokens:
            return
        self._add(tokens, target)
        if "s" in tokens[1:]:  # `St Aidan's` is also typed `St Aidans`
            joined = list(tokens)
            for k in range(len(joined) - 1, 0, -1):
                if joined[k] == "s":
                    joined[k - 1:k + 1] = [joined[k - 1] + "s"]
            self._add(tuple(joined), target)

    def _add(self, tokens: tuple[str, ...], target: Target) -> None:
        candidates = self.phrases.setdefault(tokens[0], [])
        for index, (known, other) in enumerate(candidates):
            if known == tokens:
                candidates[index] = (known, _combine(other, target))
                return
        candidates.append((tokens, target))
        candidates.sort(key=lambda pair: -len(pair[0]))

    def singles(self) -> dict[str, Target]:
        """One-token phrases: the words a typo can be a variant of."""
        return {tokens[0]: target for candidates in self.phrases.values() for tokens, target in candidates if len(tokens) == 1}

    def all_phrases(self) -> list[tuple[str, ...]]:
        return [tokens for candidates in self.phrases.values() for tokens, _ in candidates]

    def tokens(self) -> set[str]:
        return {token for phrase in self.all_phrases() for token in phrase}


_UNDECOMPOSED = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae", "Æ": "AE",
                               "œ": "oe", "Œ": "OE", "ı": "i", "þ": "th", "ð": "d"})


def without_accents(text: str) -> str:
    """`Zoë Łukasz` -> `Zoe Lukasz`, as names are often typed without their accents."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def _combine(first: Target, second: Target) -> Target:
    """One phrase, two meanings (two people called Margaret): one redaction that fits both."""
    if first.category != second.category:
        return first if first.source == "terms" else second
    replacement = first.replacement if first.replacement == second.replacement else f"[{_generic(first.category)}]"
    return Target(first.category, replacement, first.source)


def _generic(category: str) -> str:
    return "name" if category == "person" else category


def name_phrases(name: str, aliases: Iterable[str]) -> list[str]:
    """A person's full name, each part of it alone, and every alias: `Seamus O'Brien` gives `Seamus`,
    `O'Brien` and `Brien`; `Anna van der Berg` gives `van der Berg` and `Berg`; `Smith-Jones` gives
    `Smith` and `Jones` too. Particles, titles and initials are not names on their own."""
    words = name.split()
    phrases = [name]
    for position, word in enumerate(words):
        folded = word.casefold().strip(".")
        if folded in PARTICLES and position and position < len(words) - 1:
            phrases.append(" ".join(words[position:]))
        parts = [m.group() for m in TOKEN.finditer(word)]
        phrases.extend(p for p in [word, *parts] if len(p) > 1 and p.casefold() not in PARTICLES | TITLES)
    return list(dict.fromkeys([*phrases, *aliases]))


@dataclass(frozen=True, slots=True)
class _Token:
    start: int
    end: int
    folded: str


class Detector:
    """Finds identifying spans in speech. `learn_variants` first, over the whole corpus, for typos."""

    def __init__(self, lexicon: Lexicon, replacements: dict[str, str], regions: Iterable[str] = ("GB",),
                 fuzzy_threshold: int = 80, is_everyday: Callable[[str], bool] = lambda word: False):
        self.lexicon = lexicon
        self.replacements = replacements
        self.regions = [r.upper() for r in regions]
        self.fuzzy_threshold = fuzzy_threshold
        self.is_everyday = is_everyday
        self.variants: dict[str, Target] = {}
        self._openers: set[str] | None = None  # words a find can start with
        self._singles: dict[str, Target] | None = None  # one-word phrases, for typos after a title
        postcode = "|".join(POSTCODES[r] for r in self.regions if r in POSTCODES)
        self._postcode = re.compile(postcode, re.IGNORECASE) if postcode else None

    def learn_variants(self, texts: Iterable[str]) -> None:
        """Words in these texts that look like typos of declared one-word names and terms (`Margret`)."""
        if not self.fuzzy_threshold:
            return
        from rapidfuzz import fuzz, process

        known = self.lexicon.tokens()
        singles = {word: target for word, target in self.lexicon.singles().items() if len(word) >= 4}
        seen = {m.group().casefold() for text in texts for m in TOKEN.finditer(text)}
        candidates = sorted(w for w in seen - known if len(w) >= 4 and not w.isdigit() and not self.is_everyday(w)
                            and w not in CALENDAR and w.removesuffix("s") not in CALENDAR)
        by_letter: dict[str, list[str]] = {}
        for word in singles:
            by_letter.setdefault(word[0], []).append(word)
        for letter, names in by_letter.items():
            # Typos keep their first letter: comparing within it keeps false matches and work down.
            words = [w for w in candidates if w[0] == letter]
            if not words:
                continue
            scores = process.cdist(words, names, scorer=fuzz.ratio, score_cutoff=self.fuzzy_threshold, workers=-1)
            for row, word in enumerate(words):
                best = scores[row].argmax()
                if scores[row][best]:
                    self.variants[word] = singles[names[best]]
        self._openers = None

    def find(self, text: str, case_known: bool = True, named: frozenset[str] | set[str] = frozenset()) -> list[Detection]:
        """Every identifying span in one stretch of speech. `case_known` is False for a transcript typed
        all in one case, where a capital letter says nothing; `named` holds name-words known to be used
        as names nearby, whose word-like uses (`Will this, Will that`) are then doubtful, not words."""
        found = self._patterns(text)
        if self._openers is None:
            self._openers = set(self.lexicon.phrases) | set(self.variants) | TITLES
        if self._openers.isdisjoint(TOKEN.findall(text.casefold())):
            return resolve_overlaps(found)  # most speech names no one: skip the word-by-word pass
        tokens = [_Token(m.start(), m.end(), m.group().casefold()) for m in TOKEN.finditer(text)]
        index = 0
        while index < len(tokens):
            match = self._phrase_at(tokens, index, text)
            if match is None:
                detection = self._variant(text, tokens[index], case_known) or self._titled_variant(text, tokens, index)
                if detection:
                    found.append(detection)
                index += 1
                continue
            length, target = match
            if length == 1 and _CONTRACTION.match(text, tokens[index].end):
                index += 1
                continue
            detection = self._mention(text, tokens, index, length, target, case_known, named)
            if detection:
                found.append(detection)
            index += length
        return merge_adjacent(resolve_overlaps(found), text)

    def find_document(self, texts: list[str], case_known: bool) -> list[list[Detection]]:
        """`find` over the turns of one document, where a name-word used clearly as a name somewhere
        (`Frank said`, `Frank's`) settles its doubtful uses elsewhere (`Frank was brilliant.`)."""
        found = [self.find(text, case_known) for text in texts]
        named = {text[d.start:d.end].casefold() for text, finds in zip(texts, found) for d in finds
                 if d.detector.endswith("-context") and d.decision == REDACT}
        if named:  # look again where a named word stands, now that it is known to be a name here
            found = [self.find(text, case_known, named) if any(n in text.casefold() for n in named) else finds
                     for text, finds in zip(texts, found)]
        return [[_settled(d, text, named) for d in finds] for text, finds in zip(texts, found)]

    # -- declared phrases ---------------------------------------------------------------------

    def _phrase_at(self, tokens: list[_Token], index: int, text: str) -> tuple[int, Target] | None:
        for phrase, target in self.lexicon.phrases.get(tokens[index].folded, ()):
            end = index + len(phrase)
            if end <= len(tokens) and all(tokens[index + k].folded == phrase[k] for k in range(1, len(phrase))) \
                    and all(_joined(text, tokens[k].end, tokens[k + 1].start) for k in range(index, end - 1)):
                return len(phrase), target
        return None

    def _mention(self, text: str, tokens: list[_Token], index: int, length: int, target: Target, case_known: bool,
                 named: frozenset[str] | set[str]) -> Detection | None:
        first, last = tokens[index], tokens[index + length - 1]
        start = _with_title(text, tokens, index) if target.category == "person" else first.start
        phrase = tuple(t.folded for t in tokens[index:index + length])
        # A declared phrase is taken as it is unless it is made of everyday words; even then a title
        # (`Miss Hope`) or a term of several words (`Kestrel Park`) is not said by chance.
        if phrase not in self.lexicon.everyday or phrase[0] in TITLES or (length > 1 and target.category != "person"):
            return Detection(start, last.end, target.category, target.source, target.replacement, REDACT)
        if start != first.start:
            return Detection(start, last.end, target.category, f"{target.source}-context", target.replacement, REDACT, "after a title")
        decision, reason = _decide(text, tokens, index, length, case_known, " ".join(phrase) in named)
        if decision is None:
            return None
        return Detection(start, last.end, target.category, f"{target.source}-context", target.replacement, decision, reason)

    def _variant(self, text: str, token: _Token, case_known: bool) -> Detection | None:
        target = self.variants.get(token.folded)
        if target is None:
            return None
        if case_known and text[token.start].islower():
            return None  # a proper-case transcript writes names with a capital; this is a misspelt word
        reason = f"looks like a typo of a declared {_generic(target.category)}"
        return Detection(token.start, token.end, target.category, "fuzzy", target.replacement, REDACT, reason)

    def _titled_variant(self, text: str, tokens: list[_Token], index: int) -> Detection | None:
        """After a title anything close to a declared name is that name (`mrs mensa` for Mensah), even a word."""
        token = tokens[index]
        if not self.fuzzy_threshold or len(token.folded) < 3 or not index or tokens[index - 1].folded not in TITLES \
                or not _joined(text, tokens[index - 1].end, token.start):
            return None
        from rapidfuzz import fuzz, process

        if self._singles is None:
            self._singles = self.lexicon.singles()
        singles = self._singles
        best = process.extractOne(token.folded, singles.keys(), scorer=fuzz.ratio, score_cutoff=self.fuzzy_threshold)
        if best is None or singles[best[0]].category != "person":
            return None
        target = singles[best[0]]
        return Detection(tokens[index - 1].start, token.end, target.category, "fuzzy", target.replacement, REDACT,
                         "after a title, close to a declared name")

    # -- identifier patterns -----------------------------------------------------------------

    def _patterns(self, text: str) -> list[Detection]:
        found = [self._pattern(m.start(), m.end(), "email") for m in EMAIL.finditer(text)]
        for match in URL.finditer(text):
            end = match.end()
            while end > match.start() and text[end - 1] in _TRAILING:
                end -= 1
            if "." in text[match.start():end].strip("."):
                found.append(self._pattern(match.start(), end, "url"))
        if self._postcode is not None:
            found.extend(self._pattern(m.start(), m.end(), "postcode") for m in self._postcode.finditer(text) if not _ordinal(m.group()))
        if _PHONE_SHAPE.search(text):
            found.extend(self._phones(text))
        return found

    def _phones(self, text: str) -> list[Detection]:
        import phonenumbers

        found = []
        for region in self.regions:
            for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE):
                # Digits run into letters (`5793017978ab`, a hash or an id) are not a number someone dials.
                before = text[match.start - 1] if match.start else " "
                after = text[match.end] if match.end < len(text) else " "
                if sum(c.isdigit() for c in match.raw_string) >= _PHONE_DIGITS and not (before.isalnum() or after.isalnum()):
                    found.append(self._pattern(match.start, match.end, "phone"))
        return found

    def _pattern(self, start: int, end: int, category: str) -> Detection:
        return Detection(start, end, category, category, self.replacements.get(category, f"[{category}]"), REDACT)


def case_is_informative(text: str) -> bool:
    """False for a transcript typed all in lower case (or all in capitals), where capitals say nothing."""
    words = TOKEN.findall(text)
    capitalised = sum(w[0].isupper() for w in words)
    shouting = sum(w.isupper() and len(w) > 1 for w in words)
    return bool(words) and capitalised >= 0.02 * len(words) and shouting < 0.5 * len(words)


def _ordinal(postcode: str) -> bool:
    """`u14 2nd`, `Y11 1st`: a team and an ordinal in lower case, not a postcode (those are written in capitals)."""
    return not postcode.isupper() and bool(re.search(r"\d(?:st|nd|rd|th)$", postcode, re.IGNORECASE))


def _joined(text: str, end: int, start: int) -> bool:
    """Tokens of one phrase are separated by a few characters of punctuation or space (`A+ Academy`,
    `St Peter's (CE)`), within one turn (a single line break is a wrapped line, two end the turn)."""
    gap = text[end:start]
    return len(gap) <= 4 and gap.count("\n") <= 1 and not any(c.isalnum() for c in gap)


def _with_title(text: str, tokens: list[_Token], index: int) -> int:
    """The start of a name mention, taking in a title before it (`Mrs Ellis`, `Dr. Okafor`)."""
    if index and tokens[index - 1].folded in TITLES and _joined(text, tokens[index - 1].end, tokens[index].start):
        return tokens[index - 1].start
    return tokens[index].start


def _sentence_start(text: str, position: int) -> bool:
    """At the start of a turn, a sentence or a quotation (`He said, "Mark my words"`), or after `[laughs]`."""
    while position > 0 and text[position - 1] == " ":
        position -= 1
    if position > 0 and text[position - 1] in _OPENING_QUOTES and (position == 1 or text[position - 2] in " ,:;([\n"):
        return True
    while position > 0 and text[position - 1] in _QUOTES:
        position -= 1
    return position == 0 or text[position - 1] in _BEFORE_SENTENCE


def _neighbour(text: str, tokens: list[_Token], index: int, beside: int) -> str:
    """The word next to a mention, if nothing but a space (or the apostrophe of `i'm`) separates them."""
    if not 0 <= index < len(tokens):
        return ""
    left, right = sorted((tokens[index], tokens[beside]), key=lambda t: t.start)
    return tokens[index].folded if text[left.end:right.start] in {" ", "'", "’"} else ""


_AS_WORD_BUT_NAMED = "reads as a word here, but is a name elsewhere in this document"


def _decide(text: str, tokens: list[_Token], index: int, length: int, case_known: bool, named: bool) -> tuple[str | None, str]:
    """Is this name that is also a word (`will`, `May`, `Coach Will`) used as a name? None means: a word, leave it.
    `named`: the word is used as a name elsewhere nearby, so a capitalised word-like use is doubtful."""
    first, last = tokens[index], tokens[index + length - 1]
    before = _neighbour(text, tokens, index - 1, index)
    after = _neighbour(text, tokens, index + length, index + length - 1)
    if _POSSESSIVE.match(text, last.end):
        return REDACT, "possessive"
    calendar = last.folded in CALENDAR
    if calendar and (before in _MONTH_BEFORE or after.isdigit()):
        return None, ""
    surface = text[first.start:last.end]
    known = case_known and not (surface.isupper() and len(surface) > 1)  # `I WILL cry` says nothing about names
    if known and not all(text[t.start].isupper() for t in tokens[index:index + length]):
        if length == 1 and after in _SPEECH_AFTER and before not in _WORD_BEFORE:
            return REVIEW, f"lower-case, but followed by {after!r}"  # `then mags said`: a name typed carelessly?
        return None, ""
    initial = _sentence_start(text, first.start)
    if (after in _SPEECH_AFTER or (len(after) > 4 and after.endswith("ed"))) and (before not in _WORD_BEFORE or initial):
        return REDACT, f"followed by {after!r}"
    if known:
        if text.startswith(",", last.end) and not calendar:
            return REDACT, "capitalised, followed by a comma (addressed or named)"
        if length > 1:
            return REDACT, "capitalised words of a declared name"
        if initial and after in _PRONOUN_AFTER | _WORD_AFTER:
            return (REVIEW, _AS_WORD_BUT_NAMED) if named else (None, "")
        if initial:
            return REVIEW, "capitalised at the start of a sentence"
        if calendar:
            return REVIEW, "capitalised, but also a month or day"
        return REDACT, "capitalised within a sentence"
    if after in _WORD_AFTER | _PRONOUN_AFTER - {"that"}:  # `it was bill that got them into it`
        return None, ""
    if before in _NAME_BEFORE:
        return REDACT, f"after {before!r}"
    if before in _WORD_BEFORE:
        return None, ""
    return REVIEW, "also an everyday word; the transcript's case does not tell"


def _settled(detection: Detection, text: str, named: set[str]) -> Detection:
    if detection.decision == REVIEW and detection.detector.endswith("-context") and detection.reason != _AS_WORD_BUT_NAMED \
            and text[detection.start:detection.end].casefold() in named:
        return Detection(detection.start, detection.end, detection.category, detection.detector, detection.replacement,
                         REDACT, "used as a name elsewhere in this document")
    return detection


def resolve_overlaps(found: list[Detection]) -> list[Detection]:
    """One detection per stretch of text: a redaction beats a suggestion, then the longer span wins."""
    kept: list[Detection] = []
    for detection in sorted(found, key=lambda d: (d.start, -(d.end - d.start))):
        if kept and detection.start < kept[-1].end:
            if _better(detection, kept[-1]):
                kept[-1] = detection
            continue
        kept.append(detection)
    return kept


def _better(challenger: Detection, holder: Detection) -> bool:
    rank = {REDACT: 1, REVIEW: 0}
    return (rank[challenger.decision], challenger.end - challenger.start) > (rank[holder.decision], holder.end - holder.start)


def merge_adjacent(found: list[Detection], text: str) -> list[Detection]:
    """`[name] [name]` for one person's first and last name found apart becomes one redaction."""
    merged: list[Detection] = []
    for detection in found:
        previous = merged[-1] if merged else None
        if (previous and previous.decision == detection.decision == REDACT and previous.replacement == detection.replacement
                and previous.category == detection.category == "person" and text[previous.end:detection.start] == " "):
            merged[-1] = Detection(previous.start, detection.end, previous.category, previous.detector, previous.replacement,
                                   REDACT, previous.reason)
        else:
            merged.append(detection)
    return merged
