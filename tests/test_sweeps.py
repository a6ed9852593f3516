"""Sweeps without Dask: result store, failure handling, process-pool retries, executor errors.

Unit functions are module-level so worker processes can import them by name; they count their
calls with files in a directory passed as a parameter (not globals, which workers do not share).
"""

import json
import os
import sys
import uuid
from pathlib import Path

import numpy as np
import pytest

from sketchopt.sweeps import ResultStore, get_executor, run_sweep, unit_key
from sketchopt.sweeps.progress import Progress


def _log_call(log_dir, tag):
    Path(log_dir).mkdir(parents=True, exist_ok=True)
    (Path(log_dir) / f"{tag}--{uuid.uuid4().hex}").touch()


def calls(log_dir, tag=None):
    """Number of recorded calls (of one unit tag, or all)."""
    if not Path(log_dir).exists():
        return 0
    names = [p.name.split("--")[0] for p in Path(log_dir).iterdir()]
    return len(names) if tag is None else names.count(tag)


def mc_unit(block, seed, log_dir, sleep=0.0, fail_block=-1):
    """A seed block of a small Monte Carlo: final SGD errors on a 3-d quadratic."""
    _log_call(log_dir, f"{block}")
    if block == fail_block:
        raise ValueError(f"block {block} is broken on purpose")
    if sleep:
        import time
        time.sleep(sleep)
    rng = np.random.default_rng(seed)
    A = np.diag([1.0, 2.0, 4.0])
    x = np.ones((50, 3))
    for _ in range(20):
        x = x - 0.1 * (x @ A + 0.3 * rng.standard_normal(x.shape))
    return {"err2": np.sum(x ** 2, axis=1), "block": np.int64(block)}


def dying_unit(a, log_dir):
    """Kills its worker process the first time it runs for ``a == 1`` (a lost worker)."""
    marker = Path(log_dir) / f"died-{a}"
    _log_call(log_dir, f"{a}")
    if a == 1 and not marker.exists():
        marker.touch()
        os._exit(3)
    return {"a2": np.float64(a) ** 2}


def units_for(log_dir, n=8, **extra):
    from sketchopt.stats import derive_seeds
    return [dict(block=k, seed=s, log_dir=str(log_dir), **extra)
            for k, s in enumerate(derive_seeds(7, n))]


def assert_same_results(a, b):
    assert len(a) == len(b)
    for x, y in zip(a, b):
        assert (x is None) == (y is None)
        if x is not None:
            assert sorted(x) == sorted(y)
            for k in x:
                assert x[k].dtype == y[k].dtype and np.array_equal(x[k], y[k])
                assert x[k].tobytes() == y[k].tobytes()  # bit for bit


def test_store_reuses_finished_units(tmp_path):
    units = units_for(tmp_path / "calls")
    store = ResultStore(tmp_path / "store")
    first = run_sweep(mc_unit, units, store=store, progress=False)
    assert first.ok and first.computed == 8 and first.reused == 0
    again = run_sweep(mc_unit, units, store=store, progress=False)
    assert again.computed == 0 and again.reused == 8
    assert calls(tmp_path / "calls") == 8
    assert_same_results(first.results, again.results)


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "other_unit", "empty"])
def test_corrupt_or_partial_files_are_recomputed(tmp_path, damage):
    log = tmp_path / "calls"
    units = units_for(log, n=4)
    store = ResultStore(tmp_path / "store")
    ref = run_sweep(mc_unit, units, store=store, progress=False)
    path = store.path(mc_unit, units[2])
    raw = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(raw[: len(raw) // 2])
    elif damage == "flip":  # a flipped byte inside the stored array data
        data = dict(np.load(path))
        data["err2"] = data["err2"].copy()
        data["err2"][0] += 1e-9
        np.savez(path.with_suffix(".tmp.npz"), **data)
        os.replace(path.with_suffix(".tmp.npz"), path)
    elif damage == "garbage":
        path.write_bytes(os.urandom(len(raw)))
    elif damage == "other_unit":  # a stale copy of another unit's file
        path.write_bytes(store.path(mc_unit, units[0]).read_bytes())
    else:
        path.write_bytes(b"")
    again = run_sweep(mc_unit, units, store=store, progress=False)
    assert again.corrupt == 1 and again.computed == 1 and again.reused == 3
    assert calls(log, "2") == 2 and calls(log) == 5
    assert_same_results(ref.results, again.results)
    assert store.get(mc_unit, units[2])[0]  # rewritten intact


def test_tmp_files_do_not_count_as_results(tmp_path):
    units = units_for(tmp_path / "calls", n=2)
    store = ResultStore(tmp_path / "store")
    path = store.path(mc_unit, units[0])
    path.parent.mkdir(parents=True)
    (path.parent / (path.stem + "abc.tmp")).write_bytes(b"half a write")
    res = run_sweep(mc_unit, units, store=store, progress=False)
    assert res.computed == 2 and res.reused == 0


def test_key_depends_on_params_seed_function_and_version():
    u = {"block": 0, "seed": 1, "log_dir": "x"}
    k = unit_key(mc_unit, u, "1.0")
    assert k == unit_key(mc_unit, dict(reversed(list(u.items()))), "1.0")  # order-free
    assert k == unit_key(mc_unit, dict(u, seed=np.int64(1)), "1.0")
    assert k != unit_key(mc_unit, dict(u, seed=2), "1.0")
    assert k != unit_key(mc_unit, u, "1.1")
    assert k != unit_key(dying_unit, u, "1.0")
    with pytest.raises(ValueError, match="module-level"):
        unit_key(lambda: 0, u)
    with pytest.raises(ValueError, match="JSON-like"):
        unit_key(mc_unit, {"x": object()})


@pytest.mark.parametrize("kind", ["serial", "process"])
def test_failing_unit_is_reported_with_its_params_and_others_survive(tmp_path, kind):
    log = tmp_path / "calls"
    units = units_for(log, n=6, fail_block=3)
    store = ResultStore(tmp_path / "store")
    with get_executor(kind, jobs=2) as ex:
        res = run_sweep(mc_unit, units, ex, store, progress=False)
    (fail,) = res.failures
    assert fail.index == 3 and fail.params == units[3] and fail.type == "ValueError"
    assert "broken on purpose" in fail.message and "Traceback" in fail.traceback
    assert res.results[3] is None and res.computed == 5
    assert all(res.results[i] is not None for i in (0, 1, 2, 4, 5))
    with pytest.raises(RuntimeError, match="'block': 3"):
        res.raise_failures()
    # the five good units are stored; a rerun only retries the failed one
    again = run_sweep(mc_unit, units, store=store, progress=False)
    assert again.reused == 5 and calls(log, "3") == 2


def test_process_pool_retries_units_of_a_lost_worker(tmp_path):
    log = tmp_path / "calls"
    units = [{"a": a, "log_dir": str(log)} for a in range(4)]
    with get_executor("process", jobs=2) as ex:
        res = run_sweep(dying_unit, units, ex, progress=False)
    assert res.ok, res.failures
    assert [float(r["a2"]) for r in res.results] == [0.0, 1.0, 4.0, 9.0]
    assert calls(log, "1") == 2  # died once, retried once


def test_serial_and_process_results_identical(tmp_path):
    units = units_for(tmp_path / "calls", n=6)
    serial = run_sweep(mc_unit, units, progress=False)
    with get_executor("process", jobs=2) as ex:
        par = run_sweep(mc_unit, units, ex, progress=False)
    assert_same_results(serial.results, par.results)


def test_json_results_round_trip(tmp_path):
    store = ResultStore(tmp_path)
    units = [{"claim_id": "BASE-1", "quick": True}]
    from theory_checks.cli import _run_one
    res = run_sweep(_run_one, units, store=store, progress=False)
    again = run_sweep(_run_one, units, store=store, progress=False)
    assert again.reused == 1 and again.results == res.results
    assert json.dumps(res.results)  # plain JSON types


def test_progress_line_counts_and_eta():
    import io
    buf = io.StringIO()
    bar = Progress(4, "demo", stream=buf, interval=0.0)
    bar.update(reused=True)
    bar.update()
    bar.update(failed=True)
    bar.update()
    bar.close()
    last = buf.getvalue().strip().splitlines()[-1]
    assert last.startswith("demo: 4/4 (100%), 1 reused, 1 FAILED") and "ETA 0s" in last


def test_executor_argument_errors(monkeypatch):
    with pytest.raises(ValueError, match="kind"):
        get_executor("threads")
    with pytest.raises(ValueError, match="jobs"):
        get_executor("process", jobs=0)
    with pytest.raises(ValueError, match="scheduler"):
        get_executor("process", scheduler="tcp://localhost:8786")
    with pytest.raises(ValueError, match="units\\[0\\]"):
        run_sweep(mc_unit, [[1, 2]], progress=False)
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if the extra were missing
    with pytest.raises(ImportError, match=r"pip install sketchopt\[distributed\]"):
        get_executor("dask")


def test_cli_rejects_scheduler_without_dask(capsys):
    from theory_checks.cli import main
    with pytest.raises(SystemExit):
        main(["--id", "BASE-1", "--executor", "process", "--scheduler", "local"])
    assert "--scheduler needs --executor dask" in capsys.readouterr().err


def test_seed_blocks_cover_runs_and_extend_stably():
    from sketchopt.sweeps import concat, seed_blocks
    small = seed_blocks(5, 2500, 1000, d=3)
    assert [u["n_runs"] for u in small] == [1000, 1000, 500] and all(u["d"] == 3 for u in small)
    big = seed_blocks(5, 4000, 1000, d=3)
    assert [u["seed"] for u in big[:3]] == [u["seed"] for u in small]  # stored blocks reused
    assert len({u["seed"] for u in big}) == 4
    with pytest.raises(ValueError, match="block_size"):
        seed_blocks(5, 10, 0)
    assert concat([{"x": [1.0]}, {"x": [2.0, 3.0]}], "x").tolist() == [1.0, 2.0, 3.0]
    with pytest.raises(ValueError, match="failed blocks"):
        concat([{"x": [1.0]}, None], "x")


def test_claim_of_a_lost_worker_is_a_fail_row():
    from sketchopt.sweeps import Executor, UnitError
    from theory_checks.cli import run_claims, select

    class LosesEverything(Executor):
        def map_units(self, fn, units):
            for i, _ in enumerate(units):
                yield i, False, UnitError("WorkerLost", "worker died 3 times")

    (row,) = run_claims(select(patterns=["BASE-1"]), progress=False, executor=LosesEverything())
    assert row["id"] == "BASE-1" and row["verdict"] == "FAIL" and "WorkerLost" in row["note"]


def test_figures_cli_on_a_process_pool(tmp_path, capsys, monkeypatch):
    from figures.cli import main
    monkeypatch.setenv("SKETCHOPT_CACHE", str(tmp_path / "other"))  # restored afterwards
    code = main(["base_sgd_quadratic", "auxinfo_toy", "--quick", "--out", str(tmp_path / "out"),
                 "-j", "2", "--cache", str(tmp_path / "cache")])
    assert code == 0
    assert {p.name for p in (tmp_path / "out").iterdir()} >= {
        "base_sgd_quadratic.png", "auxinfo_toy.pdf"}
    assert (tmp_path / "cache" / "figures").is_dir()
    assert "[2/2]" in capsys.readouterr().out
