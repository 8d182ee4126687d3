"""Demo staff, retailer accounts with their users, warehouses and return addresses."""

from __future__ import annotations

import random
import unicodedata
import zlib
from dataclasses import dataclass, field
from decimal import Decimal

from models import AccountStatus, Role
from portal.demo.addresses import Address, shop_address
from portal.demo.vocabulary import BRANDS, MARKETS, SOUTH_GERMANY, Market

# Subdomains of example.com: reserved for examples (RFC 2606), yet accepted by the
# email-validator package the admin forms use, which refuses .test addresses.
DOMAIN = "nordwind.example.com"


def retailer_domain(account_number: str) -> str:
    return f"{account_number.lower()}.example.com"


REGIONS = {
    "DE": "DE",
    "AT": "AT",
    "CH": "CH",
    "FR": "FR",
    "NL": "BENELUX",
    "BE": "BENELUX",
    "GB": "UK",
}
EXCHANGE_RATES = {"EUR": Decimal("1"), "GBP": Decimal("0.86"), "CHF": Decimal("0.95")}


@dataclass(frozen=True)
class Staff:
    key: str
    name: str
    email: str
    role: Role
    locale: str | None = None  # None: the browser's language (the distributor sets none)
    time_zone: str | None = None  # None: the distributor's


_LONDON = {"locale": "en", "time_zone": "Europe/London"}
STAFF = (
    Staff("admin", "Katrin Vogel", f"admin@{DOMAIN}", Role.ADMIN),
    Staff("admin2", "Martin Scholz", f"martin.scholz@{DOMAIN}", Role.ADMIN, "de"),
    Staff("north", "Jonas Weber", f"jonas.weber@{DOMAIN}", Role.SALES_REP),
    Staff("south", "Lea Huber", f"lea.huber@{DOMAIN}", Role.SALES_REP, "de"),
    Staff("west", "Camille Laurent", f"camille.laurent@{DOMAIN}", Role.SALES_REP, "fr"),
    Staff("uk", "Oliver Hughes", f"oliver.hughes@{DOMAIN}", Role.SALES_REP, **_LONDON),
    Staff("central", "Lukas Brandt", f"lukas.brandt@{DOMAIN}", Role.WAREHOUSE),
    Staff("ukwh", "Priya Shah", f"priya.shah@{DOMAIN}", Role.WAREHOUSE, **_LONDON),
)
# What an account's users read unless they choose: the shop's country's language (Dutch
# is not offered yet: Dutch shops get their browser's).
ACCOUNT_LANGUAGES = {"DE": "de", "AT": "de", "CH": "de", "FR": "fr", "BE": "fr", "GB": "en"}

# The account the demo logins show: fixed, whatever the seed, and in the listed rep's patch.
SHOWCASE_NUMBER = "C10001"
SHOWCASE_USER = ("Mia", "Schneider")


@dataclass
class AccountSpec:
    number: str
    name: str
    country: str
    currency: str
    region: str
    rep: str  # Staff.key
    status: AccountStatus
    chain: bool
    weight: float  # relative order volume
    discount: Decimal  # off list price
    brands: tuple[int, ...]  # indices into BRANDS it carries
    address: Address  # the shop's, printed as the sender on its return labels
    users: list[tuple[str, str]] = field(default_factory=list)

    @property
    def price_factor(self) -> Decimal:
        return (1 - self.discount) * EXCHANGE_RATES[self.currency]

    def row(self, rep_ids: dict[str, int]) -> dict:
        return {
            "number": self.number,
            "name": self.name,
            "country": self.country,
            "currency": self.currency,
            "sales_rep_id": rep_ids[self.rep],
            "region": self.region,
            "status": self.status,
            "street": self.address.street,
            "postal_code": self.address.postal_code,
            "city": self.address.city,
            "vat_number": vat_number(self.country, self.number),
            "tax_rate_percent": tax_rate(self.country),
            "locale": ACCOUNT_LANGUAGES.get(self.country),
        }

    def user_rows(self, account_id: int, password_hash: str) -> list[dict]:
        return [
            {
                "email": email_address(first, last, retailer_domain(self.number)),
                "name": f"{first} {last}",
                "password_hash": password_hash,
                "role": Role.RETAILER,
                "account_id": account_id,
            }
            for first, last in self.users
        ]


# The demo distributor sits in Germany: German accounts pay German VAT; EU accounts are
# invoiced under the reverse charge and Swiss or British ones as exports (0 %).
DISTRIBUTOR = {
    "legal_name": "Nordwind Optik Vertrieb GmbH",
    "street": "Speicherstraße 12",
    "postal_code": "20457",
    "city": "Hamburg",
    "country": "DE",
    "vat_number": "DE287654321",
    "email": f"buchhaltung@{DOMAIN}",
    # Staff see Hamburg's time; their language is their own or their browser's.
    "time_zone": "Europe/Berlin",
}
DOMESTIC_VAT = {"DE": Decimal("19")}


def tax_rate(country: str) -> Decimal:
    return DOMESTIC_VAT.get(country, Decimal(0))


def vat_number(country: str, account_number: str) -> str:
    """A VAT number of the country's shape, derived from the account number (stable)."""
    digits = f"{zlib.crc32(account_number.encode()) % 10**9:09d}"
    prefix = {"CH": "CHE", "GR": "EL"}.get(country, country)
    return f"{prefix}{digits}"


def staff_rows(password_hash: str) -> list[dict]:
    return [
        {
            "email": s.email,
            "name": s.name,
            "password_hash": password_hash,
            "role": s.role,
            "locale": s.locale,
            "time_zone": s.time_zone,
        }
        for s in STAFF
    ]


def generate_accounts(rng: random.Random, count: int) -> list[AccountSpec]:
    weights = [market.weight for market in MARKETS]
    accounts = [_showcase(rng)]
    while len(accounts) < count:
        market = rng.choices(MARKETS, weights)[0]
        accounts.append(_account(rng, market, f"C{10001 + len(accounts)}"))
    return accounts[:count]


def _showcase(rng: random.Random) -> AccountSpec:
    return AccountSpec(
        number=SHOWCASE_NUMBER,
        name="Optik Sonnenschein, Berlin",
        country="DE",
        currency="EUR",
        region="DE",
        rep="north",
        status=AccountStatus.ACTIVE,
        chain=False,
        weight=3.0,
        discount=Decimal("0.42"),
        brands=tuple(sorted(rng.sample(range(len(BRANDS)), 6))),
        address=Address("Kastanienallee 32", "10435", "Berlin"),
        users=[SHOWCASE_USER, ("Jan", "Schneider")],
    )


def _account(rng: random.Random, market: Market, number: str) -> AccountSpec:
    city = rng.choice(market.cities)
    chain = rng.random() < 0.08
    pattern = rng.choice(market.chain_names if chain else market.shop_names)
    name = pattern.format(
        last=rng.choice(market.last_names), city=city, place=rng.choice(market.places)
    )
    users = _people(rng, market, rng.randint(2, 4) if chain else rng.choices((1, 2), (3, 1))[0])
    name = name if "{city}" in pattern else f"{name}, {city}"
    return AccountSpec(
        number=number,
        name=name,
        country=market.country,
        currency=market.currency,
        region=REGIONS[market.country],
        rep=_territory(market.country, city),
        status=AccountStatus.ON_HOLD if rng.random() < 0.04 else AccountStatus.ACTIVE,
        chain=chain,
        weight=rng.uniform(5, 9) if chain else rng.choice((0.6, 1, 1, 1.5, 2, 2.5)),
        discount=Decimal(rng.randint(48, 55) if chain else rng.randint(38, 47)) / 100,
        brands=tuple(
            sorted(
                rng.sample(range(len(BRANDS)), rng.randint(5, 8) if chain else rng.randint(2, 5))
            )
        ),
        address=shop_address(market.country, city, number, name),
        users=users,
    )


def _people(rng: random.Random, market: Market, count: int) -> list[tuple[str, str]]:
    people: list[tuple[str, str]] = []
    while len(people) < count:
        person = (rng.choice(market.first_names), rng.choice(market.last_names))
        if person not in people:
            people.append(person)
    return people


def _territory(country: str, city: str) -> str:
    if country == "DE":
        return "south" if city in SOUTH_GERMANY else "north"
    return {"AT": "south", "CH": "south", "GB": "uk"}.get(country, "west")


def email_address(first: str, last: str, domain: str) -> str:
    local = f"{_ascii(first)}.{_ascii(last)}"
    return f"{local}@{domain}"


def _ascii(text: str) -> str:
    for umlaut, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"), ("ø", "oe")):
        text = text.lower().replace(umlaut, spelled)
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain if ch.isalnum() or ch == "-")


WAREHOUSES = (
    {"code": "CEN", "name": "Central warehouse Kassel"},
    {"code": "UK", "name": "UK warehouse Northampton"},
)
_KASSEL = {
    "street": "Lilienthalstraße 12",
    "postal_code": "34123",
    "city": "Kassel",
    "country": "DE",
}
RETURN_ADDRESSES = (
    ("DE", "CEN", "Nordwind Eyewear GmbH, Retouren", _KASSEL),
    ("AT", "CEN", "Nordwind Eyewear GmbH, Retouren Österreich", _KASSEL),
    ("CH", "CEN", "Nordwind Eyewear c/o Grenzlogistik AG",
     {"street": "Zollweg 40", "postal_code": "4057", "city": "Basel", "country": "CH"}),
    ("FR", "CEN", "Nordwind Eyewear GmbH, Retours France", _KASSEL),
    ("BENELUX", "CEN", "Nordwind Eyewear GmbH, Retouren Benelux", _KASSEL),
    ("UK", "UK", "Nordwind Eyewear UK Ltd, Returns",
     {"street": "Unit 7, Moulton Park Way", "postal_code": "NN3 6AB", "city": "Northampton",
      "country": "GB"}),
)  # fmt: skip


def return_address_rows(warehouse_ids: dict[str, int]) -> list[dict]:
    return [
        {"region": region, "warehouse_id": warehouse_ids[code], "recipient": recipient, **address}
        for region, code, recipient, address in RETURN_ADDRESSES
    ]
