// The monitor dashboard: a live grid of hosts by services fed by the /index WebSocket,
// and the alerts and silences from the JSON API. The session cookie authenticates both.
(function () {
  "use strict";
  const events = new Map(); // "host\u0000service" -> event
  let socket = null;
  let renderPending = false;

  const $ = (id) => document.getElementById(id);
  const text = (v) => (v === null || v === undefined ? "" : String(v));

  function stateClass(state) {
    const s = text(state).toLowerCase();
    if (s === "ok" || s === "warning" || s === "critical" || s === "expired" || s === "failure") return "gm-" + s;
    if (s === "error") return "gm-error-state";
    return "gm-other";
  }

  function formatMetric(m) {
    if (m === null || m === undefined) return "";
    if (typeof m !== "number") return text(m);
    if (Number.isInteger(m)) return String(m);
    const a = Math.abs(m);
    return a >= 100 ? m.toFixed(0) : a >= 1 ? m.toFixed(2) : m.toPrecision(3);
  }

  function cell(tag, content, cls) {
    const el = document.createElement(tag);
    el.textContent = content;
    if (cls) el.className = cls;
    return el;
  }

  function scheduleRender() {
    if (!renderPending) {
      renderPending = true;
      requestAnimationFrame(render);
    }
  }

  function render() {
    renderPending = false;
    const hosts = new Map();
    const services = new Set();
    for (const e of events.values()) {
      const h = text(e.host);
      if (!hosts.has(h)) hosts.set(h, new Map());
      hosts.get(h).set(text(e.service), e);
      services.add(text(e.service));
    }
    const svcList = [...services].sort();
    const table = document.createElement("table");
    const head = document.createElement("tr");
    head.appendChild(cell("th", "host"));
    for (const s of svcList) head.appendChild(cell("th", s, "gm-svc"));
    table.appendChild(head);
    for (const h of [...hosts.keys()].sort()) {
      const row = document.createElement("tr");
      row.appendChild(cell("th", h));
      for (const s of svcList) {
        const e = hosts.get(h).get(s);
        const td = e ? cell("td", formatMetric(e.metric) || text(e.state), stateClass(e.state)) : cell("td", "");
        if (e) {
          td.dataset.host = h;
          td.dataset.service = s;
          td.dataset.state = text(e.state);
          td.title = h + " " + s + "\n" + text(e.state) + " " + text(e.description) + "\n" + text(e.time);
        }
        row.appendChild(td);
      }
      table.appendChild(row);
    }
    const grid = $("gm-grid");
    grid.replaceChildren(table);
  }

  function connect(query) {
    if (socket) {
      socket.onclose = null;
      socket.close();
    }
    events.clear();
    scheduleRender();
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    const url = proto + "//" + location.host + "/index?subscribe=true&query=" + encodeURIComponent(query);
    socket = new WebSocket(url);
    $("gm-status").textContent = "connecting…";
    socket.onopen = () => { $("gm-status").textContent = "live"; };
    socket.onmessage = (msg) => {
      const e = JSON.parse(msg.data);
      const key = text(e.host) + "\u0000" + text(e.service);
      if (e.state === "expired") events.delete(key); else events.set(key, e);
      scheduleRender();
    };
    socket.onclose = (ev) => {
      $("gm-status").textContent = ev.reason ? "closed: " + ev.reason : "disconnected, retrying…";
      if (!ev.reason) setTimeout(() => connect(query), 2000);
    };
  }

  async function json(url, options) {
    const r = await fetch(url, Object.assign({ credentials: "same-origin" }, options || {}));
    const body = await r.json();
    if (!r.ok) throw new Error(body.error || r.statusText);
    return body;
  }

  async function refreshAlerts() {
    try {
      const alerts = await json("/monitor/api/alerts");
      const body = $("gm-alerts").tBodies[0];
      body.replaceChildren();
      for (const a of alerts) {
        const tr = document.createElement("tr");
        tr.className = (a.status === "firing" ? "gm-firing" : a.status === "resolved" ? "gm-ok" : "gm-warning")
          + (a.silenced ? " gm-silenced" : "");
        tr.appendChild(cell("td", a.status + (a.silenced ? " (silenced)" : "")));
        tr.appendChild(cell("td", a.name));
        tr.appendChild(cell("td", text(a.host)));
        tr.appendChild(cell("td", text(a.service)));
        tr.appendChild(cell("td", text(a.summary)));
        tr.appendChild(cell("td", text(a.firingSince || a.activeSince)));
        body.appendChild(tr);
      }
      const silences = await json("/monitor/api/silences");
      const sb = $("gm-silences").tBodies[0];
      sb.replaceChildren();
      for (const s of silences) {
        const tr = document.createElement("tr");
        tr.appendChild(cell("td", s.query));
        tr.appendChild(cell("td", s.endsAt));
        tr.appendChild(cell("td", s.comment));
        const td = document.createElement("td");
        const b = cell("button", "expire");
        b.onclick = async () => {
          await json("/monitor/api/silences/" + encodeURIComponent(s.id), { method: "DELETE" });
          refreshAlerts();
        };
        td.appendChild(b);
        tr.appendChild(td);
        sb.appendChild(tr);
      }
    } catch (err) {
      $("gm-status").textContent = "API: " + err.message;
    }
  }

  $("gm-query-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    connect($("gm-query").value);
  });
  $("gm-silence-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    $("gm-silence-error").textContent = "";
    try {
      await json("/monitor/api/silences", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          query: $("gm-silence-query").value,
          duration: $("gm-silence-duration").value || "1h",
          comment: $("gm-silence-comment").value,
        }),
      });
      refreshAlerts();
    } catch (err) {
      $("gm-silence-error").textContent = err.message;
    }
  });

  connect($("gm-query").value);
  refreshAlerts();
  setInterval(refreshAlerts, 3000);
})();
