"""Importers: one module per file format, registered as `livingreview.importers` entry points."""

from livingreview.importers.base import ImportFormatError, Importer, detect_format, get_importer, importer_names
from livingreview.importers.service import ImportResult, import_file

__all__ = [
    "ImportFormatError",
    "ImportResult",
    "Importer",
    "detect_format",
    "get_importer",
    "import_file",
    "importer_names",
]
