package dev.gantry.core.notify;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * Sends each notification to several notifiers at once. The delivery is DELIVERED when all
 * delivered, otherwise FAILED (or DROPPED when all dropped), with each one's outcome in the detail.
 *
 * <pre>{@code
 * Notifier all = new CompositeNotifier(List.of(slack, email));
 * }</pre>
 */
public final class CompositeNotifier implements Notifier {
  private final List<Notifier> notifiers;

  public CompositeNotifier(List<? extends Notifier> notifiers) {
    this.notifiers = List.copyOf(notifiers);
  }

  @Override
  public CompletableFuture<Delivery> send(Notification notification) {
    List<CompletableFuture<Delivery>> each = notifiers.stream().map(n -> n.send(notification)).toList();
    return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(v -> combine(each));
  }

  private Delivery combine(List<CompletableFuture<Delivery>> each) {
    List<Delivery> results = each.stream().map(CompletableFuture::join).toList();
    int attempts = results.stream().mapToInt(Delivery::attempts).sum();
    StringBuilder detail = new StringBuilder();
    for (int i = 0; i < results.size(); i++) {
      Delivery d = results.get(i);
      detail.append(i == 0 ? "" : "; ").append(notifiers.get(i).describe()).append(": ")
          .append(d.status().name().toLowerCase()).append(d.detail().isEmpty() ? "" : " (" + d.detail() + ")");
    }
    Delivery.Status status;
    if (results.stream().allMatch(Delivery::delivered)) {
      status = Delivery.Status.DELIVERED;
    } else if (!results.isEmpty() && results.stream().allMatch(d -> d.status() == Delivery.Status.DROPPED)) {
      status = Delivery.Status.DROPPED;
    } else {
      status = Delivery.Status.FAILED;
    }
    return new Delivery(status, attempts, detail.toString());
  }

  @Override
  public String describe() {
    return notifiers.stream().map(Notifier::describe).collect(Collectors.joining(", "));
  }

  @Override
  public void close() {
    notifiers.forEach(Notifier::close);
  }
}
