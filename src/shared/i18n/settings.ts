import { defineMessages } from './define';

export const settingsMessages = defineMessages({
  en: {
    'settings.title': 'Settings',
    'settings.appearance': 'Language and appearance',
    'settings.language': 'Language',
    'settings.language.system': 'System ({language})',
    'settings.language.ko': '한국어',
    'settings.language.en': 'English',
    'settings.theme': 'Theme',
    'settings.theme.system': 'System',
    'settings.theme.light': 'Light',
    'settings.theme.dark': 'Dark',
    'settings.saved': 'Saved.',
  },
  ko: {
    'settings.title': '설정',
    'settings.appearance': '언어와 화면',
    'settings.language': '언어',
    'settings.language.system': '시스템 ({language})',
    'settings.language.ko': '한국어',
    'settings.language.en': 'English',
    'settings.theme': '테마',
    'settings.theme.system': '시스템',
    'settings.theme.light': '밝게',
    'settings.theme.dark': '어둡게',
    'settings.saved': '저장했습니다.',
  },
});
