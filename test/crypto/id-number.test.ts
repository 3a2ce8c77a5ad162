// test-pass: embedded — pure parsing, no store
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { makeIdNumber, maskIdNumber, parseIdNumber } from '../../src/crypto/id-number.ts';

function failure(raw: string): string {
  const r = parseIdNumber(raw);
  assert.equal(r.ok, false, `${raw} should be refused`);
  return r.ok ? '' : r.code;
}

describe('parseIdNumber', () => {
  it('accepts a valid number and derives birth date, gender and region', () => {
    const r = parseIdNumber('310101198503122319');
    assert.deepEqual(r, {
      ok: true,
      value: { idNumber: '310101198503122319', birthdate: '1985-03-12', gender: 'male', regionCode: '310101' },
    });
  });

  it('accepts an X check digit (the standard\'s own example)', () => {
    const r = parseIdNumber('11010519491231002X');
    assert.ok(r.ok);
    assert.equal(r.value.gender, 'female');
    assert.equal(r.value.birthdate, '1949-12-31');
  });

  it('accepts a lower-case x and surrounding spaces, and normalises them', () => {
    const r = parseIdNumber('  11010519491231002x ');
    assert.ok(r.ok);
    assert.equal(r.value.idNumber, '11010519491231002X');
  });

  it('refuses numbers of the wrong shape as malformed', () => {
    for (const raw of ['', '31010119850312231', '3101011985031223190', '31010119850312231Y', 'X10101198503122319', '3101011985031223X9', '３10101198503122319', '31010119850312 319']) {
      assert.equal(failure(raw), 'id_number_malformed', raw);
    }
  });

  it('refuses a wrong check digit', () => {
    assert.equal(failure('310101198503122318'), 'id_number_checksum');
    assert.equal(failure('110105194912310021'), 'id_number_checksum');
  });

  it('refuses unknown provinces and an all-zero prefecture and county', () => {
    assert.equal(failure(makeLike('990101', '19850312', '231')), 'id_number_region');
    assert.equal(failure(makeLike('100101', '19850312', '231')), 'id_number_region');
    assert.equal(failure(makeLike('310000', '19850312', '231')), 'id_number_region');
  });

  it('accepts leap days only in leap years', () => {
    assert.ok(parseIdNumber(makeIdNumber('310105', '1988-02-29', 64)).ok);
    assert.ok(parseIdNumber(makeIdNumber('310105', '2000-02-29', 64)).ok);
    assert.equal(failure(makeLike('310105', '19890229', '064')), 'id_number_birthdate');
    assert.equal(failure(makeLike('310105', '19000229', '064')), 'id_number_birthdate');
  });

  it('refuses impossible dates and dates before 1900', () => {
    assert.equal(failure(makeLike('310101', '19851301', '231')), 'id_number_birthdate');
    assert.equal(failure(makeLike('310101', '19850431', '231')), 'id_number_birthdate');
    assert.equal(failure(makeLike('310101', '19850000', '231')), 'id_number_birthdate');
    assert.equal(failure(makeLike('310101', '18991231', '231')), 'id_number_birthdate');
    assert.ok(parseIdNumber(makeIdNumber('310101', '1900-01-01', 231)).ok);
  });

  it('refuses a birth date in the future', () => {
    const next = new Date();
    next.setDate(next.getDate() + 1);
    const ymd = `${next.getFullYear()}${String(next.getMonth() + 1).padStart(2, '0')}${String(next.getDate()).padStart(2, '0')}`;
    assert.equal(failure(makeLike('310101', ymd, '231')), 'id_number_birthdate');
    const today = new Date();
    const t = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
    assert.ok(parseIdNumber(makeIdNumber('310101', t, 231)).ok, 'born today is allowed');
  });

  it('reads gender from the parity of the 17th digit', () => {
    const male = parseIdNumber(makeIdNumber('310104', '1990-07-21', 441));
    const female = parseIdNumber(makeIdNumber('310104', '1990-07-21', 442));
    assert.ok(male.ok && female.ok);
    assert.equal(male.value.gender, 'male');
    assert.equal(female.value.gender, 'female');
  });
});

describe('makeIdNumber', () => {
  it('builds numbers that parse back to their parts', () => {
    const id = makeIdNumber('310115', '1979-08-23', 8);
    assert.equal(id, '31011519790823008X');
    const r = parseIdNumber(id);
    assert.ok(r.ok);
    assert.deepEqual(r.value, { idNumber: id, birthdate: '1979-08-23', gender: 'female', regionCode: '310115' });
  });

  it('refuses parts that cannot form a valid number', () => {
    assert.throws(() => makeIdNumber('3101', '1985-03-12', 1), RangeError);
    assert.throws(() => makeIdNumber('310101', '1985-02-30', 1), RangeError);
    assert.throws(() => makeIdNumber('310101', '1985-03-12', 1000), RangeError);
  });
});

describe('maskIdNumber', () => {
  it('shows the first 3 and last 2 characters only', () => {
    assert.equal(maskIdNumber('11010519491231002X'), '110*************2X');
  });
});

/** A number with the given parts and a correct check digit, even when the parts are invalid. */
function makeLike(region: string, ymd: string, seq: string): string {
  const first17 = region + ymd + seq;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * weights[i]!;
  return first17 + '10X98765432'[sum % 11];
}
