"""The year's published execution as a Frictionless (Tabular) Data Package: datapackage.json with a Table
Schema per resource, the resources being the CSV files the open page offers.

The Fiscal Data Package (OpenSpending) is followed where it fits: the package says its country, city,
fiscal period and granularity, and each column its `columnType` from the fiscal taxonomy (fiscal year;
economic classification = 성질; functional classification = 정책분야; activity = 사업; `value` for an
amount, with its budget phase, currency and direction). The month and the rates have no column type: the
taxonomy has none for a month within the year, and a rate is not an amount but follows exactly from the
amounts of its row.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from budget.core.csvfile import RATE_PLACES
from opendata.data import RESOURCES

ORGANISATION = "서울디지털재단"

# The budget phase of each amount, in the standard's terms: 예산현액 is the budget as adjusted by every
# 추경, 이월, 전용 and 예비비 사용 to the month's end; 원인행위액 is committed; 지출액 is paid (executed).
PHASES = {"budget": "adjusted", "commitment": "committed", "expenditure": "executed"}


def _fields(resource: str) -> list[dict]:
    fields = [
        {
            "name": "fiscal_year",
            "title": _("회계연도"),
            "type": "integer",
            "constraints": {"required": True},
            "columnType": "date:fiscal-year",
        },
        {
            "name": "month",
            "title": _("기준월"),
            "description": _("이 달 말까지의 누계 (예산현액은 이 달 말 기준)"),
            "type": "yearmonth",
            "constraints": {"required": True},
        },
    ]
    if resource == "nature":
        fields += [
            {
                "name": "nature_code",
                "title": _("성질 코드"),
                "type": "string",
                "constraints": {"required": True},
                "columnType": "economic-classification:generic:level1:code",
            },
            {
                "name": "nature_name",
                "title": _("성질"),
                "type": "string",
                "columnType": "economic-classification:generic:level1:label",
            },
        ]
    else:
        fields += [
            {
                "name": "area_code",
                "title": _("정책분야 코드"),
                "type": "string",
                "columnType": "functional-classification:generic:level1:code",
            },
            {
                "name": "area_name",
                "title": _("정책분야"),
                "type": "string",
                "columnType": "functional-classification:generic:level1:label",
            },
            {
                "name": "program_code",
                "title": _("사업 코드"),
                "type": "string",
                "constraints": {"required": True},
                "columnType": "activity:generic:program:code",
            },
            {
                "name": "program_name",
                "title": _("사업명"),
                "type": "string",
                "columnType": "activity:generic:program:label",
            },
        ]
    titles = {"budget": _("예산현액(원)"), "commitment": _("원인행위액(원)"), "expenditure": _("지출액(원)")}
    fields += [
        {
            "name": name,
            "title": title,
            "type": "integer",
            "constraints": {"required": True},
            "columnType": "value",
            "phase": PHASES[name],
            "direction": "expenditure",
            "currency": "KRW",
        }
        for name, title in titles.items()
    ]
    rate = _("%(what)s × 100 ÷ 예산현액, 정확한 값 (소수 %(places)s자리에서 끊음); 예산현액이 0이면 비어 있음")
    fields += [
        {
            "name": "commitment_rate",
            "title": _("원인행위율(%)"),
            "description": rate % {"what": _("원인행위액"), "places": RATE_PLACES},
            "type": "number",
        },
        {
            "name": "expenditure_rate",
            "title": _("집행률(%)"),
            "description": rate % {"what": _("지출액"), "places": RATE_PLACES},
            "type": "number",
        },
    ]
    return fields


def descriptor(year: int, months: list[int]) -> dict:
    """datapackage.json for a year whose public months are `months` (paths relative to it: the CSVs sit
    beside it under /open/<year>/)."""
    keys = {"nature": ["fiscal_year", "month", "nature_code"], "program": ["fiscal_year", "month", "program_code"]}
    titles = {"nature": _("성질별 세출예산 집행"), "program": _("사업별 세출예산 집행")}
    return {
        "profile": "tabular-data-package",
        "name": f"seoul-digital-foundation-expenditure-execution-{year}",
        "title": _("%(org)s %(year)s년 세출예산 집행현황 (공개된 달)") % {"org": ORGANISATION, "year": year},
        "description": _(
            "공개된 달마다 그 달 말까지의 성질별·사업별 예산현액, 원인행위액, 지출액과 집행률. 금액은 원 단위, "
            "비율은 %% 단위의 정확한 값입니다. 공개된 달: %(months)s."
        )
        % {"months": ", ".join(f"{year}-{m:02d}" for m in months)},
        "version": f"{year}-{months[-1]:02d}",
        "created": datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat(),
        "keywords": [_("예산"), _("세출"), _("집행"), ORGANISATION],
        "sources": [{"title": _("%(org)s 예산집행 관리") % {"org": ORGANISATION}}],
        # The Fiscal Data Package's own metadata.
        "countryCode": "KR",
        "cityCode": "Seoul",
        "granularity": "aggregated",
        "fiscalPeriod": {"start": f"{year}-01-01", "end": f"{year}-12-31"},
        "resources": [
            {
                "profile": "tabular-data-resource",
                "name": RESOURCES[resource],
                "title": titles[resource],
                "path": f"{RESOURCES[resource]}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "schema": {
                    "fields": _fields(resource),
                    "primaryKey": keys[resource],
                    "missingValues": [""],
                },
            }
            for resource in ("nature", "program")
        ],
    }
