package dev.gantry.host.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.host.property.Context;
import dev.gantry.host.property.Property;
import dev.gantry.host.property.Result;
import dev.gantry.host.property.Status;

/** Asserts the life of a property: dry run reports, first apply changes, second holds. */
public final class Converge {
  private Converge() {}

  /** Dry run says it would change, the first apply changes, the second finds nothing to do. */
  public static Result converges(Property p, Context ctx) {
    Result dry = p.apply(ctx.dryRun(true));
    assertThat(dry.status()).as("dry run of '%s': %s", p.describe(), dry.message()).isEqualTo(Status.WOULD_CHANGE);
    Result first = p.apply(ctx.dryRun(false));
    assertThat(first.status()).as("first apply of '%s': %s", p.describe(), first.message())
        .isEqualTo(Status.MADE_CHANGE);
    holds(p, ctx);
    return first;
  }

  /** The property already holds: no change, also in a dry run. */
  public static void holds(Property p, Context ctx) {
    Result again = p.apply(ctx.dryRun(false));
    assertThat(again.status()).as("second apply of '%s': %s", p.describe(), again.message())
        .isEqualTo(Status.NO_CHANGE);
    Result dry = p.apply(ctx.dryRun(true));
    assertThat(dry.status()).as("dry run after applying '%s': %s", p.describe(), dry.message())
        .isEqualTo(Status.NO_CHANGE);
  }

  public static Result fails(Property p, Context ctx) {
    Result r = p.apply(ctx.dryRun(false));
    assertThat(r.status()).as("'%s' should fail: %s", p.describe(), r.message()).isEqualTo(Status.FAILED);
    return r;
  }
}
