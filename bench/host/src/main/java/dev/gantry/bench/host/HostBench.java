package dev.gantry.bench.host;

import dev.gantry.host.spin.HostReport;
import dev.gantry.host.spin.SpinListener;
import dev.gantry.host.spin.SpinOptions;
import dev.gantry.host.spin.Spinner;
import dev.gantry.host.ssh.SshOptions;
import dev.gantry.host.vault.GpgDecryptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The host benchmark's Java side.
 *
 * <pre>
 * HostBench generate DIR PORT...        writes DIR/infra/Infra.java, DIR/playbook.yml, DIR/inventory
 * HostBench spin DIR KNOWN_HOSTS KEY N HOST...   spins the hosts N times in this JVM, prints ms per run
 * </pre>
 */
public final class HostBench {
  private HostBench() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "generate" -> generate(Path.of(args[1]), Arrays.stream(args, 2, args.length).mapToInt(Integer::parseInt).toArray());
      case "request" -> request(Path.of(args[1]), args[2], Path.of(args[3]));
      case "spin" -> spin(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]), Integer.parseInt(args[4]),
          List.of(args).subList(5, args.length));
      default -> throw new IllegalArgumentException("generate or spin");
    }
    System.exit(0);
  }

  static void generate(Path dir, int[] ports) throws Exception {
    List<Checks.Check> checks = Checks.all();
    StringBuilder java = new StringBuilder("""
        import dev.gantry.core.infra.*;
        import dev.gantry.host.lib.*;
        import dev.gantry.host.property.*;
        import dev.gantry.core.target.FileAttrs;

        public class Infra implements InfrastructureDefinition {
          static Property[] checks() {
            return new Property[] {
        """);
    for (Checks.Check c : checks) {
      java.append("      ").append(c.gantry()).append(",\n");
    }
    java.append("    };\n  }\n\n  public void define(Infrastructure i) {\n");
    for (int h = 0; h < ports.length; h++) {
      java.append("    i.host(\"h").append(h + 1).append("\").address(\"127.0.0.1\").sshPort(").append(ports[h])
          .append(").with(checks());\n");
    }
    java.append("  }\n}\n");
    Files.createDirectories(dir.resolve("infra"));
    Files.writeString(dir.resolve("infra/Infra.java"), java);

    StringBuilder yml = new StringBuilder("- hosts: all\n  gather_facts: false\n  tasks:\n");
    for (int i = 0; i < checks.size(); i++) {
      yml.append("    - name: check ").append(i + 1).append("\n      ").append(checks.get(i).ansible()).append('\n');
    }
    Files.writeString(dir.resolve("playbook.yml"), yml);
    String inventory = IntStream.range(0, ports.length).mapToObj(h -> "h" + (h + 1)
            + " ansible_host=127.0.0.1 ansible_port=" + ports[h] + " ansible_user=root"
            + " ansible_python_interpreter=/usr/bin/python3")
        .collect(Collectors.joining("\n", "", "\n"));
    Files.writeString(dir.resolve("inventory"), inventory);
  }

  /** Writes the JSON request a spin sends to {@code host}, to time the remote side alone. */
  static void request(Path repo, String host, Path out) throws Exception {
    var def = dev.gantry.core.infra.InfraDefinition.compile(repo, dev.gantry.core.infra.InfraDefinition.defaultCache());
    java.util.Map<String, String> classes = new java.util.LinkedHashMap<>();
    def.classes().forEach((k, v) -> classes.put(k, java.util.Base64.getEncoder().encodeToString(v)));
    var req = new dev.gantry.host.remote.SpinRequest(dev.gantry.host.remote.SpinRequest.VERSION, host, false,
        def.className(), classes, List.of(), 10, java.util.Map.of());
    Files.write(out, dev.gantry.core.json.Json.mapper().writeValueAsBytes(req));
  }

  static void spin(Path repo, Path knownHosts, Path key, int runs, List<String> hosts) {
    SshOptions ssh = new SshOptions(knownHosts, List.of(key), false, Duration.ofSeconds(20));
    SpinOptions o = new SpinOptions(false, 8, ssh, SpinOptions.defaultCache(), GpgDecryptor::new, Duration.ofSeconds(60));
    List<Long> times = new ArrayList<>();
    for (int r = 0; r < runs; r++) {
      long t0 = System.nanoTime();
      Spinner.SpinReport rep = Spinner.spin(repo, hosts, o, SpinListener.NONE);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      times.add(ms);
      for (HostReport h : rep.hosts()) {
        if (h.error() != null || h.summary().failed() > 0) {
          throw new IllegalStateException(h.host() + ": " + h.error() + " " + h.summary());
        }
      }
      System.out.println("run " + (r + 1) + ": " + ms + " ms; " + rep.hosts().stream()
          .map(h -> h.host() + " " + h.summary() + " host " + h.millis() + " ms, checks "
              + h.outcomes().stream().mapToLong(po -> po.millis()).sum() + " ms")
          .collect(Collectors.joining("; ")));
    }
    System.out.println("RESULT " + times.stream().map(String::valueOf).collect(Collectors.joining(" ")));
  }
}
