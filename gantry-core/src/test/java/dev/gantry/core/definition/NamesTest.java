package dev.gantry.core.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.UserError;
import org.junit.jupiter.api.Test;

class NamesTest {

  @Test
  void acceptsTheNamesDefinitionsUse() {
    for (String name : new String[] {"compile", "ui-test", "ci.example.com", "203.0.113.7", "capital", "db",
        "disk-full", "slack-webhook", "snake_case", "Build2", "9lives", "a", "x".repeat(128)}) {
      assertThat(Names.isValid(name)).as(name).isTrue();
      assertThat(Names.require("step", name)).isEqualTo(name);
    }
  }

  @Test
  void refusesOthersSayingWhichKindAndWhy() {
    assertThatThrownBy(() -> Names.require("step", "unit test")).isInstanceOf(DefinitionError.class)
        .isInstanceOf(UserError.class)
        .hasMessage("invalid step name 'unit test' (no spaces): use letters, digits, '.', '_' or '-',"
            + " starting with a letter or digit, at most 128 characters");
    assertThatThrownBy(() -> Names.require("rule", "a/b")).hasMessageStartingWith("invalid rule name 'a/b' (no '/'): use");
    assertThatThrownBy(() -> Names.require("host", "")).hasMessageStartingWith("invalid host name '' (it is empty)");
    assertThatThrownBy(() -> Names.require("host", null)).hasMessageStartingWith("invalid host name 'null' (it is empty)");
    assertThatThrownBy(() -> Names.require("system", "-x")).hasMessageStartingWith("invalid system name '-x' (it starts with '-')");
    assertThatThrownBy(() -> Names.require("system", ".hidden")).hasMessageContaining("(it starts with '.')");
    assertThatThrownBy(() -> Names.require("step", "x".repeat(129))).hasMessageContaining("(129 characters)");
    assertThatThrownBy(() -> Names.require("volume", "café")).hasMessageContaining("(no 'é')");
    assertThatThrownBy(() -> Names.require("volume", "a𝄞")).hasMessageContaining("(no '𝄞')");
    assertThatThrownBy(() -> Names.require("step", "a\tb")).hasMessageContaining("(no spaces)");
    for (String bad : new String[] {"a#b", "a:b", "a@b", "a,b", "a*"}) {
      assertThat(Names.isValid(bad)).as(bad).isFalse();
    }
  }
}
