"""The review protocol: typed models, the rule language and the TOML loader."""

from livingreview.protocol.loader import ProtocolError, load_protocol, parse_protocol
from livingreview.protocol.models import Criterion, Protocol, Source, Term, Vocabulary

__all__ = [
    "Criterion",
    "Protocol",
    "ProtocolError",
    "Source",
    "Term",
    "Vocabulary",
    "load_protocol",
    "parse_protocol",
]
