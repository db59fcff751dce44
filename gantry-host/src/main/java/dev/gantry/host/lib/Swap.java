package dev.gantry.host.lib;

import dev.gantry.core.definition.DefinitionError;
import dev.gantry.host.property.Check;
import dev.gantry.host.property.Property;
import dev.gantry.host.property.Props;
import dev.gantry.core.target.FileStat;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A swap file listed in {@code /etc/fstab}, so it is used from the next boot; turn it on
 * now with {@code .onChange(Cmd.run("swap on", "swapon", path))}.
 *
 * <pre>{@code
 * Swap.file("/swapfile", 1024)
 * }</pre>
 */
public final class Swap {
  private Swap() {}

  public static Property file(String path, int mebibytes) {
    if (mebibytes < 1) {
      throw new DefinitionError("a swap file needs at least 1 MiB");
    }
    if (!path.matches("/[A-Za-z0-9._/-]+")) {
      throw new DefinitionError("swap file path '" + path + "' must be absolute and plain");
    }
    long bytes = mebibytes * 1024L * 1024L;
    Property made = Props.checked("swap file " + path + " of " + mebibytes + " MiB", ctx -> {
      Optional<FileStat> s = ctx.target().stat(path);
      List<String> notes = new ArrayList<>();
      if (s.isEmpty() || s.get().size() != bytes || !isSwap(ctx, path)) {
        notes.add("create " + mebibytes + " MiB swap file " + path);
      } else if (s.get().mode() != 0600) {
        notes.add("chmod 0600 " + path);
      }
      return notes.isEmpty() ? Check.holds() : Check.change(String.join(", ", notes));
    }, (ctx, c) -> {
      Optional<FileStat> s = ctx.target().stat(path);
      if (s.isEmpty() || s.get().size() != bytes || !isSwap(ctx, path)) {
        Run.must(ctx.target(), "sh", "-c", "umask 077 && rm -f " + path + ".gantry-new && dd if=/dev/zero of="
            + path + ".gantry-new bs=1M count=" + mebibytes + " status=none && mkswap " + path
            + ".gantry-new >/dev/null && mv " + path + ".gantry-new " + path);
      }
      Run.must(ctx.target(), "chmod", "0600", path);
    });
    return Props.sequence("swap file " + path + " (" + mebibytes + " MiB)", made,
        File.containsLines("/etc/fstab", path + " none swap sw 0 0"));
  }

  private static boolean isSwap(dev.gantry.host.property.Context ctx, String path) {
    return ctx.target().run("sh", "-c", "dd if=" + path + " bs=1 skip=4086 count=10 status=none")
        .stdout().equals("SWAPSPACE2");
  }
}
