"""Quote banks and evidence tables: what the report author pastes into the draft.

A quote bank groups quotes under theme headings in one of the house styles (domain.md §4), balanced
across speakers and sites, capped per theme, with a short inline phrase for each and the evidence
against each theme in its own section. An evidence table gives each theme (or descriptor, under
its theme as a heading) one exemplar and a figure in any tally unit. Both carry a trace (quote id →
document, turn, line, time) and the facts a methods note states.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .codebook import Codebook
from .errors import UsageError
from .matrix import chosen_codes
from .quotes import CHOSEN, Balance, Candidates, Quote, candidates, choose, inline_phrase, window_from
from .script import TextCache
from .tally import Evidence, Tally, project_evidence, shown, style_from, tally, unit_header

STYLES = ("inline", "role", "attribution")
MARKS = {"single": ("\u2018", "\u2019"), "double": ("\u201c", "\u201d")}


@dataclass(frozen=True, slots=True)
class QuoteStyle:
    house: str = "inline"
    marks: str = "single"
    attribution: str = "{code}"

    def quoted(self, text: str) -> str:
        opening, closing = MARKS[self.marks]
        return f"{opening}{text}{closing}"


@dataclass(frozen=True, slots=True)
class Printed:
    """A quote with what prints beside it."""

    quote: Quote
    attribution: str  # `C3`, `Coach`, `ES, Anchor`
    phrase: str


@dataclass(slots=True)
class Section:
    code: str
    label: str
    quotes: list[Printed]
    against: list[Printed]  # disconfirming evidence


@dataclass(slots=True)
class Facts:
    """What a methods note states."""

    coder: str
    codebook_version: str
    machine_share: float | None  # of the codings counted, the share accepted from machine suggestions
    edited: int  # quotes whose wording an author edited
    units: list[str] = field(default_factory=list)
    unchecked: bool = False  # written without the leak check (--no-leak-check)


@dataclass(slots=True)
class Bank:
    title: str
    sections: list[Section]
    style: QuoteStyle
    facts: Facts
    warnings: list[str]

    def quotes(self) -> list[Printed]:
        return [p for s in self.sections for p in (*s.quotes, *s.against)]


@dataclass(frozen=True, slots=True)
class EvidenceRow:
    code: str
    label: str
    heading: bool  # a group row (a theme above its descriptors)
    exemplar: Printed | None
    figure: str
    speaker_type: str
    ratification: str = ""  # readers' marks on the theme: `2 ratified, 1 queried`


@dataclass(slots=True)
class EvidenceTable:
    title: str
    rows: list[EvidenceRow]
    figure_header: str
    tally: Tally
    style: QuoteStyle
    facts: Facts
    warnings: list[str]
    speaker_types: bool = False

    @property
    def ratified(self) -> bool:
        """Whether any theme has readers' marks (the table then has a column for them)."""
        return any(row.ratification for row in self.rows)


def quote_style(settings, house: str | None = None, marks: str | None = None) -> QuoteStyle:
    house, marks = house or settings["quotes.style"], marks or settings["quotes.marks"]
    if house not in STYLES:
        raise UsageError(f"--style {house}: choose one of {', '.join(STYLES)} (or set [quotes] style)")
    if marks not in MARKS:
        raise UsageError(f"--marks {marks}: choose single or double (or set [quotes] marks)")
    return QuoteStyle(house, marks, settings["quotes.attribution"])


class _Workspace:
    """The evidence, candidates and settings one bank or table is built from."""

    def __init__(self, project, coder, filters, speaker: str | None = None):
        self.project = project
        self.evidence, self.codebook = project_evidence(project, coder, filters)
        self.window = window_from(project.settings)
        texts = TextCache(project.store.document_text)
        found = candidates(self.evidence, texts, self.window, project.store.quote_decisions(), project.store.starred_codings())
        if speaker is not None:
            found = Candidates({c: [q for q in qs if q.speaker == speaker] for c, qs in found.by_code.items()}, found.problems)
            if not any(found.by_code.values()):
                raise UsageError(f"--speaker {speaker}: no quotes by that speaker code; `qualcode speakers` lists the codes")
        self.candidates = found
        self.balance_attribute = project.settings["quotes.balance"]

    def under(self, code_id: str) -> list[Quote]:
        """The candidates of a code and the codes beneath it."""
        return [q for member in (code_id, *self.codebook.descendants(code_id)) for q in self.candidates.by_code.get(member, [])]

    def remember(self, quotes: list[Quote]) -> dict[tuple[str, int], int]:
        """Give machine-chosen quotes their lasting ids (in one unit of work)."""
        store = self.project.store
        with store.unit_of_work():
            return store.remember_quotes([(q.code, q.coding, q.reason) for q in quotes if q.id is None])

    def facts(self, units: list[str]) -> Facts:
        codings = {o.coding for o in self.evidence.occurrences if o.coding is not None}
        machine = len(codings & self.evidence.machine_made)
        return Facts(self.evidence.coder, self.codebook.version, machine / len(codings) if codings else None, 0, units)


def build_bank(project, *, codes: list[str] | None = None, level: int | None = 1, per_theme: int | None = None,
               filters: dict[str, set[str]] | None = None, speaker: str | None = None, coder: str | None = None,
               house: str | None = None, marks: str | None = None) -> Bank:
    """`qualcode quotes`: up to `per_theme` quotes under each theme, evidence against it apart."""
    return _bank(_Workspace(project, coder, filters, speaker), codes, level, per_theme, quote_style(project.settings, house, marks))


@dataclass(slots=True)
class ThemeFigures:
    """Each theme's figure as a report prints it, and what the figures count (unit and base)."""

    figures: dict[str, str]
    header: str  # what a figure is: `% of participants (n=20)`
    base: str


def build_bank_with_figures(project, *, codes: list[str] | None = None, level: int | None = 1, per_theme: int | None = None,
                            coder: str | None = None, unit: str = "participants") -> tuple[Bank, ThemeFigures]:
    """A quote bank and each theme's tally from one reading of the evidence (a ratification pack)."""
    work = _Workspace(project, coder, None)
    bank = _bank(work, codes, level, per_theme, quote_style(project.settings, None, None))
    return bank, _figures(project, tally(work.evidence, work.codebook, unit), unit)


def _figures(project, counted: Tally, unit: str) -> ThemeFigures:
    style = style_from(project.settings)
    return ThemeFigures({row.code: shown(row.count, unit, style.threshold, style.decimals) for row in counted.rows},
                        unit_header(unit, counted.base), f"{unit_header(unit, counted.base)}: {counted.base.description}")


def _bank(work: _Workspace, codes: list[str] | None, level: int | None, per_theme: int | None, style: QuoteStyle) -> Bank:
    cap = per_theme if per_theme is not None else work.project.settings["quotes.per_theme"]
    if not isinstance(cap, int) or cap < 1:
        raise UsageError(f"--per-theme {cap}: one or more")
    themes = chosen_codes(work.codebook, level, codes)
    picked: list[tuple[str, list[Quote], list[Quote]]] = []
    used: set = set()  # across the bank: a quote under a second theme only when nothing else will do
    for theme in themes:
        pool = work.under(theme)
        supporting = choose([q for q in pool if not q.disconfirming], work.evidence, work.window,
                            Balance(work.balance_attribute, used=used), cap)
        against = choose([q for q in pool if q.disconfirming], work.evidence, work.window, Balance(work.balance_attribute, used=used), cap)
        picked.append((theme, supporting, against))
    ids = work.remember([q for _, s, a in picked for q in (*s, *a)])
    sections = [Section(theme, work.codebook.codes[theme].label, [_printed(work, ids, q, style) for q in s],
                        [_printed(work, ids, q, style) for q in a]) for theme, s, a in picked]
    facts = work.facts([])
    facts.edited = sum(p.quote.edited for s in sections for p in (*s.quotes, *s.against))
    warnings = [*work.candidates.problems, *_reused(sections)]
    return Bank("Quote bank", sections, style, facts, warnings)


def _printed(work: _Workspace, ids: dict, quote: Quote, style: QuoteStyle) -> Printed:
    if quote.id is None:
        quote = replace(quote, id=ids[quote.code, quote.coding])
    return Printed(quote, attribution(work.evidence, quote, style), inline_phrase(quote))


def attribution(evidence: Evidence, quote: Quote, style: QuoteStyle) -> str:
    """What stands after the quote: the speaker code, their role, or the attribution template."""
    role = _speaker_type(evidence, quote)
    if style.house == "inline":
        return quote.speaker
    if style.house == "role":
        return role[:1].upper() + role[1:]
    values = {"code": quote.speaker, "role": role, "document": quote.document_name}

    class Known(dict):
        def __missing__(self, name):
            return evidence.value(name, quote.turn) or "?"
    try:
        return style.attribution.format_map(Known(values))
    except (ValueError, IndexError):
        raise UsageError(f"[quotes] attribution = {style.attribution!r}: write names in braces, e.g. \"{{site}}, {{source}}\"") from None


def _reused(sections: list[Section]) -> list[str]:
    seen: dict[tuple, Printed] = {}
    labels: dict[tuple, str] = {}
    warnings = []
    for section in sections:
        for printed in (*section.quotes, *section.against):
            key = (printed.quote.document, printed.quote.spans)
            if key in seen and labels[key] != section.label:
                warnings.append(f"{seen[key].quote.label} under {labels[key]!r} and {printed.quote.label} under "
                                f"{section.label!r} are the same passage")
            seen.setdefault(key, printed)
            labels.setdefault(key, section.label)
    return warnings


def build_evidence_table(project, *, unit: str = "participants", codes: list[str] | None = None, level: int | None = 1,
                         group: bool = False, speaker_types: bool = False, filters: dict[str, set[str]] | None = None,
                         coder: str | None = None, house: str | None = None, marks: str | None = None) -> EvidenceTable:
    """`qualcode table evidence`: per theme (or descriptor, under theme headings with `group`) one
    exemplar and a figure in `unit`. The same quote is never the exemplar of two rows without a warning."""
    work = _Workspace(project, coder, filters)
    style = quote_style(project.settings, house, marks)
    counted = tally(work.evidence, work.codebook, unit)
    figures = _figures(project, counted, unit).figures
    rows_codes = chosen_codes(work.codebook, (level or 1) + 1 if group and not codes else level, codes)
    balance = Balance(work.balance_attribute)
    picked: list[tuple[str, bool, Quote | None]] = []
    for parent, members in _grouped(work.codebook, rows_codes, group):
        if parent is not None:
            picked.append((parent, True, None))
        for code_id in members:
            fresh = [q for q in work.under(code_id) if not q.disconfirming and (q.document, q.spans) not in balance.used]
            pool = fresh or [q for q in work.under(code_id) if not q.disconfirming]
            chosen = choose(pool, work.evidence, work.window, balance, 1)
            picked.append((code_id, False, chosen[0] if chosen else None))
    ids = work.remember([q for _, _, q in picked if q is not None])
    from .ratify import by_code, summary

    marks = by_code(project)
    rows = [EvidenceRow(code_id, work.codebook.codes[code_id].label, heading,
                        _printed(work, ids, quote, style) if quote else None, "" if heading else figures.get(code_id, ""),
                        _speaker_type(work.evidence, quote) if quote else "", summary(marks.get(code_id, [])))
            for code_id, heading, quote in picked]
    facts = work.facts([f"{unit_header(unit, counted.base)}: {counted.base.description}"])
    facts.edited = sum(1 for r in rows if r.exemplar and r.exemplar.quote.edited)
    warnings = [*work.candidates.problems, *_repeated_exemplars(rows)]
    return EvidenceTable("Evidence table", rows, unit_header(unit, counted.base), counted, style, facts, warnings, speaker_types)


def _grouped(codebook: Codebook, codes: list[str], group: bool) -> list[tuple[str | None, list[str]]]:
    if not group:
        return [(None, codes)]
    groups: dict[str | None, list[str]] = {}
    for code_id in codes:
        groups.setdefault(codebook.codes[code_id].parent, []).append(code_id)
    return list(groups.items())


def _speaker_type(evidence: Evidence, quote: Quote) -> str:
    person = evidence.people.get(quote.person)
    role = (person.attributes.get("role") or person.kind) if person else ""
    return ";".join(role) if isinstance(role, list) else str(role)


def _repeated_exemplars(rows: list[EvidenceRow]) -> list[str]:
    seen: dict[tuple, str] = {}
    warnings = []
    for row in rows:
        if row.exemplar is None:
            continue
        key = (row.exemplar.quote.document, row.exemplar.quote.spans)
        if key in seen:
            warnings.append(f"{row.exemplar.quote.label} is the exemplar of both {seen[key]!r} and {row.label!r}")
        seen.setdefault(key, row.label)
    return warnings


def machine_note(quotes: list[Printed]) -> str:
    mine = sum(1 for p in quotes if p.quote.status == CHOSEN)
    return (f"{mine} of {len(quotes)} quote(s) are machine-chosen (marked *) until an author confirms or pins them "
            "(`qualcode quote confirm Q12`)") if mine else ""

