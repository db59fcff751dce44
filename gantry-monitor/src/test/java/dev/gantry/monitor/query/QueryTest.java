package dev.gantry.monitor.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.UserError;
import dev.gantry.monitor.client.Event;
import dev.gantry.monitor.index.IndexKey;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QueryTest {
  static final Event WEB = Event.builder().host("web1").service("df-root/percent_bytes-used").state("warning")
      .description("disk").metric(91.5).ttl(30).tags("collectd", "df").attribute("plugin", "df")
      .attribute("rack", "r1").build();

  static boolean q(String query) {
    return Query.parse(query).matches(WEB);
  }

  @Test
  void comparisons() {
    assertThat(q("host = \"web1\"")).isTrue();
    assertThat(q("host != \"web1\"")).isFalse();
    assertThat(q("metric > 90")).isTrue();
    assertThat(q("metric >= 91.5 and metric <= 91.5")).isTrue();
    assertThat(q("metric < 90")).isFalse();
    assertThat(q("metric_f = 91.5")).isTrue();
    assertThat(q("ttl = 30")).isTrue();
    assertThat(q("time > 1000000")).isTrue();
    assertThat(q("state = \"warning\" or state = \"critical\"")).isTrue();
  }

  @Test
  void likeIsAnchoredAndRegexFinds() {
    assertThat(q("service =~ \"df-%\"")).isTrue();
    assertThat(q("service =~ \"%used\"")).isTrue();
    assertThat(q("service =~ \"root%\"")).isFalse();
    assertThat(q("service =~ \"df-%/percent_bytes-%\"")).isTrue();
    assertThat(q("service =~ \"df.root%\"")).as("the dot is literal").isFalse();
    assertThat(q("service ~= \"percent_[a-z]+\"")).isTrue();
    assertThat(q("service ~= \"^root\"")).isFalse();
  }

  @Test
  void tagsNilAttributesAndLogic() {
    assertThat(q("tagged \"df\"")).isTrue();
    assertThat(q("tagged \"nope\"")).isFalse();
    assertThat(q("not tagged \"nope\"")).isTrue();
    assertThat(q("rack = \"r1\" and plugin = \"df\"")).isTrue();
    assertThat(q("missing = nil")).isTrue();
    assertThat(q("missing = null and description != nil")).isTrue();
    assertThat(q("true")).isTrue();
    assertThat(q("false or (host = \"web1\" and not (metric < 50))")).isTrue();
    assertThat(q("host = \"x\" or host = \"y\" and true")).isFalse();
  }

  @Test
  void hostAndServiceIsADirectLookup() {
    assertThat(Query.parse("host = \"a\" and service = \"b\"").directLookup()).contains(new IndexKey("a", "b"));
    assertThat(Query.parse("service = \"b\" and host = \"a\"").directLookup()).contains(new IndexKey("a", "b"));
    assertThat(Query.parse("host = \"a\" or service = \"b\"").directLookup()).isEqualTo(Optional.empty());
    assertThat(Query.parse("host = \"a\" and service =~ \"b%\"").directLookup()).isEqualTo(Optional.empty());
  }

  @Test
  void badQueriesSayWhereAndWhat() {
    assertThatThrownBy(() -> Query.parse("host = ")).isInstanceOf(UserError.class)
        .hasMessageContaining("column 8").hasMessageContaining("expected a value");
    assertThatThrownBy(() -> Query.parse("host \"a\"")).hasMessageContaining("expected an operator");
    assertThatThrownBy(() -> Query.parse("host = \"a")).hasMessageContaining("unterminated string");
    assertThatThrownBy(() -> Query.parse("host = 'a'")).hasMessageContaining("double quotes");
    assertThatThrownBy(() -> Query.parse("(host = \"a\"")).hasMessageContaining("expected ')'");
    assertThatThrownBy(() -> Query.parse("metric > \"x\"")).hasMessageContaining("compares with a number");
    assertThatThrownBy(() -> Query.parse("service ~= \"(\"")).hasMessageContaining("invalid regular expression");
    assertThatThrownBy(() -> Query.parse("host = \"a\" host")).hasMessageContaining("expected 'and', 'or'");
    assertThatThrownBy(() -> Query.parse("and")).hasMessageContaining("expected a condition");
    assertThatThrownBy(() -> Query.parse("host # 1")).hasMessageContaining("unexpected character '#'");
    assertThatThrownBy(() -> Query.parse("not ".repeat(200) + "true")).hasMessageContaining("nested deeper");
    assertThatThrownBy(() -> Query.parse(null)).hasMessageContaining("missing");
  }
}
