/**
 * Synthetic citizens known to every sandbox authority. Deterministic, so tests and demos
 * can name them; ID numbers are valid GB 11643 numbers built from the fields below.
 */
import { makeIdNumber } from '../crypto/id-number.ts';

/**
 * What the sandbox knows about a person. Authorities added later (bank cards, social-security
 * cards, Alipay ids, …) append optional fields here and fill them in the seed table below,
 * or keep their own table keyed by `key`.
 */
export interface Citizen {
  /** Stable handle for tests and other sandbox tables, e.g. 'zhang-wei'. */
  readonly key: string;
  readonly name: string;
  readonly idNumber: string;
  readonly birthdate: string;
  readonly gender: 'male' | 'female';
  readonly regionCode: string;
  /** Mobile number on record; null for people who have none. */
  readonly phone: string | null;
}

type Seed = Omit<Citizen, 'idNumber' | 'gender'> & { readonly seq: number };

// Sequence parity fixes gender (odd = male). li-na's number ends in X, chen-jing was born on a
// leap day, sun-guilan is elderly and has no phone: tests rely on these.
const SEEDS: readonly Seed[] = [
  { key: 'zhang-wei', name: '张伟', regionCode: '310101', birthdate: '1985-03-12', seq: 231, phone: '13912345678' },
  { key: 'wang-fang', name: '王芳', regionCode: '310104', birthdate: '1990-07-21', seq: 442, phone: '13800138000' },
  { key: 'li-na', name: '李娜', regionCode: '310115', birthdate: '1979-08-23', seq: 8, phone: '13661234567' },
  { key: 'liu-yang', name: '刘洋', regionCode: '310106', birthdate: '1995-11-02', seq: 117, phone: '15021098765' },
  { key: 'chen-jing', name: '陈静', regionCode: '310105', birthdate: '1988-02-29', seq: 64, phone: '18621553322' },
  { key: 'yang-lei', name: '杨磊', regionCode: '310110', birthdate: '1972-05-30', seq: 355, phone: '13764448899' },
  { key: 'zhao-min', name: '赵敏', regionCode: '310112', birthdate: '2001-09-15', seq: 26, phone: '17721006543' },
  { key: 'huang-qiang', name: '黄强', regionCode: '310113', birthdate: '1966-12-08', seq: 771, phone: '13301776655' },
  { key: 'zhou-xiuying', name: '周秀英', regionCode: '310109', birthdate: '1952-04-17', seq: 180, phone: '13918887766' },
  { key: 'wu-haoran', name: '吴浩然', regionCode: '310115', birthdate: '2004-06-01', seq: 93, phone: '19512340001' },
  { key: 'xu-li', name: '徐丽', regionCode: '310107', birthdate: '1983-10-10', seq: 508, phone: '15800001111' },
  { key: 'sun-guilan', name: '孙桂兰', regionCode: '310101', birthdate: '1938-01-26', seq: 42, phone: null },
  { key: 'ma-jun', name: '马骏', regionCode: '310104', birthdate: '1999-12-31', seq: 9, phone: '16621887700' },
  { key: 'ouyang-xue', name: '欧阳雪', regionCode: '310118', birthdate: '1993-03-08', seq: 614, phone: '18917770123' },
];

export const CITIZENS: readonly Citizen[] = Object.freeze(
  SEEDS.map(({ seq, ...rest }) =>
    Object.freeze({
      ...rest,
      idNumber: makeIdNumber(rest.regionCode, rest.birthdate, seq),
      gender: seq % 2 === 1 ? ('male' as const) : ('female' as const),
    }),
  ),
);

const byId = new Map(CITIZENS.map((c) => [c.idNumber, c]));
const byPhone = new Map(CITIZENS.filter((c) => c.phone !== null).map((c) => [c.phone as string, c]));
const byKey = new Map(CITIZENS.map((c) => [c.key, c]));

/** Exact match on a normalised ID number (upper-case X). */
export function findCitizenById(idNumber: string): Citizen | undefined {
  return byId.get(idNumber.trim().toUpperCase());
}

export function findCitizenByPhone(phone: string): Citizen | undefined {
  return byPhone.get(phone.trim());
}

/** For tests and other sandbox tables; throws on an unknown key so typos fail loudly. */
export function citizen(key: string): Citizen {
  const c = byKey.get(key);
  if (!c) throw new Error(`no sandbox citizen '${key}'`);
  return c;
}
