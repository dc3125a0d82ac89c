"""`qualcode agree`: how far two (or more) coders agree, code by code, on units they were both given.

The unit is the turn by default (or the document): a code is present in a unit when the coder has an
accepted coding of it (or of a code under it) there. Every unit the coders were given counts, coded or
not: the turns of the latest recorded sample's documents (`qualcode sample`), or of every document when
no sample is recorded. Each comparison is recorded as a round (sample, coders, unit, codebook version,
results). Per code:
n units, percent agreement, Cohen's κ, Gwet's AC1 (beside κ, because κ collapses when a code is rare: the
prevalence paradox is flagged, not hidden); then a pooled row (every code × unit decision in one table)
and the mean of the codes' values. With three or more coders, Fleiss' κ replaces Cohen's.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from itertools import accumulate
from pathlib import Path
from statistics import mean

from .agreement import (brennan_prediger, cohen, confusion, fleiss, gwet_ac1, gwet_ac1_two, krippendorff_alpha, segment_agreement,
                        segment_summary, unitized)
from .codebook import Codebook
from .errors import InputFileError, UsageError
from .models import INTERVIEWER
from .tally import evidence_sources, load_evidence

UNITS = ("turn", "sentence", "paragraph", "document", "respondent", "character")
PARADOX = 0.2  # κ and AC1 further apart than this: a prevalence effect worth a note


@dataclass(frozen=True, slots=True)
class CodeAgreement:
    code: str
    path: str
    n_units: int
    percent_agreement: float
    kappa: float | None  # Cohen's for two coders, Fleiss' for more
    ac1: float | None
    coded: dict[str, int]  # units each coder coded with it
    more: dict[str, float | list | None] = field(default_factory=dict)  # with --all: CI, Brennan–Prediger, alpha

    @property
    def prevalence_flag(self) -> bool:
        return self.kappa is not None and self.ac1 is not None and abs(self.ac1 - self.kappa) > PARADOX


@dataclass(frozen=True, slots=True)
class Agreement:
    round: int
    sample: int | None
    coders: list[str]
    unit: str
    documents: int
    per_code: list[CodeAgreement]
    pooled: CodeAgreement
    averaged: dict[str, float | None]
    statistic: str  # "Cohen's kappa" or "Fleiss' kappa"


def agree(project, coders: list[str], unit: str = "turn", codes: list[str] | None = None, everything: bool = False,
          min_overlap: float = 0.9) -> Agreement:
    from .coding import project_codebook

    if unit not in UNITS:
        raise UsageError(f"--unit {unit}: choose one of {', '.join(UNITS)}")
    if not 0 < min_overlap <= 1:
        raise UsageError(f"--min-overlap {100 * min_overlap:g}: a percentage above 0 and at most 100, e.g. 90")
    if unit == "character" and len(coders) != 2:
        raise UsageError("--unit character compares two coders (NVivo's character agreement); name two")
    if len(coders) < 2 or len(set(coders)) < len(coders):
        raise UsageError("--coders: name two or more different coders, e.g. --coders anna ben")
    codebook = project_codebook(project)
    chosen = codebook.resolve_all(codes) if codes else list(codebook.codes)
    store = project.store
    samples = store.samples()
    sample = samples[-1] if samples else None
    documents = set(sample["documents"]) if sample else {d["id"] for d in store.document_refs()}
    respondents = set(sample["respondents"]) if sample and sample["respondents"] is not None else None
    if respondents is not None and unit in ("document", "character"):
        raise UsageError(f"--unit {unit}: sample {sample['id']} is of respondents; compare by respondent, turn (an answer), "
                         "sentence or paragraph")
    sampled = documents if sample else None  # read only what the sample holds (a query's IN list stays short)
    index = UnitIndex(store, unit, sampled, respondents)
    sources = evidence_sources(store, sampled)  # read once for every coder
    presence = {coder: _presence(store, coder, index, sources) for coder in coders}
    idle = [coder for coder, (_, coded) in presence.items() if not coded & documents]
    if idle:
        where = f"sample {sample['id']}" if sample else "any document"
        raise UsageError(f"{', '.join(idle)} coded nothing in {where}; the coders have no units in common to compare "
                         "(`qualcode codings import` brings a second coder's work in)")
    if not sample and not set.intersection(*(coded for _, coded in presence.values())):
        raise UsageError(f"{', '.join(coders)} coded no document in common; draw a sample for both to code "
                         "(`qualcode sample --fraction 0.2 --seed N`) and compare on it")
    if unit == "character":
        per_code, pooled = _characters(store, codebook, chosen, coders, documents, presence, everything, min_overlap)
    else:
        per_code = [_code_agreement(codebook, code_id, coders, presence, index.units, everything) for code_id in chosen]
        pooled = _pooled(coders, presence, index.units, codebook, _leaves(codebook, chosen), everything)
    used = [c for c in per_code if any(c.coded.values())]  # a code no one used agrees trivially: not in the mean
    averaged = {"percent_agreement": mean(c.percent_agreement for c in used) if used else None,
                "kappa": _mean(c.kappa for c in used), "ac1": _mean(c.ac1 for c in used)}
    result = Agreement(0, sample["id"] if sample else None, coders, unit, len(documents), per_code, pooled, averaged,
                       "Cohen's kappa" if len(coders) == 2 else "Fleiss' kappa")
    with store.unit_of_work():
        round_id = store.save_round(result.sample, coders, unit, codebook.version, as_json(result))
    return replace(result, round=round_id)


def rounds(project) -> list[dict]:
    """Every recorded round in order, with what changed since the one before (the codebook, the sample):
    the calibrate → revise → recode cycle as a methods section reports it."""
    found, previous = [], None
    for row in project.store.rounds():
        pooled, averaged = row["results"].get("pooled") or {}, row["results"].get("averaged") or {}
        kappa = pooled.get("cohen_kappa", pooled.get("fleiss_kappa"))
        found.append({"round": row["id"], "date": row["created_at"][:10], "sample": row["sample_id"], "coders": ", ".join(row["coders"]),
                      "unit": row["unit"], "codebook_version": row["codebook_version"],
                      "codebook_changed": previous is not None and previous["codebook_version"] != row["codebook_version"],
                      "percent_agreement": pooled.get("percent_agreement"), "kappa": kappa, "ac1": pooled.get("ac1"),
                      "mean_kappa": averaged.get("kappa"), "codes": len(row["results"].get("per_code", []))})
        previous = row
    return found


def _leaves(codebook: Codebook, chosen: list[str]) -> list[str]:
    """The chosen codes none of whose descendants are chosen too: a pooled row counts each coding once."""
    picked = set(chosen)
    return [code for code in chosen if not picked & set(codebook.descendants(code))]


def _mean(values) -> float | None:
    present = [v for v in values if v is not None]
    return mean(present) if present else None


class UnitIndex:
    """The units the coders were given (every one, coded or not) and the units an occurrence falls in.

    turn: the turns of the sample's documents (of its respondents, for a respondent sample); document;
    respondent: a survey respondent in a document (all their answers); sentence and paragraph: spans of
    those turns, found by offsets; character: spans compared as they are (no fixed units)."""

    def __init__(self, store, unit: str, documents: set[int] | None, respondents: set[int] | None):
        self.unit = unit
        interviewers = {p["id"] for p in store.people_rows() if p["role"] == INTERVIEWER}
        every = [t for t in store.turn_spans(documents) if respondents is None or t["person_id"] in respondents]
        # Interviewers' questions are never coded: as units they would only add agreement on nothing.
        turns = every if unit in ("document", "character") else [t for t in every if t["person_id"] not in interviewers]
        self.spans: dict[int, tuple[list[int], list[tuple]]] = {}  # document -> (unit starts, unit keys), for sentences
        if unit == "turn":
            self.units = [(t["document_id"], t["id"]) for t in turns]
        elif unit == "document":
            self.units = sorted({(t["document_id"],) for t in turns})
        elif unit == "respondent":
            self.units = sorted({(t["document_id"], t["person_id"]) for t in turns if t["question"] is not None and t["person_id"]})
            if not self.units:
                raise UsageError("--unit respondent: these documents have no survey respondents; use --unit turn or document")
        elif unit in ("sentence", "paragraph"):
            self.units = self._spans(store, turns)
        else:
            self.units = []
        self.known = set(self.units)

    def _spans(self, store, turns: list[dict]) -> list[tuple]:
        from .models import Script, Turn
        from .script import paragraph_spans, sentence_spans

        split = sentence_spans if self.unit == "sentence" else paragraph_spans
        units: list[tuple] = []
        by_document: dict[int, list[dict]] = {}
        for turn in turns:
            by_document.setdefault(turn["document_id"], []).append(turn)
        for document, own in by_document.items():
            script = Script(store.document_text(document), [Turn(t["seq"], None, None, None, t["start"], t["end"]) for t in own])
            spans = split(script)
            keys = [(document, span.start, span.end) for span in spans]
            self.spans[document] = ([span.start for span in spans], keys)
            units += keys
        if turns and all(t["question"] is not None for t in turns) and len(units) <= len(turns):
            raise UsageError(f"--unit {self.unit}: no survey answer here has more than one {self.unit}, so they are the "
                             "answers themselves; use --unit turn (or respondent)")
        return units

    def keys_for(self, occurrence) -> list[tuple]:
        """The units an accepted coding's occurrence in a turn falls in (none outside the units given)."""
        unit, document = self.unit, occurrence.document
        if unit == "character":
            return [(document, occurrence.start, occurrence.end)]
        if unit in ("sentence", "paragraph"):
            starts, keys = self.spans.get(document, ((), ()))
            first = max(bisect_right(starts, occurrence.start) - 1, 0)
            return [key for key in keys[first:bisect_left(starts, occurrence.end)] if key[1] < occurrence.end and occurrence.start < key[2]]
        key = {"turn": (document, occurrence.turn.id), "document": (document,),
               "respondent": (document, occurrence.turn.person)}[unit]
        return [key] if key in self.known else []


def _presence(store, coder: str, index: UnitIndex, sources) -> tuple[dict[str, set], set[int]]:
    """For one coder: code -> the units where it is present; and the documents they coded."""
    by_code: dict[str, set] = {}
    if not any(c["coder"] == coder for c in sources.codings) and coder in store.coders_of_record():
        return by_code, set()  # nothing in the sample's documents: said as such by the caller
    evidence = load_evidence(store, coder, sources=sources)
    for occurrence in evidence.occurrences:
        by_code.setdefault(occurrence.code, set()).update(index.keys_for(occurrence))
    return by_code, {o.document for o in evidence.occurrences}


def _characters(store, codebook: Codebook, chosen: list[str], coders: list[str], documents: set[int], presence: dict,
                everything: bool, min_overlap: float) -> tuple[list[CodeAgreement], CodeAgreement]:
    """NVivo's character agreement: per code (and per code × document, in `more`), the characters each
    coder coded, both coded and neither; κ and AC1 from that 2 × 2 table. With `everything`, per code
    |uα and MAXQDA-style segment agreement, and uα, cuα and segment κ over all codes."""
    from .agreement import nvivo

    placed = {coder: _by_document(presence[coder][0]) for coder in coders}  # code -> document -> [(start, end)]
    order = sorted(documents)
    lengths = {d: len(store.document_text(d)) for d in order}
    offsets = dict(zip(order, accumulate([0, *(lengths[d] for d in order)])))  # the documents end to end: one continuum
    extent = sum(lengths.values())
    names = {d["id"]: d["name"] for d in store.document_refs()}
    rows, pooled, segments = [], [0, 0, 0, 0], [0, 0]  # pooled: total, first, second, both; segments: agreeing, all
    leaves = set(_leaves(codebook, chosen))
    for code_id in chosen:
        members = (code_id, *codebook.descendants(code_id))
        counts, by_document, matched, continuum = [0, 0, 0, 0], [], [0, 0], ([], [])
        for document in order:
            first, second = (_merged(s for m in members for s in placed[c].get(m, {}).get(document, ())) for c in coders)
            found = (lengths[document], _length(first), _length(second), _overlap(first, second))
            counts = [a + b for a, b in zip(counts, found)]
            if found[1] or found[2]:
                one = nvivo(*found)
                by_document.append({"document": names[document], "agreement": one.agreement, "kappa": one.kappa})
            if everything:
                matched = [a + b for a, b in zip(matched, segment_agreement(first, second, min_overlap))]
                for spans, stretch in zip((first, second), continuum):
                    stretch += [(offsets[document] + a, offsets[document] + b, "coded") for a, b in spans]
        if code_id in leaves:
            pooled = [a + b for a, b in zip(pooled, counts)]
            segments = [a + b for a, b in zip(segments, matched)]
        row = _character_row(code_id, codebook.path(code_id), coders, counts, by_document)
        if everything:
            share = segment_summary(*matched, 1)
            row = replace(row, more={**row.more, "u_alpha_binary": unitized(list(continuum), extent).alpha,
                                     "segment_agreement": share.percent, "segments": share.segments})
        rows.append(row)
    total = _character_row("pooled", "All codes (pooled)", coders, pooled, [])
    if everything:
        total = replace(total, more=_pooled_unitized(placed, coders, list(leaves), order, offsets, extent, segments, min_overlap))
    return rows, total


def _by_document(by_code: dict[str, set]) -> dict[str, dict[int, list[tuple[int, int]]]]:
    grouped: dict[str, dict[int, list[tuple[int, int]]]] = {}
    for code, places in by_code.items():
        for document, start, end in places:
            grouped.setdefault(code, {}).setdefault(document, []).append((start, end))
    return grouped


def _pooled_unitized(placed, coders, chosen, order, offsets, extent, segments, min_overlap) -> dict:
    """uα (nominal) and cuα over every code as coded, when each coder's codings of different codes never
    overlap (unitizing needs one value per stretch); and the pooled segment agreement with its κ."""
    continuum, crossing = [], False
    for coder in coders:
        stretches = sorted((offsets[d] + a, offsets[d] + b, code) for code in chosen for d in order
                           for a, b in _merged(placed[coder].get(code, {}).get(d, ())))
        crossing = crossing or any(later[0] < earlier[1] for earlier, later in zip(stretches, stretches[1:]))
        continuum.append(stretches)
    used = sum(1 for code in chosen if any(placed[c].get(code) for c in coders))
    share = segment_summary(*segments, used)
    found = unitized(continuum, extent) if not crossing else None
    return {"u_alpha_nominal": found.alpha if found else None, "cu_alpha": found.coding if found else None,
            "unitized_note": "" if found else "a coder's codings of different codes overlap: uα and cuα need one code per stretch",
            "segment_agreement": share.percent, "segment_kappa": share.kappa, "segments": share.segments,
            "min_overlap": min_overlap}


def _character_row(code_id: str, path: str, coders: list[str], counts: list[int], by_document: list[dict]) -> CodeAgreement:
    from .agreement import nvivo

    total, first, second, both = counts
    table = [[total - first - second + both, second - both], [first - both, both]]
    found = nvivo(total, first, second, both)
    return CodeAgreement(code_id, path, total, found.agreement, found.kappa, gwet_ac1_two(table).value if total else None,
                         {coders[0]: first, coders[1]: second}, {"by_document": by_document} if by_document else {})


def _merged(spans) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


def _length(spans: list[tuple[int, int]]) -> int:
    return sum(end - start for start, end in spans)


def _overlap(first: list[tuple[int, int]], second: list[tuple[int, int]]) -> int:
    return sum(max(0, min(a2, b2) - max(a1, b1)) for a1, a2 in first for b1, b2 in second)


def _labels(codebook: Codebook, code_id: str, by_code: dict[str, set], units: list[tuple]) -> list[int]:
    present = set().union(*(by_code.get(member, set()) for member in (code_id, *codebook.descendants(code_id))))
    return [int(u in present) for u in units]


def _code_agreement(codebook: Codebook, code_id: str, coders: list[str], presence, units: list[tuple],
                    everything: bool) -> CodeAgreement:
    labels = {coder: _labels(codebook, code_id, presence[coder][0], units) for coder in coders}
    return _with_more(_statistics(code_id, codebook.path(code_id), coders, labels), coders, labels, everything)


def _pooled(coders: list[str], presence, units: list[tuple], codebook: Codebook, chosen: list[str], everything: bool) -> CodeAgreement:
    labels = {coder: [label for code_id in chosen for label in _labels(codebook, code_id, presence[coder][0], units)]
              for coder in coders}
    return _with_more(_statistics("pooled", "All codes (pooled)", coders, labels), coders, labels, everything)


def _with_more(row: CodeAgreement, coders: list[str], labels: dict[str, list[int]], everything: bool) -> CodeAgreement:
    """With --all: κ's 95 % interval (two coders), Brennan–Prediger κ and Krippendorff's α (binary)."""
    if not everything:
        return row
    units = [list(values) for values in zip(*(labels[coder] for coder in coders))]
    more: dict = {"krippendorff_alpha": krippendorff_alpha(units)}
    if len(coders) == 2:
        table = confusion(labels[coders[0]], labels[coders[1]], [0, 1])[1]
        kappa = cohen(table)
        more["cohen_kappa_ci95"] = list(kappa.ci95) if kappa.ci95 else None
        more["brennan_prediger"] = brennan_prediger(table, 2)
    else:
        more["fleiss_kappa"] = row.kappa
    return replace(row, more=more)


def _statistics(code_id: str, path: str, coders: list[str], labels: dict[str, list[int]]) -> CodeAgreement:
    coded = {coder: sum(labels[coder]) for coder in coders}
    if len(coders) == 2:  # from the 2 x 2 table alone: fast over tens of thousands of units
        first, second = labels[coders[0]], labels[coders[1]]
        both = sum(a & b for a, b in zip(first, second))
        table = [[len(first) - coded[coders[0]] - coded[coders[1]] + both, coded[coders[1]] - both],
                 [coded[coders[0]] - both, both]]
        if not len(first):
            raise UsageError("no units to compare")
        return CodeAgreement(code_id, path, len(first), (table[0][0] + table[1][1]) / len(first), cohen(table).kappa,
                             gwet_ac1_two(table).value, coded)
    rows = [list(row) for row in zip(*(labels[coder] for coder in coders))]
    if not rows:
        raise UsageError("no units to compare")
    agreeing = sum(1 for row in rows if len(set(row)) == 1) / len(rows)
    return CodeAgreement(code_id, path, len(rows), agreeing, fleiss(rows, [0, 1]).value, gwet_ac1(rows, [0, 1]).value, coded)


def as_rows(result: Agreement, decimals: int = 2) -> list[dict]:
    def shown(value: float | None) -> str:
        return "–" if value is None else f"{value:.{decimals}f}"

    rows = []
    for row in [*result.per_code, result.pooled]:
        ci = row.more.get("cohen_kappa_ci95")
        rows.append({"code": row.path, "n_units": row.n_units, "percent_agreement": f"{100 * row.percent_agreement:.0f}%",
                     "kappa": shown(row.kappa), "ac1": shown(row.ac1), "flag": "prevalence" if row.prevalence_flag else "",
                     "ci95": f"{shown(ci[0])} to {shown(ci[1])}" if ci else "", "bp": shown(row.more.get("brennan_prediger")),
                     "alpha": shown(row.more.get("krippendorff_alpha")), **_unitized_cells(row.more, shown),
                     **{f"coded by {coder}": count for coder, count in row.coded.items()}})
    averaged = result.averaged
    rows.append({"code": "Mean of the codes", "n_units": "", "percent_agreement":
                 f"{100 * averaged['percent_agreement']:.0f}%" if averaged["percent_agreement"] is not None else "–",
                 "kappa": shown(averaged["kappa"]), "ac1": shown(averaged["ac1"]), "flag": ""})
    return rows


def _unitized_cells(more: dict, shown) -> dict:
    """|uα per code, uα and cuα over all codes, and the segments that agree (pooled: with κ)."""
    if "segments" not in more:
        return {}
    share = more["segment_agreement"]
    segments = f"{100 * share:.0f}% of {more['segments']}" if share is not None else "–"
    if "segment_kappa" in more:
        segments += f" (κ {shown(more['segment_kappa'])})"
    return {"u_alpha": shown(more.get("u_alpha_binary", more.get("u_alpha_nominal"))), "cu_alpha": shown(more.get("cu_alpha")),
            "segments": segments}


def as_json(result: Agreement) -> dict:
    def code(row: CodeAgreement) -> dict:
        return {"code": row.path, "id": row.code, "n_units": row.n_units, "percent_agreement": row.percent_agreement,
                "cohen_kappa" if len(result.coders) == 2 else "fleiss_kappa": row.kappa, "ac1": row.ac1,
                "prevalence_flag": row.prevalence_flag, "coded": row.coded, **row.more}
    return {"round": result.round or None, "sample": result.sample, "unit": result.unit, "coders": result.coders,
            "documents": result.documents,
            "per_code": [code(row) for row in result.per_code], "pooled": code(result.pooled), "averaged": result.averaged}


def methods_note(result: Agreement) -> str:
    given = f"the {result.documents} document(s) of sample {result.sample}" if result.sample else f"all {result.documents} document(s)"
    n = result.per_code[0].n_units if result.per_code else 0
    spoken = " (interviewers' turns left out)" if result.unit in ("turn", "sentence", "paragraph") else ""
    return (f"Round {result.round}: agreement between {', '.join(result.coders)} on code presence per {result.unit} in "
            f"{given} (n = {n} {result.unit}s per code{spoken}, coded or not): "
            f"{result.statistic} and Gwet's AC1 per code; 'prevalence' marks codes where the two differ by more than "
            f"{PARADOX}, as when a code is rare. The pooled row counts each coding once (under its own code, not again "
            "under the codes above it); the mean is over the codes someone used." + _unitized_note(result.pooled.more))


def _unitized_note(more: dict) -> str:
    if "min_overlap" not in more:
        return ""
    note = (" Over the documents as one continuum of characters: Krippendorff's |uα per code and uα and cuα over all codes "
            "(Krippendorff, Mathet, Bouvry & Widlöcher 2016); a coded segment agrees when the other coder's segment of the "
            f"same code overlaps it by at least {100 * more['min_overlap']:g}% of their union (as MAXQDA), κ with "
            "Brennan and Prediger's chance agreement of one over the codes used.")
    return note + (f" uα and cuα are not given: {more['unitized_note']}." if more["unitized_note"] else "")


# Ratings: raters' sheets of case × theme ratings (Red/Amber/Green or any scale).

LEVELS = ("nominal", "ordinal", "interval", "ratio")


@dataclass(frozen=True, slots=True)
class RatingRow:
    theme: str
    cases: int  # cases someone rated
    rated: dict[str, int]  # cases each rater rated
    exact: float | None  # share of the cases all raters rated where they gave the same rating
    alpha: float | None  # Krippendorff's α at the level asked for, missing ratings allowed


def rating_agreement(project, sheets: list[Path], level: str = "ordinal", case: str | None = None) -> tuple[list[RatingRow], RatingRow]:
    """How far raters agree on a ratings sheet each (`matrix ratings` format): per theme and over all,
    Krippendorff's α on the scale's scores (ordinal by default: Red < Amber < Green) with missing ratings."""
    from .framework import ratings, read_scale

    if level not in LEVELS:
        raise UsageError(f"--level {level}: choose one of {', '.join(LEVELS)}")
    if len(sheets) < 2:
        raise UsageError("--ratings: give two or more raters' sheets, e.g. --ratings anna.xlsx --ratings ben.xlsx")
    raters = [path.stem for path in sheets]
    if len(set(raters)) < len(raters):
        raise UsageError("--ratings: the sheets' file names name the raters; give each rater's sheet its own name")
    matrices = [ratings(project, path, case) for path in sheets]
    themes = [c for c in matrices[0].columns if c not in ("score", "rank")]
    for path, matrix in zip(sheets[1:], matrices[1:]):
        other = [c for c in matrix.columns if c not in ("score", "rank")]
        if sorted(other) != sorted(themes):
            raise InputFileError(path, f"its themes ({', '.join(other)}) are not {sheets[0].name}'s ({', '.join(themes)})",
                                 line=1, hint="rate the same themes in every sheet")
    scores = {r.label: r.score for r in read_scale(project.settings["matrix.rating_scale"])}
    cases = list(dict.fromkeys(name for matrix in matrices for name in matrix.rows))

    def value(matrix, name, theme):
        label = matrix.cells.get((name, theme), "")
        return scores[label] if label else None

    rows, everything = [], []
    for theme in themes:
        units = [[value(matrix, name, theme) for matrix in matrices] for name in cases]
        units = [unit for unit in units if any(v is not None for v in unit)]
        everything += units
        rows.append(_rating_row(theme, raters, units, level))
    pooled = _rating_row("All themes (pooled)", raters, everything, level)
    from .coding import project_codebook

    results = {"per_code": [{"code": r.theme, "krippendorff_alpha": r.alpha, "exact": r.exact} for r in rows],
               "pooled": {"percent_agreement": pooled.exact, "krippendorff_alpha": pooled.alpha}}
    with project.store.unit_of_work():  # a comparison like any other: a round
        project.store.save_round(None, raters, f"ratings ({level})", project_codebook(project).version, results)
    return rows, pooled


def _rating_row(theme: str, raters: list[str], units: list[list], level: str) -> RatingRow:
    complete = [unit for unit in units if all(v is not None for v in unit)]
    exact = sum(1 for unit in complete if len(set(unit)) == 1) / len(complete) if complete else None
    rated = {rater: sum(1 for unit in units if unit[i] is not None) for i, rater in enumerate(raters)}
    return RatingRow(theme, len(units), rated, exact, krippendorff_alpha(units, level))
