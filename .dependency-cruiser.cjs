/**
 * The layers of docs/architecture.md, enforced (`npm run lint` runs `depcruise src`). Lower layers never
 * import higher ones; engines are folders that only reach each other through the registry.
 * Type-only imports count too: a type is a dependency on a layer's meaning.
 */
const layer = (name, path, mayNotImport) => ({
  name: `layer-${name}`,
  severity: 'error',
  comment: `${name} (${path}) is below ${mayNotImport.join(', ')}: docs/architecture.md "Layers"`,
  from: { path },
  to: { path: mayNotImport.map((p) => `^src/${p}`) },
});

const ABOVE_ENGINES = ['drift/', 'dr/', 'orchestrate/', 'cost/', 'policy/', 'report/', 'generate/', 'operations\\.ts', 'state-admin\\.ts', 'synth\\.ts', 'validate\\.ts', 'init\\.ts', 'cli/', 'commands/', 'main\\.ts'];
const ENGINES_AND_ABOVE = ['engines/(pulumi|terraform|crds|secrets|passphrase|types)', ...ABOVE_ENGINES];
const INFRA_AND_ABOVE = ['kube/', 'state/', 'toolchain/', 'git/', 'local/', 'clouds/', ...ENGINES_AND_ABOVE];

module.exports = {
  forbidden: [
    layer('foundation', '^src/(errors|process|paths)\\.ts$', ['(?!errors\\.ts)']),
    layer('objects', '^src/objects/', ['config/', 'stacks/', ...INFRA_AND_ABOVE]),
    layer('config', '^src/config/', ['stacks/', ...INFRA_AND_ABOVE]),
    layer('stacks', '^src/stacks/', INFRA_AND_ABOVE),
    layer('state', '^src/state/', ['kube/', 'toolchain/', 'git/', 'local/', 'clouds/', ...ENGINES_AND_ABOVE]),
    layer('kube-git-toolchain', '^src/(kube|git|toolchain)/', ['local/', 'clouds/', ...ENGINES_AND_ABOVE]),
    layer('local-clouds', '^src/(local|clouds)/', ENGINES_AND_ABOVE.filter((p) => !p.startsWith('engines/'))),
    layer('engines', '^src/engines/', ABOVE_ENGINES),
    layer('domain', '^src/(drift|dr|orchestrate|cost|policy|report|generate)/|^src/(operations|state-admin|synth|validate|init)\\.ts$', ['cli/', 'commands/', 'main\\.ts']),
    layer('cli', '^src/cli/', ['commands/', 'main\\.ts']),
    {
      name: 'engine-folders-are-separate',
      severity: 'error',
      comment: 'An engine is one folder: others reach it only through src/engines/registry.ts (docs/architecture.md)',
      from: { path: '^src/', pathNot: '^src/engines/(pulumi|terraform)/' },
      to: { path: '^src/engines/(pulumi|terraform)/', dependencyTypesNot: ['dynamic-import'] },
    },
    {
      name: 'engines-do-not-import-each-other',
      severity: 'error',
      from: { path: '^src/engines/(pulumi|terraform)/' },
      to: { path: '^src/engines/(pulumi|terraform)/', pathNot: '^src/engines/$1/' },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only', 'dynamic-import'] } } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^src/templates/' },
  },
};
