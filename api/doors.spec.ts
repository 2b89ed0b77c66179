import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { clientAddress, publicOrigin, type DoorSettings } from './doors.ts';

const ask = async (settings: DoorSettings, headers: Record<string, string> = {}) => {
  const app = new Hono().get('/', (c) => c.json({ origin: publicOrigin(c, settings), address: clientAddress(c, settings) }));
  return (await app.request('http://10.1.2.3:3000/', { headers })).json() as Promise<{ origin: string; address: string }>;
};
const proxyHeaders = { 'x-forwarded-for': '203.0.113.9, 198.51.100.7', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'crm.example.cn' };

describe('the booth QR address and the rate-limited client', () => {
  it('points the QR code at PUBLIC_URL when set, without a trailing slash', async () => {
    expect((await ask({ boothPerMinute: 20, trustProxy: false, publicUrl: 'https://leads.example.cn/' })).origin).toBe('https://leads.example.cn');
  });

  it('otherwise at the address the admin reached, ignoring forwarded headers unless the proxy is trusted', async () => {
    const direct = await ask({ boothPerMinute: 20, trustProxy: false }, proxyHeaders);
    expect(direct.origin).toBe('http://10.1.2.3:3000');
    expect(direct.address).not.toContain('203.0.113.9');
    const proxied = await ask({ boothPerMinute: 20, trustProxy: true }, proxyHeaders);
    expect(proxied.origin).toBe('https://crm.example.cn');
    // The entry the trusted proxy added, not what the client claimed first.
    expect(proxied.address).toBe('198.51.100.7');
  });
});
