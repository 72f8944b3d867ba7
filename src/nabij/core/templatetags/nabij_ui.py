"""Template helpers that render Django forms and values with NL Design System (Utrecht) markup."""

from __future__ import annotations

import json
from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField
from django.forms.widgets import Input
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()

# The Utrecht component (CSS block name and HTML variant) for each kind of widget.
_WIDGET_CLASSES: list[tuple[type[forms.Widget], str, str]] = [
    (forms.CheckboxInput, "utrecht-checkbox", "utrecht-checkbox--html-input"),
    (forms.Select, "utrecht-select", "utrecht-select--html-select"),
    (forms.Textarea, "utrecht-textarea", "utrecht-textarea--html-textarea"),
    (Input, "utrecht-textbox", "utrecht-textbox--html-input"),
]


def _component_for(widget: forms.Widget) -> tuple[str, str] | None:
    for widget_class, block, variant in _WIDGET_CLASSES:
        if isinstance(widget, widget_class):
            return block, variant
    return None


@register.filter
def nlds_widget(field: BoundField, extra_describedby: str = "") -> SafeString:
    """Render a field's widget with the Utrecht classes.

    Django itself adds aria-invalid and an aria-describedby that points at the help text
    (`<id>_helptext`) and the errors (`<id>_error`); `extra_describedby` adds the id of a
    message outside the field, such as a form-level error, in front of those.
    """
    attrs: dict[str, Any] = {}
    component = _component_for(field.field.widget)
    if component is not None:
        block, variant = component
        classes = [block, variant, field.field.widget.attrs.get("class", "")]
        if field.errors:
            classes.append(f"{block}--invalid")
        attrs["class"] = " ".join(c for c in classes if c)
    if extra_describedby:
        attrs["aria-describedby"] = " ".join(filter(None, [extra_describedby, field.aria_describedby]))
    return field.as_widget(attrs=attrs)


@register.filter
def chunked(value: str, size: int = 4) -> str:
    """'ABCDEFGH' → 'ABCD EFGH': a long code is easier to read and type over in groups."""
    text = str(value)
    return " ".join(text[i : i + int(size)] for i in range(0, len(text), int(size)))


def _display(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, indent=1)
    return str(value)


@register.filter
def result_items(result: Any) -> list[tuple[str, str]]:
    """A task result (any JSON) as (label, text) rows for a data list; a scalar becomes one row."""
    if isinstance(result, dict):
        return [(str(key).replace("_", " "), _display(value)) for key, value in result.items()]
    if result in (None, "", [], {}):
        return []
    return [(_("resultaat"), _display(result))]
