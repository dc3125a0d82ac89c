"""Charts of tallies: the same figures as the tally, the unit on the axis, the base in the caption."""

from __future__ import annotations

import pytest

from qualcode.charts import bars, chart_tally, write_chart
from qualcode.errors import UsageError
from qualcode.tally import tally_project


def test_a_chart_by_wave_is_written_as_svg_and_png(waves, tmp_path):
    result = tally_project(waves, by="wave")
    assert write_chart(result, tmp_path / "c.svg") == 2  # the two themes
    svg = (tmp_path / "c.svg").read_text(encoding="utf-8")
    assert "wave 1 (n=2)" in svg and "% of participants" in svg and "Base: all participants (n=3)" in svg
    write_chart(result, tmp_path / "c.png")
    assert (tmp_path / "c.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(UsageError, match="exists; pass --force"):
        write_chart(result, tmp_path / "c.png")
    with pytest.raises(UsageError, match="a .png or .svg file"):
        write_chart(result, tmp_path / "c.pdf")


def test_terminal_bars_are_scaled_to_the_share(waves):
    drawn = dict((label.strip(), (bar, figure)) for label, bar, figure in bars(tally_project(waves)))
    assert drawn["Time"] == ("\u2588" * 30, "100%") and drawn["Cover"] == ("\u2588" * 10, "33%")


def test_a_chart_naming_someone_is_refused(waves, tmp_path):
    (waves.root / "codebook.yaml").write_text("codes:\n  - id: t\n    label: Time with Margaret Hale\n    codes:\n      - id: t.a\n"
                                              "        label: Cover\n      - id: t.b\n        label: Workload\n"
                                              "  - id: u\n    label: Outputs\n    codes:\n      - id: u.x\n        label: Made\n"
                                              "        count_as: actions\n", encoding="utf-8")
    (tmp_path / "roster.csv").write_text("name,aliases\nMargaret Hale,Mags\n", encoding="utf-8")
    from qualcode.roster import import_roster

    import_roster(waves, tmp_path / "roster.csv")
    with pytest.raises(UsageError, match="identifying text \\('Margaret Hale'\\)"):
        chart_tally(waves, tally_project(waves), tmp_path / "c.png")
    assert not (tmp_path / "c.png").exists()


def test_the_tally_command_draws(waves, cli, tmp_path):
    result = cli("tally", "--by", "wave", "--chart", tmp_path / "c.png", "--bars")
    assert result.exit_code == 0 and "wrote" in result.stderr and "\u2588" in result.stdout


def test_the_leak_check_reads_the_words_of_charts_qualcode_drew(waves, tmp_path):
    from PIL import Image

    from qualcode.checks.leaks import _export_texts

    exports = waves.root / "exports"
    write_chart(tally_project(waves, by="wave"), exports / "c.png")
    write_chart(tally_project(waves, by="wave"), exports / "c.svg")
    Image.new("RGB", (4, 4)).save(exports / "photo.png")  # a picture from elsewhere: nothing to read
    texts, unreadable = _export_texts(exports)
    read = {source.where: source.text for source in texts if source.where.startswith("exports/")}
    assert "Time" in read["exports/c.png"] and "wave 1" in read["exports/c.png"]
    assert ">Time<" in read["exports/c.svg"]  # SVG text stays text
    assert unreadable == ["exports/photo.png"]
