#!/usr/bin/env python3
"""Consistency checks for the held-out hand-labelled anonymisation gold set.

Usage:  python3 check_gold.py [-v]

Parses every *.txt transcript in this folder, validates the inline markup
[[surface|category]] against roster.csv and terms.csv, and prints counts per
category per file plus totals.  Exits non-zero if any error is found or a
minimum is not met.  -v also lists every unmarked ambiguous word use.
"""
import csv
import glob
import os
import re
import sys
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))

CATEGORIES = ["person", "person-typo", "person-undeclared", "school", "place",
              "organisation", "email", "phone", "postcode", "url"]
PERSON_CATS = {"person", "person-typo", "person-undeclared"}
TERM_CATS = {"school", "place", "organisation"}
PATTERN_CATS = {"email", "phone", "postcode", "url"}

# first names that are also ordinary English words
# (for this set also nicknames and surnames that are ordinary words: hols, cross)
AMBIGUOUS = {"rob", "pat", "sue", "ray", "amber", "rich", "don", "guy", "penny",
             "holly", "sandy", "nick", "art", "hols", "cross"}
# undeclared names that are also ordinary words (not flagged when unmarked)
UNDECLARED_WORDS = {"autumn", "sunny"}

TITLE_RE = re.compile(r"^(?:mr|mrs|ms|miss|mx|dr|sir|coach|auntie|uncle|mister|nurse|nan|grandad)\.?\s+")
MARK_RE = re.compile(r"\[\[([^\[\]|\n]*)\|([^\[\]|\n]*)\]\]")
LABEL_RE = re.compile(r"^(?:Interviewer|Participant(?: \d+)?|interviewer|participant(?: \d+)?): \S")

MINIMUMS = {"files_min": 6, "files_max": 8, "total": 220, "person_total": 170,
            "person_only": 150, "ambiguous_unmarked": 50, "lowercase_files": 2,
            "pattern_min": 5, "pattern_max": 12, "unpunctuated_run": 150}

PATTERN_RES = {
    "email": re.compile(r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$"),
    "postcode": re.compile(r"^[a-z]{1,2}\d[a-z\d]? ?\d[a-z]{2}$", re.I),
    "url": re.compile(r"^(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)+(?:/[\w./?=&%#-]*)?$", re.I),
}


def norm(s):
    return (s.replace("\u2019", "'").replace("\u2018", "'").replace("\u00a0", " ")
            .lower().strip())


def strip_title(s):
    return TITLE_RE.sub("", s, count=1)


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


def load_roster():
    forms = {}          # normalised form -> roster name
    with open(os.path.join(HERE, "roster.csv"), encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows and list(rows[0].keys()) == ["name", "aliases", "role", "site"], "bad roster header"
    for r in rows:
        name = r["name"].strip()
        parts = name.split()
        cand = {name, parts[0], " ".join(parts[1:])}
        aliases = {a.strip() for a in r["aliases"].split(";") if a.strip()}
        cand |= aliases
        # a title-less one-word alias (nickname) may be combined with the surname
        cand |= {a + " " + " ".join(parts[1:]) for a in aliases
                 if " " not in a and not TITLE_RE.match(a.lower() + " ")}
        for c in cand:
            forms[norm(c)] = name
    return rows, forms


def load_terms():
    with open(os.path.join(HERE, "terms.csv"), encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows and list(rows[0].keys()) == ["term", "category", "replacement"], "bad terms header"
    terms = {}
    for r in rows:
        assert r["category"] in TERM_CATS, f"bad term category {r['category']!r}"
        terms[norm(r["term"])] = r["category"]
    return rows, terms


def word_re(term):
    return re.compile(r"(?<![\w])" + re.escape(term) + r"(?![\w])")


def main():
    verbose = "-v" in sys.argv
    roster, forms = load_roster()
    term_rows, terms = load_terms()
    sites = {r["site"] for r in roster}
    errors, warnings = [], []
    for s in sites:
        if norm(s) not in terms or terms[norm(s)] != "organisation":
            errors.append(f"roster site {s!r} not listed as an organisation in terms.csv")

    # strings that must never occur unmarked (unambiguous roster forms, terms)
    search_forms = set()
    for fm in forms:
        if strip_title(fm) in AMBIGUOUS:      # e.g. 'coach will' ("a coach will notice")
            continue
        for v in {fm, strip_title(fm)}:
            if len(v) >= 2:
                search_forms.add(v)
    search_res = [(f, word_re(f)) for f in sorted(search_forms)]
    term_res = [(t, word_re(t)) for t in sorted(terms)]
    amb_re = re.compile(r"(?<![\w'\u2019])(" + "|".join(sorted(AMBIGUOUS))
                        + r")(?![\w])(?!['\u2019]t(?![\w]))", re.I)

    files = sorted(glob.glob(os.path.join(HERE, "*.txt")))
    per_file = {}
    totals = Counter()
    amb_total = Counter()
    amb_start_total = 0
    amb_marked = Counter()
    lowercase_files, longest_run = [], {}
    undeclared_all = set()
    unmarked_texts = {}
    hard = Counter()

    for path in files:
        fn = os.path.basename(path)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        counts = Counter()
        if text == text.lower():
            lowercase_files.append(fn)
        # paragraphs / labels
        for ln, line in enumerate(text.split("\n"), 1):
            if not line.strip():
                continue
            if not LABEL_RE.match(line):
                errors.append(f"{fn}:{ln}: paragraph does not start with a speaker label")
            if line.rstrip() != line:
                warnings.append(f"{fn}:{ln}: trailing whitespace")
        # markup
        for m in MARK_RE.finditer(text):
            surface, cat = m.group(1), m.group(2)
            ln = text.count("\n", 0, m.start()) + 1
            where = f"{fn}:{ln}: [[{surface}|{cat}]]"
            if cat not in CATEGORIES:
                errors.append(f"{where}: invalid category")
                continue
            counts[cat] += 1
            if not surface or surface != surface.strip():
                errors.append(f"{where}: empty surface or surrounding whitespace")
            if re.search(r"['\u2019]s?$", surface) and cat in PERSON_CATS:
                errors.append(f"{where}: possessive included in surface")
            if re.search(r"[,;:!?]$", surface) or (surface.endswith(".") and cat != "url"):
                errors.append(f"{where}: trailing punctuation in surface")
            s = norm(surface)
            if cat == "person":
                if s in forms or strip_title(s) in forms:
                    base = strip_title(s)
                    if base in AMBIGUOUS:
                        amb_marked[base] += 1
                else:
                    errors.append(f"{where}: not a roster name/alias")
            elif cat == "person-typo":
                cands = {s, strip_title(s)}
                if cands & set(forms):
                    errors.append(f"{where}: exact roster form marked as typo")
                else:
                    d, best = min((lev(c, fm), fm) for c in cands for fm in forms if len(fm) >= 4)
                    if not 1 <= d <= 2:
                        errors.append(f"{where}: not within edit distance 2 of a roster form (closest {best!r}, d={d})")
            elif cat == "person-undeclared":
                if s in forms or strip_title(s) in forms:
                    errors.append(f"{where}: is a roster form, should be 'person'")
                undeclared_all.update(t for t in strip_title(s).split() if t not in UNDECLARED_WORDS)
            elif cat in TERM_CATS:
                if s not in terms:
                    errors.append(f"{where}: not a term in terms.csv")
                elif terms[s] != cat:
                    errors.append(f"{where}: terms.csv says {terms[s]!r}")
            elif cat == "phone":
                digits = re.sub(r"\D", "", surface)
                if not re.fullmatch(r"[+()\d\s.-]+", surface) or not 10 <= len(digits) <= 13:
                    errors.append(f"{where}: does not look like a phone number")
            else:
                if not PATTERN_RES[cat].match(surface):
                    errors.append(f"{where}: does not look like a {cat}")
        for m in re.finditer(r"\[\[[^\[\]|\n]*\|person[^\]]*\]\](['\u2019])s(?![\w])", text):
            hard["possessive " + ("curly" if m.group(1) == "\u2019" else "straight")] += 1
        for m in MARK_RE.finditer(text):
            if m.group(2) in PERSON_CATS and TITLE_RE.match(norm(m.group(1))):
                hard["title form"] += 1
        # leftovers of malformed markup
        rest = MARK_RE.sub("\u2591", text)
        for tok in ("[[", "]]", "|"):
            i = rest.find(tok)
            if i >= 0:
                ln = rest.count("\n", 0, i) + 1
                errors.append(f"{fn}:{ln}: stray {tok!r} (malformed markup)")
        unmarked = norm(rest)
        unmarked_texts[fn] = unmarked
        # unmarked roster forms / terms
        for f_, rx in search_res:
            for m in rx.finditer(unmarked):
                ln = unmarked.count("\n", 0, m.start()) + 1
                errors.append(f"{fn}:{ln}: unmarked roster form {f_!r}")
        for t, rx in term_res:
            for m in rx.finditer(unmarked):
                ln = unmarked.count("\n", 0, m.start()) + 1
                errors.append(f"{fn}:{ln}: unmarked term {t!r}")
        # unmarked ambiguous word uses
        rest_nolabel = re.sub(r"(?m)^[A-Za-z]+(?: \d+)?: ", "\n", rest)
        amb = Counter()
        for m in amb_re.finditer(rest_nolabel):
            w = m.group(1).lower()
            amb[w] += 1
            before = rest_nolabel[max(0, m.start() - 12):m.start()]
            start = bool(re.search(r'(^|[.?!"\u201c\n]\s*|\[\w+\]\s*)$', "\n" + before))
            amb_start_total += start
            if verbose:
                ctx = rest_nolabel[max(0, m.start() - 40):m.end() + 30].replace("\n", " / ")
                print(f"  unmarked {w:6s}{' (start)' if start else '        '} {fn}: ...{ctx}...")
        amb_total.update(amb)
        counts["_ambiguous_unmarked"] = sum(amb.values())
        # longest run of words without sentence-final punctuation
        runs = [len(seg.split()) for seg in re.split(r"[.?!]", MARK_RE.sub("X", text))]
        longest_run[fn] = max(runs) if runs else 0
        per_file[fn] = counts
        totals.update(counts)

    # undeclared names that also occur unmarked somewhere (warnings only)
    for fn, unmarked in unmarked_texts.items():
        for t in sorted(undeclared_all):
            if len(t) > 2 and word_re(t).search(unmarked):
                warnings.append(f"{fn}: undeclared name {t!r} also occurs unmarked")

    # ---- report
    cols = CATEGORIES + ["_ambiguous_unmarked"]
    short = {"person": "pers", "person-typo": "typo", "person-undeclared": "undecl",
             "school": "school", "place": "place", "organisation": "org", "email": "email",
             "phone": "phone", "postcode": "pcode", "url": "url", "_ambiguous_unmarked": "amb-unm"}
    w = max(len(os.path.basename(p)) for p in files) if files else 10
    print(f"{'file':{w}s} " + " ".join(f"{short[c]:>7s}" for c in cols) + "   gold  run lc")
    for fn, c in per_file.items():
        gold = sum(c[k] for k in CATEGORIES)
        print(f"{fn:{w}s} " + " ".join(f"{c[k]:7d}" for k in cols)
              + f" {gold:6d} {longest_run[fn]:4d} {'y' if fn in lowercase_files else ''}")
    gold_total = sum(totals[k] for k in CATEGORIES)
    person_total = sum(totals[k] for k in PERSON_CATS)
    print(f"{'TOTAL':{w}s} " + " ".join(f"{totals[k]:7d}" for k in cols) + f" {gold_total:6d}")
    print()
    print(f"gold mentions: {gold_total}; person-name mentions: {person_total}")
    print(f"unmarked ambiguous-word uses: {sum(amb_total.values())} "
          f"({amb_start_total} at sentence/turn start) {dict(sorted(amb_total.items()))}")
    print(f"marked name-uses of ambiguous names: {sum(amb_marked.values())} {dict(sorted(amb_marked.items()))}")
    print(f"lower-case files: {lowercase_files}")
    print(f"hard cases: {dict(sorted(hard.items()))}")
    print(f"longest unpunctuated stretch: {max(longest_run.values()) if longest_run else 0} words "
          f"({max(longest_run, key=longest_run.get) if longest_run else '-'})")

    # ---- minimums
    if not MINIMUMS["files_min"] <= len(files) <= MINIMUMS["files_max"]:
        errors.append(f"number of transcript files {len(files)} outside "
                      f"{MINIMUMS['files_min']}-{MINIMUMS['files_max']}")
    if gold_total < MINIMUMS["total"]:
        errors.append(f"total gold mentions {gold_total} < {MINIMUMS['total']}")
    if person_total < MINIMUMS["person_total"]:
        errors.append(f"person-name mentions {person_total} < {MINIMUMS['person_total']}")
    if totals["person"] < MINIMUMS["person_only"]:
        errors.append(f"'person' mentions {totals['person']} < {MINIMUMS['person_only']}")
    if sum(amb_total.values()) < MINIMUMS["ambiguous_unmarked"]:
        errors.append(f"unmarked ambiguous uses {sum(amb_total.values())} < {MINIMUMS['ambiguous_unmarked']}")
    if len(lowercase_files) < MINIMUMS["lowercase_files"]:
        errors.append("fewer than two all-lower-case files")
    if not longest_run or max(longest_run.values()) < MINIMUMS["unpunctuated_run"]:
        errors.append("no file with a long unpunctuated stretch")
    for c in PATTERN_CATS:
        if not MINIMUMS["pattern_min"] <= totals[c] <= MINIMUMS["pattern_max"]:
            warnings.append(f"{c}: {totals[c]} mentions, outside the intended "
                            f"{MINIMUMS['pattern_min']}-{MINIMUMS['pattern_max']}")

    for wmsg in warnings:
        print("WARNING:", wmsg)
    for e in errors:
        print("ERROR:", e)
    print("OK" if not errors else f"FAILED with {len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
