"""One home for each rule and each way of writing numbers (issue 12): French numbers are
core.numbers.french_number, durations are core.numbers.format_hours, counts in a sentence are
core.numbers.french_count, the 18 h × quotité is hours.rules.target_hours, the school year is
hours.rules.school_year_of/_bounds."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import Context, Template

from preau.core.numbers import format_hours, french_count, french_number
from preau.hours.rules import target_hours

PREAU = Path(__file__).resolve().parents[2] / "preau"


@pytest.mark.parametrize(
    ("value", "places", "written"),
    [
        (Decimal("12.50"), 2, "12,5"),
        (Decimal("6.75"), 2, "6,75"),
        (Decimal("18.00"), 2, "18"),
        (Decimal("-1.5"), 2, "-1,5"),
        (Decimal("4.45"), 1, "4,5"),  # half up, as a teacher rounds
        (Decimal("-0.04"), 1, "0"),  # never « -0 »
        (Decimal("1E+1"), 2, "10"),
        (Decimal("1234.5"), 2, "1234,5"),  # no thousands separator: a spreadsheet reads it
        (3, 1, "3"),
        (0.1 + 0.2, 2, "0,3"),
    ],
)
def test_a_number_is_written_the_french_way(value, places, written):
    assert french_number(value, places) == written


def test_a_file_format_may_keep_its_one_decimal():
    assert french_number(Decimal(3), 1, keep_zeros=True) == "3,0"


@pytest.mark.parametrize("value", ["13.5", "18", "0.25", "-1.5", "6.1", 9, 4.75])
def test_the_hours_filter_writes_what_the_rules_write(value):
    rendered = Template("{% load preau %}{{ value|hours }}").render(Context({"value": value}))

    assert rendered == format_hours(Decimal(str(value)))


def test_a_count_in_a_sentence_has_narrow_no_break_spaces_between_thousands():
    assert french_count(20000) == "20\u202f000"
    assert french_count(1234567) == "1\u202f234\u202f567"
    assert french_count(999) == "999"


def test_a_too_long_post_or_logbook_entry_says_its_limit_the_french_way():
    from preau.forums.services import _too_long as post_too_long
    from preau.logbook.services import _too_long as entry_too_long

    for error in (post_too_long(), entry_too_long()):
        assert "\u202f000 caractères au plus" in error.messages[0], error.messages


def test_the_number_filter_writes_what_french_number_writes():
    rendered = Template("{% load preau %}{{ a|number:1 }} {{ b|number }} [{{ c|number }}]").render(
        Context({"a": Decimal("4.45"), "b": Decimal("6.75"), "c": None})
    )

    assert rendered == "4,5 6,75 []"


def test_a_part_time_teachers_home_shows_the_target_of_the_rules(client, cast):
    teacher = cast["teacher"]
    teacher.quotite = 75
    teacher.save(update_fields=["quotite"])
    client.force_login(teacher)

    response = client.get("/")

    assert response.context["target_hours"] == target_hours(75) == Decimal("13.5")


def python_sources():
    for path in sorted(PREAU.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path, path.read_text()


@pytest.mark.parametrize(
    ("pattern", "home"),
    [
        # A decimal point turned into a comma by hand.
        (r"""replace\(\s*["']\.["']\s*,\s*["'],["']\s*\)""", "core/numbers.py"),
        # 18 hours prorated by the quotité.
        (r"Decimal\(18\)|ANNUAL_HOURS|\b18\s*\*\s*\w*quotite", "hours/rules.py"),
        # The school year's first month, or a school year computed from any month.
        (
            r"month\s*>=\s*9|month\s*<\s*9|SCHOOL_YEAR_FIRST_MONTH\b"
            r"|year\s+if\s+\w+\.month\s*[<>]=?\s*\d+\s+else",
            "hours/rules.py",
        ),
        # Thousands separated by hand (« 20 000 »): a format spec with a comma, or U+202F.
        (r":,\}|\\u202f|\u202f|\\N\{NARROW NO-BREAK SPACE\}", "core/numbers.py"),
        # Hours written « 13 h 30 » by hand.
        (r"divmod\(.*,\s*60\)", "core/numbers.py"),
    ],
)
def test_each_rule_and_format_is_written_once(pattern, home):
    copies = [
        str(path.relative_to(PREAU)) for path, text in python_sources() if re.search(pattern, text)
    ]

    assert copies == [home]
