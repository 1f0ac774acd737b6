/** OpenTofu offline: a CLI config whose only provider source is our filesystem mirror. */
import { tfMirrorDir, tofuCliConfigPath, toolchainDir } from './layout.js';
import { KUBECTL_PROVIDER } from './versions.js';

export const KUBECTL_PROVIDER_ADDRESS = `${KUBECTL_PROVIDER.hostname}/${KUBECTL_PROVIDER.namespace}/${KUBECTL_PROVIDER.type}`;

/** The CLI config text `install` writes (HCL; paths JSON-quoted so any path is a valid string). */
export function tofuCliConfigText(root = toolchainDir()): string {
  const provider = JSON.stringify(KUBECTL_PROVIDER_ADDRESS);
  return [
    '# Written by `platform toolchain install`: OpenTofu takes the kubectl provider from the local mirror',
    '# and never asks a registry for it (our machines cannot reach one).',
    'provider_installation {',
    '  filesystem_mirror {',
    `    path    = ${JSON.stringify(tfMirrorDir(root))}`,
    `    include = [${provider}]`,
    '  }',
    '  direct {',
    `    exclude = [${provider}]`,
    '  }',
    '}',
    '',
  ].join('\n');
}

/** Path of the CLI config; engines set TF_CLI_CONFIG_FILE to it. */
export function tofuCliConfigFile(): string {
  return tofuCliConfigPath();
}
