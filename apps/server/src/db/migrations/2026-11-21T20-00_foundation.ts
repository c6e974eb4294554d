import { sql } from 'kysely';
import { jsonType, makeAppendOnly, type MigrationDb, withSerialId } from './helpers.js';

/** Identity (users, teams, memberships, sessions, API tokens) and the activity spine. */
export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'varchar(36)', (col) => col.primaryKey())
    .addColumn('email', 'varchar(254)', (col) => col.notNull().unique())
    .addColumn('name', 'varchar(100)', (col) => col.notNull())
    .addColumn('handle', 'varchar(60)', (col) => col.notNull().unique())
    .addColumn('role', 'varchar(20)', (col) => col.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('disabled_at', 'bigint')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('teams')
    .addColumn('id', 'varchar(36)', (col) => col.primaryKey())
    .addColumn('slug', 'varchar(40)', (col) => col.notNull().unique())
    .addColumn('name', 'varchar(100)', (col) => col.notNull())
    .addColumn('description', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('memberships')
    .addColumn('team_id', 'varchar(36)', (col) => col.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('user_id', 'varchar(36)', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'varchar(20)', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('memberships_pk', ['team_id', 'user_id'])
    .execute();
  await db.schema.createIndex('memberships_user').on('memberships').column('user_id').execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'varchar(36)', (col) => col.primaryKey())
    .addColumn('user_id', 'varchar(36)', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'varchar(64)', (col) => col.notNull().unique())
    .addColumn('csrf_token', 'varchar(64)', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('expires_at', 'bigint', (col) => col.notNull())
    .addColumn('last_seen_at', 'bigint', (col) => col.notNull())
    .addColumn('ip', 'varchar(64)')
    .addColumn('user_agent', 'varchar(300)')
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'varchar(36)', (col) => col.primaryKey())
    .addColumn('user_id', 'varchar(36)', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'varchar(100)', (col) => col.notNull())
    .addColumn('prefix', 'varchar(20)', (col) => col.notNull())
    .addColumn('token_hash', 'varchar(64)', (col) => col.notNull().unique())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('last_used_at', 'bigint')
    .addColumn('expires_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema.createIndex('api_tokens_user').on('api_tokens').column('user_id').execute();

  await withSerialId(db, db.schema.createTable('activity'), 'id')
    .addColumn('occurred_at', 'bigint', (col) => col.notNull())
    .addColumn('actor_id', 'varchar(36)')
    .addColumn('actor_name', 'varchar(100)')
    .addColumn('actor_handle', 'varchar(60)')
    .addColumn('via', 'varchar(10)', (col) => col.notNull())
    .addColumn('verb', 'varchar(80)', (col) => col.notNull())
    .addColumn('subject_type', 'varchar(40)', (col) => col.notNull())
    .addColumn('subject_id', 'varchar(100)', (col) => col.notNull())
    .addColumn('subject_label', 'varchar(300)', (col) => col.notNull())
    .addColumn('team_id', 'varchar(36)')
    .addColumn('team_slug', 'varchar(40)')
    .addColumn('team_name', 'varchar(100)')
    .addColumn('summary', 'varchar(500)', (col) => col.notNull())
    .addColumn('data', jsonType(db), (col) => col.notNull())
    .addColumn('ip', 'varchar(64)')
    .addColumn('user_agent', 'varchar(300)')
    .execute();
  await db.schema.createIndex('activity_team').on('activity').columns(['team_id', 'id']).execute();
  await db.schema.createIndex('activity_subject').on('activity').columns(['subject_id', 'id']).execute();
  await db.schema.createIndex('activity_actor').on('activity').columns(['actor_id', 'id']).execute();
  await db.schema.createIndex('activity_verb').on('activity').columns(['verb', 'id']).execute();
  await makeAppendOnly(db, 'activity');

  await db.schema
    .createTable('follows')
    .addColumn('user_id', 'varchar(36)', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('subject_type', 'varchar(20)', (col) => col.notNull())
    .addColumn('subject_id', 'varchar(36)', (col) => col.notNull())
    .addColumn('label', 'varchar(300)', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('follows_pk', ['user_id', 'subject_type', 'subject_id'])
    .execute();
  await db.schema.createIndex('follows_subject').on('follows').columns(['subject_type', 'subject_id']).execute();

  await db.schema
    .createTable('inbox')
    .addColumn('id', 'varchar(36)', (col) => col.primaryKey())
    .addColumn('user_id', 'varchar(36)', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('activity_id', 'bigint', (col) => col.notNull())
    .addColumn('reason', 'varchar(20)', (col) => col.notNull())
    .addColumn('read_at', 'bigint')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('inbox_user').on('inbox').columns(['user_id', 'id']).execute();
  await sql`create unique index inbox_user_activity on inbox (user_id, activity_id)`.execute(db);
}
