"""Executors: serial, local process pool and Dask distributed behind one interface.

``get_executor(kind, jobs, scheduler)`` returns an object with ``map_units(fn, units)`` that
yields ``(index, ok, value)`` as units finish (any order): ``value`` is ``fn(**units[index])``
when ``ok``, else a :class:`UnitError`. A unit that raises never stops the others. Every unit
runs with BLAS pinned to one thread (threadpoolctl), so a multi-threaded BLAS cannot change
summation order between executors, and with the legacy global RNGs seeded from the unit's key,
so results are bit-identical.
"""

import os
import sys
import traceback
import uuid
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass

KINDS = ("serial", "process", "dask")
INSTALL_HINT = "pip install sketchopt[distributed]"


@dataclass(frozen=True)
class UnitError:
    """Why a unit produced no result: the exception type, message and traceback text.

    ``type`` is ``"WorkerLost"`` when the unit's worker died more often than allowed.
    """
    type: str
    message: str
    traceback: str = ""

    def __str__(self):
        return f"{self.type}: {self.message}"


_PINNED = []


def _pin_blas_threads():
    """Limit BLAS/OpenMP pools of this worker process to one thread (once per process)."""
    if _PINNED:
        return
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # without threadpoolctl, OMP_NUM_THREADS=1 is the fallback
        _PINNED.append(None)
        return
    _PINNED.append(threadpool_limits(limits=1))


@contextmanager
def _blas_single_thread():
    """BLAS pinned to one thread inside the block only (the serial executor runs in the
    caller's process, whose settings must be restored)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        cm = nullcontext()
    else:
        cm = threadpool_limits(limits=1)
    with cm:
        yield


@contextmanager
def _seeded_global_rngs(fn, params):
    """Seed the legacy global RNGs (``numpy.random``, ``random``) from the unit's key for the
    duration of the unit, then restore them.

    Units should draw from their own ``seed``; this makes a unit that touches global state
    anyway (e.g. scikit-learn with ``random_state=None``) repeat itself on every executor
    instead of depending on what ran before it in the same worker.
    """
    import random

    import numpy as np

    from .store import unit_key
    key = unit_key(fn, params)
    np_state, py_state = np.random.get_state(), random.getstate()
    np.random.seed(int(key[:8], 16))
    random.seed(key)
    try:
        yield
    finally:
        np.random.set_state(np_state)
        random.setstate(py_state)


def call_unit(fn, params, pin=True):
    """Run ``fn(**params)`` in a worker; returns ``(True, result)`` or ``(False, UnitError)``."""
    if pin:
        _pin_blas_threads()
    try:
        with _seeded_global_rngs(fn, params):
            return True, fn(**params)
    except Exception as exc:  # reported with the unit's parameters by run_sweep
        return False, UnitError(type(exc).__name__, str(exc), traceback.format_exc())


def call_batch(fn, batch, pin=True):
    """Run several units in one task: ``[(True, result) | (False, UnitError), ...]``."""
    return [call_unit(fn, params, pin) for params in batch]


def auto_batch(n_units, jobs, tasks_per_worker=4):
    """Units per task so that each worker gets about ``tasks_per_worker`` tasks.

    Each Dask task costs a few ms of CPU in the client and scheduler, which on a 2-core
    machine is taken from the workers: a 200-point grid of 12 ms units ran 1.5x faster than
    serial in 40 tasks and 1.75x in 8. Few tasks suit many similar units; pass ``batch=1``
    for few, long or uneven units (claims, figures).
    """
    return max(1, n_units // (max(jobs, 1) * tasks_per_worker))


class Executor:
    """Common interface; use as a context manager so workers are shut down."""
    kind = None
    jobs = 1

    def map_units(self, fn, units):
        """Yield ``(index, ok, value)`` for each unit of ``units`` as it finishes."""
        raise NotImplementedError

    def close(self):
        """Release workers (a no-op for the serial executor)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        return f"{type(self).__name__}(jobs={self.jobs})"


class SerialExecutor(Executor):
    """Units one after the other in the calling process (the reference for equality)."""
    kind = "serial"

    def map_units(self, fn, units):
        with _blas_single_thread():
            for i, params in enumerate(units):
                ok, value = call_unit(fn, params, pin=False)
                yield i, ok, value


class ProcessExecutor(Executor):
    """A local pool of ``jobs`` processes (fork on Linux, so loaded kernels are shared).

    If a worker process dies, the pool is rebuilt and the units that were in flight are
    resubmitted, each at most ``retries`` times.
    """
    kind = "process"

    def __init__(self, jobs=None, retries=2):
        self.jobs = jobs or os.cpu_count() or 1
        self.retries = retries
        self._pool = None

    def _get_pool(self):
        if self._pool is None:
            import multiprocessing as mp
            ctx = mp.get_context("fork") if sys.platform.startswith("linux") else None
            self._pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=ctx,
                                             initializer=_pin_blas_threads)
        return self._pool

    def map_units(self, fn, units):
        units = list(units)
        attempts = [0] * len(units)
        pending = {}

        def submit(i):
            pending[self._get_pool().submit(call_unit, fn, units[i])] = i

        for i in range(len(units)):
            submit(i)
        try:
            while pending:
                done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
                lost = []
                for fut in done:
                    i = pending.pop(fut)
                    try:
                        ok, value = fut.result()
                    except BrokenProcessPool:
                        lost.append(i)
                        continue
                    except Exception as exc:  # e.g. a result that cannot be pickled back
                        ok, value = False, UnitError(type(exc).__name__, str(exc),
                                                     traceback.format_exc())
                    yield i, ok, value
                if not lost:
                    continue
                # a dead worker breaks the whole pool: drain it, then start a fresh one
                for fut, i in list(pending.items()):
                    try:
                        ok, value = fut.result()
                    except BrokenProcessPool:
                        lost.append(i)
                        continue
                    except Exception as exc:
                        ok, value = False, UnitError(type(exc).__name__, str(exc),
                                                     traceback.format_exc())
                    yield i, ok, value
                pending.clear()
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None
                for i in lost:
                    attempts[i] += 1
                    if attempts[i] > self.retries:
                        yield i, False, UnitError(
                            "WorkerLost", f"worker process died {attempts[i]} times")
                    else:
                        submit(i)
        finally:
            for fut in pending:
                fut.cancel()

    def close(self):
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def _import_distributed():
    try:
        import distributed
    except ImportError as exc:
        raise ImportError(f"the dask executor needs dask.distributed: {INSTALL_HINT}") from exc
    return distributed


class DaskExecutor(Executor):
    """Dask distributed: a ``LocalCluster`` (``scheduler="local"``), a running scheduler
    (``"tcp://host:port"``) or an existing ``distributed.Client``.

    Work units must be importable by name on the workers (module-level functions of an
    installed package). A unit whose worker dies is rescheduled by the scheduler (up to
    ``distributed.scheduler.allowed-failures`` times); ``retries`` is passed to
    ``Client.submit`` for errors raised outside the unit function itself. ``batch`` units
    go into one task (``"auto"``: about 4 tasks per worker, see :func:`auto_batch`), since
    each task costs a few milliseconds of scheduling that short units would otherwise pay
    one by one.
    """
    kind = "dask"

    def __init__(self, scheduler="local", jobs=None, retries=2, batch="auto"):
        distributed = _import_distributed()
        self.retries = retries
        self.batch = batch
        self._cluster = None
        self._own_client = True
        if isinstance(scheduler, distributed.Client):
            self.client, self._own_client = scheduler, False
        elif scheduler is None or scheduler == "local":
            import logging
            import dask
            # Loopback only; the scheduler's HTTP server (kept even without a dashboard)
            # takes a free port instead of 8787, which another cluster may hold. Dask's
            # nanny sets MALLOC_TRIM_THRESHOLD_=65536 in workers, which hands every freed
            # temporary array back to the OS: units that allocate many mid-sized arrays
            # (exact-moment recursions) ran ~1.4x slower than in a plain process, so the
            # local workers keep glibc's adaptive default. The statistical profiler samples
            # every running task's stack each 10 ms under the GIL; off, as nobody reads it.
            # Monitors that poll every 20-500 ms steal CPU from units on a small machine.
            with dask.config.set({"distributed.nanny.pre-spawn-environ."
                                  "MALLOC_TRIM_THRESHOLD_": None,
                                  "distributed.worker.profile.enabled": False,
                                  "distributed.admin.tick.interval": "1s",
                                  "distributed.admin.system-monitor.interval": "2s",
                                  "distributed.worker.memory.monitor-interval": "1s",
                                  "distributed.nanny.memory.monitor-interval": "1s"}):
                self._cluster = distributed.LocalCluster(
                    n_workers=jobs or os.cpu_count() or 1, threads_per_worker=1,
                    processes=True, host="127.0.0.1", dashboard_address=None,
                    silence_logs=logging.ERROR,
                    scheduler_kwargs={"dashboard_address": "127.0.0.1:0"})
            self.client = distributed.Client(self._cluster)
        elif isinstance(scheduler, str) and "://" in scheduler:
            self.client = distributed.Client(scheduler)
        else:
            raise ValueError(f"scheduler must be 'local', an address such as tcp://host:port "
                             f"or a distributed.Client, got {scheduler!r}")
        self.jobs = jobs or len(self.client.scheduler_info().get("workers", {})) or 1

    def __repr__(self):
        return f"DaskExecutor({self.client.scheduler.address!r}, jobs={self.jobs})"

    def map_units(self, fn, units):
        distributed = _import_distributed()
        units = list(units)
        size = auto_batch(len(units), self.jobs) if self.batch == "auto" else self.batch
        batches = [list(range(k, min(k + size, len(units))))
                   for k in range(0, len(units), size)]
        tag = uuid.uuid4().hex[:8]
        name = getattr(fn, "__name__", "unit")
        futures = [self.client.submit(call_batch, fn, [units[i] for i in b],
                                      key=f"{name}-{tag}-{k}", pure=False, retries=self.retries)
                   for k, b in enumerate(batches)]
        index = {f.key: k for k, f in enumerate(futures)}
        remaining = set(index)
        try:
            # results are gathered by the client's event loop (one round trip less per task)
            for fut, outcomes in distributed.as_completed(futures, with_results=True,
                                                          raise_errors=False):
                batch = batches[index[fut.key]]
                remaining.discard(fut.key)
                if isinstance(outcomes, distributed.KilledWorker):
                    outcomes = [(False, UnitError("WorkerLost", str(outcomes)))] * len(batch)
                elif isinstance(outcomes, BaseException):  # scheduler-side failure
                    err = UnitError(type(outcomes).__name__, str(outcomes))
                    outcomes = [(False, err)] * len(batch)
                fut.release()
                for i, (ok, value) in zip(batch, outcomes):
                    yield i, ok, value
        finally:
            left = [f for f in futures if f.key in remaining]
            if left:
                self.client.cancel(left)

    def close(self):
        if self._own_client:
            self.client.close()
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None


def get_executor(kind="process", jobs=None, scheduler=None, retries=2, batch="auto"):
    """An executor for work units.

    Parameters
    ----------
    kind : {"serial", "process", "dask"}
        Where units run: in this process, in a local process pool, or on Dask workers.
    jobs : int, optional
        Number of worker processes (``process``; ``dask`` with a local cluster). Default:
        the number of CPUs.
    scheduler : str or distributed.Client, optional
        Dask only: ``"local"`` (default) starts a LocalCluster of ``jobs`` single-threaded
        workers; ``"tcp://host:port"`` connects to a running scheduler.
    retries : int
        How often a unit whose worker died is resubmitted.
    batch : int or "auto"
        Dask only: units per task (``"auto"``: about 4 tasks per worker; use 1 for few,
        long or uneven units).

    Returns
    -------
    Executor
        Use it as a context manager; ``map_units(fn, units)`` yields ``(index, ok, value)``.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise ValueError(f"jobs must be a positive integer or None, got {jobs!r}")
    if not isinstance(retries, int) or retries < 0:
        raise ValueError(f"retries must be a non-negative integer, got {retries!r}")
    if batch != "auto" and (isinstance(batch, bool) or not isinstance(batch, int) or batch < 1):
        raise ValueError(f"batch must be a positive integer or 'auto', got {batch!r}")
    if scheduler is not None and kind != "dask":
        raise ValueError(f"scheduler is only used with kind='dask' (got kind={kind!r})")
    if kind == "serial":
        return SerialExecutor()
    if kind == "process":
        return ProcessExecutor(jobs, retries)
    return DaskExecutor(scheduler or "local", jobs, retries, batch)
