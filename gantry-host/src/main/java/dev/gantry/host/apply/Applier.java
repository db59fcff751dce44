package dev.gantry.host.apply;

import dev.gantry.host.property.Context;
import dev.gantry.host.property.Property;
import dev.gantry.host.property.Props;
import dev.gantry.host.property.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Applies a host's properties in order. Every property runs even after one failed (they
 * are independent unless combined with {@code requires}); each outcome is handed to the
 * listener as soon as it is known.
 *
 * <pre>{@code
 * List<PropertyOutcome> out = Applier.apply(props, Context.of(new LocalTarget()), System.out::println);
 * }</pre>
 */
public final class Applier {
  private Applier() {}

  public static List<PropertyOutcome> apply(List<Property> properties, Context ctx, Consumer<PropertyOutcome> listener) {
    List<PropertyOutcome> out = new ArrayList<>();
    for (int i = 0; i < properties.size(); i++) {
      Property p = properties.get(i);
      long start = System.nanoTime();
      Result r = Props.applySafely(p, ctx);
      PropertyOutcome o = new PropertyOutcome(i, describe(p), r, (System.nanoTime() - start) / 1_000_000);
      out.add(o);
      listener.accept(o);
    }
    return out;
  }

  private static String describe(Property p) {
    try {
      return p.describe();
    } catch (RuntimeException e) {
      return p.getClass().getName();
    }
  }
}
