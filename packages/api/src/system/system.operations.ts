import { z } from 'zod';
import { access, defineOperation } from '../contract.js';

export const searchResult = z
  .object({
    type: z.enum(['team', 'user', 'ci']),
    id: z.string(),
    title: z.string(),
    subtitle: z.string(),
    href: z.string().describe('Web app path'),
  })
  .meta({ id: 'SearchResult' });
export type SearchResult = z.infer<typeof searchResult>;

export const search = defineOperation({
  id: 'search', method: 'GET', path: '/api/v1/search', tag: 'Search', status: 200, access: access.signedIn,
  summary: 'Global search across everything Opsloom holds, for the command palette',
  query: z.object({ q: z.string().trim().min(1).max(100), limit: z.coerce.number().int().min(1).max(50).default(20) }),
  response: z.object({ items: z.array(searchResult) }),
});

export const versionInfo = z.object({ version: z.string(), database: z.enum(['sqlite', 'postgres']) }).meta({ id: 'Version' });
export const getVersion = defineOperation({
  id: 'getVersion', method: 'GET', path: '/api/v1/version', tag: 'System', status: 200, access: access.public,
  summary: 'Server version and storage engine', response: versionInfo,
});
