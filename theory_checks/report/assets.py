"""The page's inline style sheet and script (no framework, nothing fetched over the network)."""

CSS = """
:root { --fg: #1d232a; --muted: #5b6570; --line: #d8dde3; --bg: #ffffff; --soft: #f4f6f8;
        --pass: #1f7a3a; --fail: #b3261e; --info: #2f5d9e; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: var(--fg); background: var(--bg); }
main { max-width: 1180px; margin: 0 auto; padding: 0 20px 60px; }
nav { position: sticky; top: 0; z-index: 5; background: #1d232a; color: #fff;
      padding: 8px 20px; display: flex; gap: 16px; flex-wrap: wrap; align-items: baseline; }
nav b { margin-right: 8px; }
nav a { color: #cfe0ff; text-decoration: none; }
nav a:hover { text-decoration: underline; }
h1 { font-size: 22px; margin: 20px 0 4px; }
h2 { font-size: 18px; margin: 32px 0 10px; padding-bottom: 4px;
     border-bottom: 2px solid var(--line); }
h3 { font-size: 16px; margin: 0; }
h4 { font-size: 13px; margin: 14px 0 6px; text-transform: uppercase; letter-spacing: .04em;
     color: var(--muted); }
.sub-title { color: var(--muted); margin: 0 0 12px; }
.headline { display: flex; gap: 12px; flex-wrap: wrap; margin: 12px 0; }
.tile { border: 1px solid var(--line); border-radius: 8px; padding: 8px 16px; min-width: 120px; }
.tile .n { font-size: 24px; font-weight: 700; }
.tile.pass .n { color: var(--pass); } .tile.fail .n { color: var(--fail); }
.tile.info .n { color: var(--info); }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(330px, 1fr)); gap: 18px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line);
         vertical-align: top; }
th { background: var(--soft); font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.kv th { width: 1%; background: none; font-weight: 500; color: var(--muted); }
table.nested { width: auto; }
table.kv table.kv { width: auto; min-width: 50%; }
table.compact td, table.compact th { padding: 2px 6px; font-size: 12px; }
#claims th { cursor: pointer; user-select: none; position: sticky; top: 36px; }
#claims th.sorted-asc::after { content: " \\25B2"; font-size: 9px; }
#claims th.sorted-desc::after { content: " \\25BC"; font-size: 9px; }
#claims tr.fail td { background: #fdf0ef; }
#claims td:first-child { white-space: nowrap; }
/* a table cell ignores max-width: the ellipsis needs a block inside it */
#claims div.stmt { color: var(--muted); max-width: 250px; overflow: hidden;
                   text-overflow: ellipsis; white-space: nowrap; }
.filters { display: flex; gap: 10px; flex-wrap: wrap; align-items: center; margin: 8px 0; }
.filters select, .filters input { font: inherit; padding: 3px 6px; }
.filters input { min-width: 240px; }
.badge { display: inline-block; padding: 1px 7px; border-radius: 10px; font-size: 12px;
         font-weight: 600; white-space: nowrap; border: 1px solid transparent; }
.v-PASS { background: #e3f3e7; color: var(--pass); border-color: #b5dcc0; }
.v-FAIL { background: var(--fail); color: #fff; }
.v-INFO { background: #e6eefa; color: var(--info); border-color: #bcd0ee; }
/* the paper's own statements are the only filled badge; everything else is outlined */
.p-paper { background: #173f73; color: #fff; }
.p-code { border-color: #1b7f7a; color: #1b7f7a; }
.p-secondary { border-color: #6b5b95; color: #6b5b95; border-style: dashed; }
.p-reconstruction { border-color: #8a4baf; color: #8a4baf; border-style: dashed; }
.p-derived { border-color: #b25d00; color: #b25d00; border-style: dashed;
             background: repeating-linear-gradient(135deg, #fff5ea 0 4px, #fff 4px 8px); }
.p-empirical { border-color: #6d6d6d; color: #555; border-style: dotted; }
.legend { font-size: 12px; color: var(--muted); margin: 6px 0 0; }
.legend span { margin-right: 14px; white-space: nowrap; }
section.claim { border: 1px solid var(--line); border-radius: 8px; margin: 18px 0;
                padding: 12px 16px; scroll-margin-top: 48px; }
section.claim.FAIL { border-left: 5px solid var(--fail); }
section.claim.PASS { border-left: 5px solid var(--pass); }
section.claim.INFO { border-left: 5px solid var(--info); }
.claim-head { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; }
.claim-head .top { margin-left: auto; font-size: 12px; }
.statement { margin: 8px 0; font-size: 14px; }
.mvb { display: flex; gap: 8px; flex-wrap: wrap; margin: 8px 0; }
.mvb div { background: var(--soft); border-radius: 6px; padding: 4px 10px; }
.mvb span { color: var(--muted); font-size: 12px; margin-right: 6px; }
.note { color: var(--muted); }
.caught { color: var(--pass); font-weight: 600; } .missed { color: var(--fail); font-weight: 700; }
figure { margin: 10px 0; }
figure img { max-width: min(100%, 720px); border: 1px solid var(--line); border-radius: 4px; }
figure.plot img { max-width: min(100%, 820px); }
figcaption { font-size: 12px; color: var(--muted); margin-top: 3px; }
details > summary { cursor: pointer; color: var(--muted); font-size: 12px; margin: 6px 0; }
pre { background: var(--soft); padding: 8px; overflow-x: auto; font-size: 12px; }
code { font-size: 12px; }
.changes { border: 2px solid #e0b400; background: #fffbea; border-radius: 8px;
           padding: 6px 16px 12px; }
.changes.none { border-color: var(--line); background: var(--soft); }
.muted { color: var(--muted); }
.nested { margin: 2px 0 2px 0; }
"""

JS = """
(function () {
  var table = document.getElementById('claims');
  if (!table) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var heads = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(heads, function (th, col) {
    th.addEventListener('click', function () {
      var asc = !th.classList.contains('sorted-asc');
      Array.prototype.forEach.call(heads, function (h) {
        h.classList.remove('sorted-asc', 'sorted-desc'); });
      th.classList.add(asc ? 'sorted-asc' : 'sorted-desc');
      var num = th.dataset.type === 'num';
      rows.sort(function (a, b) {
        var x = a.cells[col].dataset.v, y = b.cells[col].dataset.v;
        if (num) {
          x = x === '' ? Infinity : parseFloat(x); y = y === '' ? Infinity : parseFloat(y);
          return asc ? x - y : y - x;
        }
        return asc ? x.localeCompare(y) : y.localeCompare(x);
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
  var f = {paper: document.getElementById('f-paper'), provenance: document.getElementById('f-prov'),
           verdict: document.getElementById('f-verdict')};
  var text = document.getElementById('f-text'), count = document.getElementById('f-count');
  function apply() {
    var q = text.value.toLowerCase(), shown = 0;
    rows.forEach(function (r) {
      var ok = ['paper', 'provenance', 'verdict'].every(function (k) {
        return !f[k].value || r.dataset[k] === f[k].value; });
      ok = ok && (!q || r.textContent.toLowerCase().indexOf(q) >= 0);
      r.style.display = ok ? '' : 'none';
      if (ok) shown++;
    });
    count.textContent = shown + ' of ' + rows.length + ' claims shown';
  }
  [f.paper, f.provenance, f.verdict].forEach(function (s) { s.addEventListener('change', apply); });
  text.addEventListener('input', apply);
  apply();
})();
"""
