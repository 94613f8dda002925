"""Server-rendered SVG charts (no JavaScript). Each is drawn beside a data table that carries the numbers.

Right-to-left readers get the chart mirrored: labels on the right, the first region rightmost,
bars growing leftwards. Coordinates are computed here, so the SVG itself is drawn direction="ltr".
Colours are SVG presentation attributes (the CSP forbids style="").
"""

from functools import lru_cache

from babel.numbers import get_decimal_symbol
from flask_babel import format_decimal, get_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from hub.survey.capacity_map import area_label

#: From "little" to "a lot"; only the darkest cells get white text (on the fourth it would be 3.2:1, too faint).
PALETTE = ["#f7f4e8", "#d9ecd0", "#9fcfb7", "#4e9aa8", "#1f5d86"]
EMPTY = "#e6e6e6"
# I18N: short region names for chart column headings (about 12 characters at most).
REGION_SHORT = {"africa": _l("Africa"), "asia_pacific": _l("Asia-Pacific"), "latin_america": _l("Latin Am."),
                "mena": _l("MENA"), "europe_north_america": _l("Eur. & N. Am.")}
#: At 12 px an area label of 42 characters needs ~290 px; a region name longer than a cell takes two lines.
LABEL_W, CELL_W, CELL_H, HEAD_H = 300, 96, 26, 44


def _mirror(x: float, width: float, total: float, rtl: bool) -> float:
    return total - x - width if rtl else x


def colour(value, maximum) -> str:
    """The fill for a value on a 0..maximum scale."""
    if value is None:
        return EMPTY
    step = round(max(0.0, min(1.0, value / maximum)) * (len(PALETTE) - 1))
    return PALETTE[step]


def number(value, digits: int = 1) -> str:
    """A value for display in the reader's locale, or an en dash when there is none."""
    if value is None:
        return "–"
    value = round(value, digits)
    if 0 <= value < 1000:  # no group separator, no sign: only the decimal mark depends on the locale
        return f"{value:.{digits}f}".replace(".", _decimal_mark(str(get_locale())))
    return format_decimal(value, format="#,##0." + "0" * digits)


@lru_cache(maxsize=32)
def _decimal_mark(locale: str) -> str:
    """The locale's decimal mark (a map shows a few hundred numbers: Babel's formatting was a seventh of it)."""
    return get_decimal_symbol(locale)


def _text(x, y, content, anchor="start", fill="#1b1b1b", size=12) -> str:
    return (f'<text x="{x:.0f}" y="{y:.0f}" text-anchor="{anchor}" font-size="{size}" fill="{fill}">'
            f'{escape(content)}</text>')


def _heading(x, y, content: str) -> str:
    """A column heading centred on x, ending at y: one line, or two when it is wider than a cell."""
    words = content.split()
    if len(content) <= 12 or len(words) < 2:
        return _text(x, y, content, "middle")
    cut = min(range(1, len(words)), key=lambda n: abs(len(" ".join(words[:n])) - len(" ".join(words[n:]))))
    lines = [" ".join(words[:cut]), " ".join(words[cut:])]
    return (f'<text x="{x:.0f}" y="{y - 14:.0f}" text-anchor="middle" font-size="12" fill="#1b1b1b">'
            + "".join(f'<tspan x="{x:.0f}" dy="{0 if n == 0 else 14}">{escape(line)}</tspan>'
                      for n, line in enumerate(lines)) + "</text>")


def heat_map(grid, title: str, chart_id: str, rtl: bool = False, digits: int = 1) -> Markup:
    """A heat map of grid.cells: one row per area, one column per region."""
    total_w = LABEL_W + CELL_W * len(grid.columns)
    total_h = HEAD_H + CELL_H * len(grid.rows) + 4
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {total_w} {total_h}" '
             f'width="{total_w}" height="{total_h}" '
             f'role="img" aria-labelledby="{chart_id}-title" focusable="false" direction="ltr">',
             f'<title id="{chart_id}-title">{escape(title)}</title>']
    for i, column in enumerate(grid.columns):
        x = _mirror(LABEL_W + i * CELL_W, CELL_W, total_w, rtl)
        parts.append(_heading(x + CELL_W / 2, HEAD_H - 8, str(REGION_SHORT.get(column, column))))
    for j, row in enumerate(grid.rows):
        y = HEAD_H + j * CELL_H
        label_x = total_w - LABEL_W + 6 if rtl else LABEL_W - 6
        parts.append(_text(label_x, y + 17, area_label(row)[:42], "start" if rtl else "end"))
        for i, column in enumerate(grid.columns):
            cell = grid.cell(row, column)
            x = _mirror(LABEL_W + i * CELL_W, CELL_W, total_w, rtl)
            fill = colour(cell.value, grid.maximum)
            ink = "#ffffff" if fill == PALETTE[-1] else "#1b1b1b"
            parts.append(f'<rect x="{x + 1:.0f}" y="{y + 1}" width="{CELL_W - 2}" height="{CELL_H - 2}" '
                         f'fill="{fill}"/>')
            parts.append(_text(x + CELL_W / 2, y + 17, number(cell.value, digits), "middle", ink))
    parts.append("</svg>")
    return Markup("".join(parts))


def profile_bars(rows, title: str, chart_id: str, rtl: bool = False) -> Markup:
    """One organisation's strength (bar) against its region's average (black tick), area by area."""
    scale_w = 4 * 60
    total_w, total_h = LABEL_W + scale_w + 20, HEAD_H + CELL_H * len(rows) + 4
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {total_w} {total_h}" '
             f'width="{total_w}" height="{total_h}" '
             f'role="img" aria-labelledby="{chart_id}-title" focusable="false" direction="ltr">',
             f'<title id="{chart_id}-title">{escape(title)}</title>']
    for tick in range(5):
        x = _mirror(LABEL_W + tick * 60, 0, total_w, rtl)
        parts.append(f'<line x1="{x}" y1="{HEAD_H - 6}" x2="{x}" y2="{total_h}" stroke="#d0d0d0"/>')
        parts.append(_text(x, HEAD_H - 10, str(tick), "middle"))
    for j, (area, own, average) in enumerate(rows):
        y = HEAD_H + j * CELL_H
        label_x = total_w - LABEL_W + 6 if rtl else LABEL_W - 6
        parts.append(_text(label_x, y + 17, area_label(area)[:42], "start" if rtl else "end"))
        if own:
            width = own * 60
            x = _mirror(LABEL_W, width, total_w, rtl)
            parts.append(f'<rect x="{x}" y="{y + 5}" width="{width}" height="{CELL_H - 10}" fill="{PALETTE[3]}"/>')
        if average is not None:
            x = _mirror(LABEL_W + average * 60, 0, total_w, rtl)
            parts.append(f'<rect x="{x - 2:.1f}" y="{y + 2}" width="4" height="{CELL_H - 4}" fill="#1b1b1b"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def trend_lines(series, round_titles: list[str], title: str, chart_id: str, rtl: bool = False) -> Markup:
    """One small line per area: its strength (0–4) in each round, oldest first (the table beside it
    carries the numbers); a round without an answer breaks the line."""
    step, band = 64, CELL_H
    total_w = LABEL_W + step * max(len(round_titles), 1) + 10
    total_h = HEAD_H + band * len(series) + 4
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {total_w} {total_h}" '
             f'width="{total_w}" height="{total_h}" '
             f'role="img" aria-labelledby="{chart_id}-title" focusable="false" direction="ltr">',
             f'<title id="{chart_id}-title">{escape(title)}</title>']
    for i, round_title in enumerate(round_titles):
        x = _mirror(LABEL_W + i * step + step / 2, 0, total_w, rtl)
        # A column is 64 px: its last word ("2025") fits at 12 px; the table beside gives the whole title.
        parts.append(_text(x, HEAD_H - 8, round_title.split()[-1][:9] if round_title.split() else "", "middle"))
    for j, (area, values) in enumerate(series):
        y = HEAD_H + j * band
        label_x = total_w - LABEL_W + 6 if rtl else LABEL_W - 6
        parts.append(_text(label_x, y + 17, area_label(area)[:42], "start" if rtl else "end"))
        parts.append(f'<line x1="{_mirror(LABEL_W, 0, total_w, rtl)}" y1="{y + band - 2}" '
                     f'x2="{_mirror(total_w - 10, 0, total_w, rtl)}" y2="{y + band - 2}" stroke="#d0d0d0"/>')
        points = []
        for i, value in enumerate(values):
            if value is None:
                points.append(None)
                continue
            x = _mirror(LABEL_W + i * step + step / 2, 0, total_w, rtl)
            points.append((x, y + band - 4 - value * (band - 8) / 4))
        for a, b in zip(points, points[1:]):
            if a and b:
                parts.append(f'<line x1="{a[0]:.1f}" y1="{a[1]:.1f}" x2="{b[0]:.1f}" y2="{b[1]:.1f}" '
                             f'stroke="{PALETTE[4]}" stroke-width="2"/>')
        for point in points:
            if point:
                parts.append(f'<circle cx="{point[0]:.1f}" cy="{point[1]:.1f}" r="3" fill="{PALETTE[4]}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
