// test-pass: postgres-redis — runs on the in-process store there too, beside Redis
/**
 * The QR hand-off's record while the city app answers it, against every ephemeral backend: one
 * of many simultaneous answers is taken, and a page polling meanwhile always finds the QR
 * (waiting or answered), never nothing (which would make it give the QR up).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ephemeralBackends } from '../../support/backends.ts';
import type { EphemeralStore } from '../../../src/store/ephemeral.ts';
import { sharedState } from '../../../src/interaction/method-context.ts';
import { answerQr, openQr, readQr, takeQr } from '../../../providers/app-scan/connector.ts';

const approval = { status: 'approved' as const, personId: 'person-1', level: 2 as const, appLevel: 2 as const, amr: ['pwd'] };

for (const backend of ephemeralBackends()) {
  describe(`app-scan answers on ${backend.name}`, () => {
    let store: EphemeralStore;
    before(async () => {
      store = await backend.open();
    });
    after(() => backend.dispose());

    it('takes one of 30 simultaneous answers, and the page takes it once', async () => {
      const shared = sharedState(store, 'app-scan');
      const { token } = await openQr(shared, 'interaction-1', 60);
      const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => answerQr(shared, token, i % 2 ? approval : { status: 'rejected' }, 10)));
      assert.equal(answers.filter(Boolean).length, 1);
      const takes = await Promise.all(Array.from({ length: 30 }, () => takeQr(shared, token)));
      assert.equal(takes.filter((t) => t !== null).length, 1);
      assert.notEqual(takes.find((t) => t !== null)?.status, 'waiting');
    });

    it('never leaves a polling page without the QR while answers are given', async () => {
      const shared = sharedState(store, 'app-scan');
      for (let round = 0; round < 20; round++) {
        const { token } = await openQr(shared, `interaction-${round}`, 60);
        let settled = false;
        const answering = Promise.all(Array.from({ length: 5 }, () => answerQr(shared, token, approval, 10))).finally(() => (settled = true));
        const seen: Array<string | null> = [];
        while (!settled) seen.push((await readQr(shared, token))?.status ?? null);
        await answering;
        seen.push((await readQr(shared, token))?.status ?? null);
        assert.deepEqual(seen.filter((s) => s === null), [], `round ${round}: the page found the QR every time`);
        assert.equal(seen.at(-1), 'approved');
      }
    });
  });
}
