package dev.gantry.monitor.observe;

import java.util.Map;

/**
 * The monitor's own figures at one moment: counters since start (received per transport,
 * refused per reason, notifications), gauges, and stream latency quantiles in milliseconds.
 */
public record Readings(
    long nanoTime,
    Map<String, Double> receivedByTransport,
    Map<String, Double> refusedByReason,
    double notificationsSent,
    double notificationsFailed,
    long queuedEvents,
    long indexSize,
    Map<String, Long> alertsByState,
    Map<Double, Double> latencyMillisByQuantile) {}
