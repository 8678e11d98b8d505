// The analyst page: alert queue, one alert beside the listed entry with the
// score explanation, decisions, the allow-list, and a search of the lists.
// Plain DOM, no framework, no network but this server's own API; text is
// always inserted as text, never as HTML.
"use strict";

const state = { key: sessionStorage.getItem("interdict-key") || "", me: null, alert: null, hit: 0 };
// Lists are reloaded on several events; only the answer to the latest
// request may fill the table, whatever order the answers come in.
const latest = { queue: 0, allowlist: 0, search: 0 };
const $ = (id) => document.getElementById(id);

function el(tag, text, attrs) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  return e;
}

async function api(method, path, body) {
  const headers = { "Authorization": "Bearer " + state.key };
  const init = { method, headers };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const r = await fetch(path, init);
  let data = null;
  try { data = await r.json(); } catch (e) { data = null; }
  if (!r.ok) {
    const msg = data && data.error ? data.error.message : "HTTP " + r.status;
    const err = new Error(msg);
    err.status = r.status;
    throw err;
  }
  return data;
}

function show(section) {
  for (const id of ["login", "queue", "alert", "search", "allowlist"]) $(id).hidden = id !== section;
  for (const b of document.querySelectorAll("nav button"))
    b.classList.toggle("active", b.dataset.tab === section || (section === "alert" && b.dataset.tab === "queue"));
}

function fill(dl, rows) {
  dl.replaceChildren();
  for (const [k, v] of rows) {
    if (v === undefined || v === null || v === "" || (Array.isArray(v) && !v.length)) continue;
    dl.append(el("dt", k));
    const dd = el("dd");
    if (Array.isArray(v)) for (const line of v) dd.append(el("div", line));
    else dd.textContent = String(v);
    dl.append(dd);
  }
}

function entryRows(e) {
  return [
    ["List", e.list + " " + e.ref],
    ["Names", (e.names || []).map((n) => n.name + (n.kind === "primary" ? "" : " (" + n.kind.replace(/_/g, " ") + ")"))],
    ["Type", e.type],
    ["Born", (e.dates_of_birth || []).map((d) => d.from + (d.to ? " to " + d.to : "") + (d.kind !== "exact" ? " (" + d.kind + ")" : ""))],
    ["Place of birth", e.places_of_birth],
    ["Nationality", e.nationalities],
    ["Regime", e.regime],
    ["Programs", e.programs],
    ["Documents", (e.documents || []).map((d) => [d.type, d.number, d.country].filter(Boolean).join(" "))],
    ["Listed on", e.listed_on],
    ["Comments", e.comments],
  ];
}

// ---- sign in ---------------------------------------------------------------------------
async function signIn(key) {
  state.key = key;
  try {
    state.me = await api("GET", "/v1/me");
  } catch (e) {
    $("login-error").textContent = e.status === 401 ? "That key is not valid." : e.message;
    state.key = "";
    sessionStorage.removeItem("interdict-key");
    show("login");
    return;
  }
  sessionStorage.setItem("interdict-key", key);
  $("who").textContent = state.me.name + " (" + state.me.role + ")";
  $("tabs").hidden = false;
  show("queue");
  loadQueue();
}

// ---- queue -----------------------------------------------------------------------------
async function loadQueue() {
  const status = $("queue-status").value;
  const rows = $("queue-rows");
  const mine = ++latest.queue;
  let data;
  try {
    data = await api("GET", "/v1/alerts?limit=200" + (status ? "&status=" + encodeURIComponent(status) : ""));
  } catch (e) {
    if (mine !== latest.queue) return;
    rows.replaceChildren();
    rows.append(el("tr")).append(el("td", e.message, { colspan: "7", class: "error" }));
    return;
  }
  if (mine !== latest.queue) return;
  rows.replaceChildren();
  $("queue-empty").hidden = data.alerts.length > 0;
  for (const a of data.alerts) {
    const tr = el("tr", null, { "data-alert-id": String(a.id), "data-testid": "alert-row" });
    const top = a.top_hit || {};
    tr.append(el("td", a.id), el("td", a.created_at.replace("T", " ").slice(0, 19)), el("td", a.customer_id || "—"),
      el("td", a.query.name), el("td", (top.listed_name || "") + " (" + (top.list || "") + " " + (top.ref || "") + ")"),
      el("td", top.score !== undefined ? top.score.toFixed(2) : ""), el("td", a.status.replace(/_/g, " ")));
    tr.addEventListener("click", () => openAlert(a.id));
    rows.append(tr);
  }
}

// ---- one alert ---------------------------------------------------------------------------
async function openAlert(id) {
  let a;
  try {
    a = await api("GET", "/v1/alerts/" + id);
  } catch (e) {
    alert(e.message);
    return;
  }
  state.alert = a;
  state.hit = 0;
  show("alert");
  renderAlert();
}

function renderAlert() {
  const a = state.alert;
  $("alert-title").textContent = "Alert " + a.id + " — " + a.query.name;
  $("alert-status").textContent = a.status.replace(/_/g, " ");
  const hits = $("alert-hits");
  hits.replaceChildren(el("span", a.hits.length + " hit" + (a.hits.length === 1 ? "" : "s") + ":", { class: "muted" }));
  a.hits.forEach((h, i) => {
    const b = el("button", h.listed_name + " · " + h.list + " " + h.ref + " · " + h.score.toFixed(2), { "data-testid": "hit" });
    b.classList.toggle("active", i === state.hit);
    b.addEventListener("click", () => { state.hit = i; renderAlert(); });
    hits.append(b);
  });
  const q = a.query;
  fill($("alert-query"), [["Name", q.name], ["Type", q.type], ["Born", q.dob], ["Nationality", q.nationality],
    ["Customer", a.customer_id], ["Screened", a.created_at.replace("T", " ").slice(0, 19)], ["Lists", (a.lists || []).map((l) => l.list + " " + l.generated + " " + l.sha256.slice(0, 12))]]);
  const h = a.hits[state.hit];
  const e = (a.entries || [])[state.hit];
  if (e && !e.removed) {
    fill($("alert-entry"), entryRows(e));
    if (e.changed_since_alert) $("alert-entry").prepend(el("dt", "Note"), el("dd", "changed since the alert", { class: "changed" }));
  } else {
    fill($("alert-entry"), [["List", h.list + " " + h.ref], ["Listed name", h.listed_name], ["Note", "no longer on the list in use"]]);
  }
  $("alert-explanation").textContent = "Score " + h.score.toFixed(2) + " (name " + h.name_score.toFixed(2) + "), matched \u201c" + h.matched_name + "\u201d: " + h.explanation;
  const tokens = $("alert-tokens");
  tokens.replaceChildren();
  for (const t of h.tokens || []) {
    const tr = el("tr");
    tr.append(el("td", t.query), el("td", t.listed), el("td", t.how), el("td", t.similarity.toFixed(2)));
    tokens.append(tr);
  }
  const ev = h.evidence || {};
  $("alert-evidence").textContent = "Date of birth: " + (ev.dob || "").replace(/_/g, " ") + "; nationality: " + (ev.nationality || "").replace(/_/g, " ") + "; type: " + (ev.type || "").replace(/_/g, " ");
  const canDecide = a.status === "open" || (a.status === "escalated" && ["supervisor", "admin"].includes(state.me.role));
  $("decide-panel").hidden = !canDecide;
  $("decide-error").textContent = "";
  $("allow-panel").hidden = !(a.status === "false_positive" && a.customer_id);
  $("allow-msg").textContent = a.allowlist.length ? "Allow-list: " + a.allowlist.map((w) => w.list + " " + w.ref + " " + w.status).join(", ") : "";
  const hist = $("alert-history");
  hist.replaceChildren(el("li", a.created_at.replace("T", " ").slice(0, 19) + " created by " + a.created_by));
  for (const d of a.decisions)
    hist.append(el("li", d.decided_at.replace("T", " ").slice(0, 19) + " " + d.decision.replace(/_/g, " ") + " by " + d.decided_by + ": " + d.reason));
  for (const w of a.allowlist)
    hist.append(el("li", w.requested_at.replace("T", " ").slice(0, 19) + " allow-list " + w.status + " (" + w.list + " " + w.ref + ") asked by " + w.requested_by + ": " + w.reason));
}

async function decide(ev) {
  ev.preventDefault();
  const reason = $("reason").value.trim();
  if (!reason) { $("decide-error").textContent = "A reason is required."; return; }
  try {
    state.alert = await api("POST", "/v1/alerts/" + state.alert.id + "/decision", { decision: $("decision").value, reason });
    const fresh = await api("GET", "/v1/alerts/" + state.alert.id);
    state.alert = fresh;
    $("reason").value = "";
    renderAlert();
  } catch (e) {
    $("decide-error").textContent = e.message;
  }
}

async function requestAllow(ev) {
  ev.preventDefault();
  const h = state.alert.hits[state.hit];
  try {
    await api("POST", "/v1/alerts/" + state.alert.id + "/allowlist", { reason: $("allow-reason").value.trim(), list: h.list, ref: h.ref });
    state.alert = await api("GET", "/v1/alerts/" + state.alert.id);
    renderAlert();
    $("allow-msg").textContent = "Requested; a supervisor approves it. " + $("allow-msg").textContent;
  } catch (e) {
    $("allow-msg").textContent = e.message;
  }
}

// ---- search ------------------------------------------------------------------------------
async function search(ev) {
  ev.preventDefault();
  const rows = $("search-rows");
  const mine = ++latest.search;
  $("entry-panel").hidden = true;
  let data;
  try {
    data = await api("GET", "/v1/entries?q=" + encodeURIComponent($("search-q").value));
  } catch (e) {
    if (mine !== latest.search) return;
    rows.replaceChildren();
    rows.append(el("tr")).append(el("td", e.message, { colspan: "6", class: "error" }));
    return;
  }
  if (mine !== latest.search) return;
  rows.replaceChildren();
  if (!data.hits.length) rows.append(el("tr")).append(el("td", "Nothing close.", { colspan: "6", class: "muted" }));
  for (const h of data.hits) {
    const tr = el("tr", null, { "data-testid": "search-row" });
    tr.append(el("td", h.list), el("td", h.ref), el("td", h.listed_name), el("td", h.matched_name), el("td", h.score.toFixed(2)), el("td", h.explanation));
    tr.addEventListener("click", () => showEntry(h.list, h.ref));
    rows.append(tr);
  }
}

async function showEntry(list, ref) {
  try {
    const e = await api("GET", "/v1/entries/" + encodeURIComponent(list) + "/" + encodeURIComponent(ref));
    $("entry-title").textContent = e.names[0].name;
    fill($("entry-detail"), entryRows(e));
    $("entry-panel").hidden = false;
  } catch (err) {
    $("entry-title").textContent = err.message;
    $("entry-panel").hidden = false;
  }
}

// ---- allow-list ------------------------------------------------------------------------------
async function loadAllowlist() {
  const status = $("allow-status").value;
  const rows = $("allow-rows");
  const mine = ++latest.allowlist;
  $("allowlist-error").textContent = "";
  let data;
  try {
    data = await api("GET", "/v1/allowlist" + (status ? "?status=" + status : ""));
  } catch (e) {
    if (mine === latest.allowlist) $("allowlist-error").textContent = e.message;
    return;
  }
  if (mine !== latest.allowlist) return;
  rows.replaceChildren();
  const supervisor = ["supervisor", "admin"].includes(state.me.role);
  for (const w of data.allowlist) {
    const tr = el("tr", null, { "data-testid": "allow-row" });
    const act = el("td");
    if (supervisor && w.status === "pending") {
      for (const [action, label] of [["approve", "Approve"], ["reject", "Reject"]]) {
        const b = el("button", label, { "data-testid": "allow-" + action });
        b.addEventListener("click", async (ev) => {
          ev.stopPropagation();
          try {
            await api("POST", "/v1/allowlist/" + w.id + "/" + action, { reason: label + "d in the web page" });
            loadAllowlist();
          } catch (e) {
            $("allowlist-error").textContent = e.message;
          }
        });
        act.append(b);
      }
    }
    tr.append(el("td", w.id), el("td", w.customer_id), el("td", w.list + " " + w.ref), el("td", w.alert_id),
      el("td", w.reason), el("td", w.requested_by), el("td", w.status), act);
    tr.addEventListener("click", () => openAlert(w.alert_id));
    rows.append(tr);
  }
}

// ---- wiring ----------------------------------------------------------------------------------
document.addEventListener("DOMContentLoaded", () => {
  $("login-form").addEventListener("submit", (ev) => { ev.preventDefault(); signIn($("key").value.trim()); });
  $("queue-status").addEventListener("change", loadQueue);
  $("queue-refresh").addEventListener("click", loadQueue);
  $("alert-back").addEventListener("click", () => { show("queue"); loadQueue(); });
  $("decide-form").addEventListener("submit", decide);
  $("allow-form").addEventListener("submit", requestAllow);
  $("search-form").addEventListener("submit", search);
  $("allow-status").addEventListener("change", loadAllowlist);
  for (const b of document.querySelectorAll("nav button"))
    b.addEventListener("click", () => {
      show(b.dataset.tab);
      if (b.dataset.tab === "queue") loadQueue();
      if (b.dataset.tab === "allowlist") loadAllowlist();
    });
  if (state.key) signIn(state.key);
  else show("login");
});
