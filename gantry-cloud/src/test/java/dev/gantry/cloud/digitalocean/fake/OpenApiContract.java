package dev.gantry.cloud.digitalocean.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.networknt.schema.AbsoluteIri;
import com.networknt.schema.InputFormat;
import com.networknt.schema.resource.InputStreamSource;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi30;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The DigitalOcean API contract read from the official multi-file OpenAPI 3.0 description
 * (the operations Gantry uses, vendored in this module's test resources).
 * Finds the operation for a method and path, follows {@code $ref}s across files, and
 * validates request bodies, query parameters, response bodies and rate-limit headers
 * against the schemas (OpenAPI 3.0 dialect, so {@code nullable} and friends are honoured).
 *
 * <pre>{@code
 * var contract = OpenApiContract.load(OpenApiContract.locate());
 * List<String> problems = contract.checkResponse("GET", "/v2/droplets", 200, headers, body);
 * }</pre>
 */
public final class OpenApiContract {
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head");
  /** The root file of the description vendored in this module's test resources (see the README beside it). */
  private static final String ROOT_RESOURCE = "/specs/digitalocean-openapi/specification/DigitalOcean-public.v2.yaml";

  private final Path root;
  private final List<PathTemplate> templates = new ArrayList<>();
  private final Map<Path, JsonNode> files = new ConcurrentHashMap<>();
  private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();
  private final JsonSchemaFactory factory;
  private final SchemaValidatorsConfig config;

  private OpenApiContract(Path rootFile) {
    this.root = rootFile.toAbsolutePath().normalize();
    this.factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4,
        b -> b.metaSchema(OpenApi30.getInstance()).defaultMetaSchemaIri(OpenApi30.getInstance().getIri())
            .schemaLoaders(loaders -> loaders.add(this::loadAsJson)));
    this.config = SchemaValidatorsConfig.builder()
        .nullableKeywordEnabled(true)
        .formatAssertionsEnabled(true)
        .discriminatorKeywordEnabled(false)
        .build();
    JsonNode paths = file(root).path("paths");
    for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      templates.add(PathTemplate.of(e.getKey()));
    }
    // literal segments win over parameters: /v2/droplets/actions before /v2/droplets/{id}
    templates.sort((a, b) -> Integer.compare(b.literalSegments, a.literalSegments));
  }

  /** Loads the description whose root file is {@code DigitalOcean-public.v2.yaml}. */
  public static OpenApiContract load(Path rootFile) {
    return new OpenApiContract(rootFile);
  }

  /**
   * Finds the vendored description's root file on the test class path. Its {@code $ref}s
   * are followed as files, so the resources must be a directory (as in {@code target/test-classes}).
   */
  public static Path locate() {
    URL url = OpenApiContract.class.getResource(ROOT_RESOURCE);
    if (url == null || !url.getProtocol().equals("file")) {
      throw new IllegalStateException("the DigitalOcean OpenAPI description " + ROOT_RESOURCE
          + " is not a file on the test class path (" + url + ")");
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An operation of the description, with the file it lives in. */
  public record Operation(String method, String template, Map<String, String> pathParams, Path file, String pointer, JsonNode node) {
    private Located at() {
      return new Located(file, node, pointer);
    }
  }

  /** The operation for a concrete method and path such as {@code GET /v2/droplets/42}. */
  public Optional<Operation> find(String method, String path) {
    String m = method.toLowerCase(Locale.ROOT);
    for (PathTemplate t : templates) {
      Matcher matcher = t.regex.matcher(path);
      if (!matcher.matches()) {
        continue;
      }
      Located item = resolve(new Located(root, file(root).path("paths").path(t.template), "/paths/" + escape(t.template)));
      if (!METHODS.contains(m) || !item.node.has(m)) {
        continue;
      }
      Located op = resolve(item.child(m));
      Map<String, String> params = new LinkedHashMap<>();
      for (int i = 0; i < t.names.size(); i++) {
        params.put(t.names.get(i), java.net.URLDecoder.decode(matcher.group(i + 1).replace("+", "%2B"), StandardCharsets.UTF_8));
      }
      return Optional.of(new Operation(m, t.template, params, op.file, op.pointer, op.node));
    }
    return Optional.empty();
  }

  /** Problems with a request: unknown operation, bad parameters, a body off the schema. */
  public List<String> checkRequest(String method, String path, Map<String, List<String>> query,
      boolean hasBearer, JsonNode body) {
    List<String> problems = new ArrayList<>();
    String where = method + " " + path;
    Optional<Operation> found = find(method, path);
    if (found.isEmpty()) {
      problems.add(where + ": no such operation in the vendored DigitalOcean API description");
      return problems;
    }
    Operation op = found.get();
    if (!hasBearer) {
      problems.add(where + ": no 'Authorization: Bearer' header (the API requires bearer_auth)");
    }
    checkParameters(op, query, where, problems);
    JsonNode requestBody = op.node.path("requestBody");
    if (requestBody.isMissingNode()) {
      if (body != null && !body.isMissingNode() && !body.isNull()) {
        problems.add(where + ": sends a body but the operation takes none");
      }
      return problems;
    }
    Located rb = resolve(op.at().child("requestBody"));
    Located schema = rb.child("content").child("application/json").child("schema");
    if (body == null || body.isMissingNode()) {
      if (rb.node.path("required").asBoolean(false)) {
        problems.add(where + ": the request body is required");
      }
      return problems;
    }
    validate(schema, body, where + " request body", problems);
    return problems;
  }

  /** Problems with a response: an undocumented status, a body or header off the schema. */
  public List<String> checkResponse(String method, String path, int status, Map<String, String> headers,
      JsonNode body) {
    List<String> problems = new ArrayList<>();
    String where = method + " " + path + " -> " + status;
    Optional<Operation> found = find(method, path);
    if (found.isEmpty()) {
      problems.add(where + ": no such operation in the vendored DigitalOcean API description");
      return problems;
    }
    Operation op = found.get();
    JsonNode responses = op.node.path("responses");
    String key = responses.has(String.valueOf(status)) ? String.valueOf(status) : "default";
    if (!responses.has(key)) {
      problems.add(where + ": status " + status + " is not documented for this operation");
      return problems;
    }
    if (key.equals("default") && status < 400) {
      problems.add(where + ": success status " + status + " is not documented for this operation");
    }
    Located response = resolve(op.at().child("responses").child(key));
    JsonNode declaredHeaders = response.node.path("headers");
    for (Iterator<Map.Entry<String, JsonNode>> it = declaredHeaders.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> h = it.next();
      String value = headers.get(h.getKey().toLowerCase(Locale.ROOT));
      if (value == null) {
        continue; // headers are optional unless marked required; none of these are
      }
      Located header = resolve(response.child("headers").child(h.getKey()));
      Located schema = resolve(header.child("schema"));
      validate(schema, scalar(schema.node, value), where + " header " + h.getKey(), problems);
    }
    JsonNode content = response.node.path("content");
    if (content.isMissingNode() || content.isEmpty()) {
      if (body != null && !body.isMissingNode() && !body.isNull()) {
        problems.add(where + ": has a body but the description documents none");
      }
      return problems;
    }
    if (body == null || body.isMissingNode()) {
      problems.add(where + ": has no JSON body but the description documents one");
      return problems;
    }
    validate(response.child("content").child("application/json").child("schema"), body, where + " body", problems);
    return problems;
  }

  private void checkParameters(Operation op, Map<String, List<String>> query, String where, List<String> problems) {
    Map<String, Located> declared = new LinkedHashMap<>();
    JsonNode params = op.node.path("parameters");
    for (int i = 0; i < params.size(); i++) {
      Located p = resolve(op.at().child("parameters").item(i));
      declared.put(p.node.path("in").asText() + ":" + p.node.path("name").asText(), p);
    }
    for (Map.Entry<String, Located> e : declared.entrySet()) {
      Located p = e.getValue();
      String name = p.node.path("name").asText();
      String in = p.node.path("in").asText();
      String value = switch (in) {
        case "query" -> Optional.ofNullable(query.get(name)).map(l -> l.get(0)).orElse(null);
        case "path" -> op.pathParams.get(name);
        default -> null;
      };
      if (value == null) {
        if (p.node.path("required").asBoolean(false) && !in.equals("header")) {
          problems.add(where + ": the required " + in + " parameter '" + name + "' is missing");
        }
        continue;
      }
      Located schema = resolve(p.child("schema"));
      validate(schema, scalar(schema.node, value), where + " " + in + " parameter '" + name + "'", problems);
    }
    for (String name : query.keySet()) {
      if (!declared.containsKey("query:" + name)) {
        problems.add(where + ": query parameter '" + name + "' is not in the description");
      }
    }
  }

  /** A string from the wire as the JSON value its schema expects. */
  private JsonNode scalar(JsonNode schema, String value) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    String type = schema.path("type").asText("string");
    try {
      return switch (type) {
        case "integer" -> f.numberNode(Long.parseLong(value));
        case "number" -> f.numberNode(Double.parseDouble(value));
        case "boolean" -> value.equals("true") || value.equals("false") ? f.booleanNode(Boolean.parseBoolean(value)) : f.textNode(value);
        default -> f.textNode(value);
      };
    } catch (NumberFormatException e) {
      return f.textNode(value);
    }
  }

  private void validate(Located schemaAt, JsonNode value, String what, List<String> problems) {
    JsonSchema schema = schemas.computeIfAbsent(schemaAt.file + "#" + schemaAt.pointer,
        k -> factory.getSchema(SchemaLocation.of(schemaAt.file.toUri() + "#" + schemaAt.pointer), config));
    Set<ValidationMessage> messages = schema.validate(value.toString(), InputFormat.JSON);
    for (ValidationMessage m : messages) {
      problems.add(what + ": " + m.getMessage());
    }
  }

  // ---- $ref resolution across files -------------------------------------------------

  private record Located(Path file, JsonNode node, String pointer) {
    Located child(String name) {
      return new Located(file, node.path(name), pointer + "/" + escape(name));
    }

    Located item(int index) {
      return new Located(file, node.path(index), pointer + "/" + index);
    }
  }

  private Located resolve(Located at) {
    Located current = at;
    for (int hops = 0; current.node.has("$ref"); hops++) {
      if (hops > 32) {
        throw new IllegalStateException("$ref loop at " + at.file + "#" + at.pointer);
      }
      String ref = current.node.get("$ref").asText();
      int hash = ref.indexOf('#');
      String filePart = hash < 0 ? ref : ref.substring(0, hash);
      String pointer = hash < 0 ? "" : ref.substring(hash + 1);
      Path target = filePart.isEmpty() ? current.file : current.file.getParent().resolve(filePart).normalize();
      JsonNode doc = file(target);
      JsonNode node = pointer.isEmpty() ? doc : doc.at(pointer);
      if (node.isMissingNode()) {
        throw new IllegalStateException("unresolvable $ref '" + ref + "' in " + current.file);
      }
      current = new Located(target, node, pointer);
    }
    return current;
  }

  private JsonNode file(Path path) {
    return files.computeIfAbsent(path, SpecYaml::read);
  }

  /** Hands the validator each file as JSON read with YAML 1.2 scalars (see {@link SpecYaml}). */
  private InputStreamSource loadAsJson(AbsoluteIri iri) {
    String s = iri.toString();
    if (!s.startsWith("file:") || !(s.endsWith(".yml") || s.endsWith(".yaml"))) {
      return null;
    }
    Path p = Path.of(URI.create(s)).normalize();
    byte[] json = file(p).toString().getBytes(StandardCharsets.UTF_8);
    return () -> new ByteArrayInputStream(json);
  }

  private static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }

  private record PathTemplate(String template, Pattern regex, List<String> names, int literalSegments) {
    static PathTemplate of(String template) {
      List<String> names = new ArrayList<>();
      StringBuilder re = new StringBuilder();
      int literals = 0;
      for (String segment : template.substring(1).split("/")) {
        re.append('/');
        if (segment.startsWith("{") && segment.endsWith("}")) {
          names.add(segment.substring(1, segment.length() - 1));
          re.append("([^/]+)");
        } else {
          literals++;
          re.append(Pattern.quote(segment));
        }
      }
      return new PathTemplate(template, Pattern.compile(re.toString()), names, literals);
    }
  }
}
