// The TypeScript half of the client check: types generated from openapi.yaml by
// openapi-typescript (into ./schema.d.ts of a temporary copy, never committed) and
// openapi-fetch, calling the same five routes as the Go client. Compiled with tsc
// (strict) and run on Node; exits non-zero on any unexpected answer.
//
// usage: WEAKLINK_KEY=wl_… node client.js http://127.0.0.1:4010
import createClient from "openapi-fetch";
import type { components, paths } from "./schema";

type IncidentCreate = components["schemas"]["IncidentCreate"];
type SupplierPatch = components["schemas"]["SupplierPatch"];

// A request type must not require what the service defaults: status is optional.
const incidentWithoutStatus: IncidentCreate = {
  supplier_id: "01900000-0000-7000-8000-000000000001",
  summary: "type check only",
  aware_at: "2026-01-01T00:00:00Z",
};
void incidentWithoutStatus;

function fail(message: string): never {
  throw new Error(message);
}

async function main(): Promise<void> {
  const base = process.argv[2];
  const key = process.env.WEAKLINK_KEY;
  if (!base || !key) fail("usage: WEAKLINK_KEY=wl_… node client.js BASE_URL");
  const client = createClient<paths>({ baseUrl: base, headers: { Authorization: `Bearer ${key}` } });

  // 1. POST /api/v1/suppliers
  const created = await client.POST("/api/v1/suppliers", {
    body: { name: `TypeScript client check ${Date.now()}`, criticality: "high", country: "GB", breach_notification_hours: 24 },
  });
  if (!created.data) fail(`createSupplier: ${created.response.status} ${JSON.stringify(created.error)}`);
  const id = created.data.id;
  if (created.data.breach_notification_hours !== 24) fail("createSupplier: breach_notification_hours is not 24");

  // 2. GET /api/v1/suppliers/{id}
  const got = await client.GET("/api/v1/suppliers/{id}", { params: { path: { id } } });
  if (!got.data) fail(`getSupplier: ${got.response.status}`);
  if (got.data.risk !== null) fail("getSupplier: risk should be null");
  const etag = got.response.headers.get("ETag") ?? fail("getSupplier: no ETag");

  // 3. PATCH /api/v1/suppliers/{id}: null clears a field, as typed (number | null).
  const patch: SupplierPatch = { breach_notification_hours: null };
  const patched = await client.PATCH("/api/v1/suppliers/{id}", {
    params: { path: { id }, header: { "If-Match": etag } },
    body: patch,
    headers: { "Content-Type": "application/merge-patch+json" },
  });
  if (!patched.data) fail(`patchSupplier: ${patched.response.status} ${JSON.stringify(patched.error)}`);
  if (patched.data.breach_notification_hours !== null) fail("patchSupplier: breach_notification_hours was not cleared");

  // 4. GET /api/v1/suppliers
  const list = await client.GET("/api/v1/suppliers", { params: { query: { q: "TypeScript client check", limit: 500 } } });
  if (!list.data) fail(`listSuppliers: ${list.response.status}`);
  const item = list.data.items.find((s) => s.id === id) ?? fail("listSuppliers: the new supplier is not listed");
  if (item.risk === null) fail("listSuppliers: a list item carries its risk, got null");

  // 5. GET /api/v1/suppliers/{id}/risk
  const risk = await client.GET("/api/v1/suppliers/{id}/risk", { params: { path: { id } } });
  if (!risk.data) fail(`getSupplierRisk: ${risk.response.status}`);
  if (risk.data.posture !== null || risk.data.latest_assessment !== null) fail("getSupplierRisk: an unassessed supplier has a posture");

  console.log("TypeScript client: five routes answered as the contract says");
}

main().catch((err: unknown) => {
  console.error(`FAIL: TypeScript client: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
