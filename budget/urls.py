"""The budget's pages under their four URL namespaces, each made of its features' own urls.

The namespaces are the addresses users and templates know (budget:report, entry:month, …); several
features share one where their pages sit under one path (the report and its workbook under /reports/,
entry, imports and plans under /entry/).
"""

from .changes import urls as changes
from .council import urls as council
from .entry import urls as entry
from .imports import urls as imports
from .lines import urls as lines
from .opening import urls as opening
from .plans import urls as plans
from .receipts import urls as receipts
from .reports import urls as reports
from .settlement import urls as settlement

report_urls = (reports.urlpatterns + council.urlpatterns, "budget")
entry_urls = (
    entry.urlpatterns
    + imports.urlpatterns
    + plans.urlpatterns
    + receipts.urlpatterns
    + settlement.urlpatterns
    + opening.urlpatterns,
    "entry",
)
line_urls = (lines.urlpatterns, "lines")
change_urls = (changes.urlpatterns, "changes")
