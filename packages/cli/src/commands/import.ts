import fs from 'node:fs/promises';
import path from 'node:path';
import { ApiError, cmdbApi, type ImportCi, type ImportRelationship, type ImportResult } from '@opsloom/api';
import { backstageToImport, csvToImport, type FormatIssue } from '@opsloom/api/formats';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { type RemoteFlags, remoteClient, remoteOptions } from './remote.js';

/** Above this size the CLI shows progress bars (reading, parsing, uploading). */
const LARGE = 1024 * 1024;
const UPLOAD_CHUNK = 256 * 1024;

interface Loaded {
  cis: ImportCi[];
  relationships: ImportRelationship[];
  unknownReferences: 'reject' | 'skip';
  errors: FormatIssue[];
  warnings: FormatIssue[];
}

class Progress {
  private bar: cliProgress.SingleBar | null = null;
  constructor(private readonly enabled: boolean) {}
  start(stage: string, total: number): void {
    if (!this.enabled) return;
    this.stop();
    this.bar = new cliProgress.SingleBar(
      { format: `${stage.padEnd(10)} [{bar}] {percentage}% | {value}/{total} {unit}`, stream: process.stderr, hideCursor: true, noTTYOutput: true, notTTYSchedule: 1000 },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(total, 0, { unit: stage === 'parsing' ? 'rows' : 'bytes' });
  }
  update(value: number, total?: number): void {
    if (total !== undefined) this.bar?.setTotal(total);
    this.bar?.update(value);
  }
  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }
}

async function readAll(files: string[], progress: Progress): Promise<Map<string, string>> {
  const sizes = await Promise.all(files.map(async (file) => (await fs.stat(file)).size));
  const total = sizes.reduce((a, b) => a + b, 0);
  progress.start('reading', total);
  const texts = new Map<string, string>();
  let done = 0;
  for (const [i, file] of files.entries()) {
    texts.set(file, await fs.readFile(file, 'utf8'));
    done += sizes[i];
    progress.update(done);
  }
  progress.stop();
  return texts;
}

/** JSON bodies are merged; CSV files are told apart by header (`from,to,type` = relationships); YAML is Backstage. */
function convert(texts: Map<string, string>, progress: Progress): Loaded {
  const result: Loaded = { cis: [], relationships: [], unknownReferences: 'reject', errors: [], warnings: [] };
  const csv: { cis?: string; relationships?: string } = {};
  const yaml: Array<{ name: string; text: string }> = [];
  for (const [file, text] of texts) {
    const ext = path.extname(file).toLowerCase();
    if (ext === '.json') {
      try {
        const body = JSON.parse(text) as { cis?: ImportCi[]; relationships?: ImportRelationship[] };
        result.cis.push(...(body.cis ?? []));
        result.relationships.push(...(body.relationships ?? []));
      } catch (error) {
        result.errors.push({ path: file, message: `not valid JSON: ${(error as Error).message}` });
      }
    } else if (ext === '.csv') {
      const header = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0].replace(/\s|"/g, '');
      if (/^from,to,type$/.test(header)) csv.relationships = text;
      else csv.cis = text;
    } else if (ext === '.yaml' || ext === '.yml') {
      yaml.push({ name: path.basename(file), text });
    } else {
      result.errors.push({ path: file, message: 'unknown format: use .json, .csv (CIs and relationships) or .yaml/.yml (Backstage)' });
    }
  }
  if (csv.cis || csv.relationships) {
    progress.start('parsing', 1);
    const parsed = csvToImport(csv, (done, total) => progress.update(done, total));
    progress.stop();
    merge(result, parsed);
  }
  if (yaml.length > 0) merge(result, backstageToImport(yaml));
  return result;
}

function merge(into: Loaded, from: Loaded): void {
  into.cis.push(...from.cis);
  into.relationships.push(...from.relationships);
  into.errors.push(...from.errors);
  into.warnings.push(...from.warnings);
  if (from.unknownReferences === 'skip') into.unknownReferences = 'skip';
}

/** fetch whose request body is streamed in chunks, moving the upload bar. */
function uploadingFetch(progress: Progress): typeof fetch {
  return (input, init) => {
    const body = init?.body;
    if (typeof body !== 'string') return fetch(input, init);
    const bytes = Buffer.from(body);
    progress.start('uploading', bytes.length);
    let offset = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (offset >= bytes.length) {
          progress.stop();
          controller.close();
          return;
        }
        controller.enqueue(bytes.subarray(offset, offset + UPLOAD_CHUNK));
        offset += UPLOAD_CHUNK;
        progress.update(Math.min(offset, bytes.length));
      },
    });
    const headers = new Headers(init?.headers);
    headers.set('content-length', String(bytes.length));
    return fetch(input, { ...init, headers, body: stream, duplex: 'half' });
  };
}

const printIssues = (title: string, issues: FormatIssue[], limit = 50) => {
  process.stderr.write(`${title}\n`);
  for (const issue of issues.slice(0, limit)) process.stderr.write(`  ${issue.path}: ${issue.message}\n`);
  if (issues.length > limit) process.stderr.write(`  … and ${issues.length - limit} more\n`);
};

export function summary(result: ImportResult): string {
  const { cis, relationships, warnings } = result;
  return `CIs: ${cis.created} created, ${cis.updated} updated, ${cis.unchanged} unchanged; relationships: ${relationships.created} created, ${relationships.unchanged} unchanged` +
    (warnings.length > 0 ? `; ${warnings.length} reference${warnings.length > 1 ? 's' : ''} skipped` : '');
}

export function registerImportCommand(program: Command): void {
  remoteOptions(
    program
      .command('import')
      .description('import CIs and relationships into a running server: .json (import body), .csv (CIs and relationships files), .yaml (Backstage catalog)')
      .argument('<files...>', 'files to import together, in one atomic import'),
  )
    .option('--skip-unknown', 'leave out references to teams and CIs that exist nowhere instead of failing (always on for Backstage)')
    .option('--progress', 'show progress bars even for small files or without a terminal')
    .action(async (files: string[], flags: RemoteFlags & { skipUnknown?: boolean; progress?: boolean }) => {
      const sizes = await Promise.all(files.map(async (file) => (await fs.stat(file)).size));
      const progress = new Progress(Boolean(flags.progress) || (process.stderr.isTTY && sizes.reduce((a, b) => a + b, 0) > LARGE));
      const loaded = convert(await readAll(files, progress), progress);
      if (loaded.errors.length > 0) {
        printIssues(`opsloom: ${loaded.errors.length} problem${loaded.errors.length > 1 ? 's' : ''} in the input; nothing was imported:`, loaded.errors);
        process.exitCode = 2;
        return;
      }
      if (loaded.warnings.length > 0) printIssues(`note: ${loaded.warnings.length} entr${loaded.warnings.length > 1 ? 'ies' : 'y'} not imported:`, loaded.warnings, 20);
      const client = remoteClient(flags, uploadingFetch(progress));
      try {
        const result = await client.call(cmdbApi.importCmdb, {
          body: { cis: loaded.cis, relationships: loaded.relationships, unknownReferences: flags.skipUnknown ? 'skip' : loaded.unknownReferences },
        });
        progress.stop();
        if (result.warnings.length > 0) printIssues('skipped references:', result.warnings, 20);
        process.stdout.write(`imported ${files.length} file${files.length > 1 ? 's' : ''}: ${summary(result)}\n`);
      } catch (error) {
        progress.stop();
        const issues = error instanceof ApiError ? (error.details as { issues?: FormatIssue[] } | undefined)?.issues : undefined;
        if (issues && issues.length > 1) printIssues(`opsloom: the server refused the import; nothing was imported:`, issues);
        throw error;
      }
    });
}
