/**
 * Every login method's own error codes (zh-CN and en) and their HTTP statuses, gathered in one
 * table. Adding a method = its folder, its line in registry.ts, and its line here.
 */
import * as smsOtp from './sms-otp/messages.ts';
import * as bankCard from './bank-card/messages.ts';
import * as alipay from './alipay/messages.ts';
import * as wechat from './wechat/messages.ts';
import * as govEid from './gov-eid/messages.ts';
import * as socialSecurityCard from './social-security-card/messages.ts';
import * as housingFund from './housing-fund/messages.ts';
import * as face from './face/messages.ts';
import * as certificate from './certificate/messages.ts';
import * as appScan from './app-scan/messages.ts';

export const methodMessages = {
  ...smsOtp.messages,
  ...bankCard.messages,
  ...alipay.messages,
  ...wechat.messages,
  ...govEid.messages,
  ...socialSecurityCard.messages,
  ...housingFund.messages,
  ...face.messages,
  ...certificate.messages,
  ...appScan.messages,
};

export const methodStatuses: Readonly<Record<string, number>> = {
  ...smsOtp.statuses,
  ...bankCard.statuses,
  ...alipay.statuses,
  ...wechat.statuses,
  ...govEid.statuses,
  ...socialSecurityCard.statuses,
  ...housingFund.statuses,
  ...face.statuses,
  ...certificate.statuses,
  ...appScan.statuses,
};
