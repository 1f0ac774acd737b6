import { describe, expect, it } from 'vitest';
import { cachedToolPath, crdBundleDir, hostPlatform, mirroredProviderPath, toolCacheDir, toolchainDir } from '../../src/toolchain/layout.js';
import { godebugDirectives, kubernetesLdflags, replaceDirectives, stagingModules } from '../../src/toolchain/recipes.js';
import { tofuCliConfigText } from '../../src/toolchain/tofu.js';

describe('cache layout', () => {
  it('prefers PLATFORM_TOOLCHAIN_DIR, then XDG_CACHE_HOME, then ~/.cache', () => {
    expect(toolchainDir({ PLATFORM_TOOLCHAIN_DIR: '/x', XDG_CACHE_HOME: '/y', HOME: '/h' })).toBe('/x');
    expect(toolchainDir({ XDG_CACHE_HOME: '/y', HOME: '/h' })).toBe('/y/platform/toolchain');
    expect(toolchainDir({ HOME: '/h' })).toBe('/h/.cache/platform/toolchain');
  });

  it('keys every binary and bundle by version', () => {
    expect(toolCacheDir('tofu', '/c')).toBe('/c/tofu-v1.12.6');
    expect(cachedToolPath('kube-apiserver', '/c')).toBe('/c/kube-apiserver-v1.34.2/kube-apiserver');
    expect(crdBundleDir('velero', '/c')).toBe('/c/crds-velero-v1.18.3');
  });

  it('lays the provider out as OpenTofu unpacked mirrors expect', () => {
    expect(mirroredProviderPath('/c', 'linux_amd64')).toBe(
      '/c/tf-mirror/registry.opentofu.org/gavinbunney/kubectl/1.19.0/linux_amd64/terraform-provider-kubectl_v1.19.0',
    );
    expect(hostPlatform('linux', 'x64')).toBe('linux_amd64');
    expect(hostPlatform('darwin', 'arm64')).toBe('darwin_arm64');
  });
});

describe('tofu CLI config', () => {
  it('installs the kubectl provider only from the mirror, and nothing else from it', () => {
    const text = tofuCliConfigText('/cache dir');
    expect(text).toContain('filesystem_mirror {\n    path    = "/cache dir/tf-mirror"\n    include = ["registry.opentofu.org/gavinbunney/kubectl"]');
    expect(text).toContain('direct {\n    exclude = ["registry.opentofu.org/gavinbunney/kubectl"]');
    // balanced braces: a syntax slip would make tofu ignore the whole file
    expect(text.split('{').length).toBe(text.split('}').length);
  });
});

describe('go.mod surgery', () => {
  const kubernetesGoMod = [
    'module k8s.io/kubernetes',
    '',
    'go 1.24.0',
    '',
    'godebug default=go1.24',
    '',
    'require (',
    '\tk8s.io/api v0.0.0',
    ')',
    '',
    'replace (',
    '\tk8s.io/api => ./staging/src/k8s.io/api',
    '\tk8s.io/client-go => ./staging/src/k8s.io/client-go',
    '\tgithub.com/x/y => github.com/x/y v1.0.0',
    ')',
  ].join('\n');

  it('finds the staging modules that need their published versions', () => {
    expect(stagingModules(kubernetesGoMod)).toEqual(['k8s.io/api', 'k8s.io/client-go']);
  });

  it('copies godebug lines, single or block', () => {
    expect(godebugDirectives(kubernetesGoMod)).toBe('godebug default=go1.24\n');
    expect(godebugDirectives('module m\ngodebug (\n\tdefault=go1.21\n\tpanicnil=1\n)\n')).toBe('godebug (\n\tdefault=go1.21\n\tpanicnil=1\n)\n');
    expect(godebugDirectives('module m\n')).toBe('');
  });

  it('turns every replace (block and single) into a single-line directive', () => {
    const goMod = 'module m\nreplace a => b v1.0.0\nreplace (\n\t// why\n\tc => d v2.0.0\n)\n';
    expect(replaceDirectives(goMod).sort()).toEqual(['replace a => b v1.0.0', 'replace c => d v2.0.0']);
  });

  it('stamps the Kubernetes version where kwokctl and --version read it', () => {
    const flags = kubernetesLdflags('v1.34.2');
    expect(flags).toContain('-X k8s.io/component-base/version.gitVersion=v1.34.2');
    expect(flags).toContain('-X k8s.io/client-go/pkg/version.gitMinor=34');
    expect(flags).toContain('-X k8s.io/component-base/version.gitMajor=1');
  });
});
