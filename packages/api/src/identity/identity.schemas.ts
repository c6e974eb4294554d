import { z } from 'zod';
import { id, slug, timestamp } from '../common.js';
import { roles as roleList } from '../contract.js';

export const role = z.enum(roleList).describe('admin: everything; operator: works on operations; viewer: reads; requester: end user');
export const teamMemberRole = z.enum(['member', 'lead']).describe('lead: runs the team');

export const teamRef = z
  .object({ id, slug: z.string(), name: z.string() })
  .meta({ id: 'TeamRef' });
export type TeamRef = z.infer<typeof teamRef>;

export const team = z
  .object({
    id,
    slug: z.string().describe('Stable URL name, unique'),
    name: z.string(),
    description: z.string(),
    memberCount: z.number().int(),
    createdAt: timestamp,
  })
  .meta({ id: 'Team' });
export type Team = z.infer<typeof team>;

export const createTeamBody = z
  .strictObject({
    slug: slug.describe('Unique URL name, e.g. `network`'),
    name: z.string().trim().min(1).max(100).describe('Display name'),
    description: z.string().max(2000).optional().describe('What the team does; `@handle` mentions notify people'),
  })
  .meta({ id: 'CreateTeam' });

export const updateTeamBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    description: z.string().max(2000).optional(),
  })
  .meta({ id: 'UpdateTeam' });

export const userSummary = z
  .object({ id, name: z.string(), handle: z.string(), email: z.string() })
  .meta({ id: 'UserSummary' });

export const membership = z
  .object({ team: teamRef, role: teamMemberRole })
  .meta({ id: 'Membership' });

export const user = z
  .object({
    id,
    email: z.string(),
    name: z.string(),
    handle: z.string().describe('Used for `@handle` mentions'),
    role,
    teams: z.array(membership),
    disabled: z.boolean(),
    createdAt: timestamp,
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof user>;

export const password = z.string().min(10, 'must be at least 10 characters').max(200);
export const email = z.email().max(254).transform((value) => value.toLowerCase());

export const createUserBody = z
  .strictObject({
    email: email.describe('Sign-in e-mail, unique'),
    name: z.string().trim().min(1).max(100),
    password: password.optional().describe('Omit for users who sign in only through SSO or tokens'),
    role: role.default('viewer'),
    teams: z.array(slug).max(50).default([]).describe('Slugs of teams to join as member'),
  })
  .meta({ id: 'CreateUser' });

export const updateUserBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    role: role.optional().describe('Admins only'),
    disabled: z.boolean().optional().describe('Admins only; a disabled user cannot sign in and their sessions end'),
    password: password.optional(),
    currentPassword: z.string().max(200).optional().describe('Required when changing your own password'),
  })
  .meta({ id: 'UpdateUser' });

export const teamMember = z
  .object({ user: userSummary, role: teamMemberRole, since: timestamp })
  .meta({ id: 'TeamMember' });
export type TeamMember = z.infer<typeof teamMember>;

export const putMemberBody = z.strictObject({ role: teamMemberRole.default('member') }).meta({ id: 'PutMember' });

export const loginBody = z
  .strictObject({ email: z.string().max(254).transform((value) => value.toLowerCase()), password: z.string().max(200) })
  .meta({ id: 'Login' });

export const session = z
  .object({
    user,
    csrfToken: z.string().nullable().describe('Send as `x-csrf-token` on writes made with the session cookie'),
  })
  .meta({ id: 'Session' });

export const apiToken = z
  .object({
    id,
    name: z.string(),
    prefix: z.string().describe('First characters of the secret, to recognise it'),
    owner: userSummary,
    createdAt: timestamp,
    lastUsedAt: timestamp.nullable(),
    expiresAt: timestamp.nullable(),
    revokedAt: timestamp.nullable(),
  })
  .meta({ id: 'ApiToken' });
export type ApiToken = z.infer<typeof apiToken>;

export const createTokenBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100).describe('What the token is for, e.g. `alertmanager-prod`'),
    expiresInDays: z.number().int().min(1).max(3650).optional().describe('Omit for a token that never expires'),
  })
  .meta({ id: 'CreateToken' });

export const createdToken = apiToken
  .extend({ token: z.string().describe('The secret. Shown only in this response; store it now') })
  .meta({ id: 'CreatedToken' });

export const idOrSlugParams = z.object({ team: z.string().min(1).max(100).describe('Team id or slug') });
export const userParams = z.object({ user: z.string().min(1).max(254).describe('User id or handle') });
export const memberParams = idOrSlugParams.extend({ user: z.string().min(1).max(254).describe('User id or handle') });
export const tokenParams = z.object({ id });

