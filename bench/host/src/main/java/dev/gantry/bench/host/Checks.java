package dev.gantry.bench.host;

import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's 100 checks, each written twice from one table: as a Gantry property
 * (Java source for infra/Infra.java) and as the Ansible task that checks the same thing.
 */
final class Checks {
  record Check(String gantry, String ansible) {}

  private Checks() {}

  static List<Check> all() {
    List<Check> out = new ArrayList<>();
    out.add(new Check("File.directory(\"/etc/bench\", FileAttrs.mode(0755))",
        "file: {path: /etc/bench, state: directory, mode: '0755'}"));
    out.add(new Check("File.directory(\"/srv/bench\", FileAttrs.mode(0755))",
        "file: {path: /srv/bench, state: directory, mode: '0755'}"));
    for (int i = 0; i < 40; i++) {
      out.add(new Check("File.hasContent(\"/etc/bench/f" + i + ".conf\", \"value " + i
          + "\\n\", FileAttrs.mode(0644).withOwner(\"root\", \"root\"))",
          "copy: {dest: /etc/bench/f" + i + ".conf, content: \"value " + i
              + "\\n\", mode: '0644', owner: root, group: root}"));
    }
    for (int i = 0; i < 20; i++) {
      out.add(new Check("File.containsLines(\"/etc/bench/lines.conf\", \"key" + i + "=v\")",
          "lineinfile: {path: /etc/bench/lines.conf, line: key" + i + "=v, create: true}"));
    }
    for (int i = 0; i < 5; i++) {
      out.add(new Check("File.lacksLines(\"/etc/bench/lines.conf\", \"absent" + i + "\")",
          "lineinfile: {path: /etc/bench/lines.conf, line: absent" + i + ", state: absent}"));
    }
    for (int i = 0; i < 8; i++) {
      out.add(new Check("File.directory(\"/srv/bench/d" + i + "\", FileAttrs.mode(0755))",
          "file: {path: /srv/bench/d" + i + ", state: directory, mode: '0755'}"));
    }
    for (int i = 0; i < 10; i++) {
      out.add(new Check("File.symlink(\"/srv/bench/l" + i + "\", \"/etc/bench/f" + i + ".conf\")",
          "file: {path: /srv/bench/l" + i + ", src: /etc/bench/f" + i + ".conf, state: link}"));
    }
    for (int i = 0; i < 5; i++) {
      out.add(new Check("Group.exists(\"bg" + i + "\")", "group: {name: bg" + i + "}"));
    }
    for (int i = 0; i < 5; i++) {
      out.add(new Check("User.exists(\"bu" + i + "\")",
          "user: {name: bu" + i + ", shell: /bin/bash, create_home: true}"));
    }
    for (String pkg : List.of("sudo", "openssh-server", "procps", "cron", "locales")) {
      out.add(new Check("Apt.installed(\"" + pkg + "\")", "apt: {name: " + pkg + ", state: present}"));
    }
    if (out.size() != 100) {
      throw new IllegalStateException("expected 100 checks, have " + out.size());
    }
    return out;
  }
}
