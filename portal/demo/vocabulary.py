"""Words the demo generator draws from. Brand, model and shop names are invented."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Market:
    """A country the demo distributor sells in."""

    country: str
    currency: str
    weight: int  # share of accounts
    cities: tuple[str, ...]
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    shop_names: tuple[str, ...]  # patterns with {last}, {city}, {place}
    chain_names: tuple[str, ...]
    places: tuple[str, ...]


_GERMAN_FIRST = (
    "Anna", "Lena", "Mia", "Laura", "Julia", "Sarah", "Katharina", "Sabine", "Petra",
    "Claudia", "Johanna", "Franziska", "Monika", "Birgit", "Thomas", "Michael", "Andreas",
    "Stefan", "Markus", "Jan", "Felix", "Lukas", "Tobias", "Florian", "Matthias",
    "Christian", "Daniel", "Sebastian",
)  # fmt: skip
_GERMAN_LAST = (
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
    "Schulz", "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
    "Schwarz", "Braun", "Zimmermann", "Krüger", "Hartmann", "Lange", "Werner", "Krause",
    "Lehmann", "Köhler", "Maier", "Huber", "Kaiser", "Fuchs", "Lorenz", "Berger", "Frank",
    "Roth", "Beck", "Winkler", "Gruber", "Pichler", "Steiner", "Moser", "Hofer", "Leitner",
)  # fmt: skip
_GERMAN_SHOPS = (
    "Optik {last}", "Augenoptik {last}", "Brillen {last}", "{last} Optik & Hörakustik",
    "Optik am {place}", "Brillenhaus {city}", "Sehzentrum {last}", "Optik {last} & Sohn",
    "Brillenstudio {last}", "Augenoptik am {place}",
)  # fmt: skip
_GERMAN_CHAINS = (
    "Klarblick Optik GmbH", "Sichtwerk Augenoptik GmbH", "Brillenwelt {city} GmbH",
    "Augenweide Optik-Gruppe", "Fernsicht Optik GmbH",
)  # fmt: skip
_GERMAN_PLACES = ("Markt", "Dom", "Rathaus", "Schlossplatz", "Ring", "Theater", "Hafen")

MARKETS: tuple[Market, ...] = (
    Market(
        "DE", "EUR", 40,
        ("Berlin", "Hamburg", "Köln", "Düsseldorf", "Leipzig", "Dresden", "Hannover",
         "Bremen", "Münster", "Kiel", "Rostock", "Bonn", "Lübeck", "Erfurt", "Potsdam",
         "München", "Frankfurt am Main", "Stuttgart", "Nürnberg", "Freiburg", "Heidelberg",
         "Regensburg", "Augsburg", "Würzburg", "Mainz"),
        _GERMAN_FIRST, _GERMAN_LAST, _GERMAN_SHOPS, _GERMAN_CHAINS, _GERMAN_PLACES,
    ),
    Market(
        "AT", "EUR", 12,
        ("Wien", "Graz", "Linz", "Salzburg", "Innsbruck", "Klagenfurt", "Villach", "Wels",
         "St. Pölten", "Dornbirn"),
        _GERMAN_FIRST, _GERMAN_LAST, _GERMAN_SHOPS, _GERMAN_CHAINS, _GERMAN_PLACES,
    ),
    Market(
        "CH", "CHF", 10,
        ("Zürich", "Bern", "Basel", "Luzern", "St. Gallen", "Winterthur", "Zug", "Aarau",
         "Thun", "Chur"),
        _GERMAN_FIRST, _GERMAN_LAST, _GERMAN_SHOPS, _GERMAN_CHAINS, _GERMAN_PLACES,
    ),
    Market(
        "FR", "EUR", 18,
        ("Paris", "Lyon", "Marseille", "Toulouse", "Bordeaux", "Lille", "Nantes",
         "Strasbourg", "Montpellier", "Rennes", "Nice", "Grenoble", "Dijon", "Reims",
         "Annecy", "Tours"),
        ("Camille", "Chloé", "Léa", "Manon", "Julie", "Sophie", "Claire", "Isabelle",
         "Nathalie", "Émilie", "Céline", "Pierre", "Julien", "Nicolas", "Antoine", "Mathieu",
         "Laurent", "Olivier", "Sébastien", "Hugo", "Louis"),
        ("Martin", "Bernard", "Dubois", "Robert", "Richard", "Petit", "Durand", "Leroy",
         "Moreau", "Simon", "Lefebvre", "Michel", "Bertrand", "Roux", "Vincent", "Fournier",
         "Morel", "Girard", "Mercier", "Dupont", "Lambert", "Bonnet", "Fontaine", "Rousseau",
         "Blanc"),
        ("Optique {last}", "{last} Opticiens", "Optique du {place}", "Lunetterie {last}",
         "Atelier Optique {city}", "L'Œil de {city}", "Optique {last} & Fils"),
        ("Optique Horizon SAS", "Regard Clair SARL", "Les Opticiens du {city}"),
        ("Centre", "Marché", "Port", "Parc", "Théâtre", "Vieux Quartier"),
    ),
    Market(
        "NL", "EUR", 5,
        ("Amsterdam", "Rotterdam", "Utrecht", "Den Haag", "Eindhoven", "Groningen",
         "Haarlem", "Maastricht"),
        ("Daan", "Sem", "Lucas", "Thijs", "Ruben", "Bram", "Emma", "Sanne", "Lotte", "Eva",
         "Femke", "Anouk", "Pieter", "Joris", "Koen", "Lieke"),
        ("de Jong", "Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit",
         "Meijer", "de Boer", "Mulder", "Dekker", "Bos"),
        ("Optiek {last}", "{last} Optiek", "Brillenhuis {city}", "Oogzorg {last}"),
        ("Helderzicht Optiek B.V.",),
        ("Markt", "Haven", "Dam"),
    ),
    Market(
        "BE", "EUR", 3,
        ("Antwerpen", "Gent", "Brugge", "Leuven", "Hasselt", "Mechelen"),
        ("Daan", "Lucas", "Emma", "Lotte", "Pieter", "Joris", "Koen", "Lieke", "Noor"),
        ("Peeters", "Janssens", "Maes", "Jacobs", "Willems", "Claes", "Wouters", "Goossens"),
        ("Optiek {last}", "{last} Optiek", "Brillenhuis {city}", "Oogzorg {last}"),
        ("Helderzicht Optiek B.V.",),
        ("Markt", "Grote Markt", "Kouter"),
    ),
    Market(
        "GB", "GBP", 12,
        ("London", "Manchester", "Birmingham", "Leeds", "Bristol", "Edinburgh", "Glasgow",
         "Liverpool", "Brighton", "Oxford", "Cambridge", "York", "Bath", "Cardiff",
         "Nottingham", "Norwich", "Exeter"),
        ("Oliver", "George", "Harry", "Jack", "James", "William", "Thomas", "Emily",
         "Charlotte", "Sophie", "Olivia", "Amelia", "Grace", "Hannah", "Lucy", "Daniel",
         "Matthew", "Rebecca", "Rachel"),
        ("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Davies", "Robinson",
         "Wright", "Thompson", "Evans", "Walker", "Roberts", "Green", "Hall", "Wood",
         "Clarke", "Hughes", "Edwards", "Turner", "Cooper", "Ward", "Bennett", "Price"),
        ("{last} Opticians", "{last} & Daughters Optometrists", "{city} Eyecare",
         "The Spectacle Shop", "{last} Eyewear", "Eyes on the {place}"),
        ("Brightside Opticians Ltd", "Clearwater Eyecare Ltd", "Vantage Vision Group"),
        ("High Street", "Green", "Square", "Quay"),
    ),
)  # fmt: skip

# Cities in the south of Germany belong to the DACH-south rep's territory.
SOUTH_GERMANY = frozenset(
    ("München", "Frankfurt am Main", "Stuttgart", "Nürnberg", "Freiburg", "Heidelberg",
     "Regensburg", "Augsburg", "Würzburg", "Mainz")
)  # fmt: skip


@dataclass(frozen=True)
class Brand:
    name: str
    code: str
    categories: tuple[tuple[str, int], ...]  # (category, weight)
    price_range: tuple[int, int]  # list price in EUR, whole euros
    model_words: tuple[str, ...]
    metal_share: float  # share of models in metal colours


_ITALIAN = ("Alba", "Bruno", "Cleo", "Dario", "Elio", "Fiora", "Giada", "Luca", "Marta", "Nico",
            "Paola", "Rocco", "Sera", "Tito", "Vela")  # fmt: skip
_NORDIC = ("Aske", "Bjørk", "Dal", "Fjord", "Hav", "Is", "Lys", "Mo", "Skog", "Tind", "Vik",
           "Storm")  # fmt: skip
_BRITISH = ("Ashby", "Bramley", "Camden", "Dorset", "Elgin", "Fenwick", "Greaves", "Harlow",
            "Kendal", "Ludlow", "Marden", "Pembroke", "Rydal", "Selby", "Whitby")  # fmt: skip
_FRENCH = ("Amélie", "Bastide", "Corniche", "Dune", "Estérel", "Riviera", "Soleil", "Palmier",
           "Calanque", "Mistral", "Azur", "Plage")  # fmt: skip
_NAUTICAL = ("Bosun", "Clipper", "Galley", "Harbour", "Keel", "Mariner", "Pier", "Schooner",
             "Tide", "Windward")  # fmt: skip
_SPORT = ("Apex", "Blitz", "Carve", "Dash", "Edge", "Flux", "Glide", "Pulse", "Rush", "Strata",
          "Vector", "Zephyr")  # fmt: skip
_KIDS = ("Bibi", "Coco", "Fips", "Juju", "Lolo", "Momo", "Nuni", "Pippa", "Tobi", "Zazu")

BRANDS: tuple[Brand, ...] = (
    Brand("Aurelo", "AUR", (("optical", 6), ("sun", 4)), (159, 289), _ITALIAN, 0.3),
    Brand("Fjellsyn", "FJS", (("optical", 8), ("sun", 2)), (139, 229), _NORDIC, 0.6),
    Brand("Marlow Row", "MRW", (("optical", 9), ("sun", 1)), (119, 199), _BRITISH, 0.2),
    Brand("Solenne", "SOL", (("sun", 8), ("optical", 2)), (99, 189), _FRENCH, 0.3),
    Brand("Brigantine", "BRG", (("sun", 7), ("sport", 3)), (89, 159), _NAUTICAL, 0.2),
    Brand("Kestrel Vane", "KSV", (("sport", 8), ("sun", 2)), (99, 179), _SPORT, 0.1),
    Brand("Pipolino", "PIP", (("kids", 10),), (59, 99), _KIDS, 0.1),
    Brand("Halvard & Co.", "HAL", (("optical", 9), ("sun", 1)), (189, 329), _NORDIC, 0.8),
    Brand("Tessaro", "TES", (("optical", 7), ("sun", 3)), (99, 169), _ITALIAN, 0.2),
    Brand("Nordkap", "NKP", (("sport", 5), ("sun", 5)), (79, 149), _SPORT, 0.1),
)

ACETATE_COLOURS = (
    "Havana", "Dark Havana", "Blonde Havana", "Matte Black", "Shiny Black", "Crystal Clear",
    "Crystal Rose", "Crystal Grey", "Grey Horn", "Tortoise", "Honey Tortoise", "Burgundy",
    "Olive", "Navy", "Ivory", "Champagne Crystal",
)  # fmt: skip
METAL_COLOURS = ("Gold", "Rose Gold", "Silver", "Gunmetal", "Matte Bronze", "Brushed Titanium")
SUN_LENSES = ("Green", "Grey", "Brown Gradient", "Grey Polarised", "Blue Mirror", "Pink Mirror")
SPORT_COLOURS = (
    "Matte Carbon / Red Mirror", "Matte Black / Smoke", "Neon Yellow / Grey", "Fire Orange",
    "Ice Blue / Silver Mirror", "Matte Olive / Bronze",
)  # fmt: skip
KIDS_COLOURS = (
    "Bubblegum Pink", "Mint", "Sky Blue", "Cherry Red", "Lilac", "Sunny Yellow", "Navy Stars",
)  # fmt: skip
