"""The CSV and XLSX files the hub hands out (audit log, dashboard, survey rounds, the capacity map).

Text a spreadsheet would run as a formula (= + - @, tab or carriage return first) is escaped with a
leading apostrophe: one rule for every export.
"""

import csv
import io

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value, escaped if it is text a spreadsheet would run as a formula (numbers and None unchanged)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(header, rows) -> str:
    """The table as CSV text, every cell safe."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(cell) for cell in header])
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return out.getvalue()
