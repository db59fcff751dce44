// The monitor dashboard: a live grid of hosts by services fed by the /index WebSocket,
// coloured by state; a chart of any cell or query over the history's window drawn with uPlot
// and kept current from the same socket; event rates per host; the alerts and silences from
// the JSON API. The session cookie authenticates all of it.
(function () {
  "use strict";
  const events = new Map(); // "host\u0000service" -> latest event (an expired one stays, greyed)
  const firing = new Set(); // "host\u0000service" of firing alerts
  let socket = null;
  let renderPending = false;
  let lastStale = "";
  let chart = null; // { keys, tables, plot, windowSeconds }
  const sparks = new Map(); // host -> { box, plot }

  const COLOURS = ["#1f6feb", "#cf222e", "#1a7f37", "#9a6700", "#8250df", "#0a7ea4", "#bf3989", "#57606a"];
  const $ = (id) => document.getElementById(id);
  const text = (v) => (v === null || v === undefined ? "" : String(v));
  const keyOf = (host, service) => text(host) + "\u0000" + text(service);

  // events sent without a TTL live the monitor's default
  const defaultTtl = Number($("gm-dash").dataset.defaultTtl) || 60;

  /** Whether no newer event came within the event's TTL (the monitor expires it on its next tick). */
  function isStale(e, now) {
    if (e.state === "expired") return false;
    const t = Date.parse(e.time);
    return !isNaN(t) && t + (typeof e.ttl === "number" ? e.ttl : defaultTtl) * 1000 < now;
  }

  function stateClass(e, now) {
    if (isStale(e, now)) return "gm-stale";
    const s = text(e.state).toLowerCase();
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

  /** collectd's services read "plugin-instance/type-instance": the part before "/" groups the columns. */
  function splitService(s) {
    const i = s.indexOf("/");
    return i > 0 ? { group: s.slice(0, i), rest: s.slice(i + 1) } : { group: null, rest: s };
  }

  function headerRows(svcList) {
    const top = document.createElement("tr");
    const bottom = document.createElement("tr");
    const host = cell("th", "host", "gm-host-head");
    host.rowSpan = 2;
    top.appendChild(host);
    let i = 0;
    while (i < svcList.length) {
      const { group } = splitService(svcList[i]);
      if (group === null) {
        const th = cell("th", svcList[i], "gm-svc");
        th.rowSpan = 2;
        top.appendChild(th);
        i++;
        continue;
      }
      let j = i;
      while (j < svcList.length && splitService(svcList[j]).group === group) {
        bottom.appendChild(cell("th", splitService(svcList[j]).rest, "gm-svc"));
        j++;
      }
      const th = cell("th", group, "gm-plugin");
      th.colSpan = j - i;
      top.appendChild(th);
      i = j;
    }
    return [top, bottom];
  }

  function render() {
    renderPending = false;
    const now = Date.now();
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
    const thead = document.createElement("thead");
    headerRows(svcList).forEach((r) => thead.appendChild(r));
    table.appendChild(thead);
    const tbody = document.createElement("tbody");
    for (const h of [...hosts.keys()].sort()) {
      const row = document.createElement("tr");
      row.appendChild(cell("th", h));
      for (const s of svcList) {
        const e = hosts.get(h).get(s);
        if (!e) {
          row.appendChild(cell("td", ""));
          continue;
        }
        const cls = stateClass(e, now);
        const td = cell("td", formatMetric(e.metric) || text(e.state),
          cls + (firing.has(keyOf(h, s)) ? " gm-alerting" : ""));
        td.dataset.host = h;
        td.dataset.service = s;
        td.dataset.state = cls === "gm-stale" ? "stale" : text(e.state);
        td.title = h + " " + s + "\n" + (cls === "gm-stale" ? "stale: no event within its TTL, last " : "")
          + text(e.state) + " " + text(e.description) + "\n" + text(e.time)
          + (typeof e.metric === "number" ? "\nclick for the chart" : "");
        row.appendChild(td);
      }
      tbody.appendChild(row);
    }
    table.appendChild(tbody);
    $("gm-grid").replaceChildren(table);
  }

  // a cell turns stale without any event arriving: look again every second
  function watchStaleness() {
    const now = Date.now();
    let stale = "";
    for (const [k, e] of events) if (isStale(e, now)) stale += k + "\n";
    if (stale !== lastStale) {
      lastStale = stale;
      scheduleRender();
    }
  }

  // ---- the chart of a cell or a query ----

  function join(tables) {
    return tables.length === 1 ? [tables[0][0], tables[0][1]] : uPlot.join(tables);
  }

  function countPoints() {
    return chart.tables.reduce((n, t) => n + t[0].length, 0);
  }

  function redraw() {
    chart.plot.setData(join(chart.tables));
    $("gm-chart").dataset.points = String(countPoints());
    $("gm-chart-note").textContent = countPoints() + " points over the last "
      + Math.round(chart.windowSeconds / 60) + " min" + (chart.truncated ? " (the first 20 series)" : "") + "; live";
  }

  async function openChart(params, title) {
    const panel = $("gm-chart-panel");
    panel.hidden = false;
    $("gm-chart-title").textContent = title;
    $("gm-chart-note").textContent = "loading…";
    $("gm-chart-error").textContent = "";
    let body;
    try {
      body = await json("/monitor/api/history?" + new URLSearchParams(params).toString());
    } catch (err) {
      $("gm-chart-error").textContent = err.message;
      $("gm-chart-note").textContent = "";
      return;
    }
    closeChart(false);
    const plotEl = $("gm-chart");
    if (body.series.length === 0) {
      $("gm-chart-note").textContent = "No metric history for this yet: points appear as events with a metric arrive.";
    }
    const series = body.series.length ? body.series
      : [{ host: params.host, service: params.service, times: [], values: [] }];
    const tables = series.map((s) => [s.times.slice(), s.values.slice()]);
    const opts = {
      width: Math.max(320, plotEl.clientWidth || 800), height: 260,
      scales: { x: { time: true } },
      series: [{}].concat(series.map((s, i) => ({
        label: series.length === 1 ? text(s.service) : text(s.host) + " " + text(s.service),
        stroke: COLOURS[i % COLOURS.length], width: 2, spanGaps: true,
        points: { show: (u, si, i0, i1) => i1 - i0 < 120 },
      }))),
      axes: [{}, { size: 60 }],
    };
    chart = {
      keys: series.map((s) => keyOf(s.host, s.service)), tables, windowSeconds: body.windowSeconds,
      truncated: body.truncated, plot: new uPlot(opts, join(tables), plotEl),
    };
    window.gantryMonitor.chart = chart.plot;
    if (body.series.length) redraw();
  }

  function closeChart(hide) {
    if (chart) {
      chart.plot.destroy();
      chart = null;
      window.gantryMonitor.chart = null;
    }
    $("gm-chart").replaceChildren();
    delete $("gm-chart").dataset.points;
    if (hide) $("gm-chart-panel").hidden = true;
  }

  /** A live event of a charted series becomes a point, in time order; points past the window go. */
  function addLivePoint(e) {
    if (!chart || typeof e.metric !== "number" || e.state === "expired") return;
    const i = chart.keys.indexOf(keyOf(e.host, e.service));
    if (i < 0) return;
    const t = Date.parse(e.time) / 1000;
    if (isNaN(t)) return;
    const [xs, ys] = chart.tables[i];
    let at = xs.length;
    while (at > 0 && xs[at - 1] > t) at--;
    if (at > 0 && xs[at - 1] === t) {
      ys[at - 1] = e.metric;
    } else {
      xs.splice(at, 0, t);
      ys.splice(at, 0, e.metric);
    }
    const cutoff = Date.now() / 1000 - chart.windowSeconds;
    while (xs.length && xs[0] < cutoff) {
      xs.shift();
      ys.shift();
    }
    redraw();
  }

  // ---- event rates per host ----

  function sparkline(host) {
    const box = document.createElement("div");
    box.className = "gm-rate";
    box.dataset.host = host;
    box.appendChild(cell("span", host, "gm-rate-host"));
    box.appendChild(cell("span", "", "gm-rate-now"));
    const plotEl = document.createElement("div");
    box.appendChild(plotEl);
    const plot = new uPlot({
      width: 170, height: 40, legend: { show: false }, cursor: { show: false },
      scales: { x: { time: false }, y: { range: (u, min, max) => [0, max > 0 ? max * 1.15 : 1] } },
      axes: [{ show: false }, { show: false }],
      series: [{}, { stroke: "#1f6feb", fill: "rgba(31,111,235,.15)", width: 1.5 }],
    }, [[], []], plotEl);
    return { box, plot };
  }

  async function refreshRates() {
    try {
      const r = await json("/monitor/api/rates");
      const holder = $("gm-rates");
      const seen = new Set();
      for (const h of r.hosts) {
        seen.add(h.host);
        let s = sparks.get(h.host);
        if (!s) {
          s = sparkline(h.host);
          sparks.set(h.host, s);
        }
        holder.appendChild(s.box); // in the answer's order, by host
        const xs = h.perSecond.map((v, i) => r.startSecond + i * r.bucketSeconds);
        s.plot.setData([xs, h.perSecond]);
        const last = h.perSecond[h.perSecond.length - 1];
        s.box.querySelector(".gm-rate-now").textContent = formatMetric(last) + "/s";
        s.box.title = h.host + ": events per second, " + r.bucketSeconds + " s buckets over the last "
          + Math.round(h.perSecond.length * r.bucketSeconds / 60) + " min";
      }
      for (const [host, s] of sparks) {
        if (!seen.has(host)) {
          s.plot.destroy();
          s.box.remove();
          sparks.delete(host);
        }
      }
      $("gm-rates-note").textContent = r.hosts.length ? "" : "No events in the last minutes.";
    } catch (err) {
      $("gm-rates-note").textContent = "API: " + err.message;
    }
  }

  // ---- the live stream ----

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
      const key = keyOf(e.host, e.service);
      const before = events.get(key);
      // an expiry carries the expiry's time: keep the last value shown, greyed
      if (e.state === "expired" && before && (e.metric === null || e.metric === undefined)) e.metric = before.metric;
      events.set(key, e);
      addLivePoint(e);
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

  function timeCell(iso) {
    const td = document.createElement("td");
    if (iso) {
      const t = cell("time", iso);
      t.setAttribute("datetime", iso);
      td.appendChild(t);
    }
    return td;
  }

  async function refreshAlerts() {
    try {
      const alerts = await json("/monitor/api/alerts");
      const body = $("gm-alerts").tBodies[0];
      body.replaceChildren();
      const nowFiring = new Set();
      for (const a of alerts) {
        if (a.status === "firing") nowFiring.add(keyOf(a.host, a.service));
        const tr = document.createElement("tr");
        tr.className = (a.status === "firing" ? "gm-firing" : a.status === "resolved" ? "gm-ok" : "gm-warning")
          + (a.silenced ? " gm-silenced" : "");
        tr.appendChild(cell("td", a.status + (a.silenced ? " (silenced)" : "")));
        tr.appendChild(cell("td", a.name));
        tr.appendChild(cell("td", text(a.host)));
        tr.appendChild(cell("td", text(a.service)));
        tr.appendChild(cell("td", text(a.summary)));
        tr.appendChild(timeCell(a.firingSince || a.activeSince));
        body.appendChild(tr);
      }
      if ([...nowFiring].join("\n") !== [...firing].join("\n")) {
        firing.clear();
        nowFiring.forEach((k) => firing.add(k));
        scheduleRender();
      }
      const silences = await json("/monitor/api/silences");
      const sb = $("gm-silences").tBodies[0];
      sb.replaceChildren();
      for (const s of silences) {
        const tr = document.createElement("tr");
        tr.appendChild(cell("td", s.query));
        tr.appendChild(timeCell(s.endsAt));
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

  window.gantryMonitor = { chart: null };

  $("gm-query-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    connect($("gm-query").value);
  });
  $("gm-grid").addEventListener("click", (ev) => {
    const td = ev.target.closest("td[data-service]");
    if (td) openChart({ host: td.dataset.host, service: td.dataset.service }, td.dataset.host + " · " + td.dataset.service);
  });
  $("gm-chart-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const q = $("gm-chart-query").value;
    openChart({ query: q }, q);
  });
  $("gm-chart-close").addEventListener("click", () => closeChart(true));
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
  // the chart follows the window's width
  let resizing;
  window.addEventListener("resize", () => {
    clearTimeout(resizing);
    resizing = setTimeout(() => {
      if (chart) chart.plot.setSize({ width: Math.max(320, $("gm-chart").clientWidth), height: 260 });
    }, 150);
  });

  connect($("gm-query").value);
  refreshAlerts();
  refreshRates();
  setInterval(refreshAlerts, 3000);
  setInterval(refreshRates, 10000);
  setInterval(watchStaleness, 1000);
})();
