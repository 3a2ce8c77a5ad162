/** What every method's definition carries, checked across the registry (one place, every method). */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../src/config/env.ts';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFINITIONS } from '../../providers/registry.ts';
import { SANDBOXES } from '../../providers/sandboxes.ts';
import { isMessageKey, statusOf } from '../../src/i18n/messages.ts';
import { t } from '../../src/i18n/ui.ts';

const env = { authoritiesUrl: 'http://127.0.0.1:9', issuer: 'http://127.0.0.1:8', timeoutMs: 500, production: false };

describe('method definitions', () => {
  it('lists every method folder once, under its folder name', () => {
    const folders = readdirSync(path.join(REPO_ROOT, 'providers'), { withFileTypes: true })
      .filter((e) => e.isDirectory() && e.name !== 'kit')
      .map((e) => e.name)
      .sort();
    assert.deepEqual(DEFINITIONS.map((d) => d.id).sort(), folders);
  });

  it('mounts no sandbox that belongs to no method', () => {
    const names = new Set(DEFINITIONS.map((d) => d.authority));
    assert.deepEqual(SANDBOXES.map((s) => s.authority).filter((a) => !names.has(a)), []);
  });

  for (const d of DEFINITIONS) {
    describe(d.id, () => {
      it('is off until configuration turns it on', () => {
        assert.equal(d.configSchema.parse({}).enabled, false);
      });

      it('names the factor of each amr value it yields, and where it may be offered', () => {
        const m = d.create(d.configSchema.parse({ enabled: true }), env);
        assert.equal(m.id, d.id);
        for (const a of m.amr) {
          if (a === 'mfa' || a === 'user') continue; // a combination and a staff check are no single factor
          assert.ok(['know', 'have', 'are'].includes(m.factors[a]!), `${d.id}: amr ${a} has no factor`);
        }
        assert.equal(typeof (m.kiosk ?? false), 'boolean');
      });

      it('brings its messages in both languages into the one catalogue, with their statuses', () => {
        for (const [code, text] of Object.entries(d.messages.messages)) {
          assert.ok(isMessageKey(code), `${code} is not in the catalogue`);
          assert.equal(t('zh-CN', code as never), text['zh-CN']);
          assert.equal(t('en', code as never), text.en);
          assert.ok(text['zh-CN'].length > 0 && text.en.length > 0);
        }
        for (const [code, status] of Object.entries(d.messages.statuses)) {
          assert.ok(Object.hasOwn(d.messages.messages, code), `status for ${code}, which is not its own code`);
          assert.ok(status >= 400 && status < 500, `${code}: ${status}`);
          assert.equal(statusOf(code as never), status);
        }
      });

      it('gives its authority the one name its sandbox is mounted under', () => {
        const sandbox = SANDBOXES.find((s) => s.authority === d.authority);
        if (d.authority === undefined || d.authority === 'sms') {
          // no authority of its own (or the core's SMS gateway): no simulator of its own either
          assert.equal(sandbox, undefined);
        } else {
          assert.ok(sandbox, `${d.id}: no sandbox is mounted as "${d.authority}"`);
        }
      });
    });
  }
});
