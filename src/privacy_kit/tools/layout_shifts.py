"""Layout shifts, as the benchmark budgets them and the browser tests check them: every shift a
page records, and which of them moved something below Material's header.

On a loaded machine Chromium sometimes paints Material's header half parsed (the language switch
before the search that follows it), and the search then moves it aside, about 0.0008. That is
Material's, on every page, with or without the kit; whatever a banner moves is below the header.
A shift that names no element it moved is counted: nothing shows it was the header's."""

from __future__ import annotations

# An init script: every layout shift not caused by input, as window.__shifts: its value and, for
# each element that moved, its name and whether it is in Material's header.
RECORD = """window.__shifts = []; new PerformanceObserver((list) => list.getEntries().forEach((e) => {
  if (!e.hadRecentInput) window.__shifts.push({value: e.value, moved: e.sources.map((s) => {
    const el = s.node && (s.node.nodeType === 1 ? s.node : s.node.parentElement);
    return {name: el ? el.id || String(el.className) || el.tagName : '?', header: !!el?.closest('.md-header')};
  })});
})).observe({type: 'layout-shift', buffered: true});"""

RECORDED = "window.__shifts"  # what to evaluate in the page for the shifts RECORD kept


def below_the_header(shifts: list[dict]) -> list[dict]:
    """The shifts (as RECORD keeps them) that moved something outside Material's header."""
    return [s for s in shifts if not s["moved"] or not all(m["header"] for m in s["moved"])]


def total(shifts: list[dict]) -> float:
    """The cumulative layout shift of ``shifts``: the sum of their values."""
    return sum(s["value"] for s in shifts)
