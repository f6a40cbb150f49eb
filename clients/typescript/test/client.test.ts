// The client against the real service over loopback: `iqm-rules serve` started here with the
// Python named by IQM_RULES_PYTHON (the project's .venv/bin/python by default).
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { resolve } from "node:path";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { IqmRulesClient, IqmRulesError, type HistoryDocument } from "../src/index.js";

const root = resolve(import.meta.dirname, "..", "..", "..", "..");
const python = process.env.IQM_RULES_PYTHON ?? resolve(root, ".venv", "bin", "python");

let server: ChildProcess;
let client: IqmRulesClient;

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once("error", fail);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => done(typeof address === "object" && address ? address.port : 0));
    });
  });
}

before(async () => {
  const port = await freePort();
  server = spawn(python, ["-m", "iqm_rules", "serve", "--host", "127.0.0.1", "--port", `${port}`], {
    stdio: "ignore",
  });
  client = new IqmRulesClient(`http://127.0.0.1:${port}`);
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await client.health();
      return;
    } catch (error) {
      if (Date.now() > deadline || server.exitCode !== null) throw error;
      await new Promise((wait) => setTimeout(wait, 100));
    }
  }
});

after(() => {
  server.kill("SIGINT");
});

test("status of a bundled example is typed and as the library decides", async () => {
  const history: HistoryDocument = await client.example("flagship-journey");
  const status = await client.status({ history, as_of: "2025-09-01" });
  assert.equal(status.format, "iqm-rules/status@1");
  assert.equal(status.school_id, history.school.id);
  assert.equal(status.level, "flagship");
  assert.equal(status.awards.flagship.state, "active");
});

test("decide names every rule's finding", async () => {
  const history = await client.example("first-award");
  const first = history.events.find((event) => event.type === "assessment");
  assert.ok(first && first.type === "assessment");
  const decision = await client.decide({ history, assessment: first.id });
  assert.equal(decision.format, "iqm-rules/decision@1");
  assert.equal(decision.outcome, "granted");
  assert.deepEqual(
    decision.findings.map((finding) => finding.rule),
    ["EV-1", "EV-2", "EV-3", "IS-1"],
  );
});

test("a policy sent with the request is used", async () => {
  const history = await client.example("flagship-journey");
  const status = await client.status({
    history,
    as_of: "2025-09-01",
    policy: { format: "iqm-rules/policy@1", id: "strict", effective_from: "2000-01-01", grace_months: 4 },
  });
  assert.equal(status.policy_id, "strict");
});

test("a timeline says which changes had happened by as_of", async () => {
  const history = await client.example("coe-lapsed");
  const timeline = await client.timeline({ history, as_of: "2025-09-01" });
  assert.ok(timeline.changes.length > 0);
  assert.ok(timeline.changes.every((change) => change.happened === change.on <= "2025-09-01"));
});

test("a refused history rejects with the path of its first problem", async () => {
  const history = await client.example("first-award");
  const broken = { ...history, events: [{ ...history.events[0], held_on: "2024-02-30" }] };
  await assert.rejects(
    client.status({ history: broken as HistoryDocument, as_of: "2025-01-01" }),
    (error: unknown) => {
      assert.ok(error instanceof IqmRulesError);
      assert.equal(error.status, 422);
      assert.equal(error.body.path, "events[0].held_on");
      return true;
    },
  );
});
