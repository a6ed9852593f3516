import json
import subprocess
import sys

from theory_checks.cli import main


def test_list_prints_every_claim(capsys):
    assert main(["--list"]) == 0
    out = capsys.readouterr().out
    assert "BASE-1" in out and "BASE-3" in out


def test_json_fields_and_exit_code(tmp_path):
    path = tmp_path / "r.json"
    code = main(["--id", "BASE-1", "--quick", "--json", str(path), "--quiet"])
    data = json.loads(path.read_text())
    (row,) = data["claims"]
    for key in ("id", "paper", "provenance", "statement", "measured", "bound", "margin",
                "verdict", "seconds"):
        assert key in row
    assert code == (0 if row["verdict"] == "PASS" else 1)


def test_failure_gives_nonzero_exit(monkeypatch):
    from theory_checks import REGISTRY, Outcome
    monkeypatch.setattr(REGISTRY["BASE-1"], "func",
                        lambda quick, broken: Outcome(1.0, 0.0, -1.0, "FAIL"))
    assert main(["--id", "BASE-1", "--quick", "--quiet"]) == 1


def test_parallel_matches_serial(tmp_path):
    serial, par = tmp_path / "s.json", tmp_path / "p.json"
    main(["--id", "BASE-[12]", "--quick", "--json", str(serial), "--quiet"])
    main(["--id", "BASE-[12]", "--quick", "--json", str(par), "--quiet", "-j", "2"])
    strip = lambda f: [{k: v for k, v in r.items() if k != "seconds"}  # noqa: E731
                       for r in json.loads(f.read_text())["claims"]]
    assert strip(serial) == strip(par)


def test_module_entry_point_unknown_selection():
    proc = subprocess.run([sys.executable, "-m", "theory_checks", "--id", "NOPE-*"],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and "no claim" in proc.stderr


def test_run_claims_without_an_executor_makes_its_own():
    from theory_checks import REGISTRY, load
    from theory_checks.cli import run_claims
    load()
    (row,) = run_claims([REGISTRY["BASE-1"]], quick=True, progress=False)
    assert row["id"] == "BASE-1" and row["verdict"] == "PASS"
