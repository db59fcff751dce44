package capital.events;

import java.util.Set;

/**
 * The event schema this release writes and reads. Raise {@link #VERSION} when the meaning of
 * stored events changes: Gantry's rollback guard then refuses to go back to a release that
 * cannot read them, unless every event written since is {@linkplain #HARMLESS harmless}.
 * Declared to Gantry in infra/Infra.java as {@code .eventSchema(1).harmlessEvents(...)}.
 */
public final class Schema {
  public static final int VERSION = 1;

  /** Events whose loss costs nothing but a new login. */
  public static final Set<String> HARMLESS = Set.of("UserLoggedIn", "UserLoggedOut");

  private Schema() {}
}
