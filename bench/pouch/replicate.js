// The PouchDB side of bench/pouch_bench.py (issue 13):
//
//     node replicate.js DOCS.jsonl SERVER_URL
//
// DOCS.jsonl holds one CouchDB document per line (a CaseApp record, its id as _id). The documents
// are loaded into an in-memory PouchDB (not timed), then replicated one-shot to SERVER_URL/bench
// (a pouchdb-server started by the bench, in memory): the push. Then a fresh in-memory PouchDB
// replicates the server's database back, one-shot: the initial pull. Replication runs with
// PouchDB's own defaults, as an application would call it. Prints one JSON line with the seconds
// each took (from replicate() called to its promise resolved: the checkpoint written) and the
// documents each side holds afterwards. With BENCH_MARKS_FD set, each start and end is also
// written to that file descriptor as it happens, one JSON line {"mark", "t", "cpu"} (as
// bench/timed_cli.py writes them), so that the bench reads the server's CPU at the same moments.
"use strict";

const fs = require("fs");
const readline = require("readline");
const PouchDB = require("pouchdb");
PouchDB.plugin(require("pouchdb-adapter-memory"));

const LOAD_CHUNK = 1000;

async function load(db, path) {
  const lines = readline.createInterface({ input: fs.createReadStream(path, "utf8"), crlfDelay: Infinity });
  let chunk = [];
  let count = 0;
  for await (const line of lines) {
    if (!line) continue;
    chunk.push(JSON.parse(line));
    if (chunk.length === LOAD_CHUNK) {
      count += await put(db, chunk);
      chunk = [];
    }
  }
  if (chunk.length) count += await put(db, chunk);
  return count;
}

async function put(db, docs) {
  const results = await db.bulkDocs(docs);
  const failed = results.filter((r) => r.error);
  if (failed.length) throw new Error(`bulkDocs refused ${failed.length} documents: ${JSON.stringify(failed[0])}`);
  return docs.length;
}

const marksFd = process.env.BENCH_MARKS_FD ? Number(process.env.BENCH_MARKS_FD) : null;

function mark(name) {
  if (marksFd === null) return;
  const used = process.cpuUsage();
  const t = Number(process.hrtime.bigint()) / 1e9;
  fs.writeSync(marksFd, JSON.stringify({ mark: name, t, cpu: (used.user + used.system) / 1e6 }) + "\n");
}

async function timed(name, fn) {
  mark(`${name}_start`);
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const result = await fn();
  const used = process.cpuUsage(cpu);
  mark(`${name}_end`);
  return { result, seconds: Number(process.hrtime.bigint() - started) / 1e9, cpu: (used.user + used.system) / 1e6 };
}

async function main() {
  const [docsPath, serverUrl] = process.argv.slice(2);
  if (!docsPath || !serverUrl) throw new Error("usage: node replicate.js DOCS.jsonl SERVER_URL");
  const local = new PouchDB("caseapp-device", { adapter: "memory" });
  const loaded = await load(local, docsPath);
  const remote = new PouchDB(`${serverUrl.replace(/\/$/, "")}/bench`);
  await remote.info(); // creates the server's database: not part of the push
  const push = await timed("push", () => local.replicate.to(remote));
  const fresh = new PouchDB("caseapp-fresh-device", { adapter: "memory" });
  const pull = await timed("pull", () => fresh.replicate.from(remote));
  const out = {
    pouchdb: PouchDB.version,
    node: process.version,
    loaded,
    push_s: push.seconds,
    push_cpu_s: push.cpu,
    push_written: push.result.docs_written,
    pull_s: pull.seconds,
    pull_cpu_s: pull.cpu,
    pull_written: pull.result.docs_written,
    server_docs: (await remote.info()).doc_count,
    pulled_docs: (await fresh.info()).doc_count,
  };
  process.stdout.write(JSON.stringify(out) + "\n");
  if (marksFd !== null) fs.closeSync(marksFd);
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
