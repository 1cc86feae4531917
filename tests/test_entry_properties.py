"""Properties of monthly entry, over arbitrary input: amounts as typed, and the month sheet as posted.

(a) parse_amount refuses anything it cannot read with a ValidationError and nothing else;
(b) it reads back every amount in range written the usual ways;
(c) posting the October sheet with arbitrary text never fails the server: it saves exactly what
    parse_amount reads (302), or refuses (400) / reports a stale sheet (409) and saves nothing.
"""

import unicodedata
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from budget.core.amounts import MAX_AMOUNT, parse_amount
from budget.core.models import ExecutionRecord, MonthStatus
from budget.entry.services import Entry, month_close, month_save
from budget.entry.sheet import month_sheet

OCTOBER = "/entry/2022/10/"

# Characters people type in an amount, and some they should not: other scripts' digits (Arabic-Indic,
# full-width, Devanagari), look-alike punctuation, all kinds of spaces, the unit.
DIGITS = "0123456789"
OTHER_DIGITS = "١٢٣٤٥٦٧٨٩٠０１２３４５６７８９१२३"
SIGNS = ",.+-−△ \u00a0\u3000\t원₩,．"
amount_chars = st.sampled_from(DIGITS + OTHER_DIGITS + SIGNS)

typed_text = st.one_of(
    st.text(),
    st.text(amount_chars, max_size=24),
    st.text(st.sampled_from(DIGITS + ",-+ 원"), max_size=24),
    st.builds(
        lambda sign, n, sep, unit, pad: f"{pad}{sign}{n:,}{unit}{pad}".replace(",", sep),
        st.sampled_from(["", "-", "+", "−"]),
        st.integers(0, 10 * MAX_AMOUNT),
        st.sampled_from([",", "", ".", " ", ",,"]),
        st.sampled_from(["", "원", " 원", "₩"]),
        st.sampled_from(["", " ", "\u00a0", "\t"]),
    ),
    st.builds(lambda zeros, n: "0" * zeros + n, st.integers(0, 5000), st.sampled_from(["", "1", "-1", "1,000"])),
)


def _digits_of(text: str) -> tuple[int, int]:
    """An independent reading of a typed amount: its sign and the number its decimal digits spell."""
    digits = "".join(str(unicodedata.decimal(c)) for c in text if unicodedata.category(c) == "Nd")
    sign = -1 if "-" in text else 1
    return sign, int(digits.lstrip("0") or "0")


# (a)


@settings(max_examples=600, deadline=None, database=None)
@given(typed_text)
@example("١٢٣")
@example("１２３４")
@example("1,٢٣٤")
@example("1,000,000,000,001")
@example("-1,000,000,000,000원")
@example("12 34")
@example("")
@example("원")
@example("0" * 4301)
def test_parse_amount_refuses_only_with_a_validation_error(text):
    try:
        value = parse_amount(text)
    except ValidationError:
        return
    assert type(value) is int
    assert abs(value) <= MAX_AMOUNT
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    cleaned = cleaned.removesuffix("원").replace(",", "")
    if len(cleaned) <= 4300:  # what int() reads (sys.get_int_max_str_digits)
        assert value == int(cleaned or "0")
    sign, number = _digits_of(text)
    assert value == sign * number


TOO_LONG = "%s자리 금액은 입력할 수 있는 금액(±1,000,000,000,000원)을 넘습니다."
ARABIC_ZEROS_THEN_5 = "٠" * 4301 + "٥"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1" * 4301, TOO_LONG % 4301),
        ("-" + "9" * 5000, TOO_LONG % 5000),
        ("0" * 4301, 0),
        ("0" * 4300 + "1", 1),
        ("-" + "0" * 4301 + "5", -5),
        # Arabic-Indic digits: parse_amount takes ASCII digits only, so this is refused as no amount at all.
        (ARABIC_ZEROS_THEN_5, f"'{ARABIC_ZEROS_THEN_5}'은(는) 금액이 아닙니다. 숫자와 쉼표만 씁니다."),
    ],
    ids=["4301 ones", "-5000 nines", "4301 zeros", "4300 zeros then 1", "-4301 zeros then 5", "4301 arabic zeros"],
)
def test_parse_amount_on_a_very_long_number(text, expected):
    """Thousands of digits: Python's int() refuses more than 4300 (sys.get_int_max_str_digits), so
    parse_amount counts the digits first. Leading zeros do not count: a number they pad is read as itself,
    and more digits than 1조 has (13) are refused, saying how many. Each case gives the value read (an int)
    or the refusal's one message (a str).

    (Through the month form the field's max_length of 40 keeps such text away from parse_amount.)
    """
    if isinstance(expected, str):
        with pytest.raises(ValidationError) as refused:
            parse_amount(text)
        assert refused.value.messages == [expected]
    else:
        assert parse_amount(text) == expected


# (b)


@settings(max_examples=300, deadline=None, database=None)
@given(st.integers(-MAX_AMOUNT, MAX_AMOUNT))
def test_amounts_in_range_read_back_as_written(n):
    assert parse_amount(f"{n:,}") == n
    assert parse_amount(str(n)) == n
    assert parse_amount(f" {n:,}원 ") == n
    assert parse_amount(f"\u00a0{n}\u00a0") == n
    if n >= 0:
        assert parse_amount(f"+{n:,}") == n


@settings(max_examples=100, deadline=None, database=None)
@given(st.integers(MAX_AMOUNT + 1, 10**30), st.sampled_from([1, -1]))
def test_amounts_beyond_the_limit_are_refused(n, sign):
    for text in (f"{sign * n:,}", str(sign * n)):
        with pytest.raises(ValidationError, match="넘습니다"):
            parse_amount(text)


# (c)

small_amount = st.integers(-2_000_000, 50_000_000)
sheet_amount = st.one_of(
    small_amount.map(str),
    small_amount.map(lambda n: f"{n:,}"),
    small_amount.map(lambda n: f" {n:,}원 "),
    st.integers(-(10**14), 10**14).map(lambda n: f"{n:,}"),
    st.text(amount_chars, max_size=12),
    st.text(max_size=45),
    st.just(""),
)
note_text = st.one_of(st.just(""), st.text(max_size=40), st.text(min_size=295, max_size=310))
line_input = st.tuples(sheet_amount, sheet_amount | st.just("same"), note_text)
version_text = st.one_of(st.just("current"), st.sampled_from(["0", "2", "-1", "", "x", "1.0"]), st.text(max_size=5))


@pytest.fixture
def finance_user(roles):
    user = get_user_model().objects.create_user("finance", password=None)  # no password: hashing is slow
    user.groups.add(roles["재무담당"])
    return user


def _october_records():
    return list(
        ExecutionRecord.objects.filter(line__fiscal_year_id=2022, month=10)
        .order_by("line_id")
        .values_list("line_id", "commitment", "expenditure", "note")
    )


def _october_status():
    return MonthStatus.objects.filter(fiscal_year_id=2022, month=10).values_list("closed", "version").first()


@pytest.fixture
def lead_user(roles):
    user = get_user_model().objects.create_user("lead", password=None)
    user.groups.add(roles["재무책임"])
    return user


@pytest.mark.django_db
def test_posting_the_month_sheet_with_arbitrary_text(report_2022, client, finance_user, lead_user):
    sheet = month_sheet(2022, 10)
    codes = [sheet_line.line.code for sheet_line in sheet.lines]
    # October already holds a figure, so "nothing changed" also means "nothing lost".
    month_save(
        year=2022,
        month=10,
        user=finance_user,
        version=0,
        entries=[Entry(sheet.lines[codes.index("4-1")].line.pk, 100_000_000, 20_000_000, "10월 계약")],
    )
    client.force_login(finance_user)

    @settings(
        max_examples=150,
        deadline=None,
        database=None,  # no example database kept in the project; a failure prints its example
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(
        typed=st.dictionaries(st.sampled_from(codes), line_input, max_size=4),
        version=version_text,
        reason=st.one_of(st.just(""), st.text(max_size=20), st.text(min_size=301, max_size=305)),
        closed=st.booleans(),
    )
    @example(typed={"4-1": ("-1,000", "-1,000", "정정")}, version="current", reason="", closed=False)
    @example(typed={"1-1": ("1" * 4301, "0", "")}, version="current", reason="", closed=False)
    @example(typed={"1-1": ("1,000", "1,000", "\x00")}, version="current", reason="", closed=False)
    @example(typed={"1-1": ("1,000", "0", "")}, version="current", reason="\x00", closed=False)
    @example(typed={"2-3": ("1,000", "0", "")}, version="current", reason="", closed=True)
    def post(typed, version, reason, closed):
        with transaction.atomic():
            if closed:
                month_close(year=2022, month=10, user=lead_user)
            current = month_sheet(2022, 10)
            # The form as the page draws it (current figures), with a few lines typed over.
            data = {"version": str(current.version) if version == "current" else version, "reason": reason}
            for sheet_line in current.lines:
                pk = sheet_line.line.pk
                data[f"c-{pk}"] = f"{sheet_line.commitment:,}"
                data[f"e-{pk}"] = f"{sheet_line.expenditure:,}"
                data[f"n-{pk}"] = sheet_line.note
            for code, (commitment, expenditure, note) in typed.items():
                pk = current.lines[codes.index(code)].line.pk
                data[f"c-{pk}"] = commitment
                data[f"e-{pk}"] = commitment if expenditure == "same" else expenditure
                data[f"n-{pk}"] = note
            records, status = _october_records(), _october_status()

            response = client.post(OCTOBER, urlencode(data), content_type="application/x-www-form-urlencoded")

            assert response.status_code in (302, 400, 409)
            event(f"status {response.status_code}")
            if response.status_code != 302:
                assert _october_records() == records
                assert _october_status() == status
            else:
                assert not closed
                # A post that changes nothing writes nothing (no new version), as an import of the same file.
                changed = any(
                    (parse_amount(data[f"c-{line.line.pk}"]), parse_amount(data[f"e-{line.line.pk}"]))
                    != (line.commitment, line.expenditure)
                    or data[f"n-{line.line.pk}"].strip() != line.note
                    for line in current.lines
                    if not line.reserve
                )
                assert _october_status() == (False, current.version + changed)
                saved = {line_id: (c, e, n) for line_id, c, e, n in _october_records()}
                for sheet_line in current.lines:
                    pk = sheet_line.line.pk
                    if sheet_line.reserve:  # a reserve line takes no input: what is posted for it is ignored
                        want = (sheet_line.commitment, sheet_line.expenditure)
                    else:
                        want = (parse_amount(data[f"c-{pk}"]), parse_amount(data[f"e-{pk}"]))
                    if pk in saved:
                        assert saved[pk][:2] == want
                        assert saved[pk][2] == data[f"n-{pk}"].strip()
                    else:  # a line left at zero gets no record
                        assert want == (0, 0)
            typed_lines = [line for line in current.lines if not line.reserve]
            if any(not _parses(data[f"{p}-{line.line.pk}"]) for line in typed_lines for p in "ce"):
                assert response.status_code == 400
            transaction.set_rollback(True)

    post()


def _parses(text):
    try:
        parse_amount(text)
    except ValidationError:
        return False
    except Exception:  # noqa: BLE001 - the parse_amount properties above report those
        return False
    return True
