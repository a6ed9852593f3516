"""What a report says about the run: machine, package versions, date, wall time, git revision."""

import os
import platform
import subprocess
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

PACKAGES = ("sketchopt", "numpy", "scipy", "numba", "matplotlib", "threadpoolctl", "dask",
            "scikit-learn")


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _versions():
    out = {}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue  # optional packages are simply not listed
    return out


def git_revision(path=None):
    """``{"revision", "branch", "dirty"}`` of the checkout holding ``path``, or None.

    Parameters
    ----------
    path : str or Path, optional
        A file or folder inside the checkout (default: this package's folder).
    """
    path = Path(path or Path(__file__).resolve().parent)
    if path.is_file():
        path = path.parent

    def git(*args):
        return subprocess.run(["git", "-C", str(path), *args], capture_output=True, text=True,
                              timeout=10, check=True).stdout.strip()
    try:
        rev = git("rev-parse", "HEAD")
        branch = git("rev-parse", "--abbrev-ref", "HEAD")
        dirty = bool(git("status", "--porcelain", "--untracked-files=no"))
    except (OSError, subprocess.SubprocessError):
        return None  # not a checkout (an installed wheel) or no git: the report says so
    return {"revision": rev, "branch": branch, "dirty": dirty}


def run_metadata(mode, wall_seconds=None, executor=None, argv=None):
    """A JSON-ready description of the run, stored beside the claims in ``--json`` output.

    Parameters
    ----------
    mode : str
        ``"quick"`` or ``"full"``.
    wall_seconds : float, optional
        Wall time of the claim runs (broken variants and the report itself excluded).
    executor : sketchopt.sweeps.Executor, optional
        Its kind and number of workers are recorded.
    argv : list of str, optional
        The command-line arguments.

    Returns
    -------
    dict
    """
    return {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "mode": mode,
        "wall_seconds": wall_seconds,
        "machine": {"cpu": _cpu_model(), "cpus": os.cpu_count(), "arch": platform.machine(),
                    "system": platform.platform(), "python": platform.python_version()},
        "packages": _versions(),
        "git": git_revision(),
        "executor": getattr(executor, "kind", None),
        "jobs": getattr(executor, "jobs", None),
        "command": None if argv is None else "python -m theory_checks " + " ".join(argv),
    }
