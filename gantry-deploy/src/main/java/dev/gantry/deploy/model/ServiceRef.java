package dev.gantry.deploy.model;

/**
 * A service of a system, as {@link GantrySystem#add} returns it: a reference the compiler
 * checks, where a name in a string would hide a typo until the deploy.
 *
 * <pre>{@code
 * var capital = GantrySystem.named("capital");
 * var db = capital.add("db", s -> s.image("capital/db").port(5432));
 * var app = capital.add("app", s -> s.image("capital/app").port(8080).dependsOn(db));
 * capital.frontend(Frontend.nginx().route("/", app, 8080));
 * }</pre>
 *
 * @param system the name of the system that declares the service
 * @param name the service's name
 */
public record ServiceRef(String system, String name) {
  @Override
  public String toString() {
    return "service '" + name + "' of system '" + system + "'";
  }
}
