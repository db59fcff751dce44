package dev.gantry.bench.deploy;

import dev.gantry.deploy.docker.Docker;
import dev.gantry.deploy.engine.DeployContext;
import dev.gantry.deploy.engine.DeployEngine;
import dev.gantry.deploy.engine.DeployListener;
import dev.gantry.deploy.engine.DeployOptions;
import dev.gantry.deploy.engine.DeployResult;
import dev.gantry.deploy.engine.HostTarget;
import dev.gantry.deploy.exec.LocalExecutor;
import dev.gantry.deploy.generate.GeneratedFile;
import dev.gantry.deploy.generate.SystemFiles;
import dev.gantry.deploy.layout.Layout;
import dev.gantry.deploy.ledger.JsonLinesLedger;
import dev.gantry.deploy.model.GantrySystem;
import dev.gantry.deploy.model.HealthCheck;
import dev.gantry.deploy.registry.InfraRepo;
import dev.gantry.deploy.release.Release;
import dev.gantry.deploy.runtime.ComposeRuntime;
import dev.gantry.deploy.runtime.HealthGate;
import dev.gantry.deploy.secrets.SecretSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Deploys the same two-service system with a data volume, alternating releases A and B,
 * once through Gantry and once with plain {@code docker-compose up -d} on the same compose
 * file (plus waiting for health, which Gantry also does), interleaved in one run. Reports
 * the medians and Gantry's phases (checks, backup, start and health, ledger and commit).
 */
public final class DeployBench {
  private static final LocalExecutor SH = new LocalExecutor();

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 8;
    Path out = Path.of(args.length > 1 ? args[1] : "deploy-bench.md");
    Path dir = Files.createTempDirectory("gantry-bench");
    String suffix = Long.toHexString(System.nanoTime() & 0xfffff);
    GantrySystem system = GantrySystem.named("bench")
        .service("db", s -> s.image("gantry-bench/app").port(7000).env("PORT", "7000").volume("dbdata", "/data")
            .health(HealthCheck.http("/health").every(Duration.ofMillis(500))))
        .service("app", s -> s.image("gantry-bench/app").port(8080).dependsOn("db").volume("events", "/data")
            .health(HealthCheck.http("/health").every(Duration.ofMillis(500))));
    Path infra = dir.resolve("infra");
    Files.createDirectories(infra);
    SH.run(Duration.ofSeconds(30), "git", "init", "-q", infra.toString()).requireOk("git init");
    List<Instant[]> marks = new ArrayList<>();
    List<String> phaseNames = List.of("checks", "backup", "files", "start+health", "ledger+commit");
    Map<String, List<Long>> phases = new LinkedHashMap<>();
    phaseNames.forEach(p -> phases.put(p, new ArrayList<>()));
    List<Instant> stamps = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    DeployListener listener = new DeployListener() {
      @Override
      public void progress(String line) {
        stamps.add(Instant.now());
        lines.add(line);
      }
    };
    DeployEngine engine = new DeployEngine(new DeployContext(new JsonLinesLedger(dir.resolve("ledger.jsonl")),
        Optional.of(InfraRepo.open(infra)), Clock.systemUTC(), "bench <bench@localhost>", Optional.empty(), SecretSource.none(),
        DeployOptions.defaults().withUnitDir(dir.resolve("units").toString()).withKeepBackups(3), listener));
    HostTarget host = new HostTarget("bench", "bench", "127.0.0.1", SH, dir.resolve("root").toString(), "gb" + suffix + "g-");
    Docker docker = new Docker(SH);
    ComposeRuntime compose = ComposeRuntime.detect(docker);

    // the direct side: the same compose file, its own project and volumes
    Layout direct = Layout.of(dir.resolve("direct").toString(), "gb" + suffix + "d-", "bench");
    for (String v : system.volumes()) {
      docker.ensureVolume(direct.volumeName(v), Map.of());
    }
    List<Long> gantry = new ArrayList<>();
    List<Long> upOnly = new ArrayList<>();
    List<Long> upHealthy = new ArrayList<>();
    try {
      for (int i = 0; i < n + 1; i++) {
        String rel = i % 2 == 0 ? "A" : "B";
        Release release = Release.parse(rel, system);

        stamps.clear();
        lines.clear();
        Instant g0 = Instant.now();
        DeployResult r = engine.deploy(system, host, release, compose, false);
        Instant g1 = Instant.now();
        if (!r.ok()) {
          throw new IllegalStateException("gantry deploy failed: " + r.summary());
        }

        for (GeneratedFile f : SystemFiles.generate(system, release, direct, false, SecretSource.none())) {
          SH.writeFile(direct.dir() + "/" + f.relativePath(), f.bytes(), false);
        }
        Instant d0 = Instant.now();
        SH.run(List.of("docker-compose", "-p", direct.project(), "-f", direct.composeFile(), "up", "-d", "--remove-orphans"),
            Duration.ofMinutes(5)).requireOk("docker-compose up -d");
        Instant d1 = Instant.now();
        Map<String, String> images = Map.of("db", release.image(system.service("db").orElseThrow()),
            "app", release.image(system.service("app").orElseThrow()));
        HealthGate.Verdict v = HealthGate.await(() -> HealthGate.evaluate(compose.states(direct), images),
            Duration.ofMinutes(2), Clock.systemUTC(), Duration.ofMillis(100));
        Instant d2 = Instant.now();
        if (!(v instanceof HealthGate.Verdict.Healthy)) {
          throw new IllegalStateException("direct deploy not healthy: " + v);
        }
        if (i == 0) {
          continue; // warm-up: first creation of containers and networks
        }
        gantry.add(Duration.between(g0, g1).toMillis());
        upOnly.add(Duration.between(d0, d1).toMillis());
        upHealthy.add(Duration.between(d0, d2).toMillis());
        recordPhases(lines, stamps, g0, g1, phases);
      }
    } finally {
      compose.remove(host.layout("bench"));
      compose.remove(direct);
      for (String v : system.volumes()) {
        docker.removeVolume(host.layout("bench").volumeName(v));
        docker.removeVolume(direct.volumeName(v));
      }
      SH.run(Duration.ofMinutes(1), "rm", "-rf", dir.toString());
    }
    String report = report(n, gantry, upOnly, upHealthy, phases);
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, report);
    System.out.print(report);
  }

  /** Splits one deploy's time by the progress lines Gantry printed. */
  private static void recordPhases(List<String> lines, List<Instant> stamps, Instant start, Instant end,
      Map<String, List<Long>> phases) {
    Instant backup = find(lines, stamps, "backing up", start);
    Instant files = find(lines, stamps, "writing ", backup);
    Instant starting = find(lines, stamps, "starting ", files);
    Instant done = find(lines, stamps, "all services healthy", end);
    phases.get("checks").add(Duration.between(start, backup).toMillis());
    phases.get("backup").add(Duration.between(backup, files).toMillis());
    phases.get("files").add(Duration.between(files, starting).toMillis());
    phases.get("start+health").add(Duration.between(starting, done).toMillis());
    phases.get("ledger+commit").add(Duration.between(done, end).toMillis());
  }

  private static Instant find(List<String> lines, List<Instant> stamps, String prefix, Instant fallback) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(prefix)) {
        return stamps.get(i);
      }
    }
    return fallback;
  }

  private static String report(int n, List<Long> gantry, List<Long> upOnly, List<Long> upHealthy, Map<String, List<Long>> phases) {
    StringBuilder b = new StringBuilder();
    b.append("# Deploy benchmark: Gantry against plain docker-compose\n\n");
    b.append("Run ").append(Instant.now()).append(" on ").append(Runtime.getRuntime().availableProcessors())
        .append(" cores, Docker ").append(SH.run(Duration.ofSeconds(10), "docker", "version", "--format", "{{.Server.Version}}")
            .stdout().strip())
        .append(", ").append(SH.run(Duration.ofSeconds(10), "docker-compose", "version", "--short").stdout().strip())
        .append(" (docker-compose).\n\n");
    b.append("A two-service system (db, app depending on db with `service_healthy`), one data volume each, ")
        .append("health checks every 500 ms; releases A and B alternate, so every deploy recreates both containers. ")
        .append(n).append(" measured deploys per side after one warm-up, interleaved in the same run.\n\n");
    b.append("| what | median ms | mean ms | min ms | max ms |\n|---|---:|---:|---:|---:|\n");
    row(b, "`docker-compose up -d` alone", upOnly);
    row(b, "`docker-compose up -d` + wait until healthy", upHealthy);
    row(b, "`gantry deploy` (checks, lock, backup, files, start, health, ledger, git commit)", gantry);
    b.append("\nGantry's phases:\n\n| phase | median ms | mean ms | min ms | max ms |\n|---|---:|---:|---:|---:|\n");
    phases.forEach((k, v) -> row(b, k, v));
    long overhead = median(gantry) - median(upHealthy);
    b.append("\n**Overhead of Gantry over `up -d` + waiting for health: ").append(overhead).append(" ms median (")
        .append(String.format("%.0f", 100.0 * overhead / Math.max(1, median(upHealthy))))
        .append("%).** It buys: the preflight (images present, `docker-compose config`), a full backup of both volumes ")
        .append("with a SHA-256 manifest, the lock, the ledger entry and the hosts-registry commit.\n");
    return b.toString();
  }

  private static void row(StringBuilder b, String name, List<Long> v) {
    b.append("| ").append(name).append(" | ").append(median(v)).append(" | ")
        .append(Math.round(v.stream().mapToLong(Long::longValue).average().orElse(0))).append(" | ")
        .append(v.stream().mapToLong(Long::longValue).min().orElse(0)).append(" | ")
        .append(v.stream().mapToLong(Long::longValue).max().orElse(0)).append(" |\n");
  }

  private static long median(List<Long> v) {
    List<Long> s = v.stream().sorted().toList();
    return s.isEmpty() ? 0 : s.get(s.size() / 2);
  }
}
