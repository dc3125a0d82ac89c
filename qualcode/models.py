"""The small dataclasses every stage passes around. No I/O here."""

from __future__ import annotations

from dataclasses import dataclass, field

INTERVIEWER = "interviewer"
PARTICIPANT = "participant"


@dataclass(frozen=True, slots=True)
class Block:
    """One stretch of speech as a reader found it, before consecutive blocks are merged into turns.

    `label` is None for text with no speaker label: it continues the previous turn.
    `inline` blocks (caption cues, Zoom blocks) join the previous paragraph with a space
    instead of starting a new line.
    """

    label: str | None
    text: str
    time_start: float | None = None
    time_end: float | None = None
    question: str | None = None
    inline: bool = False


@dataclass(slots=True)
class ParsedSource:
    """What a reader returns: the blocks, and what it noticed on the way."""

    format: str
    blocks: list[Block]
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)
    speaker_attributes: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Turn:
    """A speaker turn as character offsets into the stored document text.

    `label_start`/`label_end` locate the speaker label; `start`/`end` the content after `Label: `.
    """

    seq: int
    speaker_label: str | None
    label_start: int | None
    label_end: int | None
    start: int
    end: int
    time_start: float | None = None
    time_end: float | None = None
    question: str | None = None


@dataclass(slots=True)
class Script:
    """A document's stored text and the turns that partition it."""

    text: str
    turns: list[Turn]

    def content(self, turn: Turn) -> str:
        return self.text[turn.start : turn.end]


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character span of a document's stored text."""

    start: int
    end: int
    turn_seq: int


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file on disk chosen for import, and the name it will have in the project."""

    path: str
    relpath: str
    name: str


@dataclass(slots=True)
class DocumentSummary:
    id: int
    name: str
    format: str
    n_turns: int
    n_speakers: int
    n_words: int
    attributes: dict[str, str]


@dataclass(slots=True)
class SpeakerSummary:
    document: str
    label: str
    role: str
    n_turns: int
    n_words: int
    attributes: dict[str, str] = field(default_factory=dict)
    person: int | None = None
    code: str | None = None


@dataclass(slots=True)
class TurnView:
    """A turn as `qualcode show` presents it."""

    seq: int
    speaker_label: str | None
    role: str | None
    start: int
    end: int
    line: int
    time_start: float | None
    time_end: float | None
    question: str | None
    text: str


@dataclass(slots=True)
class ImportOutcome:
    """What happened to one file in `qualcode import`."""

    path: str
    name: str
    status: str  # imported | replaced | unchanged | failed
    format: str | None = None
    n_turns: int = 0
    warnings: list[str] = field(default_factory=list)
    error: str | None = None


@dataclass(slots=True)
class LogEntry:
    id: int
    time: str
    coder: str
    command: str
    version: str
    changes: list[dict[str, str]]


REDACT = "redact"
REVIEW = "review"


@dataclass(frozen=True, slots=True)
class Detection:
    """An identifying span found in text, what replaces it, and what found it.

    `decision` is `redact`, or `review` for a doubtful one a person decides (a name that is also a word).
    """

    start: int
    end: int
    category: str  # person, school, place, organisation, email, phone, postcode, url …
    detector: str  # roster, roster-context, terms, fuzzy, email, phone, postcode, url, ner:MODEL …
    replacement: str
    decision: str = REDACT
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Code:
    """One code of a codebook: what it means, and the rules that suggest it.

    `keywords` are words and phrases (matched on lemmas unless `lemma` is false); `patterns` regular
    expressions; `scope` what a match codes (the match, its sentence, paragraph or turn); `within` a
    code whose codings a match must fall inside; `speakers` and `roles` whose speech counts;
    `question` a pattern the interviewer's question before the turn must match.
    """

    id: str
    label: str
    parent: str | None = None
    definition: str = ""
    include: str = ""
    exclude: str = ""
    examples: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    count_as: str = "mentions"  # mentions | actions
    keywords: tuple[str, ...] = ()
    lemma: bool = True
    patterns: tuple[str, ...] = ()
    fuzzy: int | None = None
    scope: str = "match"  # match | sentence | paragraph | turn
    within: str | None = None
    speakers: str = "all"  # all | participants | interviewers
    roles: tuple[str, ...] = ()
    question: str | None = None
    retired: bool = False
    line: int = 0  # where it is defined in the codebook file


ORPHANED = "orphaned"


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a coding now sits: its span, the text there and around it, and how it was found
    (`exact`, `nearby`, `diff`, `fuzzy`, or `orphaned` when it could not be placed)."""

    id: int
    start: int
    end: int
    quote: str
    before: str
    after: str
    placement: str
