"""``run_sweep``: reuse finished units, run the rest on an executor, store each result."""

import time
from dataclasses import dataclass, field

from .executors import SerialExecutor
from .progress import Progress
from .store import canonical, fn_name, normalize


@dataclass(frozen=True)
class UnitFailure:
    """A unit that produced no result, with the parameters needed to rerun it alone."""
    index: int
    params: dict
    type: str
    message: str
    traceback: str = ""

    def __str__(self):
        return f"unit {self.index} {self.params}: {self.type}: {self.message}"


@dataclass
class SweepResult:
    """Results in unit order (``None`` where a unit failed) and what happened to each unit.

    Attributes
    ----------
    results : list
        ``fn(**unit)`` per unit, in the order of ``units`` (dicts of arrays stay dicts of
        arrays; other results are in their JSON form).
    failures : list of UnitFailure
    computed, reused : int
        Units run now and units taken from the store.
    corrupt : int
        Stored files found partial or corrupt (and recomputed).
    seconds : float
        Wall time of the sweep.
    """
    results: list
    failures: list = field(default_factory=list)
    computed: int = 0
    reused: int = 0
    corrupt: int = 0
    seconds: float = 0.0

    @property
    def ok(self):
        return not self.failures

    def raise_failures(self):
        """Raise ``RuntimeError`` listing every failed unit with its parameters."""
        if self.failures:
            lines = "\n".join(f"  {f}" for f in self.failures)
            raise RuntimeError(f"{len(self.failures)} of {len(self.results)} units failed:\n"
                               f"{lines}")
        return self


def run_sweep(fn, units, executor=None, store=None, progress=True, label=None,
              on_result=None):
    """Run ``fn(**unit)`` for every unit, reusing and filling a result store.

    Parameters
    ----------
    fn : callable
        A module-level function (workers import it by name) that depends only on its
        keyword arguments, including any ``seed``.
    units : iterable of dict
        Keyword arguments of each unit (JSON-like values).
    executor : Executor, optional
        From :func:`get_executor`; default serial in this process.
    store : ResultStore, optional
        Finished units are read from and written to it (each as soon as it arrives, so an
        interrupted sweep loses only the units in flight). ``None``: nothing is cached.
    progress : bool or Progress
        Show finished/total and ETA on stderr.
    label : str, optional
        Progress label (default: the function name).
    on_result : callable, optional
        ``on_result(index, ok, value)`` after each unit, e.g. to stop early by raising.

    Returns
    -------
    SweepResult
        Never raises for a failing unit; see ``failures`` and ``raise_failures()``.
    """
    name = fn_name(fn)
    units = list(units)
    for k, u in enumerate(units):
        if not isinstance(u, dict):
            raise ValueError(f"units[{k}] must be a dict of keyword arguments, "
                             f"got {type(u).__name__}")
        canonical(u)  # parameters must be hashable into a key before any work starts
    t0 = time.perf_counter()
    out = SweepResult([None] * len(units))
    corrupt0 = len(store.corrupt) if store is not None else 0
    bar = progress if isinstance(progress, Progress) else Progress(
        len(units), label or name.split(":")[-1], enabled=bool(progress))
    todo = []
    for i, u in enumerate(units):
        hit, value = store.get(fn, u) if store is not None else (False, None)
        if hit:
            out.results[i] = value
            out.reused += 1
            bar.update(reused=True)
        else:
            todo.append(i)
    executor = SerialExecutor() if executor is None else executor
    stream = executor.map_units(fn, [units[i] for i in todo])
    try:
        for j, ok, value in stream:
            i = todo[j]
            if ok:
                try:
                    value = normalize(value)
                    if store is not None:
                        store.put(fn, units[i], value)
                except ValueError as exc:  # an unstorable result is this unit's failure
                    ok, value = False, exc
            if ok:
                out.results[i] = value
                out.computed += 1
            else:
                err_type = getattr(value, "type", type(value).__name__)
                err_msg = getattr(value, "message", str(value))
                out.failures.append(UnitFailure(i, units[i], err_type, err_msg,
                                                getattr(value, "traceback", "")))
            bar.update(failed=not ok)
            if on_result is not None:
                on_result(i, ok, value)
    finally:
        stream.close()  # cancels units still queued if we stop early (error, Ctrl-C)
        bar.close()
        out.corrupt = (len(store.corrupt) - corrupt0) if store is not None else 0
        out.seconds = time.perf_counter() - t0
    out.failures.sort(key=lambda f: f.index)
    return out
