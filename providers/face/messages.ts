/** Error codes and page words of the `face` method (zh-CN and en). */
import type { CodesOf, Text } from '../kit/messages.ts';

export const messages = {
  face_consent_required: {
    'zh-CN': '人脸识别需要您的单独同意。请勾选同意后继续，或换一种方式登录。',
    en: 'The face check needs your separate consent. Tick the box to continue, or choose another way to sign in.',
  },
  face_liveness_failed: {
    'zh-CN': '未通过活体检测。请本人正对镜头、在光线充足处重试，不要使用照片或屏幕。',
    en: 'The liveness check did not pass. Face the camera yourself in good light and try again; photos or screens are not accepted.',
  },
  face_no_match: {
    'zh-CN': '人脸与证件照片比对不一致。请确认姓名和身份证号码为本人的，或换一种方式登录。',
    en: 'Your face did not match the ID photo. Check that the name and ID number are your own, or choose another way to sign in.',
  },
  face_cancelled: {
    'zh-CN': '您已取消人脸识别。可以重新开始，或换一种方式登录。',
    en: 'You cancelled the face check. You can start it again, or choose another way to sign in.',
  },
  face_attempts_exhausted: {
    'zh-CN': '本次登录的人脸识别次数已用完，请换一种方式登录。',
    en: 'No more face checks are allowed for this sign-in. Please choose another way to sign in.',
  },
} as const satisfies Record<string, Text>;

/** The words of its pages: its name and what it is good for, its forms' titles, fields, buttons and notes. */
export const text = {
  'face.label': { 'zh-CN': '人脸识别', en: 'Face check' },
  'face.description': { 'zh-CN': '刷脸比对证件照片，需单独同意', en: 'A live face check against your ID photo, with your separate consent' },
  'face.detailsTitle': { 'zh-CN': '人脸识别登录', en: 'Sign in with a face check' },
  'face.detailsSubmit': { 'zh-CN': '下一步', en: 'Next' },
  'face.detailsNote': {
    'zh-CN': '请填写本人的姓名和身份证号码。下一步会先请您单独同意人脸识别。',
    en: 'Enter your own name and ID number. Next, we ask your separate consent to the face check.',
  },
  'face.consent': {
    'zh-CN': '我单独同意本次人脸识别，同意人脸核验机构采集我的实时人脸图像并与证件照片比对',
    en: 'I separately agree to this face check: the face authority may capture a live image of my face and compare it with my ID photo',
  },
  'face.consentTitle': { 'zh-CN': '人脸识别单独同意', en: 'Your consent to the face check' },
  'face.consentSubmit': { 'zh-CN': '同意并开始刷脸', en: 'Agree and start the face check' },
  'face.consentNote': {
    'zh-CN': '将采集：您的实时人脸图像（活体检测）。发送给：人脸核验机构，由其与公安人口库中您的证件照片进行 1:1 比对。通办 ID 不接收、不保存您的人脸图像或特征，只保留比对结果（是否通过、相似度分数、请求编号）。您可以不同意，并改用其他方式登录。',
    en: 'What is collected: a live image of your face (with a liveness check). Who gets it: the face verification authority, which compares it with the photo on your record in the population registry. Tongban ID never receives or keeps the image or any face template; we keep only the outcome (pass or fail, a similarity score, a request number). You may decline and sign in another way.',
  },
  // the sandbox face authority's sample pictures (development and tests only)
  'face.sandboxMatch': { 'zh-CN': '本人（比对一致）', en: 'The person (matching)' },
  'face.sandboxMismatch': { 'zh-CN': '他人（比对不一致）', en: 'Someone else (not matching)' },
  'face.sandboxSpoof': { 'zh-CN': '翻拍照片（攻击）', en: 'Photo of a photo (spoof)' },
} as const satisfies Record<string, Text>;

/** HTTP status of each code when it ends a step (400 when not listed). */
export const statuses: Readonly<Record<string, number>> = {
  face_liveness_failed: 401,
  face_no_match: 401,
  face_attempts_exhausted: 429,
};

declare module '../kit/messages.ts' {
  interface MethodMessageKeys extends CodesOf<typeof messages> {}
  interface MethodTextKeys extends CodesOf<typeof text> {}
}
