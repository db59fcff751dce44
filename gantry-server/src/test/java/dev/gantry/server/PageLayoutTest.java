package dev.gantry.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.core.web.NavItem;
import java.util.List;
import org.junit.jupiter.api.Test;

class PageLayoutTest {
  @Test
  void theTopBarOffersSignInToAGuest() {
    String page = new PageLayout(List.of(new NavItem("CI", "/ci")), () -> false, false).page("Queue", "/ci", "<p>x</p>");
    assertThat(page).contains("id=\"login-link\"").contains(">Sign in<").doesNotContain("Sign out")
        .contains("<a href=\"/ci\" class=\"active\"").contains("<script src=\"/assets/gantry.js\" defer>");
  }

  @Test
  void theTopBarSaysWhoIsSignedInWithASignOutButton() {
    String page = new PageLayout(List.of(), () -> true, false).page("Queue", "/ci", "<p>x</p>");
    assertThat(page).contains("Signed in as admin")
        .contains("<form method=\"post\" action=\"/logout\" class=\"signout\"><button type=\"submit\" id=\"sign-out\">Sign out</button>")
        .doesNotContain("login-link");
  }
}
