"""Retailer accounts, keyed by account number."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AccountStatus, RetailerAccount, Role, User
from portal.erp import fields
from portal.erp.base import Importer, Record, classify, duplicate_of
from portal.erp.fields import Column
from portal.erp.results import ErrorLog, ImportResult
from portal.erp.upsert import batched, fetch_existing, upsert

# CSV column → the table column it is stored in.
_STORED = {
    "name": "name",
    "country": "country",
    "currency": "currency",
    "sales_rep_email": "sales_rep_id",
    "region": "region",
    "status": "status",
    "street": "street",
    "postal_code": "postal_code",
    "city": "city",
    "vat_number": "vat_number",
    "tax_rate_percent": "tax_rate_percent",
}
_DECIMAL_PERCENT = fields.decimal(2, 3)


def percent(cell: str) -> Decimal:
    """A tax rate from 0 to 100 with at most two decimals."""
    value = _DECIMAL_PERCENT(cell)
    if value > 100:
        raise fields.FieldError(_("%(cell)s is more than 100 percent", cell=cell))
    return value


class AccountImporter(Importer):
    kind = "accounts"
    columns = (
        Column("account_number", fields.text(RetailerAccount.number)),
        Column("name", fields.text(RetailerAccount.name)),
        Column("country", fields.country),
        Column("currency", fields.currency),
        Column("sales_rep_email", fields.email, required=False),
        Column("region", fields.text(RetailerAccount.region), required=False),
        Column("status", fields.choice(AccountStatus), required=False),
        Column("street", fields.text(RetailerAccount.street), required=False),
        Column(
            "postal_code",
            fields.text(RetailerAccount.postal_code),
            required=False,
            aliases=("postcode", "zip", "zip_code"),
        ),
        Column("city", fields.text(RetailerAccount.city), required=False),
        Column("vat_number", fields.text(RetailerAccount.vat_number), required=False),
        Column("tax_rate_percent", percent, required=False),
    )

    def __init__(self, session: Session, present: frozenset[str]) -> None:
        super().__init__(session, present)
        self.seen: dict[str, int] = {}
        self.rep_ids: dict[str, int] = {}
        self.rep_problems: dict[str, str] = {}

    def check(self, chunk: list[tuple[int, Record]], errors: ErrorLog) -> None:
        self._load_reps({record.get("sales_rep_email") for _, record in chunk} - {None})
        for line, record in chunk:
            number = record["account_number"]
            if (first := duplicate_of(self.seen, number, line)) is not None:
                errors.add(
                    line,
                    "account_number",
                    _("account %(number)s is already on row %(first)s", number=number, first=first),
                )
            email = record.get("sales_rep_email")
            if email in self.rep_problems:
                errors.add(line, "sales_rep_email", self.rep_problems[email])

    def _load_reps(self, emails: set[str]) -> None:
        unknown = emails - self.rep_ids.keys() - self.rep_problems.keys()
        for batch in batched(unknown, 5000):
            query = select(User.email, User.id, User.role).where(User.email.in_(batch))
            for email, user_id, role in self.session.execute(query):
                if role == Role.SALES_REP:
                    self.rep_ids[email] = user_id
                else:
                    self.rep_problems[email] = _(
                        "%(email)s is a %(label)s user, not a sales rep",
                        email=email,
                        label=role.label,
                    )
        for email in unknown - self.rep_ids.keys() - self.rep_problems.keys():
            self.rep_problems[email] = _("no user has the e-mail %(email)s", email=email)

    def write(self, records: list[Record], result: ImportResult) -> None:
        table = RetailerAccount.__table__
        rows = [self._row(record) for record in records]
        update = [stored for column, stored in _STORED.items() if column in self.present]
        existing = fetch_existing(
            self.session, table, "number", update, (r["number"] for r in rows)
        )
        new, changed, unchanged = classify(rows, existing, "number", update)
        upsert(self.session, table, new + changed, key=["number"], update=update)
        result.created += len(new)
        result.updated += len(changed)
        result.unchanged += unchanged

    def _row(self, record: Record) -> Record:
        email = record.get("sales_rep_email")
        return {
            "number": record["account_number"],
            "name": record["name"],
            "country": record["country"],
            "currency": record["currency"],
            "sales_rep_id": self.rep_ids[email] if email else None,
            "region": record.get("region") or record["country"],
            "status": record.get("status") or AccountStatus.ACTIVE,
            "street": record.get("street") or "",
            "postal_code": record.get("postal_code") or "",
            "city": record.get("city") or "",
            "vat_number": record.get("vat_number") or None,
            "tax_rate_percent": record.get("tax_rate_percent") or Decimal(0),
        }
