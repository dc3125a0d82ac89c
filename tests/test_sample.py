"""Samples for a second coder: reproducible, stratified, recorded; packages hold the sample and nothing else."""

from __future__ import annotations


import pytest

from qualcode.errors import UsageError
from qualcode.export import Guard
from qualcode.project import open_project
from qualcode.sample import draw, package


def test_a_seeded_stratified_draw_is_recorded_and_repeatable(waves):
    first = draw(waves, 0.5, seed=7, stratify=["wave"])
    assert first.strata == {"wave=1": 1, "wave=2": 1} and len(first.documents) == 2  # at least one per stratum
    again = draw(waves, 0.5, seed=7, stratify=["wave"])
    assert again.documents == first.documents and [s["id"] for s in waves.store.samples()] == [1, 2]


@pytest.mark.parametrize("fraction, stratify, problem", [
    (0, None, "--fraction 0: a share of the documents above 0"),
    (1.5, None, "at most 1"),
    (0.5, ["colour"], "--stratify colour: no such attribute"),
])
def test_bad_draws_are_refused(waves, fraction, stratify, problem):
    with pytest.raises(UsageError, match=problem):
        draw(waves, fraction, 1, stratify)


def test_a_package_holds_the_sample_the_codebook_and_no_ones_codings(waves, tmp_path):
    with pytest.raises(UsageError, match="no sample recorded"):
        package(waves, tmp_path / "second")
    drawn = draw(waves, 0.5, seed=3)
    with pytest.raises(UsageError, match="not written: the sample holds identifying text"):
        package(waves, tmp_path / "second")  # the labels are roster aliases: names, before anonymising
    assert not (tmp_path / "second").exists()
    folder, count = package(waves, tmp_path / "second", guard=Guard(unchecked=True))
    assert count == 1 and (folder / "codebook.yaml").read_text() == (waves.root / "codebook.yaml").read_text()
    second = open_project(folder)
    assert [d["name"] for d in second.store.document_refs()] == drawn.documents
    assert [s["id"] for s in second.store.samples()] == [drawn.id]  # the sample itself goes with it, no other
    assert second.store.codings() == [] and second.store.memos() == [] and second.store.log_entries() == []
    assert second.store.project_id() != waves.store.project_id() and second.store.key_state() is None
    second.close()
    raw = b"".join(p.read_bytes() for p in folder.glob("qualcode.db*"))
    other = next(name for name in ("w1.txt", "w2.txt") if name not in drawn.documents)
    assert other.encode() not in raw  # the other document is gone from the file, not just from its tables
    with pytest.raises(UsageError, match="exists; give a new folder"):
        package(waves, folder)


def test_sample_through_the_command_line(waves, cli, tmp_path):
    drawn = cli("sample", "--fraction", "0.5", "--seed", "2", "--stratify", "wave")
    assert drawn.exit_code == 0 and "sample 1: 2 document(s)" in drawn.stderr
    assert cli("sample", "--fraction", "0.5").exit_code == 2
    assert "sample 1: 2 document(s), fraction 0.5, seed 2, by wave" in cli("sample").stdout
    packaged = cli("sample", "--package", tmp_path / "pkg", "--no-leak-check")
    assert packaged.exit_code == 0 and (tmp_path / "pkg" / "qualcode.db").is_file()


def test_a_respondent_sample_from_the_command_line(project, cli, tmp_path):
    rows = ["respondent_id,site,q1"] + [f"R{n:02},{'North' if n % 2 else 'South'},Answer number {n} about cover and time in school."
                                        for n in range(1, 9)]
    (tmp_path / "s.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert cli("import", tmp_path / "s.csv").exit_code == 0
    drawn = cli("sample", "--fraction", "0.25", "--seed", "4", "--stratify", "site", "--respondents")
    assert drawn.exit_code == 0, drawn.stderr
    assert len(drawn.stdout.split()) == 2 and all(name.startswith("R") for name in drawn.stdout.split())
    assert "sample 1: 2 respondent(s) in 1 document(s)" in drawn.stderr
    assert "2 respondent(s) (" in cli("sample").stdout


def test_an_anonymised_sample_is_packaged_with_the_key(waves, tmp_path):
    from qualcode.anonymise import anonymise

    key = tmp_path / "keys" / "k.json"
    anonymise(waves, key)
    draw(waves, 0.5, seed=3)
    folder, count = package(waves, tmp_path / "second", guard=Guard(key))
    assert count == 1 and folder.is_dir()


@pytest.mark.parametrize("args, problem", [
    (["--seed", "5"], "--seed goes with --fraction"),
    (["--respondents"], "--respondents goes with --fraction"),
    (["--sample", "1"], "--sample N goes with --package"),
    (["--fraction", "0.5", "--seed", "1", "--stratify", ","], "--stratify: name attributes"),
    (["--fraction", "0.5", "--seed", "99999999999999999999999"], "--seed 99999999999999999999999: a whole number from 0"),
])
def test_options_that_do_not_go_together(waves, cli, args, problem):
    result = cli("sample", *args)
    assert result.exit_code == 2 and problem in result.stderr, result.stderr
    assert waves.store.samples() == []


def test_package_and_a_new_draw_at_once_is_refused(waves, cli, tmp_path):
    result = cli("sample", "--package", tmp_path / "p", "--fraction", "0.5", "--seed", "3")
    assert result.exit_code == 2 and "draw it first" in result.stderr and not (tmp_path / "p").exists()


def test_strata_round_half_up(waves):
    # Two waves of one document each: half of one is 0.5, which rounds up to one (and at least one anyway).
    assert draw(waves, 0.5, seed=1, stratify=["wave"]).strata == {"wave=1": 1, "wave=2": 1}
