"""Realistic (fictional) buyers and addresses per country, non-ASCII included."""

from __future__ import annotations

import random
from dataclasses import dataclass

FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "DE": (
        "Jürgen",
        "Anna",
        "Lukas",
        "Sören",
        "Käthe",
        "Maximilian",
        "Jörg",
        "Lea",
        "Björn",
        "Zoë",
        "Günther",
        "Marie",
    ),
    "FR": (
        "Françoise",
        "Léa",
        "Hélène",
        "Jérôme",
        "Chloé",
        "Benoît",
        "Gaëlle",
        "Noël",
        "Théo",
        "Agnès",
        "Lucas",
        "Camille",
    ),
    "IT": (
        "Niccolò",
        "Giulia",
        "Luca",
        "Chiara",
        "Mattia",
        "Francesca",
        "Andrea",
        "Sofia",
        "Lorenzo",
        "Martina",
        "Davide",
        "Elena",
    ),
    "ES": (
        "José",
        "María",
        "Íñigo",
        "Lucía",
        "Álvaro",
        "Begoña",
        "Sergio",
        "Núria",
        "Raúl",
        "Inés",
        "Carmen",
        "Jesús",
    ),
    "GB": (
        "Oliver",
        "Siobhán",
        "Amelia",
        "Harry",
        "Niamh",
        "George",
        "Isla",
        "Seán",
        "Emily",
        "Rhys",
        "Aoife",
        "Jack",
    ),
    "US": (
        "James",
        "Mary",
        "Robert",
        "Patricia",
        "Michael",
        "Jennifer",
        "David",
        "Linda",
        "José",
        "Zoë",
        "William",
        "Sarah",
    ),
}
LAST_NAMES: dict[str, tuple[str, ...]] = {
    "DE": (
        "Müller",
        "Schröder",
        "Großmann",
        "Weiß",
        "Schäfer",
        "Köhler",
        "Becker",
        "Fuß",
        "Hoffmann",
        "Krüger",
        "Wagner",
        "Öztürk",
    ),
    "FR": (
        "Lefèvre",
        "Dubois",
        "Moreau",
        "Girard",
        "Bérnard",
        "Fournier",
        "Lemaître",
        "Rousseau",
        "Châtelain",
        "Faure",
        "Mercier",
        "Dupré",
    ),
    "IT": (
        "Rossi",
        "Dell'Acqua",
        "Bianchi",
        "Romano",
        "Colombo",
        "Ricci",
        "Marino",
        "Greco",
        "Bruno",
        "Gallo",
        "Conti",
        "De Luca",
    ),
    "ES": (
        "García",
        "Fernández",
        "González",
        "Rodríguez",
        "López",
        "Martínez",
        "Sánchez",
        "Pérez",
        "Gómez",
        "Peña",
        "Muñoz",
        "Ibáñez",
    ),
    "GB": (
        "Smith",
        "Jones",
        "O'Connor",
        "Williams",
        "Taylor",
        "Brown",
        "Davies",
        "Evans",
        "Wilson",
        "Thomas",
        "Roberts",
        "Ó Súilleabháin",
    ),
    "US": (
        "Smith",
        "Johnson",
        "Williams",
        "Brown",
        "Jones",
        "Garcia",
        "Miller",
        "Davis",
        "Rodriguez",
        "Martinez",
        "Hernández",
        "Lopez",
    ),
}
STREETS: dict[str, tuple[str, ...]] = {
    "DE": (
        "Hauptstraße {n}",
        "Königsallee {n}",
        "Schloßstraße {n}",
        "Bahnhofstraße {n}",
        "Am Mühlbach {n}",
        "Gärtnerweg {n}",
    ),
    "FR": (
        "{n} rue de la Paix",
        "{n} avenue des Champs-Élysées",
        "{n} boulevard Saint-Germain",
        "{n} rue du Général-Leclerc",
        "{n} place de l'Église",
        "{n} chemin des Écoliers",
    ),
    "IT": (
        "Via Roma {n}",
        "Corso Vittorio Emanuele II {n}",
        "Via Garibaldi {n}",
        "Piazza del Popolo {n}",
        "Via Nazionale {n}",
        "Viale dei Mille {n}",
    ),
    "ES": (
        "Calle Mayor {n}",
        "Avenida de la Constitución {n}",
        "Calle de Alcalá {n}",
        "Plaza de España {n}",
        "Carrer de Sant Pere {n}",
        "Calle Núñez de Balboa {n}",
    ),
    "GB": (
        "{n} High Street",
        "{n} Station Road",
        "{n} Church Lane",
        "{n} Victoria Road",
        "{n} Mill Lane",
        "{n} The Green",
    ),
    "US": (
        "{n} Main St",
        "{n} Oak Ave",
        "{n} Maple Dr",
        "{n} Washington Blvd",
        "{n} Lakeview Rd",
        "{n} Pine St",
    ),
}
# (city, postal code, state/region)
CITIES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "DE": (
        ("München", "80331", "Bayern"),
        ("Köln", "50667", "Nordrhein-Westfalen"),
        ("Berlin", "10115", "Berlin"),
        ("Düsseldorf", "40213", "Nordrhein-Westfalen"),
        ("Nürnberg", "90403", "Bayern"),
        ("Hamburg", "20095", "Hamburg"),
    ),
    "FR": (
        ("Paris", "75008", "Île-de-France"),
        ("Lyon", "69002", "Auvergne-Rhône-Alpes"),
        ("Orléans", "45000", "Centre-Val de Loire"),
        ("Besançon", "25000", "Bourgogne-Franche-Comté"),
        ("Marseille", "13001", "Provence-Alpes-Côte d'Azur"),
        ("Nîmes", "30000", "Occitanie"),
    ),
    "IT": (
        ("Milano", "20121", "MI"),
        ("Roma", "00184", "RM"),
        ("Forlì", "47121", "FC"),
        ("Napoli", "80133", "NA"),
        ("Torino", "10121", "TO"),
        ("Cantù", "22063", "CO"),
    ),
    "ES": (
        ("Madrid", "28013", "Madrid"),
        ("Barcelona", "08002", "Barcelona"),
        ("A Coruña", "15001", "A Coruña"),
        ("Málaga", "29015", "Málaga"),
        ("Logroño", "26001", "La Rioja"),
        ("Cádiz", "11001", "Cádiz"),
    ),
    "GB": (
        ("London", "SW1A 1AA", "Greater London"),
        ("Manchester", "M1 1AE", "Greater Manchester"),
        ("Edinburgh", "EH1 1YZ", "City of Edinburgh"),
        ("Cardiff", "CF10 1EP", "Cardiff"),
        ("Belfast", "BT1 5GS", "County Antrim"),
        ("Leeds", "LS1 4DY", "West Yorkshire"),
    ),
    "US": (
        ("Seattle", "98121", "WA"),
        ("Austin", "78701", "TX"),
        ("Brooklyn", "11201", "NY"),
        ("Denver", "80202", "CO"),
        ("San José", "95113", "CA"),
        ("Miami", "33130", "FL"),
    ),
}
PHONE_PREFIX = {
    "DE": "+49 89 ",
    "FR": "+33 1 ",
    "IT": "+39 02 ",
    "ES": "+34 91 ",
    "GB": "+44 20 ",
    "US": "+1 206-",
}
EMAIL_TLD = {"DE": "de", "FR": "fr", "IT": "it", "ES": "es", "GB": "co.uk", "US": "com"}
COMPANIES: dict[str, tuple[str, ...]] = {
    "DE": ("Müller & Söhne GmbH", "Bäckerei Groß KG"),
    "FR": ("Atelier Lefèvre SARL", "Boulangerie Dupré"),
    "IT": ("Ferramenta Rossi S.r.l.", "Caffè Bianchi S.n.c."),
    "ES": ("Ferretería Peña S.L.", "Librería García"),
    "GB": ("O'Connor & Co Ltd", "Taylor Joinery Ltd"),
    "US": ("Acme Supplies LLC", "Lakeview Dental PC"),
}
SECOND_LINES: dict[str, tuple[str, ...]] = {
    "DE": ("Hinterhaus", "3. OG links"),
    "FR": ("Bâtiment B", "Appartement 12"),
    "IT": ("Scala C", "Interno 4"),
    "ES": ("2º izquierda", "Portal 3, 1ºB"),
    "GB": ("Flat 2", "Unit 7"),
    "US": ("Apt 4B", "Suite 210"),
}


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    email: str
    company: str | None
    line1: str
    line2: str | None
    city: str
    postal_code: str
    region: str
    country: str
    phone: str
    commercial: bool


def make_person(rng: random.Random, country: str, order_id: str, business: bool) -> Person:
    first = rng.choice(FIRST_NAMES[country])
    last = rng.choice(LAST_NAMES[country])
    city, postal, region = rng.choice(CITIES[country])
    street = rng.choice(STREETS[country]).format(n=rng.randint(1, 180))
    line2 = rng.choice(SECOND_LINES[country]) if rng.random() < 0.25 else None
    company = rng.choice(COMPANIES[country]) if business else None
    # Amazon hands out relay addresses: never the buyer's real e-mail.
    relay = f"{order_id.replace('-', '')[-12:]}{rng.randint(100, 999)}"
    email = f"{relay}@marketplace.amazon.{EMAIL_TLD[country]}"
    phone = PHONE_PREFIX[country] + f"{rng.randint(1000000, 9999999)}"
    return Person(
        f"{first} {last}",
        email,
        company,
        street,
        line2,
        city,
        postal,
        region,
        country,
        phone,
        business,
    )
