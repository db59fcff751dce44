package dev.gantry.host.property;

import java.util.List;

/**
 * A property made of a check and a fix: no change when the check holds; in a dry run the
 * check's summary and diff; otherwise the fix, then the check again to confirm it worked.
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
      Check c = check(ctx);
      if (c instanceof Check.Change change) {
        if (ctx.dryRun()) {
          return Result.wouldChange(change.summary(), change.diff());
        }
        fix(ctx, change);
        if (verifyAfterFix() && check(ctx) instanceof Check.Change still) {
          return Result.failed(describe() + ": still not holding after the change (" + still.summary() + ")");
        }
        return Result.madeChange(change.summary(), change.diff());
      }
      return Result.noChange();
    });
  }

  @Override
  public String toString() {
    return describe();
  }
}
