package dev.gantry.monitor.cli;

import dev.gantry.core.UserError;
import dev.gantry.monitor.client.Event;
import dev.gantry.monitor.client.TcpClient;
import dev.gantry.monitor.client.UdpClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gantry monitor send}: one event, acknowledged over TCP (or fire-and-forget UDP).
 *
 * <pre>{@code
 * gantry monitor send -S "backup age" -m 42 -s ok -t backup -L 600 --server 127.0.0.1:5555
 * }</pre>
 */
@Command(name = "send", mixinStandardHelpOptions = true, description = "Send an event to the monitor.")
public final class SendCommand extends Commands {
  @Mixin
  ServerAddress address;

  @Option(names = "--host", description = "the event's host (default: this machine's name)")
  String host;

  @Option(names = {"-S", "--service"}, required = true, description = "the event's service")
  String service;

  @Option(names = {"-s", "--state"}, description = "ok, warning, critical, ...")
  String state;

  @Option(names = {"-m", "--metric"}, description = "a number")
  String metric;

  @Option(names = {"-d", "--description"})
  String description;

  @Option(names = {"-t", "--tag"}, description = "a tag (repeatable)")
  List<String> tags = new ArrayList<>();

  @Option(names = {"-a", "--attribute"}, description = "KEY=VALUE (repeatable)")
  Map<String, String> attributes = Map.of();

  @Option(names = {"-L", "--ttl"}, description = "seconds the event stays valid")
  Float ttl;

  @Option(names = "--udp", description = "send over UDP without acknowledgement")
  boolean udp;

  @Option(names = "--json", description = "print the result as JSON")
  boolean json;

  @Override
  void run() throws IOException {
    Event.Builder b = Event.builder().host(host != null ? host : java.net.InetAddress.getLocalHost().getHostName())
        .service(service).state(state).description(description).tags(tags);
    if (metric != null) {
      try {
        b.metric(metric.matches("-?\\d+") ? (Number) Long.parseLong(metric) : Double.parseDouble(metric));
      } catch (NumberFormatException e) {
        throw new UserError("--metric: '" + metric + "' is not a number");
      }
    }
    if (ttl != null) {
      if (!(ttl > 0)) {
        throw new UserError("--ttl: must be a positive number of seconds");
      }
      b.ttl(ttl);
    }
    attributes.forEach(b::attribute);
    Event e = b.build();
    if (udp) {
      try (UdpClient c = UdpClient.to(address.host(), address.port())) {
        c.send(List.of(e));
      }
    } else {
      try (TcpClient c = TcpClient.connect(address.host(), address.port())) {
        c.send(List.of(e));
      }
    }
    out().println(json ? "{\"ok\":true}" : "sent " + e.host() + " " + e.service() + (udp ? " (udp)" : ""));
    out().flush();
  }
}
