package dev.gantry.cloud.digitalocean.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Something to do to a droplet, sent as {@code POST /v2/droplets/{id}/actions}.
 *
 * <pre>{@code
 * Action a = client.droplets().act(droplet.id(), new DropletAction.Resize("s-2vcpu-2gb", false));
 * }</pre>
 */
public sealed interface DropletAction {
  /** The API's action type, e.g. {@code power_on}. */
  String type();

  /** The request body. */
  default Map<String, Object> body() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", type());
    return body;
  }

  record PowerOn() implements DropletAction {
    public String type() {
      return "power_on";
    }
  }

  record PowerOff() implements DropletAction {
    public String type() {
      return "power_off";
    }
  }

  /** A graceful shutdown, unlike {@link PowerOff}. */
  record Shutdown() implements DropletAction {
    public String type() {
      return "shutdown";
    }
  }

  record Reboot() implements DropletAction {
    public String type() {
      return "reboot";
    }
  }

  record PowerCycle() implements DropletAction {
    public String type() {
      return "power_cycle";
    }
  }

  record Snapshot(String name) implements DropletAction {
    public Snapshot {
      Objects.requireNonNull(name, "name");
    }

    public String type() {
      return "snapshot";
    }

    public Map<String, Object> body() {
      Map<String, Object> b = DropletAction.super.body();
      b.put("name", name);
      return b;
    }
  }

  /** Resizes to {@code size}; {@code disk} also grows the disk, which cannot be undone. */
  record Resize(String size, boolean disk) implements DropletAction {
    public Resize {
      Objects.requireNonNull(size, "size");
    }

    public String type() {
      return "resize";
    }

    public Map<String, Object> body() {
      Map<String, Object> b = DropletAction.super.body();
      b.put("size", size);
      b.put("disk", disk);
      return b;
    }
  }

  /** Reinstalls from {@code image} (a slug or an id), keeping the address. */
  record Rebuild(String image) implements DropletAction {
    public Rebuild {
      Objects.requireNonNull(image, "image");
    }

    public String type() {
      return "rebuild";
    }

    public Map<String, Object> body() {
      Map<String, Object> b = DropletAction.super.body();
      b.put("image", image.chars().allMatch(Character::isDigit) ? (Object) Long.parseLong(image) : image);
      return b;
    }
  }

  record Rename(String name) implements DropletAction {
    public Rename {
      Objects.requireNonNull(name, "name");
    }

    public String type() {
      return "rename";
    }

    public Map<String, Object> body() {
      Map<String, Object> b = DropletAction.super.body();
      b.put("name", name);
      return b;
    }
  }
}
