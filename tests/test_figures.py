import pytest

import figures
from figures import cached
from figures.cli import main

REGISTRY = figures.load()


@pytest.fixture(autouse=True)
def _cache_in_tmp(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("SKETCHOPT_CACHE", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_figure_renders_png_and_pdf(name, tmp_path):
    paths = REGISTRY[name].func(quick=True, out_dir=tmp_path)
    assert {p.suffix for p in paths} >= {".png", ".pdf"}
    for p in paths:
        assert p.exists() and p.stat().st_size > 1000


def test_cache_reuses_and_recomputes_corrupt_files():
    calls = []

    def compute():
        calls.append(1)
        return {"a": [1.0, 2.0]}
    params = {"x": 1}
    first = cached("unit", params, compute)
    second = cached("unit", params, compute)
    assert len(calls) == 1 and (first["a"] == second["a"]).all()
    (path,) = list(figures.cache_dir().glob("unit-*.npz"))
    path.write_bytes(path.read_bytes()[:20])  # truncated file must not be used
    third = cached("unit", params, compute)
    assert len(calls) == 2 and (third["a"] == first["a"]).all()
    cached("unit", {"x": 2}, compute)
    assert len(calls) == 3


def test_cli_list_and_unknown(capsys):
    assert main(["list"]) == 0
    assert "base_sgd_quadratic" in capsys.readouterr().out
    assert main(["no_such_figure"]) == 2


def test_every_figure_names_registered_claims():
    from theory_checks import load as load_claims
    ids = {c.id for c in load_claims()}
    for fig in REGISTRY.values():
        assert fig.claims, f"{fig.name} illustrates no claim"
        assert set(fig.claims) <= ids, (fig.name, set(fig.claims) - ids)
