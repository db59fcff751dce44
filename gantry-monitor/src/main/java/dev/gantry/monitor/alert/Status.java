package dev.gantry.monitor.alert;

/** The life of an alert: active but not yet long enough, firing, or over. */
public enum Status {
  PENDING, FIRING, RESOLVED
}
