package dev.gantry.cloud.digitalocean.fake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract checker itself: it accepts what the description allows and refuses the rest. */
class OpenApiContractTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final OpenApiContract CONTRACT = OpenApiContract.load(OpenApiContract.locate());

  @Test
  void findsOperationsPreferringLiteralSegments() {
    assertThat(CONTRACT.find("GET", "/v2/droplets/42")).get()
        .extracting(OpenApiContract.Operation::template).isEqualTo("/v2/droplets/{droplet_id}");
    assertThat(CONTRACT.find("POST", "/v2/droplets/actions")).get()
        .extracting(OpenApiContract.Operation::template).isEqualTo("/v2/droplets/actions");
    assertThat(CONTRACT.find("GET", "/v2/nothing")).isEmpty();
  }

  @Test
  void acceptsAValidCreateRequestAndRefusesAMissingName() throws Exception {
    var good = JSON.readTree("{\"name\":\"web1\",\"region\":\"sgp1\",\"size\":\"s-1vcpu-1gb\",\"image\":\"debian-12-x64\"}");
    assertThat(CONTRACT.checkRequest("POST", "/v2/droplets", Map.of(), true, good)).isEmpty();
    var bad = JSON.readTree("{\"region\":\"sgp1\",\"size\":\"s-1vcpu-1gb\",\"image\":\"debian-12-x64\"}");
    assertThat(CONTRACT.checkRequest("POST", "/v2/droplets", Map.of(), true, bad)).isNotEmpty();
  }

  @Test
  void checksQueryParametersAndBearer() {
    assertThat(CONTRACT.checkRequest("GET", "/v2/droplets", Map.of("per_page", List.of("500")), true, null))
        .anyMatch(p -> p.contains("per_page"));
    assertThat(CONTRACT.checkRequest("GET", "/v2/droplets", Map.of("bogus", List.of("1")), true, null))
        .anyMatch(p -> p.contains("bogus"));
    assertThat(CONTRACT.checkRequest("GET", "/v2/droplets", Map.of(), false, null))
        .anyMatch(p -> p.contains("Bearer"));
  }

  @Test
  void readsPlainOffAsTheStringOfTheStatusEnumNotAsABoolean() throws Exception {
    var droplet = JSON.readTree("{\"droplet\":{\"status\":\"off\"}}");
    assertThat(CONTRACT.checkResponse("GET", "/v2/droplets/1", 200, Map.of(), droplet))
        .noneMatch(p -> p.contains("/droplet/status"));
    var wrong = JSON.readTree("{\"droplet\":{\"status\":\"sleeping\"}}");
    assertThat(CONTRACT.checkResponse("GET", "/v2/droplets/1", 200, Map.of(), wrong))
        .anyMatch(p -> p.contains("/droplet/status"));
  }

  @Test
  void checksErrorBodiesAndHeaders() throws Exception {
    var err = JSON.readTree("{\"id\":\"not_found\",\"message\":\"The resource you requested could not be found.\"}");
    assertThat(CONTRACT.checkResponse("GET", "/v2/droplets/1", 404, Map.of("ratelimit-limit", "5000"), err)).isEmpty();
    ObjectNode noMessage = JSON.createObjectNode().put("id", "not_found");
    assertThat(CONTRACT.checkResponse("GET", "/v2/droplets/1", 404, Map.of(), noMessage)).isNotEmpty();
    assertThat(CONTRACT.checkResponse("GET", "/v2/droplets/1", 404, Map.of("ratelimit-limit", "lots"), err))
        .anyMatch(p -> p.contains("ratelimit-limit"));
  }
}
