"""The report to the council as tables of rows (세입·세출 총괄, 사업별 예산, 집행현황, 인력), computed once
and drawn as HTML (django-tables2) here and as Excel by budget.council."""
