"""Fictional, Dutch-sounding names for the demo city's areas, organisations and people.

Every choice goes through the generator's own `random.Random`, and every list is a tuple in a
fixed order: a set's order changes with Python's hash seed, which would break determinism.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

FIRST_PARTS = (
    "Linden",
    "Eiken",
    "Berken",
    "Wilgen",
    "Essen",
    "Iepen",
    "Elzen",
    "Hazel",
    "Vlier",
    "Meidoorn",
    "Rozen",
    "Klaver",
    "Haver",
    "Koren",
    "Molen",
    "Kerk",
    "Sluis",
    "Brug",
    "Vossen",
    "Reiger",
    "Zwanen",
    "Kievit",
    "Heide",
    "Zand",
    "Beek",
    "Bronnen",
    "Hoeve",
    "Weide",
    "Veen",
    "Schans",
)
SECOND_PARTS = (
    "hof",
    "veld",
    "dal",
    "rode",
    "oord",
    "horst",
    "donk",
    "wijk",
    "kamp",
    "burg",
    "hoven",
    "laar",
    "broek",
    "meer",
    "dijk",
    "hage",
    "lo",
    "stein",
    "waard",
    "gaarde",
)
THEMED_QUARTERS = (
    "Bloemenbuurt",
    "Vogelbuurt",
    "Schildersbuurt",
    "Componistenbuurt",
    "Bomenbuurt",
    "Sterrenwijk",
    "Rivierenbuurt",
    "Dichtersbuurt",
    "Zeeheldenbuurt",
    "Professorenbuurt",
    "Muziekwijk",
    "Vruchtenbuurt",
    "Kruidenbuurt",
    "Edelstenenbuurt",
    "Planetenbuurt",
    "Vlinderbuurt",
)
DE_NOUNS = (
    "Akker",
    "Gaarde",
    "Kroon",
    "Brink",
    "Wetering",
    "Bongerd",
    "Esch",
    "Hoge Weerd",
    "Lage Weide",
    "Pelikaan",
    "Vaart",
    "Kolk",
    "Til",
    "Maat",
)
CENTRE_NAMES = ("Binnenstad", "Stationskwartier", "Havenkwartier", "Oude Markt", "Kerkbuurt", "Vestingkwartier")
DIRECTIONS = ("Noord", "Oost", "Zuid", "West")

FIRST_NAMES = (
    "Anna",
    "Bram",
    "Daan",
    "Emma",
    "Fatima",
    "Mohammed",
    "Sanne",
    "Thijs",
    "Lotte",
    "Ruben",
    "Noor",
    "Yusuf",
    "Sophie",
    "Jesse",
    "Iris",
    "Ayoub",
    "Fenna",
    "Kevin",
    "Mila",
    "Sem",
    "Julia",
    "Luuk",
    "Zeynep",
    "Hamza",
    "Lisa",
    "Bas",
    "Nina",
    "Mehmet",
    "Eva",
    "Tim",
    "Priya",
    "Rachid",
    "Femke",
    "Joost",
    "Ilse",
    "Dewi",
    "Kofi",
    "Marloes",
    "Wouter",
    "Esra",
)
SURNAMES = (
    "de Vries",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    # The dotless i of Yilmaz is Turkish spelling, on purpose: names must survive any letter.
    "de Graaf",
    "van der Meer",
    "Kok",
    "Jacobs",
    "Yılmaz",  # noqa: RUF001 (a Turkish surname, spelled right)
    "El Amrani",
    "Kaya",
    "Baldewsingh",
    "Martina",
    "Nguyen",
    "Kowalski",
    "Haddou",
    "Öztürk",
    "Boateng",
    "van Dam",
    "Verhoeven",
    "Koster",
    "Prins",
    "Huisman",
    "Postma",
    "Kuipers",
)


class NameGenerator:
    """Names that are unique within one demo city."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()
        self._districts: list[str] = []

    def unique_from(self, make: Callable[[], str]) -> str:
        for _attempt in range(200):
            name = make()
            if name not in self.used:
                self.used.add(name)
                return name
        raise RuntimeError("Ran out of demo names; add words to nabij.demo.names.")

    def compound(self) -> str:
        return self.unique_from(self.compound_unregistered)

    def district(self) -> str:
        """A compound whose first part no other district has: "Wilgenhof" and "Wilgendal" side by
        side would read like one area."""
        taken = {name[: len(first)] for name in self._districts for first in FIRST_PARTS if name.startswith(first)}
        free = [first for first in FIRST_PARTS if first not in taken] or list(FIRST_PARTS)

        def make() -> str:
            first = self.rng.choice(free)
            return first + self.rng.choice([second for second in SECOND_PARTS if second not in first.lower()])

        name = self.unique_from(make)
        self._districts.append(name)
        return name

    def neighbourhood(self, *, district_name: str, central: bool, industrial: bool) -> str:
        if industrial:
            return self.unique_from(lambda: f"Bedrijventerrein {self.compound_unregistered()}")
        if central:
            free = [name for name in CENTRE_NAMES if name not in self.used]
            if free:
                return self.unique_from(lambda: self.rng.choice(free))
        patterns = (
            lambda: f"{district_name}-{self.rng.choice(DIRECTIONS)}",
            lambda: f"{self.rng.choice(('Oud', 'Nieuw'))}-{district_name}",
            lambda: self.rng.choice(THEMED_QUARTERS),
            lambda: f"De {self.rng.choice(DE_NOUNS)}",
            lambda: f"{self.rng.choice(FIRST_PARTS)}park",
            lambda: self.compound_unregistered(),
        )
        return self.unique_from(lambda: self.rng.choice(patterns)())

    def compound_unregistered(self) -> str:
        while True:
            first, second = self.rng.choice(FIRST_PARTS), self.rng.choice(SECOND_PARTS)
            # "Weideweide" or "Kampkamp" would look like a typo.
            if second not in first.lower():
                return first + second

    def person(self) -> str:
        """A display name; people may share one, as in any city."""
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(SURNAMES)}"


# Streets. A themed quarter has streets of its theme, as Dutch cities name them; other
# neighbourhoods mix nature words with the streets every Dutch town has.
STREET_SUFFIXES = ("straat", "straat", "straat", "laan", "laan", "weg", "plein", "hof", "kade", "singel", "dreef")
QUARTER_STREET_STEMS: dict[str, tuple[str, ...]] = {
    "Bloemenbuurt": ("Rozen", "Tulpen", "Narcissen", "Lelie", "Anjer", "Violieren", "Dahlia", "Krokus"),
    "Vogelbuurt": ("Merel", "Lijster", "Spreeuwen", "Vinken", "Mezen", "Specht", "Zwaluw", "Kievit"),
    "Schildersbuurt": ("Rembrandt", "Vermeer", "Frans Hals", "Jan Steen", "Mondriaan", "Van Gogh", "Breitner"),
    "Componistenbuurt": ("Mozart", "Beethoven", "Bach", "Chopin", "Haydn", "Schubert", "Sweelinck"),
    "Bomenbuurt": ("Linden", "Eiken", "Beuken", "Platanen", "Kastanje", "Esdoorn", "Berken"),
    "Sterrenwijk": ("Orion", "Sirius", "Vega", "Poolster", "Andromeda", "Pegasus", "Castor"),
    "Rivierenbuurt": ("Maas", "Rijn", "Waal", "IJssel", "Vecht", "Amstel", "Lek", "Dommel"),
    "Dichtersbuurt": ("Vondel", "Bilderdijk", "Multatuli", "Gorter", "Hooft", "Bredero", "Huygens"),
    "Zeeheldenbuurt": ("De Ruyter", "Tromp", "Piet Hein", "Evertsen", "Van Galen", "Van Speijk"),
    "Professorenbuurt": ("Lorentz", "Kamerlingh Onnes", "Zernike", "Einthoven", "Buys Ballot", "Snellius"),
    "Muziekwijk": ("Fluit", "Viool", "Harp", "Trompet", "Cello", "Hobo", "Gitaar"),
    "Vruchtenbuurt": ("Appel", "Peren", "Kersen", "Pruimen", "Druiven", "Aardbeien", "Bessen"),
    "Kruidenbuurt": ("Tijm", "Salie", "Rozemarijn", "Munt", "Kamille", "Dille", "Lavendel"),
    "Edelstenenbuurt": ("Robijn", "Saffier", "Smaragd", "Diamant", "Opaal", "Topaas", "Parel"),
    "Planetenbuurt": ("Mercurius", "Venus", "Mars", "Jupiter", "Saturnus", "Neptunus", "Uranus"),
    "Vlinderbuurt": ("Citroenvlinder", "Dagpauwoog", "Atalanta", "Koolwitje", "Zandoogje", "Parelmoer"),
}
COMMON_STREETS = (
    "Hoofdstraat",
    "Kerkstraat",
    "Dorpsstraat",
    "Schoolstraat",
    "Molenweg",
    "Nieuwstraat",
    "Stationsweg",
    "Marktplein",
    "Julianalaan",
    "Wilhelminastraat",
    "Beatrixlaan",
    "Oranjestraat",
    "Prins Hendrikkade",
    "Burgemeester de Bruijnlaan",
)
# Places of worship; "kerk" is added to a saint's name.
CHURCH_SAINTS = ("Paulus", "Petrus", "Johannes", "Maria", "Jacobus", "Nicolaas", "Bavo", "Martinus", "Andreas")


def street_name(rng: random.Random, neighbourhood_name: str) -> str:
    """A plausible street in this neighbourhood: "Merelstraat" in the Vogelbuurt, "Lindenlaan" elsewhere."""
    stems = next((s for quarter, s in QUARTER_STREET_STEMS.items() if quarter in neighbourhood_name), None)
    if stems is None:
        if rng.random() < 0.2:
            return rng.choice(COMMON_STREETS)
        stems = FIRST_PARTS
    return rng.choice(stems) + rng.choice(STREET_SUFFIXES)


# Names of community buildings: "Buurthuis De Schakel", "Inloophuis De Bron".
BUILDING_NOUNS = (
    "Schakel",
    "Ontmoeting",
    "Brug",
    "Linde",
    "Kastanje",
    "Horizon",
    "Regenboog",
    "Boog",
    "Wissel",
    "Poort",
    "Zonnewijzer",
    "Kern",
    "Vonk",
    "Bron",
    "Ark",
    "Klimop",
    "Sleutel",
    "Koepel",
    "Lantaarn",
    "Meander",
    "Overkant",
    *DE_NOUNS,
)


# People's names by background, for the participants and supporters: as mixed as a large Dutch
# city (roughly CBS's figures for Rotterdam and The Hague by migration background, adults). The
# weights are relative, about percent. Names say nothing about gender here either, and surnames
# are common ones in each language, so no real person is meant.
@dataclass(frozen=True)
class Origin:
    code: str
    weight: float
    first_names: tuple[str, ...]
    surnames: tuple[str, ...]


# A table of names, easier to read packed.
# fmt: off
ORIGINS: tuple[Origin, ...] = (
    Origin(
        "dutch",
        50,
        (
            "Anna", "Bram", "Daan", "Emma", "Sanne", "Thijs", "Lotte", "Ruben", "Fenna", "Jesse", "Iris", "Sem",
            "Julia", "Luuk", "Bas", "Nina", "Femke", "Joost", "Ilse", "Wouter", "Marloes", "Henk", "Gerda", "Kees",
            "Ria", "Willem", "Truus", "Jan", "Annie", "Cor", "Ineke", "Pieter", "Marijke", "Joke", "Geert",
            "Hennie", "Ton", "Mieke", "Dirk", "Wilma",
        ),
        (
            "de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos",
            "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "de Graaf",
            "van der Meer", "Kok", "Jacobs", "van Dam", "Verhoeven", "Koster", "Prins", "Huisman", "Postma",
        ),
    ),
    Origin(
        "surinamese",
        8,
        (
            "Priya", "Roshni", "Ravi", "Sharmila", "Anand", "Shanti", "Glenn", "Marcia", "Romano", "Sherida",
            "Errol", "Gracia", "Rinaldo", "Natasha", "Kishan", "Soraya", "Ramon", "Sunita",
        ),
        (
            "Baldewsingh", "Ramdin", "Sewdien", "Kromodimedjo", "Pinas", "Wijngaarde", "Biharie", "Lachman",
            "Sedney",
        ),
    ),
    Origin(
        "moroccan",
        7,
        (
            "Fatima", "Mohammed", "Ayoub", "Hamza", "Rachid", "Khadija", "Youssef", "Samira", "Nordin", "Naima",
            "Mustafa", "Karima", "Bilal", "Hanan", "Said", "Latifa", "Imane", "Driss",
        ),
        (
            "El Amrani", "Haddou", "Bouzid", "El Idrissi", "Ouali", "Benali", "Azzouzi", "El Khatib", "Boukhari",
        ),
    ),
    Origin(
        "turkish",
        7,
        (
            "Zeynep", "Mehmet", "Esra", "Ayşe", "Emre", "Fatma", "Hakan", "Elif", "Murat", "Hatice", "Yusuf",
            "Büşra", "Kemal", "Selin", "Osman", "Emine", "Burak", "Hülya",
        ),
        (
            # The dotless i is Turkish spelling, on purpose: names must survive any letter.
            "Yılmaz", "Öztürk", "Kaya", "Demir", "Şahin", "Çelik", "Aydın", "Arslan", "Doğan",  # noqa: RUF001
        ),
    ),
    Origin(
        "caribbean",
        3.5,
        (
            "Jurgen", "Shurandy", "Gisela", "Quincy", "Jurmaily", "Elvis", "Migdalia", "Rudsel", "Yanick",
            "Sulaika",
        ),
        (
            "Martina", "Isenia", "Statia", "Rosaria", "Pieternella", "Koeiman", "Wawoe",
        ),
    ),
    Origin(
        "indonesian",
        3,
        (
            "Dewi", "Yohanna", "Ferry", "Rudy", "Sylvia", "Johnny", "Nico", "Stella", "Semuel", "Wati",
        ),
        (
            "Tahitu", "Latuheru", "Soplanit", "Pattiasina", "Sutanto", "Wattimena", "Tuhumury",
        ),
    ),
    Origin(
        "polish",
        3,
        (
            "Agnieszka", "Piotr", "Katarzyna", "Tomasz", "Magdalena", "Krzysztof", "Joanna", "Marek", "Ewa",
            "Paweł", "Małgorzata", "Łukasz",
        ),
        (
            "Kowalski", "Nowak", "Wiśniewska", "Lewandowski", "Zielińska", "Wójcik", "Kamińska",
        ),
    ),
    Origin(
        "syrian",
        2,
        (
            "Ahmad", "Rasha", "Omar", "Lina", "Mahmoud", "Rania", "Khaled", "Yara", "Tarek", "Hiba", "Ammar",
            "Nour",
        ),
        (
            "Al-Hassan", "Haddad", "Khalil", "Al-Ahmad", "Darwish", "Nasser", "Sabbagh",
        ),
    ),
    Origin(
        "cape_verdean",
        1.5,
        (
            "Carla", "Nelson", "Djamila", "Edson", "Maria", "Adilson", "Jandira", "Paulo",
        ),
        (
            "Lopes", "Fortes", "Tavares", "Gomes", "Monteiro",
        ),
    ),
    Origin(
        "ukrainian",
        1.5,
        (
            "Olena", "Oleksandr", "Iryna", "Dmytro", "Natalia", "Serhii", "Yuliia", "Andrii",
        ),
        (
            "Shevchenko", "Kovalenko", "Bondarenko", "Tkachenko", "Melnyk",
        ),
    ),
    Origin(
        "afghan_iranian",
        1.2,
        (
            "Farid", "Shirin", "Mehdi", "Parisa", "Reza", "Mina", "Ali", "Zahra",
        ),
        (
            "Ahmadi", "Karimi", "Hosseini", "Rahimi", "Sultani",
        ),
    ),
    Origin(
        "eritrean",
        1,
        (
            "Tesfay", "Senait", "Yonas", "Helen", "Dawit", "Selam", "Filmon", "Mebrat",
        ),
        (
            "Tesfamariam", "Gebremedhin", "Haile", "Berhane", "Tekle",
        ),
    ),
    Origin(
        "west_african",
        1,
        (
            "Kofi", "Ama", "Kwame", "Akosua", "Chidi", "Ngozi", "Emeka", "Abena",
        ),
        (
            "Boateng", "Mensah", "Asante", "Okafor", "Adeyemi", "Owusu",
        ),
    ),
    Origin(
        "chinese",
        1,
        (
            "Wei", "Li Na", "Jun", "Mei", "Hao", "Xiu Ying", "Chen", "Yan",
        ),
        (
            "Chen", "Wang", "Lin", "Zhang", "Liu", "Huang",
        ),
    ),
    Origin(
        "somali",
        0.8,
        (
            "Abdi", "Hodan", "Faadumo", "Ayaan", "Mahad", "Ifrah",
        ),
        (
            "Abdullahi", "Farah", "Warsame", "Mohamud", "Osman",
        ),
    ),
    Origin(
        "bulgarian_romanian",
        1.5,
        (
            "Ivan", "Elena", "Georgi", "Mihaela", "Andrei", "Ioana", "Dimitar", "Raluca",
        ),
        (
            "Ivanov", "Popescu", "Georgieva", "Ionescu", "Dimitrov", "Stan",
        ),
    ),
    Origin(
        "other_european",
        4,
        (
            "Lukas", "Sofia", "Marco", "Chiara", "James", "Emily", "Javier", "Lucía", "Pierre", "Camille", "João",
        ),
        (
            "Müller", "García", "Rossi", "Smith", "Dubois", "Silva", "Schmidt",
        ),
    ),
)
# fmt: on
ORIGINS_BY_CODE = {origin.code: origin for origin in ORIGINS}
