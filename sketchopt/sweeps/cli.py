"""Command-line options shared by ``python -m theory_checks`` and ``python -m figures``."""

from .executors import get_executor


def add_executor_arguments(parser, what, scheduler_note=""):
    """Add ``-j``, ``--executor`` and ``--scheduler`` to an argparse parser.

    Parameters
    ----------
    parser : argparse.ArgumentParser
    what : str
        What the units are, for the help text ("claims", "figures").
    scheduler_note : str
        Extra help for ``--scheduler``.
    """
    parser.add_argument("-j", "--jobs", type=int, default=None,
                        help="parallel workers (process pool, or a local Dask cluster)")
    parser.add_argument("--executor", choices=("serial", "process", "dask"),
                        help=f"where {what} run (default: process if -j > 1, else serial; "
                             "dask if --scheduler is given)")
    parser.add_argument("--scheduler", metavar="local|tcp://HOST:PORT",
                        help="dask only: start a LocalCluster or connect to a scheduler"
                             + scheduler_note)


def executor_from_args(parser, args):
    """Validate the executor options and open the executor; errors go through ``parser``.

    Claims and figures are few and their run times differ widely, so each is its own task
    (``batch=1``).
    """
    if args.jobs is not None and args.jobs < 1:
        parser.error("-j must be >= 1")
    kind = args.executor or ("dask" if args.scheduler else
                             "process" if (args.jobs or 1) > 1 else "serial")
    if args.scheduler and kind != "dask":
        parser.error(f"--scheduler needs --executor dask (got --executor {kind})")
    try:
        return get_executor(kind, jobs=args.jobs, batch=1,
                            scheduler=(args.scheduler or "local") if kind == "dask" else None)
    except (ImportError, ValueError) as exc:
        parser.error(str(exc))
    except OSError as exc:  # includes timeouts reaching a remote scheduler
        parser.error(f"cannot reach the Dask scheduler {args.scheduler}: {exc}")
