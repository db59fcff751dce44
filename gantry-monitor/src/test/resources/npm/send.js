// Sends events to a Riemann-protocol server with the npm package "riemann":
// one over TCP (waiting for the acknowledgement), one over UDP, then queries over TCP.
// Usage: node send.js PORT   (NODE_PATH points at the installed node_modules)
const riemann = require("riemann");
const port = Number(process.argv[2]);

async function main() {
  const client = await riemann.createClient({ host: "127.0.0.1", port, returnPromise: true });
  const ack = await client.send(client.Event({
    host: "node1", service: "npm tcp", metric: 252.5, state: "ok", tags: ["nonblocking"],
    attributes: [{ key: "sessionID", value: "000-001-165" }], ttl: 120,
  }), client.tcp);
  console.log("ACK " + JSON.stringify(ack));
  client.send(client.Event({ host: "node1", service: "npm udp", metric: 7, ttl: 120 }), client.udp);
  await new Promise((r) => setTimeout(r, 500));
  const answer = await client.send(client.Query({ string: 'host = "node1"' }), client.tcp);
  console.log("QUERY " + JSON.stringify(answer));
  await client.disconnect();
}

main().catch((e) => { console.error("FAILED " + (e && e.stack || e)); process.exit(1); });
