"""The HTML claims report: parsed for ids, images and anchors, and rendered in a browser."""

import copy
import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

from sketchopt.sweeps import get_executor
from theory_checks.cli import main, run_claims, select
from theory_checks.report import build_report, compare_runs, run_broken_variants
from theory_checks.report.plots import find_curves

IDS = ["BASE-1", "BASE-2", "MAST-C4", "SPRED-21"]


class Page(HTMLParser):
    """Collects element ids, links, images and the text of a page."""

    def __init__(self):
        super().__init__()
        self.ids, self.hrefs, self.imgs, self.classes, self.text = set(), [], [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            assert a["id"] not in self.ids, f"duplicate id {a['id']}"
            self.ids.add(a["id"])
        if tag == "a" and "href" in a:
            self.hrefs.append(a["href"])
        if tag == "img":
            self.imgs.append(a.get("src"))
        if "class" in a:
            self.classes.append(a["class"])

    def handle_data(self, data):
        self.text.append(data)


def parse(index):
    page = Page()
    page.feed(Path(index).read_text(encoding="utf-8"))
    page.body = " ".join(page.text)
    return page


def check_links(index, page):
    root = Path(index).parent
    for src in page.imgs:
        assert src and not src.startswith(("http:", "https:", "//")), src
        assert (root / src).is_file(), f"missing image {src}"
    for href in page.hrefs:
        assert not href.startswith(("http:", "https:", "//")), f"external link {href}"
        if href.startswith("#"):
            assert href[1:] in page.ids, f"broken anchor {href}"
        else:
            assert (root / href).exists(), f"broken link {href}"


@pytest.fixture(scope="module")
def real_run(tmp_path_factory):
    """A quick run of a few real claims and their broken variants, and its report."""
    cache = tmp_path_factory.mktemp("cache")
    old = os.environ.get("SKETCHOPT_CACHE")
    os.environ["SKETCHOPT_CACHE"] = str(cache)  # figures rendered here do not touch ~/.cache
    try:
        claims = select(patterns=IDS)
        results = run_claims(claims, quick=True, progress=False)
        with get_executor("serial") as ex:
            run_broken_variants(claims, results, True, ex, progress=False)
        run = {"mode": "quick", "claims": results}
        out = tmp_path_factory.mktemp("report")
        index = build_report(run, out, figures_from=None, progress=False)
    finally:
        if old is None:
            os.environ.pop("SKETCHOPT_CACHE", None)
        else:
            os.environ["SKETCHOPT_CACHE"] = old
    return run, index


def test_report_has_every_claim_and_no_broken_links(real_run):
    run, index = real_run
    page = parse(index)
    for row in run["claims"]:
        assert f"claim-{row['id']}" in page.ids
        assert f"#claim-{row['id']}" in page.hrefs  # the table links to the section
    check_links(index, page)
    assert (Path(index).parent / "results.json").is_file()


def test_report_embeds_figures_plots_and_variants(real_run):
    run, index = real_run
    page = parse(index)
    # BASE-2 is illustrated by base_sgd_quadratic; BASE-1 and SPRED-21 record trajectories
    assert "figures/base_sgd_quadratic.png" in page.imgs
    assert {"plots/BASE-1.png", "plots/SPRED-21.png", "plots/MAST-C4.png"} <= set(page.imgs)
    for row in run["claims"]:
        assert [b["variant"] for b in row["broken_runs"]] == list(
            select(patterns=[row["id"]])[0].broken)
        assert all(b["verdict"] == "FAIL" for b in row["broken_runs"])
    assert "step_past_bound" in page.body and "caught" in page.body
    assert "NOT caught" not in page.body


def test_report_details_are_tables_and_provenance_is_visible(real_run):
    _, index = real_run
    html = Path(index).read_text()
    page = parse(index)
    assert '{"' not in page.body  # no JSON dump of details anywhere in the text
    assert "worst_entry" in page.body and "median_error" in page.body  # nested details shown
    # every claim here is derived: its badge says so and none claims the paper
    assert "derived by us" in page.body
    assert 'class="badge p-paper"' not in html.split('id="claims-table"')[1]


def test_compare_runs_and_changes_section(real_run, tmp_path):
    run, _ = real_run
    old = copy.deepcopy(run)
    new = copy.deepcopy(run)
    new["claims"][0]["verdict"] = "FAIL"                      # BASE-1 verdict changes
    new["claims"][1]["margin"] = old["claims"][1]["margin"] * 1.5   # BASE-2 margin moves 50 %
    new["claims"][2]["margin"] = old["claims"][2]["margin"] * 1.05  # MAST-C4: 5 %, unchanged
    gone = new["claims"].pop(3)                               # SPRED-21 missing
    extra = dict(copy.deepcopy(gone), id="SPRED-99")          # a new claim
    new["claims"].append(extra)
    diff = compare_runs(old, new)
    assert [d["id"] for d in diff["verdicts"]] == ["BASE-1"]
    assert [d["id"] for d in diff["margins"]] == ["BASE-2"]
    assert diff["margins"][0]["change"] == pytest.approx(0.5)
    assert diff["new"] == ["SPRED-99"] and diff["missing"] == ["SPRED-21"]
    assert diff["unchanged"] == 1
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps(old))
    b.write_text(json.dumps(new))
    out = tmp_path / "cmp"
    assert main(["report", str(a), str(b), "--out", str(out), "--no-figures", "--quiet"]) == 0
    page = parse(out / "index.html")
    assert "changes" in page.ids
    changes = page.body.split("Changes since")[1].split("Summary")[0]
    for cid in ("BASE-1", "BASE-2", "SPRED-99", "SPRED-21"):
        assert cid in changes
    assert "MAST-C4" not in changes
    check_links(out / "index.html", page)
    # the same file twice: nothing changed
    same = tmp_path / "same"
    assert main(["report", str(a), str(a), "--out", str(same), "--no-figures", "--quiet"]) == 0
    assert "None: the same claims" in parse(same / "index.html").body


def test_report_renders_search_results(tmp_path):
    row = {"id": "BASE-1", "paper": "base", "provenance": "derived", "statement": "a claim",
           "measured": 1.0, "bound": 2.0, "margin": 0.5, "verdict": "PASS", "note": "",
           "details": {}, "seconds": 0.1,
           "search": {"fixed_ratio": 0.5, "worst_ratio": 0.987654, "evaluations": 300,
                      "seed": 7, "worst_instance": {"d": 6, "cond": 1.0e5}}}
    index = build_report({"claims": [row]}, tmp_path, figures=False, progress=False)
    page = parse(index)
    assert "Worst-case search" in page.body and "0.9877" in page.body
    assert "cond" in page.body
    assert "Not run in this run" in page.body  # BASE-1's declared variants, listed by name


def test_find_curves_trajectories_and_series():
    t = np.arange(5.0)
    details = {"part0": {"verdict": "PASS", "note": "case A",
                         "details": {"trajectory": {"t": t.tolist(), "measured": [1, 2, 3, 4, 5],
                                                    "bound": [2] * 5}}},
               "m": [10, 100, 1000], "median_error": [1.0, 0.3, 0.1], "support": [1, 2]}
    curves = find_curves(details)
    kinds = sorted(c["kind"] for c in curves)
    assert kinds == ["series", "trajectory"]
    traj = next(c for c in curves if c["kind"] == "trajectory")
    assert traj["label"] == "case A" and np.allclose(traj["bound"], 2)
    series = next(c for c in curves if c["kind"] == "series")
    assert list(series["ys"]) == ["median_error"] and series["log_x"] and series["log_y"]


def test_cli_report_option_and_bad_input(tmp_path, capsys):
    out, js = tmp_path / "rep", tmp_path / "r.json"
    code = main(["--id", "BASE-1", "--quick", "--quiet", "--json", str(js), "--report",
                 str(out)])
    assert code == 0 and (out / "index.html").is_file()
    data = json.loads(js.read_text())
    assert data["meta"]["mode"] == "quick" and data["meta"]["packages"]["numpy"]
    assert data["claims"][0]["broken_runs"][0]["verdict"] == "FAIL"
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    assert main(["report", str(bad), "--out", str(tmp_path / "x")]) == 2
    assert "not a theory_checks results file" in capsys.readouterr().err


def _browser():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.mark.skipif(_browser() is None, reason="no Chromium binary on this machine")
def test_report_renders_in_headless_chromium(real_run, tmp_path):
    import matplotlib.image as mpimg
    _, index = real_run
    shot = tmp_path / "shot.png"
    cmd = [_browser(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
           f"--screenshot={shot}", "--window-size=1280,2000",
           Path(index).resolve().as_uri()]
    subprocess.run(cmd, capture_output=True, timeout=120,
                   env=dict(os.environ, HOME=str(tmp_path)))  # a writable profile folder
    assert shot.is_file(), "Chromium wrote no screenshot"
    img = mpimg.imread(shot)[..., :3]
    assert img.shape[:2] == (2000, 1280)
    # a blank or failed page is one colour; the report has text, tables, badges and plots
    assert img.std() > 0.05
    assert (img.mean(axis=2) < 0.5).mean() > 0.01   # some dark pixels (text)
    assert len(np.unique((img * 255).astype(np.uint8).reshape(-1, 3), axis=0)) > 50
