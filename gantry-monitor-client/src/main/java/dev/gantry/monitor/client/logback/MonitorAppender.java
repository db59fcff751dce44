package dev.gantry.monitor.client.logback;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import dev.gantry.monitor.client.BatchingClient;
import dev.gantry.monitor.client.Event;
import dev.gantry.monitor.client.TcpClient;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A Logback appender that sends each log event at or above {@code level} to a Gantry
 * monitor (or any Riemann server) in the background, never blocking the logging thread.
 * State is {@code critical} for ERROR, {@code warning} for WARN, {@code ok} otherwise;
 * the logger, thread and level travel as attributes.
 *
 * <pre>{@code
 * <appender name="MONITOR" class="dev.gantry.monitor.client.logback.MonitorAppender">
 *   <remoteHost>127.0.0.1</remoteHost><port>5555</port>
 *   <service>capital app log</service><level>WARN</level>
 * </appender>
 * }</pre>
 */
public final class MonitorAppender extends AppenderBase<ILoggingEvent> {
  private static final int MAX_DESCRIPTION = 8 * 1024;

  private String remoteHost = "127.0.0.1";
  private int port = 5555;
  private String service = "log";
  private String host = localHostName();
  private Level level = Level.INFO;
  private float ttl = 300;
  private int queueSize = 10_000;
  private int batchSize = 100;
  private BatchingClient client;

  public void setRemoteHost(String remoteHost) { this.remoteHost = remoteHost; }
  public void setPort(int port) { this.port = port; }
  public void setService(String service) { this.service = service; }
  /** The host name the events carry; the machine's name by default. */
  public void setHost(String host) { this.host = host; }
  /** The lowest level sent (INFO by default). */
  public void setLevel(String level) { this.level = Level.toLevel(level, Level.INFO); }
  public void setTtl(float ttl) { this.ttl = ttl; }
  public void setQueueSize(int queueSize) { this.queueSize = queueSize; }
  public void setBatchSize(int batchSize) { this.batchSize = batchSize; }

  /** Events lost because the queue was full or the server refused them. */
  public long dropped() {
    return client == null ? 0 : client.dropped();
  }

  @Override
  public void start() {
    if (port < 1 || port > 65535) {
      addError("MonitorAppender: port " + port + " is not in 1..65535");
      return;
    }
    client = BatchingClient.start(TcpClient.connect(remoteHost, port), queueSize, batchSize);
    super.start();
  }

  @Override
  public void stop() {
    super.stop();
    if (client != null) {
      client.close();
      client = null;
    }
  }

  @Override
  protected void append(ILoggingEvent le) {
    // the client's own log lines would feed back into it
    if (!le.getLevel().isGreaterOrEqual(level) || le.getLoggerName().startsWith("dev.gantry.monitor.client")) {
      return;
    }
    client.offer(toEvent(le));
  }

  Event toEvent(ILoggingEvent le) {
    String description = le.getFormattedMessage();
    IThrowableProxy t = le.getThrowableProxy();
    if (t != null) {
      description = description + "\n" + ThrowableProxyUtil.asString(t);
    }
    if (description != null && description.length() > MAX_DESCRIPTION) {
      description = description.substring(0, MAX_DESCRIPTION);
    }
    String state = le.getLevel().isGreaterOrEqual(Level.ERROR) ? "critical"
        : le.getLevel().isGreaterOrEqual(Level.WARN) ? "warning" : "ok";
    return Event.builder()
        .host(host)
        .service(service)
        .state(state)
        .description(description)
        .timeMicros(le.getTimeStamp() * 1000L)
        .ttl(ttl)
        .tags("log", le.getLevel().toString().toLowerCase(java.util.Locale.ROOT))
        .attribute("logger", le.getLoggerName())
        .attribute("thread", le.getThreadName())
        .attribute("level", le.getLevel().toString())
        .build();
  }

  private static String localHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
