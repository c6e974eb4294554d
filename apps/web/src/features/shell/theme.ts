import { createTheme, localStorageColorSchemeManager } from '@mantine/core';

/** Same key as the inline script in index.html, which applies the scheme before React loads. */
export const colorSchemeManager = localStorageColorSchemeManager({ key: 'opsloom-color-scheme' });

export const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'md',
  fontFamily: 'Inter, ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  fontFamilyMonospace: 'ui-monospace, "JetBrains Mono", "SFMono-Regular", Menlo, monospace',
  fontSizes: { xs: '12px', sm: '13px', md: '14px', lg: '16px', xl: '18px' },
  headings: { fontWeight: '650' },
  cursorType: 'pointer',
});
