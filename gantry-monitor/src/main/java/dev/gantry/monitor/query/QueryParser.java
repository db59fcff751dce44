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
      throw error(t, "expected 'and', 'or' or the end of the query");
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
        Token close = next();
        if (close.kind != Kind.RPAREN) {
          throw error(close, "expected ')' to close the '(' at column " + t.column);
        }
        return inner;
      }
      case WORD -> {
        String w = t.text;
        if (w.equals("true") || w.equals("false")) {
          return new Query.Constant(w.equals("true"));
        }
        if (w.equals("tagged")) {
          Token tag = next();
          if (tag.kind != Kind.STRING) {
            throw error(tag, "expected a quoted tag after 'tagged'");
          }
          return new Query.Tagged((String) tag.value);
        }
        if (w.equals("and") || w.equals("or")) {
          throw error(t, "expected a condition before '" + w + "'");
        }
        return comparison(t);
      }
      default -> throw error(t, "expected a field name, 'tagged', 'not', 'true' or '('");
    }
  }

  private Query comparison(Token field) {
    Token op = next();
    if (op.kind != Kind.OP) {
      throw error(op, "expected an operator (= != < > <= >= =~ ~=) after '" + field.text + "'");
    }
    Token v = next();
    Object value = switch (v.kind) {
      case STRING -> v.value;
      case NUMBER -> v.value;
      case WORD -> switch (v.text) {
        case "nil", "null" -> null;
        case "true" -> Boolean.TRUE;
        case "false" -> Boolean.FALSE;
        default -> throw error(v, "expected a value (a \"string\", a number, nil, true or false), found '" + v.text + "'");
      };
      default -> throw error(v, "expected a value after '" + op.text + "'");
    };
    return switch (op.text) {
      case "=~" -> {
        if (!(value instanceof String s)) {
          throw error(v, "'=~' needs a quoted pattern such as \"df-%\"");
        }
        yield Query.Like.of(field.text, s);
      }
      case "~=" -> {
        if (!(value instanceof String s)) {
          throw error(v, "'~=' needs a quoted regular expression");
        }
        try {
          yield new Query.Regex(field.text, Pattern.compile(s));
        } catch (PatternSyntaxException e) {
          throw error(v, "invalid regular expression: " + e.getDescription());
        }
      }
      case "=" -> new Query.Compare(field.text, Query.Op.EQ, value);
      case "!=" -> new Query.Compare(field.text, Query.Op.NE, value);
      default -> {
        if (!(value instanceof Double)) {
          throw error(v, "'" + op.text + "' compares numbers, found " + describe(v));
        }
        Query.Op o = switch (op.text) {
          case "<" -> Query.Op.LT;
          case ">" -> Query.Op.GT;
          case "<=" -> Query.Op.LE;
          default -> Query.Op.GE;
        };
        yield new Query.Compare(field.text, o, value);
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
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '(') {
        out.add(new Token(Kind.LPAREN, "(", null, col));
        i++;
      } else if (c == ')') {
        out.add(new Token(Kind.RPAREN, ")", null, col));
        i++;
      } else if (c == '"') {
        StringBuilder sb = new StringBuilder();
        i++;
        boolean closed = false;
        while (i < n) {
          char d = s.charAt(i++);
          if (d == '"') {
            closed = true;
            break;
          }
          if (d == '\\' && i < n) {
            char esc = s.charAt(i++);
            sb.append(switch (esc) {
              case 'n' -> '\n';
              case 't' -> '\t';
              case 'r' -> '\r';
              default -> esc;
            });
          } else {
            sb.append(d);
          }
        }
        if (!closed) {
          throw new QueryException("query column " + col + ": unterminated string — in: " + s);
        }
        out.add(new Token(Kind.STRING, s.substring(col - 1, i), sb.toString(), col));
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
        String text = s.substring(start, i);
        try {
          out.add(new Token(Kind.NUMBER, text, Double.parseDouble(text), col));
        } catch (NumberFormatException e) {
          throw new QueryException("query column " + col + ": '" + text + "' is not a number — in: " + s);
        }
      } else if (Character.isLetter(c) || c == '_') {
        int start = i;
        while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || "_-./:".indexOf(s.charAt(i)) >= 0)) {
          i++;
        }
        out.add(new Token(Kind.WORD, s.substring(start, i), null, col));
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
}
