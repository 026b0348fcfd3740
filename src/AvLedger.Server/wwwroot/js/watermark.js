// Keeps the viewer watermark's clock current, so a screen capture shows when it was taken.
(() => {
  const spans = document.querySelectorAll('[data-watermark]');
  if (spans.length === 0) return;
  const base = spans[0].textContent.replace(/\s\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, '');
  const fmt = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  const tick = () => { const text = `${base} ${fmt.format(new Date())}`; spans.forEach(s => { s.textContent = text; }); };
  tick();
  setInterval(tick, 1000);
})();
