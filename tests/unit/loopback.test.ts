import { isLoopback } from '../../src/channels/botframework';

describe('isLoopback (who the Emulator mode of /api/messages accepts)', () => {
  it.each(['127.0.0.1', '127.8.9.10', '::1', '[::1]', '::ffff:127.0.0.1', 'localhost', 'LOCALHOST'])('accepts %s', (address) => {
    expect(isLoopback(address)).toBe(true);
  });
  it.each(['10.0.0.7', '192.168.1.2', '::ffff:10.0.0.1', '0.0.0.0', '::', '128.0.0.1', '127.0.0.1.example.org', 'localhost.example.org', '', undefined])('refuses %s', (address) => {
    expect(isLoopback(address)).toBe(false);
  });
});
