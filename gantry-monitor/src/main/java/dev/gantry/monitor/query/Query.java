package dev.gantry.monitor.query;

import dev.gantry.monitor.client.Event;
import dev.gantry.monitor.index.IndexKey;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A parsed query in Riemann's query language, evaluated against events.
 *
 * <pre>{@code
 * Query q = Query.parse("service =~ \"df-%\" and metric > 90");
 * boolean hit = q.matches(event);
 * }</pre>
 */
public sealed interface Query {

  /** Parses {@code text}; a {@link QueryException} says where it went wrong. */
  static Query parse(String text) {
    return new QueryParser(text).parse();
  }

  /** True when {@code e} satisfies the query. */
  boolean matches(Event e);

  /** The index key when the query is exactly {@code host = "h" and service = "s"}. */
  default Optional<IndexKey> directLookup() {
    if (this instanceof And(Compare a, Compare b) && a.op() == Op.EQ && b.op() == Op.EQ
        && a.value() instanceof String av && b.value() instanceof String bv) {
      if (a.field().equals("host") && b.field().equals("service")) {
        return Optional.of(new IndexKey(av, bv));
      }
      if (a.field().equals("service") && b.field().equals("host")) {
        return Optional.of(new IndexKey(bv, av));
      }
    }
    return Optional.empty();
  }

  /** Comparison operators. */
  enum Op {
    EQ("="), NE("!="), LT("<"), GT(">"), LE("<="), GE(">=");

    final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }
  }

  /** {@code true} or {@code false}. */
  record Constant(boolean value) implements Query {
    public boolean matches(Event e) {
      return value;
    }
  }

  record Not(Query inner) implements Query {
    public boolean matches(Event e) {
      return !inner.matches(e);
    }
  }

  record And(Query left, Query right) implements Query {
    public boolean matches(Event e) {
      return left.matches(e) && right.matches(e);
    }
  }

  record Or(Query left, Query right) implements Query {
    public boolean matches(Event e) {
      return left.matches(e) || right.matches(e);
    }
  }

  /** {@code tagged "x"}. */
  record Tagged(String tag) implements Query {
    public boolean matches(Event e) {
      return e.tagged(tag);
    }
  }

  /** A bare field name: matches when the event has that field (Riemann: the field is truthy). */
  record Present(String field) implements Query {
    public boolean matches(Event e) {
      return Fields.get(e, field) != null;
    }
  }

  /** {@code field = other} or {@code field != other}: two fields of the same event. */
  record SameFields(String field, Op op, String other) implements Query {
    public boolean matches(Event e) {
      Object b = Fields.get(e, other);
      return Compare.test(Fields.get(e, field), op, b instanceof Number n ? n.doubleValue() : b);
    }
  }

  /**
   * {@code field op value}; value is a String, a Double, a Boolean or null (nil). Ordering
   * operators compare numbers; a field that is not a number never matches them.
   */
  record Compare(String field, Op op, Object value) implements Query {
    public boolean matches(Event e) {
      return test(Fields.get(e, field), op, value);
    }

    /** Whether {@code actual op value} holds. */
    static boolean test(Object actual, Op op, Object value) {
      return switch (op) {
        case EQ -> equal(actual, value);
        case NE -> !equal(actual, value);
        default -> {
          Double a = Fields.number(actual);
          Double b = Fields.number(value);
          if (a == null || b == null) {
            yield false;
          }
          int c = Double.compare(a, b);
          yield switch (op) {
            case LT -> c < 0;
            case GT -> c > 0;
            case LE -> c <= 0;
            default -> c >= 0;
          };
        }
      };
    }

    private static boolean equal(Object actual, Object expected) {
      if (expected == null || actual == null) {
        return actual == expected;
      }
      if (expected instanceof Double d) {
        Double a = Fields.number(actual);
        return a != null && a.doubleValue() == d.doubleValue();
      }
      if (expected instanceof Boolean b) {
        return b.toString().equals(actual.toString());
      }
      return expected.equals(actual instanceof Number n ? Fields.format(n) : actual.toString());
    }
  }

  /** A pattern over a field's text: {@link Like} or {@link Regex}. */
  sealed interface TextMatch extends Query {
    String field();

    boolean matchesText(String text);

    default boolean matches(Event e) {
      String s = Fields.string(Fields.get(e, field()));
      return s != null && matchesText(s);
    }
  }

  /** {@code field =~ "pat%"}: SQL LIKE with {@code %}, anchored at both ends. */
  record Like(String field, String pattern, Pattern compiled) implements TextMatch {
    static Like of(String field, String pattern) {
      StringBuilder re = new StringBuilder();
      String[] parts = pattern.split("%", -1);
      for (int i = 0; i < parts.length; i++) {
        if (i > 0) {
          re.append(".*");
        }
        re.append(Pattern.quote(parts[i]));
      }
      return new Like(field, pattern, Pattern.compile(re.toString(), Pattern.DOTALL));
    }

    public boolean matchesText(String text) {
      return compiled.matcher(text).matches();
    }
  }

  /** {@code field ~= "regex"}: matches when the regular expression is found in the value. */
  record Regex(String field, Pattern pattern) implements TextMatch {
    public boolean matchesText(String text) {
      return pattern.matcher(text).find();
    }
  }
}
