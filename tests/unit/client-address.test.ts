/** Who a request comes from: the connection, unless it is a trusted proxy's; X-Forwarded-For read from the right. */
import { loadConfig } from '../../src/config';
import { clientAddressResolver } from '../../src/http/client-address';

const req = (remoteAddress: string, xff?: string | string[]) => ({ socket: { remoteAddress } as never, headers: xff === undefined ? {} : { 'x-forwarded-for': xff } });

describe('client address', () => {
  it('is the connection\'s address when no proxy is trusted, whatever X-Forwarded-For says', () => {
    const of = clientAddressResolver();
    expect(of(req('198.51.100.7', '203.0.113.9'))).toBe('198.51.100.7');
    expect(of(req('::ffff:198.51.100.7'))).toBe('198.51.100.7');
  });

  it('is read from X-Forwarded-For only on a connection from a trusted proxy', () => {
    const of = clientAddressResolver(['10.0.0.2', '10.0.0.3']);
    expect(of(req('10.0.0.2', '203.0.113.9'))).toBe('203.0.113.9');
    expect(of(req('::ffff:10.0.0.2', '203.0.113.9'))).toBe('203.0.113.9');
    // A client that is not a proxy cannot choose its address.
    expect(of(req('198.51.100.7', '203.0.113.9'))).toBe('198.51.100.7');
    // Without the header, the proxy itself.
    expect(of(req('10.0.0.2'))).toBe('10.0.0.2');
  });

  it('takes the nearest untrusted hop, so entries a client wrote itself further left count for nothing', () => {
    const of = clientAddressResolver(['10.0.0.2', '10.0.0.3']);
    // The client sent "X-Forwarded-For: 1.2.3.4"; the outer proxy appended the address it saw, then the inner one.
    expect(of(req('10.0.0.2', '1.2.3.4, 203.0.113.9, 10.0.0.3'))).toBe('203.0.113.9');
    expect(of(req('10.0.0.2', ['1.2.3.4', '203.0.113.9']))).toBe('203.0.113.9');
    expect(of(req('10.0.0.2', '2001:db8::1'))).toBe('2001:db8::1');
    // Garbage where an address should be: the proxy's own address, never the garbage.
    expect(of(req('10.0.0.2', 'rate|x|1, not-an-ip'))).toBe('10.0.0.2');
    expect(of(req('10.0.0.2', ''))).toBe('10.0.0.2');
    expect(of(req('10.0.0.2', '10.0.0.3'))).toBe('10.0.0.2');
  });
});

describe('TRUSTED_PROXIES', () => {
  it('is empty by default and reads a comma-separated list of addresses', () => {
    expect(loadConfig({}).trustedProxies).toEqual([]);
    expect(loadConfig({ TRUSTED_PROXIES: '10.0.0.2, 10.0.0.3,::1' }).trustedProxies).toEqual(['10.0.0.2', '10.0.0.3', '::1']);
  });

  it('refuses anything that is not an address', () => {
    expect(() => loadConfig({ TRUSTED_PROXIES: '10.0.0.0/8' })).toThrow(/TRUSTED_PROXIES/);
    expect(() => loadConfig({ TRUSTED_PROXIES: 'proxy.local' })).toThrow(/TRUSTED_PROXIES/);
  });
});
