"""Tallies: how many participants (or mentions, documents, actions, responses) each code has, with the
unit and the base that every printed number needs.

The unit decides what one counts (domain.md §3):

- participants: distinct people who are participants (never interviewers; group codes such as `PC` are
  counted apart, as `groups`), of all participants in scope;
- mentions: coded segments (a span coded twice under one theme is one mention of the theme);
- documents: distinct documents, of all documents in scope;
- actions: distinct `action` ids of codings of codes counted as actions (a coding without one is one action);
- responses: survey answers, of all answers in scope (respondents are people: that is `participants`).

A parent code counts the distinct units of its own codings and its descendants' (`own` counts only its
own), so a person mentioning two descriptors of a theme counts once for the theme. A coding counts for
every turn it covers, with that turn's speaker; orphaned codings (their place in the text is gone) and
disconfirming ones (evidence against the code) are not counted, and the notes say how many.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from .codebook import Codebook
from .errors import UsageError
from .models import PARTICIPANT

UNITS = ("participants", "mentions", "documents", "actions", "responses")
CONSENSUS = "consensus"
_NO_BASE = ("mentions", "actions")  # counts of things, not shares of a population


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    code: str | None
    kind: str  # participant, interviewer, observer …
    is_group: bool
    attributes: dict[str, str]
    label: str = ""  # as first written, for people without a code yet

    @property
    def name(self) -> str:
        return self.code or self.label or f"person {self.id}"

    @property
    def is_participant(self) -> bool:
        return self.kind == PARTICIPANT and not self.is_group


@dataclass(frozen=True, slots=True)
class Spoken:
    """A turn as tallies see it: where it is, who says it, and the survey question it answers."""

    id: int
    document: int
    start: int
    end: int
    person: int | None
    question: str | None
    seq: int = 0  # the turn's number in its document
    time: float | None = None


@dataclass(slots=True)  # not frozen: tens of thousands are made per command, and frozen ones are built slowly
class Occurrence:
    """One accepted coding in one turn it covers."""

    code: str
    document: int
    start: int
    end: int
    turn: Spoken
    action: str | None
    coder: str
    coding: int | None = None  # the coding's id (None for consensus, which no one coding makes)
    disconfirming: bool = False


@dataclass(slots=True)
class Evidence:
    """Everything a tally reads: occurrences of codes, the turns in scope (the population), who speaks them."""

    occurrences: list[Occurrence]
    turns: list[Spoken]
    people: dict[int, Person]
    document_attributes: dict[int, dict[str, str]]
    speaker_attributes: dict[tuple[int, int], dict[str, str]]  # (document, person) -> attributes
    coder: str = ""
    orphaned: int = 0
    document_names: dict[int, str] = field(default_factory=dict)
    machine_made: set[int] = field(default_factory=set)  # codings accepted from a rule's or a model's suggestion
    scope: list[str] = field(default_factory=list)  # how the population was narrowed, for the base line
    expected: dict[str, set[str]] = field(default_factory=dict)  # values a column is owed even when empty (waves)

    def value(self, attribute: str, turn: Spoken) -> str | None:
        """A turn's value of an attribute: the survey question, else the document's, else the speaker's in
        that document, else the person's (for `role`, their speaker kind when no job role is recorded)."""
        if attribute == "question":
            return turn.question
        found = self.document_attributes.get(turn.document, {}).get(attribute)
        if found is None and turn.person is not None:
            found = self.speaker_attributes.get((turn.document, turn.person), {}).get(attribute)
            person = self.people.get(turn.person)
            if found is None and person is not None:
                found = person.attributes.get(attribute) or (person.kind if attribute == "role" else None)
        if isinstance(found, list):  # a roster's several values (`sites: [North]`, waves 1;2)
            found = ";".join(map(str, found)) or None
        return None if found is None else str(found)

    def counted(self) -> list[Occurrence]:
        """The occurrences figures count: evidence against a code (a disconfirming coding) is not a
        mention of it; quote banks list it apart."""
        return [o for o in self.occurrences if not o.disconfirming]

    def attributes(self) -> list[str]:
        names = {"question", "role"}
        for values in (*self.document_attributes.values(), *self.speaker_attributes.values(),
                       *(p.attributes for p in self.people.values())):
            names.update(values)
        return sorted(names)


@dataclass(frozen=True, slots=True)
class Count:
    n: int
    base: int | None  # None where the unit has no base (mentions, actions)

    @property
    def share(self) -> float | None:
        return None if not self.base else 100 * self.n / self.base


@dataclass(frozen=True, slots=True)
class Base:
    n: int
    description: str


@dataclass(frozen=True, slots=True)
class TallyRow:
    code: str
    path: str
    label: str
    depth: int
    count: Count
    by: dict[str, Count]
    groups: int  # group codes (e.g. PC) with it, shown apart from participants


@dataclass(frozen=True, slots=True)
class Style:
    """How numbers are printed (settings `[tally]`): below `threshold` a share is `x of N`."""

    threshold: int = 30
    decimals: int = 0
    words: tuple[tuple[float, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Tally:
    unit: str
    base: Base
    rows: list[TallyRow]
    coder: str
    by: str | None = None
    bases: dict[str, Base] = field(default_factory=dict)
    own: bool = False
    notes: list[str] = field(default_factory=list)
    style: Style = Style()


def tally_project(project, unit: str = "participants", by: str | None = None, filters: dict[str, set[str]] | None = None,
                  constant_sample: bool = False, coder: str | None = None, own: bool = False) -> Tally:
    """`qualcode tally`: the project's accepted codings counted in one unit, with its base."""
    evidence, codebook = project_evidence(project, coder, filters, constant_sample)
    return replace(tally(evidence, codebook, unit, by, own), style=style_from(project.settings))


def project_evidence(project, coder: str | None = None, filters: dict[str, set[str]] | None = None,
                     constant_sample: bool = False, codings_needed: bool = True) -> tuple[Evidence, Codebook]:
    """The evidence tallies and matrices count, narrowed as asked, and the codebook."""
    from .coding import project_codebook

    codebook = project_codebook(project)
    evidence = load_evidence(project.store, coder, codings_needed)
    wave = project.settings["tally.wave_attribute"] if constant_sample else None
    return narrowed(evidence, filters or {}, wave), codebook


def style_from(settings) -> Style:
    threshold, decimals = settings["tally.base_threshold"], settings["tally.decimals"]
    if not isinstance(threshold, int) or threshold < 0:
        raise UsageError(f"tally.base_threshold = {threshold!r} in qualcode.toml: a whole number of people, e.g. 30")
    if not isinstance(decimals, int) or not 0 <= decimals <= 3:
        raise UsageError(f"tally.decimals = {decimals!r} in qualcode.toml: 0 to 3")
    return Style(threshold, decimals, tuple(read_words(settings["tally.words"])))


# Reading the evidence.

@dataclass(slots=True)
class Sources:
    """What every coder's evidence is read from, read once (agreement compares several coders)."""

    codings: list[dict]
    turns: list[Spoken]
    people: dict[int, Person]
    document_attributes: dict[int, dict[str, str]]
    speaker_attributes: dict[tuple[int, int], dict[str, str]]
    document_names: dict[int, str]


def evidence_sources(store, documents: set[int] | None = None) -> Sources:
    """The accepted codings, turns, people and attributes (of these documents only, when given)."""
    codings = store.accepted_codings(documents)
    turns = [Spoken(t["id"], t["document_id"], t["start"], t["end"], t["person_id"], t["question"], t["seq"], t["time_start"])
             for t in store.turn_spans(documents)]
    people = {p["id"]: Person(p["id"], p["code"], p["role"], bool(p["is_group"]), json.loads(p["attributes"]), p["label"] or "")
              for p in store.people_rows()}
    speaker_attributes = {(s["document_id"], s["person_id"]): json.loads(s["attributes"]) for s in store.speaker_attribute_rows()}
    return Sources(codings, turns, people, store.attributes_by_document(), speaker_attributes,
                   {d["id"]: d["name"] for d in store.document_refs()})


def load_evidence(store, coder: str | None, codings_needed: bool = True, sources: Sources | None = None) -> Evidence:
    """The accepted codings of one coder (or the consensus of all) in the turns they cover."""
    sources = sources or evidence_sources(store)
    codings = sources.codings
    coders = sorted({c["coder"] for c in codings})
    # Without a need for codings, several coders and none chosen is no question to ask: no occurrences.
    chosen = _choose_coder(coders, coder) if codings_needed or (codings and (coder is not None or len(coders) == 1)) else ""
    placed = [c for c in codings if c["placement"] != "orphaned"]
    computed = chosen == CONSENSUS and CONSENSUS not in coders  # no adjudicated consensus coder yet
    mine = [c for c in placed if c["coder"] != CONSENSUS] if computed else [c for c in placed if c["coder"] == chosen]
    occurrences = _occurrences(mine, sources.turns)
    if computed:
        occurrences = _consensus(occurrences, mine)
    orphaned = sum(1 for c in codings if c["placement"] == "orphaned" and (computed or c["coder"] == chosen))
    return Evidence(occurrences, sources.turns, sources.people, sources.document_attributes, sources.speaker_attributes, chosen,
                    orphaned, sources.document_names, {c["id"] for c in mine if c["origin"].startswith(("rule:", "model:"))})


def _choose_coder(coders: list[str], coder: str | None) -> str:
    if not coders:
        raise UsageError("no accepted codings to count yet; code, or accept suggestions with `qualcode review`")
    if coder is None:
        if len(coders) > 1:
            raise UsageError(f"codings by {len(coders)} coders ({', '.join(coders)}); choose one with --coder, or --coder consensus")
        return coders[0]
    if coder != CONSENSUS and coder not in coders:
        raise UsageError(f"--coder {coder}: no accepted codings by that coder; the coders are {', '.join(coders)} (or consensus)")
    if coder == CONSENSUS and CONSENSUS not in coders and len(coders) < 2:
        raise UsageError(f"--coder consensus needs two coders or more; only {coders[0]} has coded")
    return coder


def _occurrences(codings: Iterable[dict], turns: list[Spoken]) -> list[Occurrence]:
    by_document: dict[int, list[Spoken]] = defaultdict(list)
    for turn in turns:
        by_document[turn.document].append(turn)
    starts = {d: [t.start for t in ts] for d, ts in by_document.items()}
    found = []
    for coding in codings:
        document, start, end = coding["document_id"], coding["start"], coding["end"]
        spoken = by_document.get(document, [])
        at = max(0, bisect_right(starts.get(document, []), start) - 1)
        while at < len(spoken) and spoken[at].start < max(end, start + 1):
            turn = spoken[at]
            if turn.end > start or (start == end == turn.start):
                found.append(Occurrence(coding["code"], document, start, end, turn, coding["action"], coding["coder"],
                                        coding["id"], bool(coding["disconfirming"])))
            at += 1
    return found


def _consensus(occurrences: list[Occurrence], codings: list[dict]) -> list[Occurrence]:
    """A code in a turn where every coder of that document coded it (as support, or every one as evidence
    against), counted once, as the whole turn (a document only one person coded counts as they coded it)."""
    coders_of: dict[int, set[str]] = defaultdict(set)
    for coding in codings:
        coders_of[coding["document_id"]].add(coding["coder"])
    who: dict[tuple[str, int, bool], set[str]] = defaultdict(set)  # support and evidence against agreed apart
    for occurrence in occurrences:
        who[occurrence.code, occurrence.turn.id, occurrence.disconfirming].add(occurrence.coder)
    agreed, seen = [], set()
    for occurrence in occurrences:
        key = (occurrence.code, occurrence.turn.id, occurrence.disconfirming)
        if key not in seen and who[key] >= coders_of[occurrence.document]:
            seen.add(key)
            turn = occurrence.turn
            agreed.append(Occurrence(occurrence.code, turn.document, turn.start, turn.end, turn, occurrence.action, CONSENSUS,
                                     disconfirming=occurrence.disconfirming))
    return agreed


# Narrowing the population.

def narrowed(evidence: Evidence, filters: dict[str, set[str]], constant_sample: str | None = None) -> Evidence:
    """Only the turns (and the codings in them) that pass every filter; with `constant_sample` (the wave
    attribute), only participants present in every wave."""
    known = evidence.attributes()
    for name in filters:
        if name not in known:
            raise UsageError(f"--filter {name}: no such attribute; known: {', '.join(known)}")

    def keep(turn: Spoken) -> bool:
        return all(evidence.value(name, turn) in values for name, values in filters.items())
    scope = [f"{name}={'/'.join(sorted(values))}" for name, values in filters.items()]
    expected = dict(evidence.expected)
    if constant_sample:
        stayers, expected[constant_sample] = _present_in_every_wave(evidence, constant_sample, keep)
        scope.append("present in every wave")
        kept = lambda turn: keep(turn) and turn.person in stayers  # noqa: E731
    else:
        kept = keep
    return replace(evidence, occurrences=[o for o in evidence.occurrences if kept(o.turn)],
                   turns=[t for t in evidence.turns if kept(t)], scope=evidence.scope + scope, expected=expected)


def _present_in_every_wave(evidence: Evidence, attribute: str, keep) -> tuple[set[int], set[str]]:
    """The participants present in every wave, and the waves. A participant is present in a wave if they
    speak in a document of that wave, or their own attributes (a roster's `1;2`) say so."""
    present: dict[int, set[str]] = defaultdict(set)
    for turn in evidence.turns:
        person = evidence.people.get(turn.person) if turn.person is not None else None
        if person is None or not person.is_participant or not keep(turn):
            continue
        wave = evidence.value(attribute, turn)
        present[person.id].update(_split(wave))
        own = person.attributes.get(attribute)
        present[person.id].update(_split(";".join(map(str, own)) if isinstance(own, list) else own))
    waves = set().union(*present.values()) if present else set()
    if len(waves) < 2:
        raise UsageError(f"--constant-sample: {len(waves)} wave(s) in the `{attribute}` attribute; it needs two or more "
                         "(set it with `qualcode attributes set DOC wave=1`, or tally.wave_attribute)")
    stayers = {person for person, seen in present.items() if seen >= waves}
    if not stayers:
        raise UsageError(f"--constant-sample: no participant is present in every wave ({', '.join(sorted(waves))}); "
                         "tally each wave with --by instead")
    return stayers, waves


def _split(value: str | None) -> set[str]:
    return {part.strip() for part in str(value).replace(",", ";").split(";") if part.strip()} if value else set()


# Counting.

def tally(evidence: Evidence, codebook: Codebook, unit: str = "participants", by: str | None = None,
          own: bool = False) -> Tally:
    if unit not in UNITS:
        raise UsageError(f"--unit {unit}: choose one of {', '.join(UNITS)}")
    if by is not None and by not in evidence.attributes():
        raise UsageError(f"--by {by}: no such attribute; known: {', '.join(evidence.attributes())}")
    counted = _codes_counted(codebook, unit)
    if unit == "actions" and not counted:
        raise UsageError("--unit actions: no code is counted as actions; give the codes that are `count_as: actions` in the codebook")
    own_keys: dict[str, dict[str | None, set]] = defaultdict(lambda: defaultdict(set))
    group_keys: dict[str, set[int]] = defaultdict(set)
    for occurrence in evidence.counted():
        if occurrence.code not in counted and (unit == "actions" or occurrence.code in codebook.codes):
            continue  # a code not counted in this unit (codes not in the codebook are shown apart, but have no `count_as`)
        key = unit_key(unit, occurrence, evidence.people)
        person = evidence.people.get(occurrence.turn.person) if occurrence.turn.person is not None else None
        if unit == "participants" and person is not None and person.is_group:
            group_keys[occurrence.code].add(person.id)
        if key is None:
            continue
        own_keys[occurrence.code][None].add(key)
        if by is not None:
            own_keys[occurrence.code][evidence.value(by, occurrence.turn)].add(key)
    population = _population(evidence, unit, by)
    base = _base(unit, population.get(None, set()), own_keys, evidence, None)
    if unit not in _NO_BASE and base.n == 0:
        raise UsageError(f"the base is zero: no {unit} in scope{_scope_text(evidence)}; widen the filters")
    values = sorted({v for v in population if v is not None} | evidence.expected.get(by, set())) if by else []
    if by is not None and unit in _NO_BASE:
        values = sorted({v for keys in own_keys.values() for v in keys if v is not None})
    bases = {v: _base(unit, population.get(v, set()), own_keys, evidence, by, v) for v in values}
    rows = _rows(codebook, counted, own_keys, group_keys, base if unit not in _NO_BASE else None, bases, own)
    notes = _notes(evidence, unit, rows) + [f"{by} {v}: no one in scope speaks in a document of it (present by their own "
                                            f"attributes only)." for v, b in bases.items() if b.n == 0 and unit not in _NO_BASE]
    unplaced = len(population.get(None, set()) - set().union(*(population.get(v, set()) for v in values))) if by else 0
    if unplaced and unit not in _NO_BASE:
        notes.append(f"{unplaced} of the {base.n} have no {by}: they are in the total, in no {by} column.")
    return Tally(unit, base, rows, evidence.coder, by, bases, own, notes)


def _codes_counted(codebook: Codebook, unit: str) -> set[str]:
    """Every code, or for actions the codes counted as actions (and the themes above them)."""
    if unit != "actions":
        return set(codebook.codes)
    return {c.id for c in codebook.codes.values() if c.count_as == "actions"}


def unit_key(unit: str, occurrence: Occurrence, people: dict[int, Person]) -> Hashable | None:
    """What one counts for an occurrence in this unit (None: it does not count in it)."""
    person = people.get(occurrence.turn.person) if occurrence.turn.person is not None else None
    if unit == "participants":
        return person.id if person is not None and person.is_participant else None
    if unit == "mentions":
        return occurrence.document, occurrence.start, occurrence.end
    if unit == "documents":
        return occurrence.document
    if unit == "actions":
        return ("action", occurrence.action) if occurrence.action else ("span", occurrence.document, occurrence.start, occurrence.end)
    is_answer = occurrence.turn.question is not None and person is not None and person.is_participant
    return occurrence.turn.id if is_answer else None


def _population(evidence: Evidence, unit: str, by: str | None) -> dict[str | None, set]:
    """The units in scope that could have been counted (the base), overall and per value of `by`."""
    found: dict[str | None, set] = defaultdict(set)
    for turn in evidence.turns:
        person = evidence.people.get(turn.person) if turn.person is not None else None
        if unit == "documents":
            key = turn.document
        elif person is None or not person.is_participant:
            continue
        elif unit == "responses":
            key = turn.id if turn.question is not None else None
        else:
            key = person.id
        if key is None:
            continue
        found[None].add(key)
        if by is not None:
            found[evidence.value(by, turn)].add(key)
    return found


def _base(unit: str, population: set, own_keys, evidence: Evidence, by: str | None, value: str | None = None) -> Base:
    where = f", {by} {value}" if by is not None else ""
    if unit in _NO_BASE:
        total = set().union(*(keys.get(value, set()) for keys in own_keys.values())) if own_keys else set()
        what = "coded segments" if unit == "mentions" else "actions"
        return Base(len(total), f"all {what}{where}{_scope_text(evidence)}")
    names = {"participants": _people_word(evidence), "documents": "documents", "responses": "survey responses"}
    return Base(len(population), f"all {names[unit]}{where}{_scope_text(evidence)}")


def _people_word(evidence: Evidence) -> str:
    return "respondents" if evidence.turns and all(t.question is not None for t in evidence.turns) else "participants"


def _scope_text(evidence: Evidence) -> str:
    return f" ({', '.join(evidence.scope)})" if evidence.scope else ""


def _rows(codebook: Codebook, counted: set[str], own_keys, group_keys, base: Base | None, bases: dict[str, Base],
          own: bool) -> list[TallyRow]:
    """A row per code in codebook order (themes above their descriptors), then codes the codebook lacks;
    `base` is None for units that have none."""
    def keys(code_id: str, value: str | None) -> set:
        if own:
            return own_keys[code_id].get(value, set()) if code_id in own_keys else set()
        union: set = set()
        for member in (code_id, *codebook.descendants(code_id)):
            if member in own_keys:
                union |= own_keys[member].get(value, set())
        return union

    def groups(code_id: str) -> int:
        members = (code_id,) if own else (code_id, *codebook.descendants(code_id))
        return len(set().union(*(group_keys.get(m, set()) for m in members)))

    def count(n: int, of: Base | None) -> Count:
        return Count(n, None if base is None or of is None else of.n)

    rows = []
    shown_codes = [c for c in codebook.codes.values()
                   if (c.id in counted or any(d in counted for d in codebook.descendants(c.id))) and not (c.retired and c.id not in own_keys)]
    for code in shown_codes:
        depth = codebook.path(code.id).count(" > ")
        rows.append(TallyRow(code.id, codebook.path(code.id), code.label, depth,
                             count(len(keys(code.id, None)), base),
                             {v: count(len(keys(code.id, v)), b) for v, b in bases.items()},
                             groups(code.id)))
    for stray in sorted(set(own_keys) - set(codebook.codes)):
        rows.append(TallyRow(stray, f"{stray} (not in the codebook)", stray, 0,
                             count(len(own_keys[stray][None]), base),
                             {v: count(len(own_keys[stray].get(v, set())), b) for v, b in bases.items()}, 0))
    return rows


def _notes(evidence: Evidence, unit: str, rows: list[TallyRow]) -> list[str]:
    notes = []
    if unit not in _NO_BASE:
        notes.append("Percentages are rounded, so they may not sum to 100.")
    if unit == "participants":
        notes.append("Interviewers are not counted" + ("; group codes are shown apart." if any(r.groups for r in rows) else "."))
    if evidence.orphaned:
        notes.append(f"{evidence.orphaned} orphaned coding(s) are not counted (`qualcode index --orphaned` lists them).")
    against = len({(o.coding, o.turn.id) if o.coding is None else o.coding for o in evidence.occurrences if o.disconfirming})
    if against:
        notes.append(f"{against} disconfirming coding(s) (evidence against a code) are not counted.")
    return notes


# Showing numbers.

def percent(count: Count, decimals: int = 0) -> float | int | None:
    """The share rounded half up (75.5 -> 76), as reports round."""
    if count.share is None:
        return None
    rounded = Decimal(repr(count.share)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return int(rounded) if decimals == 0 else float(rounded)


def shown(count: Count, unit: str, threshold: int = 30, decimals: int = 0) -> str:
    """`75%`, or `7 of 10` below the base threshold; `N=34` for mentions, `n=9` for actions."""
    if unit == "mentions":
        return f"N={count.n}"
    if unit == "actions":
        return f"n={count.n}"
    if not count.base:
        return "–"
    if count.base < threshold:
        return f"{count.n} of {count.base}"
    return f"{percent(count, decimals)}%"


def quantifier(count: Count, words: list[tuple[float, str]]) -> str:
    """The word for a share (thresholds from settings, highest first): `most`, `around half` …"""
    share = count.share
    if share is None:
        return ""
    for threshold, word in words:
        if share >= threshold:
            return word
    return ""


def table(result: Tally, as_words: bool = False, indent: str = "  ") -> tuple[list[dict], list[tuple[str, str]]]:
    """Rows for a table (code path, label indented by depth, count, percent, base, the shown figure, and
    the figure per group) and its columns as (key, header), headers carrying the unit and the base."""
    style = result.style

    def figure(count: Count) -> str:
        text = shown(count, result.unit, style.threshold, style.decimals)
        word = quantifier(count, list(style.words)) if as_words else ""
        return f"{word} ({text})" if word else text

    rows = []
    for row in result.rows:
        cells = {"code": row.path, "code_id": row.code, "label": indent * row.depth + row.label, "count": row.count.n,
                 "percent": percent(row.count, style.decimals), "base": row.count.base, "shown": figure(row.count)}
        for value, count in row.by.items():
            cells[f"{result.by}={value}"] = figure(count)
        if any(r.groups for r in result.rows):
            cells["groups"] = row.groups
        rows.append(cells)
    columns = [("label", "Code"), ("shown", unit_header(result.unit, result.base))]
    columns += [(f"{result.by}={value}", f"{result.by} {value} ({base_size(result.unit, base)})") for value, base in result.bases.items()]
    if any(r.groups for r in result.rows):
        columns.append(("groups", "Groups"))
    return rows, columns


def as_json(result: Tally) -> dict:
    """`{"unit", "base": {"n", "description"}, "rows": [{"code", "label", "count", "percent", …}], …}`,
    `code` the full path and `percent` null where the unit has no base."""
    def count(c: Count) -> dict:
        return {"count": c.n, "percent": percent(c, result.style.decimals), "base": c.base}

    return {
        "unit": result.unit,
        "base": {"n": result.base.n, "description": result.base.description},
        "coder": result.coder,
        "by": result.by,
        "bases": {value: {"n": b.n, "description": b.description} for value, b in result.bases.items()},
        "rows": [{"code": r.path, "id": r.code, "label": r.label, "depth": r.depth, **count(r.count), "groups": r.groups,
                  "by": {value: count(c) for value, c in r.by.items()}} for r in result.rows],
        "notes": result.notes,
    }


def unit_header(unit: str, base: Base) -> str:
    """`% of participants (n=20)`, `Mentions (N=303)`, `Actions (n=9)`."""
    if unit == "mentions":
        return f"Mentions (N={base.n})"
    if unit == "actions":
        return f"Actions (n={base.n})"
    what = {"participants": "participants", "documents": "documents", "responses": "responses"}[unit]
    if "respondents" in base.description:
        what = "respondents"
    return f"% of {what} ({base_size(unit, base)})"


def base_size(unit: str, base: Base) -> str:
    return f"N={base.n}" if unit == "mentions" else f"n={base.n}"


def base_line(result: Tally) -> str:
    """`Base: all participants (n=37); wave 1: n=8, wave 2: n=29`."""
    line = f"Base: {result.base.description} ({base_size(result.unit, result.base)})"
    if result.bases:
        line += "; " + ", ".join(f"{result.by} {value}: {base_size(result.unit, base)}" for value, base in result.bases.items())
    return line + f". Coder: {result.coder}." + (" Own codings only (no roll-up)." if result.own else "")


def read_words(setting) -> list[tuple[float, str]]:
    """`tally.words` from settings: a list of [lowest percentage, word], checked and sorted highest first."""
    try:
        pairs = [(float(threshold), str(word)) for threshold, word in setting]
    except (TypeError, ValueError):
        raise UsageError('tally.words in qualcode.toml: a list of [lowest percentage, word] pairs, e.g. [[100, "all"], [50, "half or more"]]') from None
    return sorted(pairs, key=lambda pair: -pair[0])

