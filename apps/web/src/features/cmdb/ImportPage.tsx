import { Alert, Anchor, Breadcrumbs, Button, Card, FileInput, Group, Stack, Table, Text } from '@mantine/core';
import { ApiError, type ImportResult } from '@opsloom/api';
import type { ConvertedImport } from '@opsloom/api/formats';
import { IconCheck, IconFileImport, IconUpload } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../../api/errors';
import { PageHeader } from '../../ui/PageHeader';
import { useImportCmdb } from './cmdb-queries';
import { type BadRow, badRows, convertFiles } from './import-files';

function ResultCard({ result }: { result: ImportResult }) {
  const rows = [['CIs', result.cis], ['Relationships', result.relationships]] as const;
  return (
    <Card withBorder radius="md" p="md" data-testid="import-result">
      <Group gap={6} mb="sm"><IconCheck size={18} color="var(--mantine-color-teal-6)" /><Text fw={600}>Imported</Text></Group>
      <Table maw={480}>
        <Table.Thead><Table.Tr><Table.Th /><Table.Th ta="right">Created</Table.Th><Table.Th ta="right">Updated</Table.Th><Table.Th ta="right">Unchanged</Table.Th></Table.Tr></Table.Thead>
        <Table.Tbody>
          {rows.map(([label, counts]) => (
            <Table.Tr key={label} data-testid={`import-${label.toLowerCase()}`}>
              <Table.Td fw={500}>{label}</Table.Td>
              <Table.Td ta="right">{counts.created}</Table.Td>
              <Table.Td ta="right">{counts.updated}</Table.Td>
              <Table.Td ta="right">{counts.unchanged}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {result.warnings.length > 0 && (
        <Stack gap={2} mt="sm">
          <Text size="sm" fw={600}>Left out ({result.warnings.length})</Text>
          {result.warnings.slice(0, 50).map((w) => <Text key={`${w.path}${w.message}`} size="xs" c="dimmed">{w.path}: {w.message}</Text>)}
        </Stack>
      )}
    </Card>
  );
}

function BadRows({ title, rows }: { title: string; rows: BadRow[] }) {
  return (
    <Alert color="red" variant="light" title={title} role="alert" data-testid="import-errors">
      <Text size="sm" mb="xs">Nothing was imported. Fix these rows and try again.</Text>
      <Table verticalSpacing={2}>
        <Table.Thead><Table.Tr><Table.Th>Row</Table.Th><Table.Th>Where</Table.Th><Table.Th>Reason</Table.Th></Table.Tr></Table.Thead>
        <Table.Tbody>
          {rows.slice(0, 200).map((row, i) => (
            <Table.Tr key={`${row.path}-${i}`} data-testid="import-error-row">
              <Table.Td>{row.index === null ? '—' : `${row.section} #${row.index}`}</Table.Td>
              <Table.Td><Text size="xs" ff="monospace">{row.path}</Text></Table.Td>
              <Table.Td><Text size="sm">{row.message}</Text></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {rows.length > 200 && <Text size="xs" mt={4}>…and {rows.length - 200} more.</Text>}
    </Alert>
  );
}

export function ImportPage() {
  const [files, setFiles] = useState<File[]>([]);
  const [converted, setConverted] = useState<ConvertedImport | null>(null);
  const run = useImportCmdb();

  const choose = async (chosen: File[]) => {
    setFiles(chosen);
    run.reset();
    setConverted(chosen.length ? convertFiles(await Promise.all(chosen.map(async (file) => ({ name: file.name, text: await file.text() })))) : null);
  };
  const submit = () => {
    if (!converted || converted.errors.length) return;
    run.mutate({ cis: converted.cis, relationships: converted.relationships, unknownReferences: converted.unknownReferences });
  };
  const serverRows = run.error instanceof ApiError ? badRows(run.error.details) : [];

  return (
    <>
      <Breadcrumbs mb="xs" separatorMargin={6}>
        <Anchor component={Link} to="/cmdb" size="sm">Configuration items</Anchor>
        <Text size="sm" c="dimmed">Import</Text>
      </Breadcrumbs>
      <PageHeader title="Import into the CMDB" description="Upsert by key: the same file twice changes nothing. All rows land or none do." />
      <Stack gap="md" maw={900}>
        <Card withBorder radius="md" p="md">
          <Stack gap="sm">
            <FileInput
              label="Files"
              description="An import body (.json); CSV of CIs and/or of relationships (.csv, told apart by their header); Backstage catalog-info descriptors (.yaml, .yml)."
              placeholder="Choose files"
              multiple
              clearable
              accept=".json,.csv,.yaml,.yml,application/json,text/csv,application/yaml"
              leftSection={<IconUpload size={16} />}
              value={files}
              onChange={(chosen) => void choose(chosen)}
            />
            {converted && converted.errors.length === 0 && (
              <Text size="sm" data-testid="import-preview">
                Ready: {converted.cis.length} CIs and {converted.relationships.length} relationships from {files.length} {files.length === 1 ? 'file' : 'files'}.
                {converted.unknownReferences === 'skip' && ' References to entities outside these files will be left out and listed.'}
              </Text>
            )}
            {converted && converted.errors.length === 0 && converted.warnings.length > 0 && (
              <Stack gap={0}>
                {converted.warnings.slice(0, 20).map((w) => <Text key={`${w.path}${w.message}`} size="xs" c="dimmed">{w.path}: {w.message}</Text>)}
                {converted.warnings.length > 20 && <Text size="xs" c="dimmed">…and {converted.warnings.length - 20} more notes.</Text>}
              </Stack>
            )}
            <Group>
              <Button leftSection={<IconFileImport size={16} />} disabled={!converted || converted.errors.length > 0 || converted.cis.length + converted.relationships.length === 0} loading={run.isPending} onClick={submit}>
                Import
              </Button>
            </Group>
          </Stack>
        </Card>
        {converted && converted.errors.length > 0 && <BadRows title="These files cannot be read" rows={converted.errors.map((e) => ({ section: '', index: null, path: e.path, message: e.message }))} />}
        {run.isError && (serverRows.length > 0 ? <BadRows title={`The import was refused: ${serverRows.length} bad ${serverRows.length === 1 ? 'row' : 'rows'}`} rows={serverRows} /> : <Alert color="red" role="alert" title="Import failed">{errorMessage(run.error)}</Alert>)}
        {run.isSuccess && <ResultCard result={run.data} />}
      </Stack>
    </>
  );
}
