package dev.gantry.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SameOriginTest {
  @Test
  void fetchMetadataDecidesWhenTheBrowserSendsIt() {
    assertThat(SameOrigin.refusal("same-origin", null, "127.0.0.1:8080")).isEmpty();
    assertThat(SameOrigin.refusal("same-origin", "http://evil.example", "127.0.0.1:8080")).isEmpty();
    assertThat(SameOrigin.refusal("cross-site", "http://127.0.0.1:8080", "127.0.0.1:8080")).hasValueSatisfying(
        why -> assertThat(why).contains("cross-site"));
    assertThat(SameOrigin.refusal("same-site", null, "127.0.0.1:8080")).isPresent();
    assertThat(SameOrigin.refusal("none", null, "127.0.0.1:8080")).isPresent();
  }

  @Test
  void otherwiseTheOriginMustBeThisHost() {
    assertThat(SameOrigin.refusal(null, "http://127.0.0.1:8080", "127.0.0.1:8080")).isEmpty();
    assertThat(SameOrigin.refusal(null, "https://Gantry.Example", "gantry.example")).isEmpty();
    assertThat(SameOrigin.refusal(null, "http://127.0.0.1:9090", "127.0.0.1:8080")).isPresent();
    assertThat(SameOrigin.refusal(null, "http://evil.example", "127.0.0.1:8080")).isPresent();
    assertThat(SameOrigin.refusal(null, "null", "127.0.0.1:8080")).isPresent();
    assertThat(SameOrigin.refusal(null, "not a url at all", "127.0.0.1:8080")).isPresent();
    assertThat(SameOrigin.refusal(null, "http://127.0.0.1:8080", null)).isPresent();
  }

  @Test
  void aRequestNamingNoOriginIsRefusedSayingWhatToDo() {
    assertThat(SameOrigin.refusal(null, null, "127.0.0.1:8080")).hasValueSatisfying(
        why -> assertThat(why).contains("names no Origin").contains("Authorization: Bearer"));
  }
}
