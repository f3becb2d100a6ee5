"""``{{ field|lean_field }}``: one form field as crispy-forms' Bootstrap 5 pack writes it
(the same wrapper, label, required mark, help text, errors beside the field and aria
attributes), built in Python.

crispy renders each field through a dozen nested templates, and Django renders each
widget (and each option of a select) through templates of its own: three quarters of the
application form's time. The markup is the same, so the styles, the scripts and the
accessibility checks see no difference; the widgets' own attributes (``required``,
``aria-invalid``, ``aria-describedby``) come from Django as before.

The pieces are joined as plain strings, each value escaped once where it is written:
``format_html`` escapes its arguments with Django's escape, which looks through them for
a lazy string on every call, and a form calls it some 170 times a page. The options of
selects, radio buttons and checkboxes are written from the widget's choices as Django's
``ChoiceWidget.optgroups`` picks them (the first match only, unless several may be
chosen), without building its dictionary per option."""

from __future__ import annotations

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString

# Django's, without the look for a lazy string on every call: a form escapes some 800
# values a page (mentoring/escaping.py).
from mentoring.escaping import conditional_escape, escape

register = template.Library()

_REQUIRED_MARK = '<span class="asteriskField">*</span>'


def _attrs(attrs: dict) -> str:
    """Attributes as Django's widgets write them (``flatatt``): ``True`` bare, ``False``
    and ``None`` left out. Escaped here: the lists of options call it by the hundred."""
    return "".join(
        f" {name}" if value is True else f' {name}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False and value is not None
    )


def _classes(widget: forms.Widget, *extra: str) -> str:
    """The widget's classes as crispy's ``crispy_field`` tag sets them: its own, its
    kind's name (``textinput``), then Bootstrap's."""
    kind = widget.__class__.__name__.lower()
    own = widget.attrs.get("class", "")
    names = own.split() if own else []
    if kind not in own:
        names.append(kind)
    names += [name for name in extra if name not in names]
    return " ".join(names)


def _control(field: BoundField, css: str) -> str:
    """The input, textarea or select, with the attributes Django gives it."""
    widget = field.field.widget
    attrs = field.build_widget_attrs({"class": css}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    name = escape(field.html_name)
    if isinstance(widget, forms.Select):
        # What Select.get_context gives, without its options' dictionaries.
        own = widget.build_attrs(widget.attrs, attrs)
        if widget.allow_multiple_selected:
            own["multiple"] = True
        options = _options(widget, widget.format_value(field.value()))
        return f'<select name="{name}"{_attrs(own)}>{options}</select>'
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    own = _attrs(context["attrs"])
    value = context["value"]
    if isinstance(widget, forms.Textarea):
        return f'<textarea name="{name}"{own}>\n{conditional_escape(value or "")}</textarea>'
    shown = f' value="{conditional_escape(value)}"' if value is not None else ""
    return f'<input type="{escape(context["type"])}" name="{name}"{shown}{own}>'


def _choices_of(widget: forms.ChoiceWidget, value: list[str]):
    """(group, [(value, label, selected, index)]) for each entry of the widget's
    choices, as ``ChoiceWidget.optgroups`` walks them: ``index`` is the option's place
    (``"2"``, or ``"2_0"`` inside a group), what its id ends with."""
    has_selected = False
    multiple = widget.allow_multiple_selected
    for index, (option_value, option_label) in enumerate(widget.choices):
        if option_value is None:
            option_value = ""
        if isinstance(option_label, (list, tuple)):
            group, entries = option_value, option_label
        else:
            group, entries = None, ((option_value, option_label),)
        options = []
        for subindex, (subvalue, sublabel) in enumerate(entries):
            selected = (not has_selected or multiple) and str(subvalue) in value
            has_selected |= selected
            place = str(index) if group is None else f"{index}_{subindex}"
            options.append((subvalue, sublabel, selected, place))
        yield group, options


def _options(widget: forms.Select, value: list[str]) -> str:
    parts = []
    for group, options in _choices_of(widget, value):
        if group:
            parts.append(f'<optgroup label="{escape(group)}">')
        parts += (
            f'<option value="{escape(v)}"{" selected" if selected else ""}>{escape(label)}</option>'
            for v, label, selected, _place in options
        )
        if group:
            parts.append("</optgroup>")
    return "".join(parts)


def _errors(field: BoundField, errors) -> str:
    if not errors:
        return ""
    auto_id = escape(field.auto_id)
    lines = "".join(
        f'<p id="error_{n}_{auto_id}"><strong>{conditional_escape(error)}</strong></p>'
        for n, error in enumerate(errors, 1)
    )
    return f'<div id="{escape(errors.field_id or "")}_error" class="invalid-feedback">{lines}</div>'


def _help(field: BoundField) -> str:
    help_text = field.help_text
    if not help_text:
        return ""
    auto_id = field.auto_id
    # Help texts are the site's own words, some with a link (as crispy: |safe).
    shown = f' id="{escape(auto_id)}_helptext"' if auto_id else ""
    return f'<div{shown} class="form-text">{help_text}</div>'


def _label(field: BoundField, tag: str, extra: str = "") -> str:
    required = field.field.required
    for_ = field.id_for_label
    for_ = f' for="{escape(for_)}"' if for_ else ""
    return (
        f"<{tag}{for_} "
        f'class="form-label{" requiredField" if required else ""}{extra}">'
        f"{conditional_escape(field.label)}{_REQUIRED_MARK if required else ''}</{tag}>"
    )


def _choices(field: BoundField, errors) -> str:
    """Radio buttons or checkboxes, each in its ``form-check``; the errors under the
    last one, the help text after them."""
    widget = field.field.widget
    id_ = widget.attrs.get("id") or field.auto_id
    # Each option's attributes as ChoiceWidget.create_option builds them: the widget's
    # and these, the id numbered by the option's place, then ``checked``.
    shared = widget.build_attrs(widget.attrs, field.build_widget_attrs({"id": id_} if id_ else {}))
    numbered = shared.get("id")
    keys = list(shared)
    at = keys.index("id") if "id" in shared else len(keys)
    before = _attrs({k: shared[k] for k in keys[:at]})
    after = _attrs({k: shared[k] for k in keys[at + 1 :]})
    opening = (
        f'<div class="form-check"><input type="{escape(widget.input_type)}" '
        f'class="form-check-input{" is-invalid" if errors else ""}" '
        f'name="{escape(field.html_name)}" value="'
    )
    parts = []
    for group, options in _choices_of(widget, widget.format_value(field.value())):
        if group:
            parts.append(f"<strong>{escape(group)}</strong>")
        for value, label, selected, place in options:
            if "id" in shared:
                option_id = widget.id_for_label(numbered, place)
                own = _attrs({"id": option_id})
            else:
                option_id, own = "", ""
            parts.append(
                f'{opening}{escape(value)}"{before}{own}{after}{" checked" if selected else ""}>'
                f'<label for="{escape(option_id)}" class="form-check-label">'
                f"{escape(label)}</label></div>"
            )
    if parts and errors:
        # Under the last choice, inside its form-check, as crispy puts them.
        parts[-1] = parts[-1].removesuffix("</div>") + _errors(field, errors) + "</div>"
    return f"<div>{''.join(parts)}</div>{_help(field)}"


@register.filter
def lean_field(field: BoundField) -> SafeString:
    """One field as ``|as_crispy_field`` renders it with the Bootstrap 5 pack."""
    if field.is_hidden:
        return field.as_widget()
    widget = field.field.widget
    errors = field.errors
    wrapper_id = escape(f"div_{field.auto_id}")
    css = field.css_classes()
    if isinstance(widget, forms.CheckboxInput):
        invalid = " is-invalid" if errors else ""
        required = field.field.required
        return SafeString(
            f'<div class="mb-3"><div id="{wrapper_id}" '
            f'class="form-check{conditional_escape(f" {css}") if css else ""}">'
            f"{_control(field, _classes(widget, 'form-check-input') + invalid)}"
            f'<label for="{escape(field.id_for_label)}" '
            f'class="form-check-label{" requiredField" if required else ""}">'
            f"{conditional_escape(field.label)}{_REQUIRED_MARK if required else ''}</label>"
            f"{_errors(field, errors)}{_help(field)}</div></div>"
        )
    if isinstance(widget, forms.RadioSelect):  # and CheckboxSelectMultiple
        body = _choices(field, errors)
    else:
        bootstrap = "form-select" if isinstance(widget, forms.Select) else "form-control"
        invalid = " is-invalid" if errors else ""
        body = (
            _control(field, _classes(widget, bootstrap) + invalid)
            + _errors(field, errors)
            + _help(field)
        )
    if field.label:
        if field.use_fieldset:
            described = field.aria_describedby
            shown = f' aria-describedby="{escape(described)}"' if described else ""
            body = f"<fieldset{shown}>{_label(field, 'legend', ' fs-6')}{body}</fieldset>"
        else:
            body = _label(field, "label") + body
    return SafeString(
        f'<div id="{wrapper_id}" class="mb-3{f" {conditional_escape(css)}" if css else ""}">'
        f"{body}</div>"
    )
