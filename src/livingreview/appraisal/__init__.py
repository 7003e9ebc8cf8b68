"""Risk of bias: RoB 2 and ROBINS-I forms held as data, their algorithms, CSV import and plots.

`load_form("rob2" | "rob2-crossover" | "robins-i")` gives a checked `Form`; `appraise(form,
Assessment(...))` gives each domain's proposed and final judgement and the overall judgement;
`read_appraisal_csv` imports the official spreadsheet's layout; `traffic_light` and `summary_plot` draw
the robvis-style figures.
"""

from livingreview.appraisal.algorithms import (
    CONSIDER_HIGH,
    AnswerError,
    AppraisalResult,
    Assessment,
    DomainResult,
    Override,
    appraise,
    check_answers,
    group_answers,
    judge_domain,
    normalise_answer,
    overall_judgement,
)
from livingreview.appraisal.forms import ANSWER_CODES, BUILTIN_FORMS, Domain, Form, FormError, Question, load_form
from livingreview.appraisal.plots import (
    PlotDomain,
    PlotRow,
    rows_from_results,
    save_figure,
    summary_plot,
    traffic_light,
)
from livingreview.appraisal.spreadsheet import (
    Disagreement,
    ImportedRow,
    SpreadsheetError,
    SpreadsheetImport,
    parse_appraisal_csv,
    read_appraisal_csv,
)

__all__ = [
    "ANSWER_CODES", "BUILTIN_FORMS", "CONSIDER_HIGH", "AnswerError", "AppraisalResult", "Assessment",
    "Disagreement", "Domain", "DomainResult", "Form", "FormError", "ImportedRow", "Override",
    "PlotDomain", "PlotRow", "Question", "SpreadsheetError", "SpreadsheetImport", "appraise",
    "check_answers", "group_answers", "judge_domain", "load_form", "normalise_answer",
    "overall_judgement", "parse_appraisal_csv", "read_appraisal_csv", "rows_from_results", "save_figure",
    "summary_plot", "traffic_light",
]  # fmt: skip
