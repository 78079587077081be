import { useEffect, useState } from 'react';
import type { Theme } from '../shared/contract';

const darkQuery = '(prefers-color-scheme: dark)';

/** The theme in effect: the user's choice, or the system's when they chose 'system'. Follows system changes live. */
export function useResolvedTheme(preference: Theme): 'light' | 'dark' {
  const [systemDark, setSystemDark] = useState(() => window.matchMedia(darkQuery).matches);
  useEffect(() => {
    const query = window.matchMedia(darkQuery);
    const listener = () => setSystemDark(query.matches);
    query.addEventListener('change', listener);
    return () => query.removeEventListener('change', listener);
  }, []);
  if (preference === 'system') return systemDark ? 'dark' : 'light';
  return preference;
}
