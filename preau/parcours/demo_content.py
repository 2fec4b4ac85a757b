"""The demo's parcours, as data: what a designer of the académie de Normandie would have built.

seeding.py plays each entry through the real services (creation, indexation, content, review,
publication, label, versions). This module holds only the words. The links point to public
resources (éduscol, Réseau Canopé, the ministry…) that were online when the data was written.

Each entry's `story` says how far its lifecycle goes: "template", "construction", "review" or
"published"; `review_comment` makes a reviewer send it back once (then, if its story goes on,
the designer resubmits it); `new_version` publishes a second version that archives the first.
"""

from dataclasses import dataclass

from .models import Audience, Collection, Domain, Origin

# Public resources ------------------------------------------------------------------------

EDUSCOL = "https://eduscol.education.gouv.fr"
DOC = f"{EDUSCOL}/sites/default/files/document/"

ENSEIGNER_CYCLE_1 = f"{EDUSCOL}/4341/enseigner-au-cycle-1"
ENSEIGNER_CYCLE_2 = f"{EDUSCOL}/4347/enseigner-au-cycle-2"
ENSEIGNER_CYCLE_3 = f"{EDUSCOL}/4356/enseigner-au-cycle-3"
GUIDES_FONDAMENTAUX = f"{EDUSCOL}/6681/les-guides-fondamentaux-pour-l-enseignement"
FRANCAIS_C2 = f"{EDUSCOL}/4740/ressources-d-accompagnement-du-programme-de-francais-au-cycle-2"
FRANCAIS_C3 = f"{EDUSCOL}/4800/ressources-d-accompagnement-du-programme-de-francais-au-cycle-3"
ETUDE_LANGUE = (
    f"{EDUSCOL}/4809/ressources-d-accompagnement-du-programme-de-francais-aux-cycles-2-et-3-"
    "etude-de-la-langue"
)
MATHS_C2 = f"{EDUSCOL}/4746/ressources-d-accompagnement-du-programme-de-mathematiques-au-cycle-2"
MATHS_C3 = f"{EDUSCOL}/5712/ressources-d-accompagnement-du-programme-de-mathematiques-au-cycle-3"
SCIENCES_C2 = (
    f"{EDUSCOL}/7055/ressources-d-accompagnement-pour-questionner-le-monde-du-vivant-de-la-"
    "matiere-et-des-objets-sciences-et-technologie-au-cycle-2"
)
SCIENCES_C3 = (
    f"{EDUSCOL}/6878/ressources-d-accompagnement-du-programme-de-sciences-et-technologie-au-cycle-3"
)
ESPACE_TEMPS_C2 = (
    f"{EDUSCOL}/4770/ressources-d-accompagnement-pour-questionner-l-espace-et-le-temps-"
    "histoire-geographie-au-cycle-2"
)
HISTOIRE_GEO_C3 = (
    f"{EDUSCOL}/4791/ressources-d-accompagnement-du-programme-d-histoire-et-geographie-au-cycle-3"
)
EPS_C2 = (
    f"{EDUSCOL}/4725/ressources-d-accompagnement-pour-l-education-physique-et-sportive-au-cycle-2"
)
EPS_C3 = f"{EDUSCOL}/4773/education-physique-et-sportive-ressources-pour-le-cycle-3"
LANGUES = (
    f"{EDUSCOL}/7058/ressources-d-accompagnement-pour-les-langues-vivantes-etrangeres-et-"
    "regionales-l-ecole-elementaire"
)
EMC = (
    f"{EDUSCOL}/7064/ressources-d-accompagnement-pour-l-enseignement-moral-et-civique-l-ecole-"
    "elementaire"
)
ARTS_PLASTIQUES = (
    f"{EDUSCOL}/4731/ressources-d-accompagnement-des-enseignements-en-arts-plastiques-aux-"
    "cycles-2-et-3"
)
EDUCATION_MUSICALE = (
    f"{EDUSCOL}/4737/ressources-d-accompagnement-des-enseignements-en-education-musicale-aux-"
    "cycles-2-et-3"
)
HISTOIRE_DES_ARTS = (
    f"{EDUSCOL}/4785/ressources-d-accompagnement-du-programme-d-histoire-des-arts-au-cycle-3"
)
LANGAGE_C1 = (
    f"{EDUSCOL}/4698/le-developpement-et-la-structuration-du-langage-oral-et-ecrit-au-cycle-1"
)
MATHS_C1 = f"{EDUSCOL}/4674/acquerir-les-premiers-outils-mathematiques-cycle-1"
JOUER_C1 = f"{EDUSCOL}/4689/jouer-et-apprendre-au-cycle-1"
SUIVI_C1 = f"{EDUSCOL}/4671/suivi-et-evaluation-des-apprentissages-des-eleves-l-ecole-maternelle"
EVALUATIONS_CP = f"{EDUSCOL}/5274/evaluations-des-acquis-et-besoins-des-eleves-au-cp"
EVALUATIONS_CE1 = f"{EDUSCOL}/5289/evaluations-des-acquis-et-besoins-des-eleves-au-ce1"
EVALUATIONS_CM1 = f"{EDUSCOL}/5280/evaluations-des-acquis-et-besoins-des-eleves-au-cm1"

GUIDE_LECTURE_CP = f"{DOC}guide-pour-enseigner-la-lecture-et-l-ecriture-au-cp-67854.pdf"
GUIDE_LECTURE_CE1 = f"{DOC}guide-pour-enseigner-la-lecture-et-l-ecriture-au-ce1-67857.pdf"
GUIDE_COMPREHENSION_CM = f"{DOC}guide-la-comprehension-au-cours-moyen-91725.pdf"
GUIDE_GRAMMAIRE = f"{DOC}guide-la-grammaire-du-francais-du-cp-la-6e-97251.pdf"
GUIDE_PROBLEMES_CM = f"{DOC}guide-resolution-de-problemes-cours-moyen-90990.pdf"
GUIDE_NOMBRES_CP = (
    f"{DOC}guide-pour-enseigner-les-nombres-le-calcul-et-la-resolution-de-problemes-au-cp-68664.pdf"
)
GUIDE_NOMBRE_MATERNELLE = (
    f"{DOC}guide-pour-enseigner-la-construction-du-nombre-l-ecole-maternelle-100773.pdf"
)
GUIDE_VOCABULAIRE_MATERNELLE = (
    f"{DOC}guide-pour-enseigner-le-vocabulaire-l-ecole-maternelle-67695.pdf"
)
GUIDE_LANGUES = f"{DOC}guide-pour-l-enseignement-des-langues-vivantes-l-ecole-67713.pdf"
VADEMECUM_SCIENCES = (
    f"{DOC}vademecum-enseigner-les-sciences-et-la-technologie-l-ecole-primaire-100224.pdf"
)
VADEMECUM_CHORALE = f"{DOC}vademecum-la-chorale-l-ecole-au-college-et-au-lycee-67710.pdf"
VADEMECUM_PATRIMOINE = f"{DOC}vademecum-connaitre-le-patrimoine-de-proximite-67707.pdf"
GUIDE_BEP_EVALUATIONS = f"{DOC}guide-accompagnement-des-eleves-besoins-particuliers-2026-128821.pdf"
JOUER_APPRENDRE_C1 = f"{DOC}ressc1jouerjouerapprendre458303pdf-74220.pdf"

PROGRAMMES_ELEMENTAIRE = (
    "https://www.education.gouv.fr/programmes-et-horaires-l-ecole-elementaire-9011"
)
NON_AU_HARCELEMENT = "https://www.education.gouv.fr/non-au-harcelement"
CAP_ECOLE_INCLUSIVE = "https://www.reseau-canope.fr/cap-ecole-inclusive/accueil.html"
CAP_ECOLE_INCLUSIVE_OBSERVER = "https://www.reseau-canope.fr/cap-ecole-inclusive/observer.html"
MON_PARCOURS_HANDICAP = "https://www.monparcourshandicap.gouv.fr/"
SCRATCH = "https://scratch.mit.edu/"
SCRATCHJR = "https://www.scratchjr.org/"
PIX = "https://pix.fr/"
CLEMI = "https://www.clemi.fr/"
INTERNET_SANS_CRAINTE = "https://www.internetsanscrainte.fr/"
VINZ_ET_LOU = "https://www.vinzetlou.net/"
LAMAP = "https://fondation-lamap.org/"
VIGIE_NATURE_ECOLE = "https://www.vigienature-ecole.fr/"
ETWINNING = "https://school-education.ec.europa.eu/fr/etwinning"
LUMNI = "https://www.lumni.fr/primaire"
EDUTHEQUE = "https://www.edutheque.fr/"
MEMORIAL_CAEN = "https://www.memorial-caen.fr/"
GEOPORTAIL = "https://www.geoportail.gouv.fr/"
HISTOIRE_IMAGE = "https://histoire-image.org/"
CALCULATICE = "https://calculatice.ac-lille.fr/"
USEP = "https://usep.org/"
CARTABLE_FANTASTIQUE = "https://www.cartablefantastique.fr/"


# Building blocks -------------------------------------------------------------------------


@dataclass(frozen=True)
class Act:
    """One activity: `kind` is a registered activity kind (see activities.py)."""

    kind: str
    title: str
    body: str = ""
    url: str = ""
    filename: str = ""
    text: str = ""


def page(title: str, body: str) -> Act:
    return Act("page", title, body=body)


def link(title: str, url: str, body: str = "") -> Act:
    return Act("link", title, body=body, url=url)


def note(body: str, title: str = "Note pour les formateurs") -> Act:
    return Act("trainer_note", title, body=body)


def text_file(title: str, filename: str, text: str, body: str = "") -> Act:
    """A small plain-text document, stored through the storage API like an upload."""
    return Act("file", title, body=body, filename=filename, text=text)


Section = tuple[str, tuple[Act, ...]]


@dataclass(frozen=True)
class NewVersion:
    version_notes: str
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class DemoParcours:
    short_title: str
    title: str
    domain: str
    collection: str
    audiences: tuple[str, ...]
    origin: str
    hours: tuple[int | float, int | float, int | float]  # announced, presence, distance
    rhythm: str
    accompaniment: str
    authors: str
    contact: str
    keywords: str
    objectives: str  # one objective a line, see objectives()
    description: str
    sections: tuple[Section, ...]
    story: str = "published"
    departement: str = ""  # code, for a parcours of départemental origin
    label: bool = False
    open_access: bool = False
    enrolment_key: str = ""
    review_comment: str = ""
    fixes: tuple[Act, ...] = ()  # added to the last section before resubmitting
    new_version: NewVersion | None = None
    template: str = ""  # short title of the template it was created from


def objectives(*lines: str) -> str:
    return "\n".join(f"- {line}" for line in lines)


# Templates -------------------------------------------------------------------------------

TEMPLATES = [
    DemoParcours(
        story="template",
        short_title="GABARIT3H",
        title="Gabarit de parcours hybride 3 h",
        domain="",
        collection=Collection.HYBRID,
        audiences=(),
        origin=Origin.ACADEMIE,
        hours=(3, 1.5, 1.5),
        rhythm="1 h 30 en présence, puis 1 h 30 à distance sur 2 semaines",
        accompaniment="Forum animé par le formateur pendant le temps à distance",
        authors="Cellule académique de formation continue du premier degré",
        contact="formation-premier-degre@demo.preau.fr",
        keywords="gabarit, hybride, 3 heures",
        objectives=objectives(
            "Objectif 1 : ce que les enseignants sauront faire à l’issue du parcours"
        ),
        description=(
            "Gabarit d’un parcours court : un temps de lancement en présence, un temps "
            "d’appropriation à distance et un retour d’expérience. Remplacez chaque consigne "
            "par votre contenu."
        ),
        sections=(
            (
                "Temps 1 — en présence : lancement",
                (
                    page(
                        "Présentation du parcours",
                        "<p><strong>À compléter :</strong> présentez en quelques lignes la "
                        "problématique professionnelle du parcours, ses objectifs et son "
                        "calendrier.</p>",
                    ),
                    note(
                        "<p>Prévoyez un questionnaire de positionnement de 10 minutes en début "
                        "de séance : il sert à constituer les groupes du temps à distance.</p>"
                    ),
                ),
            ),
            (
                "Temps 2 — à distance : mise en œuvre en classe",
                (
                    page(
                        "Consigne de travail",
                        "<p><strong>À compléter :</strong> décrivez la tâche à réaliser en "
                        "classe, la trace à déposer et la date limite.</p>",
                    ),
                ),
            ),
        ),
    ),
    DemoParcours(
        story="template",
        short_title="GABARIT6H",
        title="Gabarit de parcours hybride 6 h",
        domain="",
        collection=Collection.HYBRID,
        audiences=(),
        origin=Origin.ACADEMIE,
        hours=(6, 3, 3),
        rhythm="3 h en présence, puis 1 h par semaine à distance pendant 3 semaines",
        accompaniment="Tutorat à distance et classe virtuelle de régulation",
        authors="Cellule académique de formation continue du premier degré",
        contact="formation-premier-degre@demo.preau.fr",
        keywords="gabarit, hybride, 6 heures",
        objectives=objectives("Objectif 1 : à compléter", "Objectif 2 : à compléter"),
        description=(
            "Gabarit du format le plus courant des animations pédagogiques : 3 h en présence "
            "et 3 h à distance, alternant apports, mise en œuvre en classe et analyse de "
            "pratiques."
        ),
        sections=(
            (
                "Temps 1 — en présence : lancement et apports",
                (
                    page(
                        "Présentation et positionnement",
                        "<p><strong>À compléter :</strong> objectifs, calendrier, modalités "
                        "d’accompagnement et attendus de la formation.</p>",
                    ),
                    page(
                        "Apports",
                        "<p><strong>À compléter :</strong> les apports didactiques et "
                        "scientifiques, avec leurs références.</p>",
                    ),
                ),
            ),
            (
                "Temps 2 — à distance : expérimentation en classe",
                (
                    page(
                        "Consigne d’expérimentation",
                        "<p><strong>À compléter :</strong> la séance ou la séquence à mettre en "
                        "œuvre, et la trace à partager (photo, production d’élève, court "
                        "compte rendu).</p>",
                    ),
                    note(
                        "<p>Ouvrez le forum de partage dès la fin du temps en présence et "
                        "relancez les participants à mi-parcours.</p>"
                    ),
                ),
            ),
            (
                "Temps 3 — à distance : analyse et bilan",
                (
                    page(
                        "Retour d’expérience",
                        "<p><strong>À compléter :</strong> les questions qui guident l’analyse "
                        "des traces partagées, puis le questionnaire de satisfaction.</p>",
                    ),
                ),
            ),
        ),
    ),
    DemoParcours(
        story="template",
        short_title="GABARITAUTO",
        title="Gabarit de module en autoformation",
        domain="",
        collection=Collection.AUTOFORMATION,
        audiences=(),
        origin=Origin.ACADEMIE,
        hours=(3, 0, 3),
        rhythm="À votre rythme, environ 1 h par semaine",
        accompaniment="Sans accompagnement : module en libre accès",
        authors="Cellule académique de formation continue du premier degré",
        contact="formation-premier-degre@demo.preau.fr",
        keywords="gabarit, autoformation, libre accès",
        objectives=objectives("Objectif 1 : à compléter"),
        description=(
            "Gabarit d’un module que chacun suit seul, à son rythme : des séquences courtes, "
            "chacune avec une ressource, une activité et une synthèse."
        ),
        sections=(
            (
                "Se lancer",
                (
                    page(
                        "Pourquoi ce module ?",
                        "<p><strong>À compléter :</strong> à qui s’adresse le module et ce "
                        "qu’on y apprend, en trois phrases.</p>",
                    ),
                ),
            ),
            (
                "Approfondir",
                (
                    page(
                        "Séquence type",
                        "<p><strong>À compléter :</strong> une ressource à consulter (10 min), "
                        "une activité à faire en classe, une synthèse à retenir.</p>",
                    ),
                ),
            ),
        ),
    ),
]

# Français --------------------------------------------------------------------------------

FRANCAIS = [
    DemoParcours(
        short_title="LECTCOMPC2",
        title="Enseigner explicitement la compréhension en lecture au cycle 2",
        domain=Domain.FRANCAIS,
        collection=Collection.HYBRID,
        audiences=(Audience.CYCLE_2,),
        origin=Origin.NATIONAL,
        hours=(9, 3, 6),
        rhythm="3 h en présence, puis 1 h 30 par semaine à distance pendant 4 semaines",
        accompaniment="Tutorat par un conseiller pédagogique de circonscription, forum et "
        "deux classes virtuelles",
        authors="Groupe national « Lire, écrire, comprendre » (DGESCO), avec des formateurs "
        "des académies de Lille et de Normandie",
        contact="lecture-cycle2@demo.preau.fr",
        keywords="lecture, compréhension, enseignement explicite, stratégies, inférences, "
        "album, CP, CE1, CE2",
        objectives=objectives(
            "Identifier les habiletés qui permettent de comprendre un texte : vocabulaire, "
            "inférences, représentation mentale, autorégulation",
            "Concevoir une séance d’enseignement explicite d’une stratégie de compréhension",
            "Choisir des textes résistants adaptés au cycle 2",
            "Évaluer la compréhension autrement que par un questionnaire",
        ),
        description=(
            "Les évaluations nationales montrent qu’une part importante des élèves de CE1 "
            "décode correctement sans comprendre ce qu’ils lisent. Ce parcours outille les "
            "enseignants pour enseigner la compréhension comme un objet d’apprentissage à part "
            "entière : modélisation par l’enseignant, pratique guidée, pratique autonome et "
            "retour réflexif, à partir d’albums de littérature de jeunesse."
        ),
        label=True,
        sections=(
            (
                "Comprendre ce qu’est comprendre",
                (
                    page(
                        "Lire, c’est décoder et comprendre",
                        "<p>Comprendre un texte suppose de <strong>construire une "
                        "représentation mentale cohérente</strong> de la situation qu’il "
                        "décrit. Le lecteur expert mobilise sans y penser des habiletés que "
                        "l’élève de cycle 2 doit apprendre explicitement :</p><ul>"
                        "<li>identifier les personnages et suivre les reprises anaphoriques ;</li>"
                        "<li>produire des inférences (causales, sur les états mentaux) ;</li>"
                        "<li>contrôler sa compréhension et revenir au texte.</li></ul>",
                    ),
                    link(
                        "Guide « Pour enseigner la lecture et l’écriture au CE1 »",
                        GUIDE_LECTURE_CE1,
                        "<p>Lire en particulier le chapitre consacré à la compréhension.</p>",
                    ),
                    link(
                        "Ressources d’accompagnement du programme de français au cycle 2",
                        FRANCAIS_C2,
                    ),
                ),
            ),
            (
                "Enseigner une stratégie pas à pas",
                (
                    page(
                        "Les quatre temps d’une séance explicite",
                        "<ol><li><strong>Modélisation</strong> : l’enseignant lit à voix haute "
                        "et dit ce qu’il pense (« je me demande pourquoi le loup… »).</li>"
                        "<li><strong>Pratique guidée</strong> : les élèves essaient, "
                        "l’enseignant étaye.</li><li><strong>Pratique autonome</strong> : en "
                        "binômes, sur un nouvel extrait.</li><li><strong>Objectivation</strong> "
                        ": ce que j’ai appris, quand je m’en servirai.</li></ol>",
                    ),
                    page(
                        "Mise en œuvre en classe",
                        "<p>Choisissez un album de votre classe et menez deux séances sur la "
                        "stratégie « se faire un film dans sa tête ». Déposez sur le forum une "
                        "production d’élève et trois lignes d’analyse.</p>",
                    ),
                    note(
                        "<p>Les participants choisissent souvent des textes trop simples. "
                        "Proposez la liste de référence d’albums pour le cycle 2 et insistez "
                        "sur les textes « résistants ».</p>"
                    ),
                ),
            ),
            (
                "Évaluer la compréhension",
                (
                    page(
                        "Au-delà du questionnaire",
                        "<p>Le rappel de récit, le dessin commenté, la mise en voix ou le tri "
                        "d’affirmations vraies / fausses / on ne sait pas renseignent "
                        "davantage sur la représentation construite par l’élève qu’une série "
                        "de questions littérales.</p>",
                    ),
                    link("Évaluations des acquis et besoins des élèves au CE1", EVALUATIONS_CE1),
                ),
            ),
        ),
    ),
    DemoParcours(
        short_title="FLUENCE",
        title="Fluence de lecture : entraîner et évaluer au CE1 et au CE2",
        domain=Domain.FRANCAIS,
        collection=Collection.HYBRID,
        audiences=(Audience.CYCLE_2,),
        origin=Origin.DEPARTEMENT,
        departement="014",
        hours=(3, 1.5, 1.5),
        rhythm="1 h 30 en présence un mercredi matin, puis 1 h 30 à distance sur 3 semaines",
        accompaniment="Forum animé par l’équipe de circonscription",
        authors="Mission départementale maîtrise de la langue du Calvados : Claire Hamel (CPC "
        "Caen Sud), Thomas Vautier (PEMF)",
        contact="maitrise-langue-14@demo.preau.fr",
        keywords="fluence, lecture à voix haute, mots correctement lus par minute, prosodie, "
        "entraînement, CE1, CE2",
        objectives=objectives(
            "Mesurer la fluence d’un élève et interpréter le score",
            "Mettre en place un entraînement quotidien de 10 minutes en binômes",
            "Travailler la prosodie et pas seulement la vitesse",
        ),
        description=(
            "Un élève qui lit trop lentement consacre toute son attention au décodage et n’en "
            "garde plus pour comprendre. Ce parcours court propose un protocole simple de "
            "mesure et un entraînement en binômes, éprouvé dans plusieurs écoles du Calvados."
        ),
        sections=(
            (
                "Mesurer la fluence",
                (
                    page(
                        "Le score MCLM",
                        "<p>Faites lire à l’élève un texte inconnu pendant une minute et "
                        "comptez les <strong>mots correctement lus</strong>. Repères de fin "
                        "d’année : environ 70 mots en CE1, 90 en CE2. Notez aussi la prosodie "
                        "sur une échelle de 1 à 4.</p>",
                    ),
                    text_file(
                        "Grille de passation",
                        "grille-fluence.txt",
                        "Grille de passation — fluence (1 minute)\n\n"
                        "Élève : ............  Classe : ......  Date : ........\n"
                        "Mots lus : ....  Erreurs : ....  MCLM : ....\n"
                        "Prosodie (1 à 4) : ....\n"
                        "1 mot à mot  2 groupes de deux mots  3 groupes de sens  4 expressive\n",
                        "<p>À imprimer pour chaque passation.</p>",
                    ),
                ),
            ),
            (
                "S’entraîner en classe",
                (
                    page(
                        "Lectures répétées en binômes",
                        "<p>Chaque jour, 10 minutes : un élève lit, l’autre suit et compte, "
                        "puis on inverse. Le même texte est relu trois jours de suite ; "
                        "chacun colorie sa progression sur un graphique.</p>",
                    ),
                    link("Évaluations des acquis et besoins des élèves au CE1", EVALUATIONS_CE1),
                    note(
                        "<p>Rappeler que la fluence n’est pas une course : un élève qui lit "
                        "vite sans respecter la ponctuation ne comprend pas mieux.</p>"
                    ),
                ),
            ),
        ),
    ),
    DemoParcours(
        short_title="ECRIREC3",
        title="Produire des écrits au cycle 3 : écrire, réviser, réécrire",
        domain=Domain.FRANCAIS,
        collection=Collection.HYBRID,
        audiences=(Audience.CYCLE_3, Audience.COLLEGE),
        origin=Origin.ACADEMIE,
        hours=(6, 3, 3),
        rhythm="3 h en présence, puis 1 h par semaine à distance pendant 3 semaines",
        accompaniment="Tutorat à distance par un formateur de l’INSPÉ et un professeur de "
        "lettres de collège",
        authors="Groupe académique liaison école-collège en français : Julie Marais, Karim "
        "Haddad, Anne Lecoq",
        contact="ecrire-cycle3@demo.preau.fr",
        keywords="production d’écrits, révision, réécriture, brouillon, critères, écrits "
        "courts, liaison CM2-6e",
        objectives=objectives(
            "Faire écrire les élèves chaque jour, par des écrits courts et variés",
            "Construire avec la classe des critères de réussite pour réviser",
            "Organiser la réécriture à partir d’un brouillon annoté",
        ),
        description=(
            "Écrire s’apprend en écrivant souvent, mais aussi en revenant sur son texte. Le "
            "parcours réunit professeurs des écoles et professeurs de collège pour construire "
            "une démarche commune de révision, du CM1 à la 6e."
        ),
        label=True,
        sections=(
            (
                "Écrire tous les jours",
                (
                    page(
                        "Les écrits courts",
                        "<p>Cinq à dix lignes, une contrainte claire, un temps limité : "
                        "jogging d’écriture, suite de récit, portrait à la manière de… Les "
                        "écrits courts installent l’habitude d’écrire et fournissent la "
                        "matière de la révision.</p>",
                    ),
                    link(
                        "Ressources d’accompagnement du programme de français au cycle 3",
                        FRANCAIS_C3,
                    ),
                ),
            ),
            (
                "Réviser et réécrire",
                (
                    page(
                        "Des critères construits avec les élèves",
                        "<p>À partir de deux textes d’élèves anonymes, la classe dégage ce qui "
                        "rend un texte réussi, puis le transforme en une liste courte de "
                        "critères (trois ou quatre au plus), que chacun utilise pour relire "
                        "son brouillon.</p>",
                    ),
                    page(
                        "À faire en classe",
                        "<p>Menez une séance de révision avec votre liste de critères et "
                        "partagez sur le forum un brouillon et sa version réécrite.</p>",
                    ),
                    note(
                        "<p>Constituer des binômes école-collège pour l’échange des "
                        "productions : c’est ce que les participants apprécient le plus.</p>"
                    ),
                ),
            ),
            (
                "Étude de la langue au service de l’écriture",
                (
                    page(
                        "Réviser l’orthographe grammaticale",
                        "<p>Au moment de la révision, l’élève vérifie une chose à la fois : "
                        "d’abord les chaînes d’accord dans le groupe nominal, puis l’accord du "
                        "verbe avec son sujet. Les mêmes termes qu’en séance de grammaire "
                        "(donneur, receveur) l’aident à faire le lien.</p>",
                    ),
                    link(
                        "Guide « La grammaire du français du CP à la 6e »",
                        GUIDE_GRAMMAIRE,
                    ),
                ),
            ),
        ),
    ),
    DemoParcours(
        short_title="DICTEE",
        title="La dictée autrement : dictées négociées, dialoguées et sans erreur",
        domain=Domain.FRANCAIS,
        collection=Collection.AUTOFORMATION,
        audiences=(Audience.CYCLE_2, Audience.CYCLE_3),
        origin=Origin.ACADEMIE,
        hours=(3, 0, 3),
        rhythm="À votre rythme, environ 1 h par semaine pendant 3 semaines",
        accompaniment="Sans accompagnement : module en libre accès",
        authors="Groupe académique maîtrise de la langue de Normandie",
        contact="maitrise-langue@demo.preau.fr",
        keywords="dictée, orthographe, dictée négociée, dictée dialoguée, raisonnement "
        "orthographique",
        objectives=objectives(
            "Varier les formes de dictée pour faire raisonner les élèves sur l’orthographe",
            "Conduire une dictée négociée en petits groupes",
            "Utiliser les erreurs comme point de départ d’un enseignement",
        ),
        description=(
            "La dictée reste un exercice familier, mais elle peut devenir un véritable moment "
            "d’apprentissage quand les élèves justifient leurs choix. Ce module présente quatre "
            "formats faciles à mettre en place dès la semaine suivante."
        ),
        open_access=True,
        sections=(
            (
                "Quatre formats de dictée",
                (
                    page(
                        "Négociée, dialoguée, flash, sans erreur",
                        "<ul><li><strong>Négociée</strong> : chaque groupe se met d’accord sur "
                        "une seule graphie et la justifie.</li><li><strong>Dialoguée</strong> : "
                        "les élèves posent leurs questions pendant la dictée, l’enseignant "
                        "renvoie au raisonnement.</li><li><strong>Flash</strong> : une phrase "
                        "par jour, corrigée collectivement.</li><li><strong>Sans erreur</strong> "
                        ": l’élève peut consulter ses outils, l’objectif est la vigilance.</li>"
                        "</ul>",
                    ),
                    link(
                        "Étude de la langue aux cycles 2 et 3 (éduscol)",
                        ETUDE_LANGUE,
                    ),
                ),
            ),
            (
                "Passer à la pratique",
                (
                    page(
                        "Une semaine de phrases du jour",
                        "<p>Choisissez une notion (l’accord dans le groupe nominal, par "
                        "exemple), écrivez cinq phrases qui la mobilisent et proposez-en une "
                        "chaque matin. Notez les justifications des élèves : elles montrent "
                        "où en est leur raisonnement.</p>",
                    ),
                    page(
                        "Garder la trace des raisonnements",
                        "<p>Affichez au tableau les justifications justes formulées par les "
                        "élèves (« filles prend un s parce qu’il y a les devant ») : elles "
                        "deviennent des outils de relecture pour toute la classe.</p>",
                    ),
                ),
            ),
        ),
    ),
    DemoParcours(
        story="review",
        short_title="CODAGECP",
        title="Apprendre à lire au CP : enseigner le code et l’encodage",
        domain=Domain.FRANCAIS,
        collection=Collection.HYBRID,
        audiences=(Audience.CYCLE_2,),
        origin=Origin.ACADEMIE,
        hours=(6, 3, 3),
        rhythm="3 h en présence en septembre, puis 1 h à distance par mois jusqu’en décembre",
        accompaniment="Accompagnement par les conseillers pédagogiques de circonscription et "
        "visite en classe sur demande",
        authors="Mission académique lecture CP : Sandrine Lemoine, Éric Dufour",
        contact="lecture-cp@demo.preau.fr",
        keywords="lecture, CP, code alphabétique, correspondances graphèmes-phonèmes, "
        "encodage, dictée de syllabes, manuel",
        objectives=objectives(
            "Organiser une progression des correspondances graphèmes-phonèmes au rythme recommandé",
            "Mener chaque jour des activités d’encodage en lien avec le décodage",
            "Analyser un manuel de lecture avec des critères objectifs",
        ),
        description=(
            "Le rythme d’étude des correspondances graphèmes-phonèmes au premier trimestre est "
            "décisif pour la réussite en lecture. Ce parcours accompagne les enseignants de CP "
            "dans le choix de leur progression, les activités d’encodage et l’analyse de leur "
            "manuel."
        ),
        review_comment="Le parcours est solide, mais la section sur le choix du manuel ne "
        "renvoie à aucune ressource : ajoutez au moins le guide « Pour enseigner la lecture "
        "et l’écriture au CP », et rappelez-y le rythme attendu (12 à 15 correspondances "
        "au premier trimestre).",
        fixes=(
            link(
                "Guide « Pour enseigner la lecture et l’écriture au CP »",
                GUIDE_LECTURE_CP,
                "<p>Voir les repères de progression : 12 à 15 correspondances "
                "graphèmes-phonèmes étudiées au premier trimestre, et la part de mots "
                "déchiffrables attendue dans les textes.</p>",
            ),
        ),
        sections=(
            (
                "Le code alphabétique",
                (
                    page(
                        "Un rythme soutenu dès septembre",
                        "<p>Étudier rapidement les correspondances les plus fréquentes permet "
                        "aux élèves de lire très tôt des textes déchiffrables. Visez 12 à 15 "
                        "correspondances au premier trimestre.</p>",
                    ),
                    link("Évaluations des acquis et besoins des élèves au CP", EVALUATIONS_CP),
                ),
            ),
            (
                "Encoder pour apprendre à lire",
                (
                    page(
                        "L’encodage au quotidien",
                        "<p>Dictée de syllabes puis de mots, sur l’ardoise, avec verbalisation "
                        "des sons entendus : l’encodage renforce la mémorisation des "
                        "correspondances et prépare l’écriture autonome.</p>",
                    ),
                    note(
                        "<p>Prévoir des ardoises et des étiquettes-syllabes pour la "
                        "manipulation pendant le temps en présence.</p>"
                    ),
                ),
            ),
            (
                "Choisir et utiliser son manuel",
                (
                    page(
                        "Analyser un manuel",
                        "<p>Calculez la part de mots déchiffrables dans les textes des "
                        "premières semaines, vérifiez l’ordre d’étude des correspondances et "
                        "la place laissée à l’écriture.</p>",
                    ),
                ),
            ),
        ),
    ),
]

# Mathématiques ---------------------------------------------------------------------------

MATHEMATIQUES = [
    DemoParcours(
        short_title="FRACTIONS",
        title="Enseigner les fractions au cycle 3 : du partage à la droite graduée",
        domain=Domain.MATHEMATIQUES,
        collection=Collection.HYBRID,
        audiences=(Audience.CYCLE_3, Audience.COLLEGE),
        origin=Origin.ACADEMIE,
        hours=(6, 3, 3),
        rhythm="1 h 30 par semaine pendant 4 semaines, dont 2 séances en présence",
        accompaniment="Référents mathématiques de circonscription, classe virtuelle de mi-parcours",
        authors="Groupe académique mathématiques premier degré : Nadia Benali, Pierre "
        "Lecomte, Sophie Guérin",
        contact="maths-premier-degre@demo.preau.fr",
        keywords="fractions, nombres rationnels, droite graduée, bande-unité, fractions "
        "décimales, CM1, CM2, 6e",
        objectives=objectives(
            "Faire construire la fraction comme un nombre, au-delà du partage de pizzas",
            "Utiliser la bande-unité et la droite graduée pour comparer et placer des fractions",
            "Anticiper les erreurs fréquentes et y répondre",
        ),
        description=(
            "Les fractions sont l’une des principales difficultés des élèves entre le CM1 et "
            "la 6e. Ce parcours, conçu avec des professeurs de collège, propose une progression "
            "qui part de la mesure de longueurs avec une bande-unité pour aller jusqu’au "
            "placement sur la droite graduée."
        ),
        label=True,
        sections=(
            (
                "Ce que disent les recherches",
                (
                    page(
                        "La fraction, un nombre",
                        "<p>Présentée seulement comme « des parts d’un gâteau », la fraction "
                        "reste pour l’élève deux nombres entiers superposés. La mesure de "
                        "longueurs avec une <strong>bande-unité</strong> permet de comprendre "
                        "que 5/4 existe et qu’il est plus grand que 1.</p>",
                    ),
                    link(
                        "Ressources d’accompagnement du programme de mathématiques au cycle 3",
                        MATHS_C3,
                    ),
                ),
            ),
            (
                "Mettre en œuvre en classe",
                (
                    page(
                        "Séance 1 : mesurer avec une bande-unité",
                        "<p>Les élèves mesurent des bandes de papier avec une unité qui ne "
                        "tombe pas juste ; ils doivent inventer un moyen de dire « un peu plus "
                        "d’une unité ». Le pliage de l’unité en 2, en 4, puis en 3 conduit aux "
                        "fractions.</p>",
                    ),
                    page(
                        "Séance 2 : placer des fractions sur la droite graduée",
                        "<p>Reportez l’unité sur une droite, partagez-la, placez 3/4, 5/4, "
                        "7/4 ; puis demandez : « où placer 1/3 ? » Le débat sur le choix du "
                        "partage est le cœur de la séance.</p>",
                    ),
                    text_file(
                        "Bandes-unités à imprimer",
                        "bandes-unites.txt",
                        "Bandes-unités pour la séance 1\n\n"
                        "Imprimer sur papier cartonné, découper 1 bande par élève.\n"
                        "Unité : 12 cm. Bandes à mesurer : 15 cm, 18 cm, 6 cm, 9 cm, 21 cm.\n",
                    ),
                ),
            ),
            (
                "Analyser les erreurs",
                (
                    page(
                        "Trois erreurs fréquentes",
                        "<ul><li>1/4 &gt; 1/3 « parce que 4 &gt; 3 » ;</li><li>2/3 + 1/3 = "
                        "3/6 ;</li><li>placer 3/2 entre 3 et 2.</li></ul><p>Pour chacune, "
                        "quelle situation de mesure permet à l’élève de constater son "
                        "erreur ?</p>",
                    ),
                    note(
                        "<p>Demander aux participants d’apporter des productions d’élèves sur "
                        "les fractions pour la deuxième séance en présence.</p>"
                    ),
                ),
            ),
        ),
    ),
    DemoParcours(
        short_title="CALCMENT",
        title="Calcul mental au quotidien : automatismes et stratégies",
        domain=Domain.MATHEMATIQUES,
        collection=Collection.HYBRID,
        audiences=(Audience.CYCLE_2, Audience.CYCLE_3),
        origin=Origin.DEPARTEMENT,
        departement="050",
        hours=(6, 3, 3),
        rhythm="3 h en présence, puis 45 min par semaine à distance pendant 4 semaines",
        accompaniment="Forum animé par les conseillers pédagogiques de la Manche",
        authors="Équipe départementale mathématiques de la Manche : Laurent Ménard, Isabelle Roux",
        contact="maths-50@demo.preau.fr",
        keywords="calcul mental, automatismes, faits numériques, stratégies de calcul, "
        "tables, rituels",
        objectives=objectives(
            "Distinguer calcul automatisé et calcul réfléchi",
            "Installer un rituel quotidien de calcul mental de 15 minutes",
            "Faire expliciter et comparer les stratégies des élèves",
        ),
        description=(
            "Quinze minutes par jour de calcul mental, bien conduites, améliorent nettement les "
            "performances en résolution de problèmes. Ce parcours aide à organiser ces "
            "rituels et à faire verbaliser les stratégies."
        ),
        sections=(
            (
                "Automatiser les faits numériques",
                (
                    page(
                        "Mémoriser les tables",
                        "<p>Les tables d’addition et de multiplication se mémorisent par des "
                        "rappels courts et fréquents, espacés dans le temps, plutôt que par "
                        "de longues séances de récitation.</p>",
                    ),
                    link("Calcul@TICE, exercices de calcul mental en ligne", CALCULATICE),
                ),
            ),
            (
                "Développer le calcul réfléchi",
                (
                    page(
                        "Comparer les stratégies",
                        "<p>Pour 38 + 27, un élève ajoute 30 puis 7, un autre calcule 40 + 25. "
                        "Faites écrire au tableau les différentes procédures et demandez "
                        "laquelle est la plus rapide pour ce calcul-là.</p>",
                    ),
                    note(
                        "<p>Montrer la vidéo de classe de CE2 pendant le temps en présence et "
                        "faire relever les gestes de l’enseignant.</p>"
                    ),
                ),
            ),
        ),
        new_version=NewVersion(
            version_notes="Version 2 : ajout d’une section sur le calcul mental au cycle 3 "
            "(nombres décimaux, multiplier par 10, 100, 1 000) et d’un outil de suivi des "
            "progrès.",
            sections=(
                (
                    "Le calcul mental au cycle 3",
                    (
                        page(
                            "Calculer avec les nombres décimaux",
                            "<p>Multiplier et diviser par 10, 100, 1 000, décomposer 2,5 × 4 "
                            "ou 0,25 × 8 : les stratégies se fondent sur la numération et "
                            "non sur le « déplacement de la virgule ».</p>",
                        ),
                        text_file(
                            "Tableau de suivi des progrès",
                            "suivi-calcul-mental.txt",
                            "Suivi hebdomadaire — calcul mental\n\n"
                            "Semaine | Faits mémorisés (sur 20) | Calcul réfléchi (sur 10)\n"
                            "1       |                          |\n"
                            "2       |                          |\n"
                            "3       |                          |\n"
                            "4       |                          |\n",
                        ),
                    ),
                ),
            ),
        ),
    ),
    DemoParcours(
        short_title="PROBLEMES",
        title="Résoudre des problèmes arithmétiques : modéliser avec le schéma en barres",
        domain=Domain.MATHEMATIQUES,
        collection=Collection.HYBRID,
        audiences=(Audience.CYCLE_2, Audience.CYCLE_3),
        origin=Origin.NATIONAL,
        hours=(9, 3, 6),
        rhythm="3 h en présence, puis 1 h 30 par semaine à distance pendant 4 semaines",
        accompaniment="Tutorat par les référents mathématiques de circonscription",
        authors="Groupe national mathématiques premier degré (DGESCO)",
        contact="maths-national@demo.preau.fr",
        keywords="résolution de problèmes, modélisation, schéma en barres, typologie de "
        "problèmes, problèmes additifs, problèmes multiplicatifs",
        objectives=objectives(
            "Connaître une typologie des problèmes arithmétiques",
            "Enseigner la modélisation par le schéma en barres",
            "Programmer la résolution de problèmes sur l’année, chaque jour",
        ),
        description=(
            "Résoudre des problèmes est au cœur de l’activité mathématique. Ce parcours "
            "national propose une démarche d’enseignement structurée : catégoriser les "
            "problèmes, représenter la situation avec un schéma en barres, puis calculer. Il "
            "s’appuie sur les guides fondamentaux pour l’enseignement."
        ),
        label=True,
        sections=(
            (
                "Catégoriser les problèmes",
                (
                    page(
                        "Une typologie pour l’enseignant",
                        "<p>Problèmes de parties-tout, de comparaison, de transformation, "
                        "multiplicatifs : connaître ces catégories permet de varier les "
                        "énoncés et de repérer ce qui fait obstacle à l’élève.</p>",
                    ),
                    link("Guide « Résolution de problèmes — cours moyen »", GUIDE_PROBLEMES_CM),
                ),
            ),
            (
                "Modéliser avec le schéma en barres",
                (
                    page(
                        "Du matériel au schéma",
                        "<p>Les élèves manipulent d’abord des bandes de papier, puis dessinent "
                        "des barres dont la longueur représente les quantités. Le schéma "
                        "rend visible ce qu’on cherche : le tout, une partie ou l’écart.</p>",
                    ),
                    link(
                        "Guide « Pour enseigner les nombres, le calcul et la résolution de "
                        "problèmes au CP »",
                        GUIDE_NOMBRES_CP,
                    ),
                    page(
                        "À expérimenter",
                        "<p>Proposez pendant une semaine un problème par jour, toujours de la "
                        "même catégorie, en faisant représenter la situation avant tout "
                        "calcul. Partagez trois schémas d’élèves sur le forum.</p>",
                    ),
                ),
            ),
            (
                "Programmer sur l’année",
                (
                    page(
                        "Un problème par jour",
                        "<p>Une progression annuelle alterne problèmes basiques (une étape), "
                        "complexes (plusieurs étapes) et atypiques (problèmes pour "
                        "chercher).</p>",
                    ),
                    note(
                        "<p>Les participants confondent souvent schéma et dessin : insister "
                        "sur la correspondance entre longueurs et quantités.</p>"
                    ),
                ),
            ),
        ),
    ),
    DemoParcours(
        short_title="GRANDEURS",
        title="Grandeurs et mesures au cycle 2 : mesurer pour comprendre",
        domain=Domain.MATHEMATIQUES,
        collection=Collection.HYBRID,
        audiences=(Audience.CYCLE_2,),
        origin=Origin.ESPE,
        hours=(6, 3, 3),
        rhythm="Deux demi-journées en présence à trois semaines d’intervalle, avec un travail "
        "à distance entre les deux",
        accompaniment="Formateurs de l’INSPÉ Normandie Caen, forum",
        authors="INSPÉ Normandie Caen, département mathématiques : Hélène Vasseur, Marc Lebrun",
        contact="inspe-maths@demo.preau.fr",
        keywords="grandeurs, mesure, longueurs, masses, contenances, durées, étalon, unités",
        objectives=objectives(
            "Distinguer grandeur et mesure",
            "Faire comparer des objets avant de mesurer",
            "Introduire les unités conventionnelles à partir d’étalons choisis par la classe",
        ),
        description=(
            "Mesurer, c’est comparer à une unité. Le parcours propose de passer par les trois "
            "étapes — comparer directement, comparer avec un intermédiaire, mesurer avec une "
            "unité — pour les longueurs, les masses et les contenances."
        ),
        sections=(
            (
                "Comparer avant de mesurer",
                (
                    page(
                        "Les trois étapes",
                        "<ol><li>Comparer directement deux objets.</li><li>Comparer à l’aide "
                        "d’un objet intermédiaire (une ficelle, un verre).</li><li>Mesurer en "
                        "reportant une unité.</li></ol>",
                    ),
                    link(
                        "Ressources d’accompagnement du programme de mathématiques au cycle 2",
                        MATHS_C2,
                    ),
                ),
            ),
            (
                "Des unités de la classe aux unités légales",
                (
                    page(
                        "Le besoin d’une unité commune",
                        "<p>Quand deux groupes mesurent la même table avec des crayons de "
                        "longueurs différentes, ils trouvent des résultats différents : la "
                        "classe ressent le besoin d’une unité commune, le centimètre.</p>",
                    ),
                    note(
                        "<p>Apporter balances Roberval, verres doseurs et bouteilles pour "
                        "l’atelier de la deuxième demi-journée.</p>"
                    ),
                ),
            ),
        ),
    ),
    DemoParcours(
        story="review",
        short_title="NUMERATION",
        title="Numération décimale au cycle 2 : comprendre la valeur positionnelle",
        domain=Domain.MATHEMATIQUES,
        collection=Collection.HYBRID,
        audiences=(Audience.CYCLE_2,),
        origin=Origin.ACADEMIE,
        hours=(3, 1.5, 1.5),
        rhythm="1 h 30 en présence, puis 30 min par semaine à distance pendant 3 semaines",
        accompaniment="Forum animé par les référents mathématiques",
        authors="Groupe académique mathématiques premier degré : Nadia Benali, Paul Girard",
        contact="maths-premier-degre@demo.preau.fr",
        keywords="numération, valeur positionnelle, dizaines, centaines, groupements, "
        "échanges, unités de numération",
        objectives=objectives(
            "Faire comprendre les groupements par dix et les échanges",
            "Utiliser les unités de numération (dizaines, centaines) en calcul",
        ),
        description=(
            "Savoir que dans 352 le 5 vaut cinq dizaines ne va pas de soi. Ce parcours court "
            "propose des situations de groupement et d’échange pour construire la valeur "
            "positionnelle des chiffres."
        ),
        sections=(
            (
                "Grouper et échanger",
                (
                    page(
                        "Le matériel de numération",
                        "<p>Bûchettes, cubes emboîtables, puis matériel symbolique : la "
                        "progression va du groupement effectif à l’échange (dix unités contre "
                        "une dizaine).</p>",
                    ),
                    link(
                        "Ressources d’accompagnement du programme de mathématiques au cycle 2",
                        MATHS_C2,
                    ),
                ),
            ),
            (
                "Calculer avec les unités de numération",
                (
                    page(
                        "Dire pour comprendre",
                        "<p>« 34 + 20, c’est 3 dizaines et 4 unités plus 2 dizaines. » Faire "
                        "dire les calculs en unités de numération ancre la valeur "
                        "positionnelle.</p>",
                    ),
                    note(
                        "<p>Apporter du matériel de numération (bûchettes, plaques et barres) "
                        "pour la manipulation pendant le temps en présence.</p>"
                    ),
                ),
            ),
        ),
    ),
    DemoParcours(
        story="construction",
        short_title="GEOMC3",
        title="Géométrie au cycle 3 : construire et raisonner avec les instruments",
        domain=Domain.MATHEMATIQUES,
        collection=Collection.HYBRID,
        audiences=(Audience.CYCLE_3,),
        origin=Origin.ACADEMIE,
        hours=(6, 3, 3),
        rhythm="",
        accompaniment="",
        authors="Nadia Benali",
        contact="maths-premier-degre@demo.preau.fr",
        keywords="géométrie, instruments, programme de construction, figures",
        objectives=objectives(
            "Faire construire une figure à partir d’un programme de construction"
        ),
        description="",
        sections=(
            (
                "Reproduire, décrire, construire",
                (
                    page(
                        "Brouillon : les trois tâches",
                        "<p>Reproduire une figure, la décrire pour qu’un camarade la "
                        "reproduise, la construire à partir d’un programme. (Section à "
                        "compléter.)</p>",
                    ),
                ),
            ),
        ),
    ),
]

# Sciences --------------------------------------------------------------------------------

SCIENCES = [
    DemoParcours(
        short_title="VIVANTC2",
        title="Le vivant à l’école : élevages et observations au cycle 2",
        domain=Domain.SCIENCES,
        collection=Collection.HYBRID,
        audiences=(Audience.CYCLE_2,),
        origin=Origin.SHARED,
        hours=(6, 3, 3),
        rhythm="3 h en présence au printemps, puis 1 h par semaine à distance pendant 3 semaines",
        accompaniment="Forum et ressources partagées entre les écoles participantes",
        authors="Parcours mutualisé par l’académie de Rennes, adapté par la mission sciences "
        "de Normandie",
        contact="sciences-premier-degre@demo.preau.fr",
        keywords="sciences, vivant, élevage, observation, cycle de vie, escargots, phasmes, "
        "biodiversité",
        objectives=objectives(
            "Installer et faire vivre un élevage en classe dans le respect du vivant",
            "Conduire des observations régulières et les consigner dans un carnet",
            "Faire émerger des questions scientifiques à partir des observations",
        ),
        description=(
            "Un élevage d’escargots ou de phasmes offre des semaines d’observation et de "
            "questionnement. Le parcours aide à choisir, installer et exploiter un élevage, et "
            "à tenir un carnet d’observation avec les élèves."
        ),
        sections=(
            (
                "Installer un élevage",
                (
                    page(
                        "Choisir les animaux",
                        "<p>Escargots, phasmes, vers de terre ou chenilles : privilégiez des "
                        "animaux faciles à nourrir, sans danger et dont le cycle de vie est "
                        "observable en quelques semaines. Vérifiez la réglementation et "
                        "prévoyez les vacances.</p>",
                    ),
                    link(
                        "Ressources d’accompagnement en sciences au cycle 2",
                        SCIENCES_C2,
                    ),
                ),
            ),
            (
                "Observer et questionner",
                (
                    page(
                        "Le carnet d’observation",
                        "<p>Dessin d’observation légendé, date, mesures : le carnet garde la "
                        "trace de l’évolution et fait naître les questions (« pourquoi les "
                        "escargots sortent-ils quand il pleut ? »).</p>",
                    ),
                    link(
                        "Vigie-Nature École : protocoles d’observation de la biodiversité",
                        VIGIE_NATURE_ECOLE,
                    ),
                    note(
                        "<p>Prévoir un temps d’échange sur les élevages qui ont échoué : ils "
                        "sont instructifs.</p>"
                    ),
                ),
            ),
        ),
    ),
    DemoParcours(
        short_title="INVESTIG",
        title="La démarche d’investigation en sciences au cycle 3",
        domain=Domain.SCIENCES,
        collection=Collection.HYBRID,
        audiences=(Audience.CYCLE_3, Audience.COLLEGE),
        origin=Origin.ACADEMIE,
        hours=(9, 6, 3),
        rhythm="Deux journées de 3 h en présence, séparées par 3 h de travail à distance",
        accompaniment="Formateurs sciences de l’académie, en lien avec la Maison pour la science",
        authors="Mission académique sciences et technologie : Fabien Caron, Élodie Marchal",
        contact="sciences-premier-degre@demo.preau.fr",
        keywords="sciences, démarche d’investigation, hypothèse, expérience, cahier "
        "d’expériences, matière, énergie",
        objectives=objectives(
            "Conduire une séquence d’investigation de la question à la conclusion",
            "Faire formuler des hypothèses testables et concevoir des expériences",
            "Utiliser le cahier d’expériences comme outil de pensée",
        ),
        description=(
            "Partir d’une question que les élèves se posent vraiment, formuler des hypothèses, "
            "expérimenter, conclure : la démarche d’investigation demande des gestes "
            "professionnels précis. Deux journées de pratique et un temps d’expérimentation en "
            "classe permettent de les acquérir."
        ),
        sections=(
            (
                "Les étapes de la démarche",
                (
                    page(
                        "De la question à la conclusion",
                        "<ol><li>Une situation de départ qui fait surgir une question.</li>"
                        "<li>Des hypothèses, écrites dans le cahier d’expériences.</li><li>Des "
                        "expériences conçues par les élèves, avec une seule variable "
                        "modifiée.</li><li>Une conclusion confrontée au savoir établi.</li>"
                        "</ol>",
                    ),
                    link(
                        "Vademecum « Enseigner les sciences et la technologie à l’école primaire »",
                        VADEMECUM_SCIENCES,
                    ),
                ),
            ),
            (
                "Expérimenter en classe",
                (
                    page(
                        "Séquence proposée : l’eau dans tous ses états",
                        "<p>Pourquoi la flaque de la cour disparaît-elle ? Les élèves "
                        "proposent des hypothèses et testent l’influence de la chaleur, du "
                        "vent et de la surface sur l’évaporation.</p>",
                    ),
                    link("La main à la pâte : séquences et ressources", LAMAP),
                    link(
                        "Ressources d’accompagnement en sciences et technologie au cycle 3",
                        SCIENCES_C3,
                    ),
                ),
            ),
            (
                "Analyse de pratiques",
                (
                    page(
                        "Retour sur les séquences",
                        "<p>Chaque participant présente une page de cahier d’expériences d’un "
                        "élève : qu’y lit-on de son raisonnement ?</p>",
                    ),
                    note(
                        "<p>La deuxième journée a lieu au laboratoire du collège de secteur : "
                        "vérifier la réservation.</p>"
                    ),
                ),
            ),
        ),
    ),
    DemoParcours(
        short_title="EDDECOLE",
        title="Éducation au développement durable : mener un projet d’école",
        domain=Domain.SCIENCES,
        collection=Collection.AUTOFORMATION,
        audiences=(Audience.CYCLE_1, Audience.CYCLE_2, Audience.CYCLE_3, Audience.DIRECTORS),
        origin=Origin.ACADEMIE,
        hours=(3, 0, 3),
        rhythm="À votre rythme, trois séquences d’environ 1 h",
        accompaniment="Sans accompagnement : module en libre accès",
        authors="Coordination académique EDD de Normandie",
        contact="edd@demo.preau.fr",
        keywords="développement durable, EDD, éco-délégués, biodiversité, projet d’école, "
        "labellisation E3D",
        objectives=objectives(
            "Construire un projet d’école d’éducation au développement durable",
            "Associer les élèves par des éco-délégués",
            "Préparer une démarche de labellisation E3D",
        ),
        description=(
            "Un coin nature dans la cour, le tri des déchets de la cantine, un inventaire de la "
            "biodiversité : ce module accompagne les équipes qui veulent donner une cohérence "
            "à leurs actions et en faire un projet d’école."
        ),
        open_access=True,
        sections=(
            (
                "Construire le projet",
                (
                    page(
                        "Partir d’un diagnostic",
                        "<p>Faites l’état des lieux avec les élèves : que trouve-t-on dans la "
                        "cour, que jette-t-on à la cantine, comment vient-on à l’école ? Le "
                        "diagnostic fait émerger un ou deux axes de travail réalistes.</p>",
                    ),
                    link("Lumni : vidéos et ressources pour le primaire", LUMNI),
                ),
            ),
            (
                "Faire vivre le projet",
                (
                    page(
                        "Les éco-délégués",
                        "<p>Élus dans chaque classe dès le CP, les éco-délégués relaient les "
                        "actions et portent la parole de leurs camarades au conseil d’école.</p>",
                    ),
                    link("Vigie-Nature École", VIGIE_NATURE_ECOLE),
                ),
            ),
        ),
    ),
]

# EMC ------------------------------------------------------------------------------------

EMC_PARCOURS = [
    DemoParcours(
        short_title="EMCDEBAT",
        title="Débattre en classe : la discussion à visée philosophique",
        domain=Domain.EMC,
        collection=Collection.HYBRID,
        audiences=(Audience.CYCLE_2, Audience.CYCLE_3),
        origin=Origin.DEPARTEMENT,
        departement="050",
        hours=(6, 3, 3),
        rhythm="3 h en présence, puis une discussion menée en classe et analysée à distance "
        "sur 3 semaines",
        accompaniment="Conseillère pédagogique départementale, analyse de vidéos de classe",
        authors="Équipe départementale EMC de la Manche : Valérie Hébert (CPD), Yann Le Goff "
        "(PEMF)",
        contact="emc-50@demo.preau.fr",
        keywords="EMC, débat, discussion à visée philosophique, argumentation, écoute, "
        "esprit critique",
        objectives=objectives(
            "Organiser une discussion à visée philosophique : rôles, règles, durée",
            "Choisir une question et un support déclencheur",
            "Animer sans donner son avis, en relançant le raisonnement",
        ),
        description=(
            "« Est-ce qu’on a le droit de mentir ? » La discussion à visée philosophique "
            "apprend aux élèves à écouter, à argumenter et à accepter le désaccord. Ce parcours "
            "donne un cadre précis pour la mener en classe."
        ),
        sections=(
            (
                "Le cadre de la discussion",
                (
                    page(
                        "Rôles et règles",
                        "<p>Un président de séance, un reformulateur, des observateurs : les "
                        "rôles tournent et rendent visibles les règles de l’échange. "
                        "L’enseignant garantit le cadre et relance, sans trancher.</p>",
                    ),
                    link(
                        "Ressources d’accompagnement pour l’EMC à l’école élémentaire",
                        EMC,
                    ),
                ),
            ),
            (
                "Mener une discussion en classe",
                (
                    page(
                        "À faire avant la séance à distance",
                        "<p>Menez une discussion de 20 minutes à partir d’un album ou d’une "
                        "question des élèves, enregistrez-en l’audio avec l’accord des "
                        "familles et relevez deux relances qui ont fait avancer la "
                        "réflexion.</p>",
                    ),
                    note(
                        "<p>Rappeler le cadre du droit à l’image et de l’enregistrement des "
                        "élèves ; proposer de transcrire plutôt que de diffuser l’audio.</p>"
                    ),
                ),
            ),
        ),
    ),
    DemoParcours(
        short_title="HARCELEMENT",
        title="Prévenir et traiter le harcèlement à l’école : le programme pHARe au premier degré",
        domain=Domain.EMC,
        collection=Collection.HYBRID,
        audiences=(Audience.CYCLE_2, Audience.CYCLE_3, Audience.DIRECTORS),
        origin=Origin.NATIONAL,
        hours=(3, 1, 2),
        rhythm="1 h en présence en conseil des maîtres, puis 2 h à distance sur un mois",
        accompaniment="Équipes ressources pHARe de circonscription",
        authors="Mission nationale de prévention des violences en milieu scolaire",
        contact="phare@demo.preau.fr",
        keywords="harcèlement, pHARe, climat scolaire, prévention, méthode de la "
        "préoccupation partagée, empathie",
        objectives=objectives(
            "Repérer les signes du harcèlement entre élèves",
            "Connaître le protocole de traitement des situations de l’école",
            "Mener les dix heures d’apprentissage de l’empathie par an",
        ),
        description=(
            "Le programme pHARe engage chaque école dans la prévention du harcèlement. Ce "
            "parcours national présente ses piliers, le protocole de prise en charge et les "
            "séances d’apprentissage de l’empathie à mener avec les élèves."
        ),
        label=True,
        sections=(
            (
                "Comprendre le harcèlement",
                (
                    page(
                        "Trois critères",
                        "<p>Violence (verbale, physique, psychologique), "
                        "<strong>répétition</strong> et <strong>isolement</strong> de la "
                        "victime : le harcèlement se distingue du conflit ponctuel. Les "
                        "témoins jouent un rôle déterminant.</p>",
                    ),
                    link(
                        "Non au harcèlement — ministère de l’Éducation nationale",
                        NON_AU_HARCELEMENT,
                    ),
                ),
            ),
            (
                "Agir dans l’école",
                (
                    page(
                        "Le protocole de l’école",
                        "<p>Qui est alerté, qui rencontre les élèves, comment les familles "
                        "sont informées : le protocole est écrit en conseil des maîtres et "
                        "connu de tous les adultes, y compris ceux du périscolaire.</p>",
                    ),
                    note(
                        "<p>Ce parcours se prête bien à une animation en conseil des maîtres : "
                        "inviter l’IEN ou le référent harcèlement de la circonscription.</p>"
                    ),
                ),
            ),
        ),
    ),
]

# Numérique --------------------------------------------------------------------------------

NUMERIQUE = [
    DemoParcours(
        short_title="ALGOCODAGE",
        title="Algorithmique et codage au cycle 3 avec Scratch",
        domain=Domain.NUMERIQUE,
        collection=Collection.HYBRID,
        audiences=(Audience.CYCLE_3, Audience.COLLEGE),
        origin=Origin.NATIONAL,
        hours=(9, 3, 6),
        rhythm="3 h en présence, puis 1 h 30 par semaine à distance pendant 4 semaines",
        accompaniment="Tutorat par les ERUN (enseignants référents pour les usages du "
        "numérique), classe virtuelle hebdomadaire",
        authors="Groupe national numérique éducatif premier degré",
        contact="numerique-national@demo.preau.fr",
        keywords="algorithmique, codage, programmation, Scratch, pensée informatique, "
        "activités débranchées, boucles, conditions",
        objectives=objectives(
            "S’approprier les notions d’algorithme, de programme, de boucle et de condition",
            "Mener des activités débranchées avant de programmer",
            "Conduire un projet de programmation Scratch avec la classe",
        ),
        description=(
            "L’initiation à la programmation figure au programme du cycle 3. Ce parcours part "
            "des activités débranchées pour aller jusqu’à un petit projet Scratch (un jeu, une "
            "animation), et donne les repères pour évaluer les élèves."
        ),
        sections=(
            (
                "Penser avant de coder",
                (
                    page(
                        "Les activités débranchées",
                        "<p>Guider un camarade « robot » sur un quadrillage avec des flèches, "
                        "trier des cartes par un algorithme : sans écran, les élèves "
                        "découvrent la précision qu’exige une machine.</p>",
                    ),
                    link(
                        "Ressources d’accompagnement du programme de mathématiques au cycle 3",
                        MATHS_C3,
                        "<p>Voir la partie « Initiation à la programmation ».</p>",
                    ),
                ),
            ),
            (
                "Programmer avec Scratch",
                (
                    page(
                        "Premier projet : le labyrinthe",
                        "<p>Le lutin doit atteindre la sortie sans toucher les murs : "
                        "déplacements, événements clavier, puis condition « si couleur "
                        "touchée ». Chaque étape ajoute une notion.</p>",
                    ),
                    link(
                        "Scratch",
                        SCRATCH,
                        "<p>Créez un compte enseignant pour gérer la classe.</p>",
                    ),
                    page(
                        "À réaliser à distance",
                        "<p>Faites réaliser le labyrinthe à vos élèves et partagez le projet "
                        "d’un groupe sur le forum, avec une difficulté rencontrée.</p>",
                    ),
                ),
            ),
            (
                "Évaluer",
                (
                    page(
                        "Qu’évaluer ?",
                        "<p>Lire un programme et prévoir ce qu’il fait, corriger un programme "
                        "erroné, en écrire un pour un objectif donné : trois tâches, trois "
                        "niveaux de maîtrise.</p>",
                    ),
                    note(
                        "<p>Vérifier avant la session que Scratch est autorisé par le filtrage "
                        "des écoles participantes.</p>"
                    ),
                ),
            ),
        ),
    ),
    DemoParcours(
        short_title="ROBOTC2",
        title="Premiers pas en programmation : robots de sol au cycle 2",
        domain=Domain.NUMERIQUE,
        collection=Collection.AUTOFORMATION,
        audiences=(Audience.CYCLE_1, Audience.CYCLE_2),
        origin=Origin.ACADEMIE,
        hours=(3, 0, 3),
        rhythm="À votre rythme, environ 1 h par semaine pendant 3 semaines",
        accompaniment="Sans accompagnement : module en libre accès ; prêt de robots par les "
        "ERUN sur demande",
        authors="ERUN de l’académie de Normandie",
        contact="erun@demo.preau.fr",
        keywords="robots de sol, programmation, déplacements, quadrillage, repérage, "
        "ScratchJr, grande section, CP",
        objectives=objectives(
            "Programmer un déplacement de robot sur un quadrillage",
            "Relier programmation et repérage dans l’espace",
        ),
        description=(
            "Les robots de sol permettent aux plus jeunes de découvrir qu’une machine exécute "
            "une suite d’instructions. Le module propose une progression en cinq séances, de "
            "la grande section au CE1."
        ),
        open_access=True,
        sections=(
            (
                "Découvrir le robot",
                (
                    page(
                        "Cinq séances",
                        "<ol><li>Observer le robot et ses touches.</li><li>Avancer d’un nombre "
                        "de cases donné.</li><li>Tourner : gauche et droite.</li><li>Écrire le "
                        "programme avant de l’exécuter.</li><li>Déboguer un programme "
                        "faux.</li></ol>",
                    ),
                    page(
                        "Organiser la classe",
                        "<p>Un robot pour quatre élèves : un programmeur, un vérificateur, un "
                        "« robot humain » qui exécute d’abord le programme sur le quadrillage, "
                        "un secrétaire qui écrit le programme avec des cartes-flèches. Les "
                        "rôles tournent à chaque essai.</p>",
                    ),
                ),
            ),
            (
                "Prolonger sur tablette",
                (
                    link("ScratchJr", SCRATCHJR, "<p>Application gratuite, sans compte.</p>"),
                    page(
                        "Pour aller plus loin",
                        "<p>Codez une courte histoire avec ScratchJr : deux personnages, un "
                        "dialogue, un déplacement.</p>",
                    ),
                ),
            ),
        ),
    ),
    DemoParcours(
        story="construction",
        short_title="USAGESNUM",
        title="Usages responsables du numérique et éducation aux médias au cycle 3",
        domain=Domain.NUMERIQUE,
        collection=Collection.HYBRID,
        audiences=(Audience.CYCLE_3,),
        origin=Origin.ACADEMIE,
        hours=(6, 3, 3),
        rhythm="3 h en présence, puis 1 h par semaine à distance pendant 3 semaines",
        accompaniment="ERUN et référents CLEMI",
        authors="ERUN de Normandie et coordination académique CLEMI",
        contact="erun@demo.preau.fr",
        keywords="numérique, éducation aux médias, EMI, réseaux sociaux, désinformation, "
        "Pix, citoyenneté numérique",
        objectives=objectives(
            "Faire vérifier une information par les élèves",
            "Sensibiliser aux risques des réseaux sociaux avant le collège",
            "Préparer les élèves à la certification Pix en 6e",
        ),
        description=(
            "En CM2, beaucoup d’élèves ont déjà un téléphone. Ce parcours, en cours de "
            "construction, prépare les enseignants à aborder l’information, les écrans et les "
            "réseaux sociaux avec eux."
        ),
        sections=(
            (
                "S’informer, vérifier",
                (
                    link("CLEMI — éducation aux médias et à l’information", CLEMI),
                    page(
                        "Vrai ou faux ?",
                        "<p>Trois images, trois légendes : les élèves cherchent la source, la "
                        "date et l’auteur avant de décider. (Séance à détailler.)</p>",
                    ),
                ),
            ),
            (
                "Les risques en ligne",
                (
                    link("Internet sans crainte", INTERNET_SANS_CRAINTE),
                    link("Vinz et Lou", VINZ_ET_LOU),
                ),
            ),
        ),
    ),
]

# École inclusive --------------------------------------------------------------------------

INCLUSIVE = [
    DemoParcours(
        short_title="BEPADAPT",
        title="Élèves à besoins éducatifs particuliers : adapter sans renoncer aux attendus",
        domain=Domain.INCLUSIVE,
        collection=Collection.HYBRID,
        audiences=(Audience.CYCLE_1, Audience.CYCLE_2, Audience.CYCLE_3, Audience.SPECIALISED),
        origin=Origin.ACADEMIE,
        hours=(9, 3, 6),
        rhythm="3 h en présence, puis 1 h 30 par semaine à distance pendant 4 semaines",
        accompaniment="Conseillers pédagogiques ASH et enseignants ressources, forum et "
        "classes virtuelles",
        authors="Pôle académique école inclusive : Marion Delaunay (CPC ASH), Stéphane "
        "Morel (enseignant ressource), Aurélie Pons (psychologue de l’Éducation nationale)",
        contact="ecole-inclusive@demo.preau.fr",
        keywords="école inclusive, besoins éducatifs particuliers, BEP, adaptations, "
        "aménagements, PAP, PPS, différenciation, AESH",
        objectives=objectives(
            "Connaître les plans d’accompagnement (PAI, PAP, PPRE, PPS) et ce qu’ils engagent",
            "Observer un élève pour identifier ses besoins plutôt que son trouble",
            "Concevoir des adaptations qui maintiennent les attendus",
            "Travailler avec l’AESH et les partenaires",
        ),
        description=(
            "Adapter, ce n’est pas faire moins : c’est permettre à l’élève d’atteindre les "
            "mêmes objectifs par d’autres chemins. Le parcours part de l’observation des "
            "besoins, présente les plans d’accompagnement et construit des adaptations "
            "concrètes pour la classe."
        ),
        sections=(
            (
                "Des besoins plutôt que des troubles",
                (
                    page(
                        "Observer pour comprendre",
                        "<p>Attention, mémoire, langage, motricité, relation aux autres : "
                        "décrire ce que l’élève réussit et ce qui lui coûte permet de choisir "
                        "des adaptations utiles, quel que soit le diagnostic.</p>",
                    ),
                    link(
                        "Cap école inclusive : observer les besoins d’un élève",
                        CAP_ECOLE_INCLUSIVE_OBSERVER,
                    ),
                ),
            ),
            (
                "Les plans d’accompagnement",
                (
                    page(
                        "PAI, PAP, PPRE, PPS",
                        '<table><thead><tr><th scope="col">Plan</th><th scope="col">Pour '
                        'qui</th><th scope="col">Qui le rédige</th></tr></thead><tbody>'
                        "<tr><td>PAI</td><td>maladie chronique, allergie</td><td>médecin "
                        "scolaire</td></tr><tr><td>PAP</td><td>troubles des apprentissages"
                        "</td><td>équipe pédagogique, après avis du médecin</td></tr><tr>"
                        "<td>PPRE</td><td>difficulté scolaire</td><td>enseignant</td></tr>"
                        "<tr><td>PPS</td><td>situation de handicap</td><td>MDPH</td></tr>"
                        "</tbody></table>",
                    ),
                    link("Mon parcours handicap", MON_PARCOURS_HANDICAP),
                ),
            ),
            (
                "Adapter en classe",
                (
                    link("Cap école inclusive : fiches d’adaptation", CAP_ECOLE_INCLUSIVE),
                    link(
                        "Le cartable fantastique : supports adaptés pour les élèves dyspraxiques",
                        CARTABLE_FANTASTIQUE,
                    ),
                    page(
                        "À expérimenter",
                        "<p>Choisissez un élève et une situation d’apprentissage difficile "
                        "pour lui ; proposez deux adaptations et décrivez ce qu’elles ont "
                        "changé.</p>",
                    ),
                    note(
                        "<p>Les participants ne doivent jamais nommer les élèves ni leur "
                        "diagnostic sur le forum : rappeler la règle en début de parcours.</p>"
                    ),
                ),
            ),
        ),
    ),
    DemoParcours(
        short_title="TSACLASSE",
        title="Scolariser un élève avec un trouble du spectre de l’autisme",
        domain=Domain.INCLUSIVE,
        collection=Collection.AUTOFORMATION,
        audiences=(Audience.CYCLE_1, Audience.CYCLE_2, Audience.CYCLE_3),
        origin=Origin.ACADEMIE,
        hours=(3, 0, 3),
        rhythm="À votre rythme, environ 1 h par semaine pendant 3 semaines",
        accompaniment="Sans accompagnement : module en libre accès ; les enseignants "
        "ressources TSA peuvent être sollicités",
        authors="Enseignants ressources TSA de l’académie de Normandie",
        contact="ecole-inclusive@demo.preau.fr",
        keywords="autisme, TSA, troubles du spectre de l’autisme, structuration, emploi du "
        "temps visuel, communication, école inclusive",
        objectives=objectives(
            "Comprendre les particularités de fonctionnement des élèves avec TSA",
            "Structurer l’espace et le temps de la classe",
            "Prévenir les situations de crise",
        ),
        description=(
            "Un emploi du temps visuel, un coin calme, des consignes courtes : des "
            "aménagements simples rendent la classe plus prévisible pour l’élève avec TSA, et "
            "profitent souvent à tous. Ce module en libre accès en présente l’essentiel."
        ),
        open_access=True,
        sections=(
            (
                "Comprendre",
                (
                    page(
                        "Un fonctionnement différent",
                        "<p>Difficultés de communication sociale, intérêts restreints, "
                        "particularités sensorielles : chaque élève avec TSA est singulier. "
                        "L’imprévu et le bruit sont souvent sources d’anxiété.</p>",
                    ),
                    link("Cap école inclusive", CAP_ECOLE_INCLUSIVE),
                ),
            ),
            (
                "Structurer la classe",
                (
                    page(
                        "L’emploi du temps visuel",
                        "<p>Des pictogrammes pour chaque moment de la journée, retirés une "
                        "fois l’activité terminée ; un pictogramme « surprise » pour préparer "
                        "aux changements.</p>",
                    ),
                    text_file(
                        "Modèle d’emploi du temps visuel",
                        "emploi-du-temps-visuel.txt",
                        "Emploi du temps visuel — modèle\n\n"
                        "08:30  Accueil        [pictogramme : porte]\n"
                        "09:00  Lecture        [pictogramme : livre]\n"
                        "10:00  Récréation     [pictogramme : ballon]\n"
                        "10:20  Mathématiques  [pictogramme : cubes]\n"
                        "11:30  Cantine        [pictogramme : assiette]\n",
                    ),
                ),
            ),
        ),
    ),
    DemoParcours(
        story="review",
        short_title="DYSLEXIE",
        title="Troubles spécifiques du langage écrit : repérer, aménager, accompagner",
        domain=Domain.INCLUSIVE,
        collection=Collection.HYBRID,
        audiences=(Audience.CYCLE_2, Audience.CYCLE_3, Audience.SPECIALISED),
        origin=Origin.ESPE,
        hours=(6, 3, 3),
        rhythm="3 h en présence, puis 1 h par semaine à distance pendant 3 semaines",
        accompaniment="Formateurs de l’INSPÉ et orthophoniste partenaire",
        authors="INSPÉ Normandie Caen : Caroline Fauvel, avec le concours d’une orthophoniste "
        "du réseau de santé de Caen",
        contact="inspe-inclusive@demo.preau.fr",
        keywords="dyslexie, dysorthographie, troubles dys, langage écrit, repérage, "
        "aménagements, PAP",
        objectives=objectives(
            "Distinguer difficulté et trouble spécifique du langage écrit",
            "Repérer les signes d’alerte et orienter la famille",
            "Mettre en place les aménagements d’un PAP",
        ),
        description=(
            "Un élève qui lit lentement et fait beaucoup d’erreurs n’est pas forcément "
            "dyslexique, mais un dyslexique non repéré perd des années. Le parcours aide à "
            "repérer, à dialoguer avec les familles et les soignants, et à aménager."
        ),
        sections=(
            (
                "Repérer",
                (
                    page(
                        "Les signes d’alerte",
                        "<p>Confusions persistantes de sons proches, lecture très lente "
                        "malgré l’entraînement, écart marqué entre l’oral et l’écrit : ces "
                        "signes, durables, justifient d’en parler à la famille et au médecin "
                        "scolaire.</p>",
                    ),
                    link("Évaluations des acquis et besoins des élèves au CP", EVALUATIONS_CP),
                ),
            ),
            (
                "Aménager",
                (
                    page(
                        "Des aménagements courants",
                        "<ul><li>lire les consignes à voix haute ;</li><li>réduire la copie "
                        "et fournir des photocopies aérées ;</li><li>évaluer l’orthographe à "
                        "part ;</li><li>accorder du temps supplémentaire.</li></ul>",
                    ),
                    link("Le cartable fantastique", CARTABLE_FANTASTIQUE),
                ),
            ),
        ),
    ),
]

# Maternelle --------------------------------------------------------------------------------

MATERNELLE = [
    DemoParcours(
        short_title="LANGAGEPS",
        title="Le langage oral en petite section : oser entrer en communication",
        domain=Domain.MATERNELLE,
        collection=Collection.HYBRID,
        audiences=(Audience.CYCLE_1,),
        origin=Origin.DEPARTEMENT,
        departement="014",
        hours=(6, 3, 3),
        rhythm="3 h en présence, puis 1 h par semaine à distance pendant 3 semaines",
        accompaniment="Conseillère pédagogique maternelle du Calvados, forum",
        authors="Groupe départemental maternelle du Calvados : Nathalie Bouvier (CPD "
        "maternelle), Léa Renaud (PEMF)",
        contact="maternelle-14@demo.preau.fr",
        keywords="maternelle, langage oral, petite section, interactions, petits groupes, "
        "vocabulaire, imagier, oser parler",
        objectives=objectives(
            "Créer les conditions pour que chaque enfant ose parler",
            "Conduire des ateliers de langage en très petits groupes",
            "Enseigner le vocabulaire de façon structurée",
        ),
        description=(
            "En petite section, certains enfants ne parlent pas encore à l’école. Le parcours "
            "montre comment multiplier les échanges individuels, organiser des ateliers de "
            "langage à quatre ou cinq enfants et enseigner le vocabulaire à partir des "
            "activités de la classe."
        ),
        sections=(
            (
                "Oser entrer en communication",
                (
                    page(
                        "Des interactions individuelles",
                        "<p>L’accueil, l’habillage, le goûter sont des moments privilégiés "
                        "pour parler avec chaque enfant. L’adulte reformule, enrichit, "
                        "attend : c’est le langage en situation qui ouvre la voie.</p>",
                    ),
                    link(
                        "Le développement et la structuration du langage oral et écrit au cycle 1",
                        LANGAGE_C1,
                    ),
                ),
            ),
            (
                "Enseigner le vocabulaire",
                (
                    page(
                        "Réemployer, réemployer, réemployer",
                        "<p>Un mot est appris quand il a été entendu et utilisé de nombreuses "
                        "fois. Les boîtes à mots, les imagiers de la classe et les jeux de "
                        "catégorisation organisent ce réemploi.</p>",
                    ),
                    link(
                        "Guide « Pour enseigner le vocabulaire à l’école maternelle »",
                        GUIDE_VOCABULAIRE_MATERNELLE,
                    ),
                    note(
                        "<p>Apporter des boîtes à mots de plusieurs classes pour l’atelier "
                        "d’échange de pratiques.</p>"
                    ),
                ),
            ),
        ),
    ),
    DemoParcours(
        short_title="NOMBRESMAT",
        title="Construire les premiers nombres à l’école maternelle",
        domain=Domain.MATERNELLE,
        collection=Collection.AUTOFORMATION,
        audiences=(Audience.CYCLE_1,),
        origin=Origin.ACADEMIE,
        hours=(3, 0, 3),
        rhythm="À votre rythme, quatre séquences de 45 minutes",
        accompaniment="Module en libre accès, proposé aux participants des animations "
        "pédagogiques maternelle avec une clé d’inscription",
        authors="Groupe académique maternelle de Normandie",
        contact="maternelle@demo.preau.fr",
        keywords="maternelle, nombre, quantités, dénombrement, décomposition, comptine "
        "numérique, jeux, premiers outils mathématiques",
        objectives=objectives(
            "Distinguer réciter la comptine et dénombrer",
            "Faire composer et décomposer les petits nombres",
            "Utiliser les jeux pour stabiliser la connaissance des nombres",
        ),
        description=(
            "Savoir réciter « un, deux, trois… » ne suffit pas pour comprendre ce qu’est trois. "
            "Ce module présente les étapes de la construction du nombre et des situations "
            "concrètes pour la petite, la moyenne et la grande section."
        ),
        open_access=True,
        enrolment_key="MATERNELLE2026",
        sections=(
            (
                "Quantités et nombres",
                (
                    page(
                        "Le nombre pour exprimer une quantité",
                        "<p>Un enfant a compris le nombre quand il sait que le dernier mot "
                        "prononcé en comptant désigne toute la collection, et qu’il peut "
                        "constituer une collection de cardinal donné.</p>",
                    ),
                    link(
                        "Guide « Pour enseigner la construction du nombre à l’école maternelle »",
                        GUIDE_NOMBRE_MATERNELLE,
                    ),
                ),
            ),
            (
                "Composer et décomposer",
                (
                    page(
                        "Trois, c’est deux et encore un",
                        "<p>Boîtes à compter, cartes à points, jeux de dés : les "
                        "décompositions des nombres jusqu’à cinq puis dix sont la base du "
                        "calcul.</p>",
                    ),
                    link("Acquérir les premiers outils mathématiques au cycle 1", MATHS_C1),
                ),
            ),
        ),
    ),
    DemoParcours(
        short_title="RECITMAT",
        title="Comprendre des récits en maternelle : raconter, rappeler, reformuler",
        domain=Domain.MATERNELLE,
        collection=Collection.HYBRID,
        audiences=(Audience.CYCLE_1,),
        origin=Origin.ESPE,
        hours=(6, 3, 3),
        rhythm="3 h en présence, puis 1 h par semaine à distance pendant 3 semaines",
        accompaniment="Formatrices de l’INSPÉ Normandie Rouen-Le Havre",
        authors="INSPÉ Normandie Rouen-Le Havre : Agathe Moreau, Samia Lahlou",
        contact="inspe-maternelle@demo.preau.fr",
        keywords="maternelle, compréhension, récit, album, rappel de récit, maquette, "
        "personnages, états mentaux",
        objectives=objectives(
            "Raconter un album plutôt que le lire, pour en faciliter la compréhension",
            "Faire rappeler le récit avec des maquettes et des personnages",
            "Travailler les états mentaux des personnages",
        ),
        description=(
            "Comprendre une histoire se prépare dès la petite section. Le parcours propose une "
            "démarche en plusieurs temps : raconter sans montrer les images, expliquer le "
            "vocabulaire, faire rappeler le récit avec des maquettes, puis lire l’album."
        ),
        sections=(
            (
                "Raconter avant de lire",
                (
                    page(
                        "Pourquoi raconter ?",
                        "<p>En racontant sans les illustrations, l’enseignant adapte la "
                        "syntaxe, explicite les liens de cause et rend visibles les pensées "
                        "des personnages. Les enfants construisent leur propre représentation "
                        "avant de découvrir les images.</p>",
                    ),
                    link("Ressources pour enseigner au cycle 1", ENSEIGNER_CYCLE_1),
                ),
            ),
            (
                "Rappeler le récit",
                (
                    page(
                        "Maquettes et figurines",
                        "<p>Chaque enfant raconte à son tour avec la maquette ; les autres "
                        "vérifient. Le rappel se fait d’abord avec l’enseignant, puis à deux, "
                        "puis seul.</p>",
                    ),
                    page(
                        "À faire en classe",
                        "<p>Choisissez un album, fabriquez une maquette simple et filmez un "
                        "rappel de récit d’un enfant (avec l’accord des familles), puis "
                        "analysez-le à l’aide de la grille proposée.</p>",
                    ),
                    note(
                        "<p>La grille d’analyse du rappel de récit est distribuée pendant le "
                        "temps en présence.</p>"
                    ),
                ),
            ),
        ),
    ),
    DemoParcours(
        story="construction",
        template="GABARIT6H",
        short_title="JEUMAT",
        title="Apprendre en jouant à l’école maternelle",
        domain=Domain.MATERNELLE,
        collection=Collection.HYBRID,
        audiences=(Audience.CYCLE_1,),
        origin=Origin.ACADEMIE,
        hours=(6, 3, 3),
        rhythm="3 h en présence, puis 1 h par semaine à distance pendant 3 semaines",
        accompaniment="Tutorat à distance et classe virtuelle de régulation",
        authors="Groupe académique maternelle de Normandie",
        contact="maternelle@demo.preau.fr",
        keywords="maternelle, jeu, jeux symboliques, jeux à règles, jeux de construction",
        objectives=objectives(
            "Distinguer jeu libre, jeu structuré et jeu à règles",
            "Aménager des espaces de jeu qui font apprendre",
        ),
        description=(
            "Le jeu est une modalité d’apprentissage à part entière à l’école maternelle. "
            "Parcours en cours de construction à partir du gabarit académique 6 h."
        ),
        sections=(
            (
                "Jouer pour apprendre",
                (
                    link("Jouer et apprendre au cycle 1", JOUER_C1),
                    link("Le cadre général — Jouer et apprendre", JOUER_APPRENDRE_C1),
                ),
            ),
        ),
    ),
]

# Langues vivantes ---------------------------------------------------------------------------

LANGUES_VIVANTES = [
    DemoParcours(
        short_title="ANGLAISC2",
        title="Enseigner l’anglais au cycle 2 : rituels, oralité et albums",
        domain=Domain.LANGUES,
        collection=Collection.HYBRID,
        audiences=(Audience.CYCLE_2,),
        origin=Origin.ACADEMIE,
        hours=(6, 3, 3),
        rhythm="3 h en présence, puis 1 h par semaine à distance pendant 3 semaines",
        accompaniment="Conseillers pédagogiques langues vivantes, classe virtuelle en anglais",
        authors="Mission académique langues vivantes premier degré : Rachel Dupuis, Olivier "
        "Tessier",
        contact="langues-vivantes@demo.preau.fr",
        keywords="anglais, langues vivantes, oral, rituels, albums, comptines, "
        "phonologie, exposition quotidienne",
        objectives=objectives(
            "Installer des rituels quotidiens courts en anglais",
            "Exploiter un album de jeunesse en langue anglaise",
            "Travailler la compréhension et la prononciation avant l’écrit",
        ),
        description=(
            "Une exposition courte mais quotidienne à la langue est plus efficace qu’une "
            "séance hebdomadaire. Le parcours propose des rituels, des jeux et une démarche "
            "d’exploitation d’album, même pour les enseignants peu à l’aise en anglais."
        ),
        sections=(
            (
                "Des rituels quotidiens",
                (
                    page(
                        "Dix minutes par jour",
                        "<p>La date, la météo, l’humeur du jour, une comptine : ces rituels "
                        "courts, toujours dans le même ordre, installent des structures que "
                        "les élèves réemploient sans effort.</p>",
                    ),
                    link("Guide pour l’enseignement des langues vivantes à l’école", GUIDE_LANGUES),
                ),
            ),
            (
                "Exploiter un album",
                (
                    page(
                        "Un album en trois temps",
                        "<p>Découvrir l’histoire (images, mimes), mémoriser les structures "
                        "répétitives, puis jouer l’histoire en petits groupes.</p>",
                    ),
                    link(
                        "Ressources d’accompagnement pour les langues vivantes à l’école "
                        "élémentaire",
                        LANGUES,
                    ),
                    note(
                        "<p>Rassurer les participants sur leur niveau de langue : "
                        "l’enregistrement des albums par des locuteurs natifs est fourni.</p>"
                    ),
                ),
            ),
        ),
    ),
    DemoParcours(
        story="review",
        short_title="ETWINNING",
        title="Ouvrir sa classe à l’Europe avec eTwinning",
        domain=Domain.LANGUES,
        collection=Collection.COLLABORATIVE,
        audiences=(Audience.CYCLE_2, Audience.CYCLE_3),
        origin=Origin.SHARED,
        hours=(3, 1, 2),
        rhythm="1 h en présence, puis 2 h à distance, à votre rythme, sur un trimestre",
        accompaniment="Ambassadeurs eTwinning de l’académie, espace collaboratif des participants",
        authors="Parcours mutualisé par l’académie de Strasbourg, adapté par la DAREIC de "
        "Normandie",
        contact="dareic@demo.preau.fr",
        keywords="eTwinning, Europe, échanges scolaires, projet collaboratif, langues "
        "vivantes, ouverture internationale",
        objectives=objectives(
            "S’inscrire sur eTwinning et trouver une classe partenaire",
            "Construire un projet d’échange simple sur un trimestre",
        ),
        description=(
            "Échanger des lettres, des vidéos ou des recettes avec une classe d’un autre pays "
            "donne du sens à l’apprentissage des langues. Ce parcours accompagne un premier "
            "projet eTwinning, de l’inscription au bilan."
        ),
        sections=(
            (
                "Démarrer",
                (
                    link("eTwinning (European School Education Platform)", ETWINNING),
                    page(
                        "Trouver un partenaire",
                        "<p>Les forums de recherche de partenaires permettent de préciser "
                        "l’âge des élèves, la langue de travail et le thème envisagé.</p>",
                    ),
                ),
            ),
            (
                "Mener le projet",
                (
                    page(
                        "Un projet simple",
                        "<p>Se présenter, présenter son école, échanger sur un thème (les "
                        "fêtes, l’alimentation), puis réaliser une production commune.</p>",
                    ),
                    page(
                        "Protéger les données des élèves",
                        "<p>Prénoms seulement, pas de photo de visage sans autorisation écrite "
                        "des familles, échanges dans l’espace du projet (TwinSpace) plutôt que "
                        "par messagerie personnelle.</p>",
                    ),
                ),
            ),
        ),
    ),
]

# Arts --------------------------------------------------------------------------------------

ARTS = [
    DemoParcours(
        short_title="CHORALE",
        title="Chanter en chœur : conduire une chorale d’école",
        domain=Domain.ARTS,
        collection=Collection.HYBRID,
        audiences=(Audience.CYCLE_2, Audience.CYCLE_3),
        origin=Origin.SHARED,
        hours=(6, 3, 3),
        rhythm="3 h en présence, puis 1 h par semaine à distance pendant 3 semaines",
        accompaniment="Conseillers pédagogiques en éducation musicale, dépôt de vidéos de "
        "répétition",
        authors="Parcours mutualisé par les conseillers pédagogiques en éducation musicale "
        "des académies de Normandie et de Rennes",
        contact="education-musicale@demo.preau.fr",
        keywords="chorale, chant, éducation musicale, voix, direction de chœur, échauffement, "
        "répertoire",
        objectives=objectives(
            "Préparer la voix des élèves par un échauffement adapté",
            "Apprendre un chant par imitation, phrase par phrase",
            "Diriger un chœur : départs, nuances, fins de phrase",
        ),
        description=(
            "La chorale fédère une école autour d’un projet et d’un concert. Ce parcours donne "
            "les gestes essentiels pour échauffer les voix, apprendre un chant et diriger, "
            "même sans formation musicale."
        ),
        sections=(
            (
                "La voix de l’enfant",
                (
                    page(
                        "L’échauffement",
                        "<p>Corps, respiration, voix : cinq minutes d’échauffement en "
                        "début de séance protègent la voix et améliorent la justesse.</p>",
                    ),
                    link(
                        "Vademecum « La chorale à l’école, au collège et au lycée »",
                        VADEMECUM_CHORALE,
                    ),
                ),
            ),
            (
                "Apprendre et diriger un chant",
                (
                    page(
                        "Phrase par phrase",
                        "<p>Le chef chante une phrase, le chœur répète ; on assemble ensuite "
                        "les phrases. Le geste de direction indique le départ, la respiration "
                        "et la fin.</p>",
                    ),
                    link(
                        "Ressources d’accompagnement en éducation musicale aux cycles 2 et 3",
                        EDUCATION_MUSICALE,
                    ),
                    note(
                        "<p>Prévoir la salle polyvalente de l’école d’accueil et un clavier "
                        "pour le temps en présence.</p>"
                    ),
                ),
            ),
        ),
    ),
    DemoParcours(
        story="construction",
        short_title="ARTSPLAST",
        title="Arts plastiques : de la pratique exploratoire à la verbalisation",
        domain=Domain.ARTS,
        collection=Collection.HYBRID,
        audiences=(Audience.CYCLE_2, Audience.CYCLE_3),
        origin=Origin.ACADEMIE,
        hours=(6, 3, 3),
        rhythm="3 h en présence, puis 1 h par semaine à distance pendant 3 semaines",
        accompaniment="Conseillers pédagogiques en arts visuels",
        authors="Conseillers pédagogiques en arts visuels de Normandie",
        contact="arts-visuels@demo.preau.fr",
        keywords="arts plastiques, pratique exploratoire, incitation, verbalisation, "
        "œuvres, démarche de création",
        objectives=objectives(
            "Proposer une incitation ouverte qui laisse place à l’invention",
            "Conduire un temps de verbalisation à partir des productions",
        ),
        description=(
            "En arts plastiques, l’élève apprend en expérimentant puis en parlant de ce qu’il "
            "a fait. Le parcours montre comment passer d’une consigne fermée à une incitation "
            "ouverte, et comment conduire la verbalisation."
        ),
        review_comment="La section sur la rencontre avec les œuvres est vide : ajoutez au "
        "moins une ressource et une activité, et précisez le rythme du temps à distance.",
        sections=(
            (
                "Inciter plutôt que prescrire",
                (
                    page(
                        "Une incitation ouverte",
                        "<p>« Faire tenir debout une feuille de papier » plutôt que « faire "
                        "un pliage en accordéon » : l’incitation ouverte provoque des "
                        "réponses variées, matière de la verbalisation.</p>",
                    ),
                    link(
                        "Ressources d’accompagnement en arts plastiques aux cycles 2 et 3",
                        ARTS_PLASTIQUES,
                    ),
                ),
            ),
            ("Rencontrer des œuvres", ()),
        ),
    ),
    DemoParcours(
        story="construction",
        short_title="PEAC",
        title="Construire le parcours d’éducation artistique et culturelle de l’école",
        domain=Domain.ARTS,
        collection=Collection.NETWORK,
        audiences=(Audience.DIRECTORS,),
        origin=Origin.ACADEMIE,
        hours=(3, 1.5, 1.5),
        rhythm="",
        accompaniment="",
        authors="Délégation académique à l’éducation artistique et culturelle",
        contact="daac@demo.preau.fr",
        keywords="PEAC, éducation artistique et culturelle, partenariats, projet d’école",
        objectives=objectives(
            "Cartographier les actions culturelles de l’école sur les cycles",
        ),
        description="",
        sections=(
            (
                "Les trois piliers",
                (
                    page(
                        "Fréquenter, pratiquer, s’approprier",
                        "<p>Rencontres avec des œuvres et des artistes, pratique artistique, "
                        "connaissances : le PEAC articule les trois sur toute la scolarité.</p>",
                    ),
                    link(
                        "Ressources d’accompagnement du programme d’histoire des arts au cycle 3",
                        HISTOIRE_DES_ARTS,
                    ),
                ),
            ),
        ),
    ),
]

# EPS ---------------------------------------------------------------------------------------

EPS = [
    DemoParcours(
        short_title="AISANCEAQUA",
        title="Aisance aquatique et savoir nager au cycle 2",
        domain=Domain.EPS,
        collection=Collection.DISTANCE_PART,
        audiences=(Audience.CYCLE_1, Audience.CYCLE_2),
        origin=Origin.DEPARTEMENT,
        departement="050",
        hours=(3, 0, 3),
        rhythm="Volet distant du stage piscine : 3 h à distance avant les séances en bassin",
        accompaniment="Conseillers pédagogiques EPS de la Manche et maîtres-nageurs des "
        "piscines partenaires",
        authors="Équipe départementale EPS de la Manche : Julien Lepetit, Mélanie Gosselin",
        contact="eps-50@demo.preau.fr",
        keywords="EPS, natation, aisance aquatique, savoir nager, sécurité, piscine, "
        "attestation du savoir-nager",
        objectives=objectives(
            "Connaître les étapes de l’aisance aquatique et le test d’aisance aquatique",
            "Organiser les séances en bassin avec les maîtres-nageurs",
            "Garantir la sécurité des élèves",
        ),
        description=(
            "Volet à distance du stage départemental d’aisance aquatique : ce que les élèves "
            "doivent apprendre (entrer dans l’eau, flotter, s’immerger, se déplacer), "
            "l’organisation des séances et les règles de sécurité."
        ),
        sections=(
            (
                "Les étapes de l’aisance aquatique",
                (
                    page(
                        "Flotter, s’immerger, se déplacer",
                        "<p>Avant de nager, l’enfant apprend à entrer seul dans l’eau, à "
                        "flotter sur le dos et sur le ventre, à s’immerger les yeux ouverts "
                        "et à se déplacer sur quelques mètres sans appui.</p>",
                    ),
                    link(
                        "Ressources d’accompagnement pour l’EPS au cycle 2",
                        EPS_C2,
                    ),
                ),
            ),
            (
                "Organiser et sécuriser",
                (
                    page(
                        "Avant la première séance",
                        "<p>Taux d’encadrement, rôle de chacun, liste des élèves par groupe, "
                        "conduite à tenir en cas d’incident : tout est arrêté avec la "
                        "piscine avant le début du cycle.</p>",
                    ),
                    note(
                        "<p>Ce volet distant doit être terminé avant la journée en bassin : "
                        "vérifier les achèvements la veille.</p>"
                    ),
                ),
            ),
        ),
    ),
    DemoParcours(
        short_title="APQ30",
        title="30 minutes d’activité physique quotidienne : idées pour la classe",
        domain=Domain.EPS,
        collection=Collection.AUTOFORMATION,
        audiences=(Audience.CYCLE_1, Audience.CYCLE_2, Audience.CYCLE_3),
        origin=Origin.ACADEMIE,
        hours=(3, 0, 3),
        rhythm="À votre rythme, environ 1 h par semaine pendant 3 semaines",
        accompaniment="Sans accompagnement : module en libre accès",
        authors="Conseillers pédagogiques EPS de Normandie, avec l’USEP",
        contact="eps@demo.preau.fr",
        keywords="EPS, activité physique quotidienne, 30 minutes, santé, récréation, "
        "sédentarité, jeux",
        objectives=objectives(
            "Répartir 30 minutes d’activité physique chaque jour, en plus de l’EPS",
            "Disposer d’un répertoire de courtes activités faisables en classe",
        ),
        description=(
            "Trente minutes d’activité physique par jour : des pauses actives de cinq minutes, "
            "des jeux de cour, des déplacements à pied. Ce module en libre accès propose des "
            "idées immédiatement utilisables."
        ),
        open_access=True,
        sections=(
            (
                "Pourquoi bouger chaque jour",
                (
                    page(
                        "Santé et apprentissages",
                        "<p>L’activité physique régulière améliore l’attention et le bien-être "
                        "des élèves. Les 30 minutes peuvent être fractionnées au fil de la "
                        "journée.</p>",
                    ),
                    link("USEP : l’union sportive de l’enseignement du premier degré", USEP),
                ),
            ),
            (
                "Un répertoire d’activités",
                (
                    page(
                        "Dix pauses actives",
                        "<ul><li>Jacques a dit, en anglais ;</li><li>le miroir à "
                        "deux ;</li><li>la chaise invisible ;</li><li>le chef d’orchestre "
                        "des gestes ;</li><li>les statues musicales.</li></ul>",
                    ),
                    link("Ressources EPS pour le cycle 3", EPS_C3),
                ),
            ),
        ),
    ),
]

# Histoire et géographie ----------------------------------------------------------------------

HISTOIRE_GEOGRAPHIE = [
    DemoParcours(
        short_title="DDAYCLASSE",
        title="Le Débarquement et la bataille de Normandie : enseigner l’histoire avec le "
        "patrimoine local",
        domain=Domain.HISTOIRE_GEO,
        collection=Collection.HYBRID,
        audiences=(Audience.CYCLE_3, Audience.COLLEGE),
        origin=Origin.ACADEMIE,
        hours=(6, 3, 3),
        rhythm="Une demi-journée en présence au Mémorial de Caen, puis 3 h à distance",
        accompaniment="Service éducatif du Mémorial de Caen et formateurs d’histoire-géographie",
        authors="Groupe académique histoire-géographie et mémoire : Bertrand Lefranc, Chloé "
        "Vautier, avec le service éducatif du Mémorial de Caen",
        contact="histoire-memoire@demo.preau.fr",
        keywords="histoire, Seconde Guerre mondiale, Débarquement, bataille de Normandie, "
        "mémoire, patrimoine local, sources, monuments aux morts",
        objectives=objectives(
            "Construire une séquence sur la Seconde Guerre mondiale à partir de sources locales",
            "Préparer et exploiter une sortie dans un lieu de mémoire",
            "Distinguer histoire et mémoire avec des élèves de cycle 3",
        ),
        description=(
            "Les plages, les cimetières et les musées de Normandie sont des ressources "
            "exceptionnelles pour enseigner la Seconde Guerre mondiale. Le parcours aide à "
            "construire une séquence qui articule sources, sortie et travail de mémoire."
        ),
        sections=(
            (
                "Des sources près de chez soi",
                (
                    page(
                        "Le monument aux morts de la commune",
                        "<p>Relever les noms, les dates, les lieux : le monument aux morts "
                        "est une source à portée de l’école, qui relie l’histoire nationale "
                        "à celle des familles.</p>",
                    ),
                    link(
                        "Vademecum « Connaître le patrimoine de proximité »", VADEMECUM_PATRIMOINE
                    ),
                    link("L’histoire par l’image", HISTOIRE_IMAGE),
                ),
            ),
            (
                "Préparer la sortie",
                (
                    link("Le Mémorial de Caen", MEMORIAL_CAEN),
                    page(
                        "Avant, pendant, après",
                        "<p>Avant : une question à laquelle la visite répondra. Pendant : un "
                        "carnet avec trois documents à trouver. Après : une production "
                        "collective (frise, exposition, lettre).</p>",
                    ),
                    note(
                        "<p>Réserver l’atelier pédagogique du Mémorial au moins deux mois à "
                        "l’avance ; prévoir le transport sur le budget de la circonscription.</p>"
                    ),
                ),
            ),
            (
                "Histoire et mémoire",
                (
                    page(
                        "Distinguer histoire et mémoire",
                        "<p>Le témoignage d’un ancien, une cérémonie du 6 juin, un chapitre "
                        "d’histoire : comparer ces trois récits du même événement aide les "
                        "élèves à comprendre que la mémoire choisit et transmet, quand "
                        "l’histoire établit les faits à partir de sources.</p>",
                    ),
                    link(
                        "Ressources d’accompagnement du programme d’histoire et géographie au "
                        "cycle 3",
                        HISTOIRE_GEO_C3,
                    ),
                ),
            ),
        ),
    ),
    DemoParcours(
        short_title="ESPACEC2",
        title="Se repérer dans l’espace : du plan de la classe à la carte",
        domain=Domain.HISTOIRE_GEO,
        collection=Collection.HYBRID,
        audiences=(Audience.CYCLE_2,),
        origin=Origin.ACADEMIE,
        hours=(3, 1.5, 1.5),
        rhythm="1 h 30 en présence, puis 30 min par semaine à distance pendant 3 semaines",
        accompaniment="Forum animé par les formateurs d’histoire-géographie",
        authors="Groupe académique histoire-géographie premier degré : Chloé Vautier",
        contact="histoire-geographie@demo.preau.fr",
        keywords="espace, repérage, plan, carte, maquette, quartier, géographie, "
        "questionner le monde",
        objectives=objectives(
            "Passer de l’espace vécu à sa représentation : maquette, plan, carte",
            "Utiliser des outils numériques de cartographie avec les élèves",
        ),
        description=(
            "Avant de lire une carte, l’élève doit comprendre qu’elle représente un espace vu "
            "d’en haut. La progression va de la maquette de la classe au plan du quartier, "
            "puis à la carte."
        ),
        sections=(
            (
                "De la maquette au plan",
                (
                    page(
                        "Vue de dessus",
                        "<p>Construire la maquette de la classe, la photographier d’en haut, "
                        "puis dessiner le plan : trois étapes pour comprendre ce qu’est une "
                        "représentation.</p>",
                    ),
                    link(
                        "Ressources pour questionner l’espace et le temps au cycle 2",
                        ESPACE_TEMPS_C2,
                    ),
                ),
            ),
            (
                "Le quartier et la carte",
                (
                    link("Géoportail", GEOPORTAIL, "<p>Photographies aériennes et cartes IGN.</p>"),
                    page(
                        "Le trajet de l’école",
                        "<p>Chaque élève trace son trajet sur le plan du quartier ; la classe "
                        "compare les représentations et fixe une légende commune.</p>",
                    ),
                ),
            ),
        ),
    ),
]

# Pédagogie générale --------------------------------------------------------------------------

PEDAGOGIE = [
    DemoParcours(
        short_title="EVALPOS",
        title="Évaluer pour faire progresser : l’évaluation au service des apprentissages",
        domain=Domain.PEDAGOGIE,
        collection=Collection.HYBRID,
        audiences=(Audience.CYCLE_1, Audience.CYCLE_2, Audience.CYCLE_3),
        origin=Origin.NATIONAL,
        hours=(6, 3, 3),
        rhythm="3 h en présence, puis 1 h par semaine à distance pendant 3 semaines",
        accompaniment="Conseillers pédagogiques de circonscription, forum",
        authors="Groupe national évaluation des acquis (DGESCO)",
        contact="evaluation@demo.preau.fr",
        keywords="évaluation, évaluation formative, critères de réussite, rétroaction, "
        "autoévaluation, évaluations nationales, carnet de suivi",
        objectives=objectives(
            "Distinguer évaluation formative et sommative",
            "Donner aux élèves des rétroactions qui les font progresser",
            "Exploiter les évaluations nationales pour ajuster son enseignement",
        ),
        description=(
            "L’évaluation n’est pas seulement un bilan : bien conduite, elle fait progresser "
            "les élèves. Le parcours travaille les critères de réussite, les rétroactions et "
            "l’exploitation des évaluations nationales en conseil de cycle."
        ),
        sections=(
            (
                "Évaluer pendant l’apprentissage",
                (
                    page(
                        "Des critères explicites",
                        "<p>Un élève qui sait ce qu’on attend de lui peut se situer. Les "
                        "critères de réussite sont formulés avant la tâche, avec des "
                        "exemples.</p>",
                    ),
                    page(
                        "La rétroaction",
                        "<p>Une rétroaction utile dit ce qui est réussi, ce qui reste à faire "
                        "et comment le faire ; elle arrive vite et porte sur la tâche, non sur "
                        "la personne.</p>",
                    ),
                ),
            ),
            (
                "Exploiter les évaluations nationales",
                (
                    link("Évaluations des acquis et besoins des élèves au CM1", EVALUATIONS_CM1),
                    link(
                        "Suivi et évaluation des apprentissages des élèves à l’école maternelle",
                        SUIVI_C1,
                    ),
                    note(
                        "<p>Demander aux écoles d’apporter leurs résultats anonymisés pour "
                        "l’atelier d’analyse en conseil de cycle.</p>"
                    ),
                ),
            ),
        ),
    ),
    DemoParcours(
        short_title="DIRECTION",
        title="Animer l’équipe pédagogique : conseil des maîtres et projet d’école",
        domain=Domain.PEDAGOGIE,
        collection=Collection.NETWORK,
        audiences=(Audience.DIRECTORS,),
        origin=Origin.ACADEMIE,
        hours=(6, 3, 3),
        rhythm="Trois rencontres de 1 h en présence dans l’année, et 3 h d’échanges à "
        "distance dans le réseau des directeurs",
        accompaniment="Réseau départemental des directeurs d’école, animé par un IEN et un "
        "directeur formateur",
        authors="Réseau académique des directeurs d’école : Pascale Guillot, Franck Lemercier",
        contact="direction-ecole@demo.preau.fr",
        keywords="direction d’école, conseil des maîtres, projet d’école, pilotage "
        "pédagogique, travail en équipe, réseau",
        objectives=objectives(
            "Préparer et animer un conseil des maîtres efficace",
            "Conduire l’écriture et l’évaluation du projet d’école",
            "S’appuyer sur le réseau des directeurs",
        ),
        description=(
            "Le directeur d’école anime une équipe sans en être le supérieur hiérarchique. Ce "
            "parcours en réseau réunit des directeurs pour partager leurs pratiques de "
            "conduite de réunion et de pilotage du projet d’école."
        ),
        sections=(
            (
                "Le conseil des maîtres",
                (
                    page(
                        "Une réunion qui décide",
                        "<p>Un ordre du jour envoyé à l’avance, des points d’information "
                        "séparés des points de décision, un relevé de conclusions diffusé "
                        "dans la semaine : trois habitudes qui changent les réunions.</p>",
                    ),
                    text_file(
                        "Modèle d’ordre du jour",
                        "ordre-du-jour-conseil-des-maitres.txt",
                        "Conseil des maîtres — ordre du jour\n\n"
                        "1. Informations (10 min)\n"
                        "2. Points à décider (30 min)\n"
                        "   - ...\n"
                        "3. Projet d’école : point d’étape (15 min)\n"
                        "4. Questions diverses (5 min)\n\n"
                        "Relevé de conclusions diffusé le : ........\n",
                    ),
                ),
            ),
            (
                "Le projet d’école",
                (
                    page(
                        "Peu d’axes, des indicateurs",
                        "<p>Deux ou trois axes issus du diagnostic, des actions précises et "
                        "des indicateurs suivis chaque année : le projet d’école devient un "
                        "outil de pilotage partagé.</p>",
                    ),
                    link("Programmes et horaires à l’école élémentaire", PROGRAMMES_ELEMENTAIRE),
                ),
            ),
        ),
    ),
]

PARCOURS: list[DemoParcours] = [
    *TEMPLATES,
    *FRANCAIS,
    *MATHEMATIQUES,
    *SCIENCES,
    *EMC_PARCOURS,
    *NUMERIQUE,
    *INCLUSIVE,
    *MATERNELLE,
    *LANGUES_VIVANTES,
    *ARTS,
    *EPS,
    *HISTOIRE_GEOGRAPHIE,
    *PEDAGOGIE,
]

# The demo teacher follows these two open-access modules.
TEACHER_MODULES = ("DICTEE", "APQ30")
