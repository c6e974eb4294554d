import { Alert, Anchor, Box, Button, Center, Group, Paper, PasswordInput, Stack, Text, TextInput, ThemeIcon, Title } from '@mantine/core';
import { IconAlertTriangle, IconTopologyStar3 } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { errorMessage } from '../../api/errors';
import { useLogin } from './session';

export function SignInPage() {
  const login = useLogin();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate({ email: email.trim(), password });
  };

  return (
    <Center mih="100vh" p="md" bg="var(--mantine-color-body)">
      <Box w="100%" maw={400}>
        <Stack align="center" gap={6} mb="lg">
          <ThemeIcon size={44} radius="md" variant="gradient" gradient={{ from: 'indigo', to: 'cyan', deg: 135 }}>
            <IconTopologyStar3 size={26} />
          </ThemeIcon>
          <Title order={1} size="h3">Sign in to Opsloom</Title>
          <Text size="sm" c="dimmed">Collaborative IT operations, one shared picture.</Text>
        </Stack>
        <Paper withBorder p="lg" radius="md" shadow="xs">
          <form onSubmit={submit} noValidate>
            <Stack gap="md">
              {login.isError && (
                <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} role="alert" data-testid="sign-in-error">
                  {errorMessage(login.error)}
                </Alert>
              )}
              <TextInput label="E-mail" type="email" autoComplete="username" required autoFocus value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
              <PasswordInput label="Password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
              <Button type="submit" fullWidth loading={login.isPending} disabled={!email || !password}>Sign in</Button>
            </Stack>
          </form>
        </Paper>
        <Group justify="center" mt="md" gap={4}>
          <Text size="xs" c="dimmed">
            Trying the demo? Sign in as <Anchor size="xs" component="button" type="button" onClick={() => { setEmail('ana.silva@example.com'); setPassword('opsloom-demo'); }}>ana.silva@example.com</Anchor> with password <code>opsloom-demo</code>.
          </Text>
        </Group>
      </Box>
    </Center>
  );
}
