"""What the dashboard's pages share: the year and month of a page from its URL, the rules' margins shown on
them, who may explain a line, and the note a curve needs."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from budget.core.ledger import Ledger
from budget.core.models import Account, BudgetLine, FiscalYear
from budget.core.periods import closed_through, default_year, latest_month, parse_as_of
from budget.core.sections import section_expression
from dashboard.access import explainer
from dashboard.figures import EARLY_EXECUTION_MONTH, LARGE_CHANGE, NEARLY_COMMITTED, PACE_MARGIN, PLAN_MARGIN
from dashboard.filters import DashboardFilter

# How many rows the overview lists per attention list and in the forecast; the rest are one click away.
LIST_LIMIT = 20


FORECAST_PAGE = 100


AREA_PAGE = 100


RULES = {
    "pace_margin": PACE_MARGIN,
    "plan_margin": PLAN_MARGIN,
    "nearly_committed": NEARLY_COMMITTED,
    "large_change": LARGE_CHANGE,
}


def canonical(request) -> str | None:
    """Where a dashboard URL missing its year or month is sent: the same choices, filled in, so that
    what is on the screen is always in the address bar."""
    if request.GET.get("year") and request.GET.get("as_of"):
        return None
    year = request.GET.get("year", "")
    as_of = request.GET.get("as_of", "")
    if not year.isdigit():
        year = as_of[:4] if as_of[:4].isdigit() else str(default_year())
    if not as_of:
        as_of = f"{year}-{latest_month(int(year)):02d}"
    query = {"year": year, "as_of": as_of}
    query.update({k: request.GET[k] for k in ("team", "nature") if request.GET.get(k)})
    return f"{request.path}?{urlencode(query)}"


def period(request) -> tuple[FiscalYear, int, str | None]:
    """The fiscal year and month of a drill-down page, from ?year= and ?as_of= (either gives the year)."""
    as_of = request.GET.get("as_of", "")
    year = request.GET.get("year", "") or as_of[:4]
    if not year.isdigit():
        year = str(default_year())
    fiscal_year = get_object_or_404(FiscalYear, year=int(year))
    month, error = parse_as_of(as_of or None, fiscal_year.year)
    return fiscal_year, month, error


def query(year: int, month: int, **extra) -> str:
    return urlencode({"year": year, "as_of": f"{year}-{month:02d}", **{k: v for k, v in extra.items() if v}})


def safe_next(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


def explanation_month(year: int, month: int, through: int | None = None) -> int | None:
    """The month a 사유 written on a view as of `month` is for: that month while it is open; once it is
    closed (its 사유 went out with it), the first open month; None when the whole year is closed.
    `through` is the year's closed-through month where the caller has it."""
    through = closed_through(year) if through is None else through
    if month > through:
        return month
    return through + 1 if through < 12 else None


def mark_explainable(request, statuses, units):
    may = explainer(request.user, units)
    for status in statuses:
        status.can_explain = may(status.line["team_id"])


def curve_note(year: int, month: int, covered: int) -> str:
    """What a curve must say when its months before `covered` exist only as one cumulative figure."""
    if covered > month:
        return _(
            "%(year)s년 1~%(covered)s월 집행은 %(covered)s월 누계로만 있어 %(month)s월 기준 실적을 알 수 없습니다."
        ) % {
            "year": year,
            "covered": covered,
            "month": month,
        }
    if covered > 1:
        return _(
            "1~%(covered)s월 실적은 보고서의 %(covered)s월 누계 하나뿐이어서 %(covered)s월에 한 점으로 표시합니다 "
            "(월별로 나누지 않음)."
        ) % {"covered": covered}
    return ""


def section_lines(year: int, code: str):
    """The year's expenditure lines of one 구분 of 사업별 예산, by the report's own rule (section_expression)."""
    return BudgetLine.objects.for_year(year).expenditure().annotate(section=section_expression()).filter(section=code)


def expenditure_line(pk: int) -> BudgetLine:
    return get_object_or_404(
        BudgetLine.objects.select_related("account", "fiscal_year", "program__area", "program__owner_team"),
        pk=pk,
        account__side=Account.Side.EXPENDITURE,
    )


def line_month(request, line: BudgetLine) -> tuple[int, str | None]:
    return parse_as_of(request.GET.get("as_of") or None, line.fiscal_year_id)


@dataclass
class Choice:
    """What a dashboard page was asked for in its URL: the year and month, the team and nature that
    narrow its lines, and the ledger over them."""

    filterset: DashboardFilter
    fiscal_year: FiscalYear
    month: int
    team: object | None
    nature: object | None
    ledger: Ledger

    @property
    def year(self) -> int:
        return self.fiscal_year.year

    @property
    def full_query(self) -> str:
        team, nature = self.team, self.nature
        return query(self.year, self.month, team=team.pk if team else "", nature=nature.pk if nature else "")


def chosen(request, template: str) -> Choice | HttpResponse:
    """The page's choices, or the answer to give instead: a redirect that puts what is shown in the
    address bar, or the page with the form's errors (400)."""
    elsewhere = canonical(request)
    if elsewhere:
        return redirect(elsewhere)
    filterset = DashboardFilter(request.GET, queryset=BudgetLine.objects.all())
    if not filterset.is_valid():
        return render(request, template, {"filter": filterset, "invalid": True}, status=400)
    data = filterset.form.cleaned_data
    fiscal_year, month = data["year"], filterset.form.month
    # The first half's figures (신속집행) are read in the same pass as the month's.
    lines = filterset.qs if filterset.narrowed else None
    ledger = Ledger(fiscal_year.year, month, lines=lines, checkpoint=EARLY_EXECUTION_MONTH)
    return Choice(filterset, fiscal_year, month, data.get("team"), data.get("nature"), ledger)
