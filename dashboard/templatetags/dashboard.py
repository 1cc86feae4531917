"""Template helpers of the dashboards: a rate of two amounts and the labels of the rules' outcomes,
through budget.figures and budget.display so that pages round as the report does."""

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from budget.core import display
from budget.core.figures import percent

register = template.Library()

# Marked for makemessages (a module-level dict is read before any language is chosen); translated when shown.
COMMITMENT_STATES = {
    "nearly": gettext_noop("거의 소진"),
    "full": gettext_noop("전액 원인행위"),
    "over": gettext_noop("예산현액 초과"),
}
METHODS = {"actual": gettext_noop("실적(연말)"), "plan": gettext_noop("계획"), "pace": gettext_noop("현재 속도")}
BASES = {"plan": gettext_noop("월별 계획 대비"), "elapsed": gettext_noop("경과 기간 대비")}


@register.filter
def rate_of(part, base):
    """part ÷ base as a rate to one decimal, half-up; `-` where either is missing or the base is zero."""
    if part is None or base is None:
        return "-"
    return display.rate(percent(part, base))


@register.filter
def points(value):
    """A gap in percentage points, one decimal half-up: 15.0%p, △3.2%p; `-` where there is none."""
    if value is None or value == "":
        return "-"
    return display.rate(value, suffix="%p")


@register.filter
def rate_or_dash(value):
    """A rate, or `-` where the template found none (a reserve has no pace: its attributes resolve to "")."""
    if value is None or value == "":
        return "-"
    return display.rate(value)


@register.filter
def commitment_state(value):
    return _(COMMITMENT_STATES[value]) if value else ""


@register.filter
def forecast_method(value):
    return _(METHODS[value]) if value else ""


@register.filter
def pace_basis(value):
    return _(BASES[value]) if value else ""


@register.filter
def money_or_dash(won):
    """천원, or `-` for a month that is not known (None); 0 stays 0."""
    return "-" if won is None else display.money(won)
