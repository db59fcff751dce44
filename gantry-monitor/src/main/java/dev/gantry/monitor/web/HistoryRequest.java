package dev.gantry.monitor.web;

import dev.gantry.core.UserError;
import dev.gantry.monitor.index.IndexKey;
import dev.gantry.monitor.query.Query;
import dev.gantry.monitor.query.QueryException;

/**
 * What {@code GET /monitor/api/history} was asked for: one series by host and service, or
 * the series a query matches. Bad parameters are a {@link UserError} saying what to give.
 *
 * <pre>{@code
 * HistoryRequest r = HistoryRequest.parse(ctx.queryParam("host"), ctx.queryParam("service"), ctx.queryParam("query"));
 * }</pre>
 */
sealed interface HistoryRequest {
  /** Longest host or service accepted. */
  int MAX_NAME = 1024;

  /** The series of one host and service. */
  record OneSeries(IndexKey key) implements HistoryRequest {}

  /** Every series whose latest point matches. */
  record Matching(String text, Query query) implements HistoryRequest {}

  static HistoryRequest parse(String host, String service, String query) {
    if (query != null) {
      if (host != null || service != null) {
        throw new UserError("history: give either host and service, or query, not both");
      }
      if (query.isBlank()) {
        throw new UserError("history: query is empty; give a Riemann query such as service =~ \"cpu%\"");
      }
      try {
        return new Matching(query, Query.parse(query));
      } catch (QueryException e) {
        throw new UserError("history: " + e.getMessage());
      }
    }
    if (host == null && service == null) {
      throw new UserError("history: give host and service (one series), or query (the series it matches)");
    }
    return new OneSeries(new IndexKey(name("host", host, service), name("service", service, host)));
  }

  private static String name(String what, String value, String other) {
    String otherName = what.equals("host") ? "service" : "host";
    if (value == null) {
      throw new UserError("history: " + what + " is missing (" + otherName + " '" + other + "' given); give both");
    }
    if (value.isBlank()) {
      throw new UserError("history: " + what + " is empty");
    }
    if (value.length() > MAX_NAME) {
      throw new UserError("history: " + what + " of " + value.length() + " characters is longer than the most of " + MAX_NAME);
    }
    return value;
  }
}
