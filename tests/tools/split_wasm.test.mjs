// scripts/split_wasm.py, which splits the widget's wasm after the link: on a small module with
// names, the functions the keep list names stay in the primary module and the rest go to the
// deferred one; the primary runs the kept functions alone, a deferred function called before the
// deferred module is there goes through its placeholder import, and once the deferred module is
// instantiated against the primary's exports, every export and table entry answers as unsplit.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const script = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "scripts", "split_wasm.py");
const features = ["--mvp-features", "--enable-mutable-globals"];

const WAT = String.raw`(module
 (type $i (func (result i32)))
 (import "env" "log" (func $log (param i32)))
 (memory (export "memory") 1)
 (global $counter (mut i32) (i32.const 0))
 (table (export "table") 3 funcref)
 (elem (i32.const 0) $view::row\28\29 $curator::queue\28\29 $helper)
 (export "view" (func $view::draw\28\29))
 (export "curate" (func $curator::panel\28int\29))
 (func $helper (result i32) (global.set $counter (i32.add (global.get $counter) (i32.const 1))) (global.get $counter))
 (func $view::row\28\29 (result i32) (i32.add (i32.const 100) (call $helper)))
 (func $view::draw\28\29 (result i32) (i32.add (call $view::row\28\29) (call_indirect (type $i) (i32.const 2))))
 (func $curator::queue\28\29 (result i32) (call $log (i32.const 7)) (i32.store (i32.const 16) (i32.const 42)) (i32.const 500))
 (func $curator::panel\28int\29 (param i32) (result i32)
  (i32.add (local.get 0) (i32.add (call $curator::queue\28\29) (i32.load (i32.const 16)))))
)`;

const KEEP = "# first view\nview::draw()\nview::row()\nhelper\ngone::since_the_profile()\n";

async function withTemp(fn) {
  const dir = mkdtempSync(join(tmpdir(), "grove-split-"));
  try { return await fn(dir); } finally { rmSync(dir, { recursive: true, force: true }); }
}

function build(dir, names = true) {
  writeFileSync(join(dir, "in.wat"), WAT);
  execFileSync("wasm-as", [...(names ? ["-g"] : []), join(dir, "in.wat"), "-o", join(dir, "in.wasm"), ...features]);
  writeFileSync(join(dir, "keep.txt"), KEEP);
}

function funcs(dir, file) {
  const text = execFileSync("wasm-dis", [join(dir, file), ...features], { encoding: "utf8" });
  return text.split("\n").filter((l) => /^ \(func /.test(l)).length;
}

test("keeps the listed functions in the primary module, defers the rest, behaves as unsplit", async () => {
  await withTemp(async (dir) => {
    build(dir);
    const out = execFileSync("python3", [script, join(dir, "in.wasm"), "--keep", join(dir, "keep.txt"),
      "-o1", join(dir, "primary.wasm"), "-o2", join(dir, "deferred.wasm"), `--features=${features.join(" ")}`],
    { encoding: "utf8" });
    assert.match(out, /3 of 5 functions in the primary module/);
    assert.match(out, /1 of the list's 4 names are not in the module/);
    assert.equal(funcs(dir, "primary.wasm"), 3 + 1, "view::draw, view::row, helper and the placeholder's trampoline");
    assert.equal(funcs(dir, "deferred.wasm"), 2, "curator::queue and curator::panel");
    const text = execFileSync("wasm-dis", [join(dir, "primary.wasm"), ...features], { encoding: "utf8" });
    assert.doesNotMatch(text, /curator|view::|helper/, "no C++ names in the split modules");

    // Unsplit: what every call answers.
    const logged = [];
    const env = { log: (v) => logged.push(v) };
    const whole = (await WebAssembly.instantiate(readFileSync(join(dir, "in.wasm")), { env })).instance.exports;
    const expected = { view: whole.view(), curate: whole.curate(3), table: [whole.table.get(0)(), whole.table.get(1)()] };

    // Split: the first view runs without the deferred module.
    const placeholders = [];
    const placeholder = new Proxy({}, { get: (_, index) => () => { placeholders.push(index); throw new Error("deferred"); } });
    const split = [];
    const primary = (await WebAssembly.instantiate(readFileSync(join(dir, "primary.wasm")),
      { env: { log: (v) => split.push(v) }, placeholder })).instance.exports;
    const view = primary.view();
    assert.deepEqual(placeholders, [], "the kept functions never reach a placeholder");
    assert.throws(() => primary.curate(3), /deferred/, "a deferred function before the deferred module: its placeholder");
    assert.equal(placeholders.length, 1);

    // Then the deferred module, instantiated against the primary's exports, fills the table.
    new WebAssembly.Instance(new WebAssembly.Module(readFileSync(join(dir, "deferred.wasm"))), { primary });
    const got = { view, curate: primary.curate(3), table: [primary.table.get(0)(), primary.table.get(1)()] };
    assert.deepEqual(got, expected);
    assert.deepEqual(split, logged, "imports are called the same");
    assert.equal(placeholders.length, 1, "no placeholder once the deferred module is in");
  });
});

test("--profile-names: the functions an instrumented run called; --names-in-module: a list's names still there", async () => {
  await withTemp(async (dir) => {
    build(dir);
    execFileSync("wasm-split", ["--instrument", join(dir, "in.wasm"), "-o", join(dir, "instrumented.wasm"), ...features]);
    const e = (await WebAssembly.instantiate(readFileSync(join(dir, "instrumented.wasm")), { env: { log() {} } })).instance.exports;
    e.view();   // the first view: view::draw, view::row, helper; never the curator's panel
    const at = e.memory.grow(1) * 65536;
    const size = e.__write_profile(at, 65536);
    writeFileSync(join(dir, "view.profile"), new Uint8Array(e.memory.buffer, at, size));
    const names = execFileSync("python3", [script, join(dir, "in.wasm"), "--profile-names", join(dir, "view.profile"),
      `--features=${features.join(" ")}`], { encoding: "utf8" });
    assert.deepEqual(names.split("\n").filter(Boolean), ["helper", "view::draw()", "view::row()"]);

    const still = execFileSync("python3", [script, join(dir, "in.wasm"), "--names-in-module", join(dir, "keep.txt")],
      { encoding: "utf8" });
    assert.deepEqual(still.split("\n").filter(Boolean), ["helper", "view::draw()", "view::row()"], "gone::since_the_profile() is dropped");
  });
});

test("refuses a module without function names", async () => {
  await withTemp((dir) => {
    build(dir, false);
    const r = spawnSync("python3", [script, join(dir, "in.wasm"), "--keep", join(dir, "keep.txt"),
      "-o1", join(dir, "p.wasm"), "-o2", join(dir, "d.wasm")], { encoding: "utf8" });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /no function names/);
  });
});
