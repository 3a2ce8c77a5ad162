/** The device summary the account page shows for a session: browser and system families only. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDeviceSummary, summariseDevice } from '../../src/oidc/device-summary.ts';

describe('device summary', () => {
  const cases: Array<[string, string | null, string | null]> = [
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', 'Chrome', 'Windows'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0', 'Edge', 'Windows'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1', 'Safari', 'iOS'],
    ['Mozilla/5.0 (Linux; Android 14; V2309A) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 MicroMessenger/8.0.47', 'WeChat', 'Android'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:133.0) Gecko/20100101 Firefox/133.0', 'Firefox', 'macOS'],
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36', 'Chrome', 'Linux'],
    ['curl/8.5.0', null, null],
  ];
  for (const [ua, browser, os] of cases) {
    it(`reads ${browser ?? 'no browser'} on ${os ?? 'no system'}`, () => {
      assert.deepEqual(summariseDevice(ua), { browser, os });
    });
  }

  it('keeps nothing without a user agent, and reads back what it stored', () => {
    assert.deepEqual(summariseDevice(undefined), { browser: null, os: null });
    assert.deepEqual(parseDeviceSummary(JSON.stringify({ browser: 'Chrome', os: 'Android' })), { browser: 'Chrome', os: 'Android' });
    assert.equal(parseDeviceSummary('not json'), null);
    assert.deepEqual(parseDeviceSummary('{"browser":5}'), { browser: null, os: null });
  });
});
