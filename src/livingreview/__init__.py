"""livingreview: living systematic reviews of clinical evidence, end to end."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from livingreview.project import Review
    from livingreview.protocol import Protocol, ProtocolError, load_protocol
    from livingreview.records import Record

# Imported on first use: `Review` pulls in every stage (numpy, scipy, scikit-learn), which the
# command line must not pay for before it knows which command runs.
_LAZY = {"Review": "livingreview.project", "Protocol": "livingreview.protocol",
         "ProtocolError": "livingreview.protocol", "load_protocol": "livingreview.protocol",
         "Record": "livingreview.records"}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'livingreview' has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value


__all__ = ["Protocol", "ProtocolError", "Record", "Review", "__version__", "load_protocol"]
