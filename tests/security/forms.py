"""The fields a page's forms post, read from its HTML as a browser would, with the values
the page itself offers (options, checkbox values, what is filled in)."""

from __future__ import annotations

from collections import defaultdict
from html.parser import HTMLParser
from urllib.parse import urlsplit


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {
                "method": (attrs.get("method") or "get").lower(),
                "action": attrs.get("action") or "",
                "fields": defaultdict(set),
            }
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        name = attrs.get("name")
        fields = self._form["fields"]
        if tag in ("input", "button") and name:
            default = "on" if attrs.get("type") == "checkbox" else ""
            fields[name].add(attrs.get("value") or default)
        elif tag == "select" and name:
            self._select = name
            fields[name]
        elif tag == "option" and self._select:
            fields[self._select].add(attrs.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name].add("")

    def handle_data(self, data):
        if self._form is not None and self._textarea and data.strip():
            self._form["fields"][self._textarea].add(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def post_fields(html: str, path: str) -> dict[str, list[str]] | None:
    """Each field the page's POST forms send to ``path``, with the values the page offers
    for it, sorted (so a run is repeatable); None when no form on the page posts there."""
    parser = _Forms()
    parser.feed(html)
    forms = [
        form
        for form in parser.forms
        if form["method"] == "post" and (urlsplit(form["action"]).path or path) == path
    ]
    if not forms:
        return None
    fields: dict[str, set[str]] = defaultdict(set)
    for form in forms:
        for name, values in form["fields"].items():
            fields[name] |= values
    return {name: sorted(values) for name, values in sorted(fields.items())}
