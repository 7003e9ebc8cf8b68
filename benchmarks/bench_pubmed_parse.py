"""PubMed XML parsing: our streaming parser against Biopython's Bio.Entrez, same files, same run.

    .venv/bin/python benchmarks/bench_pubmed_parse.py [--sizes 10000,50000,100000] [--biopython-max 10000]

For each size a PubmedArticleSet of that many distinct articles is built from the real efetch
fixtures (../shared/fixtures/pubmed) in a temporary folder. Each parser runs in its own
subprocess so that its peak resident memory (ru_maxrss) is its own. Prints throughput
(articles per CPU second of the parsing process, steady on a shared machine), the speed ratio (target: ours >= 3x Biopython) and peak memory per size (target:
ours flat as the file grows), and plots both.

Biopython 1.88's `Entrez.parse` refuses a PubmedArticleSet ("does not represent a list": the
DTD maps the set to a dictionary of lists), so the reference is `Entrez.read`, Biopython's way
to read efetch PubMed XML; it holds the whole file's records, which is why it only runs up to
--biopython-max articles (about 160 MB of memory per 1,000 articles of this mix).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _generate import FIXTURES, fixture_articles, write_pubmed_set  # noqa: E402

SPEED_TARGET = 3.0


def main() -> None:
    arguments = _arguments()
    from rich.console import Console

    console = Console(stderr=True, soft_wrap=True)
    articles = fixture_articles()
    console.print(f"{len(articles)} real fixture articles from {FIXTURES}")
    console.print(f"Bio.Entrez.parse on a PubmedArticleSet: {_entrez_parse_verdict()}")
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-pubmed-") as folder:
        for size in arguments.sizes:
            path = Path(folder) / f"pubmed-{size}.xml"
            with console.status(f"writing {size:,} articles"):
                write_pubmed_set(path, size, articles)
            row = {"articles": size, "file_mb": path.stat().st_size / 1e6}
            with console.status(f"ours: parsing {size:,} articles ({row['file_mb']:.0f} MB)"):
                row["ours"] = _run_worker("ours", path)
            if size <= arguments.biopython_max:
                with console.status(f"Biopython: reading {size:,} articles"):
                    row["biopython"] = _run_worker("biopython", path)
            path.unlink()
            rows.append(row)
            console.print(_describe(row))
    _report(rows)
    if arguments.plot:
        _plot(rows, arguments.plot)
        print(f"plot: {arguments.plot}")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=lambda text: [int(n) for n in text.split(",")],
                        default=[2_000, 10_000, 50_000, 100_000],
                        help="article counts to generate and parse (comma-separated)")
    parser.add_argument("--biopython-max", type=int, default=10_000,
                        help="largest size Biopython is run on (it holds every record in memory)")
    parser.add_argument("--plot", type=lambda text: Path(text) if text else None,
                        default=HERE / "out" / "pubmed_parse" / "pubmed_parse.png",
                        help="where to write the plot ('' to skip)")
    parser.add_argument("--worker", choices=("ours", "biopython"), help=argparse.SUPPRESS)
    parser.add_argument("file", nargs="?", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.worker:
        _worker(arguments.worker, arguments.file)
        sys.exit(0)
    return arguments


def _worker(kind: str, path: Path) -> None:
    """Runs in a fresh interpreter: parse `path`, print articles, seconds and memory as JSON."""
    if kind == "ours":
        from livingreview.importers.pubmed_xml import parse_pubmed_articles
    else:
        from Bio import Entrez
    baseline = _max_rss_mb()
    started, cpu_started = time.perf_counter(), time.process_time()
    if kind == "ours":
        count = sum(1 for _record in parse_pubmed_articles(path))
    else:
        with path.open("rb") as handle:
            result = Entrez.read(handle)
        count = len(result["PubmedArticle"]) + len(result["PubmedBookArticle"])
    cpu_seconds, seconds = time.process_time() - cpu_started, time.perf_counter() - started
    print(json.dumps({"count": count, "seconds": seconds, "cpu_seconds": cpu_seconds, "peak_mb": _max_rss_mb(),
                      "baseline_mb": baseline}))


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def _run_worker(kind: str, path: Path) -> dict[str, float]:
    finished = subprocess.run([sys.executable, __file__, "--worker", kind, str(path)],
                              capture_output=True, text=True, check=True)
    result = json.loads(finished.stdout)
    # CPU time, not wall time: the machine is shared, and a parser waiting for a core is not slower.
    result["rate"] = result["count"] / result["cpu_seconds"]
    return result


def _entrez_parse_verdict() -> str:
    from Bio import Entrez

    sample = next(iter(sorted(FIXTURES.glob("pubmed*.xml"))))
    try:
        with sample.open("rb") as handle:
            count = sum(1 for _record in Entrez.parse(handle))
    except ValueError as error:
        return f"refused ({error}); using Entrez.read"
    return f"works ({count} records from {sample.name})"


def _describe(row: dict) -> str:
    ours = row["ours"]
    text = (f"{row['articles']:>7,} articles {row['file_mb']:7.0f} MB | ours {ours['rate']:7,.0f}/s"
            f" peak {ours['peak_mb']:5.0f} MB (+{_growth(ours):.0f} parsing)")
    if "biopython" in row:
        bio = row["biopython"]
        text += (f" | Biopython {bio['rate']:6,.0f}/s peak {bio['peak_mb']:5.0f} MB (+{_growth(bio):.0f})"
                 f" | {ours['rate'] / bio['rate']:.1f}x")
    return text


def _growth(result: dict) -> float:
    """Peak memory above what the interpreter and the parser's imports already held."""
    return result["peak_mb"] - result["baseline_mb"]


def _report(rows: list[dict]) -> None:
    for row in rows:
        for kind in ("ours", "biopython"):
            if kind in row and row[kind]["count"] != row["articles"]:
                raise SystemExit(f"{kind} returned {row[kind]['count']} of {row['articles']} articles")
    print("articles,file_mb,ours_per_cpu_s,ours_peak_mb,ours_growth_mb,"
          "biopython_per_cpu_s,biopython_peak_mb,biopython_growth_mb,speed_ratio")
    for row in rows:
        ours, bio = row["ours"], row.get("biopython")
        print(f"{row['articles']},{row['file_mb']:.1f},{ours['rate']:.0f},{ours['peak_mb']:.0f},{_growth(ours):.1f},"
              + (f"{bio['rate']:.0f},{bio['peak_mb']:.0f},{_growth(bio):.1f},{ours['rate'] / bio['rate']:.2f}"
                 if bio else ",,,"))
    compared = [row for row in rows if "biopython" in row]
    if compared:
        largest = compared[-1]
        ratio = largest["ours"]["rate"] / largest["biopython"]["rate"]
        verdict = "meets" if ratio >= SPEED_TARGET else "MISSES"
        print(f"speed at {largest['articles']:,} articles: ours {ratio:.1f}x Biopython"
              f" ({verdict} the {SPEED_TARGET:.0f}x target)")
    first, last = rows[0], rows[-1]
    print(f"our peak memory from {first['articles']:,} to {last['articles']:,} articles:"
          f" {first['ours']['peak_mb']:.0f} -> {last['ours']['peak_mb']:.0f} MB"
          f" (parsing itself +{_growth(first['ours']):.0f} -> +{_growth(last['ours']):.0f} MB)"
          f" while the file grew {first['file_mb']:.0f} -> {last['file_mb']:.0f} MB")


def _plot(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path.parent.mkdir(parents=True, exist_ok=True)
    figure, (memory_axis, speed_axis) = plt.subplots(1, 2, figsize=(10, 4))
    for kind, label in (("ours", "livingreview (lxml iterparse)"), ("biopython", "Biopython Entrez.read")):
        measured = [row for row in rows if kind in row]
        sizes = [row["articles"] for row in measured]
        memory_axis.plot(sizes, [row[kind]["peak_mb"] for row in measured], marker="o", label=label)
        speed_axis.plot(sizes, [row[kind]["rate"] for row in measured], marker="o", label=label)
    memory_axis.plot([row["articles"] for row in rows], [row["file_mb"] for row in rows],
                     linestyle=":", color="grey", label="file size")
    memory_axis.set(xlabel="articles in file", ylabel="peak resident memory (MB)", yscale="log",
                    title="Memory")
    speed_axis.set(xlabel="articles in file", ylabel="articles per CPU second", title="Throughput")
    for axis in (memory_axis, speed_axis):
        axis.set_xscale("log")
        axis.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=120)


if __name__ == "__main__":
    main()
