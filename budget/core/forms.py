"""Forms the budget's pages share: a sheet's amount fields per line, and the selection of lines a long page
lists a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budget.core.amounts import AmountField
from budget.core.models import BudgetLine
from budget.core.sections import section_order
from budget.core.terms import term


class LineAmountsForm(forms.Form):
    """A sheet's form: each line's commitment and expenditure as `c-<line pk>` and `e-<line pk>`."""

    def add_amounts(self, line, where: str, commitment, expenditure, *, labels=None, disabled=False):
        commitment_label, expenditure_label = labels or (_("원인행위액"), _("지출액"))
        for prefix, label, initial in (("c", commitment_label, commitment), ("e", expenditure_label, expenditure)):
            self.fields[f"{prefix}-{line.pk}"] = AmountField(
                where=f"{line.name} · {where} · {label}", initial=initial, disabled=disabled
            )

    def amounts(self, line) -> tuple[int, int]:
        return self.cleaned_data[f"c-{line.pk}"], self.cleaned_data[f"e-{line.pk}"]

    def amount_fields(self, line) -> tuple[forms.BoundField, forms.BoundField]:
        return self[f"c-{line.pk}"], self[f"e-{line.pk}"]


FILTERS = ("area", "program", "team", "nature", "q")


def asks_for_lines(data) -> bool:
    """Whether an address chooses some lines (before the choices are checked against the year's)."""
    return any(data.get(name) for name in FILTERS)


@dataclass(frozen=True)
class LinePage:
    """One page of a selection: its line ids in the order shown, and where it sits among the pages."""

    ids: list[int]
    number: int
    pages: int
    count: int  # lines in the whole selection
    first: int  # 1-based position of the page's first line (0 when the selection is empty)
    last: int

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.pages else None


class LineSelection(forms.Form):
    """Which of a year's expenditure lines a long page lists: by policy area, program, owner team, nature
    and a search of code or name. The address carries every choice (a page can be bookmarked); a choice
    that is not the year's is reported and left out, not a reason to refuse the page.

    The choices are the year's own, read from its lines' rows (a ledger's `line_rows()`, when the page has
    them anyway) or else in one query: a year of 10,000 lines still offers a few hundred.
    """

    area = forms.ChoiceField(label=gettext_lazy("정책분야"), required=False)
    program = forms.ChoiceField(label=gettext_lazy("사업"), required=False)
    team = forms.ChoiceField(label=gettext_lazy("담당 팀"), required=False)
    nature = forms.ChoiceField(label=gettext_lazy("성질"), required=False)
    q = forms.CharField(label=gettext_lazy("코드·이름"), required=False, max_length=100)

    def __init__(self, data, *, year: int, line_rows: list[dict] | None = None):
        super().__init__({k: data.get(k, "") for k in FILTERS}, auto_id="filter-%s")
        self.year = year
        if line_rows is None:
            line_rows = list(
                BudgetLine.objects.for_year(year)
                .expenditure()
                .values(
                    program_code=F("program__code"),
                    program_name=F("program__name"),
                    area_code=F("program__area__code"),
                    area_name=F("program__area__name"),
                    team_id=F("program__owner_team_id"),
                    team_name=F("program__owner_team__name"),
                    team_order=F("program__owner_team__order"),
                    account_code=F("account__code"),
                    account_name=F("account__name"),
                    account_order=F("account__order"),
                )
                .distinct()
                .order_by()
            )
        everything = [("", _("전체"))]

        def choices(key, label, order):
            found = {row[key]: (order(row), label(row)) for row in line_rows if row[key] is not None}
            return everything + [(str(k), text) for k, (_o, text) in sorted(found.items(), key=lambda i: i[1])]

        self.fields["area"].choices = choices(
            "area_code", lambda r: f"{r['area_code']}. {r['area_name']}", lambda r: r["area_code"]
        )
        self.fields["program"].choices = choices(
            "program_code", lambda r: f"{r['program_code']} {r['program_name']}", lambda r: r["program_code"]
        )
        self.fields["team"].choices = choices(
            "team_id", lambda r: r["team_name"], lambda r: (r.get("team_order") or 0, r["team_name"])
        )
        self.fields["nature"].choices = choices(
            "account_code", lambda r: term(r["account_name"]), lambda r: (r["account_order"], r["account_code"])
        )
        for name in ("area", "program", "team", "nature"):
            self.fields[name].widget.attrs["data-autosubmit"] = ""

    @property
    def chosen(self) -> dict[str, str]:
        """The valid choices made, by name."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    @property
    def narrowed(self) -> bool:
        return bool(self.chosen)

    def lines(self):
        """The selected lines of the year's expenditure side, as a queryset (a ledger's scope)."""
        chosen = self.chosen
        lines = BudgetLine.objects.for_year(self.year).expenditure()
        if "area" in chosen:
            lines = lines.filter(program__area__code=chosen["area"])
        if "program" in chosen:
            lines = lines.filter(program__code=chosen["program"])
        if "team" in chosen:
            lines = lines.filter(program__owner_team_id=chosen["team"])
        if "nature" in chosen:
            lines = lines.filter(account__code=chosen["nature"])
        if "q" in chosen:
            lines = lines.filter(Q(code__icontains=chosen["q"]) | Q(name__icontains=chosen["q"]))
        return lines

    def query(self, **extra) -> str:
        """The address's query for these choices (and `extra`, such as a page or an as-of month)."""
        return urlencode({**self.chosen, **{k: v for k, v in extra.items() if v not in (None, "")}})


def page_of(line_rows: list[dict], requested, size: int) -> LinePage:
    """The page `requested` (a page number as typed; out of range gives the nearest page) of the lines,
    in the order the sheets and the report list them: by 구분 (policy areas, 행정운영경비, 예비비), then
    by the lines' own order. `line_rows` are a ledger's line rows (id, section, order, code)."""
    ordered = sorted(line_rows, key=lambda r: (section_order(r["section"]), r["order"], r["code"]))
    page = Paginator([r["id"] for r in ordered], size).get_page(requested)
    count = page.paginator.count
    return LinePage(
        ids=list(page.object_list),
        number=page.number,
        pages=page.paginator.num_pages,
        count=count,
        first=page.start_index() if count else 0,
        last=page.end_index() if count else 0,
    )
