"""``python -m theory_checks report RESULTS.json [NEW.json] --out DIR``."""

import argparse
import sys

from .build import build_report, load_run


def main(argv=None):
    """Build a report from one results file, or compare two (the second is shown)."""
    parser = argparse.ArgumentParser(
        prog="python -m theory_checks report",
        description="Build the HTML claims report from saved JSON results (written by "
                    "--json). With two files A B, the page shows B and starts with what "
                    "changed since A.")
    parser.add_argument("results", nargs="+", metavar="JSON",
                        help="one results file, or two: the baseline then the new run")
    parser.add_argument("--out", required=True, metavar="DIR", help="report folder")
    parser.add_argument("--figures", default="figures_out", metavar="DIR",
                        help="folder of PNGs from 'python -m figures' to reuse (default "
                             "figures_out); figures not there are rendered in quick mode")
    parser.add_argument("--no-figures", action="store_true",
                        help="do not embed figures (faster)")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    args = parser.parse_args(argv)
    if len(args.results) > 2:
        parser.error("give one results file, or two to compare (baseline, then new)")
    try:
        runs = [load_run(p) for p in args.results]
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    baseline, run = (runs[0], runs[1]) if len(runs) == 2 else (None, runs[0])
    index = build_report(run, args.out, baseline=baseline, figures=not args.no_figures,
                         figures_from=args.figures, progress=not args.quiet)
    print(f"report: {index}")
    return 0
