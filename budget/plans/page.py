"""What a plan page shows of a year of any size: the lines chosen by the selection, a page at a time.

The plan is checked and saved for the whole year (its rules read every month of a line), but a page draws
PAGE_SIZE lines, as the month sheet does.
"""

from __future__ import annotations

from dataclasses import dataclass

from budget.core.forms import LinePage, LineSelection, page_of
from budget.plans.sheet import PlanLine, PlanSheet

PAGE_SIZE = 100


@dataclass
class PlanPage:
    selection: LineSelection
    page: LinePage
    groups: list[tuple[str, list[PlanLine]]]  # the page's lines by section

    @property
    def query(self) -> str:
        """The address's choices and page, for coming back to the same page after a save."""
        return self.selection.query(page=self.page.number if self.page.number > 1 else None)


def plan_page(data, sheet: PlanSheet) -> PlanPage:
    selection = LineSelection(data, year=sheet.year, line_rows=sheet.line_rows)
    rows = sheet.line_rows
    if selection.narrowed:
        chosen = set(selection.lines().values_list("pk", flat=True))
        rows = [row for row in rows if row["id"] in chosen]
    page = page_of(rows, data.get("page"), PAGE_SIZE)
    on_page = set(page.ids)
    groups = [(label, [pl for pl in lines if pl.line.pk in on_page]) for label, lines in sheet.groups]
    return PlanPage(selection, page, [(label, lines) for label, lines in groups if lines])
