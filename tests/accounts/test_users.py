import pytest
from django.db import IntegrityError, transaction

from preau.accounts.models import User
from tests import factories


def test_new_account_stores_its_email_in_lower_case(db):
    user = User.objects.create_user(" Camille.Lefevre@AC-Normandie.fr ", "x", first_name="Camille")

    assert user.email == "camille.lefevre@ac-normandie.fr"


def test_two_accounts_cannot_share_an_email_written_in_another_case(db):
    factories.UserFactory(email="camille.lefevre@ac-normandie.fr")

    with pytest.raises(IntegrityError), transaction.atomic():
        factories.UserFactory(email="Camille.Lefevre@ac-normandie.fr")


@pytest.mark.parametrize("quotite", [0, 101])
def test_quotite_outside_one_to_a_hundred_percent_is_refused_by_the_database(db, quotite):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.UserFactory(quotite=quotite)
