"""ERP integration: CSV import of accounts, products and orders."""

from portal.erp.importing import KINDS, import_csv
from portal.erp.reading import UploadDecodeError, decode_upload
from portal.erp.results import ImportResult, RowError

__all__ = [
    "KINDS",
    "ImportResult",
    "RowError",
    "UploadDecodeError",
    "decode_upload",
    "import_csv",
]
