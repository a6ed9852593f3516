"""A static HTML report of a theory-checks run (issue 14).

``python -m theory_checks ... --report DIR`` runs the claims and their broken variants and
writes ``DIR/index.html``; ``python -m theory_checks report A.json [B.json] --out DIR`` builds
the same page from saved results, with what changed since ``A`` when two are given.
"""

from .broken import run_broken_variants
from .build import build_report, load_run
from .diff import compare_runs
from .meta import run_metadata

__all__ = ["build_report", "load_run", "compare_runs", "run_broken_variants", "run_metadata"]
