"""Queries over the program's content in every language it is written in.

django-modeltranslation turns a lookup on a translated field ("title__icontains") into
one on the reader's language column only ("title_es__icontains"), without the fallback
the page shows. A Spanish reader searching the catalog would find nothing where staff
wrote no Spanish, though the page shows them the English; and a text left empty stays
NULL in its column, which ``exclude(field="")`` does not exclude. These helpers ask every
language's column instead.
"""

from django.db.models import Q
from modeltranslation.settings import AVAILABLE_LANGUAGES
from modeltranslation.utils import build_localized_fieldname

_OPERATORS = {"gt", "icontains", "contains", "iexact", "exact", "istartswith", "startswith"}


def in_any_language(lookup: str, value) -> Q:
    """``lookup`` ("field" or "field__icontains", on a translated field; a relation path
    before it is allowed: "category__name__icontains") true in at least one language."""
    parts = lookup.split("__")
    operator = [parts.pop()] if parts[-1] in _OPERATORS else []
    *path, field = parts
    condition = Q()
    for language in AVAILABLE_LANGUAGES:
        column = "__".join([*path, build_localized_fieldname(field, language), *operator])
        condition |= Q(**{column: value})
    return condition


def written_in_any_language(field: str) -> Q:
    """The translated ``field`` has text in at least one language (neither empty nor
    NULL)."""
    return in_any_language(f"{field}__gt", "")
