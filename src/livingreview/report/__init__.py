"""The report stage's output layer: the PRISMA 2020 flow diagram, the PRISMA 2020 checklist and
PRISMA-S table, the methods paragraph, and the self-contained HTML report.

It takes plain typed inputs (counts, rows, figure files, text) and reads nothing from the store,
so the caller decides where the numbers come from (the review's log) and this layer only checks
and draws them.
"""

from livingreview.report.checklist import (
    NOT_KNOWN,
    ChecklistEntry,
    ChecklistItem,
    SearchReport,
    checklist_items,
    fill_checklist,
    prisma_s_rows,
)
from livingreview.report.html import (
    NOT_YET_AVAILABLE,
    ChangesSinceLast,
    Figure,
    ReportInputs,
    render_report,
)
from livingreview.report.methods import CITATIONS, MethodsFacts, MethodsText, SourceUse, methods_text
from livingreview.report.prisma import (
    OtherMethods,
    PreviousVersion,
    PrismaCountError,
    PrismaCounts,
    flow_diagram_svg,
    write_flow_diagram,
)

__all__ = [
    "CITATIONS",
    "NOT_KNOWN",
    "NOT_YET_AVAILABLE",
    "ChangesSinceLast",
    "ChecklistEntry",
    "ChecklistItem",
    "Figure",
    "MethodsFacts",
    "MethodsText",
    "OtherMethods",
    "PreviousVersion",
    "PrismaCountError",
    "PrismaCounts",
    "ReportInputs",
    "SearchReport",
    "SourceUse",
    "checklist_items",
    "fill_checklist",
    "flow_diagram_svg",
    "methods_text",
    "prisma_s_rows",
    "render_report",
    "write_flow_diagram",
]
