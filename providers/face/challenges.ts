/** What the face method shows: who you are, then the separate consent before any capture. */
import type { Challenge, FieldSpec } from '../kit/index.ts';
import { idNumberField, nameField } from '../kit/fields.ts';

export type FormChallenge = Extract<Challenge, { kind: 'form' }>;

export const detailsForm: FormChallenge = {
  kind: 'form',
  step: 'details',
  title: { 'zh-CN': '人脸识别登录', en: 'Sign in with a face check' },
  fields: [nameField, idNumberField],
  submit: { 'zh-CN': '下一步', en: 'Next' },
  note: {
    'zh-CN': '请填写本人的姓名和身份证号码。下一步会先请您单独同意人脸识别。',
    en: 'Enter your own name and ID number. Next, we ask your separate consent to the face check.',
  },
};

export const consentField: FieldSpec = {
  name: 'consent',
  label: {
    'zh-CN': '我单独同意本次人脸识别，同意人脸核验机构采集我的实时人脸图像并与证件照片比对',
    en: 'I separately agree to this face check: the face authority may capture a live image of my face and compare it with my ID photo',
  },
  type: 'checkbox',
  maxLength: 3,
};

// the separate consent ("单独同意") the law asks for sensitive personal data, in plain words
export const consentForm: FormChallenge = {
  kind: 'form',
  step: 'consent',
  title: { 'zh-CN': '人脸识别单独同意', en: 'Your consent to the face check' },
  fields: [consentField],
  submit: { 'zh-CN': '同意并开始刷脸', en: 'Agree and start the face check' },
  note: {
    'zh-CN':
      '将采集：您的实时人脸图像（活体检测）。发送给：人脸核验机构，由其与公安人口库中您的证件照片进行 1:1 比对。' +
      '通办 ID 不接收、不保存您的人脸图像或特征，只保留比对结果（是否通过、相似度分数、请求编号）。' +
      '您可以不同意，并改用其他方式登录。',
    en:
      'What is collected: a live image of your face (with a liveness check). Who gets it: the face verification authority, ' +
      'which compares it with the photo on your record in the population registry. Tongban ID never receives or keeps ' +
      'the image or any face template; we keep only the outcome (pass or fail, a similarity score, a request number). ' +
      'You may decline and sign in another way.',
  },
};
