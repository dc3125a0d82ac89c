"""Speaker codes: the schemes evaluation reports use, allocated in a random but reproducible order.

Schemes (configured in `qualcode.toml` under `[codes]`, never hard-coded):
- site letter + informant number (`A1`, `B2`): the default for participants; sites lettered A, B, C …
  skipping `I` (and `O` if asked) and every letter that begins a role prefix or group code, so the
  default can never collide with itself;
- role series (`C1`, `C2` for coaches): `[codes.roles]` maps a roster role to a prefix;
  interviewers get their own series (`INT1` by default);
- group codes (`PC`): `[codes.groups]` maps a roster group to one code for all its members;
- locality + role tuples (`(W, Anchor)`, `(Oldham, Year 2 survey)`): `codes.style = "tuple"`, with
  `codes.tuple` naming the attributes and `[codes.aliases]` short forms (`Oldham = "O"`);
- role labels (`LA officer`): `codes.style = "role"`.

Existing codes never change, so a new wave only adds codes. A configuration that would give two people
one code is refused with both people named.
"""

from __future__ import annotations

import random
import re
import string
from collections import Counter
from dataclasses import dataclass, field

from .errors import UsageError
from .models import INTERVIEWER

_PREFIX = re.compile(r"^[A-Z][A-Za-z]{0,3}$")
STYLES = ("site-number", "tuple", "role")


@dataclass(frozen=True, slots=True)
class CodeScheme:
    roles: dict[str, str] = field(default_factory=dict)  # roster role (folded) -> prefix
    groups: dict[str, str] = field(default_factory=dict)  # roster group (folded) -> group code
    sites: dict[str, str] = field(default_factory=dict)  # site (folded) -> letter, when a report fixes them
    interviewer_prefix: str = "INT"
    skip_letters: frozenset[str] = frozenset("I")
    style: str = "site-number"  # site-number | tuple | role
    tuple_parts: tuple[str, ...] = ("locality", "role")  # attributes in a tuple code, e.g. (W, Anchor)
    aliases: dict[str, str] = field(default_factory=dict)  # long form (folded) -> short form, e.g. oldham -> O

    def site_letters(self) -> list[str]:
        """Letters free for sites: not skipped, and not the first letter of any other kind of code."""
        taken = {code[0] for code in (*self.roles.values(), *self.groups.values(), self.interviewer_prefix)}
        return [c for c in string.ascii_uppercase if c not in self.skip_letters and c not in taken]


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    kind: str  # interviewer | participant | observer …
    attributes: dict
    code: str | None
    document_sites: tuple[str, ...] = ()
    description: str = ""  # how to name them in an error: roster name or labels


def scheme_from_settings(values: dict, where: str) -> CodeScheme:
    """The `[codes]` settings (flattened as `codes.roles.coach` …), checked."""
    def table(key: str) -> dict[str, str]:
        prefix = f"codes.{key}."
        found = {k[len(prefix):]: v for k, v in values.items() if k.startswith(prefix)}
        if not all(isinstance(v, str) and _PREFIX.match(v) for v in found.values()):
            raise UsageError(f"{where}: [codes.{key}] maps names to codes of 1-4 letters starting upper-case, e.g. coach = \"C\"")
        return {k.casefold(): v for k, v in found.items()}

    skip = values.get("codes.skip_letters", [])
    if not isinstance(skip, list) or not all(isinstance(s, str) and len(s) == 1 and s.isalpha() for s in skip):
        raise UsageError(f'{where}: codes.skip_letters is a list of single letters besides I, e.g. ["O"]')
    interviewer = values.get("codes.interviewer_prefix", "INT")
    if not isinstance(interviewer, str) or not _PREFIX.match(interviewer):
        raise UsageError(f"{where}: codes.interviewer_prefix must be 1-4 letters starting upper-case")
    skipped = frozenset({"I", *(s.upper() for s in skip)})
    sites = table("sites")
    for site, letter in sites.items():
        if len(letter) != 1 or letter in skipped:
            raise UsageError(f"{where}: [codes.sites] {site} = {letter!r}: a site's code is one letter, not a skipped one")
    if len(set(sites.values())) < len(sites):
        raise UsageError(f"{where}: [codes.sites] gives two sites one letter")
    style = values.get("codes.style", "site-number")
    if style not in STYLES:
        raise UsageError(f"{where}: codes.style {style!r}: choose one of {', '.join(STYLES)}")
    parts = values.get("codes.tuple", ["locality", "role"])
    if not isinstance(parts, list) or not parts or not all(isinstance(p, str) and p for p in parts):
        raise UsageError(f'{where}: codes.tuple lists the attributes of a tuple code, e.g. ["locality", "role", "wave"]')
    aliases = {k[len("codes.aliases."):].casefold(): str(v) for k, v in values.items() if k.startswith("codes.aliases.")}
    return CodeScheme(table("roles"), table("groups"), sites, interviewer, skipped, style, tuple(parts), aliases)


def allocate(people: list[Person], scheme: CodeScheme, seed: int) -> dict[int, str]:
    """Codes for everyone: existing codes kept, new people numbered in a seeded random order.

    Each series (a site's letter, a role's prefix, the interviewers') numbers its own people, so a
    site lettered like a role prefix shows up as two people with one code, and is refused.
    """
    codes = {p.id: p.code for p in people if p.code}
    rng = random.Random(seed)
    new = sorted((p for p in people if not p.code), key=lambda p: p.id)
    rng.shuffle(new)
    letters = _site_letters(people, scheme, rng)
    taken: dict[tuple[str, str], set[str]] = {}
    for person in people:
        if person.code:
            taken.setdefault(_series(person, scheme, letters), set()).add(person.code)
    for person in new:
        series = _series(person, scheme, letters)
        codes[person.id] = _next_code(series, taken.setdefault(series, set()))
    _refuse_collisions(people, codes)
    return codes


def _site(person: Person) -> str:
    """A person's site: the roster's (first, for people who cover several), else where they were interviewed."""
    sites = person.attributes.get("site") or list(person.document_sites)
    if isinstance(sites, str):
        sites = [sites]
    if not sites:
        return ""
    return Counter(sites).most_common(1)[0][0] if not person.attributes.get("site") else sites[0]


def _series_prefix(person: Person, scheme: CodeScheme) -> str | None:
    if person.kind == INTERVIEWER:
        return scheme.interviewer_prefix
    return scheme.roles.get(str(person.attributes.get("role", "")).casefold())


def _site_letters(people: list[Person], scheme: CodeScheme, rng: random.Random) -> dict[str, str]:
    """Letters for sites: fixed ones from the settings, then letters already in use, then new ones at random."""
    letters = site_letters_in_use(people, {p.id: p.code for p in people if p.code}, scheme)
    unlettered = sorted({_site(p).casefold() for p in people if not p.code and _series_prefix(p, scheme) is None
                         and str(p.attributes.get("group", "")).casefold() not in scheme.groups} - set(letters))
    rng.shuffle(unlettered)
    free = [c for c in scheme.site_letters() if c not in letters.values()]
    if len(unlettered) > len(free):
        raise UsageError(f"{len(unlettered)} sites need letters but only {len(free)} are free; fix some with [codes.sites] or skip fewer letters")
    letters.update(zip(unlettered, free))
    return letters


def _series(person: Person, scheme: CodeScheme, letters: dict[str, str]) -> tuple[str, str]:
    group = scheme.groups.get(str(person.attributes.get("group", "")).casefold())
    if group:
        return ("shared", group)
    prefix = _series_prefix(person, scheme)
    if prefix:
        return ("interviewer" if person.kind == INTERVIEWER else "role", prefix)
    if scheme.style == "tuple":
        return ("shared", "(" + ", ".join(_short(_part(person, part), scheme) for part in scheme.tuple_parts) + ")")
    if scheme.style == "role":
        return ("shared", _part(person, "role"))
    return ("site", letters[_site(person).casefold()])


def _part(person: Person, attribute: str) -> str:
    """An attribute for a tuple or role code (`locality` falls back to `site`); a missing one is refused."""
    value = person.attributes.get(attribute) or (person.attributes.get("site") if attribute == "locality" else None)
    if isinstance(value, list):
        value = value[0] if value else None
    if not value:
        raise UsageError(f"{person.description} has no {attribute!r} for their code; add it to the roster, or change codes.style")
    return str(value)


def _short(value: str, scheme: CodeScheme) -> str:
    return scheme.aliases.get(value.casefold(), value)


def _next_code(series: tuple[str, str], taken: set[str]) -> str:
    kind, prefix = series
    if kind == "shared":  # a group's code, a tuple or a role label: many people, no number
        return prefix
    number = 1
    while f"{prefix}{number}" in taken:
        number += 1
    taken.add(f"{prefix}{number}")
    return f"{prefix}{number}"


def _refuse_collisions(people: list[Person], codes: dict[int, str]) -> None:
    """Two people must never share a code (coach C1 and informant 1 at site C); a group's members may."""
    holders: dict[str, Person] = {}
    for person in sorted(people, key=lambda p: p.id):
        code = codes[person.id]
        other = holders.setdefault(code, person)
        if other is not person and code[-1:].isdigit():  # series codes end in their number; group codes are shared
            raise UsageError(f"{other.description} and {person.description} would both be {code}; "
                             "change [codes] in qualcode.toml (a site letter, a role prefix) so their codes differ")


def site_letters_in_use(people: list[Person], codes: dict[int, str], scheme: CodeScheme) -> dict[str, str]:
    """Site (folded) -> the letter its informants' codes carry, so a site's name can be replaced by it."""
    letters = dict(scheme.sites)
    for person in people:
        code, site = codes.get(person.id, ""), _site(person)
        if code[:1] in scheme.site_letters() and code[1:].isdigit() and _series_prefix(person, scheme) is None:
            letters.setdefault(site.casefold(), code[0])
    return letters


def identifying(people: list[Person], codes: dict[int, str]) -> list[str]:
    """Codes that point at one person: a shared code (tuple, role label) only one person holds, or a
    numbered code whose person is the only one with their role at their site."""
    pairs = Counter((str(p.attributes.get("role", "")).casefold(), _site(p).casefold()) for p in people if p.attributes.get("role"))
    holders = Counter(codes.values())
    found = []
    for person in sorted(people, key=lambda p: codes[p.id]):
        code = codes[person.id]
        role, site = str(person.attributes.get("role", "")), _site(person)
        if person.kind == INTERVIEWER:
            continue
        if not code[-1:].isdigit() and holders[code] == 1:
            found.append(f"{code} (one person)")
        elif code[-1:].isdigit() and role and site and pairs[(role.casefold(), site.casefold())] == 1:
            found.append(f"{code} (the only {role} at {site})")
    return found
