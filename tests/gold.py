"""The hand-labelled redaction sets (tests/data/anonymise*) and how a detector scores on them.

Marks are `[[surface|category]]` (see tests/data/anonymise/README.md). A gold mention is *redacted*
when a redaction overlaps it and *found* when a redaction or a doubtful find (listed for review) does;
a redaction is *correct* when it overlaps any gold mention. Used by tests/test_detect.py and bench/run.py.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.anonymise.detect import Detector, case_is_informative
from qualcode.anonymise.lexicon import AnonymiseSettings, build_lexicon, people_to_find
from qualcode.models import REDACT
from qualcode.nlp import vocabulary
from qualcode.settings import DEFAULT_INTERVIEWER_LABELS, DEFAULTS
from qualcode.speakers import interviewer_regex

DATA = Path(__file__).parent / "data"
SETS = {"tuned": DATA / "anonymise", "held-out": DATA / "anonymise-heldout"}
_MARK = re.compile(r"\[\[(.+?)\|([a-z-]+)\]\]")
_TURN = re.compile(r"^[^:\n]{1,40}: ", re.MULTILINE)


def parse(marked: str) -> tuple[str, list[tuple[int, int, str]]]:
    """The plain transcript and its gold mentions (start, end, category)."""
    pieces, gold, position, length = [], [], 0, 0
    for match in _MARK.finditer(marked):
        pieces.append(marked[position:match.start()])
        length += match.start() - position
        gold.append((length, length + len(match.group(1)), match.group(2)))
        pieces.append(match.group(1))
        length += len(match.group(1))
        position = match.end()
    pieces.append(marked[position:])
    return "".join(pieces), gold


@dataclass
class Scores:
    mentions: Counter = field(default_factory=Counter)
    redacted: Counter = field(default_factory=Counter)
    found: Counter = field(default_factory=Counter)
    redactions: Counter = field(default_factory=Counter)
    correct: Counter = field(default_factory=Counter)

    def table(self) -> str:
        lines = [f"{'category':18} {'mentions':>8} {'redacted':>9} {'found':>6}   {'redactions':>10} {'precision':>9}"]
        for category in sorted(set(self.mentions) | set(self.redactions)):
            n, made = self.mentions[category], self.redactions[category]
            recall = f"{self.redacted[category] / n:9.3f} {self.found[category] / n:6.3f}" if n else f"{'':9} {'':6}"
            precision = f"{self.correct[category] / made:9.3f}" if made else ""
            lines.append(f"{category:18} {n:8} {recall}   {made:10} {precision}")
        return "\n".join(lines)


def detector_for_set(folder: Path, texts: list[str]) -> Detector:
    with (folder / "roster.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    roster = [{"person_id": i, "name": r["name"], "aliases": [a.strip() for a in r["aliases"].split(";") if a.strip()]}
              for i, r in enumerate(rows, 1)]
    people = [{"id": i, "role": "participant", "attributes": {"role": r["role"]}} for i, r in enumerate(rows, 1)]
    with (folder / "terms.csv").open(encoding="utf-8") as handle:
        terms = [{"term": r["term"], "category": r["category"], "replacement": r.get("replacement") or ""} for r in csv.DictReader(handle)]
    settings = AnonymiseSettings.from_values({**DEFAULTS, "anonymise.regions": ["GB", "US"]}, str(folder))
    english = vocabulary()
    named = people_to_find(roster, people, [], {}, interviewer_regex(DEFAULT_INTERVIEWER_LABELS))
    detector = Detector(build_lexicon(named, terms, settings, english.everyday), settings.replacements, settings.regions,
                        settings.fuzzy_threshold, english.is_everyday)
    detector.learn_variants(texts)
    return detector


def score(folder: Path) -> Scores:
    documents = [parse(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.txt"))]
    detector = detector_for_set(folder, [text for text, _ in documents])
    scores = Scores()
    for text, gold in documents:
        turns = [(m.end(), text[m.end():text.find("\n", m.end()) if "\n" in text[m.end():] else len(text)])
                 for m in _TURN.finditer(text)]
        finds = [(offset + d.start, offset + d.end, d) for (offset, _), found in
                 zip(turns, detector.find_document([t for _, t in turns], case_is_informative(text))) for d in found]
        for start, end, category in gold:
            hits = [d for s, e, d in finds if s < end and start < e]
            scores.mentions[category] += 1
            scores.redacted[category] += any(d.decision == REDACT for d in hits)
            scores.found[category] += bool(hits)
        for s, e, d in finds:
            if d.decision == REDACT:
                scores.redactions[d.category] += 1
                scores.correct[d.category] += any(s < end and start < e for start, end, _ in gold)
    return scores
