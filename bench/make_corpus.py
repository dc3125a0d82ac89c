"""Synthetic interview corpus for the benchmarks: about 1 M words in four equal shares, with a roster.

Interview i is written as the format `FORMATS[i % 4]`: labelled plain text, Word (one paragraph per turn),
WebVTT captions (`<v Name>` voice spans, several cues per turn) or a CSV survey (respondents x two
open-ended questions plus closed columns). Each file holds about `words_per_interview` words of speech.

For the anonymisation benchmark the folder also gets `roster.csv` (`names` invented people: name, a
short alias, role, site) and `terms.csv` (the sites, as schools). Interview i's participant is roster
person i, labelled by name in every other interview; about one sentence in eight mentions someone on
the roster (first name, surname, full name or possessive), a name standing in for a word so that word
counts stay exact. Some first names are also everyday words (Will, May, Hope …).

Deterministic: the vocabulary comes from random.Random(seed) and interview i from random.Random(f"{seed}-{i}"),
so a small corpus is a prefix of a large one with the same seed. (Word files also carry zip timestamps, so
their bytes differ between runs; their text does not.)

    python bench/make_corpus.py OUT_DIR [--interviews N] [--words N] [--seed N]
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import json
import random
import sys
import time
from pathlib import Path

FORMATS = ("txt", "docx", "vtt", "csv")
SURVEY_RESPONDENTS = 40
SURVEY_QUESTIONS = ("q1_what_changed", "q2_barriers")

_COMMON = """
the of and to a in that it is was i for on you he be with as by at have are this not but had his they from
she which or we an there her were one do been all their has would will what if can when so no said who more
about up them some could him into its then two like other time out only my see now people could way just also
work school year years teachers teacher pupils children class lesson lessons session sessions coaching coach
support time staff head team plan planning practice feedback think know really quite bit lot things thing
because maybe actually probably sort kind mean mostly sometimes often never always every week term day
morning afternoon meeting meetings training programme project funding cover timetable budget parents
community change changed changes confidence reflect reflection question questions questioning group groups
leader leaders leadership role roles hard easy better worse good bad new old first last next before after
again still already enough very much many few little less most least something nothing everything anything
someone everyone together between through during without within across around towards against under over
feel felt found made make making take took taken give gave given get got go went going come came say
talk talked talking listen listened ask asked tell told help helped helping try tried trying use used
learn learned learning teach taught teaching share shared sharing observe observed observing notice noticed
honest honestly difficult different important useful interesting worried pleased surprised tired busy
local national primary secondary academy trust authority officer office room building site area region
""".split()

_ONSETS = ["b", "br", "c", "ch", "d", "dr", "f", "fl", "g", "gr", "h", "j", "k", "l", "m", "n", "p", "pl",
           "pr", "r", "s", "sh", "sl", "st", "t", "th", "tr", "v", "w", "z"]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "ee", "oo", "ou", "ie"]
_CODAS = ["", "", "", "n", "r", "l", "s", "t", "nd", "st", "ng", "m", "ck", "rd"]
_PARTICIPANT_ROLES = ["Teacher", "Teaching assistant", "Senior leader", "Coach", "Governor", "Parent"]
_SITES = ["Northmoor", "Greyfield", "Ashby Moor", "Hollins Park", "St Aidan's", "Riverside"]
_LIKERT = ["Strongly agree", "Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree"]
_NAME_WORDS = ["Will", "May", "Hope", "Grace", "Mark", "Bill", "Rose", "Frank", "Dawn", "Jack", "Joy", "Faith"]
NAMES = 2000


# Names are built from their own sounds, so that they look like names beside the invented vocabulary.
_NAME_ONSETS = ["Al", "Ber", "Cal", "Dar", "El", "Fen", "Gar", "Hal", "Is", "Jor", "Kel", "Lor", "Mar", "Nor", "Os", "Per",
                "Quin", "Ros", "Sel", "Tam", "Ul", "Ver", "Wyn", "Yar", "Zel", "Ash", "Bram", "Cor", "Dun", "Ev"]
_NAME_MIDDLES = ["", "a", "e", "i", "o", "an", "en", "in", "ar", "or", "ev", "om"]
_NAME_ENDINGS = ["a", "ia", "ina", "el", "en", "on", "son", "ley", "ton", "ford", "wick", "ham", "by", "ette", "us", "ius"]


def _invented(rng: random.Random, syllables: int) -> str:
    return rng.choice(_NAME_ONSETS) + "".join(rng.choice(_NAME_MIDDLES) for _ in range(syllables - 1)) + rng.choice(_NAME_ENDINGS)


def make_roster(seed: int, n: int = NAMES) -> list[dict]:
    """`n` invented people, each with a first name, a surname, a site and a role; one in twenty first
    names is also an everyday word."""
    rng = random.Random(f"{seed}-roster")
    people, seen = [], set()
    while len(people) < n:
        first = rng.choice(_NAME_WORDS) if rng.random() < 0.05 else _invented(rng, rng.choice((1, 2)))
        last = _invented(rng, rng.choice((2, 2, 3)))
        if (first, last) in seen:
            continue
        seen.add((first, last))
        people.append({"name": f"{first} {last}", "first": first, "last": last, "site": rng.choice(_SITES),
                       "role": rng.choice(_PARTICIPANT_ROLES)})
    return people


class _Speech:
    """Sentences of 8-25 words from a Zipf-weighted vocabulary of a few thousand words."""

    def __init__(self, seed: int, invented: int = 3000, people: list[dict] | None = None):
        rng = random.Random(seed)
        self.people = people or []
        words = list(dict.fromkeys(_COMMON))
        seen = set(words)
        while len(words) < len(_COMMON) + invented:
            word = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(rng.choice((1, 2, 2, 2, 3))))
            if word not in seen:
                seen.add(word)
                words.append(word)
        self.words = words
        # Common words first, so the distribution's head is ordinary English.
        self.cum_weights = list(itertools.accumulate(1.0 / (rank + 2) for rank in range(len(words))))

    def sentence(self, rng: random.Random, n: int, question: bool = False) -> str:
        words = rng.choices(self.words, cum_weights=self.cum_weights, k=n)
        if self.people and n > 6 and rng.random() < 0.125:
            person = rng.choice(self.people)
            at = rng.randint(1, n - 3)
            form = rng.random()
            if form < 0.2:
                words[at:at + 2] = [person["first"], person["last"]]
            else:
                words[at] = (person["first"] if form < 0.7 else person["last"]) + ("'s" if form > 0.9 else "")
        if n > 12 and rng.random() < 0.4:
            cut = rng.randint(4, n - 4)
            words[cut] += ","
        text = " ".join(words)
        return text[0].upper() + text[1:] + ("?" if question else rng.choice(".....!"))

    def text(self, rng: random.Random, n_words: int, question: bool = False) -> str:
        """About `n_words` words in sentences of 8-25 words (exactly n_words when n_words >= 8)."""
        sentences, left = [], n_words
        while left > 0:
            if left <= 25:
                n = left
            else:
                n = rng.randint(8, 25)
                if left - n < 8:  # no short last sentence
                    n = left - 8
            left -= n
            sentences.append(self.sentence(rng, n, question and left == 0))
        return " ".join(sentences)


def _turns(speech: _Speech, rng: random.Random, participant: str, n_words: int) -> list[tuple[str, str]]:
    """Alternating interviewer / participant turns of 20-150 words totalling n_words."""
    turns, left, interviewer = [], n_words, True
    while left > 0:
        n = rng.randint(20, 50) if interviewer else rng.randint(40, 150)
        if left - n < 20:
            n = left
        turns.append(("Interviewer" if interviewer else participant, speech.text(rng, n, question=interviewer)))
        left -= n
        interviewer = not interviewer
    return turns


def _write_txt(path: Path, turns: list[tuple[str, str]]) -> None:
    path.write_text("\n\n".join(f"{label}: {text}" for label, text in turns) + "\n", encoding="utf-8")


def _write_docx(path: Path, turns: list[tuple[str, str]]) -> None:
    import docx

    document = docx.Document()
    for label, text in turns:
        document.add_paragraph(f"{label}: {text}")
    document.save(str(path))


def _stamp(seconds: float) -> str:
    ms = round(seconds * 1000)
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def _write_vtt(path: Path, turns: list[tuple[str, str]], rng: random.Random) -> None:
    out, clock, cue = ["WEBVTT", ""], 1.0, 0
    for label, text in turns:
        words = text.split()
        while words:
            size = rng.randint(8, 16)
            chunk, words = words[:size], words[size:]
            duration = len(chunk) / rng.uniform(2.2, 3.0)
            cue += 1
            out += [str(cue), f"{_stamp(clock)} --> {_stamp(clock + duration)}", f"<v {label}>{' '.join(chunk)}</v>", ""]
            clock += duration + rng.uniform(0.05, 0.4)
        clock += rng.uniform(0.3, 1.5)  # pause between speakers
    path.write_text("\n".join(out), encoding="utf-8")


def _write_csv(path: Path, speech: _Speech, rng: random.Random, index: int, n_words: int) -> None:
    n_answers = SURVEY_RESPONDENTS * len(SURVEY_QUESTIONS)
    mean = max(6, n_words // n_answers)
    lengths = [rng.randint(max(5, mean // 2), mean + mean // 2) for _ in range(n_answers)]
    excess = sum(lengths) - n_words  # trim or pad answers so that the file totals n_words
    while excess:
        k = rng.randrange(n_answers)
        if excess > 0 and lengths[k] > 5:
            lengths[k], excess = lengths[k] - 1, excess - 1
        elif excess < 0:
            lengths[k], excess = lengths[k] + 1, excess + 1
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["respondent_id", "site", "role", "age", "years_experience", "q0_satisfaction", *SURVEY_QUESTIONS])
    answers = iter(lengths)
    for r in range(SURVEY_RESPONDENTS):
        age = rng.randint(23, 64)
        writer.writerow([f"S{index:04d}-R{r + 1:02d}", rng.choice(_SITES), rng.choice(_PARTICIPANT_ROLES), age,
                         rng.randint(0, age - 22), rng.choice(_LIKERT),
                         *(speech.text(rng, next(answers)) for _ in SURVEY_QUESTIONS)])
    path.write_text(buffer.getvalue(), encoding="utf-8")


def make_corpus(folder: Path, n_interviews: int = 1000, words_per_interview: int = 1000, seed: int = 0) -> dict:
    """Write the corpus into `folder` (created; files of the same names are overwritten). Returns a summary."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    people = make_roster(seed)
    _write_people(folder, people)
    speech = _Speech(seed, people=people)
    counts = dict.fromkeys(FORMATS, 0)
    for i in range(n_interviews):
        rng = random.Random(f"{seed}-{i}")
        fmt = FORMATS[i % len(FORMATS)]
        path = folder / f"interview_{i + 1:04d}.{fmt}"
        participant = people[i % len(people)]["name"] if i % 2 else f"Participant {i + 1}"
        if fmt == "csv":
            _write_csv(path, speech, rng, i + 1, words_per_interview)
        else:
            turns = _turns(speech, rng, participant, words_per_interview)
            if fmt == "txt":
                _write_txt(path, turns)
            elif fmt == "docx":
                _write_docx(path, turns)
            else:
                _write_vtt(path, turns, rng)
        counts[fmt] += 1
    return {"folder": str(folder), "files": n_interviews, "words": n_interviews * words_per_interview,
            "words_per_interview": words_per_interview, "seed": seed, "by_format": counts, "names": len(people)}


def _write_people(folder: Path, people: list[dict]) -> None:
    """roster.csv and terms.csv, which a folder import skips (they describe people, not speech)."""
    with (folder / "roster.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["name", "aliases", "role", "site"])
        writer.writerows([p["name"], p["first"][:3] + "s", p["role"], p["site"]] for p in people)
    with (folder / "terms.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["term", "category"])
        writer.writerows([site, "school"] for site in _SITES)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--interviews", type=int, default=1000)
    parser.add_argument("--words", type=int, default=1000, help="words per interview")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    summary = make_corpus(args.folder, args.interviews, args.words, args.seed)
    print(json.dumps(summary, indent=2))
    print(f"generated in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
