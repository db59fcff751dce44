package dev.gantry.ci.testing;

import dev.gantry.ci.server.CiService;
import dev.gantry.ci.server.CiSettings;
import dev.gantry.core.notify.Notifier;
import dev.gantry.core.notify.SlackNotifier;
import dev.gantry.core.store.Store;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A CI server in a JVM of its own, for tests that kill it:
 * {@code CiServerMain <dataDir> <repository> <port> [slackUrl]}. Prints "READY" when it listens.
 */
public final class CiServerMain {
  private CiServerMain() {}

  public static void main(String[] args) throws Exception {
    Path data = Path.of(args[0]);
    int port = Integer.parseInt(args[2]);
    List<Notifier> notifiers = new ArrayList<>();
    if (args.length > 3) {
      notifiers.add(new SlackNotifier(URI.create(args[3])));
    }
    Store store = Store.open(data.resolve("gantry.db"));
    // polling catches pushes whose hook call found the server down
    CiSettings settings = CiFixture.settings(args[1], "http://127.0.0.1:" + port)
        .withTimings(java.time.Duration.ofSeconds(3), java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(1));
    CiService ci = CiService.start(settings, data.resolve("ci"), store, notifiers);
    TestWeb web = TestWeb.start(data.resolve("web"), port, List.of(ci.webComponent()));
    System.out.println("READY " + web.port());
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
