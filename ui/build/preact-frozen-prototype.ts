// Makes Preact work under Tauri's `freezePrototype: true` (src-tauri/tauri.conf.json), which runs
// `Object.freeze(Object.prototype)` before the page's scripts.
//
// Every Preact vnode carries an own `constructor: undefined` key (Preact's guard against JSON-injected
// vnodes), and Preact copies vnodes with a helper `assign(obj, props) { for (i in props) obj[i] = props[i] }`
// (`assign({}, vnode)` in renderComponent and cloneNode; compat's Suspense does the same). Assigning
// `obj.constructor = …` on a plain object whose inherited `constructor` lives on a frozen
// Object.prototype is the "override mistake": strict-mode code throws "Attempted to assign to readonly
// property" and the window stays blank. This plugin rewrites that helper, in each Preact file it is in,
// so keys that Object.prototype also has are copied with Object.defineProperty (what a spread does).
//
// It fails the build when the helper is not where it is expected, or when a Preact file grows code this
// file has not vetted (Object.assign, a new `.constructor =`), so an upgrade cannot bring the blank
// window back silently. The test next to it builds the app and runs it with Object.prototype frozen.
import type { Plugin } from "vite";

/** `function m(n,l){for(var u in l)n[u]=l[u];return n}`, the helper as Preact 10's minified dists have it. */
const COPY_HELPER =
  /function ([\w$]+)\(([\w$]+),([\w$]+)\)\{for\(var ([\w$]+) in \3\)\2\[\4\]=\3\[\4\];return \2\}/g;

/** The only `x.constructor = …` Preact 10 has: on a fresh component instance (`p=new C(x,P),p.constructor=F`),
 *  whose prototype chain has a writable `constructor` (Component.prototype's) before Object.prototype. */
const INSTANCE_CONSTRUCTOR = /([\w$]+)=new [\w$]+\([\w$]+,[\w$]+\),\1\.constructor=/g;
const ANY_CONSTRUCTOR_ASSIGNMENT = /\.constructor=(?!=)/g;

/** Preact files that must contain the helper: core (renderComponent, cloneNode) and compat (Suspense). */
const MUST_HAVE_HELPER = /\/preact\/(dist\/preact|compat\/dist\/compat)\.[\w.]*js$/;
const PREACT_FILE = /\/node_modules\/preact\/.*\.m?js$/;

function safeHelper(name: string): string {
  return (
    `function ${name}(o,p){for(var k in p)k in Object.prototype` +
    `?Object.defineProperty(o,k,{value:p[k],writable:!0,enumerable:!0,configurable:!0})` +
    `:o[k]=p[k];return o}`
  );
}

/** Rewrites one Preact file; throws when it holds code the rewrite does not cover. Exported for the test. */
export function patchPreactSource(code: string, id: string): string {
  const file = id.replace(/\\/g, "/");
  let helpers = 0;
  const patched = code.replace(COPY_HELPER, (_match, name: string) => {
    helpers += 1;
    return safeHelper(name);
  });
  const fail = (why: string) => {
    throw new Error(
      `preact-frozen-prototype: ${file}: ${why}. Preact changed; re-check how it copies vnodes ` +
        "(Tauri's frozen Object.prototype makes `obj.constructor = …` throw) and update build/preact-frozen-prototype.ts.",
    );
  };
  if (MUST_HAVE_HELPER.test(file) && helpers === 0) fail("the vnode copy helper `assign(obj, props)` was not found");
  if (/Object\.assign\(/.test(patched)) fail("it calls Object.assign, which throws on a vnode's own `constructor` key");
  const constructorWrites = (patched.match(ANY_CONSTRUCTOR_ASSIGNMENT) ?? []).length;
  const vetted = (patched.match(INSTANCE_CONSTRUCTOR) ?? []).length;
  if (constructorWrites !== vetted) fail("it assigns `.constructor` somewhere other than on a new component instance");
  return patched;
}

/** The rewrite as a Rolldown plugin: for the build, and for Vite's dependency pre-bundling (vite dev),
 *  which runs its own Rolldown without the config's plugins. */
function patchPreact(): Plugin {
  const patchedIds = new Set<string>();
  return {
    name: "preact-frozen-prototype",
    transform(code, id) {
      const file = id.split("?")[0].replace(/\\/g, "/");
      if (!PREACT_FILE.test(file)) return null;
      patchedIds.add(file);
      return { code: patchPreactSource(code, file), map: null };
    },
    // A bundle with Preact in it whose core or compat never went through `transform` (a new file name,
    // another plugin loading it) would ship the unpatched helper: refuse it.
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== "chunk") continue;
        for (const id of Object.keys(chunk.modules)) {
          const file = id.split("?")[0].replace(/\\/g, "/");
          if (MUST_HAVE_HELPER.test(file) && !patchedIds.has(file)) {
            this.error(`preact-frozen-prototype: ${file} is in the bundle but was not patched`);
          }
        }
      }
    },
  };
}

export function preactFrozenPrototype(): Plugin {
  return {
    ...patchPreact(),
    enforce: "pre",
    config: () => ({ optimizeDeps: { rolldownOptions: { plugins: [patchPreact()] } } }),
  };
}
