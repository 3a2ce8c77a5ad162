/** What the face method shows: who you are, then the separate consent before any capture. */
import type { Challenge, FieldSpec } from '../kit/index.ts';
import { idNumberField, nameField } from '../kit/fields.ts';

export type FormChallenge = Extract<Challenge, { kind: 'form' }>;

export const detailsForm: FormChallenge = {
  kind: 'form',
  step: 'details',
  title: 'face.detailsTitle',
  fields: [nameField, idNumberField],
  submit: 'face.detailsSubmit',
  note: 'face.detailsNote',
};

export const consentField: FieldSpec = {
  name: 'consent',
  label: 'face.consent',
  type: 'checkbox',
  maxLength: 3,
};

// the separate consent ("单独同意") the law asks for sensitive personal data, in plain words
export const consentForm: FormChallenge = {
  kind: 'form',
  step: 'consent',
  title: 'face.consentTitle',
  fields: [consentField],
  submit: 'face.consentSubmit',
  note: 'face.consentNote',
};
