package dev.gantry.monitor.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.monitor.client.Event;
import dev.gantry.monitor.query.Query.And;
import dev.gantry.monitor.query.Query.Compare;
import dev.gantry.monitor.query.Query.Constant;
import dev.gantry.monitor.query.Query.Not;
import dev.gantry.monitor.query.Query.Op;
import dev.gantry.monitor.query.Query.Or;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The cases of Riemann's own query tests ({@code test/riemann/query_test.clj}: the parse of
 * each construct, then queries with events that must and must not match), in Gantry's terms.
 * Riemann's test events are Clojure maps of any values; here a field Gantry holds as text
 * (state, host, service, description, attributes) gets the value as text, and Riemann's
 * {@code time = null} case uses an attribute, since every Gantry event has a time.
 */
class RiemannQueryCasesTest {
  static Query parse(String q) {
    return Query.parse(q);
  }

  static Compare eq(String field, Object value) {
    return new Compare(field, Op.EQ, value);
  }

  @Test
  void fieldsLiteralsAndNumbersParseAsInRiemann() {
    for (String field : List.of("state", "host", "service", "description", "metric_f", "metric", "time")) {
      assertThat(parse(field + " = true")).isEqualTo(eq(field, true));
    }
    assertThat(parse("ttl = 64")).isEqualTo(eq("ttl", 64.0));
    assertThat(parse("true")).isEqualTo(new Constant(true));
    assertThat(parse("false")).isEqualTo(new Constant(false));
    assertThat(parse("nil")).as("nil matches nothing").isEqualTo(new Constant(false));
    assertThat(parse("null")).isEqualTo(new Constant(false));
    assertThat(parse("state = 0")).isEqualTo(eq("state", 0.0));
    assertThat(parse("state = 1")).isEqualTo(eq("state", 1.0));
    assertThat(parse("state = -1")).isEqualTo(eq("state", -1.0));
    assertThat(parse("state = 0.0")).isEqualTo(eq("state", 0.0));
    assertThat(parse("state = 1.5")).isEqualTo(eq("state", 1.5));
    assertThat(parse("state = -1.5")).isEqualTo(eq("state", -1.5));
    assertThat(parse("state = 1e5")).isEqualTo(eq("state", 1e5));
    assertThat(parse("state = 1E5")).isEqualTo(eq("state", 1e5));
    assertThat(parse("state = -1.2e-5")).isEqualTo(eq("state", -1.2e-5));
  }

  @Test
  void stringsAreReadWithClojuresEscapes() {
    assertThat(parse("state = \"\"")).isEqualTo(eq("state", ""));
    assertThat(parse("state = \"foo\"")).isEqualTo(eq("state", "foo"));
    assertThat(parse("state = \"\\b\\t\\n\\f\\r\"")).isEqualTo(eq("state", "\b\t\n\f\r"));
    assertThat(parse("state = \" \\\" \\\\ \"")).isEqualTo(eq("state", " \" \\ "));
    assertThat(parse("state = \"辻斬\"")).isEqualTo(eq("state", "辻斬"));
    assertThat(parse("state = \"\\u8fbb\\u65AC\"")).isEqualTo(eq("state", "辻斬"));
    assertThat(parse("state = \"\\101\\0\\377\"")).as("octal").isEqualTo(eq("state", "A\0\u00ff"));
  }

  @Test
  void unsupportedEscapesAreRefusedAsRiemannRefusesThem() {
    assertThatThrownBy(() -> parse("service = \"a\\.b\"")).isInstanceOf(QueryException.class)
        .hasMessageContaining("column 13").hasMessageContaining("unsupported escape '\\.'");
    assertThatThrownBy(() -> parse("service = \"\\x41\"")).hasMessageContaining("unsupported escape '\\x'");
    assertThatThrownBy(() -> parse("service = \"\\u12\"")).hasMessageContaining("four hexadecimal digits");
    assertThatThrownBy(() -> parse("service = \"\\400\"")).hasMessageContaining("above \\377");
    assertThatThrownBy(() -> parse("service = \"abc\\")).hasMessageContaining("unterminated string");
  }

  @Test
  void predicatesGroupingAndPrecedenceParseAsInRiemann() {
    assertThat(parse("state = 2")).isEqualTo(eq("state", 2.0));
    assertThat(parse("state > 2")).isEqualTo(new Compare("state", Op.GT, 2.0));
    assertThat(parse("state < 2")).isEqualTo(new Compare("state", Op.LT, 2.0));
    assertThat(parse("state >= 2")).isEqualTo(new Compare("state", Op.GE, 2.0));
    assertThat(parse("state <= 2")).isEqualTo(new Compare("state", Op.LE, 2.0));
    assertThat(parse("state != 2")).isEqualTo(new Compare("state", Op.NE, 2.0));
    assertThat(parse("state =~ \"%foo%\"")).isInstanceOfSatisfying(Query.Like.class,
        l -> assertThat(l.pattern()).isEqualTo("%foo%"));
    assertThat(parse("tagged \"cat\"")).isEqualTo(new Query.Tagged("cat"));
    assertThat(parse("not host = 1")).isEqualTo(new Not(eq("host", 1.0)));
    assertThat(parse("host = 1 and state = 2")).isEqualTo(new And(eq("host", 1.0), eq("state", 2.0)));
    assertThat(parse("host = 1 or state = 2")).isEqualTo(new Or(eq("host", 1.0), eq("state", 2.0)));
    assertThat(parse("(host = 1)")).isEqualTo(eq("host", 1.0));
    assertThat(parse("((host = 1))")).isEqualTo(eq("host", 1.0));
    assertThat(parse("not host = 1 and host = 2")).isEqualTo(new And(new Not(eq("host", 1.0)), eq("host", 2.0)));
    assertThat(parse("not host = 1 or host = 2 and host = 3"))
        .isEqualTo(new Or(new Not(eq("host", 1.0)), new And(eq("host", 2.0), eq("host", 3.0))));
    assertThat(parse("not ((host = 1 or host = 2) and host = 3)"))
        .isEqualTo(new Not(new And(new Or(eq("host", 1.0), eq("host", 2.0)), eq("host", 3.0))));
  }

  @Test
  void theRestOfRiemannsGrammar() {
    assertThat(parse("host")).as("a bare field").isEqualTo(new Query.Present("host"));
    assertThat(parse("\"x\"")).as("a bare string is true").isEqualTo(new Constant(true));
    assertThat(parse("0")).as("a bare number is true, as in Clojure").isEqualTo(new Constant(true));
    assertThat(parse("\"a\" = host")).as("a value on the left").isEqualTo(eq("host", "a"));
    assertThat(parse("1 = 1")).isEqualTo(new Constant(true));
    assertThat(parse("1 != 1")).isEqualTo(new Constant(false));
    assertThat(parse("1 < 2")).isEqualTo(new Constant(true));
    assertThat(parse("\"abc\" =~ \"a%\"")).isEqualTo(new Constant(true));
    assertThat(parse("host = service")).isEqualTo(new Query.SameFields("host", Op.EQ, "service"));
    assertThat(parse(",host = \"a\" and, service = \"b\",")).as("commas are whitespace")
        .isEqualTo(new And(eq("host", "a"), eq("service", "b"))).satisfies(q -> assertThat(q.directLookup()).isPresent());
    assertThat(parse("metric = 12N")).as("a big integer").isEqualTo(eq("metric", 12.0));
    assertThat(parse("metric < Infinity and metric > -Infinity")).isEqualTo(new And(
        new Compare("metric", Op.LT, Double.POSITIVE_INFINITY), new Compare("metric", Op.GT, Double.NEGATIVE_INFINITY)));
    assertThatThrownBy(() -> parse("1 < metric")).as("an ordering needs a number on the right, as in Riemann")
        .hasMessageContaining("compares with a number");
    assertThatThrownBy(() -> parse("tagged host")).hasMessageContaining("quoted tag");
  }

  static Event ev(UnaryOperator<Event.Builder> b) {
    return b.apply(Event.builder()).build();
  }

  static final Event EMPTY = Event.builder().build();

  /** Riemann's {@code f}: the query matches every good event and no evil one. */
  static void f(String query, List<Event> good, List<Event> evil) {
    Query q = parse(query);
    assertThat(good).as("%s matches", query).allMatch(q::matches);
    assertThat(evil).as("%s does not match", query).noneMatch(q::matches);
  }

  @Test
  void riemannsMatchingCases() {
    f("true", List.of(ev(b -> b.state("foo")), EMPTY), List.of());
    f("false", List.of(), List.of(ev(b -> b.state("foo")), EMPTY));
    f("null", List.of(), List.of(ev(b -> b.state("foo")), EMPTY));
    f("state = \"foo\"", List.of(ev(b -> b.state("foo"))), List.of(ev(b -> b.state("bar")), EMPTY));
    f("state != 1", List.of(ev(b -> b.state("0.5")), EMPTY), List.of(ev(b -> b.state("1"))));
    f("host =~ \"%s.\"", List.of(ev(b -> b.host("s.")), ev(b -> b.host("foos."))),
        List.of(ev(b -> b.host("a.")), ev(b -> b.host("s.murf")), EMPTY));
    f("host ~= \"foo?[1-9]+\"", List.of(ev(b -> b.host("foo19")), ev(b -> b.host("foo1")), ev(b -> b.host("fo42"))),
        List.of(ev(b -> b.host("abc")), ev(b -> b.host("foo")), ev(b -> b.host("fooo42")), EMPTY));
    f("metric > 1e10", List.of(ev(b -> b.metric(1e11))), List.of(ev(b -> b.metric(1e10)), EMPTY));
    f("metric >= -1", List.of(ev(b -> b.metric(0)), ev(b -> b.metric(-1))), List.of(ev(b -> b.metric(-2)), EMPTY));
    f("metric < 1.2e2", List.of(ev(b -> b.metric(1.5e1))), List.of(ev(b -> b.metric(1.2e2)), EMPTY));
    f("metric <= 1", List.of(ev(b -> b.metric(1)), ev(b -> b.metric(-20))), List.of(ev(b -> b.metric(2)), EMPTY));
    f("tagged \"cat\"", List.of(ev(b -> b.tags("cat", "dog")), ev(b -> b.tags("cat"))),
        List.of(ev(b -> b.tags("dog")), EMPTY));
    f("when = null and description != nil",
        List.of(ev(b -> b.description("true")), ev(b -> b.description("hey"))),
        List.of(ev(b -> b.attribute("when", "2").description("true")), EMPTY));
    f("not ((host = 1 or host = 2) and service = 3)",
        List.of(ev(b -> b.host("1")), ev(b -> b.service("3")), EMPTY), List.of(ev(b -> b.host("2").service("3"))));
    f("paws = 4 and tagged \"catz\"",
        List.of(ev(b -> b.attribute("paws", "4").tags("fuzzy", "catz"))),
        List.of(ev(b -> b.attribute("paws", "4").tags("fuzzy")), ev(b -> b.attribute("paws", "4")),
            ev(b -> b.attribute("paws", "3").tags("fuzzy", "catz")), ev(b -> b.tags("fuzzy", "catz"))));
  }

  @Test
  void matchingIsFast() {
    // Riemann's "fast" case: 1000 events in under 50 ms
    Query q = parse("host =~ \"api %\" and state = \"ok\" and metric > 0");
    List<Event> events = List.of(ev(b -> b.host("api 1").state("ok").metric(1.2)), ev(b -> b.host("other").state("ok").metric(1.2)),
        ev(b -> b.host("api 2").state("no").metric(1.2)), ev(b -> b.host("api 3").state("ok").metric(0.5)), EMPTY);
    long start = System.nanoTime();
    int hits = 0;
    for (int i = 0; i < 1000; i++) {
      hits += q.matches(events.get(i % events.size())) ? 1 : 0;
    }
    assertThat(hits).as("api 1 and api 3, 200 each").isEqualTo(400);
    assertThat(System.nanoTime() - start).isLessThan(50_000_000L);
  }
}
