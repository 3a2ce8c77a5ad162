/** The four elements of a synthetic citizen's active card, as the bank-card form takes them. */
import { citizen } from '../../../src/sandbox/citizens.ts';
import { bankCardOf } from '../../../providers/bank-card/sandbox.ts';

export function fourElements(key: string, over: Partial<Record<'name' | 'id_number' | 'card_number' | 'phone', string>> = {}) {
  const c = citizen(key);
  return { name: c.name, id_number: c.idNumber, card_number: bankCardOf(key), phone: c.phone!, ...over };
}
