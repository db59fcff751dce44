package dev.gantry.core.infra;

/**
 * Something a capability lets the infrastructure definition declare besides hosts: a
 * containerized system, monitoring rules, probes. Each capability defines its own
 * declaration types and reads them back with {@link Infrastructure#declarations(Class)}.
 */
public interface Declaration {}
