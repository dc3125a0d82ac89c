"""Autocode: the codebook's rules applied to the corpus, stored as suggestions a person reviews.

Rules per code: keywords and phrases (on lemmas unless `lemma: false`), regular-expression patterns,
fuzzy variants of one-word keywords (`fuzzy: 90`, rapidfuzz ratio against the corpus vocabulary),
then filters (`speakers`, `roles`, `question`) and `within` (the match must lie inside a coding of
that code), and `scope` (the match, or the sentence, paragraph or turn around it). A suggestion is
never a coding until accepted; one already made, accepted or rejected for the same place and code is
not suggested again.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from .codebook import Codebook
from .coding import ACCEPTED, SUGGESTED, project_codebook
from .errors import UsageError
from .models import INTERVIEWER, PARTICIPANT, Code, Script, Turn
from .project import Project
from .script import paragraph_spans, quote_in, sentence_spans


@dataclass(slots=True)
class AutocodeReport:
    suggested: Counter = field(default_factory=Counter)  # code -> new suggestions
    documents: int = 0
    without_rules: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Match:
    code: str
    start: int
    end: int
    rule: str  # keyword:cover, pattern:..., fuzzy:covr


def autocode(project: Project, codes: list[str] | None = None, on_document: Callable[[str, int], None] | None = None) -> AutocodeReport:
    codebook = project_codebook(project)
    chosen = _chosen(codebook, codes)
    report = AutocodeReport(without_rules=[c.id for c in chosen if not (c.keywords or c.patterns)])
    ruled = [c for c in chosen if c.keywords or c.patterns]
    store = project.store
    people = {p["id"]: p for p in store.people_for_codes()}
    documents = store.all_documents()
    rules = _Rules(ruled, [d["text"] for d in documents], read_schedule(project))
    version = codebook.version
    store.save_codebook_version(version, codebook.name, codebook.content())
    for document in documents:
        turns = store.turn_rows(document["id"])
        matches = rules.find(document["text"], turns, people)
        existing = store.codings(document["id"])
        rows = _suggestions(codebook, ruled, document["text"], turns, matches, existing)
        if rows:
            for row in rows:
                row["codebook_version"] = version
            with store.unit_of_work():
                store.add_codings(document["id"], document["name"], rows, summary=f"{len(rows)} suggestion(s) from the codebook's rules")
            report.suggested.update(row["code"] for row in rows)
        report.documents += 1
        if on_document:
            on_document(document["name"], len(documents))
    return report


def _chosen(codebook: Codebook, references: list[str] | None) -> list[Code]:
    if not references:
        return [c for c in codebook.codes.values() if not c.retired]
    ids = [i for code_id in codebook.resolve_all(references) for i in (code_id, *codebook.descendants(code_id))]
    return [codebook.codes[i] for i in dict.fromkeys(ids) if not codebook.codes[i].retired]


class _Rules:
    """Every rule of the chosen codes, compiled once for the corpus."""

    def __init__(self, codes: list[Code], texts: list[str], schedule: dict[str, str]):
        from .nlp import TermMatcher

        self.codes = {c.id: c for c in codes}
        self.schedule = schedule
        self.terms = TermMatcher({c.id: [(k, c.lemma) for k in c.keywords] for c in codes if c.keywords})
        self.patterns = {c.id: [re.compile(p, re.IGNORECASE) for p in c.patterns] for c in codes if c.patterns}
        self.variants = self._fuzzy_variants([c for c in codes if c.fuzzy], texts)

    def _fuzzy_variants(self, codes: list[Code], texts: list[str]) -> dict[str, dict[str, str]]:
        """Code -> {corpus word: the keyword it is a variant of}, for one-word keywords of codes with `fuzzy`."""
        if not codes:
            return {}
        from rapidfuzz import fuzz, process

        vocabulary = sorted(corpus_words(texts))
        variants: dict[str, dict[str, str]] = {}
        for code in codes:
            words = [k.casefold() for k in code.keywords if " " not in k.strip()]
            if not words:
                continue
            scores = process.cdist(vocabulary, words, scorer=fuzz.ratio, score_cutoff=code.fuzzy, workers=-1)
            variants[code.id] = {vocabulary[row]: words[col] for row, col in zip(*scores.nonzero()) if vocabulary[row] not in words}
        return variants

    def find(self, text: str, turns: list[dict], people: dict[int, dict]) -> list[_Match]:
        contents = [(t, text[t["start"]:t["end"]]) for t in turns]
        found = []
        for (turn, content), terms in zip(contents, self.terms.find([c for _, c in contents])):
            offset = turn["start"]
            matches = [_Match(key, offset + s, offset + e, f"keyword:{matched.casefold()}") for key, s, e, matched in terms]
            for code_id, patterns in self.patterns.items():
                matches += [_Match(code_id, offset + m.start(), offset + m.end(), f"pattern:{p.pattern}")
                            for p in patterns for m in p.finditer(content) if m.end() > m.start()]
            for code_id, words in self.variants.items():
                matches += [_Match(code_id, offset + m.start(), offset + m.end(), f"fuzzy:{m.group().casefold()}")
                            for m in _WORD.finditer(content) if m.group().casefold() in words]
            found += [m for m in matches if _speaker_fits(self.codes[m.code], turn, people, turns, text, self.schedule)]
        return found


_WORD = re.compile(r"[^\W\d_]+")


def corpus_words(texts: list[str]) -> set[str]:
    """The lower-case words of these texts: where fuzzy variants of keywords are looked for."""
    return {word.casefold() for text in texts for word in _WORD.findall(text)}


def _speaker_fits(code: Code, turn: dict, people: dict[int, dict], turns: list[dict], text: str, schedule: dict[str, str]) -> bool:
    person = people.get(turn["person_id"]) if turn["person_id"] is not None else None
    kind = person["role"] if person else PARTICIPANT  # a document without labels is one participant's
    if code.speakers == "participants" and kind == INTERVIEWER or code.speakers == "interviewers" and kind != INTERVIEWER:
        return False
    if code.roles:
        job = str((person or {}).get("attributes", {}).get("role", "")).casefold()
        if job not in {r.casefold() for r in code.roles}:
            return False
    if code.question:
        asked = turn["question"] or _question_before(turn, turns, people, text)
        item = schedule.get(code.question)
        if item is not None:
            from rapidfuzz import fuzz

            return fuzz.token_set_ratio(item, asked or "") >= SCHEDULE_MATCH
        if not re.search(code.question, asked or "", re.IGNORECASE):
            return False
    return True


SCHEDULE_MATCH = 70  # rapidfuzz token-set similarity of an interviewer's question to a schedule item


def read_schedule(project: Project) -> dict[str, str]:
    """The interview schedule (`[project] schedule`): item id -> question. Lines are `ID: question` or
    just the question (numbered from 1)."""
    name = project.settings["project.schedule"]
    if not name:
        return {}
    path = project.root / name
    try:
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{path}: cannot read the interview schedule ({error}); fix [project] schedule in qualcode.toml") from None
    items = {}
    for number, line in enumerate(lines, 1):
        key, sep, question = line.partition(":")
        if sep and re.fullmatch(r"[\w.-]{1,20}", key.strip()):
            items[key.strip()] = question.strip()
        else:
            items[str(number)] = line
    return items


def _question_before(turn: dict, turns: list[dict], people: dict[int, dict], text: str) -> str:
    """The interviewer's last turn before this one: what this turn answers."""
    for earlier in reversed([t for t in turns if t["seq"] < turn["seq"]]):
        person = people.get(earlier["person_id"]) if earlier["person_id"] is not None else None
        if person and person["role"] == INTERVIEWER:
            return text[earlier["start"]:earlier["end"]]
    return ""


def _suggestions(codebook: Codebook, codes: list[Code], text: str, turns: list[dict], matches: list[_Match],
                 existing: list[dict]) -> list[dict]:
    """Matches widened to their scope, kept inside their `within` codes, one per place and code, and not
    already made, accepted or rejected there."""
    by_turn = {t["seq"]: t for t in turns}
    units: dict[tuple[str, int], list] = {}
    rows, seen = [], {(c["code"], c["start"], c["end"]) for c in existing}
    order = {c.id: n for n, c in enumerate(codebook.codes.values())}
    for match in sorted(matches, key=lambda m: (order[m.code], m.start)):
        code = codebook.codes[match.code]
        turn = next(t for t in by_turn.values() if t["start"] <= match.start and match.end <= t["end"])
        start, end = _scoped(code.scope, match, turn, text, units)
        if (match.code, start, end) in seen:
            continue
        if code.within and not _inside(start, end, code.within, existing, rows):
            continue
        seen.add((match.code, start, end))
        quote, before, after = quote_in(text, start, end)
        rows.append({"start": start, "end": end, "code": match.code, "status": SUGGESTED, "origin": f"rule:{match.code}/{match.rule}",
                     "quote": quote, "before": before, "after": after})
    return rows


def _scoped(scope: str, match: _Match, turn: dict, text: str, units: dict) -> tuple[int, int]:
    if scope == "match":
        return match.start, match.end
    if scope == "turn":
        return turn["start"], turn["end"]
    key = (scope, turn["seq"])
    if key not in units:
        script = Script(text, [Turn(turn["seq"], turn["label"], None, None, turn["start"], turn["end"])])
        units[key] = sentence_spans(script) if scope == "sentence" else paragraph_spans(script)
    unit = next((u for u in units[key] if u.start <= match.start < u.end), None)
    return (unit.start, max(unit.end, match.end)) if unit else (match.start, match.end)


def _inside(start: int, end: int, within: str, existing: list[dict], new: list[dict]) -> bool:
    spans = [(c["start"], c["end"]) for c in existing if c["code"] == within and c["status"] in {ACCEPTED, SUGGESTED}]
    spans += [(r["start"], r["end"]) for r in new if r["code"] == within]
    return any(s <= start and end <= e for s, e in spans)

