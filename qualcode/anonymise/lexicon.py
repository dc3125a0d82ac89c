"""What anonymising looks for and what it writes instead: settings, the terms file, and the lexicon.

The lexicon is built from the roster (names and aliases), speaker labels that are names, and a terms
file of schools, places and organisations (`term`, `category`, optional `replacement`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputFileError, UsageError
from ..models import INTERVIEWER, PARTICIPANT
from .detect import POSTCODES, Detector, Lexicon, Target, name_phrases

PERSON = "person"
_GENERIC_LABEL = re.compile(
    r"(?:participant|respondent|interviewee|speaker|teacher|parent|pupil|student|child|group|all|unknown|inaudible|"
    r"crosstalk|everyone|several|voice|audience|observer|staff|male|female|man|woman|p|r|s)\b.*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Term:
    term: str
    category: str
    replacement: str = ""


@dataclass(frozen=True, slots=True)
class AnonymiseSettings:
    regions: tuple[str, ...]
    fuzzy_threshold: int
    ner_model: str
    document_name: str
    site_name: str
    identifying_attributes: frozenset[str]
    replacements: dict[str, str] = field(hash=False)

    @classmethod
    def from_values(cls, values: dict, where: str) -> AnonymiseSettings:
        """The `[anonymise]` settings (flattened, defaults already merged in by `settings.load_settings`), checked."""
        regions = values["anonymise.regions"]
        if not isinstance(regions, list) or not all(isinstance(r, str) and r.upper() in POSTCODES for r in regions):
            raise UsageError(f"{where}: anonymise.regions lists region codes from {', '.join(POSTCODES)}, e.g. [\"GB\"]")
        threshold = values["anonymise.fuzzy_threshold"]
        if not isinstance(threshold, int) or not 0 <= threshold <= 100 or 0 < threshold < 60:
            raise UsageError(f"{where}: anonymise.fuzzy_threshold is 0 (off) or a similarity from 60 to 100")
        replacements = {k.removeprefix("anonymise.replacements."): v for k, v in values.items() if k.startswith("anonymise.replacements.")}
        texts = {name: values[f"anonymise.{name}"] for name in ("document_name", "site_name", "ner_model")}
        for name, text in {**texts, **{f"replacements.{k}": v for k, v in replacements.items()}}.items():
            if not isinstance(text, str):
                raise UsageError(f"{where}: anonymise.{name} must be a string")
        _check_template(texts["document_name"], {"n": 1}, where, "anonymise.document_name")
        _check_template(texts["site_name"], {"letter": "A"}, where, "anonymise.site_name")
        _check_template(replacements[PERSON], {"role": "coach", "code": "C1"}, where, "anonymise.replacements.person")
        attributes = values["anonymise.identifying_attributes"]
        if not isinstance(attributes, list) or not all(isinstance(a, str) for a in attributes):
            raise UsageError(f"{where}: anonymise.identifying_attributes is a list of attribute names")
        return cls(tuple(r.upper() for r in regions), threshold, texts["ner_model"], texts["document_name"], texts["site_name"],
                   frozenset(a.casefold() for a in attributes), replacements)

    def replacement_for(self, category: str) -> str:
        """What replaces a mention of this category when nothing more is known (a person: `[name]`)."""
        category = "name" if category == PERSON else category
        return self.replacements.get(category) or f"[{category}]"

    def person_replacement(self, role: str | None, code: str | None) -> str:
        """`[coach's name]`, or the speaker code, by the template; `[name]` when the person lacks a value it uses."""
        try:
            return self.replacements[PERSON].format_map({k: v for k, v in (("role", role), ("code", code)) if v})
        except KeyError:
            return self.replacement_for(PERSON)


def _check_template(template: str, example: dict, where: str, name: str) -> None:
    try:
        template.format(**example)
    except (KeyError, IndexError, ValueError) as error:
        raise UsageError(f"{where}: {name} = {template!r}: {error}; placeholders allowed: "
                         + ", ".join("{" + k + "}" for k in example)) from None


def read_terms(path: Path) -> list[Term]:
    """A terms sheet (CSV/XLSX): `term`, `category` (school, place, organisation or your own), optional `replacement`."""
    from ..ingest.tables import read_table

    table = read_table(path)
    term_column = table.column(path, "term", "the terms file (it needs 'term' and 'category' columns)")
    category_column = table.column(path, "category", "the terms file (it needs 'term' and 'category' columns)")
    headers = [h.casefold() for h in table.header]
    replacement_column = headers.index("replacement") if "replacement" in headers else None
    terms = []
    for line, cells in table.rows:
        term, category = " ".join(cells[term_column].split()), cells[category_column].strip().casefold()
        if not term:
            raise InputFileError(path, "empty term", line=line, hint="give every row a term, or delete the row")
        if not re.fullmatch(r"[a-z][a-z -]{0,30}", category):
            raise InputFileError(path, f"category {category!r}", line=line, hint="use a word such as school, place or organisation")
        replacement = cells[replacement_column].strip() if replacement_column is not None else ""
        terms.append(Term(term, category, replacement))
    return terms


def merge_terms(known: list[dict], new: list[Term]) -> list[dict]:
    """The key's terms with a new file's added; a term listed again takes the new category and replacement."""
    merged = {t["term"].casefold(): t for t in known}
    for term in new:
        merged[term.term.casefold()] = {"term": term.term, "category": term.category, "replacement": term.replacement}
    return sorted(merged.values(), key=lambda t: t["term"].casefold())


@dataclass(frozen=True, slots=True)
class NamedPerson:
    """Someone whose name may come up in speech: a roster person, or a speaker whose label is a name."""

    names: tuple[str, ...]  # full name first, then aliases and name-like labels
    role: str | None
    code: str | None


def name_like_label(label: str, interviewer: re.Pattern[str]) -> bool:
    """`Dan`, `Margaret Ellis`: a label that is a person's name, not `Participant 3`, `Interviewer` or `R_3kT`."""
    words = label.split()
    shaped = 0 < len(words) <= 4 and all(w[0].isupper() and len(w) > 1 and all(c.isalpha() or c in "'’-" for c in w) for w in words)
    return shaped and not interviewer.fullmatch(label) and not _GENERIC_LABEL.fullmatch(label)


def _sayable(alias: str, interviewer: re.Pattern[str]) -> bool:
    return len(alias) > 1 and not any(c.isdigit() for c in alias) and not interviewer.fullmatch(alias) \
        and not _GENERIC_LABEL.fullmatch(alias)


def people_to_find(roster: list[dict], people: list[dict], speakers: list[dict], codes: dict[int, str],
                   interviewer: re.Pattern[str]) -> list[NamedPerson]:
    """Everyone named anywhere: roster names and aliases, and labels that are names (`Dan`, the interviewer)."""
    kinds = {p["id"]: p for p in people}
    # An alias that is a label (`Q`, `Interviewer`, `COACH 2`) links labels; it is not said in speech.
    names: dict[int, list[str]] = {r["person_id"]: [r["name"], *(a for a in r["aliases"] if _sayable(a, interviewer))] for r in roster}
    for speaker in speakers:
        # A label that is the person's speaker code (after anonymising) is no name.
        if name_like_label(speaker["label"], interviewer) and speaker["label"] != codes.get(speaker["person_id"]):
            names.setdefault(speaker["person_id"], []).append(speaker["label"])
    found = []
    for person_id, person_names in names.items():
        person = kinds.get(person_id, {"role": PARTICIPANT, "attributes": {}})
        attributes = person["attributes"]
        job = (json.loads(attributes) if isinstance(attributes, str) else attributes).get("role")
        role = job if isinstance(job, str) and job else (INTERVIEWER if person["role"] == INTERVIEWER else None)
        found.append(NamedPerson(tuple(dict.fromkeys(person_names)), role, codes.get(person_id)))
    return found


def build_lexicon(named: list[NamedPerson], terms: list[dict], settings: AnonymiseSettings, everyday) -> Lexicon:
    """Every declared phrase and what replaces it; `everyday(names)` says which one-word names are also words."""
    lexicon = Lexicon()
    for person in named:
        target = Target(PERSON, settings.person_replacement(person.role, person.code), "roster")
        for phrase in name_phrases(person.names[0], person.names[1:]):
            lexicon.add(phrase, target)
    for term in terms:
        category = term["category"]
        # A person declared in the terms file (a head teacher never interviewed) is found like a roster name.
        phrases = name_phrases(term["term"], []) if category == PERSON else [term["term"]]
        replacement = term["replacement"] or settings.replacement_for(category)
        for phrase in phrases:
            lexicon.add(phrase, Target(category, replacement, "terms"))
    words = lexicon.tokens()
    # Two letters are too short to tell a name (`Jo`, `Ed`) from a word or an abbreviation without context.
    ordinary = everyday(words) | {w for w in words if len(w) <= 2}
    lexicon.everyday = {phrase for phrase in lexicon.all_phrases() if all(w in ordinary for w in phrase)}
    return lexicon


def detector_for(project, settings: AnonymiseSettings, roster: list[dict], people: list[dict], codes: dict[int, str],
                 terms: list[dict]) -> Detector:
    """A detector for everything declared: roster names and aliases, name-like labels, terms. `people`
    are `Store.people_kinds` rows (kind and attributes give the replacement's role)."""
    from ..nlp import vocabulary as english
    from ..speakers import interviewer_regex

    store = project.store
    vocabulary = english()
    named = people_to_find(roster, people, store.speakers(), codes, interviewer_regex(project.settings.interviewer_labels))
    lexicon = build_lexicon(named, terms, settings, vocabulary.everyday)
    return Detector(lexicon, settings.replacements, settings.regions, settings.fuzzy_threshold, vocabulary.is_everyday)
