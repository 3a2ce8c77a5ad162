/**
 * Audit for auditors: search by type (exact and prefix), time range, actor, department and
 * citizen (ID number → blind index), paging; CSV and JSON exports (the same rows, the export
 * itself audited); the chain verified with its head and an anchor; other roles refused.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { startStack, type Stack } from '../support/stack.ts';
import { addClient, type TestClient } from '../support/clients.ts';
import { authUrl, Browser } from '../support/browser.ts';
import { enrolCitizen, passwordLogin } from '../support/login.ts';
import { adminConsole, adminToken, createAdmin, type AdminConsole } from '../support/admin.ts';

const password = 'Audit2026search';

describe('audit: search, export, verify', () => {
  let stack: Stack;
  let dept: TestClient;
  let idNumber: string;
  let auditor: string;
  let helpdeskActor: string;
  let page: AdminConsole;
  const get = (path: string, token = auditor) => request(stack.issuer).get(path).set('Authorization', `Bearer ${token}`);

  before(async () => {
    stack = await startStack();
    dept = await addClient(stack, 'dept-audit');
    idNumber = (await enrolCitizen(stack, 'wang-fang', password)).idNumber;
    const b = new Browser(stack.issuer);
    const req = authUrl(dept.clientId, dept.redirectUri, { scope: 'openid' });
    const signed = await passwordLogin(b, (await b.open(req.url)).text, idNumber, password);
    if (/consent/.test(signed.text)) await b.submit(signed.text, /consent/, { decision: 'allow' });
    const hd = await createAdmin(stack, 'zhang-wei', ['helpdesk', 'auditor']);
    helpdeskActor = hd.actorId;
    page = await adminConsole(stack, 'zhang-wei');
    const looked = await page.api.post('/admin/api/helpdesk/lookups').send({ id_number: idNumber, reason: 'audit test' });
    assert.equal(looked.status, 201, looked.text);
    auditor = (await adminToken(stack, ['auditor'])).token;
  });
  after(async () => {
    await dept?.rp.close();
    await stack?.close();
  });

  type Rec = { seq: string; at: string; type: string; subject_index: string | null; client_id: string | null; data: Record<string, unknown> };
  const search = async (query: string): Promise<{ records: Rec[]; next_before: string | null }> => {
    const res = await get(`/admin/api/audit/events?${query}`);
    assert.equal(res.status, 200, res.text);
    return res.body;
  };

  it('filters by type, prefix, department, actor, citizen and time, and pages by seq', async () => {
    const logins = await search('type=login.succeeded');
    assert.ok(logins.records.length >= 1);
    assert.ok(logins.records.every((r) => r.type === 'login.succeeded'));
    const clients = await search('type=client.*');
    assert.ok(clients.records.length >= 2 && clients.records.every((r) => r.type.startsWith('client.')), 'prefix');
    const byDept = await search(`client=${dept.clientId}`);
    assert.ok(byDept.records.length >= 2 && byDept.records.every((r) => r.client_id === dept.clientId));
    const byActor = await search(`actor=${encodeURIComponent(helpdeskActor)}`);
    assert.ok(byActor.records.some((r) => r.type === 'helpdesk.looked_up'));
    assert.ok(byActor.records.every((r) => r.data.actorId === helpdeskActor));
    const citizenRes = await get(`/admin/api/audit/events?citizen=${idNumber}`);
    const byCitizen = citizenRes.body as { records: Rec[] };
    const index = stack.ctx.cipher.blindIndex('id_number', idNumber);
    assert.ok(byCitizen.records.length >= 3, 'enrolled, signed in, looked up');
    assert.ok(byCitizen.records.every((r) => r.subject_index === index));
    assert.equal(citizenRes.text.includes(idNumber), false, 'the number is not sent back');
    assert.equal((await search('from=2099-01-01T00:00:00Z')).records.length, 0);
    assert.equal((await search('to=2000-01-01T00:00:00Z')).records.length, 0);
    const all = await search('limit=200');
    const first = await search('limit=2');
    assert.equal(first.records.length, 2);
    assert.ok(first.next_before);
    const second = await search(`limit=2&before=${first.next_before}`);
    assert.deepEqual(second.records.map((r) => r.seq), all.records.slice(2, 4).map((r) => r.seq), 'the next page continues where the first ended');
  });

  it('refuses malformed filters with a stable code in both languages, and other roles', async () => {
    for (const q of ['type=DROP%20TABLE', 'from=yesterday', 'limit=0', 'limit=1000', 'before=abc', 'actor=%27%20OR%201%3D1']) {
      const res = await get(`/admin/api/audit/events?${q}`);
      assert.equal(res.status, 400, q);
      assert.equal(res.body.error, 'admin_audit_filter_invalid', q);
      assert.ok(res.body.message['zh-CN'] && res.body.message.en);
    }
    const badCitizen = await get('/admin/api/audit/events?citizen=123');
    assert.equal(badCitizen.status, 400);
    assert.equal(badCitizen.body.error, 'id_number_malformed');
    const helpdesk = (await adminToken(stack, ['helpdesk'])).token;
    assert.equal((await get('/admin/api/audit/events', helpdesk)).status, 403);
    assert.equal((await get('/admin/api/audit/export?format=csv', helpdesk)).status, 403);
  });

  it('exports the same rows as CSV and JSON, and records the export', async () => {
    const found = (await search(`client=${dept.clientId}&limit=200`)).records;
    const csv = await get(`/admin/api/audit/export?format=csv&client=${dept.clientId}`);
    assert.equal(csv.status, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    assert.match(String(csv.headers['content-disposition']), /attachment; filename="audit-.*\.csv"/);
    const lines = csv.text.trimEnd().split('\r\n');
    assert.equal(lines[0], 'seq,at,type,subject_index,client_id,source,data');
    assert.deepEqual(lines.slice(1).map((l) => l.split(',')[0]), found.map((r) => r.seq));
    const json = await get(`/admin/api/audit/export?format=json&client=${dept.clientId}`).buffer(true).parse((res, cb) => {
      let s = '';
      res.on('data', (c: Buffer) => (s += c.toString()));
      res.on('end', () => cb(null, s));
    });
    assert.equal(json.status, 200);
    const rows = JSON.parse(json.body as string) as Rec[];
    assert.deepEqual(rows.map((r) => r.seq), found.map((r) => r.seq));
    assert.deepEqual(rows[0]!.data, found[0]!.data);
    const bad = await get('/admin/api/audit/export?format=xml');
    assert.equal(bad.status, 400);
    const exports = (await search('type=audit.exported')).records;
    assert.equal(exports.length, 2, 'each export is on the record');
    assert.deepEqual(exports.map((r) => r.data.format).sort(), ['csv', 'json']);
    assert.ok(exports.every((r) => r.data.rows === found.length && (r.data.filters as Record<string, string>).client === dept.clientId));
  });

  it('verifies the chain, gives its head, and checks an anchor recorded earlier', async () => {
    const v = await get('/admin/api/audit/verify');
    assert.equal(v.status, 200);
    assert.equal(v.body.ok, true);
    assert.ok(v.body.checked > 5);
    const head = v.body.head as { seq: string; hash: string };
    assert.ok(head.seq && head.hash);
    const anchored = await get(`/admin/api/audit/verify?anchor_seq=${head.seq}&anchor_hash=${encodeURIComponent(head.hash)}`);
    assert.equal(anchored.body.anchor, 'found');
    const forged = await get(`/admin/api/audit/verify?anchor_seq=${head.seq}&anchor_hash=${'A'.repeat(43)}`);
    assert.equal(forged.body.ok, false);
    assert.equal(forged.body.anchor, 'changed');
    const half = await get(`/admin/api/audit/verify?anchor_seq=${head.seq}`);
    assert.equal(half.status, 400);
  });

  it('serves the same from the console page, without script', async () => {
    const res = await page.open(`/admin/audit?type=login.succeeded&client=${dept.clientId}`);
    assert.equal(res.status, 200);
    assert.match(res.text, /login\.succeeded/);
    assert.match(res.text, /href="\/admin\/api\/audit\/export\?type=login.succeeded&amp;client=dept-audit&amp;format=csv"/);
    const checked = await page.open('/admin/audit/verify?lang=en');
    assert.match(checked.text, /The chain is sound/);
  });
});
