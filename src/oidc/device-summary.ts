/**
 * Which browser on which system a session signed in from, in the few words the account page
 * shows ("Chrome · Android"). Only the families are kept, never the full user-agent string.
 */
export interface DeviceSummary {
  browser: string | null;
  os: string | null;
}

// first match wins: the embedding apps and Edge announce themselves beside Chrome and Safari
const BROWSERS: ReadonlyArray<[RegExp, string]> = [
  [/MicroMessenger/i, 'WeChat'],
  [/AlipayClient/i, 'Alipay'],
  [/Edg(e|A|iOS)?\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/Firefox\/|FxiOS/, 'Firefox'],
  [/Chrome\/|CriOS|Chromium/, 'Chrome'],
  [/Safari\//, 'Safari'],
];
const SYSTEMS: ReadonlyArray<[RegExp, string]> = [
  [/HarmonyOS/i, 'HarmonyOS'],
  [/Android/, 'Android'],
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Windows/, 'Windows'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/CrOS/, 'ChromeOS'],
  [/Linux/, 'Linux'],
];

const first = (list: ReadonlyArray<[RegExp, string]>, ua: string) => list.find(([re]) => re.test(ua))?.[1] ?? null;

export function summariseDevice(userAgent: string | undefined): DeviceSummary {
  const ua = (userAgent ?? '').slice(0, 512);
  return { browser: first(BROWSERS, ua), os: first(SYSTEMS, ua) };
}

export function parseDeviceSummary(json: string | null): DeviceSummary | null {
  if (!json) return null;
  try {
    const v = JSON.parse(json) as Partial<DeviceSummary>;
    return { browser: typeof v.browser === 'string' ? v.browser : null, os: typeof v.os === 'string' ? v.os : null };
  } catch {
    return null;
  }
}
