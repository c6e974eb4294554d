import { describe, expect, it } from 'vitest';
import { labelHints, stripPort } from './normalized.js';

describe('stripPort', () => {
  it.each([
    ['host-1:9100', 'host-1'],
    ['10.0.0.1:9100', '10.0.0.1'],
    ['db-01.example.com', 'db-01.example.com'],
    ['[::1]:9100', '::1'],
    ['[fe80::1]', 'fe80::1'],
    ['fe80::1', 'fe80::1'],
    ['2001:db8::1:9100', '2001:db8::1:9100'],
    ['host:', 'host:'],
    ['host:http', 'host:http'],
    ['host:91a0', 'host:91a0'],
    ['[not-closed:9100', '[not-closed'],
  ])('%s → %s', (instance, host) => {
    expect(stripPort(instance)).toBe(host);
  });
});

describe('labelHints', () => {
  it('lists CI hints in the contract order, the port stripped, service last', () => {
    expect(labelHints({ service: 'shop', hostname: 'h2', host: 'h1', instance: 'web-1:9100', ci: 'web-1', job: 'node' }, [['source', 'src']])).toEqual([
      ['ci', 'web-1'], ['instance', 'web-1'], ['host', 'h1'], ['hostname', 'h2'], ['source', 'src'], ['service', 'shop'],
    ]);
  });
});
