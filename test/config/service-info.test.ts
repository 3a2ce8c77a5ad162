/** Who runs the service, the help line and the chooser's first ways: validated, overridable by the environment. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadServiceInfo, parseServiceInfo } from '../../src/config/service-info.ts';
import { ConfigError } from '../../src/errors.ts';

const file = { operator: { 'zh-CN': '市数据局', en: 'City Data Bureau' }, helpPhone: '12345', firstMethods: ['a', 'b'] };

describe('service information', () => {
  it('reads config/service.json as shipped', () => {
    const info = loadServiceInfo({});
    assert.ok(info.operator['zh-CN'].length >= 2 && info.operator.en.length >= 2);
    assert.match(info.helpPhone, /^\+?[0-9][0-9 -]+$/);
    assert.ok(info.firstMethods.length >= 3 && info.firstMethods.length <= 4, 'three or four ways first');
  });

  it('takes the environment over the file', () => {
    const info = parseServiceInfo(file, { SERVICE_OPERATOR_EN: 'Harbour City Data Office', HELP_PHONE: '021-12345678', CHOOSER_FIRST: 'x, y,z' });
    assert.equal(info.operator.en, 'Harbour City Data Office');
    assert.equal(info.operator['zh-CN'], '市数据局');
    assert.equal(info.helpPhone, '021-12345678');
    assert.deepEqual(info.firstMethods, ['x', 'y', 'z']);
  });

  it('stops start-up on a help number that cannot be dialled, naming the field', () => {
    assert.throws(() => parseServiceInfo(file, { HELP_PHONE: 'call us' }), (e: unknown) => e instanceof ConfigError && /helpPhone/.test(e.message));
    assert.throws(() => parseServiceInfo({ ...file, operator: { 'zh-CN': '市' } }, {}), (e: unknown) => e instanceof ConfigError && /operator/.test(e.message));
    assert.throws(() => parseServiceInfo({ ...file, firstMethods: [] }, {}), ConfigError);
  });
});
