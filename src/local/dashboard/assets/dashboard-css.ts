/** The page's styles: system fonts, light and dark from `prefers-color-scheme`, visible focus. */
export const DASHBOARD_CSS = `
:root {
  color-scheme: light dark;
  --bg: #f7f7f9; --panel: #ffffff; --text: #1b1d23; --muted: #5d6372; --line: #d9dce3;
  --accent: #5b2fd0; --accent-text: #ffffff; --focus: #1a73e8; --code: #f0f1f5;
  --queued: #8a5a00; --running: #0b63c5; --ok: #18794e; --bad: #c62828; --off: #5d6372;
  --bar: #7c5ce0; --line-chart: #d9480f;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  font-size: 15px; line-height: 1.45;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #121317; --panel: #1b1d23; --text: #e7e8ec; --muted: #a3a8b6; --line: #33363f;
    --accent: #9d85ff; --accent-text: #121317; --focus: #8ab4f8; --code: #25272f;
    --queued: #f0b429; --running: #6cb6ff; --ok: #57d49a; --bad: #ff7b72; --off: #a3a8b6;
    --bar: #9d85ff; --line-chart: #ffa657;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); }
h1, h2, h3 { line-height: 1.2; margin: 0 0 .5rem; }
h1 { font-size: 1.25rem; } h2 { font-size: 1.1rem; } h3 { font-size: .95rem; margin-top: 1rem; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .88em; }
pre { background: var(--code); padding: .6rem .75rem; border-radius: 6px; overflow: auto; max-height: 22rem; margin: 0; white-space: pre-wrap; word-break: break-word; }
a { color: var(--accent); }
.muted { color: var(--muted); }
.error { color: var(--bad); }
.error:empty { display: none; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: .5rem; }
.skip:focus { left: .5rem; background: var(--panel); padding: .25rem .5rem; }
.top { display: flex; flex-wrap: wrap; gap: .25rem 1.5rem; align-items: baseline; padding: .9rem 1.25rem; border-bottom: 1px solid var(--line); background: var(--panel); }
.top p { margin: 0; }
.connection { margin-left: auto !important; font-size: .9rem; }
.connection[data-mode="live"]::before { content: "● "; color: var(--ok); }
.connection[data-mode="polling"]::before { content: "● "; color: var(--queued); }
.connection[data-mode="offline"]::before { content: "● "; color: var(--bad); }
main { padding: 1rem 1.25rem 2rem; max-width: 1200px; margin: 0 auto; }
main:focus, h2[tabindex]:focus:not(:focus-visible) { outline: none; }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.25rem; margin-top: 1rem; }
#auth { max-width: 32rem; margin: 2rem auto; }
.overview { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1rem 2rem; align-items: start; }
@media (max-width: 760px) { .overview, .columns { grid-template-columns: 1fr !important; } }
.health { display: flex; flex-wrap: wrap; gap: 1rem; }
.health dl, .facts { display: grid; grid-template-columns: max-content max-content; gap: .15rem .9rem; margin: 0; }
.health dl { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: .6rem .8rem; }
dt { color: var(--muted); } dd { margin: 0; font-variant-numeric: tabular-nums; font-weight: 600; }
.chart { margin: 0; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: .6rem .8rem; }
.chart figcaption { font-size: .9rem; }
.chart figcaption .key-bar { color: var(--bar); } .chart figcaption .key-line { color: var(--line-chart); }
#chart { width: 100%; height: 90px; display: block; margin: .25rem 0; }
#chart .bar { fill: var(--bar); } #chart .latency { fill: none; stroke: var(--line-chart); stroke-width: 2; vector-effect: non-scaling-stroke; }
#chart .axis { stroke: var(--line); vector-effect: non-scaling-stroke; }
#chart-summary { margin: 0; font-size: .85rem; }
.tabs { display: flex; gap: .25rem; margin-top: 1.25rem; border-bottom: 1px solid var(--line); }
.tabs a { padding: .45rem .9rem; border-radius: 6px 6px 0 0; text-decoration: none; color: var(--text); border: 1px solid transparent; margin-bottom: -1px; }
.tabs a[aria-current="page"] { background: var(--panel); border-color: var(--line); border-bottom-color: var(--panel); font-weight: 600; }
.tabs + .panel { margin-top: 0; border-top-left-radius: 0; }
.panel-head { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: baseline; margin-bottom: .5rem; }
.panel-head h2 { margin-right: auto; }
.panel-head p { margin: 0; flex-basis: 100%; }
table { width: 100%; border-collapse: collapse; font-size: .92rem; }
th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
td code { word-break: break-all; }
.status { font-weight: 600; font-size: .82rem; letter-spacing: .02em; }
.status-IN_QUEUE { color: var(--queued); } .status-IN_PROGRESS { color: var(--running); }
.status-COMPLETED { color: var(--ok); } .status-FAILED, .status-TIMED_OUT, .status-unhealthy { color: var(--bad); }
.status-CANCELLED, .status-idle { color: var(--off); } .status-running { color: var(--running); }
.status-ready { color: var(--ok); } .status-starting, .status-initializing { color: var(--queued); } .status-stopping { color: var(--off); }
.status-DRAFT { color: var(--queued); } .status-FINALIZED { color: var(--running); }
.batch-progress { white-space: nowrap; } .batch-progress progress { vertical-align: middle; width: 8em; }
button, select, input, textarea { font: inherit; color: inherit; }
select, input[type="password"], textarea { background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: .35rem .5rem; }
textarea { width: 100%; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9rem; display: block; margin: .35rem 0; }
textarea[aria-invalid="true"] { border-color: var(--bad); }
button { background: var(--accent); color: var(--accent-text); border: 0; border-radius: 6px; padding: .45rem .9rem; cursor: pointer; font-weight: 600; }
button:disabled { opacity: .45; cursor: not-allowed; }
fieldset { border: 1px solid var(--line); border-radius: 6px; margin: .75rem 0; }
fieldset label { display: block; margin: .2rem 0; }
label { font-weight: 500; }
.actions { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: .75rem 0; }
.actions p { margin: 0; }
.columns { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1rem; }
.log { list-style: none; padding: 0; margin: 0; max-height: 18rem; overflow: auto; border: 1px solid var(--line); border-radius: 6px; }
.log:empty::after { content: "None."; display: block; padding: .4rem .6rem; color: var(--muted); }
.log li { display: flex; gap: .75rem; padding: .3rem .6rem; border-bottom: 1px solid var(--line); }
.log li:last-child { border-bottom: 0; }
.log time { color: var(--muted); font-size: .82rem; white-space: nowrap; font-variant-numeric: tabular-nums; }
.log code { white-space: pre-wrap; word-break: break-word; }
.error-box { border: 1px solid var(--bad); border-radius: 6px; padding: .6rem .8rem; margin: .75rem 0; }
.error-box h3 { color: var(--bad); margin-top: 0; }
.error-box pre { margin-top: .5rem; }
.error-box p { margin: .2rem 0; }
`;
