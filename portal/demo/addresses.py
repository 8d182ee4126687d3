"""Street addresses for the demo accounts: the sender block of their return labels.

Each market writes addresses its own way (``Friedrichstraße 12``, ``12 rue Victor Hugo``,
``24 High Street``); postal codes are real ones of the city centres, street names the
common ones of each language. An account's address comes from its own random stream
(seeded with its number and name), so adding addresses changed none of the other demo data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Address:
    street: str
    postal_code: str
    city: str


_GERMAN_STREETS = (
    "Hauptstraße", "Bahnhofstraße", "Schillerstraße", "Goethestraße", "Lindenstraße",
    "Kirchgasse", "Königstraße", "Friedrichstraße", "Poststraße", "Mühlenweg",
    "Marktplatz", "Schlossallee", "Rathausplatz", "Gartenstraße", "Kaiserstraße",
)  # fmt: skip
_FRENCH_STREETS = (
    "rue de la République", "rue Victor Hugo", "avenue Jean Jaurès", "rue du Commerce",
    "place du Marché", "rue Sainte-Catherine", "boulevard Gambetta", "rue Nationale",
    "cours Lafayette", "rue des Carmes", "rue de la Paix", "avenue de la Gare",
)  # fmt: skip
_DUTCH_STREETS = (
    "Kalverstraat", "Hoogstraat", "Breestraat", "Lange Elisabethstraat", "Grote Houtstraat",
    "Stratumseind", "Herestraat", "Markt", "Oudegracht", "Demer",
)  # fmt: skip
_FLEMISH_STREETS = (
    "Meir", "Veldstraat", "Steenstraat", "Bondgenotenlaan", "Hoogstraat", "Bruul",
    "Grote Markt", "Lange Gasthuisstraat", "Diestsestraat",
)  # fmt: skip
_BRITISH_STREETS = (
    "High Street", "Market Street", "Church Street", "King Street", "Station Road",
    "Queen Street", "Bridge Street", "Castle Street", "George Street", "Victoria Road",
)  # fmt: skip

STREETS = {
    "DE": _GERMAN_STREETS,
    "AT": _GERMAN_STREETS,
    "CH": tuple(street.replace("ß", "ss") for street in _GERMAN_STREETS),  # Swiss spelling
    "FR": _FRENCH_STREETS,
    "NL": _DUTCH_STREETS,
    "BE": _FLEMISH_STREETS,
    "GB": _BRITISH_STREETS,
}
NUMBER_FIRST = frozenset(("FR", "GB"))  # "12 rue Victor Hugo", "24 High Street"

POSTAL_CODES = {
    # Germany
    "Berlin": "10115", "Hamburg": "20095", "Köln": "50667", "Düsseldorf": "40213",
    "Leipzig": "04109", "Dresden": "01067", "Hannover": "30159", "Bremen": "28195",
    "Münster": "48143", "Kiel": "24103", "Rostock": "18055", "Bonn": "53111",
    "Lübeck": "23552", "Erfurt": "99084", "Potsdam": "14467", "München": "80331",
    "Frankfurt am Main": "60311", "Stuttgart": "70173", "Nürnberg": "90402",
    "Freiburg": "79098", "Heidelberg": "69117", "Regensburg": "93047", "Augsburg": "86150",
    "Würzburg": "97070", "Mainz": "55116",
    # Austria
    "Wien": "1010", "Graz": "8010", "Linz": "4020", "Salzburg": "5020", "Innsbruck": "6020",
    "Klagenfurt": "9020", "Villach": "9500", "Wels": "4600", "St. Pölten": "3100",
    "Dornbirn": "6850",
    # Switzerland
    "Zürich": "8001", "Bern": "3011", "Basel": "4051", "Luzern": "6003", "St. Gallen": "9000",
    "Winterthur": "8400", "Zug": "6300", "Aarau": "5000", "Thun": "3600", "Chur": "7000",
    # France
    "Paris": "75002", "Lyon": "69002", "Marseille": "13001", "Toulouse": "31000",
    "Bordeaux": "33000", "Lille": "59000", "Nantes": "44000", "Strasbourg": "67000",
    "Montpellier": "34000", "Rennes": "35000", "Nice": "06000", "Grenoble": "38000",
    "Dijon": "21000", "Reims": "51100", "Annecy": "74000", "Tours": "37000",
    # Netherlands
    "Amsterdam": "1012 AB", "Rotterdam": "3011 AD", "Utrecht": "3511 LX",
    "Den Haag": "2511 CV", "Eindhoven": "5611 AZ", "Groningen": "9711 LM",
    "Haarlem": "2011 HN", "Maastricht": "6211 GM",
    # Belgium
    "Antwerpen": "2000", "Gent": "9000", "Brugge": "8000", "Leuven": "3000",
    "Hasselt": "3500", "Mechelen": "2800",
    # United Kingdom
    "London": "W1F 8QH", "Manchester": "M1 1AE", "Birmingham": "B2 4QA", "Leeds": "LS1 5AS",
    "Bristol": "BS1 3XD", "Edinburgh": "EH2 2ER", "Glasgow": "G1 3SL", "Liverpool": "L1 8JQ",
    "Brighton": "BN1 1HB", "Oxford": "OX1 3BH", "Cambridge": "CB2 3NE", "York": "YO1 8RS",
    "Bath": "BA1 1SX", "Cardiff": "CF10 1FU", "Nottingham": "NG1 2GF", "Norwich": "NR2 1NY",
    "Exeter": "EX4 3LS",
}  # fmt: skip


def shop_address(country: str, city: str, account_number: str, name: str) -> Address:
    """A shop address in ``city``: a common street of the country's language, a house
    number, the city centre's postal code."""
    rng = random.Random(f"address:{account_number}:{name}")
    street = rng.choice(STREETS[country])
    number = str(rng.randint(1, 140))
    if country in NUMBER_FIRST:
        line = f"{number} {street}"
    else:
        line = f"{street} {number}" if rng.random() < 0.85 else f"{street} {number}a"
    return Address(line, POSTAL_CODES[city], city)
