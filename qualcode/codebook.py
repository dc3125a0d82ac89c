"""Codebooks: one YAML file per project, the source of truth the team diffs in git.

```yaml
name: Pathways evaluation
codes:
  - id: barriers                 # stable: codings refer to it
    label: Barriers to coaching
    definition: What gets in the way of coaching happening as planned.
    include: Time, cover, staffing, scepticism.
    exclude: Barriers to teaching in general.
    codes:                       # children: theme -> sub-theme -> descriptor
      - id: barriers.time
        label: Lack of protected time
        aliases: [No time]
        keywords: [protected time, cover, timetable]   # on lemmas: `covered` matches `cover`
        patterns: ['\\bno time\\b']
        scope: sentence          # match | sentence | paragraph | turn
        speakers: participants   # all | participants | interviewers
```

`check_codebook` reports every problem with line and column; `load_codebook` refuses a codebook with
any. A codebook's version is the hash of its canonical content, so a coding records the meaning it was
made under.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from .errors import InputFileError, UsageError
from .models import Code

SCOPES = ("match", "sentence", "paragraph", "turn")
SPEAKERS = ("all", "participants", "interviewers")
COUNT_AS = ("mentions", "actions")
ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")
_TEXT_FIELDS = ("label", "definition", "include", "exclude", "question", "within")
_LIST_FIELDS = ("examples", "aliases", "keywords", "patterns", "roles")
_KNOWN = {f.name for f in fields(Code)} - {"parent", "line"} | {"codes"}


@dataclass(frozen=True, slots=True)
class Problem:
    line: int
    column: int
    message: str


@dataclass(frozen=True, slots=True)
class Codebook:
    name: str
    codes: dict[str, Code]  # in file order, parents before children

    def content(self) -> str:
        """The canonical content (JSON): what a version is a hash of, and what the store keeps."""
        return json.dumps({"name": self.name, "codes": [_canonical(c) for c in self.codes.values()]}, sort_keys=True,
                          ensure_ascii=False)

    @property
    def version(self) -> str:
        """The hash of the canonical content: the same meaning, the same version, whatever the layout."""
        return hashlib.sha256(self.content().encode("utf-8")).hexdigest()[:16]

    def children(self, code_id: str | None) -> list[Code]:
        return [c for c in self.codes.values() if c.parent == code_id]

    def path(self, code_id: str) -> str:
        """`Barriers to coaching > Lack of protected time`: labels from the root down."""
        labels, code = [], self.codes.get(code_id)
        while code is not None:
            labels.append(code.label)
            code = self.codes.get(code.parent) if code.parent else None
        return " > ".join(reversed(labels))

    def descendants(self, code_id: str) -> list[str]:
        found = []
        for child in self.children(code_id):
            found += [child.id, *self.descendants(child.id)]
        return found

    def find(self, reference: str) -> Code | None:
        """A code by id, by its path (`A > B`), or by a label or alias that names one code."""
        named = self.named(reference)
        return named[0] if len(named) == 1 else None

    def resolve(self, reference: str, option: str = "--code") -> Code:
        """The one code a reference names, or an error saying there is none or which several it could be."""
        named, where = self.named(reference), f"{option} {reference}" if option else reference
        if len(named) > 1:
            raise UsageError(f"{where}: names {len(named)} codes ({', '.join(c.id for c in named)}); give the id")
        if not named:
            raise UsageError(f"{where}: no such code; `qualcode codebook show` lists them")
        return named[0]

    def resolve_all(self, references: list[str], option: str = "--code") -> list[str]:
        return [self.resolve(reference, option).id for reference in references]

    def named(self, reference: str) -> list[Code]:
        """Every code a reference could mean (one, none, or several when a label is shared)."""
        if reference in self.codes:
            return [self.codes[reference]]
        folded = reference.casefold()
        return [c for c in self.codes.values() if folded in {c.label.casefold(), self.path(c.id).casefold(),
                                                             *(a.casefold() for a in c.aliases)}]


def _canonical(code: Code) -> dict:
    return {k: v for k, v in asdict(code).items() if k != "line"}


def check_codebook(path: Path) -> tuple[Codebook | None, list[Problem]]:
    """The codebook in this file and every problem found in it (file order)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, [Problem(0, 0, "no such file; create it, or set [project] codebook in qualcode.toml")]
    except (OSError, UnicodeDecodeError) as error:
        return None, [Problem(0, 0, f"cannot read ({error}); save it as UTF-8 text")]
    return parse_codebook(text)


def parse_codebook(text: str) -> tuple[Codebook | None, list[Problem]]:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        document = YAML(typ="rt").load(text)
    except YAMLError as error:
        return None, [_yaml_problem(error)]
    if document is None:
        return Codebook("", {}), []
    if not isinstance(document, dict):
        return None, [Problem(1, 1, "a codebook is a mapping with `codes:` (a list of codes)")]
    problems: list[Problem] = []
    codes: dict[str, Code] = {}
    for key in document:
        if key not in {"name", "codes"}:
            problems.append(_at(document, key, f"unknown key {key!r}; a codebook has `name` and `codes`"))
    entries = document.get("codes") or []
    if not isinstance(entries, list):
        problems.append(_at(document, "codes", "`codes` is a list of codes"))
        entries = []
    _read_codes(entries, None, codes, problems)
    _check_references(codes, problems)
    name = str(document.get("name") or "")
    return (Codebook(name, codes) if not problems else None), sorted(problems, key=lambda p: (p.line, p.column))


def _yaml_problem(error) -> Problem:
    """Where a YAML error is: the opening of a bracket or quote never closed (the parser notices only
    later, often lines further on), else where the parser stopped."""
    problem = getattr(error, "problem", None) or " ".join(str(error).split())
    mark = getattr(error, "problem_mark", None)
    opening = getattr(error, "context_mark", None)
    context = getattr(error, "context", None) or ""
    if opening is not None and ("flow" in context or "quoted" in context):
        closer = "quote" if "quoted" in context else "bracket"
        stopped = f" (line {mark.line + 1})" if mark is not None else ""
        return Problem(opening.line + 1, opening.column + 1, f"YAML: this {closer} is never closed: {problem}{stopped}")
    mark = mark or opening
    return Problem(mark.line + 1 if mark else 1, mark.column + 1 if mark else 1, f"YAML: {problem}")


def load_codebook(path: Path) -> Codebook:
    """The codebook, or an error naming the first problem (with line and column) and how many more there are."""
    codebook, problems = check_codebook(path)
    if problems:
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise InputFileError(path, first.message + more, line=first.line or None, column=first.column or None,
                             hint="`qualcode codebook check` lists them all")
    return codebook


def _at(mapping, key, message: str) -> Problem:
    try:
        line, column = mapping.lc.key(key)
        return Problem(line + 1, column + 1, message)
    except (AttributeError, KeyError, TypeError):
        return _here(mapping, message)


def _item(mapping, key, index: int, message: str) -> Problem:
    """The place of one item of a list value (`patterns: [ok, '(broken']` points at the broken one)."""
    try:
        line, column = mapping[key].lc.item(index)
        return Problem(line + 1, column + 1, message)
    except (AttributeError, KeyError, TypeError, IndexError):
        return _at(mapping, key, message)


def _here(node, message: str) -> Problem:
    line, column = (node.lc.line, node.lc.col) if hasattr(node, "lc") else (-1, -1)
    return Problem(line + 1, column + 1, message)


def _read_codes(entries: list, parent: str | None, codes: dict[str, Code], problems: list[Problem],
                seen: dict[str, int] | None = None) -> None:
    seen = {} if seen is None else seen  # id -> line, broken codes included
    for entry in entries:
        if not isinstance(entry, dict):
            problems.append(_here(entries, "each code is a mapping with at least `id` and `label`"))
            continue
        code_id, code = _read_code(entry, parent, problems)
        if code_id is None:
            continue
        if code_id in seen:
            problems.append(_at(entry, "id", f"duplicate code id {code_id!r} (first on line {seen[code_id]})"))
            continue
        seen[code_id] = entry.lc.line + 1
        if code is not None:
            codes[code_id] = code
        children = entry.get("codes") or []  # read even under a broken code, so every problem is reported
        if not isinstance(children, list):
            problems.append(_at(entry, "codes", "`codes` is a list of codes"))
        else:
            _read_codes(children, code_id, codes, problems, seen)


def _read_code(entry, parent: str | None, problems: list[Problem]) -> tuple[str | None, Code | None]:
    """The code's id (None if it has no usable one) and the code (None if anything in it is wrong)."""
    before = len(problems)
    for key in entry:
        if key not in _KNOWN:
            problems.append(_at(entry, key, f"unknown key {key!r}; known: {', '.join(sorted(_KNOWN))}"))
    code_id = entry.get("id")
    if not isinstance(code_id, (str, int)) or not ID.fullmatch(str(code_id)):
        problems.append(_at(entry, "id", "every code needs an `id`: letters, digits, `.`, `_`, `-` (e.g. barriers.time)"))
        return None, None
    values: dict = {"id": str(code_id), "parent": parent, "line": entry.lc.line + 1}
    values["label"] = str(entry.get("label") or code_id)
    for name in _TEXT_FIELDS[1:]:
        if entry.get(name) is not None:
            values[name] = str(entry[name]).strip()
    for name in _LIST_FIELDS:
        value = entry.get(name, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
            problems.append(_at(entry, name, f"`{name}` is a list of texts"))
            continue
        values[name] = tuple(str(v) for v in value)
    for name, allowed in (("scope", SCOPES), ("speakers", SPEAKERS), ("count_as", COUNT_AS)):
        if name in entry:
            if entry[name] not in allowed:
                problems.append(_at(entry, name, f"{name} {entry[name]!r}: choose one of {', '.join(allowed)}"))
            else:
                values[name] = entry[name]
    for name in ("lemma", "retired"):
        if name in entry:
            if not isinstance(entry[name], bool):
                problems.append(_at(entry, name, f"`{name}` is true or false"))
            else:
                values[name] = entry[name]
    if "fuzzy" in entry:
        if not isinstance(entry["fuzzy"], int) or not 50 <= entry["fuzzy"] <= 100:
            problems.append(_at(entry, "fuzzy", "`fuzzy` is a similarity from 50 to 100 (e.g. 90)"))
        else:
            values["fuzzy"] = entry["fuzzy"]
    for index, pattern in enumerate(values.get("patterns", ())):
        try:
            re.compile(pattern)
        except re.error as error:
            problems.append(_item(entry, "patterns", index, f"pattern {pattern!r} is not a regular expression ({error})"))
    if values.get("question"):
        try:
            re.compile(values["question"])
        except re.error as error:
            problems.append(_at(entry, "question", f"question pattern {values['question']!r} is not a regular expression ({error})"))
    return values["id"], (Code(**values) if len(problems) == before else None)


def _check_references(codes: dict[str, Code], problems: list[Problem]) -> None:
    for code in codes.values():
        if code.within and code.within not in codes:
            problems.append(Problem(code.line, 1, f"{code.id}: `within: {code.within}` names no code in this codebook"))
        if code.within == code.id:
            problems.append(Problem(code.line, 1, f"{code.id}: `within` names the code itself"))


@dataclass(frozen=True, slots=True)
class Change:
    kind: str  # added | removed | moved | changed
    code: str
    detail: str


def diff(old: Codebook, new: Codebook) -> list[Change]:
    """What changed from one codebook to another, code by code (by id, so a relabelled code is `changed`)."""
    changes = [Change("removed", i, old.path(i)) for i in old.codes if i not in new.codes]
    for code_id, code in new.codes.items():
        before = old.codes.get(code_id)
        if before is None:
            changes.append(Change("added", code_id, new.path(code_id)))
            continue
        if before.parent != code.parent:
            changes.append(Change("moved", code_id, f"{old.path(code_id)} -> {new.path(code_id)}"))
        for name in (f.name for f in fields(Code)):
            if name not in {"parent", "line"} and getattr(before, name) != getattr(code, name):
                changes.append(Change("changed", code_id, f"{name}: {_shown(getattr(before, name))} -> {_shown(getattr(code, name))}"))
    return changes


def _shown(value) -> str:
    return "; ".join(value) if isinstance(value, tuple) else repr(value)


def codebook_path(project) -> Path:
    return project.root / project.settings["project.codebook"]
