package dev.gantry.host.property;

import dev.gantry.core.definition.Names;
import dev.gantry.core.target.FileAttrs;
import dev.gantry.core.target.TargetException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Building blocks for properties: lists, sequences, run-once flags, revertable pairs, and
 * properties from a check and a fix written as lambdas.
 *
 * <pre>{@code
 * Property web = Props.all("web server",
 *     Apt.installed("nginx"),
 *     Nginx.site("app", conf));
 * Property init = Props.once("initial-backup", Cmd.run("backup", "/usr/local/bin/backup"));
 * }</pre>
 */
public final class Props {
  /** Where run-once flags live on the target. */
  public static final String FLAG_DIR = "/var/lib/gantry/once";

  private Props() {}

  /** Applies every property, even after a failure; the result is the strongest of all. */
  public static Property all(String description, Property... properties) {
    return new Combinators.All(description, List.of(properties));
  }

  /** Applies properties in order and stops at the first failure. */
  public static Property sequence(String description, Property... properties) {
    return new Combinators.Sequence(description, List.of(properties));
  }

  /** {@code p} after {@code first}; {@code p} does not run when one of them failed. */
  public static Property requires(Property p, List<Property> first) {
    List<Property> all = new ArrayList<>(first);
    all.add(p);
    return new Combinators.Sequence(p.describe(), all);
  }

  /**
   * Applies {@code p} until it succeeds once, then never again: a flag file under
   * {@link #FLAG_DIR} records that it ran.
   */
  public static Property once(String flag, Property p) {
    return new Combinators.Once(Names.require("run-once flag", flag), p);
  }

  /** A revertable property from a pair: {@code apply} and the property that undoes it. */
  public static Revertable revertable(Property apply, Property undo) {
    return new Combinators.RevertablePair(apply, () -> undo);
  }

  /** A revertable property whose undoing property is made only when asked for. */
  public static Revertable revertable(Property apply, java.util.function.Supplier<Property> undo) {
    return new Combinators.RevertablePair(apply, undo);
  }

  /** A property from a check and a fix; see {@link CheckedProperty}. */
  public static Property checked(String description, Function<Context, Check> check,
                                 BiConsumer<Context, Check.Change> fix) {
    return new CheckedProperty() {
      @Override
      public String describe() {
        return description;
      }

      @Override
      protected Check check(Context ctx) {
        return check.apply(ctx);
      }

      @Override
      protected void fix(Context ctx, Check.Change change) {
        fix.accept(ctx, change);
      }
    };
  }

  /** The same property, also telling the host model {@code infos}. */
  public static Property withInfo(Property p, Info... infos) {
    return new Combinators.WithInfo(p, List.of(infos));
  }

  /** Runs a property body, turning any exception into a FAILED result naming the property. */
  public static Result safely(String description, Supplier<Result> body) {
    try {
      Result r = body.get();
      return r == null ? Result.failed(description + ": the property returned no result") : r;
    } catch (PropertyFailure | TargetException e) {
      return Result.failed(e.getMessage());
    } catch (RuntimeException e) {
      return Result.failed(description + ": " + e);
    }
  }

  /** Applies {@code p} without ever throwing. */
  public static Result applySafely(Property p, Context ctx) {
    return safely(p.describe(), () -> p.apply(ctx));
  }

  static boolean flagSet(Context ctx, String flag) {
    return ctx.target().exists(FLAG_DIR + "/" + flag);
  }

  static void setFlag(Context ctx, String flag) {
    if (!ctx.target().exists(FLAG_DIR)) {
      var r = ctx.target().run("mkdir", "-p", FLAG_DIR);
      if (!r.ok()) {
        throw new PropertyFailure("cannot create " + FLAG_DIR + ": " + r.tail());
      }
    }
    ctx.target().write(FLAG_DIR + "/" + flag, "done\n".getBytes(StandardCharsets.UTF_8), FileAttrs.mode(0644));
  }
}
