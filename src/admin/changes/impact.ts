/**
 * Which policy changes need a second admin: "four-eyes for high impact; tightening at once".
 * Two documents are compared field by field; each changed field is tightening or loosening by a
 * rule named for the field (a higher level tightens, an enabled method loosens, a shorter OTP
 * loosens, a granted scope loosens, …). A field no rule knows counts as loosening: an unknown
 * change waits for a second admin rather than taking effect unseen.
 */
export type Direction = 'tightens' | 'loosens';

export interface FieldChange {
  /** the field's path in the document, e.g. ['methods', '<method id>', 'level'] */
  path: string[];
  before: unknown;
  after: unknown;
  direction: Direction;
}

type Rule = (before: unknown, after: unknown) => Direction;

const higherTightens: Rule = (b, a) => (typeof b === 'number' && typeof a === 'number' && a > b ? 'tightens' : 'loosens');
const lowerTightens: Rule = (b, a) => (typeof b === 'number' && typeof a === 'number' && a < b ? 'tightens' : 'loosens');
// switching on a capability loosens; switching it off tightens
const offTightens: Rule = (b, a) => (b === true && a === false ? 'tightens' : 'loosens');
const onTightens: Rule = (b, a) => (b === false && a === true ? 'tightens' : 'loosens');
const asSet = (v: unknown): Set<unknown> | null => (Array.isArray(v) ? new Set(v) : null);
/** fewer allowed things tighten (a null or absent list means "all") */
const fewerTightens: Rule = (b, a) => {
  const before = asSet(b);
  const after = asSet(a);
  if (!after) return 'loosens';
  if (!before) return b === null || b === undefined ? 'tightens' : 'loosens';
  return [...after].every((x) => before.has(x)) ? 'tightens' : 'loosens';
};
/** more refused things tighten (the common passwords refused) */
const moreTightens: Rule = (b, a) => {
  const before = asSet(b) ?? new Set();
  const after = asSet(a);
  return after && [...before].every((x) => after.has(x)) ? 'tightens' : 'loosens';
};

/**
 * Rules by field name (the last part of the path), checked in order; names are matched in
 * lower case without separators so `maxAttempts`, `max_attempts` and `attempts` share a rule.
 */
const RULES: ReadonlyArray<[RegExp, Rule]> = [
  [/^enabled$|^enrol$|^kiosk$|^bindable$|^proxy|^firstparty$|^allowpublicsubject$/, offTightens],
  [/^neveralone$|^requireconsent$|^consentrequired$|^escalate$/, onTightens],
  // a rate limit's daily budget of pauses: more tightens, none at all (unbounded) tightens most
  [/^budgetseconds$/, (b, a) => (a === undefined || (typeof a === 'number' && typeof b === 'number' && a > b) ? 'tightens' : 'loosens')],
  // what a success does to the failures counted: clearing them is loosest
  [/^onsuccess$/, (b, a) => (ON_SUCCESS.indexOf(String(a)) > ON_SUCCESS.indexOf(String(b)) ? 'tightens' : 'loosens')],
  [/level$/, higherTightens],
  // lockout: fewer failures before a pause, longer pauses and back-off tighten
  [/failures|^threshold(s)?$|maxattempts|^attempts$|attemptsbefore/, lowerTightens],
  [/backoff|lock(out)?seconds|pauseseconds|^seconds$|factor|multiplier|resend/, higherTightens],
  // codes and passwords: longer tightens; face matching: a higher score tightens
  [/length$|digits$|minscore|matchthreshold|facethreshold|^score$/, higherTightens],
  // lifetimes, ages and rate limits: shorter or fewer tighten
  [/ttl|lifetime|maxauthage|age$|expires|window|limit$|^max|^points$|^requests$|perminute|persecond|perhour/, lowerTightens],
  [/^allowedmethods$|^scopes?$|^grants?$|^claims$|^redirecturis$|^granttypes$/, fewerTightens],
  [/common|refused|blocked|banned|denied|deny/, moreTightens],
];

const ON_SUCCESS = ['clear', 'refund', 'keep'];

const norm = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

function directionOf(path: readonly string[], before: unknown, after: unknown): Direction {
  const name = norm(path[path.length - 1] ?? '');
  // a method's own `threshold` is the match score it asks for (limits count `failures`): asking more is stricter
  if (name === 'threshold' && path[0] === 'methods') return higherTightens(before, after);
  // a rate limit counts failures over its window: a longer window catches more
  if (name === 'windowseconds' && path.some((p) => norm(p) === 'ratelimits')) return higherTightens(before, after);
  for (const [pattern, rule] of RULES) if (pattern.test(name)) return rule(before, after);
  return 'loosens';
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Every changed leaf (arrays count as one value) with its direction. */
export function fieldChanges(before: unknown, after: unknown, path: string[] = []): FieldChange[] {
  if (same(before, after)) return [];
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => fieldChanges(before[k], after[k], [...path, k]));
  }
  // a method removed from the document is a method no longer offered
  if (isObject(before) && after === undefined && path.length === 2 && path[0] === 'methods') return [{ path, before, after, direction: 'tightens' }];
  // an entry added or removed (a department's override) counts field by field against "not set",
  // which the rules read as the loosest value unless they know better (a list of allowed methods)
  if (isObject(after) && before === undefined) return fieldChanges({}, after, path);
  if (isObject(before) && after === undefined) return fieldChanges(before, {}, path);
  return [{ path, before, after, direction: directionOf(path, before, after) }];
}

const show = (v: unknown) => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

/** One readable line per change: `methods.<method id>.level: 2 → 1 (loosens)`. */
export function changeLine(c: FieldChange): string {
  return `${c.path.join('.')}: ${show(c.before)} → ${show(c.after)} (${c.direction})`;
}

/** A policy change needs a second admin unless every field it changes tightens. */
export function assessPolicyChange(before: unknown, after: unknown): { needsApproval: boolean; changes: FieldChange[] } {
  const changes = fieldChanges(before, after);
  return { needsApproval: changes.some((c) => c.direction === 'loosens'), changes };
}
