// The inspector page served at `GET /__mock/ui` by a node and by a network's router: one self-contained HTML file
// (inline CSS and script, no external assets, no build step). It polls `/__mock/ui/state` every 500 ms and redraws;
// a job's input and output are fetched from `/__mock/ui/job` when its row is clicked. On a router, the state is the
// network's: every node's health with chaos buttons (POST /__mock/nodes/<i>/<action>), the router's view, and the
// nodes' jobs, requests and subscriptions merged.
export const INSPECTOR_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>node-mock inspector</title>
<link rel="icon" href="data:,">
<style>
:root { --bg: #0f1216; --panel: #171b21; --line: #262c35; --text: #d8dee9; --dim: #8a94a6; --ok: #5fbf7f;
  --bad: #e06c75; --run: #e5c07b; --accent: #61afef; font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); }
header { display: flex; gap: 16px; align-items: baseline; padding: 10px 16px; border-bottom: 1px solid var(--line); background: var(--panel); position: sticky; top: 0; z-index: 2; }
header h1 { font-size: 15px; margin: 0; }
header .meta { color: var(--dim); }
#live { margin-left: auto; }
#live.ok::before { content: "● "; color: var(--ok); }
#live.stale::before { content: "● "; color: var(--bad); }
main { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 12px; padding: 12px 16px; }
section { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; min-width: 0; }
section.wide { grid-column: 1 / -1; }
h2 { font-size: 13px; margin: 0 0 6px; color: var(--accent); font-weight: 600; }
h2 .count { color: var(--dim); font-weight: 400; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; }
th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid var(--line); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; vertical-align: top; }
th { color: var(--dim); font-weight: 400; }
tr.click { cursor: pointer; }
tr.click:hover td { background: #1e242c; }
.scroll { max-height: 360px; overflow: auto; }
.status-success, .ok { color: var(--ok); } .status-failed, .bad { color: var(--bad); } .status-running, .warn { color: var(--run); }
pre { margin: 6px 0; padding: 8px; background: #0b0e12; border: 1px solid var(--line); border-radius: 4px; white-space: pre-wrap; word-break: break-all; max-height: 320px; overflow: auto; }
button { font: inherit; color: var(--text); background: #222932; border: 1px solid #36404c; border-radius: 4px; padding: 1px 8px; cursor: pointer; }
button:hover { border-color: var(--accent); }
.dim { color: var(--dim); }
.empty { color: var(--dim); padding: 6px; }
</style>
</head>
<body>
<header><h1>node-mock inspector</h1><span class="meta" id="meta"></span><span id="live" class="stale">connecting</span></header>
<main>
<section class="wide" id="network" hidden><h2>Nodes <span class="count" id="router-view"></span></h2><div id="nodes"></div></section>
<section id="containers-section"><h2>Containers</h2><div id="containers"></div></section>
<section id="limits-section"><h2>Rate limiter</h2><div id="limits"></div></section>
<section class="wide"><h2>Jobs <span class="count" id="jobs-count"></span></h2><div class="scroll" id="jobs"></div><div id="job-detail"></div></section>
<section class="wide"><h2>Requests <span class="count" id="requests-count"></span></h2><div class="scroll" id="requests"></div><div id="request-detail"></div></section>
<section class="wide"><h2>Delegated subscriptions <span class="count" id="subs-count"></span></h2><div class="scroll" id="subs"></div></section>
<section class="wide" id="replay-section" hidden><h2>Replay</h2><div id="replay"></div></section>
</main>
<script>
"use strict";
const $ = (id) => document.getElementById(id);
const esc = (v) => String(v).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
const ms = (n) => (n < 1000 ? Math.round(n) + " ms" : (n / 1000).toFixed(2) + " s");
const time = (t) => new Date(t).toISOString().slice(11, 23);
const pretty = (text) => { if (text == null) return ""; try { return JSON.stringify(JSON.parse(text), null, 2); } catch { return String(text); } };
const table = (head, rows, empty) => rows.length === 0 ? '<div class="empty">' + esc(empty) + "</div>"
  : "<table><thead><tr>" + head.map((h) => "<th" + (h[1] ? ' style="width:' + h[1] + '"' : "") + ">" + esc(h[0]) + "</th>").join("") + "</tr></thead><tbody>" + rows.join("") + "</tbody></table>";
let state = null;
// A section is redrawn only when its HTML changed, so rows stay put (and text stays selectable) between polls.
const set = (id, html) => { const el = $(id); if (el.__html !== html) { el.__html = html; el.innerHTML = html; } };
let openJob = null;
let openRequest = null;

function views(s) {
  if (s.kind === "node") return [{ label: "", index: null, snap: s }];
  return s.nodes.filter((n) => n.state).map((n) => ({ label: "node " + n.index, index: n.index, snap: n.state }));
}

function render(s) {
  const network = s.kind === "network";
  const vs = views(s);
  $("meta").textContent = network
    ? "a network of " + s.nodes.length + " node(s) · router " + s.router.url
    : "node version " + s.version + " · chain " + (s.chain.enabled ? "enabled" : "disabled") + " · " + s.pending + " pending";
  $("network").hidden = !network;
  if (network) {
    $("router-view").textContent = "· the router lists " + s.router.available.length + " of " + s.nodes.length + " as available";
    set("nodes", table([["node", "6%"], ["url", "20%"], ["health", "12%"], ["router", "10%"], ["chaos", "20%"], ["containers", "32%"]],
      s.nodes.map((n) => {
        const c = n.chaos || {};
        const chaos = [c.down ? '<span class="bad">down</span>' : "", c.delay_ms ? '<span class="warn">slow ' + c.delay_ms + " ms</span>" : "",
          c.fail ? '<span class="bad">fail ' + c.fail.status + "</span>" : ""].filter(Boolean).join(" ") || '<span class="dim">none</span>';
        const health = n.state ? '<span class="ok">up</span>' : '<span class="bad">' + esc(n.error || "down") + "</span>";
        const listed = s.router.available.includes(n.address) ? '<span class="ok">available</span>' : '<span class="bad">unavailable</span>';
        const buttons = ["down", "up", "slow", "fail", "heal"].map((a) => '<button data-node="' + n.index + '" data-action="' + a + '">' + a + "</button>").join(" ");
        const containers = n.state ? n.state.containers.map((x) => x.id).join(", ") : "";
        return '<tr data-node-row="' + n.index + '"><td>' + n.index + '</td><td><a href="' + esc(n.url) + '/__mock/ui" style="color:inherit">' + esc(n.address) + "</a></td><td>" + health +
          "</td><td>" + listed + "</td><td>" + chaos + '</td><td title="' + esc(containers) + '">' + esc(containers) + '</td></tr><tr><td></td><td colspan="5">' + buttons + "</td></tr>";
      }), "no nodes"));
  }
  $("containers-section").hidden = network;
  if (!network) {
    set("containers", table([["id", "35%"], ["behaviour", "15%"], ["external", "10%"], ["settings", "40%"]],
      s.containers.map((c) => {
        const { type, ...rest } = c.behavior;
        return "<tr><td>" + esc(c.id) + "</td><td>" + esc(type) + "</td><td>" + (c.external ? "yes" : "no") + '</td><td class="dim" title="' + esc(JSON.stringify(rest)) + '">' + esc(JSON.stringify(rest)) + "</td></tr>";
      }), "no containers"));
  }
  const limits = vs.flatMap((v) => v.snap.rate_limit.entries.map((e) => ({ ...e, node: v.label })));
  const configs = vs.map((v) => (v.label ? v.label + ": " : "") + (v.snap.rate_limit.config ? v.snap.rate_limit.config.limit + " per " + v.snap.rate_limit.config.period_seconds + " s" : "off"));
  set("limits", '<div class="dim">' + esc(configs.join(" · ")) + "</div>" + table([["route | client", "55%"], ["remaining", "20%"], ["full again in", "25%"]],
    limits.map((e) => "<tr><td>" + esc((e.node ? e.node + " " : "") + e.key) + '</td><td class="' + (e.remaining === 0 ? "bad" : "") + '">' + (e.limit === null ? "" : e.remaining + " of " + e.limit) + "</td><td>" + ms(e.ahead_ms) + "</td></tr>"), "every client has its full burst"));

  const jobs = vs.flatMap((v) => v.snap.jobs.map((j) => ({ ...j, node: v.label, nodeIndex: v.index }))).sort((a, b) => b.started_at - a.started_at);
  $("jobs-count").textContent = "· " + jobs.length;
  set("jobs", table([["id", "26%"], ...(network ? [["node", "7%"]] : []), ["status", "8%"], ["containers", "20%"], ["started", "11%"], ["took", "8%"], ["output", network ? "20%" : "27%"]],
    jobs.map((j) => '<tr class="click" data-job="' + esc(j.id) + '" data-node="' + (j.nodeIndex ?? "") + '"><td>' + esc(j.id) + "</td>" + (network ? "<td>" + esc(j.node) + "</td>" : "") +
      '<td class="status status-' + esc(j.status) + '">' + esc(j.status) + "</td><td>" + esc(j.containers.join(", ")) + "</td><td>" + time(j.started_at) + "</td><td>" + ms(j.duration_ms) +
      '</td><td class="dim">' + esc(j.preview) + "</td></tr>"), "no jobs yet"));

  const requests = vs.flatMap((v) => v.snap.requests.map((r, i) => ({ ...r, node: v.label, key: v.label + "#" + r.at + "#" + i }))).sort((a, b) => (a.at < b.at ? 1 : -1));
  window.__requests = requests;
  $("requests-count").textContent = "· " + requests.length + " (newest first)";
  set("requests", table([["at", "11%"], ...(network ? [["node", "7%"]] : []), ["request", "40%"], ["status", "7%"], ["client", "12%"], ["body", "30%"]],
    requests.map((r, i) => '<tr class="click" data-request="' + i + '"><td>' + esc(r.at.slice(11, 23)) + "</td>" + (network ? "<td>" + esc(r.node) + "</td>" : "") + "<td>" + esc(r.method + " " + r.path + (r.query ? "?" + r.query : "")) +
      '</td><td class="' + (r.status < 400 ? "ok" : r.status >= 500 ? "bad" : "warn") + '">' + r.status + "</td><td>" + esc(r.client) + '</td><td class="dim">' + esc(r.body ?? "") + "</td></tr>"), "no requests yet"));

  const subs = vs.flatMap((v) => v.snap.subscriptions.map((x) => ({ ...x, node: v.label })));
  $("subs-count").textContent = "· " + subs.length;
  set("subs", table([["at", "11%"], ["route", "14%"], ["owner", "22%"], ["containers", "15%"], ["accepted", "14%"], ["signature", "24%"]],
    subs.map((x) => {
      const sig = x.signature || {};
      const cls = sig.status === "verified" ? "ok" : sig.status === "not_checked" ? "dim" : "bad";
      const detail = sig.signer || sig.recovered || sig.error || sig.reason || "";
      return "<tr><td>" + esc(x.at.slice(11, 23)) + "</td><td>" + esc(x.route) + "</td><td>" + esc(x.owner) + "</td><td>" + esc((x.containers || ["?"]).join(", ")) + "</td><td class=" + (x.accepted ? "ok" : "bad") + ">" +
        (x.accepted ? "yes" : esc("no: " + (x.error || ""))) + '</td><td class="' + cls + '" title="' + esc(detail) + '">' + esc(sig.status + (detail ? " " + detail : "")) + "</td></tr>";
    }), "no delegated subscriptions yet"));

  const replays = vs.filter((v) => v.snap.replay);
  $("replay-section").hidden = replays.length === 0;
  set("replay", replays.map((v) => {
    const r = v.snap.replay;
    return '<div>' + esc((v.label ? v.label + ": " : "") + "mode " + r.mode + ", speed " + r.speed + ", " + r.recordings + " recordings from " + r.upstream + "; " + r.hits + " answered, " + r.misses + " not recorded, " + r.unused.length + " unused") + "</div>" +
      table([["#", "6%"], ["request", "64%"], ["status", "30%"]], r.unused.map((u) => "<tr><td>" + u.index + "</td><td>" + esc(u.method + " " + u.path + (u.query ? "?" + u.query : "")) + "</td><td>" + u.status + "</td></tr>"), "every recording was used");
  }).join(""));
  if (openRequest !== null) showRequest(openRequest);
}

async function showJob(id, node) {
  openJob = id;
  const q = "/__mock/ui/job?id=" + encodeURIComponent(id) + (node !== "" && node != null ? "&node=" + node : "");
  const response = await fetch(q);
  const job = await response.json();
  if (openJob !== id) return;
  $("job-detail").innerHTML = '<h2>Job ' + esc(id) + ' <button id="close-job">close</button></h2><div class="dim">' + esc(job.status + " · " + (job.containers || []).join(" → ")) +
    "</div><h2>input</h2><pre>" + esc(JSON.stringify(job.input, null, 2)) + "</pre><h2>results</h2><pre>" + esc(JSON.stringify(job.results, null, 2)) + "</pre>";
  $("close-job").onclick = () => { openJob = null; $("job-detail").innerHTML = ""; };
}

function showRequest(i) {
  openRequest = i;
  const r = (window.__requests || [])[i];
  if (!r) return;
  $("request-detail").innerHTML = "<h2>" + esc(r.method + " " + r.path + (r.query ? "?" + r.query : "") + " → " + r.status) + ' <button id="close-request">close</button></h2><pre>' + esc(pretty(r.body) || "(no body)") + "</pre>";
  $("close-request").onclick = () => { openRequest = null; $("request-detail").innerHTML = ""; };
}

document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-action]");
  if (button) {
    const action = button.dataset.action;
    const body = action === "slow" ? { ms: 500 } : action === "fail" ? { status: 503 } : undefined;
    button.disabled = true;
    await fetch("/__mock/nodes/" + button.dataset.node + "/" + action, {
      method: "POST", headers: body ? { "content-type": "application/json" } : {}, body: body ? JSON.stringify(body) : undefined
    });
    button.disabled = false;
    return poll();
  }
  const job = event.target.closest("tr[data-job]");
  if (job) return showJob(job.dataset.job, job.dataset.node);
  const request = event.target.closest("tr[data-request]");
  if (request) showRequest(Number(request.dataset.request));
});

let timer;
async function poll() {
  clearTimeout(timer);
  try {
    const response = await fetch("/__mock/ui/state", { cache: "no-store" });
    state = await response.json();
    render(state);
    $("live").className = "ok";
    $("live").textContent = "live · " + new Date().toISOString().slice(11, 19);
  } catch (error) {
    $("live").className = "stale";
    $("live").textContent = "not reachable";
  }
  timer = setTimeout(poll, 500);
}
poll();
</script>
</body>
</html>
`
