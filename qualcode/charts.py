"""Charts of tallies: grouped bars (PNG or SVG, by matplotlib) and bars drawn in the terminal.

A chart shows the same figures as the tally it draws, with the unit on the axis and the base in its
caption, so a chart pasted into a report never loses what its numbers are of.
"""

from __future__ import annotations

from pathlib import Path

from .errors import UsageError
from .files import refuse_existing, write_whole
from .tally import Count, Tally, base_line, percent

FORMATS = (".png", ".svg")
_BAR_WIDTH = 30  # characters for 100 % in the terminal


def _value(count: Count, unit: str) -> float:
    return count.n if count.base is None else (count.share or 0.0)


def _axis(result: Tally) -> str:
    if result.unit in ("mentions", "actions"):
        return f"{result.unit.capitalize()} (count)"
    return f"% of {result.unit}"


def write_chart(result: Tally, output: Path, force: bool = False, depth: int | None = 0, note: str = "") -> int:
    """Horizontal bars, one group per code (at `depth`, 0 for themes; None for all), one bar per value of
    the tally's `--by` attribute (or one bar). Returns how many codes are drawn."""
    import matplotlib

    matplotlib.use("Agg")  # files only: no window, no display needed
    import matplotlib.pyplot as plt

    if output.suffix.lower() not in FORMATS:
        raise UsageError(f"--chart {output}: a .png or .svg file")
    refuse_existing(output, force)
    rows = [r for r in result.rows if depth is None or r.depth == depth]
    if not rows:
        raise UsageError("nothing to draw: no codes at that level")
    series = list(result.bases) or [None]
    height = max(2.5, 0.45 * len(rows) * max(1, len(series) * 0.6) + 1.2)
    figure, axes = plt.subplots(figsize=(8, height))
    thickness = 0.8 / len(series)
    for index, value in enumerate(series):
        counts = [r.by.get(value) or Count(0, result.bases[value].n) for r in rows] if value is not None else [r.count for r in rows]
        positions = [n + index * thickness for n in range(len(rows))]
        label = f"{result.by} {value} (n={result.bases[value].n})" if value is not None else None
        axes.barh(positions, [_value(c, result.unit) for c in counts], height=thickness, label=label)
    axes.set_yticks([n + thickness * (len(series) - 1) / 2 for n in range(len(rows))], [r.label for r in rows])
    axes.invert_yaxis()
    axes.set_xlabel(_axis(result))
    if result.unit not in ("mentions", "actions"):
        axes.set_xlim(0, 100)
    if series != [None]:
        axes.legend(loc="lower right")
    figure.text(0.01, 0.01, base_line(result) + (f"\n{note}" if note else ""), fontsize=7, ha="left", va="bottom", wrap=True)
    figure.tight_layout(rect=(0, 0.05, 1, 1))
    # The words drawn go into the file as text (SVG text, a PNG text chunk), so the leak check can read them.
    metadata = {"Description": said_in_chart(result)}
    if output.suffix.lower() == ".png":
        metadata["Software"] = CHART_SOFTWARE
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        write_whole(output, lambda path: figure.savefig(str(path), format=output.suffix[1:].lower(), dpi=150, metadata=metadata))
    plt.close(figure)
    return len(rows)


CHART_SOFTWARE = "qualcode chart"  # marks a PNG whose words are in its Description chunk


def said_in_chart(result: Tally) -> str:
    """Every word a chart of this tally can draw: labels, groups and their bases, the base line."""
    return "\n".join([*(r.label for r in result.rows), *(f"{result.by} {value}" for value in result.bases), base_line(result)])


def bars(result: Tally, decimals: int = 0) -> list[tuple[str, str, str]]:
    """(label, bar, figure) per row, for the terminal: a bar of block characters scaled to 100 %, or to
    the largest count for units without a base."""
    largest = max((r.count.n for r in result.rows), default=0) or 1
    drawn = []
    for row in result.rows:
        share = row.count.share if row.count.base is not None else 100 * row.count.n / largest
        cells = round((share or 0) / 100 * _BAR_WIDTH * 2)
        bar = "\u2588" * (cells // 2) + ("\u258c" if cells % 2 else "")
        figure = f"{percent(row.count, decimals)}%" if row.count.base is not None else str(row.count.n)
        drawn.append(("  " * row.depth + row.label, bar, figure))
    return drawn


def chart_tally(project, result: Tally, output: Path, force: bool = False, guard=None) -> int:
    """The leak check over what the chart will say (labels, groups, base), then the chart."""
    from .export import UNCHECKED_NOTE, Guard, leak_check

    guard = guard or Guard()
    leak_check(project, output, said_in_chart(result), guard)
    return write_chart(result, output, force, note=UNCHECKED_NOTE if guard.unchecked else "")
