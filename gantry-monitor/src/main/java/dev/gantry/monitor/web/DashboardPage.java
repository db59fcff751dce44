package dev.gantry.monitor.web;

/**
 * The dashboard's HTML skeleton; {@code /assets/monitor/dashboard.js} fills it from the
 * {@code /index} WebSocket and the alerts, silences, history and rates API, and draws the
 * charts with the uPlot the web server serves.
 */
final class DashboardPage {
  private DashboardPage() {}

  /** The page; {@code defaultTtlSeconds} tells it when an event sent without a TTL turns stale. */
  static String body(double defaultTtlSeconds) {
    return """
        <link rel="stylesheet" href="/assets/vendor/uplot/uPlot.min.css">
        <link rel="stylesheet" href="/assets/monitor/dashboard.css">
        <div class="gm-dash" id="gm-dash" data-default-ttl="%s">
          <h1>Monitor</h1>
          <form id="gm-query-form" class="gm-row">
            <label for="gm-query">Query</label>
            <input id="gm-query" name="query" value="true" size="60" spellcheck="false">
            <button type="submit">Show</button>
            <span id="gm-status" class="gm-status">connecting…</span>
          </form>
          <section>
            <h2>Alerts</h2>
            <table id="gm-alerts" class="gm-table"><thead><tr><th>Status</th><th>Alert</th><th>Host</th>
              <th>Service</th><th>Summary</th><th>Since</th></tr></thead><tbody></tbody></table>
          </section>
          <section>
            <h2>Silences</h2>
            <table id="gm-silences" class="gm-table"><thead><tr><th>Query</th><th>Until</th><th>Comment</th>
              <th></th></tr></thead><tbody></tbody></table>
            <form id="gm-silence-form" class="gm-row">
              <input id="gm-silence-query" placeholder='host = "web1"' size="30" spellcheck="false">
              <input id="gm-silence-duration" placeholder="2h" size="5">
              <input id="gm-silence-comment" placeholder="why" size="20">
              <button type="submit">Silence</button>
              <span id="gm-silence-error" class="gm-error"></span>
            </form>
          </section>
          <section>
            <h2>Hosts × services</h2>
            <div class="gm-row gm-legend" id="gm-legend">
              <span class="gm-swatch gm-ok">ok</span><span class="gm-swatch gm-warning">warning</span>
              <span class="gm-swatch gm-critical">critical</span><span class="gm-swatch gm-expired">expired</span>
              <span class="gm-swatch gm-stale" title="no event within its TTL">stale</span>
              <span class="gm-swatch gm-other">no state</span>
              <span class="gm-swatch gm-alerting">alert firing</span>
              <span class="gm-status">Click a cell for its chart.</span>
            </div>
            <form id="gm-chart-form" class="gm-row">
              <label for="gm-chart-query">Chart</label>
              <input id="gm-chart-query" placeholder='service =~ "cpu%%"' size="40" spellcheck="false">
              <button type="submit">Chart</button>
            </form>
            <div id="gm-chart-panel" class="chart gm-chart-panel" hidden>
              <div class="gm-row"><h3 id="gm-chart-title"></h3><span id="gm-chart-note" class="gm-status"></span>
                <span id="gm-chart-error" class="gm-error"></span>
                <button type="button" id="gm-chart-close" class="gm-close">close</button></div>
              <div id="gm-chart"></div>
            </div>
            <div id="gm-grid"></div>
          </section>
          <section>
            <h2>Events per second by host</h2>
            <p id="gm-rates-note" class="gm-status"></p>
            <div id="gm-rates" class="gm-rates"></div>
          </section>
        </div>
        <script src="/assets/vendor/uplot/uPlot.iife.min.js"></script>
        <script src="/assets/monitor/dashboard.js"></script>
        """.formatted(defaultTtlSeconds);
  }
}
