// Key-content markers: clicking one seeks the player; the marker form starts at the player's position.
(() => {
  const player = document.getElementById('player');
  if (!player) return;
  document.querySelectorAll('[data-seek]').forEach(el => el.addEventListener('click', e => {
    e.preventDefault();
    player.currentTime = parseFloat(el.dataset.seek);
    player.play().catch(() => {});
  }));
  const at = document.querySelector('[data-marker-at]');
  if (at) player.addEventListener('timeupdate', () => { if (document.activeElement !== at) at.value = player.currentTime.toFixed(1); });
})();
