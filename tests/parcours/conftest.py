"""People and parcours for the parcours tests.

The cast (tests/conftest.py) works in Normandie (A070). Here the designer of the parcours
(`designer`) is joined by a colleague who designs other parcours in Normandie, an academic
manager of another académie, and reviewers scoped to Normandie and to Besançon.
"""

import pytest

from preau.accounts.models import Role
from tests import factories


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to a temporary folder, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def normandie(territory):
    return territory["academie"]


@pytest.fixture
def besancon(db):
    return factories.AcademieFactory(code="A025", name="Besançon")


@pytest.fixture
def people(cast, territory, normandie, besancon):
    """The cast, plus the people who may partly or not at all."""
    return {
        **cast,
        "colleague": factories.with_role(Role.DESIGNER, academie=normandie),
        "other_manager": factories.with_role(Role.ACADEMIC_MANAGER, academie=besancon),
        "national_reviewer": cast["reviewer"],
        "reviewer": factories.with_role(Role.REVIEWER, academie=normandie),
        "other_reviewer": factories.with_role(Role.REVIEWER, academie=besancon),
        "university": factories.with_role(Role.UNIVERSITY_REVIEWER, academie=normandie),
    }


@pytest.fixture
def draft(people, normandie):
    """A complete draft in construction, designed by `designer` in Normandie."""
    return factories.ParcoursFactory(
        complete=True,
        academie=normandie,
        designers=[people["designer"]],
        title="Résoudre des problèmes au cycle 2",
        short_title="PROBLEMES",
    )


@pytest.fixture
def in_review(people, normandie):
    return factories.ParcoursFactory(
        in_review=True,
        academie=normandie,
        designers=[people["designer"]],
        title="Lire et comprendre au CP",
        short_title="LIRECP",
    )


@pytest.fixture
def published(people, normandie):
    return factories.ParcoursFactory(
        published=True,
        academie=normandie,
        designers=[people["designer"]],
        title="Le numérique en maternelle",
        short_title="NUMMAT",
    )
