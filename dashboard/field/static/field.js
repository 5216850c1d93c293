// OpsMap field page: today's stops, one-hand actions, an offline queue replayed in order.
// Every action gets an idempotency key and the time it was done; the server applies each key
// once, so resending after a dropped connection is always safe. Data is written with
// textContent only (never HTML), so nothing from the server can run as script.
"use strict";
(function () {
  const STORE = { stops: "opsmap.field.stops", queue: "opsmap.field.queue",
    problems: "opsmap.field.problems", chain: "opsmap.field.chain" };
  const OUTCOME_TEXT = { actioned: "Actioned", no_trace: "No trace", no_access: "No access",
    refused_entry: "Refused entry", postponed: "Postponed" };
  const RESULTS = [["safeguarded", "Safeguarded"], ["nrm_referrals", "NRM referrals"],
    ["arrests", "Arrests"], ["warrants", "Warrants"]];
  const REASONS = [["no_access", "No access"], ["refused", "Refused"], ["postponed", "Postponed"]];
  let sending = false;

  const $ = (id) => document.getElementById(id);
  const read = (name, fallback) => {
    try { return JSON.parse(localStorage.getItem(STORE[name])) ?? fallback; }
    catch (e) { return fallback; }
  };
  const write = (name, value) => localStorage.setItem(STORE[name], JSON.stringify(value));
  const key = () => (crypto.randomUUID ? crypto.randomUUID()
    : Date.now().toString(36) + Math.random().toString(36).slice(2)).replace(/[^A-Za-z0-9-]/g, "");
  const hhmm = (iso) => iso ? new Date(iso).toLocaleTimeString("en-GB",
    { hour: "2-digit", minute: "2-digit" }) : "";

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (name === "onclick") node.addEventListener("click", value);
      else if (name === "text") node.textContent = value;
      else node.setAttribute(name, value);
    }
    for (const child of children) if (child) node.append(child);
    return node;
  }

  function data() { return read("stops", { team: "", stops: [], remind_minutes: 10 }); }

  function closed(stop) {
    return ["actioned", "no_further_action", "visited"].includes(stop.status) || stop.left_at ||
      stop.status === "unplanned";
  }

  function dueAt(stop) {
    if (!stop.arrived_at) return null;
    return new Date(new Date(stop.arrived_at).getTime() + stop.expected_minutes * 60000);
  }

  // --- rendering ---------------------------------------------------------------------------
  function render() {
    const payload = data();
    $("team").textContent = payload.team ? `${payload.team}: today's stops` : "Today's stops";
    const main = $("stops");
    main.replaceChildren();
    if (!payload.stops.length) main.append(el("p", { class: "muted", text: "No stops planned for you today." }));
    let current = true;
    payload.stops.forEach((stop, index) => {
      const isCurrent = current && !closed(stop);
      if (isCurrent) current = false;
      main.append(card(stop, index + 1, isCurrent));
    });
    renderQueue();
    renderProblems();
    remind();
  }

  function card(stop, number, isCurrent) {
    const state = closed(stop) ? (OUTCOME_TEXT[stop.outcome] || "Done")
      : stop.arrived_at ? `On site since ${hhmm(stop.arrived_at)}`
      : stop.on_way_at ? "On the way" : "Not started";
    const box = el("article", { class: "stop" + (isCurrent ? " current" : "") + (closed(stop) ? " closed" : ""),
      "data-stop": String(stop.location_id) },
      el("h2", {}, el("span", { class: "num", text: String(number) }),
        el("span", { text: stop.address || `${stop.kind} (no address)` })),
      el("p", { class: "state", text: state + (stop.eta ? ` · ETA ${hhmm(stop.eta)}` : "") }));
    const facts = el("dl", { class: "facts" });
    const fact = (label, value) => { if (value) facts.append(el("dt", { text: label }), el("dd", { text: value })); };
    fact("Risk", stop.risk);
    fact("Expect", stop.premises_type);
    fact("Network", stop.network);
    fact("Postcode", stop.postcode);
    fact("Safety", stop.safety_note);
    box.append(facts);
    if (!closed(stop)) box.append(actions(stop));
    return box;
  }

  function actions(stop) {
    const row = el("div", { class: "actions" });
    const button = (label, cls, handler) => row.append(el("button", { type: "button", class: cls, onclick: handler, text: label }));
    if (!stop.arrived_at) {
      if (!stop.on_way_at) button("On my way", "go", () => act(stop, { kind: "on_way" }));
      button("Arrived", "arrive", () => act(stop, { kind: "arrived" }));
    } else {
      const due = dueAt(stop);
      row.append(el("p", { class: "timer", text: `Check out by ${hhmm(due && due.toISOString())}` }));
      button("Done", "done", () => doneForm(stop));
    }
    button("Can't visit", "cant", () => cantForm(stop));
    row.append(el("a", { class: "nav", href: `geo:${stop.lat},${stop.lon}?q=${stop.lat},${stop.lon}`, text: "Navigate" }));
    return row;
  }

  function renderQueue() {
    const queue = read("queue", []);
    const box = $("queue");
    box.replaceChildren();
    if (!queue.length) return;
    box.append(el("h2", { text: `Waiting to send (${queue.length})` }));
    const list = el("ul", {});
    const names = Object.fromEntries(data().stops.map((s) => [s.location_id, s.address]));
    for (const item of queue) {
      list.append(el("li", { text: `${hhmm(item.done_at)} ${label(item)}: ${names[item.location_id] || "stop " + item.location_id}` }));
    }
    box.append(list);
  }

  function renderProblems() {
    const problems = read("problems", []);
    const box = $("problems");
    box.replaceChildren();
    problems.forEach((text, index) => {
      box.append(el("div", { class: "problem", role: "alert" }, el("p", { text }),
        el("button", { type: "button", text: "OK", onclick: () => {
          const left = read("problems", []); left.splice(index, 1); write("problems", left); renderProblems();
        } })));
    });
  }

  function label(item) {
    if (item.kind === "done") return `Done (${OUTCOME_TEXT[item.outcome]})`;
    if (item.kind === "cant_visit") return `Can't visit (${item.reason.replace("_", " ")})`;
    return item.kind === "arrived" ? "Arrived" : "On my way";
  }

  // --- forms -------------------------------------------------------------------------------
  function openForm(title, body, onSave) {
    const dialog = $("form");
    const note = el("textarea", { id: "note", maxlength: "500", rows: "2", placeholder: "Short note (optional)" });
    const form = el("form", { method: "dialog" }, el("h2", { text: title }), body,
      el("label", { for: "note", text: "Note" }), note,
      el("div", { class: "actions" },
        el("button", { type: "button", class: "done", id: "save", text: "Save", onclick: () => {
          const extra = onSave();
          if (!extra) return;
          dialog.close();
          extra.note = note.value.trim();
          extra.apply();
        } }),
        el("button", { type: "button", class: "cancel", text: "Cancel", onclick: () => dialog.close() })));
    dialog.replaceChildren(form);
    dialog.showModal();
  }

  function doneForm(stop) {
    const choose = el("fieldset", {}, el("legend", { text: "Outcome" }));
    ["actioned", "no_trace"].forEach((value, i) => choose.append(el("label", { class: "choice" },
      el("input", Object.assign({ type: "radio", name: "outcome", value }, i === 0 ? { checked: "" } : {})),
      el("span", { text: OUTCOME_TEXT[value] }))));
    const figures = el("fieldset", {}, el("legend", { text: "Results (if actioned)" }));
    RESULTS.forEach(([name, text]) => figures.append(el("label", { class: "figure" }, el("span", { text }),
      el("input", { type: "number", inputmode: "numeric", min: "0", max: "1000", name, value: "0" }))));
    openForm("Done: outcome", el("div", {}, choose, figures), () => {
      const outcome = $("form").querySelector("input[name=outcome]:checked").value;
      const results = {};
      if (outcome === "actioned") {
        figures.querySelectorAll("input").forEach((input) => {
          const value = parseInt(input.value, 10);
          if (value > 0) results[input.name] = Math.min(value, 1000);
        });
      }
      const out = { apply: () => act(stop, { kind: "done", outcome, results, note: out.note }) };
      return out;
    });
  }

  function cantForm(stop) {
    const choose = el("fieldset", {}, el("legend", { text: "Why not?" }));
    REASONS.forEach(([value, text], i) => choose.append(el("label", { class: "choice" },
      el("input", Object.assign({ type: "radio", name: "reason", value }, i === 0 ? { checked: "" } : {})),
      el("span", { text }))));
    openForm("Can't visit", choose, () => {
      const reason = $("form").querySelector("input[name=reason]:checked").value;
      const out = { apply: () => act(stop, { kind: "cant_visit", reason, note: out.note }) };
      return out;
    });
  }

  // --- the queue ---------------------------------------------------------------------------
  function act(stop, action) {
    const chain = read("chain", {});
    const item = Object.assign({ key: key(), location_id: stop.location_id,
      done_at: new Date().toISOString() }, action);
    if (chain[stop.location_id]) item.after = chain[stop.location_id];
    else item.version = stop.version;
    chain[stop.location_id] = item.key;
    write("chain", chain);
    write("queue", read("queue", []).concat([item]));
    applyLocally(stop.location_id, item);
    render();
    send();
  }

  function applyLocally(id, item) {
    const payload = data();
    const stop = payload.stops.find((s) => s.location_id === id);
    if (!stop) return;
    if (item.kind === "on_way") stop.on_way_at = item.done_at;
    if (item.kind === "arrived") { stop.arrived_at = item.done_at; stop.status = "in_progress"; }
    if (item.kind === "done" || item.kind === "cant_visit") {
      stop.left_at = item.done_at;
      stop.outcome = item.outcome || { no_access: "no_access", refused: "refused_entry", postponed: "postponed" }[item.reason];
      stop.status = "visited";
    }
    write("stops", payload);
  }

  async function send() {
    const queue = read("queue", []);
    if (sending || !queue.length) { showNet(); return; }
    if (!navigator.onLine) { showNet(`Offline: ${queue.length} waiting to send`); return; }
    sending = true;
    try {
      const response = await fetch("/api/field/actions", { method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json" }, body: JSON.stringify({ actions: queue }) });
      if (response.status === 401) { signedOut(); return; }
      if (!response.ok) throw new Error(`server said ${response.status}`);
      settle((await response.json()).results);
      await refresh();
    } catch (e) {
      showNet(`Offline: ${read("queue", []).length} waiting to send`);
    } finally {
      sending = false;
    }
  }

  function settle(results) {
    const answered = new Map(results.map((r) => [r.key, r]));
    const problems = read("problems", []);
    const chain = read("chain", {});
    const payload = data();
    const left = read("queue", []).filter((item) => {
      const answer = answered.get(item.key);
      if (!answer) return true;
      if (answer.state !== "applied") problems.push(`${label(item)} at ${hhmm(item.done_at)}: ${answer.message}`);
      if (chain[item.location_id] === item.key) {
        delete chain[item.location_id];
        // The next action on this stop starts from the version this one left, even if it is
        // taken before the stops are fetched again (else it would conflict with its own step).
        const stop = payload.stops.find((s) => s.location_id === item.location_id);
        if (stop && answer.state === "applied" && answer.version != null) stop.version = answer.version;
      }
      return false;
    });
    write("stops", payload);
    write("queue", left);
    write("chain", chain);
    write("problems", problems);
  }

  async function refresh() {
    try {
      const response = await fetch("/api/field/stops", { credentials: "same-origin" });
      if (response.status === 401 || response.redirected) { signedOut(); return; }
      if (!response.ok) {
        const body = await response.json().catch(() => ({}));
        showNet(body.error || `The server said ${response.status}`);
        return;
      }
      const payload = await response.json();
      write("stops", payload);
      if (!performance.getEntriesByName("field-usable").length) {
        requestAnimationFrame(() => performance.mark("field-usable"));  // the bench reads it
      }
      for (const item of read("queue", [])) applyLocally(item.location_id, item);
      showNet();
    } catch (e) {
      showNet("Offline: showing the stops saved on this phone");
    }
    render();
  }

  function signedOut() {
    showNet("Signed out: sign in again to send your updates.");
    $("net").append(" ", el("a", { href: "/login?next=/field", class: "link", text: "Sign in" }));
  }

  function showNet(text) {
    const waiting = read("queue", []).length;
    $("net").textContent = text || (waiting ? `${waiting} waiting to send` : "Up to date");
    $("net").className = "net" + (text || waiting ? " warn" : "");
    renderQueue();
  }

  // --- check-in reminders ------------------------------------------------------------------
  function remind() {
    const payload = data();
    const box = $("reminder");
    const now = Date.now();
    const open = payload.stops.filter((s) => s.arrived_at && !closed(s));
    const due = open.map((s) => [s, dueAt(s)]).filter(([, d]) => d && d.getTime() - now <= payload.remind_minutes * 60000);
    if (!due.length) { box.hidden = true; return; }
    const [stop, deadline] = due[0];
    box.hidden = false;
    box.textContent = deadline.getTime() <= now
      ? `Overdue: check out of ${stop.address || "this stop"} now, or call control.`
      : `Check out of ${stop.address || "this stop"} by ${hhmm(deadline.toISOString())}.`;
    if (navigator.vibrate && box.dataset.buzzed !== String(stop.location_id)) {
      navigator.vibrate([300, 100, 300]);
      box.dataset.buzzed = String(stop.location_id);
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    if ("serviceWorker" in navigator) navigator.serviceWorker.register("/field/sw.js", { scope: "/field" }).catch(() => {});
    render();
    refresh().then(send);
    window.addEventListener("online", send);
    window.addEventListener("offline", () => showNet("Offline: actions will wait on this phone"));
    setInterval(() => { send(); remind(); }, 15000);
    setInterval(refresh, 60000);
  });
})();
