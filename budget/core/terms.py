"""The reference data's category names and the roles' names, marked for translation.

Natures and revenue sources (Account), grades and kinds of outside staff are stored as the report names
them, in Korean, like the names of lines and programs; unlike those they are a closed set of words that an
English page must show in English. They are listed here so that makemessages keeps them in the catalogue,
and `term` looks a stored name up at the edge where it is shown. A name the catalogue does not hold (a
line's, a program's) comes back as it is.
"""

from __future__ import annotations

from django.utils.safestring import SafeData
from django.utils.translation import gettext, gettext_noop

TERMS = (
    # Accounts: revenue sources, then expenditure natures (fixtures/budget/report_2022.json).
    gettext_noop("서울시출연금"),
    gettext_noop("잉여금(이월금)수입"),
    gettext_noop("사업수입"),
    gettext_noop("보조금수입"),
    gettext_noop("보증금회수수입"),
    gettext_noop("인건비"),
    gettext_noop("경비"),
    gettext_noop("사업비"),
    gettext_noop("예비비"),
    gettext_noop("자본적지출"),
    # Grades and outside staff (fixtures/org/report_2022.json).
    gettext_noop("이사장"),
    gettext_noop("1급"),
    gettext_noop("2급"),
    gettext_noop("3급"),
    gettext_noop("4급"),
    gettext_noop("5급"),
    gettext_noop("6급"),
    gettext_noop("7급"),
    gettext_noop("파견공무원"),
    gettext_noop("계약직"),
    # The roles (foundation.roles.ROLES), named on the forbidden page.
    gettext_noop("재무담당"),
    gettext_noop("재무책임"),
    gettext_noop("관리자"),
    gettext_noop("감사"),
)


def term(name):
    """A stored category name in the reader's language; anything else (markup included) unchanged."""
    if not name or not isinstance(name, str) or isinstance(name, SafeData):
        return name
    return gettext(name)
