#!/usr/bin/env python3
"""Consistency checks for a hand-labelled anonymisation gold set.

Usage:  python3 tests/data/check_gold.py FOLDER [-v]

Parses every *.txt transcript in FOLDER, validates the inline markup
[[surface|category]] against FOLDER/roster.csv and FOLDER/terms.csv, and prints
counts per category per file plus totals.  Exits non-zero if any error is found
or a minimum is not met.  -v also lists every unmarked ambiguous word use.

What differs between sets (ambiguous names, undeclared names that are ordinary
words, extra titles, the terms.csv category of roster sites, minimums) is read
from FOLDER/gold.toml.
"""
import argparse
import csv
import glob
import os
import re
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass

CATEGORIES = ["person", "person-typo", "person-undeclared", "school", "place",
              "organisation", "email", "phone", "postcode", "url"]
PERSON_CATS = {"person", "person-typo", "person-undeclared"}
TERM_CATS = {"school", "place", "organisation"}
PATTERN_CATS = {"email", "phone", "postcode", "url"}
TITLES = ["mr", "mrs", "ms", "miss", "mx", "dr", "sir", "coach", "auntie", "uncle", "mister"]

MARK_RE = re.compile(r"\[\[([^\[\]|\n]*)\|([^\[\]|\n]*)\]\]")
LABEL_RE = re.compile(r"^(?:Interviewer|Participant(?: \d+)?|interviewer|participant(?: \d+)?): \S")
POSSESSIVE_RE = re.compile(r"\[\[[^\[\]|\n]*\|person[^\]]*\]\](['\u2019])s(?![\w])")
PATTERN_RES = {
    "email": re.compile(r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$"),
    "postcode": re.compile(r"^[a-z]{1,2}\d[a-z\d]? ?\d[a-z]{2}$", re.I),
    "url": re.compile(r"^(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)+(?:/[\w./?=&%#-]*)?$", re.I),
}
COLUMNS = CATEGORIES + ["_ambiguous_unmarked"]
SHORT = {"person": "pers", "person-typo": "typo", "person-undeclared": "undecl",
         "school": "school", "place": "place", "organisation": "org", "email": "email",
         "phone": "phone", "postcode": "pcode", "url": "url", "_ambiguous_unmarked": "amb-unm"}


@dataclass
class Settings:
    ambiguous: set          # names that are also ordinary words
    undeclared_words: set   # undeclared names that are also ordinary words
    title_re: re.Pattern
    site_category: str      # terms.csv category every roster site must have
    minimums: dict


def load_settings(folder):
    with open(os.path.join(folder, "gold.toml"), "rb") as f:
        cfg = tomllib.load(f)
    titles = TITLES + cfg.get("extra_titles", [])
    return Settings(ambiguous=set(cfg["ambiguous"]),
                    undeclared_words=set(cfg.get("undeclared_words", [])),
                    title_re=re.compile(r"^(?:" + "|".join(map(re.escape, titles)) + r")\.?\s+"),
                    site_category=cfg["site_category"],
                    minimums=cfg["minimums"])


def norm(s):
    return (s.replace("\u2019", "'").replace("\u2018", "'").replace("\u00a0", " ")
            .lower().strip())


def lev(a, b):
    if a == b:
        return 0
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def word_re(term):
    return re.compile(r"(?<![\w])" + re.escape(term) + r"(?![\w])")


def read_csv(path, header):
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows and list(rows[0].keys()) == header, f"bad header in {path}"
    return rows


def roster_forms(rows, title_re):
    """Normalised form (name, first name, surname, alias, nickname + surname) -> roster name."""
    forms = {}
    for r in rows:
        name = r["name"].strip()
        parts = name.split()
        cand = {name, parts[0], " ".join(parts[1:])}
        aliases = {a.strip() for a in r["aliases"].split(";") if a.strip()}
        cand |= aliases
        # a title-less one-word alias (nickname) may be combined with the surname
        cand |= {a + " " + " ".join(parts[1:]) for a in aliases
                 if " " not in a and not title_re.match(a.lower() + " ")}
        for c in cand:
            forms[norm(c)] = name
    return forms


def load_terms(folder):
    terms = {}
    for r in read_csv(os.path.join(folder, "terms.csv"), ["term", "category", "replacement"]):
        assert r["category"] in TERM_CATS, f"bad term category {r['category']!r}"
        terms[norm(r["term"])] = r["category"]
    return terms


class GoldCheck:
    def __init__(self, folder, verbose):
        self.verbose = verbose
        self.st = load_settings(folder)
        self.roster = read_csv(os.path.join(folder, "roster.csv"), ["name", "aliases", "role", "site"])
        self.forms = roster_forms(self.roster, self.st.title_re)
        self.terms = load_terms(folder)
        self.files = sorted(glob.glob(os.path.join(folder, "*.txt")))
        self.errors, self.warnings = [], []
        self.per_file, self.longest_run, self.unmarked_texts = {}, {}, {}
        self.totals, self.amb_total, self.amb_marked, self.hard = Counter(), Counter(), Counter(), Counter()
        self.amb_start_total = 0
        self.lowercase_files = []
        self.undeclared_all = set()
        self.search_res = [(f, word_re(f)) for f in sorted(self.search_forms())]
        self.term_res = [(t, word_re(t)) for t in sorted(self.terms)]
        # ambiguous words, but not contractions such as don't
        self.amb_re = re.compile(r"(?<![\w'\u2019])(" + "|".join(sorted(self.st.ambiguous))
                                 + r")(?![\w])(?!['\u2019]t(?![\w]))", re.I)

    def strip_title(self, s):
        return self.st.title_re.sub("", s, count=1)

    def search_forms(self):
        """Strings that must never occur unmarked: unambiguous roster forms, with and without title."""
        found = set()
        for fm in self.forms:
            if self.strip_title(fm) in self.st.ambiguous:   # e.g. 'coach will' ("a coach will notice")
                continue
            found |= {v for v in (fm, self.strip_title(fm)) if len(v) >= 2}
        return found

    def run(self):
        self.check_sites()
        for path in self.files:
            self.check_file(path)
        self.check_undeclared_unmarked()
        self.report()
        self.check_minimums()
        for wmsg in self.warnings:
            print("WARNING:", wmsg)
        for e in self.errors:
            print("ERROR:", e)
        print("OK" if not self.errors else f"FAILED with {len(self.errors)} error(s)")
        return 1 if self.errors else 0

    def check_sites(self):
        cat = self.st.site_category
        article = "an" if cat[0] in "aeiou" else "a"
        for s in sorted({r["site"] for r in self.roster}):
            if self.terms.get(norm(s)) != cat:
                self.errors.append(f"roster site {s!r} not listed as {article} {cat} in terms.csv")

    # ---- one transcript

    def check_file(self, path):
        fn = os.path.basename(path)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if text == text.lower():
            self.lowercase_files.append(fn)
        self.check_lines(fn, text)
        counts = Counter()
        for m in MARK_RE.finditer(text):
            self.check_mark(fn, text, m, counts)
        for m in POSSESSIVE_RE.finditer(text):
            self.hard["possessive " + ("curly" if m.group(1) == "\u2019" else "straight")] += 1
        rest = MARK_RE.sub("\u2591", text)
        self.check_stray(fn, rest)
        self.check_unmarked(fn, norm(rest))
        counts["_ambiguous_unmarked"] = self.count_ambiguous(fn, rest)
        # longest run of words without sentence-final punctuation
        runs = [len(seg.split()) for seg in re.split(r"[.?!]", MARK_RE.sub("X", text))]
        self.longest_run[fn] = max(runs) if runs else 0
        self.per_file[fn] = counts
        self.totals.update(counts)

    def check_lines(self, fn, text):
        for ln, line in enumerate(text.split("\n"), 1):
            if not line.strip():
                continue
            if not LABEL_RE.match(line):
                self.errors.append(f"{fn}:{ln}: paragraph does not start with a speaker label")
            if line.rstrip() != line:
                self.warnings.append(f"{fn}:{ln}: trailing whitespace")

    def check_mark(self, fn, text, m, counts):
        surface, cat = m.group(1), m.group(2)
        ln = text.count("\n", 0, m.start()) + 1
        where = f"{fn}:{ln}: [[{surface}|{cat}]]"
        if cat not in CATEGORIES:
            self.errors.append(f"{where}: invalid category")
            return
        counts[cat] += 1
        if not surface or surface != surface.strip():
            self.errors.append(f"{where}: empty surface or surrounding whitespace")
        if re.search(r"['\u2019]s?$", surface) and cat in PERSON_CATS:
            self.errors.append(f"{where}: possessive included in surface")
        if re.search(r"[,;:!?]$", surface) or (surface.endswith(".") and cat != "url"):
            self.errors.append(f"{where}: trailing punctuation in surface")
        if cat in PERSON_CATS:
            self.check_person(where, norm(surface), cat)
        else:
            self.check_other(where, surface, cat)

    def check_person(self, where, s, cat):
        base = self.strip_title(s)
        if s != base:
            self.hard["title form"] += 1
        is_form = s in self.forms or base in self.forms
        if cat == "person":
            if not is_form:
                self.errors.append(f"{where}: not a roster name/alias")
            elif base in self.st.ambiguous:
                self.amb_marked[base] += 1
        elif cat == "person-typo":
            if is_form:
                self.errors.append(f"{where}: exact roster form marked as typo")
            else:
                d, best = min((lev(c, fm), fm) for c in {s, base} for fm in self.forms if len(fm) >= 4)
                if not 1 <= d <= 2:
                    self.errors.append(f"{where}: not within edit distance 2 of a roster form "
                                       f"(closest {best!r}, d={d})")
        else:
            if is_form:
                self.errors.append(f"{where}: is a roster form, should be 'person'")
            self.undeclared_all.update(t for t in base.split() if t not in self.st.undeclared_words)

    def check_other(self, where, surface, cat):
        s = norm(surface)
        if cat in TERM_CATS:
            if s not in self.terms:
                self.errors.append(f"{where}: not a term in terms.csv")
            elif self.terms[s] != cat:
                self.errors.append(f"{where}: terms.csv says {self.terms[s]!r}")
        elif cat == "phone":
            digits = re.sub(r"\D", "", surface)
            if not re.fullmatch(r"[+()\d\s.-]+", surface) or not 10 <= len(digits) <= 13:
                self.errors.append(f"{where}: does not look like a phone number")
        elif not PATTERN_RES[cat].match(surface):
            self.errors.append(f"{where}: does not look like a {cat}")

    def check_stray(self, fn, rest):
        """Leftovers of malformed markup."""
        for tok in ("[[", "]]", "|"):
            i = rest.find(tok)
            if i >= 0:
                ln = rest.count("\n", 0, i) + 1
                self.errors.append(f"{fn}:{ln}: stray {tok!r} (malformed markup)")

    def check_unmarked(self, fn, unmarked):
        """Roster forms and terms left unmarked."""
        self.unmarked_texts[fn] = unmarked
        for kind, res in (("roster form", self.search_res), ("term", self.term_res)):
            for f_, rx in res:
                for m in rx.finditer(unmarked):
                    ln = unmarked.count("\n", 0, m.start()) + 1
                    self.errors.append(f"{fn}:{ln}: unmarked {kind} {f_!r}")

    def count_ambiguous(self, fn, rest):
        """Count (and with -v list) unmarked ambiguous word uses; return their number."""
        rest_nolabel = re.sub(r"(?m)^[A-Za-z]+(?: \d+)?: ", "\n", rest)
        amb = Counter()
        for m in self.amb_re.finditer(rest_nolabel):
            w = m.group(1).lower()
            amb[w] += 1
            before = rest_nolabel[max(0, m.start() - 12):m.start()]
            start = bool(re.search(r'(^|[.?!"\u201c\n]\s*|\[\w+\]\s*)$', "\n" + before))
            self.amb_start_total += start
            if self.verbose:
                ctx = rest_nolabel[max(0, m.start() - 40):m.end() + 30].replace("\n", " / ")
                print(f"  unmarked {w:6s}{' (start)' if start else '        '} {fn}: ...{ctx}...")
        self.amb_total.update(amb)
        return sum(amb.values())

    # ---- whole set

    def check_undeclared_unmarked(self):
        """Undeclared names that also occur unmarked somewhere (warnings only)."""
        for fn, unmarked in self.unmarked_texts.items():
            for t in sorted(self.undeclared_all):
                if len(t) > 2 and word_re(t).search(unmarked):
                    self.warnings.append(f"{fn}: undeclared name {t!r} also occurs unmarked")

    def gold_total(self):
        return sum(self.totals[k] for k in CATEGORIES)

    def person_total(self):
        return sum(self.totals[k] for k in PERSON_CATS)

    def report(self):
        w = max(len(os.path.basename(p)) for p in self.files) if self.files else 10
        print(f"{'file':{w}s} " + " ".join(f"{SHORT[c]:>7s}" for c in COLUMNS) + "   gold  run lc")
        for fn, c in self.per_file.items():
            gold = sum(c[k] for k in CATEGORIES)
            print(f"{fn:{w}s} " + " ".join(f"{c[k]:7d}" for k in COLUMNS)
                  + f" {gold:6d} {self.longest_run[fn]:4d} {'y' if fn in self.lowercase_files else ''}")
        print(f"{'TOTAL':{w}s} " + " ".join(f"{self.totals[k]:7d}" for k in COLUMNS)
              + f" {self.gold_total():6d}")
        print()
        print(f"gold mentions: {self.gold_total()}; person-name mentions: {self.person_total()}")
        print(f"unmarked ambiguous-word uses: {sum(self.amb_total.values())} "
              f"({self.amb_start_total} at sentence/turn start) {dict(sorted(self.amb_total.items()))}")
        print(f"marked name-uses of ambiguous names: {sum(self.amb_marked.values())} "
              f"{dict(sorted(self.amb_marked.items()))}")
        print(f"lower-case files: {self.lowercase_files}")
        print(f"hard cases: {dict(sorted(self.hard.items()))}")
        longest = max(self.longest_run, key=self.longest_run.get) if self.longest_run else None
        print(f"longest unpunctuated stretch: {self.longest_run[longest] if longest else 0} words "
              f"({longest or '-'})")

    def check_minimums(self):
        mins, err = self.st.minimums, self.errors.append
        if not mins["files_min"] <= len(self.files) <= mins["files_max"]:
            err(f"number of transcript files {len(self.files)} outside {mins['files_min']}-{mins['files_max']}")
        if self.gold_total() < mins["total"]:
            err(f"total gold mentions {self.gold_total()} < {mins['total']}")
        if self.person_total() < mins["person_total"]:
            err(f"person-name mentions {self.person_total()} < {mins['person_total']}")
        if self.totals["person"] < mins.get("person_only", 0):
            err(f"'person' mentions {self.totals['person']} < {mins['person_only']}")
        if sum(self.amb_total.values()) < mins["ambiguous_unmarked"]:
            err(f"unmarked ambiguous uses {sum(self.amb_total.values())} < {mins['ambiguous_unmarked']}")
        if len(self.lowercase_files) < mins["lowercase_files"]:
            err(f"fewer than {mins['lowercase_files']} all-lower-case files")
        if not self.longest_run or max(self.longest_run.values()) < mins["unpunctuated_run"]:
            err("no file with a long unpunctuated stretch")
        for c in sorted(PATTERN_CATS):
            if not mins["pattern_min"] <= self.totals[c] <= mins["pattern_max"]:
                self.warnings.append(f"{c}: {self.totals[c]} mentions, outside the intended "
                                     f"{mins['pattern_min']}-{mins['pattern_max']}")


def main():
    ap = argparse.ArgumentParser(description="Check a hand-labelled anonymisation gold set.")
    ap.add_argument("folder", help="the set's folder (transcripts, roster.csv, terms.csv, gold.toml)")
    ap.add_argument("-v", action="store_true", help="list every unmarked ambiguous word use")
    args = ap.parse_args()
    return GoldCheck(args.folder, args.v).run()


if __name__ == "__main__":
    sys.exit(main())
