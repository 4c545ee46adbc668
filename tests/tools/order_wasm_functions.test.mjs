// scripts/order_wasm_functions.py, which reorders the widget's wasm after the link: on a small
// module with names, the most-called function comes first, instances of one template end up side
// by side, the names are gone, and the module still does what it did (every export and every
// table entry returns the same, imports are called the same).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const script = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "scripts", "order_wasm_functions.py");
const features = ["--mvp-features"];

// Each function returns a distinct constant, so its body can be found after the names are gone.
const WAT = String.raw`(module
 (type $i (func (result i32)))
 (import "env" "log" (func $log (param i32)))
 (table 4 funcref)
 (elem (i32.const 0) $helper $ns::Box<float>::get\28\29 $zeta\28\29 $ns::Box<int>::get\28\29)
 (export "alpha" (func $alpha\28\29))
 (export "zeta" (func $zeta\28\29))
 (export "table" (table 0))
 (func $zeta\28\29 (result i32) (i32.add (i32.const 20) (call $helper)))
 (func $ns::Box<int>::get\28\29 (result i32) (i32.const 10))
 (func $other::thing\28int\29 (param i32) (result i32) (i32.add (local.get 0) (i32.const 30)))
 (func $helper (result i32) (call $log (i32.const 1)) (i32.const 1))
 (func $ns::Box<float>::get\28\29 (result i32) (i32.add (i32.const 11) (call $helper)))
 (func $alpha\28\29 (result i32)
  (i32.add (call $ns::Box<int>::get\28\29)
   (i32.add (call $helper)
    (i32.add (call $other::thing\28int\29 (i32.const 2)) (call_indirect (type $i) (i32.const 1))))))
)`;

async function withTemp(fn) {
  const dir = mkdtempSync(join(tmpdir(), "grove-order-"));
  try { return await fn(dir); } finally { rmSync(dir, { recursive: true, force: true }); }
}

async function run(bytes) {
  const logged = [];
  const { instance } = await WebAssembly.instantiate(bytes, { env: { log: (v) => logged.push(v) } });
  const table = instance.exports.table;
  const results = { alpha: instance.exports.alpha(), zeta: instance.exports.zeta(), table: [] };
  for (let i = 0; i < table.length; i++) results.table.push(table.get(i)());
  return { results, logged };
}

// The function bodies in file order, each known by the first distinct constant it holds.
function bodyOrder(wat) {
  const order = [];
  for (const chunk of wat.split(/\n \(func /).slice(1)) {
    const marker = chunk.match(/i32\.const (10|11|20|30)\b/);
    order.push(marker ? Number(marker[1]) : chunk.includes("call_indirect") ? "alpha" : "helper");
  }
  return order;
}

test("orders alike functions together, keeps behaviour, drops names", async () => {
  await withTemp(async (dir) => {
    writeFileSync(join(dir, "in.wat"), WAT);
    execFileSync("wasm-as", ["-g", join(dir, "in.wat"), "-o", join(dir, "in.wasm"), ...features]);
    const out = execFileSync("python3", [script, join(dir, "in.wasm"), "-o", join(dir, "out.wasm"),
                                         `--features=${features.join(" ")}`], { encoding: "utf8" });
    assert.match(out, /6 functions reordered, 1 imported/);

    const text = execFileSync("wasm-dis", [join(dir, "out.wasm"), ...features], { encoding: "utf8" });
    assert.doesNotMatch(text, /\$(ns::|helper|zeta|alpha|other)/, "names are not written back");
    // helper is called from four places: first. Then by name without template arguments:
    // alpha, ns::Box<float>::get and ns::Box<int>::get side by side, other::thing, zeta.
    assert.deepEqual(bodyOrder(text), ["helper", "alpha", 11, 10, 30, 20]);

    const before = await run(readFileSync(join(dir, "in.wasm")));
    const after = await run(readFileSync(join(dir, "out.wasm")));
    assert.deepEqual(after, before);
    assert.deepEqual(before.results, { alpha: 10 + 1 + 32 + 12, zeta: 21, table: [1, 12, 21, 10] });
  });
});

test("--keep-names writes the names back, in the new order", async () => {
  await withTemp((dir) => {
    writeFileSync(join(dir, "in.wat"), WAT);
    execFileSync("wasm-as", ["-g", join(dir, "in.wat"), "-o", join(dir, "in.wasm"), ...features]);
    execFileSync("python3", [script, join(dir, "in.wasm"), "-o", join(dir, "out.wasm"), "--keep-names",
                             `--features=${features.join(" ")}`], { encoding: "utf8" });
    const text = execFileSync("wasm-dis", [join(dir, "out.wasm"), ...features], { encoding: "utf8" });
    const names = text.split("\n").filter((l) => /^ \(func /.test(l)).map((l) => l.match(/^ \(func \$(\S+)/)[1]);
    assert.deepEqual(names, ["helper", "alpha\\28\\29", "ns::Box<float>::get\\28\\29", "ns::Box<int>::get\\28\\29",
      "other::thing\\28int\\29", "zeta\\28\\29"]);
  });
});

test("refuses a module without function names", async () => {
  await withTemp((dir) => {
    writeFileSync(join(dir, "in.wat"), WAT);
    execFileSync("wasm-as", [join(dir, "in.wat"), "-o", join(dir, "in.wasm"), ...features]);   // no -g
    const r = spawnSync("python3", [script, join(dir, "in.wasm"), "-o", join(dir, "out.wasm")], { encoding: "utf8" });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /no function names \(link with --profiling-funcs\)/);
  });
});
