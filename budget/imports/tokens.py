"""Between preview and confirmation: the parsed entries, signed, in the page (no file is kept anywhere)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing
from django.utils.translation import gettext as _

from budget.entry.services import Entry
from budget.imports.layout import TOKEN_MAX_AGE, ImportRefused, Problem
from budget.imports.preview import Preview
from budget.plans.sheet import PlanEntry
from budget.receipts.services import Receipt

_SALT = "budget.imports"


def sign_preview(preview: Preview, user_id: int | None) -> str:
    """A token of what confirming the preview saves, signed (so it cannot be edited in the page),
    tied to the user, and holding the version it was previewed at (so a save in between is caught)."""
    if preview.kind == "execution":
        entries = [[e.line_id, e.commitment, e.expenditure, e.note] for e in preview.entries]
    elif preview.kind == "revenue":
        entries = [[e.line_id, e.collected, e.note] for e in preview.entries]
    else:
        entries = [[e.line_id, e.month, e.commitment, e.expenditure] for e in preview.entries]
    payload = {
        "kind": preview.kind,
        "year": preview.year,
        "month": preview.month,
        "version": preview.version,
        "file": preview.filename,
        "user": user_id,
        "entries": entries,
    }
    return signing.dumps(payload, salt=f"{_SALT}.{preview.kind}", compress=True)


@dataclass(frozen=True)
class Confirmed:
    kind: str
    year: int
    month: int | None
    version: int | str
    filename: str
    entries: list


def unsign_preview(token: str, kind: str, user_id: int | None) -> Confirmed:
    """The preview a token stands for. Raises ImportRefused for a token that is altered, expired or
    someone else's."""
    try:
        payload = signing.loads(token, salt=f"{_SALT}.{kind}", max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        raise ImportRefused(
            [
                Problem(
                    _("미리 보기가 %(minutes)s분이 지나 만료되었습니다. 파일을 다시 올리세요.")
                    % {"minutes": TOKEN_MAX_AGE // 60}
                )
            ]
        ) from None
    except signing.BadSignature:
        raise ImportRefused([Problem(_("미리 보기 정보가 올바르지 않습니다. 파일을 다시 올리세요."))]) from None
    if payload.get("user") != user_id or payload.get("kind") != kind:
        raise ImportRefused([Problem(_("다른 사용자의 미리 보기입니다. 파일을 다시 올리세요."))])
    if kind == "execution":
        entries = [Entry(line_id=i, commitment=c, expenditure=e, note=n) for i, c, e, n in payload["entries"]]
    elif kind == "revenue":
        entries = [Receipt(line_id=i, collected=c, note=n) for i, c, n in payload["entries"]]
    else:
        entries = [PlanEntry(line_id=i, month=m, commitment=c, expenditure=e) for i, m, c, e in payload["entries"]]
    return Confirmed(kind, payload["year"], payload["month"], payload["version"], payload["file"], entries)


def source_note(filename: str, how: str = "") -> str:
    """The history's change reason for an import."""
    return (_("엑셀 가져오기%(how)s: %(file)s") % {"how": f"({how})" if how else "", "file": filename})[:250]
