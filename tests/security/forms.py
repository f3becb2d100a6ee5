"""The forms a page posts, read from its HTML as a browser reads them: each field with the
values the page offers for it (options, checkbox values, what is filled in), what the
browser would send as the page stands, and the submit buttons."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

BUTTON_TYPES = {"submit", "button", "image", "reset"}


@dataclass
class PageForm:
    offered: dict[str, list[str]] = field(default_factory=dict)
    filled: dict[str, list[str]] = field(default_factory=dict)
    buttons: list[tuple[str, str]] = field(default_factory=list)


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: tuple[str, bool] | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {
                "method": (attrs.get("method") or "get").lower(),
                "action": attrs.get("action") or "",
                "offered": defaultdict(set),
                "filled": defaultdict(list),
                "buttons": [],
            }
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        form, name = self._form, attrs.get("name")
        kind = (attrs.get("type") or ("submit" if tag == "button" else "text")).lower()
        if tag in ("input", "button") and name and kind != "file":
            value = attrs.get("value")
            if kind in BUTTON_TYPES:
                # A button with a formaction posts the form to a URL of its own.
                form["buttons"].append((name, value or "", attrs.get("formaction") or ""))
                form["offered"][name].add(value or "")
            elif kind in ("checkbox", "radio"):
                form["offered"][name].add(value or "on")
                if "checked" in attrs:
                    form["filled"][name].append(value or "on")
            else:
                form["offered"][name].add(value or "")
                form["filled"][name].append(value or "")
        elif tag == "select" and name:
            self._select = (name, "multiple" in attrs)
            self._first_option = None
            form["offered"][name]
        elif tag == "option" and self._select:
            name, _ = self._select
            value = attrs.get("value") or ""
            form["offered"][name].add(value)
            if self._first_option is None:
                self._first_option = value
            if "selected" in attrs:
                form["filled"][name].append(value)
        elif tag == "textarea" and name:
            self._textarea = name
            form["offered"][name].add("")
            form["filled"][name].append("")

    def handle_data(self, data):
        if self._form is not None and self._textarea and data.strip():
            self._form["offered"][self._textarea].add(data)
            self._form["filled"][self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select and self._form is not None:
            name, multiple = self._select
            if not multiple and not self._form["filled"][name] and self._first_option is not None:
                self._form["filled"][name].append(self._first_option)
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def page_form(html: str, path: str) -> PageForm | None:
    """What the page's POST forms to ``path`` send (sorted, so a run is repeatable); None
    when no form on the page posts there."""
    parser = _Forms()
    parser.feed(html)

    def posts_to(action: str) -> bool:
        return (urlsplit(action).path or path) == path

    forms = [
        form
        for form in parser.forms
        if form["method"] == "post"
        and (
            posts_to(form["action"])
            or any(posts_to(target) for *_, target in form["buttons"] if target)
        )
    ]
    if not forms:
        return None
    result = PageForm()
    offered: dict[str, set[str]] = defaultdict(set)
    for form in forms:
        for name, values in form["offered"].items():
            offered[name] |= values
        for name, values in form["filled"].items():
            result.filled.setdefault(name, values)
        buttons = [
            (name, value)
            for name, value, target in form["buttons"]
            if posts_to(target or form["action"])
        ]
        result.buttons += [b for b in buttons if b not in result.buttons]
    result.offered = {name: sorted(values) for name, values in sorted(offered.items())}
    result.filled = {name: values for name, values in sorted(result.filled.items()) if values}
    return result


def query_fields(html: str, path: str) -> dict[str, list[str]]:
    """The fields of the page's GET forms to ``path`` (filters), with what they offer."""
    parser = _Forms()
    parser.feed(html)
    fields: dict[str, set[str]] = defaultdict(set)
    for form in parser.forms:
        if form["method"] == "get" and (urlsplit(form["action"]).path or path) == path:
            for name, values in form["offered"].items():
                fields[name] |= values
    return {name: sorted(values) for name, values in sorted(fields.items())}
