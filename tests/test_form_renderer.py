"""The form renderer draws widgets in Python (config/form_renderer.py): the markup must be Django's own,
character for character, for every kind of widget and value, and on every page with a form."""

from __future__ import annotations

import datetime
import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.test import override_settings
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from budget.core.models import BudgetLine
from config.form_renderer import DRAWN, FormRenderer

CHOICES = [
    ("", "---------"),
    (1, "하나 & <둘>"),
    ("x\"y'", gettext_lazy("예산현액")),
    ("그룹", [("a", "가"), ("b", mark_safe("<b>나</b>"))]),
    (2022, 2022),
    (datetime.date(2022, 9, 30), datetime.date(2022, 9, 30)),
]
ATTRS = [
    {},
    {"class": "num", "data-x": 'a"b<c>', "required": True, "disabled": False, "inputmode": "numeric"},
    {"aria-describedby": mark_safe("<i>safe</i>"), "size": 3, "autofocus": True},
]
WIDGETS = [
    (forms.TextInput(), [None, "", "30,000,000", '<script>"x"</script>', 0, mark_safe("<b>safe</b>")]),
    (forms.NumberInput(), [None, 0, 12.5, -3, "△1,000"]),
    (forms.HiddenInput(), [None, "7", 7]),
    (forms.PasswordInput(render_value=True), ["secret&"]),
    (forms.EmailInput(), ["a@b.kr"]),
    (forms.URLInput(), ["https://x.kr/?a=1&b=2"]),
    (forms.DateInput(), [None, datetime.date(2022, 10, 4), "2022-10-04"]),
    (forms.DateTimeInput(), [None, datetime.datetime(2022, 10, 4, 9, 30)]),
    (forms.TimeInput(), [None, datetime.time(9, 30)]),
    (forms.SearchInput(), ["메타버스 & <b>"]),
    (forms.TelInput(), ["02-123-4567"]),
    (forms.CheckboxInput(), [None, True, False, "on"]),
    (forms.Textarea(), [None, "", "첫 줄\n<둘째 줄> & 셋"]),
    (forms.Select(choices=CHOICES), [None, "", 1, "1", "a", 2022, "그룹"]),
    (forms.SelectMultiple(choices=CHOICES), [None, [], ["a", "b"], [1, 2022]]),
    (forms.NullBooleanSelect(), [None, True, False, "unknown"]),
]
CASES = [
    pytest.param(widget, value, attrs, id=f"{type(widget).__name__}-{i}-{j}")
    for widget, values in WIDGETS
    for i, value in enumerate(values)
    for j, attrs in enumerate(ATTRS)
]


@pytest.mark.parametrize("widget, value, attrs", CASES)
@pytest.mark.parametrize("language", ["ko", "en"])
def test_every_widget_is_drawn_as_djangos_template_draws_it(widget, value, attrs, language):
    from django.utils import translation

    with translation.override(language):
        expected = widget.render("field", value, attrs=dict(attrs), renderer=DjangoTemplates())
        drawn = widget.render("field", value, attrs=dict(attrs), renderer=FormRenderer())
    assert drawn == expected


def test_the_widgets_drawn_in_python_are_the_ones_tested():
    tested = {widget.template_name for widget, _values in WIDGETS}
    # input.html is what each of them includes; a widget naming it directly is drawn as they are.
    assert set(DRAWN) - {"django/forms/widgets/input.html"} <= tested


def test_a_widget_it_does_not_draw_still_goes_through_django():
    widget = forms.RadioSelect(choices=CHOICES)
    assert widget.render("r", "a", renderer=FormRenderer()) == widget.render("r", "a", renderer=DjangoTemplates())
    assert 'type="radio"' in widget.render("r", "a", renderer=FormRenderer())


def pages(line_pk: int) -> list[str]:
    period = "year=2022&as_of=2022-10"
    return [
        f"/dashboard/?{period}",
        f"/dashboard/forecast/?{period}",
        f"/dashboard/lines/{line_pk}/?{period}",
        "/programs/",
        "/reports/2022/?as_of=2022-10",
        "/entry/2022/10/",
        "/entry/2022/9/",
        "/entry/import/",
        "/entry/2022/plan/",
        "/entry/2022/plan/10/",
        "/entry/2022/revenue/10/",
        "/entry/2022/settlement/",
        "/budget/2022/changes/",
        f"/budget/lines/{line_pk}/",
        "/admin/budget/budgetline/",
        f"/admin/budget/budgetline/{line_pk}/change/",
        "/admin/auth/user/add/",
    ]


TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+(")')


@pytest.mark.django_db
def test_every_page_with_a_form_is_the_same_drawn_either_way(report_2022, client, make_user):
    """The whole page, drawn with the Python widgets and with Django's templates (CSRF tokens aside)."""
    user = make_user("lead", "재무책임", is_staff=True, is_superuser=True)
    client.force_login(user)
    line = BudgetLine.objects.filter(fiscal_year_id=2022, program__isnull=False).order_by("code").first()
    compared = 0
    for url in pages(line.pk):
        drawn = {}
        for renderer in ("config.form_renderer.FormRenderer", "django.forms.renderers.DjangoTemplates"):
            with override_settings(FORM_RENDERER=renderer):
                assert type(get_default_renderer()).__name__ == renderer.rsplit(".", 1)[1]  # the one in use
                response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            drawn[renderer] = TOKEN.sub(r"\1-\2", response.content.decode())
        python, django = drawn.values()
        assert python == django, url
        compared += python.count("<select") + python.count("<input")
    assert compared > 100  # the pages did draw widgets
    assert type(get_default_renderer()) is FormRenderer  # and the site's own setting is the Python one
