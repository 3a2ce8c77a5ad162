/** The sandbox's own plain pages: the index and the SMS outbox. */
import type { Response } from 'express';
import { escapeHtml as esc } from '../web/html.ts';
import { CITIZENS } from './citizens.ts';
import type { SmsMessage } from './sms-gateway.ts';


const shanghaiTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

export function sendHtml(res: Response, body: { title: string; main: string }, opts: { refresh?: number } = {}): void {
  res
    .status(200)
    .type('html')
    .set('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
    .set('cache-control', 'no-store')
    .send(`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${opts.refresh ? `<meta http-equiv="refresh" content="${opts.refresh}">\n` : ''}<title>${esc(body.title)}</title>
<style>
body { font-family: system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; margin: 2rem; line-height: 1.5; color: #1a1a1a; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #ccc; padding: .35rem .7rem; text-align: left; vertical-align: top; }
th { background: #f2f4f7; }
td.text { white-space: pre-wrap; max-width: 40rem; }
.en { color: #555; font-size: .9em; }
code { font-size: 1em; }
</style>
</head>
<body>
${body.main}
</body>
</html>
`);
}

export function indexPage(authorities: readonly string[]): { title: string; main: string } {
  const rows = CITIZENS.map(
    (c) =>
      `<tr><td>${esc(c.name)}</td><td><code>${esc(c.idNumber)}</code></td><td>${c.gender === 'male' ? '男 <span class="en">M</span>' : '女 <span class="en">F</span>'}</td><td>${esc(c.birthdate)}</td><td>${c.phone ? `<code>${esc(c.phone)}</code>` : '无 <span class="en">none</span>'}</td></tr>`,
  ).join('\n');
  return {
    title: '通办 ID 沙箱 · Tongban ID sandbox',
    main: `<h1>通办 ID 沙箱机构 <span class="en">Tongban ID sandbox authorities</span></h1>
<p>开发与测试用的模拟外部机构，数据均为虚构。<br><span class="en">Simulated outside authorities for development and tests. All data is synthetic.</span></p>
<ul>
<li><a href="/sms/outbox">短信发件箱</a> <span class="en">SMS outbox</span></li>
<li><a href="/control/citizens">虚拟居民（JSON）</a> <span class="en">Synthetic citizens (JSON)</span></li>
</ul>
<p>已挂载的机构 <span class="en">Mounted authorities</span>: ${authorities.map((a) => `<code>/${esc(a)}</code>`).join(' ')}</p>
<h2>虚拟居民 <span class="en">Synthetic citizens</span></h2>
<table>
<thead><tr><th>姓名 <span class="en">Name</span></th><th>身份证号码 <span class="en">ID number</span></th><th>性别 <span class="en">Gender</span></th><th>出生日期 <span class="en">Birth date</span></th><th>手机 <span class="en">Phone</span></th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`,
  };
}

export function outboxPage(messages: readonly SmsMessage[], limit: number): { title: string; main: string } {
  const rows = messages
    .map(
      (m) =>
        `<tr><td><code>${esc(m.phone)}</code></td><td>${esc(shanghaiTime.format(new Date(m.sentAt)))}</td><td class="text">${esc(m.text)}</td></tr>`,
    )
    .join('\n');
  return {
    title: '短信发件箱 · SMS outbox',
    main: `<h1>短信发件箱 <span class="en">SMS outbox</span></h1>
<p>最新的在最上面，每 5 秒自动刷新，最多保留 ${limit} 条。<br><span class="en">Newest first, refreshes every 5 seconds, keeps the last ${limit} messages.</span></p>
<p><a href="/">返回 <span class="en">Back</span></a></p>
${
  messages.length === 0
    ? '<p>暂无短信。<span class="en">No messages yet.</span></p>'
    : `<table>
<thead><tr><th>手机号 <span class="en">Phone</span></th><th>时间（北京时间） <span class="en">Time (UTC+8)</span></th><th>内容 <span class="en">Text</span></th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`
}`,
  };
}

