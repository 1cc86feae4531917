"""Django's form renderer, with the commonest widgets drawn in Python instead of through their templates.

Django draws every widget, and every option of a select, by rendering a template (select.html includes
select_option.html per option, each including attrs.html). On the pages people open most, the dashboard's
filter and the month sheet, that was a tenth of the page's server time. The functions below produce the same
markup character for character (tests/test_form_renderer.py compares them with Django's own templates for
every widget the app's forms use); any other template still goes through Django.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData
from django.utils.timezone import template_localtime


def _as_string(value) -> str:
    """`{{ value|stringformat:'s' }}`: "%s" % value, escaped unless it was already safe."""
    text = "%s" % (value,)  # noqa: UP031 (the filter's own formatting: a tuple or a lazy string as it shows them)
    return text if isinstance(value, SafeData) else conditional_escape(text)


def _as_shown(value) -> str:
    """`{{ value }}`: localised (numbers, dates) as the template engine shows a value, then escaped."""
    value = localize(template_localtime(value))
    return conditional_escape(value if isinstance(value, str) else str(value))


def _attrs(attrs: dict) -> str:
    """attrs.html: ` name="value"`, a bare ` name` for True, nothing for False."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {_as_shown(name)}" if value is True else f' {_as_shown(name)}="{_as_string(value)}"')
    return "".join(out)


def _input(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{_as_string(widget["value"])}"'
    kind, name, attrs = _as_shown(widget["type"]), _as_shown(widget["name"]), _attrs(widget["attrs"])
    return f'<input type="{kind}" name="{name}"{value}{attrs}>'


def _option(option: dict) -> str:
    value, attrs, label = _as_string(option["value"]), _attrs(option["attrs"]), _as_shown(option["label"])
    return f'<option value="{value}"{attrs}>{label}</option>'


def _select(widget: dict) -> str | None:
    parts = [f'<select name="{_as_shown(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_as_shown(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION:
                return None  # an option drawn by another template: leave the whole widget to Django
            parts.append(f"\n  {_option(option)}\n")  # select_option.html ends with a newline
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _textarea(widget: dict) -> str:
    name, attrs = _as_shown(widget["name"]), _attrs(widget["attrs"])
    value = _as_shown(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{name}"{attrs}>\n{value}</textarea>'


OPTION = "django/forms/widgets/select_option.html"
WIDGETS = "django/forms/widgets/"
INPUTS = ("text", "number", "hidden", "password", "email", "url", "search", "tel", "date", "datetime", "time")
INPUTS += ("checkbox",)
DRAWN = {f"{WIDGETS}{name}.html": _input for name in (*INPUTS, "input")} | {
    f"{WIDGETS}select.html": _select,
    f"{WIDGETS}textarea.html": _textarea,
}


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        draw = DRAWN.get(template_name)
        # Only a widget's own context: a caller passing something else gets Django's template.
        drawn = draw(context["widget"]) if draw is not None and "widget" in context else None
        if drawn is None:
            return super().render(template_name, context, request=request)
        return drawn.strip()
