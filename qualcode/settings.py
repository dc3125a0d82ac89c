"""Settings in layers: command-line options > environment > per-user config > project `qualcode.toml` > defaults.

Things that belong to a person (coder name, key path) go in the user config, outside the project,
so a project folder can be shared without them.
"""

from __future__ import annotations

import getpass
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ProjectError, UsageError

PROJECT_FILE = "qualcode.toml"
DATABASE_FILE = "qualcode.db"
EXPORTS_DIR = "exports"
CODEBOOK_FILE = "codebook.yaml"

DEFAULT_INTERVIEWER_LABELS = [
    r"interviewer\s*\d*", r"int\.?\s*\d*", r"i", r"q", r"moderator\s*\d*", r"facilitator\s*\d*", r"researcher\s*\d*",
]

DEFAULTS: dict[str, Any] = {
    "project.codebook": CODEBOOK_FILE,
    "project.schedule": "",
    "import.interviewer_labels": [],
    "import.label_pattern": "",
    "anonymise.regions": ["GB"],
    "anonymise.fuzzy_threshold": 80,
    "anonymise.ner_model": "",
    "anonymise.document_name": "document-{n:03}",
    "anonymise.site_name": "Site {letter}",
    "anonymise.identifying_attributes": ["name", "school", "email", "phone", "address", "postcode"],
    "anonymise.replacements.person": "[{role}'s name]",
    "anonymise.replacements.name": "[name]",
    "anonymise.replacements.school": "_____ (school)",
    "anonymise.replacements.place": "[place name]",
    "anonymise.replacements.organisation": "[organisation]",
    "anonymise.replacements.email": "[e-mail address]",
    "anonymise.replacements.phone": "[phone number]",
    "anonymise.replacements.postcode": "[postcode]",
    "anonymise.replacements.url": "[web address]",
    "tally.base_threshold": 30,
    "tally.decimals": 0,
    "tally.wave_attribute": "wave",
    "quotes.shortest": 8,
    "quotes.longest": 60,
    "quotes.target": 25,
    "quotes.per_theme": 5,
    "quotes.style": "inline",
    "quotes.marks": "single",
    "quotes.attribution": "{code}",
    "quotes.balance": "site",
    "matrix.rating_scale": [["Red", 1], ["Amber", 2], ["Green", 3]],
    "tally.words": [[100, "all"], [90, "almost all"], [60, "most"], [40, "around half"], [20, "some"], [0.01, "a few"], [0, "none"]],
}
ENVIRONMENT = {"coder": "QUALCODE_CODER", "key": "QUALCODE_KEY"}

PROJECT_TEMPLATE = f"""\
# qualcode project settings, shared by everyone working on this project.
# Personal settings (your coder name, the anonymisation key path) belong in your user config:
#   {{user_config}}

[project]
codebook = "{CODEBOOK_FILE}"
# The interview schedule (a text file, one question per line, optionally `ID: question`): a code's
# `question: ID` then means "turns answering the interviewer's question that asks this item".
schedule = ""

[import]
# Extra labels that mark an interviewer, as case-insensitive regular expressions matching the whole
# label. Built in: Interviewer, Interviewer 1, Int, I, Q, Moderator, Facilitator, Researcher.
interviewer_labels = []
# A regular expression with a named group (?P<label>...) (and optionally (?P<time>...)) for
# speaker labels in a style qualcode does not recognise; it replaces the built-in styles.
label_pattern = ""

[codes]
# Speaker codes (`qualcode speakers assign`). style: "site-number" (A1, B2 …; the default),
# "tuple" ((W, Anchor), from the attributes in `tuple`) or "role" (the roster role, e.g. LA officer).
style = "site-number"
tuple = ["locality", "role"]
skip_letters = []             # site letters to skip besides I, e.g. ["O"]
interviewer_prefix = "INT"

[codes.roles]                 # roster role -> code series, e.g. coach = "C" gives C1, C2 …

[codes.groups]                # roster group -> one shared code, e.g. "project staff" = "PC"

[codes.sites]                 # site -> fixed letter, e.g. "Site name" = "A"

[codes.aliases]               # long -> short form in tuple codes, e.g. Oldham = "O"

[anonymise]
# `qualcode anonymise`: where phone numbers and postcodes are written (ISO region codes: GB, IE, US,
# CA, AU, NL), how close a typo must be to a declared name (rapidfuzz ratio, 0 turns it off), an
# installed spaCy pipeline with NER whose entities become suggestions to review (none is downloaded),
# neutral document names, and attributes whose values always identify.
regions = ["GB"]
fuzzy_threshold = 80
ner_model = ""
document_name = "document-{{n:03}}"
site_name = "Site {{letter}}"
identifying_attributes = ["name", "school", "email", "phone", "address", "postcode"]

[anonymise.replacements]
# What replaces each kind of identifying text. A person's may use {{role}} (roster role, e.g. coach)
# and {{code}} (their speaker code); `name` is used for people without what the template needs.
# A terms file category not listed here becomes [category].
person = "[{{role}}'s name]"
name = "[name]"
school = "_____ (school)"
place = "[place name]"
organisation = "[organisation]"
email = "[e-mail address]"
phone = "[phone number]"
postcode = "[postcode]"
url = "[web address]"

[tally]
# `qualcode tally` and the tables built on it. Below base_threshold people, a share prints as "7 of 20"
# rather than 35%; decimals for percentages; the attribute that names a wave (for --constant-sample);
# the words --as-words uses: [lowest percentage, word], highest first.
base_threshold = 30
decimals = 0
wave_attribute = "wave"
words = [[100, "all"], [90, "almost all"], [60, "most"], [40, "around half"], [20, "some"], [0.01, "a few"], [0, "none"]]

[quotes]
# Quote banks and evidence tables. Length window in words (quotes outside it rank last); how many per
# theme; the house style: "inline" ('text' (C3)), "role" (block quote, the role on its own line) or
# "attribution" (block quote, then this template on its own line: {{code}}, {{role}}, {{document}} or any
# attribute, e.g. "{{site}}, {{source}}"); curly "single" or "double" marks; the attribute balanced across quotes.
shortest = 8
longest = 60
target = 25
per_theme = 5
style = "inline"
marks = "single"
attribution = "{{code}}"
balance = "site"

[matrix]
# `qualcode matrix ratings`: each rating's score (a label may also be written as its initial, R for Red).
rating_scale = [["Red", 1], ["Amber", 2], ["Green", 3]]
"""


def user_config_path() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("qualcode")) / "config.toml"


def read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as error:
        raise ProjectError(f"{path}: {error}; fix the file (it is TOML)") from None
    except OSError as error:
        raise ProjectError(f"{path}: cannot read ({error.strerror})") from None


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _layer(table: dict[str, Any]) -> dict[str, Any]:
    """A config file's values under the keys used here (`[user] coder` is the `coder` setting, `[user] key` the `key`)."""
    personal = {"user.coder": "coder", "user.key": "key"}
    return {personal.get(key, key): value for key, value in _flatten(table).items()}


@dataclass(frozen=True, slots=True)
class Settings:
    values: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.values.get(key)

    @property
    def coder(self) -> str:
        """Who is working, as the log, codings and decisions record them."""
        name = str(self.values["coder"]).strip()
        if not name:
            raise UsageError("--coder: give a name (who is working), or leave it out to use your login name")
        if "," in name:
            raise UsageError(f"--coder {name}: a coder's name cannot hold a comma (`agree --coders` splits names on commas)")
        if name.casefold() == "consensus":
            raise UsageError("--coder consensus: that name is kept for the codings adjudication makes; choose another")
        return name

    @property
    def interviewer_labels(self) -> list[str]:
        return DEFAULT_INTERVIEWER_LABELS + self.values.get("import.interviewer_labels", [])


def load_settings(project_root: Path | None, options: dict[str, Any] | None = None) -> Settings:
    """Merge the layers, lowest first, so each later layer wins."""
    values = dict(DEFAULTS)
    values["coder"] = _login_name()
    if project_root is not None:
        values.update(_layer(read_toml(project_root / PROJECT_FILE)))
    values.update(_layer(read_toml(user_config_path())))
    values.update({key: os.environ[var] for key, var in ENVIRONMENT.items() if os.environ.get(var)})
    values.update({key: value for key, value in (options or {}).items() if value is not None})
    _check_interviewer_labels(values["import.interviewer_labels"], project_root)
    return Settings(values)


def _check_interviewer_labels(patterns: Any, project_root: Path | None) -> None:
    where = project_root / PROJECT_FILE if project_root else user_config_path()
    if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
        raise ProjectError(f'{where}: import.interviewer_labels must be a list of strings, e.g. ["Dan", "Evaluator \\d"]')
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as error:
            raise ProjectError(f"{where}: import.interviewer_labels: {pattern!r} is not a regular expression ({error})") from None


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "coder"
