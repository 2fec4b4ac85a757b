"""The parcours journey, through the UI only: a designer builds a parcours and submits it, an
inspector sends it back with a comment, the designer fixes it and resubmits, the inspector
publishes it; a trainer finds it in the offre de parcours, and a teacher joins an open-access
module from the offre de formation. axe-core checks every distinct page on the way."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from preau.accounts.models import Role
from tests import factories
from tests.factories import PASSWORD

from .conftest import check_accessibility, sign_in

pytestmark = pytest.mark.browser

TITLE = "Enseigner les fractions au cycle 3"
SHORT_TITLE = "FRACTIONS"
OBJECTIVES = "Comprendre la fraction comme partage.\nPlacer des fractions sur une droite graduée."
FIXED_OBJECTIVES = (
    "Comprendre la fraction comme partage.\n"
    "Placer des fractions sur une droite graduée.\n"
    "Comparer deux fractions de même dénominateur."
)
SECTION = "Découvrir les fractions"
ACTIVITY = "Le partage de la galette"
ACTIVITY_TEXT = "Partagez une galette en quatre parts égales, puis nommez chaque part."
REVIEW_COMMENT = "Ajoutez un objectif sur la comparaison des fractions."

MODULE_TITLE = "Découvrir la programmation en cycle 2"
MODULE_KEY = "CODAGE2026"


def label(text: str) -> re.Pattern:
    """A field's accessible name by its first words: DSFR labels hold the field's help text."""
    return re.compile(rf"^{re.escape(text)}(\s|$)")


def menu(page: Page):
    return page.get_by_role("navigation", name="Menu principal")


def sign_out(page: Page) -> None:
    page.get_by_role("banner").get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("banner").get_by_role("link", name="Se connecter")).to_be_visible()


def status_badge(page: Page, status: str):
    """The parcours' status, a DSFR badge: a styled span, with no role to find it by."""
    return page.get_by_role("main").locator(".fr-badge", has_text=re.compile(rf"^{status}$"))


@pytest.fixture
def people(territory):
    academie = territory["academie"]
    return {
        "designer": factories.with_role(
            Role.DESIGNER, user=factories.UserFactory(first_name="Dominique"), academie=academie
        ),
        "reviewer": factories.with_role(
            Role.REVIEWER, user=factories.UserFactory(first_name="Inès"), academie=academie
        ),
        "trainer": factories.with_role(
            Role.TRAINER,
            user=factories.UserFactory(first_name="Fabien"),
            circonscription=territory["caen"],
        ),
        "teacher": factories.teacher(school=territory["caen_school"], first_name="Camille"),
    }


@pytest.fixture
def open_access_module(territory):
    return factories.ParcoursFactory(
        open_access_module=True,
        title=MODULE_TITLE,
        academie=territory["academie"],
        enrolment_key=MODULE_KEY,
    )


def test_parcours_from_design_to_catalogues(page: Page, territory, people, open_access_module):
    designer, reviewer = people["designer"], people["reviewer"]

    # 1. The designer creates a parcours from scratch, indexes it, adds content, submits it.
    sign_in(page, designer.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Dominique")
    check_accessibility(page)

    menu(page).get_by_role("link", name="Concevoir").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Concevoir des parcours")
    check_accessibility(page)

    creation = page.get_by_role("main")
    creation.get_by_role("textbox", name=label("Titre du parcours")).fill(TITLE)
    creation.get_by_role("combobox", name=label("Point de départ")).select_option(
        label="Partir de zéro (parcours vierge)"
    )
    page.get_by_role("button", name="Créer le parcours").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Indexation de « {TITLE} »")
    check_accessibility(page)

    form = page.get_by_role("main")
    form.get_by_role("textbox", name="Titre", exact=True).fill(TITLE)
    form.get_by_role("textbox", name=label("Titre court")).fill(SHORT_TITLE)
    form.get_by_role("textbox", name=label("Objectifs")).fill(OBJECTIVES)
    form.get_by_role("textbox", name=label("Description")).fill(
        "Un parcours hybride pour faire manipuler puis représenter les fractions."
    )
    form.get_by_role("textbox", name=label("Mots-clés")).fill("fractions, mathématiques, cycle 3")
    form.get_by_role("combobox", name=label("Collection")).select_option(
        label="Accompagné / hybride"
    )
    form.get_by_role("combobox", name=label("Domaine")).select_option(label="Mathématiques")
    audiences = form.get_by_role("group", name="Publics visés")
    # A DSFR checkbox is drawn by its label, which takes the click.
    audiences.get_by_text("Cycle 3 (CM1-6e)").click()
    expect(audiences.get_by_role("checkbox", name="Cycle 3 (CM1-6e)")).to_be_checked()
    form.get_by_role("combobox", name=label("Origine")).select_option(label="Académie")
    # The designer's académie is already chosen: the only one they may publish in.
    expect(form.get_by_role("combobox", name=label("Académie"))).to_have_value(
        str(territory["academie"].pk)
    )
    form.get_by_role("combobox", name=label("Département")).select_option(label="Calvados (014)")
    form.get_by_role("spinbutton", name=label("Durée annoncée (h)")).fill("3")
    form.get_by_role("spinbutton", name=label("Heures en présence")).fill("1")
    form.get_by_role("spinbutton", name=label("Heures à distance")).fill("2")
    form.get_by_role("textbox", name=label("Rythme")).fill("1 h par semaine pendant 3 semaines")
    form.get_by_role("textbox", name=label("Accompagnement")).fill(
        "Conseiller pédagogique de circonscription"
    )
    form.get_by_role("textbox", name=label("Auteurs")).fill("Équipe départementale mathématiques")
    form.get_by_role("textbox", name=label("Contact")).fill("maths14@ac-normandie.fr")
    page.get_by_role("button", name="Enregistrer l’indexation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("Indexation enregistrée.")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Avant de soumettre à la relecture, il reste à :")
    ).to_be_visible()
    # The indexation is complete: only the content is left to do.
    expect(page.get_by_role("main")).to_contain_text(
        "Ajoutez au moins une section contenant une activité."
    )
    expect(page.get_by_role("main")).not_to_contain_text("Renseignez")
    expect(page.get_by_role("main")).not_to_contain_text("Répartissez la durée")
    check_accessibility(page)

    page.get_by_role("link", name="Modifier le contenu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Contenu de « {TITLE} »")
    check_accessibility(page)

    page.get_by_role("textbox", name=label("Titre de la section")).fill(SECTION)
    page.get_by_role("button", name="Ajouter la section").click()  # htmx swaps the editor
    section = page.get_by_role("region", name=f"1. {SECTION}")
    expect(section).to_contain_text("Cette section ne contient encore aucune activité.")
    expect(page.get_by_role("status").filter(has_text="ajoutée")).to_contain_text(
        f"Section « {SECTION} » ajoutée."
    )
    check_accessibility(page)

    section.get_by_role("link", name=f"Page dans la section « {SECTION} »").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle activité : page")
    check_accessibility(page)

    page.get_by_role("textbox", name="Titre", exact=True).fill(ACTIVITY)
    page.get_by_role("textbox", name=label("Contenu de la page")).fill(f"<p>{ACTIVITY_TEXT}</p>")
    page.get_by_role("button", name="Enregistrer l’activité").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Contenu de « {TITLE} »")
    expect(page.get_by_text(f"Activité « {ACTIVITY} » enregistrée.")).to_be_visible()
    expect(page.get_by_role("region", name=f"1. {SECTION}")).to_contain_text(ACTIVITY)
    check_accessibility(page)  # the editor now shows an activity and its tools

    page.get_by_role("link", name="Voir le parcours tel qu’il sera présenté").click()
    expect(page.get_by_role("heading", name="Le parcours est complet")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(ACTIVITY_TEXT)
    page.get_by_role("button", name="Soumettre à la relecture").click()
    expect(page.get_by_text("Parcours soumis à la relecture.")).to_be_visible()
    expect(status_badge(page, "En relecture")).to_be_visible()
    check_accessibility(page)
    sign_out(page)

    # 2. An inspector of the académie finds it in « Relecture » and sends it back.
    sign_in(page, reviewer.email, PASSWORD)
    expect(page.get_by_text("1 parcours attend votre relecture.")).to_be_visible()
    check_accessibility(page)

    menu(page).get_by_role("link", name="Relecture").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Parcours à relire")
    check_accessibility(page)

    page.get_by_role("table", name="Parcours en relecture").get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    review = page.get_by_role("region", name="Votre relecture")
    check_accessibility(page)

    review.get_by_role("textbox", name=label("Ce qu’il faut reprendre")).fill(REVIEW_COMMENT)
    review.get_by_role("button", name="Renvoyer en construction").click()
    expect(
        page.get_by_text("Parcours renvoyé en construction avec votre commentaire.")
    ).to_be_visible()
    expect(page.get_by_text("Aucun parcours n’attend votre relecture.")).to_be_visible()
    check_accessibility(page)
    sign_out(page)

    # 3. The designer reads the comment in the history, adds the objective, resubmits.
    sign_in(page, designer.email, PASSWORD)
    page.get_by_role("region", name="Concevoir").get_by_role("link", name=TITLE).click()
    expect(status_badge(page, "En construction")).to_be_visible()
    sent_back = page.get_by_role("listitem").filter(has_text="Renvoyé en construction")
    expect(sent_back).to_contain_text(f"par {reviewer.get_full_name()}")
    expect(sent_back).to_contain_text(REVIEW_COMMENT)
    check_accessibility(page)

    page.get_by_role("link", name="Modifier l’indexation").click()
    page.get_by_role("textbox", name=label("Objectifs")).fill(FIXED_OBJECTIVES)
    page.get_by_role("button", name="Enregistrer l’indexation").click()
    expect(page.get_by_text("Indexation enregistrée.")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(
        "Comparer deux fractions de même dénominateur."
    )
    page.get_by_role("button", name="Soumettre à la relecture").click()
    expect(status_badge(page, "En relecture")).to_be_visible()
    sign_out(page)

    # 4. The inspector approves: the parcours is published under its matricule.
    sign_in(page, reviewer.email, PASSWORD)
    menu(page).get_by_role("link", name="Relecture").click()
    page.get_by_role("table", name="Parcours en relecture").get_by_role("link", name=TITLE).click()
    review = page.get_by_role("region", name="Votre relecture")
    review.get_by_role("textbox", name=label("Commentaire (facultatif)")).fill("Merci !")
    review.get_by_role("button", name="Approuver et publier").click()
    matricule = f"{timezone.localdate().year % 100:02d}_A070_{SHORT_TITLE}_1.0"
    expect(page.get_by_role("status").filter(has_text="approuvé")).to_have_text(
        f"Parcours approuvé et publié sous le matricule {matricule}."
    )
    sign_out(page)

    # 5. A trainer of the académie finds it in the offre de parcours by a word of its title.
    sign_in(page, people["trainer"].email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Fabien")
    check_accessibility(page)

    menu(page).get_by_role("link", name="Offre de parcours").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Offre de parcours")
    results_count = page.get_by_role("main").get_by_role("status")
    expect(results_count).to_have_text("2 parcours trouvés")  # the module is published too
    check_accessibility(page)

    page.get_by_role("searchbox", name=label("Rechercher")).fill("fractions")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    expect(results_count).to_have_text("1 parcours trouvé")
    card = page.get_by_role("article", name=TITLE)
    expect(card).to_contain_text("Comparer deux fractions de même dénominateur.")
    expect(card).to_contain_text("3 h (1 h en présence, 2 h à distance)")
    expect(card).to_contain_text(matricule)
    check_accessibility(page)

    card.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(status_badge(page, "Publié")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(f"matricule {matricule}")
    expect(page.get_by_role("main")).to_contain_text(ACTIVITY_TEXT)
    check_accessibility(page)
    sign_out(page)

    # 6. A teacher joins an open-access module with its key, reads it, finds it on their home.
    sign_in(page, people["teacher"].email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Camille")
    menu(page).get_by_role("link", name="Offre de formation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Offre de formation")
    check_accessibility(page)
    # The offre opens on the sessions; the open-access modules are one switch away.
    page.get_by_role("main").get_by_role("link", name="Modules en libre accès", exact=True).click()
    check_accessibility(page)

    module = page.get_by_role("article", name=MODULE_TITLE)
    module.get_by_role("textbox", name=label("Clé d’inscription")).fill(MODULE_KEY)
    module.get_by_role("button", name="Rejoindre").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(MODULE_TITLE)
    expect(page.get_by_text(f"Vous avez rejoint le module « {MODULE_TITLE} ».")).to_be_visible()
    expect(page.get_by_role("heading", name="Contenu du module")).to_be_visible()
    expect(page.get_by_text("Lisez ce document avant la séance.")).to_be_visible()
    check_accessibility(page)

    menu(page).get_by_role("link", name="Accueil").click()
    expect(page.get_by_role("heading", name="Mes modules en libre accès")).to_be_visible()
    expect(
        page.get_by_role("region", name="Se former").get_by_role("link", name=MODULE_TITLE)
    ).to_be_visible()
    check_accessibility(page)
