package dev.gantry.host.property;

import java.util.List;

/**
 * A property made of a check and a fix: no change when the check holds; a failure, before
 * anything is changed, when the check finds the fix cannot work; in a dry run the check's
 * summary and diff (its effects noted for the properties after it); otherwise the fix,
 * then the check again to confirm it worked.
 *
 * <pre>{@code
 * class Motd extends CheckedProperty {
 *   public String describe() { return "motd says hi"; }
 *   protected Check check(Context c) { ... }
 *   protected void fix(Context c, Check.Change change) { ... }
 * }
 * }</pre>
 */
public abstract class CheckedProperty implements Property {
  /** Whether the property holds, and if not, what would change. */
  protected abstract Check check(Context ctx);

  /** Makes the property hold; throws {@link PropertyFailure} to fail. */
  protected abstract void fix(Context ctx, Check.Change change);

  /** Whether to check again after the fix; false for actions that never "hold". */
  protected boolean verifyAfterFix() {
    return true;
  }

  @Override
  public List<Info> info() {
    return List.of();
  }

  @Override
  public final Result apply(Context ctx) {
    return Props.safely(describe(), () -> {
      return switch (check(ctx)) {
        case Check.Holds h -> Result.noChange();
        case Check.Fails f -> ctx.dryRun() ? Result.wouldFail(f.reason()) : Result.failed(f.reason());
        case Check.Change change when ctx.dryRun() -> {
          ctx.foresight().record(change.effects());
          yield Result.wouldChange(change.summary(), change.diff());
        }
        case Check.Change change -> {
          fix(ctx, change);
          Check after = verifyAfterFix() ? check(ctx) : Check.holds();
          yield after instanceof Check.Holds ? Result.madeChange(change.summary(), change.diff())
              : Result.failed(describe() + ": still not holding after the change (" + summary(after) + ")");
        }
      };
    });
  }

  private static String summary(Check c) {
    return switch (c) {
      case Check.Change ch -> ch.summary();
      case Check.Fails f -> f.reason();
      case Check.Holds h -> "holds";
    };
  }

  @Override
  public String toString() {
    return describe();
  }
}
