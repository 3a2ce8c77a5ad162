/** Error codes of the `face` method (zh-CN and en). */
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

/** HTTP status of each code when it ends a step (400 when not listed). */
export const statuses: Readonly<Record<string, number>> = {
  face_liveness_failed: 401,
  face_no_match: 401,
  face_attempts_exhausted: 429,
};

declare module '../kit/messages.ts' {
  interface MethodMessageKeys extends CodesOf<typeof messages> {}
}
