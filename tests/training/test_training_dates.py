"""The `day` and `clock` filters write what Django's `date` and `time` filters write."""

import datetime
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def render(source: str, **context) -> str:
    return Template("{% load training_dates %}" + source).render(Context(context))


@pytest.mark.parametrize("fmt", ["j F Y", "l j F Y", "l j F", "d/m", "d/m/Y"])
def test_day_writes_a_date_as_the_date_filter_does(fmt):
    value = datetime.date(2026, 12, 16)

    with translation.override("fr"):
        ours = render(f'{{{{ value|day:"{fmt}" }}}}', value=value)
        django = Template(f'{{{{ value|date:"{fmt}" }}}}').render(Context({"value": value}))
        again = render(f'{{{{ value|day:"{fmt}" }}}}', value=value)  # remembered

    assert ours == django == again
    if fmt == "l j F Y":
        assert ours == "mercredi 16 décembre 2026"


def test_day_leaves_date_times_and_nothing_to_the_date_filter():
    moment = datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC)

    with translation.override("fr"), timezone.override(PARIS):
        # Shown in the current time zone: 1 January in Paris.
        assert render('{{ value|day:"j F Y" }}', value=moment) == "1 janvier 2027"
        assert render('{{ value|day:"j F Y" }}', value=None) == ""


def test_clock_writes_a_time_as_the_time_filter_does():
    value = datetime.time(9, 5)

    with translation.override("fr"):
        assert render('{{ value|clock:"H:i" }}', value=value) == "09:05"
        assert render('{{ value|clock:"G \\h i" }}', value=value) == "9 h 05"
        assert render('{{ value|clock:"H:i" }}', value=None) == ""
