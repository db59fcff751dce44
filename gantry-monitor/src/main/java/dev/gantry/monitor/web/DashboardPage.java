package dev.gantry.monitor.web;

/**
 * The dashboard's HTML skeleton; {@code /assets/monitor/dashboard.js} fills it from the
 * {@code /index} WebSocket and the alerts and silences API.
 */
final class DashboardPage {
  private DashboardPage() {}

  static String body() {
    return """
        <link rel="stylesheet" href="/assets/monitor/dashboard.css">
        <div class="gm-dash">
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
            <div id="gm-grid"></div>
          </section>
        </div>
        <script src="/assets/monitor/dashboard.js"></script>
        """;
  }
}
