"""``{{ field|lean_field }}``: one form field as crispy-forms' Bootstrap 5 pack writes it
(the same wrapper, label, required mark, help text, errors beside the field and aria
attributes), built in Python.

crispy renders each field through a dozen nested templates, and Django renders each
widget (and each option of a select) through templates of its own: three quarters of the
application form's time. The markup is the same, so the styles, the scripts and the
accessibility checks see no difference; the widgets' own attributes (``required``,
``aria-invalid``, ``aria-describedby``, ``checked``) come from Django as before."""

from __future__ import annotations

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

# Django's, without the look for a lazy string on every call: a form escapes some 800
# values a page (mentoring/escaping.py).
from mentoring.escaping import conditional_escape, escape

register = template.Library()


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


def _control(field: BoundField, css: str) -> SafeString:
    """The input, textarea or select, with the attributes Django gives it."""
    widget = field.field.widget
    attrs = field.build_widget_attrs({"class": css}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    own = mark_safe(_attrs(context["attrs"]))
    if isinstance(widget, forms.Select):
        return format_html(
            '<select name="{}"{}>{}</select>', context["name"], own, _options(context)
        )
    if isinstance(widget, forms.Textarea):
        return format_html(
            '<textarea name="{}"{}>\n{}</textarea>', context["name"], own, context["value"] or ""
        )
    value = context["value"]
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        context["type"],
        context["name"],
        format_html(' value="{}"', value) if value is not None else "",
        own,
    )


def _options(context: dict) -> SafeString:
    parts = []
    for group, options, _index in context["optgroups"]:
        if group:
            parts.append(f'<optgroup label="{escape(group)}">')
        parts += (
            f'<option value="{escape(o["value"])}"{_attrs(o["attrs"])}>'
            f"{escape(o['label'])}</option>"
            for o in options
        )
        if group:
            parts.append("</optgroup>")
    return mark_safe("".join(parts))


def _errors(field: BoundField) -> SafeString:
    if not field.errors:
        return mark_safe("")
    return format_html(
        '<div id="{}_error" class="invalid-feedback">{}</div>',
        field.errors.field_id or "",
        format_html_join(
            "",
            '<p id="error_{}_{}"><strong>{}</strong></p>',
            ((n, field.auto_id, error) for n, error in enumerate(field.errors, 1)),
        ),
    )


def _help(field: BoundField) -> SafeString:
    if not field.help_text:
        return mark_safe("")
    # Help texts are the site's own words, some with a link (as crispy: |safe).
    return format_html(
        '<div{} class="form-text">{}</div>',
        format_html(' id="{}_helptext"', field.auto_id) if field.auto_id else "",
        mark_safe(field.help_text),
    )


def _label(field: BoundField, tag: str, extra: str = "") -> SafeString:
    required = field.field.required
    return format_html(
        '<{tag}{for_} class="form-label{required}{extra}">{label}{mark}</{tag}>',
        tag=tag,
        for_=format_html(' for="{}"', field.id_for_label) if field.id_for_label else "",
        required=" requiredField" if required else "",
        extra=extra,
        label=field.label,
        mark=mark_safe('<span class="asteriskField">*</span>') if required else "",
    )


def _choices(field: BoundField) -> SafeString:
    """Radio buttons or checkboxes, each in its ``form-check``; the errors under the
    last one, the help text after them."""
    widget = field.field.widget
    id_ = widget.attrs.get("id") or field.auto_id
    attrs = field.build_widget_attrs({"id": id_} if id_ else {})
    groups = list(widget.optgroups(field.html_name, widget.format_value(field.value()), attrs))
    invalid = " is-invalid" if field.errors else ""
    name = escape(field.html_name)
    parts = []
    for group, options, _index in groups:
        if group:
            parts.append(f"<strong>{escape(group)}</strong>")
        parts += (
            f'<div class="form-check"><input type="{escape(o["type"])}" '
            f'class="form-check-input{invalid}" name="{name}" value="{escape(o["value"])}"'
            f'{_attrs(o["attrs"])}><label for="{escape(o["attrs"].get("id", ""))}" '
            f'class="form-check-label">{escape(o["label"])}</label></div>'
            for o in options
        )
    if parts and field.errors:
        # Under the last choice, inside its form-check, as crispy puts them.
        parts[-1] = parts[-1].removesuffix("</div>") + _errors(field) + "</div>"
    return format_html("<div>{}</div>{}", mark_safe("".join(parts)), _help(field))


@register.filter
def lean_field(field: BoundField) -> SafeString:
    """One field as ``|as_crispy_field`` renders it with the Bootstrap 5 pack."""
    if field.is_hidden:
        return field.as_widget()
    widget = field.field.widget
    wrapper_id = f"div_{field.auto_id}"
    css = field.css_classes()
    if isinstance(widget, forms.CheckboxInput):
        invalid = " is-invalid" if field.errors else ""
        required = " requiredField" if field.field.required else ""
        mark = mark_safe('<span class="asteriskField">*</span>') if field.field.required else ""
        return format_html(
            '<div class="mb-3"><div id="{}" class="form-check{}">{}'
            '<label for="{}" class="form-check-label{}">{}{}</label>{}{}</div></div>',
            wrapper_id,
            f" {css}" if css else "",
            _control(field, _classes(widget, "form-check-input") + invalid),
            field.id_for_label,
            required,
            field.label,
            mark,
            _errors(field),
            _help(field),
        )
    if isinstance(widget, forms.RadioSelect):  # and CheckboxSelectMultiple
        body = _choices(field)
    else:
        bootstrap = "form-select" if isinstance(widget, forms.Select) else "form-control"
        invalid = " is-invalid" if field.errors else ""
        body = format_html(
            "{}{}{}",
            _control(field, _classes(widget, bootstrap) + invalid),
            _errors(field),
            _help(field),
        )
    if field.label:
        if field.use_fieldset:
            described = field.aria_describedby
            body = format_html(
                "<fieldset{}>{}{}</fieldset>",
                format_html(' aria-describedby="{}"', described) if described else "",
                _label(field, "legend", " fs-6"),
                body,
            )
        else:
            body = format_html("{}{}", _label(field, "label"), body)
    return format_html(
        '<div id="{}" class="mb-3{}">{}</div>',
        wrapper_id,
        f" {conditional_escape(css)}" if css else "",
        body,
    )
