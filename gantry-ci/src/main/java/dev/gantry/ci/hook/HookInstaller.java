package dev.gantry.ci.hook;

import dev.gantry.ci.git.Mirror;
import dev.gantry.core.UserError;
import dev.gantry.core.tls.PemFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * Writes the hooks of a bare repository. The {@code post-receive} hook: for pushes to
 * {@code review} and {@code review/*} it POSTs the hook's input lines to the CI server with
 * the time and a nonce, all three signed with HMAC-SHA256 ({@code openssl dgst -sha256 -hmac};
 * see {@link HookMessage}) and sent with {@code curl}. The {@code pre-receive} hook guards
 * {@code master}, {@code refs/gantry/*} and the notes: it refuses any update of them that
 * does not carry the gate's signature ({@link GateSignature}). A {@code pre-receive} hook of
 * the repository's own is kept as {@code pre-receive.user} and run after the guard. The
 * secret lives beside the hooks in {@code gantry-hook.secret} (mode 600). An {@code https://}
 * server is believed as curl believes servers: through the system's CAs, or only through the
 * team's CA when one is given ({@link #trustingCa}; copied beside the hooks as
 * {@code gantry-ca.crt}); never unchecked. A push to a server the hook does not believe is
 * kept and told so, and nothing is sent.
 *
 * <pre>{@code
 * new HookInstaller().install(Path.of("/srv/git/app.git"), URI.create("http://127.0.0.1:8080"), secret, false);
 * new HookInstaller().trustingCa(Path.of("ca/ca.crt")).install(repo, URI.create("https://ci.example.org"), secret, false);
 * }</pre>
 */
public final class HookInstaller {
  /** The team's CA as the hook's curl reads it ({@code --cacert}), beside the hooks. */
  public static final String CA_FILE = "gantry-ca.crt";
  static final String MARK = "# gantry-ci post-receive hook";
  static final String GUARD_MARK = "# gantry-ci pre-receive guard";
  public static final String SECRET_FILE = "gantry-hook.secret";
  /** Where a {@code pre-receive} hook the repository already had is kept; the guard runs it. */
  public static final String CHAINED = "pre-receive.user";
  /** What a refused push of master is told. */
  public static final String GUARDED = "master is guarded by Gantry: push to review/<name>";

  private final Path trustedCa;

  /** A hook that believes an https server as the system's CAs do. */
  public HookInstaller() {
    this(null);
  }

  private HookInstaller(Path trustedCa) {
    this.trustedCa = trustedCa;
  }

  /** A hook that believes an https server only with a certificate the CA(s) of {@code caPem} issued. */
  public HookInstaller trustingCa(Path caPem) {
    return new HookInstaller(caPem);
  }

  /**
   * Installs both hooks (again: idempotent); refuses to replace a {@code post-receive} hook
   * Gantry did not write unless {@code force}, and chains to a foreign {@code pre-receive}.
   */
  public Path install(Path repo, URI server, String secret, boolean force) {
    if (!Files.isDirectory(repo) || !Files.exists(repo.resolve("HEAD")) || !Files.isDirectory(repo.resolve("objects"))) {
      throw new UserError(repo + " is not a bare git repository (no HEAD and objects/ in it)");
    }
    if (server.getScheme() == null || !server.getScheme().startsWith("http") || server.getHost() == null) {
      throw new UserError("--server: give the CI server's http(s) URL, e.g. http://127.0.0.1:8080 (got " + server + ")");
    }
    if (trustedCa != null) {
      if (!"https".equals(server.getScheme())) {
        throw new UserError("--ca: the hook checks the certificate of an https:// server; give its https URL (got "
            + server + ")");
      }
      PemFiles.certificates(trustedCa); // missing, unreadable or not PEM: said now, not at the first push
    }
    if (secret == null || secret.length() < 16) {
      throw new UserError("the hook secret needs at least 16 characters (set GANTRY_CI_HOOK_SECRET or --secret-file)");
    }
    List<String> missing = new ArrayList<>();
    for (String tool : List.of("curl", "openssl")) {
      if (!onPath(tool)) {
        missing.add(tool);
      }
    }
    if (!missing.isEmpty()) {
      throw new UserError("the hook needs " + String.join(" and ", missing) + " on this host: apt-get install " + String.join(" ", missing));
    }
    Path hooks = repo.resolve("hooks");
    Path hook = hooks.resolve("post-receive");
    Path guard = hooks.resolve("pre-receive");
    try {
      Files.createDirectories(hooks);
      if (Files.exists(hook) && !force && !Files.readString(hook).contains(MARK)) {
        throw new UserError(hook + " exists and was not written by Gantry; pass --force to replace it");
      }
      boolean foreignGuard = Files.exists(guard) && !Files.readString(guard).contains(GUARD_MARK);
      if (foreignGuard && Files.exists(hooks.resolve(CHAINED))) {
        throw new UserError(guard + " was not written by Gantry and " + hooks.resolve(CHAINED) + " exists too; merge them into "
            + CHAINED + " (the guard runs it after its own check) and remove " + guard);
      }
      Path secretFile = hooks.resolve(SECRET_FILE);
      Files.deleteIfExists(secretFile);
      Files.createFile(secretFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(secretFile, secret);
      Path caCopy = hooks.resolve(CA_FILE);
      if (trustedCa != null) {
        Files.copy(trustedCa, caCopy, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(caCopy, PosixFilePermissions.fromString("rw-r--r--"));
      } else {
        Files.deleteIfExists(caCopy); // the hook trusts the CA file whenever it is there
      }
      Files.writeString(hook, script(server));
      Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
      if (foreignGuard) {
        Files.move(guard, hooks.resolve(CHAINED)); // kept and run by the guard, never lost
      }
      Files.writeString(guard, guardScript());
      Files.setPosixFilePermissions(guard, PosixFilePermissions.fromString("rwxr-xr-x"));
      acceptPushOptions(repo);
      return hook;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + hook, e);
    }
  }

  /** git refuses push options, and with them the gate's signature, unless the repository asks for them. */
  private static void acceptPushOptions(Path repo) {
    try (Repository r = new FileRepositoryBuilder().setGitDir(repo.toFile()).setMustExist(true).build()) {
      StoredConfig c = r.getConfig();
      if (!c.getBoolean("receive", "advertisePushOptions", false)) {
        c.setBoolean("receive", null, "advertisePushOptions", true);
        c.save();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot set receive.advertisePushOptions in " + repo, e);
    }
  }

  private static boolean onPath(String tool) {
    String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    for (String dir : path.split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  static String script(URI server) {
    String url = server.toString().replaceAll("/+$", "") + "/api/ci/hook";
    if (url.contains("'")) {
      throw new UserError("--server: the URL must not contain a quote");
    }
    return """
        #!/bin/sh
        %s
        # Tells the Gantry CI server about pushes to review and review/*; other refs are ignored.
        # A failure to reach the server never fails the push (the server's poller catches up).
        url='%s'
        dir=$(cd "$(dirname "$0")" && pwd)
        repo=$(cd "$dir/.." && pwd)
        secret=$(cat "$dir/%s") || exit 0
        # an https server is believed through the team's CA when it is installed beside the hook,
        # else through the system's CAs: never unchecked
        set --
        trust="the system's CAs"
        if [ -f "$dir/%s" ]; then
          set -- --cacert "$dir/%s"
          trust="the team CA in $dir/%s"
        fi
        # deletions (the gate removes merged branches) are no patches
        body=$(grep -E ' refs/heads/review(/[^ ]+)?$' | grep -v '^[0-9a-f]* 0\\{40\\} ')
        [ -n "$body" ] || exit 0
        # the time and a nonce are signed with the lines, so that a message is taken once, and only soon
        ts=$(date +%%s)
        nonce=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \\n')
        sig=$(printf '%%s\\n%%s\\n%%s\\n' "$ts" "$nonce" "$body" | openssl dgst -sha256 -hmac "$secret" | sed 's/^.*= *//')
        errors=$(mktemp) || exit 0
        resp=$(printf '%%s\\n' "$body" | curl -sS "$@" -w '\\n%%{http_code}' -m 15 -X POST \\
          -H "X-Gantry-Timestamp: $ts" -H "X-Gantry-Nonce: $nonce" \\
          -H "X-Gantry-Signature: sha256=$sig" -H "X-Gantry-Repository: $repo" \\
          -H 'Content-Type: text/plain' --data-binary @- "$url" 2>"$errors")
        rc=$?
        why=$(head -n 1 "$errors" | cut -c 1-200); rm -f "$errors"
        # curl's exit codes for a certificate it does not believe or a TLS handshake that failed
        case "$rc" in
          35|51|53|58|59|60|77|80|83|90|91)
            echo "gantry: the CI server at $url presented a certificate that $trust does not vouch for ($why): nothing was sent, the push is kept; install the hook with the server's CA (gantry ci install-hook --ca ca/ca.crt)" >&2
            exit 0 ;;
        esac
        code=$(printf '%%s\\n' "$resp" | tail -n 1)
        answer=$(printf '%%s\\n' "$resp" | sed '$d')
        # say what the server did with the push, in its own words
        case "$code" in
          2*) if printf '%%s' "$answer" | grep -q '"queued":\\[\\]'; then
                echo "gantry: nothing queued for CI:" >&2
                printf '%%s' "$answer" | grep -o '"reason":"[^"]*"' | sed 's/^"reason":"/  /; s/"$//' >&2
              else
                echo "gantry: queued for CI" >&2
              fi ;;
          000) echo "gantry: the CI server at $url cannot be reached; the push is kept, and the server queues it when it next polls the repository (unless its polling is off)" >&2 ;;
          *) echo "gantry: the CI server at $url answered $code: $(printf '%%s' "$answer" | sed -n 's/.*"error":"\\([^"]*\\)".*/\\1/p'); the push is kept" >&2 ;;
        esac
        exit 0
        """.formatted(MARK, url, SECRET_FILE, CA_FILE, CA_FILE, CA_FILE);
  }

  static String guardScript() {
    return """
        #!/bin/sh
        %s
        # master, refs/gantry/* and the notes move only through the Gantry gate: an update of them
        # must carry the gate's push option, an HMAC of the pushed "<new> <ref>" lines (GateSignature).
        dir=$(cd "$(dirname "$0")" && pwd)
        input=$(cat)
        guarded=$(printf '%%s\\n' "$input" | awk '$3 == "refs/heads/master" || $3 ~ /^refs\\/gantry\\// || $3 == "%s" { print $3 }')
        if [ -n "$guarded" ]; then
          ok=no
          secret=$(cat "$dir/%s" 2>/dev/null)
          if [ -n "$secret" ] && [ "${GIT_PUSH_OPTION_COUNT:-0}" -gt 0 ]; then
            lines=$(printf '%%s\\n' "$input" | awk '{ print $2 " " $3 }' | LC_ALL=C sort)
            want=$(printf '%s\\n%%s\\n' "$lines" | openssl dgst -sha256 -hmac "$secret" | sed 's/^.*= *//')
            i=0
            while [ "$i" -lt "$GIT_PUSH_OPTION_COUNT" ]; do
              eval "opt=\\${GIT_PUSH_OPTION_$i}"
              [ "$opt" = "%s=sha256=$want" ] && ok=yes
              i=$((i + 1))
            done
          fi
          if [ "$ok" != yes ]; then
            for ref in $guarded; do
              case "$ref" in
                refs/heads/master) echo "gantry: refused: %s" >&2 ;;
                *) echo "gantry: refused: $ref is written only by the Gantry gate" >&2 ;;
              esac
            done
            echo "gantry: to repair a broken master, push the fix to review/hotfix/<name>: it is tested alone, ahead of the queue" >&2
            exit 1
          fi
        fi
        if [ -x "$dir/%s" ]; then
          printf '%%s\\n' "$input" | "$dir/%s" "$@" || exit $?
        fi
        exit 0
        """.formatted(GUARD_MARK, Mirror.NOTES_REF, SECRET_FILE, GateSignature.OPTION, GateSignature.OPTION, GUARDED, CHAINED, CHAINED);
  }
}
