package dev.gantry.host.property;

import dev.gantry.core.infra.HostProperty;
import dev.gantry.core.target.Target;
import java.util.List;
import java.util.function.Predicate;

/**
 * Something a host must have: it describes itself, checks whether it holds on a
 * {@link Target}, and makes it hold. Applying never throws: problems become a
 * {@link Status#FAILED} result. In a dry run ({@link Context#dryRun()}) it changes nothing
 * and reports {@link Status#WOULD_CHANGE} with a diff for file contents.
 *
 * <pre>{@code
 * i.host("ci.example.com").with(
 *     Apt.installed("nginx"),
 *     File.hasContent("/etc/nginx/sites-available/ci", conf)
 *         .onChange(Systemd.reloaded("nginx")));
 * }</pre>
 */
public interface Property extends HostProperty {
  /** One line saying what holds afterwards, e.g. {@code "git installed"}. */
  @Override
  String describe();

  /** Checks the property and, unless this is a dry run, makes it hold. */
  Result apply(Context ctx);

  /** What this property tells the host model (ports, secrets, services). */
  default List<Info> info() {
    return List.of();
  }

  /** Applies {@code first} before this one; this one does not run if any of them failed. */
  default Property requires(Property... first) {
    return Props.requires(this, List.of(first));
  }

  /** Applies this one, then {@code next} unless this one failed. */
  default Property before(Property next) {
    return Props.sequence(describe() + ", then " + next.describe(), this, next);
  }

  /** Applies {@code then} only when this one made a change (e.g. restart after a config edit). */
  default Property onChange(Property then) {
    return new Combinators.OnChange(this, then);
  }

  /** Applies {@code alternative} when this one fails. */
  default Property fallback(Property alternative) {
    return new Combinators.Fallback(this, alternative);
  }

  /** Applies this one only when {@code test} holds on the target; otherwise no change. */
  default Property when(String condition, Predicate<Target> test) {
    return new Combinators.When(this, condition, test);
  }

  /** The same property with another description. */
  default Property describedAs(String description) {
    return new Combinators.Described(this, description);
  }
}
