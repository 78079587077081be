import { describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { buildMenuTemplate } from './menu';

function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? items(item.submenu) : [])]);
}
const roles = (template: MenuItemConstructorOptions[]) => items(template).map((i) => i.role).filter(Boolean);

describe('app menu', () => {
  it('has the usual shortcuts on Linux and Windows', () => {
    const template = buildMenuTemplate({ mac: false, dev: false, locale: 'en', onImport: () => {}, onUndo: () => {}, onRedo: () => {} });
    expect(roles(template)).toEqual(
      expect.arrayContaining(['quit', 'cut', 'copy', 'paste', 'selectAll', 'zoomIn', 'zoomOut', 'resetZoom', 'togglefullscreen']),
    );
    expect(roles(template)).not.toContain('reload');
    expect(roles(template)).not.toContain('toggleDevTools');
  });

  it('offers reload and the developer tools only in development', () => {
    const template = buildMenuTemplate({ mac: false, dev: true, locale: 'en', onImport: () => {}, onUndo: () => {}, onRedo: () => {} });
    expect(roles(template)).toEqual(expect.arrayContaining(['reload', 'forceReload', 'toggleDevTools']));
  });

  it('puts Quit in the app menu on macOS', () => {
    const template = buildMenuTemplate({ mac: true, dev: false, locale: 'en', onImport: () => {}, onUndo: () => {}, onRedo: () => {} });
    expect(template[0].role).toBe('appMenu');
    expect(roles(template)).not.toContain('quit');
  });

  it('Import… (Ctrl/Cmd+O) asks the UI to import, in the OS language', () => {
    let imports = 0;
    for (const [locale, label] of [['en', 'Import…'], ['ko', '가져오기…']] as const) {
      const item = items(buildMenuTemplate({ mac: false, dev: false, locale, onImport: () => imports++, onUndo: () => {}, onRedo: () => {} })).find((i) => i.label === label);
      expect(item?.accelerator).toBe('CmdOrCtrl+O');
      (item?.click as () => void)();
    }
    expect(imports).toBe(2);
  });

  it('Undo (Ctrl/Cmd+Z) and Redo (Ctrl/Cmd+Shift+Z) go to the UI, which undoes typing or the last operation', () => {
    let undos = 0;
    let redos = 0;
    const menu = items(buildMenuTemplate({ mac: false, dev: false, locale: 'ko', onImport: () => {}, onUndo: () => undos++, onRedo: () => redos++ }));
    const undo = menu.find((i) => i.label === '실행 취소');
    expect(undo?.accelerator).toBe('CmdOrCtrl+Z');
    expect(undo?.role).toBeUndefined();
    (undo?.click as () => void)();
    expect(undos).toBe(1);
    const redo = menu.find((i) => i.label === '다시 실행');
    expect(redo?.accelerator).toBe('CmdOrCtrl+Shift+Z');
    expect(redo?.role).toBeUndefined();
    (redo?.click as () => void)();
    expect(redos).toBe(1);
  });
});
