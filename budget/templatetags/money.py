"""The display rules of `budget.display` as template filters."""

from django import template

from budget.core import display

register = template.Library()

register.filter("money", display.money)
register.filter("rate", display.rate)
register.filter("gap", display.gap)


@register.filter
def indicator_value(value):
    """An indicator's Decimal without trailing zeros, with thousands separators: 41,374 or 1,041."""
    normalized = value.normalize()
    return f"{normalized:,f}" if normalized == normalized.to_integral() else f"{normalized:,}"
