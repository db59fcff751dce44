package dev.gantry.cloud.digitalocean.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.cloud.digitalocean.http.ApiTransport;
import dev.gantry.cloud.digitalocean.http.DigitalOceanException;
import dev.gantry.cloud.digitalocean.http.Pager;
import dev.gantry.cloud.digitalocean.http.Query;
import dev.gantry.cloud.digitalocean.model.Domain;
import dev.gantry.cloud.digitalocean.model.DomainRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DNS: domains and their records.
 *
 * <pre>{@code
 * client.domains().create("example.com", null);
 * client.domains().createRecord("example.com", DomainRecord.a("www", ip, 1800));
 * }</pre>
 */
public final class Domains {
  private final ApiTransport api;

  public Domains(ApiTransport api) {
    this.api = api;
  }

  public List<Domain> list() {
    return new Pager(api).all("listing domains", "/v2/domains", "domains", Domain.class);
  }

  /** Adds a zone; with {@code ipAddress} an apex A record is made too. */
  public Domain create(String name, String ipAddress) {
    String what = "creating domain '" + name + "'";
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    if (ipAddress != null) {
      body.put("ip_address", ipAddress);
    }
    JsonNode d = api.post(what, "/v2/domains", body, false).path("domain");
    if (!d.isObject()) {
      throw new DigitalOceanException(what, "the answer has no 'domain' object", null);
    }
    return api.json().convertValue(d, Domain.class);
  }

  public void delete(String name) {
    api.delete("deleting domain '" + name + "'", "/v2/domains/" + Query.segment(name));
  }

  public List<DomainRecord> records(String domain) {
    return new Pager(api).all("listing records of '" + domain + "'",
        "/v2/domains/" + Query.segment(domain) + "/records", "domain_records", DomainRecord.class);
  }

  public DomainRecord createRecord(String domain, DomainRecord record) {
    String what = "creating " + record.type() + " record '" + record.name() + "' in '" + domain + "'";
    return read(what, api.post(what, "/v2/domains/" + Query.segment(domain) + "/records", record, false));
  }

  public DomainRecord updateRecord(String domain, long id, DomainRecord record) {
    String what = "updating record " + id + " in '" + domain + "'";
    return read(what, api.put(what, "/v2/domains/" + Query.segment(domain) + "/records/" + id, record));
  }

  public void deleteRecord(String domain, long id) {
    api.delete("deleting record " + id + " in '" + domain + "'", "/v2/domains/" + Query.segment(domain) + "/records/" + id);
  }

  private DomainRecord read(String what, JsonNode body) {
    JsonNode r = body.path("domain_record");
    if (!r.isObject()) {
      throw new DigitalOceanException(what, "the answer has no 'domain_record' object", null);
    }
    return api.json().convertValue(r, DomainRecord.class);
  }
}
