"""Realistic (fictional) buyers and addresses per country, non-ASCII included."""

from __future__ import annotations

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


Draw = tuple[int, int, int, int, int, int, int, int, int]


def draw(genes: int, country: str) -> Draw:
    """(first name, last name, city, street, house number, second line or past the end,
    company, relay number, phone number) picked by `genes`, a 64-bit hash."""
    g = genes
    g, first = divmod(g, len(FIRST_NAMES[country]))
    g, last = divmod(g, len(LAST_NAMES[country]))
    g, city = divmod(g, len(CITIES[country]))
    g, street = divmod(g, len(STREETS[country]))
    g, number = divmod(g, 180)
    g, second = divmod(g, 4 * len(SECOND_LINES[country]))  # one address in four has a line 2
    g, company = divmod(g, len(COMPANIES[country]))
    g, relay = divmod(g, 900)
    return first, last, city, street, number + 1, second, company, relay + 100, g % 9_000_000


def relay_email(order_id: str, relay: int, country: str) -> str:
    # Amazon hands out relay addresses: never the buyer's real e-mail.
    return f"{order_id.replace('-', '')[-12:]}{relay}@marketplace.amazon.{EMAIL_TLD[country]}"


def make_person(genes: int, country: str, order_id: str, business: bool) -> Person:
    """The buyer of one order, drawn from `genes` (a 64-bit hash of seed and order index)."""
    first, last, city, street, number, second, company, relay, phone = draw(genes, country)
    city_name, postal, region = CITIES[country][city]
    seconds = SECOND_LINES[country]
    return Person(
        f"{FIRST_NAMES[country][first]} {LAST_NAMES[country][last]}",
        relay_email(order_id, relay, country),
        COMPANIES[country][company] if business else None,
        STREETS[country][street].format(n=number),
        seconds[second] if second < len(seconds) else None,
        city_name,
        postal,
        region,
        country,
        PHONE_PREFIX[country] + f"{phone + 1_000_000}",
        business,
    )
