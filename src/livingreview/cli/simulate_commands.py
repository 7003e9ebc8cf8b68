"""`simulate`: replay a labelled screening set through the ranker and measure the work saved."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from livingreview.cli._common import emit, json_option, progress

if TYPE_CHECKING:
    from livingreview.screening.simulate import LabelledSet, SimulationResult


@click.command("simulate")
@click.argument("data", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--seed", default=0, show_default=True, help="Seeds the prior draw and the ranker.")
@click.option("--prior", "prior_ids", default=None, metavar="ID,ID,...",
              help="Start from these records (the file's record_id values); default: one relevant and "
                   "one irrelevant record drawn by --seed.")
@click.option("--preset", default="default", show_default=True,
              help="The ranking preset (screening/ranking/presets.toml); an unknown name lists the valid ones.")
# The default is the working directory, not DATA's folder: labelled sets often sit in read-only places.
@click.option("--out", "out_dir", default=Path("."), show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Where to write the recall curve PNG.")
@json_option
def simulate_command(data: Path, seed: int, prior_ids: str | None, preset: str, out_dir: Path,
                     as_json: bool) -> None:
    """Replay the labelled set DATA (CSV: record_id, title, abstract, label_included) through the ranker.

    The prior records count as screened. Reports WSS@95, WSS@100, recall at 10% screened, ERF
    (extra relevant found at 10%) and the time per ranking iteration, and plots the recall curve.
    """
    # Imported here so that every other command starts without loading scikit-learn.
    from livingreview.screening.simulate import draw_priors, read_labelled_csv, simulate

    labelled = read_labelled_csv(data)
    priors = labelled.index_of(_split_ids(prior_ids)) if prior_ids else draw_priors(labelled.labels, seed)
    with progress(not as_json) as bar:
        features = bar.add_task("ranker features", total=None)
        task = bar.add_task(f"simulate {data.name}", total=labelled.n_relevant, start=False)

        def screened(found: int, _screened: int) -> None:
            bar.update(features, visible=False)  # computed once the first ranking has run
            bar.start_task(task)
            bar.update(task, completed=found)

        result = simulate(
            labelled, priors, preset=preset, seed=seed, on_iteration=screened,
            on_features=lambda what, done, total: bar.update(features, description=what, completed=done, total=total))
    figure_path = out_dir / f"{data.stem}-recall-seed{seed}.png"
    if result.fallback_reason:
        click.echo(f"note: {result.fallback_reason}", err=True)
    plot_recall_curve(labelled, result, figure_path, result.preset)
    payload: dict[str, Any] = {
        "data": str(data), "preset": preset, "seed": seed,
        "prior_record_ids": [labelled.record_ids[i] for i in priors],
        **result.figures(), "recall_curve_png": str(figure_path),
    }
    emit(payload, as_json, _render)


def _split_ids(text: str) -> list[str]:
    ids = [part.strip() for part in text.split(",") if part.strip()]
    if not ids:
        raise click.BadParameter("expected record ids separated by commas", param_hint="--prior")
    return ids


def plot_recall_curve(labelled: LabelledSet, result: SimulationResult, path: Path, preset: str) -> None:
    import matplotlib

    matplotlib.use("Agg")  # files only: never open a window
    import matplotlib.pyplot as plt

    from livingreview.screening import metrics

    n_total, n_relevant = len(labelled.labels), labelled.n_relevant
    screened, recall = metrics.recall_curve(result.order_labels, n_total, n_relevant)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure, axes = plt.subplots(figsize=(6, 4.5))
    axes.step(screened, recall, where="post", label=f"ranked ({preset})")
    axes.plot([0, n_total], [0, 1], linestyle="--", color="grey", label="random order (expected)")
    axes.axhline(0.95, color="tab:red", linewidth=0.8, linestyle=":", label="95% recall")
    axes.set_xlabel("records screened")
    axes.set_ylabel("share of relevant records found")
    axes.set_title(f"{Path(labelled.source).name}: {n_relevant} relevant of {n_total}")
    axes.set_xlim(0, n_total)
    axes.set_ylim(0, 1.02)
    axes.legend(loc="lower right")
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def _render(payload: dict[str, Any]) -> None:
    def share(value: float | None) -> str:
        return "not reached" if value is None else f"{value:.3f}"

    click.echo(f"{payload['data']}: {payload['records']} records, {payload['relevant']} relevant; "
               f"priors {', '.join(payload['prior_record_ids'])}")
    click.echo(f"WSS@95 {share(payload['wss@95'])}  WSS@100 {share(payload['wss@100'])}  "
               f"recall@10% {payload['recall@10%']:.3f}  ERF@10% {payload['erf@10%']:.3f}")
    click.echo(f"ranked by preset '{payload['preset_used']}'"
               + (f" ({payload['fallback_reason']})" if payload["fallback_reason"] else ""))
    click.echo(f"{payload['iterations']} ranking iterations, "
               f"{payload['seconds_per_iteration'] * 1000:.1f} ms each; "
               f"recall curve: {payload['recall_curve_png']}")


COMMANDS = (simulate_command,)
