import type { MenuItemConstructorOptions } from 'electron';

export interface MenuOptions {
  /** process.platform === 'darwin': the app menu comes first and holds Quit. */
  mac: boolean;
  /** Development build: Reload and the developer tools are offered. */
  dev: boolean;
  /** 'ko' labels for a Korean OS, English otherwise. Roles translate their own items. */
  locale: 'ko' | 'en';
  /** File › Import…: asks the UI to open its import dialog. */
  onImport(): void;
  /**
   * Edit › Undo (Ctrl/Cmd+Z) and Redo (Ctrl/Cmd+Shift+Z): ask the UI. A menu accelerator takes the
   * key before the page sees it, so the UI decides: undo typing in a text field, else the last
   * operation of the undo history.
   */
  onUndo(): void;
  onRedo(): void;
}

const labels = {
  en: { file: 'File', import: 'Import…', edit: 'Edit', undo: 'Undo', redo: 'Redo', view: 'View', window: 'Window' },
  ko: { file: '파일', import: '가져오기…', edit: '편집', undo: '실행 취소', redo: '다시 실행', view: '보기', window: '창' },
} as const;

/** The application menu: the usual shortcuts (quit, edit, zoom, full screen) plus Import…. */
export function buildMenuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const text = labels[options.locale];
  const template: MenuItemConstructorOptions[] = [];
  if (options.mac) template.push({ role: 'appMenu' });
  template.push({
    label: text.file,
    submenu: [
      { label: text.import, accelerator: 'CmdOrCtrl+O', click: () => options.onImport() },
      { type: 'separator' },
      options.mac ? { role: 'close' } : { role: 'quit' },
    ],
  });
  template.push({
    label: text.edit,
    submenu: [
      { label: text.undo, accelerator: 'CmdOrCtrl+Z', click: () => options.onUndo() },
      { label: text.redo, accelerator: 'CmdOrCtrl+Shift+Z', click: () => options.onRedo() },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  });
  template.push({
    label: text.view,
    submenu: [
      ...(options.dev
        ? ([{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as MenuItemConstructorOptions[])
        : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  });
  template.push({ label: text.window, submenu: [{ role: 'minimize' }, options.mac ? { role: 'zoom' } : { role: 'close' }] });
  return template;
}
