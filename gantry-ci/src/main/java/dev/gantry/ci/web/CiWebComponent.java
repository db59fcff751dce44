package dev.gantry.ci.web;

import dev.gantry.ci.server.ApiRoutes;
import dev.gantry.ci.server.CiService;
import dev.gantry.core.web.NavItem;
import dev.gantry.core.web.Web;
import dev.gantry.core.web.WebComponent;
import java.util.Optional;

/**
 * The CI's part of the web server: pages under {@code /ci} and the API under {@code /api/ci}.
 *
 * <pre>{@code
 * WebComponent ci = ciService.webComponent();   // nav "CI" -> /ci
 * }</pre>
 */
public final class CiWebComponent implements WebComponent {
  private final CiService ci;

  public CiWebComponent(CiService ci) {
    this.ci = ci;
  }

  @Override
  public Optional<NavItem> nav() {
    return Optional.of(new NavItem("CI", "/ci"));
  }

  @Override
  public void register(Web web) {
    ApiRoutes.register(ci, web);
    new Pages(ci, web).register();
  }

  /** The service owns what the pages use; closing it is the caller's ({@link CiService#close()}). */
  @Override
  public void close() {}
}
