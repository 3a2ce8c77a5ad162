/** Bank card numbers: 16–19 digits whose last digit is the Luhn (ISO/IEC 7812) check digit. */

/** Spaces and hyphens people type between groups are dropped; anything else is kept for the checks. */
export function normaliseCardNumber(raw: string): string {
  return raw.replace(/[\s-]/g, '');
}

export function cardShapeOk(card: string): boolean {
  return /^\d{16,19}$/.test(card);
}

function luhnSum(digits: string, withCheckDigit: boolean): number {
  let sum = 0;
  for (let i = digits.length - 1, n = withCheckDigit ? 0 : 1; i >= 0; i--, n++) {
    let d = digits.charCodeAt(i) - 48;
    if (n % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum;
}

export function luhnValid(card: string): boolean {
  return /^\d+$/.test(card) && luhnSum(card, true) % 10 === 0;
}

/** The check digit that makes `body` + digit Luhn-valid (for building test cards). */
export function luhnCheckDigit(body: string): string {
  return String((10 - (luhnSum(body, false) % 10)) % 10);
}

/** For evidence and pages: the last four digits only. */
export function maskCard(card: string): string {
  return `**** ${card.slice(-4)}`;
}
