import { ActionIcon, Alert, Button, Code, CopyButton, Group, Modal, Select, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCopy } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { errorMessage } from '../../api/errors';
import { useCreateToken } from './token-queries';

const expiries = [
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year' },
  { value: 'never', label: 'Never' },
];

/** Two steps in one modal: the form, then the secret, which the server will never show again. */
export function CreateTokenModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const create = useCreateToken();
  const [name, setName] = useState('');
  const [expiry, setExpiry] = useState('90');
  const close = () => {
    create.reset();
    setName('');
    setExpiry('90');
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name: name.trim(), expiresInDays: expiry === 'never' ? undefined : Number(expiry) });
  };
  const secret = create.data?.token;

  return (
    <Modal opened={opened} onClose={close} title={secret ? 'Token created' : 'Create API token'} closeOnClickOutside={!secret} size="lg">
      {secret ? (
        <Stack gap="sm">
          <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />} title="Copy it now">
            This is the only time the token is shown. Opsloom stores only a hash of it.
          </Alert>
          <Group gap="xs" wrap="nowrap" p="xs" style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 'var(--mantine-radius-md)' }}>
            <Code data-testid="token-secret" style={{ flex: 1, wordBreak: 'break-all', background: 'transparent' }}>{secret}</Code>
            <CopyButton value={secret}>
              {({ copied, copy }) => (
                <Tooltip label={copied ? 'Copied' : 'Copy'}>
                  <ActionIcon variant="light" color={copied ? 'teal' : 'indigo'} onClick={copy} aria-label="Copy token">
                    {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                  </ActionIcon>
                </Tooltip>
              )}
            </CopyButton>
          </Group>
          <Text size="xs" c="dimmed">Use it as <Code>Authorization: Bearer …</Code> in scripts and integrations.</Text>
          <Group justify="flex-end">
            <Button onClick={close}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit}>
          <Stack gap="sm">
            {create.isError && <Alert color="red" variant="light" role="alert">{errorMessage(create.error)}</Alert>}
            <TextInput label="Name" description="What the token is for, e.g. alertmanager-prod" required data-autofocus value={name} onChange={(e) => setName(e.currentTarget.value)} />
            <Select label="Expires" allowDeselect={false} data={expiries} value={expiry} onChange={(value) => setExpiry(value ?? '90')} />
            <Group justify="flex-end" mt="xs">
              <Button variant="default" onClick={close}>Cancel</Button>
              <Button type="submit" loading={create.isPending} disabled={!name.trim()}>Create token</Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
