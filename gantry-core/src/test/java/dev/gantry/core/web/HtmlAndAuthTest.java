package dev.gantry.core.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HtmlAndAuthTest {

  @Test
  void escapesMarkupAndQuotes() {
    assertThat(Html.escape("<a href=\"x\" title='y'>Tom & Jerry</a>"))
        .isEqualTo("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt;");
    assertThat(Html.escape(null)).isEmpty();
    assertThat(Html.escape(42)).isEqualTo("42");
  }

  @Test
  void theTokenMustMatchExactly() {
    Auth auth = new Auth("0123456789abcdef-token");
    assertThat(auth.matches("0123456789abcdef-token")).isTrue();
    assertThat(auth.matches("0123456789abcdef-tokeN")).isFalse();
    assertThat(auth.matches("0123456789abcdef-token ")).isFalse();
    assertThat(auth.matches("")).isFalse();
    assertThat(auth.matches(null)).isFalse();
  }

  @Test
  void aShortTokenIsRefusedWithoutShowingIt() {
    assertThatThrownBy(() -> new Auth("short-secret"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("short-secret");
  }
}
