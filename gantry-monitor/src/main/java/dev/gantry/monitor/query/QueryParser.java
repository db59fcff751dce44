package dev.gantry.monitor.query;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Recursive-descent parser for the query language (or below and below not). */
final class QueryParser {
  private record Token(Kind kind, String text, Object value, int column) {}

  private enum Kind { WORD, STRING, NUMBER, OP, LPAREN, RPAREN, END }

  private static final int MAX_LENGTH = 64 * 1024;
  private static final int MAX_DEPTH = 100;

  private final String source;
  private final List<Token> tokens;
  private int pos;
  private int depth;
  // whether the last condition read was a bare value, which an operator may have been meant to follow
  private boolean lastWasBare;

  QueryParser(String source) {
    if (source == null) {
      throw new QueryException("query: missing");
    }
    if (source.length() > MAX_LENGTH) {
      throw new QueryException("query: longer than " + MAX_LENGTH + " characters");
    }
    this.source = source;
    this.tokens = tokenize(source);
  }

  Query parse() {
    Query q = or();
    Token t = peek();
    if (t.kind != Kind.END) {
      throw error(t, lastWasBare ? "expected an operator (= != < > <= >= =~ ~=), 'and', 'or' or the end of the query"
          : "expected 'and', 'or' or the end of the query");
    }
    return q;
  }

  private Query or() {
    Query left = and();
    while (isWord(peek(), "or")) {
      pos++;
      left = new Query.Or(left, and());
    }
    return left;
  }

  private Query and() {
    Query left = unary();
    while (isWord(peek(), "and")) {
      pos++;
      left = new Query.And(left, unary());
    }
    return left;
  }

  private Query unary() {
    if (isWord(peek(), "not")) {
      pos++;
      return nested(() -> new Query.Not(unary()));
    }
    return primary();
  }

  private Query nested(java.util.function.Supplier<Query> inner) {
    if (++depth > MAX_DEPTH) {
      throw error(peek(), "nested deeper than " + MAX_DEPTH + " levels");
    }
    try {
      return inner.get();
    } finally {
      depth--;
    }
  }

  private Query primary() {
    Token t = next();
    switch (t.kind) {
      case LPAREN -> {
        Query inner = nested(this::or);
        lastWasBare = false;
        Token close = next();
        if (close.kind != Kind.RPAREN) {
          throw error(close, "expected ')' to close the '(' at column " + t.column);
        }
        return inner;
      }
      case WORD, STRING, NUMBER -> {
        if (isWord(t, "tagged")) {
          Token tag = next();
          if (tag.kind != Kind.STRING) {
            throw error(tag, "expected a quoted tag after 'tagged'");
          }
          lastWasBare = false;
          return new Query.Tagged((String) tag.value);
        }
        if (isWord(t, "and") || isWord(t, "or")) {
          throw error(t, "expected a condition before '" + t.text + "'");
        }
        Operand left = operand(t);
        lastWasBare = peek().kind != Kind.OP;
        if (!lastWasBare) {
          return comparison(left);
        }
        // a bare value, as Riemann's grammar allows: a field matches when the event has it,
        // nil and false match nothing, any other literal everything
        return switch (left) {
          case Field f -> new Query.Present(f.name());
          case Literal l -> new Query.Constant(l.value() != null && !Boolean.FALSE.equals(l.value()));
        };
      }
      default -> throw error(t, "expected a field name, a value, 'tagged', 'not' or '('");
    }
  }

  /** One side of a comparison: a field of the event, or a literal. */
  private sealed interface Operand {}

  private record Field(String name) implements Operand {}

  private record Literal(Object value) implements Operand {}

  private static Operand operand(Token t) {
    return switch (t.kind) {
      case STRING, NUMBER -> new Literal(t.value);
      default -> switch (t.text) {
        case "nil", "null" -> new Literal(null);
        case "true" -> new Literal(Boolean.TRUE);
        case "false" -> new Literal(Boolean.FALSE);
        default -> new Field(t.text);
      };
    };
  }

  private Query comparison(Operand left) {
    Token op = next();
    Token v = next();
    if (v.kind != Kind.STRING && v.kind != Kind.NUMBER && v.kind != Kind.WORD || isWord(v, "and") || isWord(v, "or")
        || isWord(v, "not") || isWord(v, "tagged")) {
      throw error(v, "expected a value (a \"string\", a number, nil, true, false or a field) after '" + op.text + "'");
    }
    Operand right = operand(v);
    return switch (op.text) {
      case "=~", "~=" -> {
        if (!(right instanceof Literal(String pattern))) {
          throw error(v, "'" + op.text + "' needs a quoted " + (op.text.equals("=~") ? "pattern such as \"df-%\""
              : "regular expression"));
        }
        String field = left instanceof Field(String name) ? name : "";
        Query.TextMatch match;
        try {
          match = op.text.equals("=~") ? Query.Like.of(field, pattern) : new Query.Regex(field, Pattern.compile(pattern));
        } catch (PatternSyntaxException e) {
          throw error(v, "invalid regular expression: " + e.getDescription());
        }
        // a literal on the left is decided now: Riemann matches only strings
        yield left instanceof Literal(Object value)
            ? new Query.Constant(value instanceof String text && match.matchesText(text)) : match;
      }
      case "=", "!=" -> {
        Query.Op o = op.text.equals("=") ? Query.Op.EQ : Query.Op.NE;
        yield switch (left) {
          case Field f when right instanceof Literal(Object value) -> new Query.Compare(f.name(), o, value);
          case Field f -> new Query.SameFields(f.name(), o, ((Field) right).name());
          case Literal l when right instanceof Field f -> new Query.Compare(f.name(), o, l.value());
          case Literal l -> new Query.Constant(Query.Compare.test(l.value(), o, ((Literal) right).value()));
        };
      }
      default -> {
        if (!(right instanceof Literal(Double bound))) {
          throw error(v, "'" + op.text + "' compares with a number, found " + describe(v));
        }
        Query.Op o = switch (op.text) {
          case "<" -> Query.Op.LT;
          case ">" -> Query.Op.GT;
          case "<=" -> Query.Op.LE;
          default -> Query.Op.GE;
        };
        yield switch (left) {
          case Field f -> new Query.Compare(f.name(), o, bound);
          case Literal l -> new Query.Constant(Query.Compare.test(l.value(), o, bound));
        };
      }
    };
  }

  private static String describe(Token t) {
    return t.kind == Kind.STRING ? "a string" : "'" + t.text + "'";
  }

  private static boolean isWord(Token t, String w) {
    return t.kind == Kind.WORD && t.text.equals(w);
  }

  private Token peek() {
    return tokens.get(pos);
  }

  private Token next() {
    Token t = tokens.get(pos);
    if (t.kind != Kind.END) {
      pos++;
    }
    return t;
  }

  private QueryException error(Token at, String message) {
    String found = at.kind == Kind.END ? "end of query" : "'" + at.text + "'";
    return new QueryException("query column " + at.column + " (at " + found + "): " + message + " — in: " + source);
  }

  private List<Token> tokenize(String s) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      int col = i + 1;
      if (Character.isWhitespace(c) || c == ',') {
        // Riemann (as Clojure) reads commas as whitespace
        i++;
      } else if (c == '(') {
        out.add(new Token(Kind.LPAREN, "(", null, col));
        i++;
      } else if (c == ')') {
        out.add(new Token(Kind.RPAREN, ")", null, col));
        i++;
      } else if (c == '"') {
        i = string(s, i, out);
      } else if (c == '\'') {
        throw new QueryException("query column " + col + ": strings use double quotes, not ' — in: " + s);
      } else if (Character.isDigit(c) || ((c == '-' || c == '+' || c == '.') && i + 1 < n
          && (Character.isDigit(s.charAt(i + 1)) || s.charAt(i + 1) == '.'))) {
        int start = i;
        i++;
        while (i < n && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.' || s.charAt(i) == 'e'
            || s.charAt(i) == 'E' || ((s.charAt(i) == '-' || s.charAt(i) == '+')
            && (s.charAt(i - 1) == 'e' || s.charAt(i - 1) == 'E')))) {
          i++;
        }
        // Riemann's big integers: 12N
        boolean big = i < n && s.charAt(i) == 'N';
        String text = s.substring(start, i);
        i += big ? 1 : 0;
        try {
          out.add(new Token(Kind.NUMBER, s.substring(start, i), Double.parseDouble(text), col));
        } catch (NumberFormatException e) {
          throw new QueryException("query column " + col + ": '" + s.substring(start, i) + "' is not a number — in: " + s);
        }
      } else if (c == '-' && s.startsWith("Infinity", i + 1)) {
        out.add(new Token(Kind.NUMBER, "-Infinity", Double.NEGATIVE_INFINITY, col));
        i += 9;
      } else if (Character.isLetter(c) || c == '_') {
        int start = i;
        while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || "_-./:".indexOf(s.charAt(i)) >= 0)) {
          i++;
        }
        String word = s.substring(start, i);
        switch (word) {
          case "Infinity" -> out.add(new Token(Kind.NUMBER, word, Double.POSITIVE_INFINITY, col));
          case "NaN" -> out.add(new Token(Kind.NUMBER, word, Double.NaN, col));
          default -> out.add(new Token(Kind.WORD, word, null, col));
        }
      } else if ("=!<>~".indexOf(c) >= 0) {
        String two = i + 1 < n ? s.substring(i, i + 2) : "";
        String op = switch (two) {
          case "!=", "<=", ">=", "=~", "~=" -> two;
          default -> String.valueOf(c);
        };
        if (op.equals("!") || op.equals("~")) {
          throw new QueryException("query column " + col + ": unknown operator '" + op + "' — in: " + s);
        }
        out.add(new Token(Kind.OP, op, null, col));
        i += op.length();
      } else {
        throw new QueryException("query column " + col + ": unexpected character '" + c + "' — in: " + s);
      }
    }
    out.add(new Token(Kind.END, "", null, n + 1));
    return out;
  }

  /**
   * Reads the string starting at the quote at {@code start}, as Riemann reads it (Clojure's
   * reader): backslash escapes of quote, backslash, b, t, n, f, r, u with four hexadecimal
   * digits, and octal 0 to 377; any other escape is refused. Returns the index after the closing quote.
   */
  private static int string(String s, int start, List<Token> out) {
    StringBuilder sb = new StringBuilder();
    int n = s.length();
    int i = start + 1;
    while (i < n) {
      char d = s.charAt(i++);
      if (d == '"') {
        out.add(new Token(Kind.STRING, s.substring(start, i), sb.toString(), start + 1));
        return i;
      }
      if (d != '\\') {
        sb.append(d);
        continue;
      }
      if (i >= n) {
        break;
      }
      int at = i;
      char esc = s.charAt(i++);
      switch (esc) {
        case '"', '\\' -> sb.append(esc);
        case 'b' -> sb.append('\b');
        case 't' -> sb.append('\t');
        case 'n' -> sb.append('\n');
        case 'f' -> sb.append('\f');
        case 'r' -> sb.append('\r');
        case 'u' -> {
          if (i + 4 > n || !s.substring(i, i + 4).matches("[0-9a-fA-F]{4}")) {
            throw new QueryException("query column " + at + ": '\\u' needs four hexadecimal digits, as in \\u00e9 — in: " + s);
          }
          sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
          i += 4;
        }
        default -> {
          if (esc >= '0' && esc <= '7') {
            int end = i;
            while (end < n && end < at + 3 && s.charAt(end) >= '0' && s.charAt(end) <= '7') {
              end++;
            }
            int code = Integer.parseInt(s.substring(at, end), 8);
            if (code > 0377) {
              throw new QueryException("query column " + at + ": octal escape '\\" + s.substring(at, end)
                  + "' is above \\377 — in: " + s);
            }
            sb.append((char) code);
            i = end;
          } else {
            throw new QueryException("query column " + at + ": unsupported escape '\\" + esc
                + "' in a string (escapes: \\\" \\\\ \\b \\t \\n \\f \\r \\uXXXX; a backslash itself is \\\\) — in: " + s);
          }
        }
      }
    }
    throw new QueryException("query column " + (start + 1) + ": unterminated string — in: " + s);
  }
}
