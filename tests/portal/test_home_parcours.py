"""What the home page and the menu show of parcours, per role."""

import re

import pytest

from preau.parcours.models import OpenAccessMembership
from tests import factories


def menu(response) -> list[str]:
    return [
        re.sub(r"\s+", " ", label).strip()
        for label in re.findall(
            r'<a class="fr-nav__link"[^>]*>(.*?)</a>', response.content.decode(), re.S
        )
    ]


@pytest.mark.parametrize(
    ("member", "entries"),
    [
        (
            "teacher",
            [
                "Accueil",
                "Offre de formation",
                "Mes sessions",
                "Mes 18 heures",
                "Carnet de bord",
                "Mon profil",
            ],
        ),
        ("trainer", ["Accueil", "Offre de parcours", "Sessions", "Mon profil"]),
        ("designer", ["Accueil", "Offre de parcours", "Concevoir", "Mon profil"]),
        ("reviewer", ["Accueil", "Offre de parcours", "Relecture", "Mon profil"]),
        ("editorial", ["Accueil", "Offre de parcours", "Labels", "Mon profil"]),
        ("ien", ["Accueil", "Offre de parcours", "Sessions", "Piloter", "Mon profil"]),
        (
            "manager",
            [
                "Accueil",
                "Offre de parcours",
                "Sessions",
                "Concevoir",
                "GAIA et SOFIA",
                "Heures du département",
                "Rapport des heures",
                "Piloter",
                "Mon profil",
            ],
        ),
        ("nobody", ["Accueil", "Mon profil"]),
    ],
)
def test_menu_shows_each_role_the_spaces_it_works_in(client, cast, member, entries):
    client.force_login(cast[member])

    assert menu(client.get("/")) == entries


def test_teacher_home_lists_the_open_access_modules_they_joined(client, cast):
    joined = factories.ParcoursFactory(open_access_module=True, title="Le numérique en classe")
    factories.ParcoursFactory(open_access_module=True, title="Un module non rejoint")
    OpenAccessMembership.objects.create(parcours=joined, user=cast["teacher"])
    client.force_login(cast["teacher"])

    content = client.get("/").content.decode()

    assert f'<a href="/parcours/modules/{joined.pk}/">Le numérique en classe</a>' in content
    assert "Un module non rejoint" not in content


def test_teacher_who_joined_nothing_is_told_what_open_access_modules_are(client, cast):
    client.force_login(cast["teacher"])

    content = client.get("/").content.decode()

    assert "Vous n’avez rejoint aucun module en libre accès." in content
    assert "ils ne comptent pas dans vos 18 heures" in content


def test_designer_home_lists_their_latest_parcours_and_not_others(client, cast):
    mine = factories.ParcoursFactory(title="Calcul mental au cycle 2", designers=[cast["designer"]])
    factories.ParcoursFactory(title="Le parcours d’un collègue")
    client.force_login(cast["designer"])

    content = client.get("/").content.decode()

    assert f'href="/parcours/{mine.pk}/">Calcul mental au cycle 2</a>' in content
    assert "Le parcours d’un collègue" not in content


def test_designer_without_parcours_is_invited_to_create_one(client, cast):
    client.force_login(cast["designer"])

    content = client.get("/").content.decode()

    assert "Vous n’avez encore conçu aucun parcours." in content


def test_national_reviewer_home_counts_the_parcours_waiting_for_review(client, cast):
    factories.ParcoursFactory.create_batch(2, in_review=True)
    factories.ParcoursFactory(published=True)
    client.force_login(cast["reviewer"])

    content = client.get("/").content.decode()

    assert "2 parcours attendent votre relecture." in content


def test_teacher_home_shows_their_18_hours_status_and_what_is_missing(client, cast):
    client.force_login(cast["teacher"])

    content = client.get("/").content.decode()

    assert "0 h comptées sur 18 h cette année." in content
    assert "Il vous manque 9 h de formation dont au moins une partie à distance" in content
    assert 'href="/heures/"' in content
