"""Geometry for the dashboard's server-rendered SVG charts (the templates draw them; no JavaScript)."""

import math
from collections import defaultdict

CELL, MARGIN, BAR_WIDTH, BAR_GAP, BAR_HEIGHT = 56, 195, 28, 8, 160
#: Group labels are cut to this many characters; at 12 px a character is at most ~8.2 px wide (Arabic
#: included), so a row label fits in MARGIN.
LABEL_CHARS, CHAR_WIDTH = 22, 8.2
#: Room left of the first bar for its month label, drawn at -60 degrees below the axis.
BAR_START = 30


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
    # Column labels rise at 45 degrees from each column's centre: the last ones reach past the cells.
    reach = math.ceil(max((min(len(g), LABEL_CHARS) for g in groups), default=0) * CHAR_WIDTH * math.sqrt(0.5))
    width = max(size, MARGIN + CELL * len(groups) - CELL // 2 + reach + 10)
    return {"groups": groups, "cells": cells, "cell": CELL, "margin": MARGIN, "width": width, "height": size,
            "label_chars": LABEL_CHARS}


def bars(rows) -> dict:
    """Contributions per month, all communities together, as vertical bars of (community, month, n) rows."""
    per_month = defaultdict(int)
    for _community, month, n in rows:
        per_month[month] += n
    top = max(per_month.values(), default=0) or 1
    items = []
    for i, (month, n) in enumerate(sorted(per_month.items())):
        height = round(BAR_HEIGHT * n / top)
        items.append({"x": BAR_START + i * (BAR_WIDTH + BAR_GAP), "y": 20 + BAR_HEIGHT - height, "height": height,
                      "width": BAR_WIDTH, "month": month, "n": n})
    width = BAR_START + 10 + len(items) * (BAR_WIDTH + BAR_GAP)
    return {"bars": items, "width": max(width, 100), "height": BAR_HEIGHT + 80, "base": 20 + BAR_HEIGHT}
