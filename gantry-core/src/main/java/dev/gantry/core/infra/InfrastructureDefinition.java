package dev.gantry.core.infra;

/**
 * What a user writes in {@code infra/Infra.java}: hosts with their properties, the systems
 * they run, how they are provisioned, and monitoring. Loaded and compiled at run time by
 * {@code DefinitionLoader}.
 *
 * <pre>{@code
 * public class Infra implements InfrastructureDefinition {
 *   public void define(Infrastructure i) {
 *     var app = i.add(GantrySystem.named("capital").service("app", s -> s.image("capital/app")));
 *     i.host("prod.example.com").with(Docker.installed()).runs(app, "abc123f");
 *   }
 * }
 * }</pre>
 */
@FunctionalInterface
public interface InfrastructureDefinition {
  /** Declares the infrastructure on {@code infra}. */
  void define(Infrastructure infra);
}
