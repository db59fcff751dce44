package dev.gantry.host.property;

import dev.gantry.core.target.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** The combinator implementations behind {@link Property} and {@link Props}. */
final class Combinators {
  private Combinators() {}

  private static List<Info> infos(List<Property> ps) {
    List<Info> out = new ArrayList<>();
    for (Property p : ps) {
      out.addAll(p.info());
    }
    return out;
  }

  record All(String describe, List<Property> parts) implements Property {
    @Override
    public Result apply(Context ctx) {
      List<Result> rs = new ArrayList<>();
      for (Property p : parts) {
        rs.add(Props.applySafely(p, ctx));
      }
      return Result.combine(rs);
    }

    @Override
    public List<Info> info() {
      return infos(parts);
    }
  }

  record Sequence(String describe, List<Property> parts) implements Property {
    @Override
    public Result apply(Context ctx) {
      List<Result> rs = new ArrayList<>();
      boolean pending = false;
      for (int i = 0; i < parts.size(); i++) {
        Result r = Props.applySafely(parts.get(i), ctx);
        if (ctx.dryRun() && pending && r.status() == Status.FAILED) {
          // a later step may only be checkable after an earlier one's change is made; a
          // "would fail" was judged with the earlier changes foreseen, so it stands
          r = Result.wouldChange(parts.get(i).describe() + " (checked after the changes above)", "");
        }
        pending |= r.status() == Status.WOULD_CHANGE;
        rs.add(r);
        if (r.failed()) {
          if (i + 1 < parts.size()) {
            String rest = parts.get(i + 1).describe()
                + (i + 2 < parts.size() ? " and " + (parts.size() - i - 2) + " more" : "");
            rs.add(ctx.dryRun() ? Result.wouldFail("would not be applied: " + rest) : Result.failed("not applied: " + rest));
          }
          break;
        }
      }
      return Result.combine(rs);
    }

    @Override
    public List<Info> info() {
      return infos(parts);
    }
  }

  record OnChange(Property first, Property then) implements Property {
    @Override
    public String describe() {
      return first.describe();
    }

    @Override
    public Result apply(Context ctx) {
      Result r = Props.applySafely(first, ctx);
      return switch (r.status()) {
        case MADE_CHANGE -> Result.combine(List.of(r, Props.applySafely(then, ctx)));
        case WOULD_CHANGE -> Result.combine(List.of(r, Result.wouldChange("then " + then.describe(), "")));
        default -> r;
      };
    }

    @Override
    public List<Info> info() {
      return infos(List.of(first, then));
    }
  }

  record Fallback(Property first, Property alternative) implements Property {
    @Override
    public String describe() {
      return first.describe();
    }

    @Override
    public Result apply(Context ctx) {
      Result r = Props.applySafely(first, ctx);
      if (!r.failed()) {
        return r;
      }
      Result alt = Props.applySafely(alternative, ctx);
      String msg = first.describe() + " failed (" + r.message() + "); fell back to " + alternative.describe();
      return new Result(alt.status(), alt.message().isBlank() ? msg : msg + ": " + alt.message(), alt.diff());
    }

    @Override
    public List<Info> info() {
      return infos(List.of(first, alternative));
    }
  }

  record When(Property p, String condition, Predicate<Target> test) implements Property {
    @Override
    public String describe() {
      return p.describe() + " (when " + condition + ")";
    }

    @Override
    public Result apply(Context ctx) {
      return Props.safely(describe(), () -> test.test(ctx.target()) ? p.apply(ctx) : Result.noChange());
    }

    @Override
    public List<Info> info() {
      return p.info();
    }
  }

  record Described(Property p, String describe) implements Property {
    @Override
    public Result apply(Context ctx) {
      return Props.applySafely(p, ctx);
    }

    @Override
    public List<Info> info() {
      return p.info();
    }
  }

  record WithInfo(Property p, List<Info> extra) implements Property {
    @Override
    public String describe() {
      return p.describe();
    }

    @Override
    public Result apply(Context ctx) {
      return Props.applySafely(p, ctx);
    }

    @Override
    public List<Info> info() {
      List<Info> all = new ArrayList<>(p.info());
      all.addAll(extra);
      return all;
    }
  }

  record Once(String flag, Property p) implements Property {
    @Override
    public String describe() {
      return p.describe() + " (once)";
    }

    @Override
    public Result apply(Context ctx) {
      return Props.safely(describe(), () -> {
        if (Props.flagSet(ctx, flag)) {
          return Result.noChange();
        }
        Result r = p.apply(ctx);
        if (!r.failed() && !ctx.dryRun()) {
          Props.setFlag(ctx, flag);
        }
        return r;
      });
    }

    @Override
    public List<Info> info() {
      return p.info();
    }
  }

  record RevertablePair(Property p, java.util.function.Supplier<Property> undo) implements Revertable {
    @Override
    public String describe() {
      return p.describe();
    }

    @Override
    public Result apply(Context ctx) {
      return Props.applySafely(p, ctx);
    }

    @Override
    public Property revert() {
      return new RevertablePair(undo.get(), () -> p);
    }

    @Override
    public List<Info> info() {
      return p.info();
    }
  }
}
