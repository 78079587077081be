/** The language of a terminal's messages: PROOFDECK_LANG, else the usual locale variables; Korean or English. */
export function terminalLocale(): 'ko' | 'en' {
  const lang = process.env.PROOFDECK_LANG ?? process.env.LC_ALL ?? process.env.LC_MESSAGES ?? process.env.LANG ?? '';
  return lang.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}
