"""The suite's own clock (tests/conftest.py): every test believes it is the test day, and the
date-sensitive ones run with the clock stopped."""

import pytest
from django.utils import timezone

from tests.conftest import suite_today


def test_the_whole_suite_believes_it_is_the_test_day():
    assert timezone.localdate() == suite_today()


@pytest.mark.date_sensitive
def test_a_date_sensitive_test_runs_with_the_clock_stopped_at_ten_in_paris():
    first = timezone.now()

    assert timezone.localtime(first).hour == 10
    assert timezone.now() == first


def test_the_frozen_today_fixture_gives_the_test_day_with_the_clock_stopped(frozen_today):
    assert timezone.localdate() == frozen_today == suite_today()
    assert timezone.now() == timezone.now()
