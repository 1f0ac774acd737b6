// Bundle the CLI entry and its commands (with @oclif/core, zod, yaml, chalk, kubernetes-models) into dist/cli/, sharing
// chunks, so `platform --help` reads a few files instead of resolving hundreds of modules. Heavy
// packages stay external and load only when a command needs them. tsc's dist/ stays for the library
// entry (@platform-iac/cli/testing) and the Pulumi provider plugin.
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const commands = [];
const walk = (dir) => {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) walk(p);
    else if (p.endsWith('.ts') && !p.endsWith('.test.ts')) commands.push(p);
  }
};
walk('src/commands');
rmSync('dist/cli', { recursive: true, force: true });
await build({
  entryPoints: ['src/main.ts', ...commands].map((p) => ({ in: p, out: p.replace(/^src\//, '').replace(/\.ts$/, '') })),
  outdir: 'dist/cli',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  sourcemap: 'linked',
  minify: true,
  keepNames: true,
  logLevel: 'warning',
  chunkNames: 'chunks/[name]-[hash]',
  // A CommonJS dependency inside an ESM bundle needs `require`.
  banner: { js: "import { createRequire as __platformRequire } from 'node:module'; const require = __platformRequire(import.meta.url);" },
  // ajv-formats-draft2019 requires `punycode`: the npm package, not Node's deprecated built-in.
  // re2-wasm: compiled on first use instead of when kubernetes-models loads (src/cli/lazy-re2.ts).
  alias: { punycode: 'punycode/', 're2-wasm': './src/cli/lazy-re2.ts' },
  external: [
    '@pulumi/*', '@cdktf/*', '@aws-sdk/*', '@google-cloud/*', '@azure/*', 'cdktf', 'constructs',
    '@kubernetes/client-node', 'listr2', '@hpcc-js/wasm-graphviz', '@inquirer/*', 'execa', 'typescript', 'ts-node', 'tsx', 'esbuild',
  ],
});
