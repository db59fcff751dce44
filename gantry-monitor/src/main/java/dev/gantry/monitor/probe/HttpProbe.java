package dev.gantry.monitor.probe;

import dev.gantry.core.definition.DefinitionError;
import dev.gantry.core.infra.Declaration;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * An external check of a web address, declared in the infrastructure definition; its
 * results are events like any other source's (tags "probe" and "http"):
 * {@code probe <name>} with the latency in ms and state ok/critical, and for HTTPS
 * {@code probe <name> tls cert days} with the days left on the certificate: a warning below
 * {@link #warnCertDaysBelow}, critical below {@link #criticalCertDaysBelow} or once expired.
 *
 * <pre>{@code
 * i.add(HttpProbe.get("https://capital.example.com/health").every(Duration.ofMinutes(1))
 *     .expectStatus(200).expectBody("ok").warnCertDaysBelow(14).criticalCertDaysBelow(3)
 *     .trusting(Path.of("ca/ca.crt")));
 * }</pre>
 */
public record HttpProbe(String name, URI url, Duration interval, Duration timeout, int expectedStatus,
    String expectedBody, int certWarnDays, int certCriticalDays, Path trustedCa) implements Declaration {

  public HttpProbe {
    if (url == null || url.getScheme() == null || !(url.getScheme().equals("http") || url.getScheme().equals("https"))
        || url.getHost() == null) {
      throw new DefinitionError("probe '" + name + "': '" + url + "' is not an http(s) URL with a host");
    }
    if (interval.toMillis() < 100 || timeout.toMillis() < 10) {
      throw new DefinitionError("probe '" + name + "': interval must be >= 100 ms and timeout >= 10 ms");
    }
    if (expectedStatus < 100 || expectedStatus > 599) {
      throw new DefinitionError("probe '" + name + "': expected status " + expectedStatus + " is not an HTTP status");
    }
    if (certWarnDays < 0 || certCriticalDays < 0) {
      throw new DefinitionError("probe '" + name + "': certificate days must be 0 or more, got warning "
          + certWarnDays + " and critical " + certCriticalDays);
    }
  }

  /** A probe of {@code url} every 30 s, 10 s timeout, expecting 200, warning at 14 days of certificate. */
  public static HttpProbe get(String url) {
    URI u;
    try {
      u = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new DefinitionError("probe: '" + url + "' is not a URL: " + e.getMessage());
    }
    return new HttpProbe(u.getHost() + (u.getPath() == null ? "" : u.getPath()), u, Duration.ofSeconds(30),
        Duration.ofSeconds(10), 200, null, 14, 0, null);
  }

  public HttpProbe named(String n) {
    return new HttpProbe(n, url, interval, timeout, expectedStatus, expectedBody, certWarnDays, certCriticalDays, trustedCa);
  }

  public HttpProbe every(Duration d) {
    return new HttpProbe(name, url, d, timeout, expectedStatus, expectedBody, certWarnDays, certCriticalDays, trustedCa);
  }

  public HttpProbe timeout(Duration d) {
    return new HttpProbe(name, url, interval, d, expectedStatus, expectedBody, certWarnDays, certCriticalDays, trustedCa);
  }

  public HttpProbe expectStatus(int status) {
    return new HttpProbe(name, url, interval, timeout, status, expectedBody, certWarnDays, certCriticalDays, trustedCa);
  }

  /** The body must contain {@code text}. */
  public HttpProbe expectBody(String text) {
    return new HttpProbe(name, url, interval, timeout, expectedStatus, text, certWarnDays, certCriticalDays, trustedCa);
  }

  /** The certificate event is a warning with fewer than {@code days} left (14 unless said). */
  public HttpProbe warnCertDaysBelow(int days) {
    return new HttpProbe(name, url, interval, timeout, expectedStatus, expectedBody, days, certCriticalDays, trustedCa);
  }

  /**
   * The certificate event is critical with fewer than {@code days} left, not only once it
   * has expired (the default).
   */
  public HttpProbe criticalCertDaysBelow(int days) {
    return new HttpProbe(name, url, interval, timeout, expectedStatus, expectedBody, certWarnDays, days, trustedCa);
  }

  /** Trusts only the CA certificate(s) in this PEM file (an internal CA) instead of the system's. */
  public HttpProbe trusting(Path caPem) {
    return new HttpProbe(name, url, interval, timeout, expectedStatus, expectedBody, certWarnDays, certCriticalDays, caPem);
  }

  /** The service name of the probe's main event. */
  public String service() {
    return "probe " + name;
  }
}
