import { z } from 'zod';
import { cursorQuery, limitQuery, noContent, page } from '../common.js';
import { access, defineOperation } from '../contract.js';
import {
  apiToken,
  createdToken,
  createTeamBody,
  createTokenBody,
  createUserBody,
  idOrSlugParams,
  loginBody,
  memberParams,
  putMemberBody,
  session,
  team,
  teamMember,
  tokenParams,
  updateTeamBody,
  updateUserBody,
  user,
  userParams,
} from './identity.schemas.js';

const tag = 'Identity';

export const login = defineOperation({
  id: 'login', method: 'POST', path: '/api/v1/auth/login', tag, status: 200, access: access.public,
  summary: 'Sign in with e-mail and password; sets the session cookie',
  body: loginBody, response: session,
});
export const logout = defineOperation({
  id: 'logout', method: 'POST', path: '/api/v1/auth/logout', tag, status: 204, access: access.signedIn,
  summary: 'End the current session', response: noContent,
});
export const getSession = defineOperation({
  id: 'getSession', method: 'GET', path: '/api/v1/auth/session', tag, status: 200, access: access.signedIn,
  summary: 'The signed-in user (session cookie or bearer token)', response: session,
});

export const listTeams = defineOperation({
  id: 'listTeams', method: 'GET', path: '/api/v1/teams', tag, status: 200, access: access.signedIn,
  summary: 'All teams', response: z.object({ items: z.array(team) }),
});
export const createTeam = defineOperation({
  id: 'createTeam', method: 'POST', path: '/api/v1/teams', tag, status: 201, access: access.admins,
  summary: 'Create a team (409 when the slug is taken)', body: createTeamBody, response: team,
});
export const getTeam = defineOperation({
  id: 'getTeam', method: 'GET', path: '/api/v1/teams/{team}', tag, status: 200, access: access.signedIn,
  summary: 'One team', params: idOrSlugParams, response: team,
});
export const updateTeam = defineOperation({
  id: 'updateTeam', method: 'PATCH', path: '/api/v1/teams/{team}', tag, status: 200, access: access.admins,
  summary: 'Rename or describe a team', params: idOrSlugParams, body: updateTeamBody, response: team,
});
export const deleteTeam = defineOperation({
  id: 'deleteTeam', method: 'DELETE', path: '/api/v1/teams/{team}', tag, status: 204, access: access.admins,
  summary: 'Delete a team and its memberships', params: idOrSlugParams, response: noContent,
});
export const listTeamMembers = defineOperation({
  id: 'listTeamMembers', method: 'GET', path: '/api/v1/teams/{team}/members', tag, status: 200, access: access.signedIn,
  summary: "A team's members", params: idOrSlugParams, response: z.object({ items: z.array(teamMember) }),
});
export const putTeamMember = defineOperation({
  id: 'putTeamMember', method: 'PUT', path: '/api/v1/teams/{team}/members/{user}', tag, status: 200, access: access.admins,
  summary: 'Add a user to a team or change their team role', params: memberParams, body: putMemberBody, response: teamMember,
});
export const removeTeamMember = defineOperation({
  id: 'removeTeamMember', method: 'DELETE', path: '/api/v1/teams/{team}/members/{user}', tag, status: 204, access: access.admins,
  summary: 'Remove a user from a team', params: memberParams, response: noContent,
});

export const listUsers = defineOperation({
  id: 'listUsers', method: 'GET', path: '/api/v1/users', tag, status: 200, access: access.staff,
  summary: 'People, optionally filtered by text or team',
  query: z.object({
    q: z.string().max(100).optional().describe('Matches name, handle or e-mail'),
    team: z.string().max(100).optional().describe('Team id or slug'),
    limit: limitQuery, cursor: cursorQuery,
  }),
  response: page(user),
});
export const createUser = defineOperation({
  id: 'createUser', method: 'POST', path: '/api/v1/users', tag, status: 201, access: access.admins,
  summary: 'Create a user (409 when the e-mail is taken)', body: createUserBody, response: user,
});
export const getUser = defineOperation({
  id: 'getUser', method: 'GET', path: '/api/v1/users/{user}', tag, status: 200, access: access.staff,
  summary: 'One user', params: userParams, response: user,
});
export const updateUser = defineOperation({
  id: 'updateUser', method: 'PATCH', path: '/api/v1/users/{user}', tag, status: 200, access: access.signedIn,
  summary: 'Change a user; admins change anyone, others only their own name and password',
  params: userParams, body: updateUserBody, response: user,
});

export const listTokens = defineOperation({
  id: 'listTokens', method: 'GET', path: '/api/v1/tokens', tag, status: 200, access: access.signedIn,
  summary: 'Your API tokens (admins: `all=true` for everyone’s)',
  query: z.object({ all: z.stringbool().default(false).describe('Admins: include every user’s tokens') }),
  response: z.object({ items: z.array(apiToken) }),
});
export const createToken = defineOperation({
  id: 'createToken', method: 'POST', path: '/api/v1/tokens', tag, status: 201, access: access.signedIn,
  summary: 'Create an API token for yourself; the secret is shown once', body: createTokenBody, response: createdToken,
});
export const revokeToken = defineOperation({
  id: 'revokeToken', method: 'DELETE', path: '/api/v1/tokens/{id}', tag, status: 204, access: access.signedIn,
  summary: 'Revoke a token (yours, or anyone’s for admins)', params: tokenParams, response: noContent,
});
