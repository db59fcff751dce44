package dev.gantry.host.lib;

import dev.gantry.host.property.Info;
import dev.gantry.host.property.Property;
import dev.gantry.host.property.Props;

/**
 * Time synchronisation with chrony.
 *
 * <pre>{@code
 * Ntp.withTimezone("Asia/Singapore")
 * }</pre>
 */
public final class Ntp {
  private Ntp() {}

  /** chrony is installed and enabled at boot. */
  public static Property installed() {
    return Props.withInfo(Props.sequence("ntp (chrony) installed",
        Apt.installed("chrony"), Systemd.enabled("chrony")), new Info.ServiceMonitored("chrony"));
  }

  /** The time zone is set and time is kept by NTP. */
  public static Property withTimezone(String zone) {
    return Props.all("ntp with time zone " + zone, Timezone.is(zone), installed());
  }
}
