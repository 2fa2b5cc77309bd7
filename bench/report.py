"""docs/performance.md is assembled from sections, each rewritten by the benchmark that owns it."""

from __future__ import annotations

import os
import platform
import re
import time
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "performance.md"
HEADER = """# Performance

Every number here is written by a benchmark in `bench/` (run them all with `make bench`, or
one by the command shown in its section). The machine is shared and noisy: compare the ratios,
which set each figure beside a baseline measured in the same run, rather than absolute numbers.
"""


def percentile(values, p: float) -> float:
    """The ``p``-th percentile of ``values`` (nearest rank); 0.0 for none."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def machine() -> str:
    return (f"{platform.machine()}, {os.cpu_count()} cores, "
            f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, "
            f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}")


def write_section(name: str, markdown: str, doc: Path = DOC) -> None:
    """Replace (or append) the section ``name`` of docs/performance.md."""
    text = doc.read_text(encoding="utf-8") if doc.exists() else HEADER
    block = f"<!-- bench:{name} -->\n{markdown.strip()}\n<!-- /bench:{name} -->"
    pattern = re.compile(rf"<!-- bench:{re.escape(name)} -->.*?<!-- /bench:{re.escape(name)} -->",
                         re.S)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else \
        text.rstrip() + "\n\n" + block + "\n"
    doc.write_text(text, encoding="utf-8")


def table(rows: list[tuple], header: tuple) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)
