package dev.gantry.cloud.cli;

import com.fasterxml.jackson.databind.ObjectWriter;
import dev.gantry.cloud.digitalocean.DigitalOceanClient;
import dev.gantry.cloud.digitalocean.TokenSource;
import dev.gantry.cloud.digitalocean.http.ApiTransport;
import dev.gantry.cloud.provider.Providers;
import dev.gantry.core.infra.HostsRegistry;
import dev.gantry.core.infra.InfraDefinition;
import dev.gantry.core.infra.Infrastructure;
import dev.gantry.host.property.SecretRef;
import dev.gantry.host.vault.GpgDecryptor;
import dev.gantry.host.vault.Vault;
import java.net.URI;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gantry cloud}: provision hosts declared in the infrastructure definition, on
 * DigitalOcean or in the local lab, and look at the DigitalOcean account.
 *
 * <pre>{@code
 * gantry cloud up web1          # create when missing, wait for SSH, record the address
 * gantry cloud down web1 --yes
 * gantry cloud droplets --json
 * }</pre>
 */
@Command(name = "cloud", mixinStandardHelpOptions = true,
    description = "Provision hosts (DigitalOcean droplets or local lab hosts) and inspect the DigitalOcean account.",
    subcommands = {UpCommand.class, DownCommand.class, DropletsCommand.class, KeysCommand.class,
        RegionsCommand.class, SizesCommand.class, ImagesCommand.class, LabHostsCommand.class})
public final class CloudCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(names = "--infra", paramLabel = "DIR", defaultValue = ".", scope = picocli.CommandLine.ScopeType.INHERIT,
      description = "The infrastructure repository: infra/Infra.java and hosts.yml (default: the current folder).")
  Path infraDir;

  @Option(names = "--data-dir", paramLabel = "DIR", scope = picocli.CommandLine.ScopeType.INHERIT,
      description = "Gantry's data folder, where lab hosts live (default: $GANTRY_DATA_DIR or ./gantry-data).")
  Path dataDir;

  @Option(names = "--api-url", paramLabel = "URL", hidden = true, scope = picocli.CommandLine.ScopeType.INHERIT,
      description = "Another DigitalOcean API base (a proxy or a test server).")
  URI apiUrl;

  private final CloudEnvironment environment;

  /** With the process's environment and no vault: the token must be in DIGITALOCEAN_TOKEN. */
  public CloudCommand() {
    this(CloudEnvironment.system(TokenSource.SecretLookup.NONE));
  }

  public CloudCommand(CloudEnvironment environment) {
    this.environment = environment;
  }

  @Override
  public void run() {
    spec.commandLine().usage(environment.out());
  }

  CloudEnvironment environment() {
    return environment;
  }

  Path dataDir() {
    if (dataDir != null) {
      return dataDir;
    }
    String fromEnv = environment.env().get("GANTRY_DATA_DIR");
    return Path.of(fromEnv == null || fromEnv.isBlank() ? "gantry-data" : fromEnv);
  }

  /** The definition, found as every command finds it ({@link InfraDefinition#source}). */
  Infrastructure infrastructure() {
    return environment.loader().load(InfraDefinition.source(infraDir), dataDir());
  }

  /** The hosts registry, {@code hosts.yml} in the infra folder. */
  Path registryFile() {
    return infraDir.resolve(HostsRegistry.FILE);
  }

  /** Changes the hosts registry; the file is written (or created) only when the change changes something. */
  void updateRegistry(UnaryOperator<HostsRegistry> change) {
    HostsRegistry before = HostsRegistry.read(registryFile());
    HostsRegistry after = change.apply(before);
    if (!after.equals(before)) {
      after.write(registryFile());
    }
  }

  DigitalOceanClient digitalOcean() {
    TokenSource.SecretLookup vault = environment.vault() != TokenSource.SecretLookup.NONE ? environment.vault() : infraVault();
    var token = new TokenSource(environment.env(), vault).resolve();
    URI base = apiUrl != null ? apiUrl : ApiTransport.PRODUCTION;
    return DigitalOceanClient.builder().token(token).baseUri(base).build();
  }

  /** The vault of the infra repository ({@code gantry vault set digitalocean-token any}), read with gpg. */
  private TokenSource.SecretLookup infraVault() {
    return (field, context) -> {
      Vault v = Vault.open(infraDir);
      SecretRef ref = SecretRef.of(field, context);
      if (!v.has(ref)) {
        return java.util.Optional.empty();
      }
      return v.find(ref, new GpgDecryptor()).map(b -> new String(b, java.nio.charset.StandardCharsets.UTF_8).strip());
    };
  }

  Providers providers() {
    return new Providers(dataDir(), environment.env(), this::digitalOcean);
  }

  /** {@code --json} output: the API's own field names, indented. */
  static ObjectWriter json() {
    return ApiTransport.mapper().writerWithDefaultPrettyPrinter();
  }
}
