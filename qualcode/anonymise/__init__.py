"""Anonymisation: speaker codes for labels, neutral document names, identifying text redacted, and a
key kept outside the project as the only way back.

- `run.anonymise`: one unit of work over the corpus (`redactions` rows in the project, originals in the key);
- `reverse.reverse`: everything put back exactly;
- `review`: doubtful finds (names that are also words) listed, redacted or kept;
- `detect` and `lexicon`: what is looked for, and how it is found (pure).
"""

from .common import APPLIED, PENDING, REJECTED, settings_files, settings_for
from .reverse import ReverseReport, reverse
from .review import Pending, keep, pending, redact, walk
from .run import AnonymiseReport, anonymise

__all__ = ["APPLIED", "PENDING", "REJECTED", "AnonymiseReport", "Pending", "ReverseReport", "anonymise", "keep", "pending",
           "redact", "reverse", "settings_files", "settings_for", "walk"]
