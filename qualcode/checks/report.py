"""`qualcode check report FILE`: what published reports get wrong, checked before they are published.

On a table qualcode wrote (CSV or XLSX, perhaps edited since) or a draft report (.docx):

- totals: a row called Total must be the sum of the rows above it; percentages must agree with their
  count and base; a score must be the sum of its ratings on the scale, and ranks must follow scores;
- quotes (in a draft): every quoted passage with an attribution must be in a transcript, in order
  (`[...]` cuts and bracketed additions allowed), spoken by the person the attribution names; the same
  passage must not stand twice, or under two themes; two quotes that are nearly the same are flagged;
- names: the leak check runs over the whole text;
- figures: every "Figure N" the text refers to needs a caption.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputFileError, UsageError

# The closing mark is the one followed by an attribution, so apostrophes (it’s) inside a quote are text.
_INLINE_QUOTE = re.compile(r"[‘“\"'](.{12,}?)[’”\"']\s*\(([^()]{1,60})\)")
_FIGURE_REFERENCE = re.compile(r"\bFig(?:ure)?s?\.?\s+(\d+(?:\s*(?:,|and|&|–|-)\s*\d+)*)", re.IGNORECASE)
_CAPTION = re.compile(r"^\s*Figure\s+(\d+)\b", re.IGNORECASE)
_CAPTION_MARK = re.compile(r"^\s*Figure\s+\d+\s*[.:–—-]", re.IGNORECASE)  # a caption outside a Caption style
_X_OF_N = re.compile(r"^\s*(\d+) of (\d+)\s*$")
_HEADER_BASE = re.compile(r"\(n=(\d+)\)")
_TOTAL = re.compile(r"^\s*(?:total|all|overall)\b", re.IGNORECASE)
_NUMBER = re.compile(r"^\s*-?\d+(?:\.\d+)?\s*%?\s*$")
NEAR_DUPLICATE = 90  # rapidfuzz ratio above which two different quotes are near-duplicates


@dataclass(frozen=True, slots=True)
class Finding:
    kind: str  # total, percent, score, rank, quote not found, wrong speaker, quote reused, near-duplicate, name, figure
    where: str  # `table 2, row 5`, `paragraph 14`, `line 7`
    text: str
    detail: str


@dataclass(frozen=True, slots=True)
class Table:
    where: str  # `table 2` or the file name
    header: list[str]
    rows: list[list[str]]
    first_row: int  # the number of the first data row as a person counts it (spreadsheet row, or table row)


@dataclass(frozen=True, slots=True)
class Passage:
    """A paragraph (or a table cell) of a draft, with the theme it stands under: the heading above it,
    or the row's first cell."""

    where: str  # `paragraph 12`, `table 1, row 3`
    text: str
    style: str
    theme: str


def check_report(project, path: Path, key: Path | None = None) -> list[Finding]:
    suffix = path.suffix.lower()
    if suffix not in {".docx", ".csv", ".xlsx"}:
        raise UsageError(f"{path}: check a .docx draft, or a .csv or .xlsx table")
    if not path.is_file():
        raise InputFileError(path, "no such file", hint="check the path")
    scale = _scale(project)
    if suffix != ".docx":
        return check_tables([_read_table(path)], scale)
    passages, tables = read_docx(path)
    findings = check_tables(tables, scale)
    findings += check_quotes(project, passages)
    findings += check_figures(passages)
    findings += _names(project, path, passages, tables, key)
    return findings


def _scale(project) -> dict[str, float]:
    from ..framework import read_scale

    return {r.label.casefold(): r.score for r in read_scale(project.settings["matrix.rating_scale"])}


# Reading.

def read_docx(path: Path) -> tuple[list[Passage], list[Table]]:
    from docx import Document

    try:
        document = Document(str(path))
    except Exception as error:  # python-docx raises several kinds for a file that is not a document
        raise InputFileError(path, f"not a Word document python-docx can read ({error.__class__.__name__})") from None
    passages, theme = [], ""
    for number, paragraph in enumerate(document.paragraphs, start=1):
        style = paragraph.style.name if paragraph.style is not None else ""
        if style.startswith("Heading") and paragraph.text.strip():
            theme = paragraph.text.strip()
        passages.append(Passage(f"paragraph {number}", paragraph.text, style, theme))
    tables = [Table(f"table {n}", [c.text.strip() for c in t.rows[0].cells], [[c.text.strip() for c in r.cells] for r in t.rows[1:]], 2)
              for n, t in enumerate(document.tables, start=1) if t.rows]
    for table in tables:  # an evidence table's exemplars: each row is a theme
        for number, row in enumerate(table.rows, start=table.first_row):
            passages += [Passage(f"{table.where}, row {number}", cell, "", row[0]) for cell in row[1:] if _INLINE_QUOTE.search(cell)]
    return passages, tables


def _read_table(path: Path) -> Table:
    from ..ingest.tables import read_table

    table = read_table(path)
    return Table(path.name, table.header, [cells for _, cells in table.rows], table.header_line + 1)


# Tables.

def check_tables(tables: list[Table], scale: dict[str, float]) -> list[Finding]:
    findings = []
    for table in tables:
        findings += _totals(table)
        findings += _percentages(table)
        findings += _scores(table, scale)
    return findings


def _number(cell: str) -> float | None:
    return float(cell.strip().rstrip("%")) if _NUMBER.match(cell or "") else None


def _totals(table: Table) -> list[Finding]:
    """A Total row must be the sum of the numbers above it (since the previous total)."""
    findings, above = [], []
    for index, row in enumerate(table.rows):
        if row and _TOTAL.match(row[0]) and "distinct" not in row[0].casefold():
            for column in range(1, len(row)):
                stated = _number(row[column])
                values = [_number(r[column]) for r in above if column < len(r)]
                if stated is None or not values or any(v is None for v in values) or "%" in row[column]:
                    continue
                if abs(sum(values) - stated) > 1e-9:
                    findings.append(Finding("total", f"{table.where}, row {table.first_row + index}", row[column],
                                            f"{table.header[column] if column < len(table.header) else 'column'}: the rows above "
                                            f"sum to {_shown(sum(values))}, not {row[column].strip()}"))
            above = []
        else:
            above.append(row)
    return findings


def _percentages(table: Table) -> list[Finding]:
    return _shares_against_counts(table) + _x_of_n(table)


def _x_of_n(table: Table) -> list[Finding]:
    """`x of N` can never have x above N, and under a header `(n=K)` its N is K."""
    bases = [int(m.group(1)) if (m := _HEADER_BASE.search(h)) else None for h in table.header]
    findings = []
    for index, row in enumerate(table.rows):
        for column, cell in enumerate(row):
            match = _X_OF_N.match(cell or "")
            if not match:
                continue
            x, n = int(match.group(1)), int(match.group(2))
            where = f"{table.where}, row {table.first_row + index}"
            if x > n:
                findings.append(Finding("percent", where, cell.strip(), f"{x} of {n} cannot be: more than the base"))
            elif column < len(bases) and bases[column] is not None and n != bases[column]:
                findings.append(Finding("percent", where, cell.strip(), f"the column's base is n={bases[column]}, not {n}"))
    return findings


def _shares_against_counts(table: Table) -> list[Finding]:
    """Where a table has count, percent and base columns, each percent (and the shown figure) must be
    count / base."""
    folded = [h.casefold() for h in table.header]
    if not {"count", "percent", "base"} <= set(folded):
        return []
    at = {name: folded.index(name) for name in ("count", "percent", "base")}
    findings = []
    for index, row in enumerate(table.rows):
        count, share, base = (_number(row[at[n]]) if at[n] < len(row) else None for n in ("count", "percent", "base"))
        if None in (count, share, base) or not base:
            continue
        exact = 100 * count / base
        decimals = len(row[at["percent"]].split(".")[1]) if "." in row[at["percent"]] else 0
        where = f"{table.where}, row {table.first_row + index}"
        if abs(exact - share) > 0.5 * 10 ** -decimals + 1e-9:
            findings.append(Finding("percent", where, row[at["percent"]], f"{_shown(count)} of {_shown(base)} is {exact:.{decimals}f}%"))
        shown = row[folded.index("shown")].strip() if "shown" in folded and folded.index("shown") < len(row) else ""
        if shown.endswith("%") and _number(shown) is not None and abs(exact - _number(shown)) > 0.5 * 10 ** -decimals + 1e-9:
            findings.append(Finding("percent", where, shown, f"{_shown(count)} of {_shown(base)} is {exact:.{decimals}f}%"))
        elif _X_OF_N.match(shown) and tuple(map(int, _X_OF_N.match(shown).groups())) != (int(count), int(base)):
            findings.append(Finding("percent", where, shown, f"count and base say {_shown(count)} of {_shown(base)}"))
    return findings


def _scores(table: Table, scale: dict[str, float]) -> list[Finding]:
    """A Score must be the sum of the row's ratings; ranks must follow the scores (ties share a rank)."""
    from ..framework import competition_ranks

    folded = [h.casefold() for h in table.header]
    if "score" not in folded:
        return []
    score_at, rank_at = folded.index("score"), folded.index("rank") if "rank" in folded else None
    rated = [c for c in range(1, len(folded)) if c not in (score_at, rank_at)]
    findings, scores = [], {}
    for index, row in enumerate(table.rows):
        if not row or _TOTAL.match(row[0]):
            continue
        where = f"{table.where}, row {table.first_row + index}"
        stated = _number(row[score_at]) if score_at < len(row) else None
        ratings = [row[c].strip().casefold() for c in rated if c < len(row) and row[c].strip()]
        if ratings and all(r in scale for r in ratings):
            total = sum(scale[r] for r in ratings)
            if stated is not None and abs(total - stated) > 1e-9:
                findings.append(Finding("score", where, row[score_at], f"the ratings sum to {_shown(total)}"))
            scores[index] = total
        elif stated is not None:
            scores[index] = stated
    if rank_at is not None and scores:
        ranks = competition_ranks({str(i): s for i, s in scores.items()})
        for index, rank in ranks.items():
            row = table.rows[int(index)]
            stated = _number(row[rank_at]) if rank_at < len(row) else None
            if stated is not None and stated != rank:
                findings.append(Finding("rank", f"{table.where}, row {table.first_row + int(index)}", row[rank_at],
                                        f"with these scores the rank is {rank}"))
    return findings


def _shown(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


# Quotes.

@dataclass(frozen=True, slots=True)
class _Quote:
    passage: Passage
    text: str
    attribution: str


def quotes_in(passages: list[Passage]) -> list[_Quote]:
    """Quoted passages with an attribution: inline `'…' (C3)`, or a Quote-styled paragraph and the short
    line after it."""
    found = []
    for index, passage in enumerate(passages):
        if _is_quote_style(passage.style) and passage.text.strip():
            following = passages[index + 1].text.strip() if index + 1 < len(passages) else ""
            attribution = following.strip("()") if 0 < len(following) <= 60 else ""
            found.append(_Quote(passage, passage.text.strip().strip("‘’“”\"'"), attribution))
            continue
        found += [_Quote(passage, m.group(1).strip(), m.group(2).strip()) for m in _INLINE_QUOTE.finditer(passage.text)]
    return found


def _is_quote_style(style: str) -> bool:
    """`Quote`, `Intense Quote`, a house `Quote Text`; not the line that attributes one."""
    folded = style.casefold()
    return "quote" in folded and "attribution" not in folded and "source" not in folded


def check_quotes(project, passages: list[Passage]) -> list[Finding]:
    from rapidfuzz import fuzz

    store = project.store
    documents = [(d["id"], d["name"], store.document_text(d["id"])) for d in store.document_refs()]
    folded = {document_id: text.casefold() for document_id, _, text in documents}
    speaker_at = _Speakers(store)
    findings, placed = [], {}
    quotes = quotes_in(passages)
    for quote in quotes:
        where = quote.passage.where
        clue = max(re.findall(r"\w+", quote.text), key=len, default="").casefold()  # a cheap test before the full search
        place = next(((document_id, name, offset) for document_id, name, text in documents
                      if clue in folded[document_id] and (offset := _place(quote.text, text, speaker_at.turns(document_id))) is not None),
                     None)
        if place is None:
            findings.append(Finding("quote not found", where, _short(quote.text),
                                    "not in any transcript in this order (cuts must be marked [...])"))
            continue
        spoken_by = speaker_at(place[0], place[2])
        named = _named_code(quote.attribution, speaker_at.codes)
        if named and spoken_by and named != spoken_by:
            findings.append(Finding("wrong speaker", where, _short(quote.text),
                                    f"attributed to {named}, but {spoken_by} says it ({place[1]})"))
        key = (place[0], place[2])
        if key in placed and placed[key] != quote.passage.theme:
            findings.append(Finding("quote reused", where, _short(quote.text),
                                    f"also quoted under {placed[key]!r}; this one stands under {quote.passage.theme!r}"))
        elif key in placed:
            findings.append(Finding("quote repeated", where, _short(quote.text), f"quoted twice under {placed[key]!r}"))
        placed.setdefault(key, quote.passage.theme)
    for first, second in ((a, b) for n, a in enumerate(quotes) for b in quotes[n + 1:]):
        if first.text != second.text and fuzz.ratio(first.text, second.text) >= NEAR_DUPLICATE:
            findings.append(Finding("near-duplicate", f"{first.passage.where} and {second.passage.where}",
                                    _short(second.text), "two quotes nearly the same: one is probably a copy of the other"))
    return findings


def _place(quote: str, text: str, turns: list[tuple[int, int, str | None]]) -> int | None:
    """Where a quote starts: within one turn if it can be (a quote is one person's words), else anywhere."""
    from ..quote_text import locate

    for start, end, _ in turns:
        found = locate(quote, text, start, end)
        if found is not None:
            return found.spans[0][0]
    found = locate(quote, text)
    return found.spans[0][0] if found is not None else None


class _Speakers:
    """The speaker code of the turn at an offset of a document."""

    def __init__(self, store):
        people = {p["id"]: p["code"] for p in store.people_rows()}
        self.codes = {code for code in people.values() if code}
        self._turns: dict[int, list[tuple[int, int, str | None]]] = {}
        for turn in store.turn_spans():  # in document and offset order
            self._turns.setdefault(turn["document_id"], []).append((turn["start"], turn["end"], people.get(turn["person_id"])))
        self._starts = {d: [start for start, _, _ in turns] for d, turns in self._turns.items()}

    def turns(self, document_id: int) -> list[tuple[int, int, str | None]]:
        return self._turns.get(document_id, [])

    def __call__(self, document_id: int, offset: int) -> str | None:
        from bisect import bisect_right

        turns = self._turns.get(document_id, [])
        at = bisect_right(self._starts.get(document_id, []), offset) - 1
        return turns[at][2] if at >= 0 and offset < turns[at][1] else None


def _named_code(attribution: str, codes: set[str]) -> str | None:
    for token in re.split(r"[\s,;()]+", attribution):
        if token in codes:
            return token
    return None


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


# Figures and names.

def check_figures(passages: list[Passage]) -> list[Finding]:
    """Every figure the text refers to (`Figure 2`, `Figures 2 and 3`) needs a caption: a paragraph in
    the Caption style starting `Figure N`, or any starting `Figure N.` or `Figure N:`."""
    def is_caption(passage: Passage) -> bool:
        return bool(_CAPTION.match(passage.text) and (passage.style == "Caption" or _CAPTION_MARK.match(passage.text)))

    captions = {int(_CAPTION.match(p.text).group(1)) for p in passages if is_caption(p)}
    findings = []
    for passage in passages:
        text = _CAPTION.sub("", passage.text, count=1) if is_caption(passage) else passage.text
        for match in _FIGURE_REFERENCE.finditer(text):
            missing = [n for n in re.findall(r"\d+", match.group(1)) if int(n) not in captions]
            if missing:
                findings.append(Finding("figure", passage.where, match.group(0),
                                        f"no caption says Figure {' or '.join(missing)}"))
    return findings


def _names(project, path: Path, passages: list[Passage], tables: list[Table], key: Path | None) -> list[Finding]:
    from .leaks import check_output

    text = "\n".join([*(p.text for p in passages), *("\t".join(r) for t in tables for r in [t.header, *t.rows])])
    leaks, _ = check_output(project, path.name, text, key)
    return [Finding("name", path.name, leak.text, f"{leak.category}: {leak.detector}") for leak in leaks]
