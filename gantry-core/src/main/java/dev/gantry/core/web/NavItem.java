package dev.gantry.core.web;

/** A link in the web UI's navigation bar: {@code new NavItem("Monitor", "/monitor")}. */
public record NavItem(String label, String path) {}
