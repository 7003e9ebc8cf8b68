"""livingreview: living systematic reviews of clinical evidence, end to end."""

__version__ = "0.1.0"

from livingreview.project import Review  # noqa: E402
from livingreview.protocol import Protocol, ProtocolError, load_protocol  # noqa: E402
from livingreview.records import Record  # noqa: E402

__all__ = ["Protocol", "ProtocolError", "Record", "Review", "__version__", "load_protocol"]
