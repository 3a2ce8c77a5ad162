/** A QR code as inline SVG markup (no script, no external image), with an accessible label. */
import QRCode from 'qrcode';
import { escapeHtml } from './html.ts';
import { raw, type Html } from './html.ts';

export function qrSvg(payload: string, label: string): Html {
  const { modules } = QRCode.create(payload, { errorCorrectionLevel: 'M' });
  const n = modules.size;
  let d = '';
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) if (modules.get(y, x)) d += `M${x + 2} ${y + 2}h1v1h-1z`;
  }
  const size = n + 4;
  return raw(
    `<svg class="qr" role="img" aria-label="${escapeHtml(label)}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" width="240" height="240" shape-rendering="crispEdges"><rect width="${size}" height="${size}" fill="#fff"/><path d="${d}" fill="#000"/></svg>`,
  );
}
