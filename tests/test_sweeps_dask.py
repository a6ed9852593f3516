"""Sweeps on a real Dask LocalCluster (loopback, 2 single-threaded worker processes).

One cluster is shared by the module (start-up is the slow part); the interruption test starts
and kills a second one of its own.
"""

import json

import pytest

distributed = pytest.importorskip("distributed")

from sketchopt.sweeps import ResultStore, get_executor, run_sweep  # noqa: E402
from test_sweeps import assert_same_results, calls, dying_unit, mc_unit, units_for  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    import logging
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, host="127.0.0.1",
                                  silence_logs=logging.ERROR,
                                  scheduler_kwargs={"dashboard_address": "127.0.0.1:0"}) as c:
        yield c


class Stop(Exception):
    pass


def test_killed_cluster_resumes_without_recomputing(cluster, tmp_path):
    log = tmp_path / "calls"
    units = units_for(log, n=12, sleep=0.1)
    store = ResultStore(tmp_path / "store")
    seen = []

    def stop_after_four(i, ok, value):
        seen.append(i)
        if len(seen) == 4:
            raise Stop  # like Ctrl-C: the executor's cluster is shut down mid-sweep

    with pytest.raises(Stop):
        with get_executor("dask", scheduler="local", jobs=2) as ex:
            run_sweep(mc_unit, units, ex, store, progress=False, on_result=stop_after_four)
    finished = [i for i, u in enumerate(units) if store.path(mc_unit, u).exists()]
    assert sorted(finished) == sorted(seen) and len(finished) == 4

    with get_executor("dask", scheduler=cluster.scheduler_address) as ex:
        resumed = run_sweep(mc_unit, units, ex, store, progress=False)
    assert resumed.ok and resumed.reused == 4 and resumed.computed == 8
    for i in finished:  # finished units ran exactly once across both runs
        assert calls(log, str(i)) == 1
    serial = run_sweep(mc_unit, units, progress=False)
    assert_same_results(serial.results, resumed.results)


@pytest.mark.parametrize("batch", [1, 4])
def test_failing_unit_reported_others_kept(cluster, tmp_path, batch):
    units = units_for(tmp_path / "calls", n=6, fail_block=2)
    store = ResultStore(tmp_path / "store")
    with get_executor("dask", scheduler=cluster.scheduler_address, batch=batch) as ex:
        res = run_sweep(mc_unit, units, ex, store, progress=False)
    (fail,) = res.failures
    assert fail.params == units[2] and fail.type == "ValueError"
    assert res.computed == 5 and len(list(store.root.rglob("*.npz"))) == 5
    serial = run_sweep(mc_unit, units, progress=False)
    assert_same_results(serial.results, res.results)


def test_lost_worker_unit_is_retried(cluster, tmp_path):
    log = tmp_path / "calls"
    units = [{"a": a, "log_dir": str(log)} for a in range(4)]
    with get_executor("dask", scheduler=cluster.scheduler_address) as ex:
        res = run_sweep(dying_unit, units, ex, progress=False)
    assert res.ok, res.failures
    assert [float(r["a2"]) for r in res.results] == [0.0, 1.0, 4.0, 9.0]
    assert calls(log, "1") == 2


def _strip_wall_times(obj):
    if isinstance(obj, dict):
        return {k: _strip_wall_times(v) for k, v in obj.items() if "seconds" not in k}
    if isinstance(obj, list):
        return [_strip_wall_times(v) for v in obj]
    return obj


def test_theory_checks_dask_json_equals_serial(tmp_path):
    from theory_checks.cli import main
    serial, dask = tmp_path / "serial.json", tmp_path / "dask.json"
    main(["--paper", "base", "--quick", "--json", str(serial), "--quiet"])
    main(["--paper", "base", "--quick", "--json", str(dask), "--quiet", "--executor", "dask",
          "--scheduler", "local", "-j", "2"])
    # "meta" describes the run itself (date, executor, command), so it differs by design
    a, b = (_strip_wall_times({k: v for k, v in json.loads(p.read_text()).items()
                               if k != "meta"}) for p in (serial, dask))
    assert len(a["claims"]) >= 3 and a == b
