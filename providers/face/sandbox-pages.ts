/** The sandbox face authority's capture page and its camera-preview script. */
import { esc } from '../kit/sandbox.ts';
import type { Text } from '../kit/messages.ts';

type Samples = Readonly<Record<string, { id: string; label: Text; image: string }>>;

export function capturePage(o: { action: string; script: string; samples: Samples }): string {
  const choices = Object.entries(o.samples)
    .map(
      ([kind, s], i) => `<p><input type="radio" name="sample" id="${esc(s.id)}" value="${esc(kind)}"${i === 0 ? ' checked' : ''}>
<label for="${esc(s.id)}"><img src="data:image/svg+xml;base64,${s.image}" alt="" width="32" height="32"> ${esc(s.label['zh-CN'])} <span class="en">${esc(s.label.en)}</span></label></p>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>人脸核验（沙箱） · Face check (sandbox)</title>
<style>
body { font-family: system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; margin: 2rem; line-height: 1.5; color: #1a1a1a; max-width: 40rem; }
.en { color: #555; font-size: .9em; }
video { width: 100%; max-width: 20rem; background: #222; border-radius: .5rem; }
button { font-size: 1rem; padding: .5rem 1rem; margin: .25rem .5rem .25rem 0; }
img { vertical-align: middle; }
</style>
</head>
<body>
<h1>人脸核验 <span class="en">Face check</span></h1>
<p>这是沙箱：不会上传任何图像，由您选择的样本决定结果。<br><span class="en">This is the sandbox: no image is uploaded anywhere; the sample you pick decides the outcome.</span></p>
<p><button type="button" id="camera">打开摄像头预览 <span class="en">Camera preview</span></button></p>
<p><video id="preview" autoplay muted playsinline hidden></video></p>
<p id="camera-status" role="status"></p>
<form method="post" action="${esc(o.action)}">
<fieldset><legend>样本 <span class="en">Sample</span></legend>
${choices}
</fieldset>
<button type="submit" name="action" value="done">完成 <span class="en">Done</span></button>
<button type="submit" name="action" value="cancel">取消 <span class="en">Cancel</span></button>
</form>
<script src="${esc(o.script)}"></script>
</body>
</html>
`;
}

// shows the camera locally only: the stream never leaves the page, and stops when the form is sent
export const CAMERA_SCRIPT = `'use strict';
(function () {
  var button = document.getElementById('camera');
  var video = document.getElementById('preview');
  var status = document.getElementById('camera-status');
  var stream = null;
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    button.disabled = true;
    status.textContent = '此浏览器不支持摄像头预览 / This browser has no camera access';
    return;
  }
  button.addEventListener('click', function () {
    navigator.mediaDevices.getUserMedia({ video: { facingMode: 'user' }, audio: false }).then(function (s) {
      stream = s;
      video.srcObject = s;
      video.hidden = false;
      status.textContent = '预览中：图像不会上传 / Preview only: nothing is uploaded';
    }, function () {
      status.textContent = '无法打开摄像头，请选择样本 / No camera: pick a sample';
    });
  });
  document.querySelector('form').addEventListener('submit', function () {
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
  });
})();
`;
