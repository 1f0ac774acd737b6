/**
 * Process entry (bin/run.js imports this). Refuses old Node before anything modern loads, turns on
 * the compile cache (start-up time is a feature), answers root help and the version from the manifest
 * (src/cli/root-help.ts), and otherwise hands over to oclif, which reads the manifest and loads only
 * the command that runs.
 */
import module from 'node:module';

const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  process.stderr.write(
    `platform needs Node >= 22 (this is ${process.versions.node}); run it through npm (\`npx platform …\` or an npm script) after \`npm ci\`, which provides Node 24 in node_modules/.bin.\n`,
  );
  process.exit(2);
}
(module.enableCompileCache as typeof module.enableCompileCache | undefined)?.(); // Node 22.0 has none (added in 22.1)
const { answerRoot } = await import('./cli/root-help.js');
if (!(await answerRoot(process.argv.slice(2)))) await runOclif();

async function runOclif(): Promise<void> {
  // Bundled, @oclif/core (CommonJS) arrives as a default export; unbundled, as named exports.
  const oclif = (await import('@oclif/core')) as typeof import('@oclif/core') & { default?: typeof import('@oclif/core') };
  const { run, flush, handle } = oclif.default ?? oclif;
  try {
    await run(process.argv.slice(2), import.meta.url);
    await flush();
  } catch (error) {
    await handle(error as Error);
  }
}
