// The counter slip's Print button. A same-origin script, because the Content-Security-Policy
// allows no inline handler; without scripts the button stays hidden (the browser's own Print remains).
for (const button of document.querySelectorAll('button[data-print]')) {
  button.hidden = false;
  button.addEventListener('click', () => window.print());
}
