"""Checks or rebuilds the yearly totals of the 18 hours (TeacherYearTotals) against the ledger.

    manage.py hours_totals --check     lists the teacher-years whose totals disagree (exit 1)
    manage.py hours_totals --rebuild   rewrites every row from the ledger, in one transaction

The hours services keep the totals exact as they write; a disagreement means the ledger was
written some other way (SQL by hand, a bulk load without the rebuild).
"""

from django.core.management.base import BaseCommand, CommandError

from preau.core.numbers import french_number
from preau.hours.selectors import TOTALS, year_totals_disagreements
from preau.hours.services import rebuild_year_totals

SHOWN = 50


class Command(BaseCommand):
    help = (
        "Compare les totaux annuels des 18 heures au registre des heures (--check) ou les "
        "recalcule tous (--rebuild)."
    )

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument(
            "--check",
            action="store_true",
            help="liste les totaux qui diffèrent du registre, sans rien écrire",
        )
        action.add_argument(
            "--rebuild", action="store_true", help="recalcule tous les totaux depuis le registre"
        )

    def handle(self, *args, check: bool, rebuild: bool, **options):
        if rebuild:
            written = rebuild_year_totals()
            self.stdout.write(f"{written} totaux annuels recalculés depuis le registre.")
            return
        wrong = year_totals_disagreements()
        if not wrong:
            self.stdout.write("Les totaux annuels sont conformes au registre.")
            return
        names = ", ".join(TOTALS)
        for teacher, year, stored, ledger in wrong[:SHOWN]:
            self.stdout.write(
                f"enseignant {teacher}, année {year} : totaux ({names}) = "
                f"{_hours(stored)}, registre = {_hours(ledger)}"
            )
        if len(wrong) > SHOWN:
            self.stdout.write(f"… et {len(wrong) - SHOWN} autres.")
        raise CommandError(
            f"{len(wrong)} total(aux) annuel(s) diffèrent du registre : "
            "manage.py hours_totals --rebuild les recalcule."
        )


def _hours(values) -> str:
    return " / ".join("—" if v is None else french_number(v) for v in values)
