"""French names and places for generated data (demo and benchmark), drawn deterministically."""

import random
import unicodedata

# Paragraphs of names read better than hundreds of quoted strings.
FIRST_NAMES = (  # noqa: SIM905
    "Camille Léa Manon Chloé Emma Inès Jade Louise Lina Zoé Sarah Juliette Anna Lucie Alice "
    "Clara Eva Romane Lola Ambre Nathalie Isabelle Sylvie Catherine Valérie Sandrine Stéphanie "
    "Céline Aurélie Émilie Julie Marion Élodie Mélanie Audrey Laetitia Virginie Sophie Hélène "
    "Agnès Françoise Karine Delphine Laurence Anne Claire Cécile Pauline Mathilde Charlotte "
    "Thomas Nicolas Julien Sébastien Guillaume Maxime Antoine Alexandre Romain Pierre Mathieu "
    "Jérôme Olivier Laurent Christophe Frédéric Stéphane David Vincent François Benoît Yann "
    "Karim Mehdi Yasmine Amina Fatou Aïssatou Moussa Samir Nadia Leïla Kévin Loïc Gaëlle Maëlle "
    "Noémie Océane Anaïs Solène Gwenaëlle Joël Hervé Éric Franck Rémi Cédric Aurélien Jérémie"
).split()

LAST_NAMES = (  # noqa: SIM905
    "Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel "
    "Lefèvre Leroy Roux David Bertrand Morel Fournier Girard Bonnet Dupont Lambert Fontaine "
    "Rousseau Vincent Muller Lefebvre Faure André Mercier Blanc Guérin Boyer Garnier Chevalier "
    "François Legrand Gauthier Garcia Perrin Robin Clément Morin Nicolas Henry Roussel Mathieu "
    "Gautier Masson Marchand Duval Denis Dumont Marie Lemaire Noël Meyer Dufour Meunier Brun "
    "Blanchard Giraud Joly Rivière Lucas Brunet Gaillard Barbier Arnaud Martinez Gérard Roche "
    "Renard Schmitt Roy Leroux Colin Vidal Caron Picard Roger Fabre Aubert Lemoine Renaud "
    "Dumas Lacroix Olivier Philippe Bourgeois Pierre Benoît Rey Leclerc Payet Rolland Leclercq "
    "Guillaume Lecomte Lopez Jean Dupuy Guillot Hubert Berger Carpentier Sanchez Dupuis "
    "Moulin Louis Deschamps Huet Vasseur Perez Boucher Fleury Royer Klein Jacquet Adam Paris "
    "Poirier Marty Aubry Guyot Carré Charles Renault Charpentier Ménard Maillard Baron Bertin "
    "Bailly Hervé Schneider Fernandez Le\u00a0Gall Collet Léger Bouvier Julien Prévost Millet "
    "Perrot Daniel Le\u00a0Roux Cousin Germain Breton Besson Langlois Rémy Le\u00a0Goff Pelletier "
    "Lévêque Perrier Leblanc Barré Lebrun Marchal Weber Mallet Hamon Boulanger Jacob Monnier "
    "Michaud Rodriguez Guichard Gillet Étienne Grondin Poulain Tessier Chevallier Collin "
    "Chauvin Da\u00a0Silva Bouchet Gay Lemaître Bénard Maréchal Humbert Reynaud Antoine Hoarau "
    "Perret Barthélemy Cordier Pichon Lejeune Gilbert Lamy Delaunay Pasquier Carlier Laporte "
    "N'Diaye Diallo Traoré Ben\u00a0Ahmed Nguyen Haddad Kaya Benali Mendes Ferreira Lebon"
).split()
LAST_NAMES = [name.replace("\u00a0", " ") for name in LAST_NAMES]

SCHOOL_PATRONS = (
    "Jules Ferry",
    "Jean Jaurès",
    "Victor Hugo",
    "Jacques Prévert",
    "Louis Pasteur",
    "Jean de La Fontaine",
    "Marie Curie",
    "Paul Bert",
    "Condorcet",
    "Jean Moulin",
    "Pierre et Marie Curie",
    "Anatole France",
    "Paul Éluard",
    "Albert Camus",
    "Simone Veil",
    "Saint-Exupéry",
    "Jean Macé",
    "Ferdinand Buisson",
    "Louise Michel",
    "Pauline Kergomard",
    "Claude Monet",
    "Guy de Maupassant",
    "Gustave Flaubert",
    "Jules Verne",
    "Robert Desnos",
    "Les Tilleuls",
    "Les Coquelicots",
    "Les Hirondelles",
    "Le Petit Prince",
    "Les Marronniers",
    "La Fontaine aux Loups",
    "Le Bocage",
    "Les Pommiers",
    "La Prairie",
    "Les Goélands",
)
SCHOOL_KINDS = ("École élémentaire", "École maternelle", "École primaire")


def ascii_slug(value: str) -> str:
    """« Léa N'Diaye » → « lea-ndiaye », for e-mail local parts."""
    plain = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().lower()
    cleaned = "".join(ch if ch.isalnum() else "-" for ch in plain.replace("'", ""))
    return "-".join(part for part in cleaned.split("-") if part)


def person(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)


def school_name(rng: random.Random) -> str:
    return f"{rng.choice(SCHOOL_KINDS)} {rng.choice(SCHOOL_PATRONS)}"


def quotite(rng: random.Random) -> int:
    """Most teachers work full time; some at 50, 75 or 80 %."""
    return rng.choices([100, 80, 75, 50], weights=[82, 4, 8, 6])[0]
