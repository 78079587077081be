import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// The packaging configuration electron-builder reads (electron-builder.yml). Fuses only take effect
// in a packaged build, which cannot be made on these machines; what is checked here is that the
// configuration asks for them, and that nothing else in it undoes them.

const config = parse(readFileSync(new URL('../electron-builder.yml', import.meta.url), 'utf8')) as Record<string, unknown>;

describe('electron-builder.yml', () => {
  it('flips the fuses: no run-as-node, NODE_OPTIONS or inspect; the app only from a checked app.asar; no extra file:// privileges; encrypted cookies', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
      enableCookieEncryption: true,
    });
  });

  it('packs the app into app.asar with its integrity hash (what the asar fuses rely on)', () => {
    expect(config.asar).not.toBe(false);
    expect((config.asar as { disableIntegrity?: boolean } | undefined)?.disableIntegrity).not.toBe(true);
    expect(config.files).toEqual(expect.arrayContaining(['out/main/**', 'out/preload/**', 'out/renderer/**', 'resources/**']));
  });
});
