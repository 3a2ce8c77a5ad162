/**
 * A kiosk's user code is confirmed by counter staff only: a link to /device with the code, or a
 * hand-made confirmation posted there, starts no sign-in for the kiosk, and the kiosk keeps
 * waiting.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { startStack, type Stack } from '../support/stack.ts';
import { Browser } from '../support/browser.ts';
import { addKiosk } from '../support/clients.ts';

const KIOSK = 'hall-kiosk-7';
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

describe('kiosk codes at /device', () => {
  let stack: Stack;

  before(async () => {
    stack = await startStack();
    await addKiosk(stack, KIOSK, { name: 'Kiosk 7' });
  });
  after(async () => stack?.close());

  it('cannot be confirmed through a link or a posted form: the kiosk keeps waiting for the counter', async () => {
    const dev = await request(stack.issuer).post('/device/auth').type('form').send({ client_id: KIOSK, scope: 'openid' });
    assert.equal(dev.status, 200, dev.text);
    const { device_code, user_code } = dev.body as { device_code: string; user_code: string };

    const victim = new Browser(stack.issuer);
    const link = await victim.agent.get(`/device?user_code=${encodeURIComponent(user_code)}`).redirects(0);
    assert.equal(link.status, 303);
    assert.equal(link.headers.location, '/device');
    const page = await victim.open('/device');
    assert.equal(page.status, 200);
    assert.match(page.text, /窗口工作人员/, 'the page says kiosk codes are confirmed at the counter');
    assert.doesNotMatch(page.text, /name="xsrf"/, 'and offers no confirmation form');

    for (const body of [{ user_code, confirm: 'yes' }, { xsrf: 'a'.repeat(48), user_code, confirm: 'yes' }, { user_code, abort: 'yes' }]) {
      const posted = await victim.agent.post('/device').type('form').send(body).redirects(0);
      assert.equal(posted.status, 303);
      assert.equal(posted.headers.location, '/device');
    }
    const resume = await victim.agent.get('/device/some-interaction-uid').redirects(0);
    assert.equal(resume.status, 303);
    assert.equal(resume.headers.location, '/device');

    const poll = await request(stack.issuer).post('/token').type('form').send({ grant_type: DEVICE_GRANT, device_code, client_id: KIOSK });
    assert.equal(poll.status, 400);
    assert.equal(poll.body.error, 'authorization_pending', 'neither confirmed nor refused');
  });
});
