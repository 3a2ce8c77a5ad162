/**
 * Resident ID numbers (GB 11643-1999): 6-digit region, 8-digit birth date, 3-digit sequence
 * (odd = male), and an ISO 7064 MOD 11-2 check character.
 * Runs on every login, so it walks the characters once with no regex and no intermediate arrays.
 */

export type IdNumberError = 'id_number_malformed' | 'id_number_checksum' | 'id_number_birthdate' | 'id_number_region';

export interface IdNumberInfo {
  /** Normalised: trimmed, final x upper-cased. */
  idNumber: string;
  /** YYYY-MM-DD */
  birthdate: string;
  gender: 'male' | 'female';
  regionCode: string;
}

export type ParsedIdNumber = { ok: true; value: IdNumberInfo } | { ok: false; code: IdNumberError };

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

// Province-level codes in use (GB/T 2260), including Taiwan (71), Hong Kong (81) and Macau (82).
const PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63,
  64, 65, 71, 81, 82,
]);

const CODE_0 = 48;

function digitAt(s: string, i: number): number {
  return s.charCodeAt(i) - CODE_0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function todayYmd(): number {
  const now = new Date();
  return now.getFullYear() * 10000 + (now.getMonth() + 1) * 100 + now.getDate();
}

function checkChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += digitAt(first17, i) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

export function parseIdNumber(raw: string): ParsedIdNumber {
  let s = raw.trim();
  if (s.length !== 18) return { ok: false, code: 'id_number_malformed' };
  for (let i = 0; i < 17; i++) {
    const d = digitAt(s, i);
    if (d < 0 || d > 9) return { ok: false, code: 'id_number_malformed' };
  }
  const last = s.charCodeAt(17);
  if (last === 120 /* x */) s = s.slice(0, 17) + 'X';
  else if (last !== 88 /* X */ && (last < CODE_0 || last > CODE_0 + 9)) return { ok: false, code: 'id_number_malformed' };

  const province = digitAt(s, 0) * 10 + digitAt(s, 1);
  if (!PROVINCES.has(province) || s.startsWith('0000', 2)) return { ok: false, code: 'id_number_region' };

  let year = 0;
  for (let i = 6; i < 10; i++) year = year * 10 + digitAt(s, i);
  const month = digitAt(s, 10) * 10 + digitAt(s, 11);
  const day = digitAt(s, 12) * 10 + digitAt(s, 13);
  if (year < 1900 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return { ok: false, code: 'id_number_birthdate' };
  }
  if (year * 10000 + month * 100 + day > todayYmd()) return { ok: false, code: 'id_number_birthdate' };

  let sum = 0;
  for (let i = 0; i < 17; i++) sum += digitAt(s, i) * WEIGHTS[i]!;
  if (s[17] !== CHECK_CHARS[sum % 11]) return { ok: false, code: 'id_number_checksum' };

  return {
    ok: true,
    value: {
      idNumber: s,
      birthdate: `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`,
      gender: digitAt(s, 16) % 2 === 1 ? 'male' : 'female',
      regionCode: s.slice(0, 6),
    },
  };
}

/**
 * Builds a valid number from a region, a YYYY-MM-DD birth date and a sequence 0–999
 * (odd = male). For synthetic citizens and tests; throws on inputs that cannot form one.
 */
export function makeIdNumber(region6: string, birthdate: string, seq3: number): string {
  if (!/^\d{6}$/.test(region6)) throw new RangeError('region must be 6 digits');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(birthdate)) throw new RangeError('birthdate must be YYYY-MM-DD');
  if (!Number.isInteger(seq3) || seq3 < 0 || seq3 > 999) throw new RangeError('sequence must be 0–999');
  const first17 = region6 + birthdate.replaceAll('-', '') + String(seq3).padStart(3, '0');
  const id = first17 + checkChar(first17);
  const parsed = parseIdNumber(id);
  if (!parsed.ok) throw new RangeError(`cannot build an ID number: ${parsed.code}`);
  return id;
}

/** For display: first 3 and last 2 characters, the rest hidden. */
export function maskIdNumber(id: string): string {
  const s = id.trim();
  if (s.length <= 5) return '*'.repeat(s.length);
  return s.slice(0, 3) + '*'.repeat(s.length - 5) + s.slice(-2);
}
