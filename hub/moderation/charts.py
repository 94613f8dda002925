"""Geometry for the dashboard's server-rendered SVG charts (the templates draw them; no JavaScript)."""

from collections import defaultdict

CELL, MARGIN, BAR_WIDTH, BAR_GAP, BAR_HEIGHT = 56, 150, 28, 8, 160


def matrix(rows) -> dict:
    """A from → to heat map of (from, to, replies, answers) rows: shaded cells with their counts."""
    groups = sorted({str(r[0]) for r in rows} | {str(r[1]) for r in rows})
    counts = {(str(r[0]), str(r[1])): r[2] for r in rows}
    top = max(counts.values(), default=0) or 1
    # Shading stops at 0.6 so the count, drawn in ink, stays legible on the darkest cell (5.3:1).
    cells = [{"x": MARGIN + j * CELL, "y": MARGIN + i * CELL, "n": counts.get((g, a), 0),
              "opacity": round(0.1 + 0.5 * counts.get((g, a), 0) / top, 2), "giver": g, "asker": a}
             for i, g in enumerate(groups) for j, a in enumerate(groups)]
    size = MARGIN + CELL * len(groups) + 10
    return {"groups": groups, "cells": cells, "cell": CELL, "margin": MARGIN, "width": size, "height": size}


def bars(rows) -> dict:
    """Contributions per month, all communities together, as vertical bars of (community, month, n) rows."""
    per_month = defaultdict(int)
    for _community, month, n in rows:
        per_month[month] += n
    top = max(per_month.values(), default=0) or 1
    items = []
    for i, (month, n) in enumerate(sorted(per_month.items())):
        height = round(BAR_HEIGHT * n / top)
        items.append({"x": 10 + i * (BAR_WIDTH + BAR_GAP), "y": 20 + BAR_HEIGHT - height, "height": height,
                      "width": BAR_WIDTH, "month": month, "n": n})
    width = 20 + len(items) * (BAR_WIDTH + BAR_GAP)
    return {"bars": items, "width": max(width, 100), "height": BAR_HEIGHT + 70, "base": 20 + BAR_HEIGHT}
