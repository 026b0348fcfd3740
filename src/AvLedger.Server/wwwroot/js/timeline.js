// Plays a session's segments in time order; segments recorded at the same time (a cluster) play
// side by side, each started at its own offset from the cluster's start so they stay in step.
(() => {
  const button = document.querySelector('[data-play-session]');
  if (!button) return;
  const clusters = [...document.querySelectorAll('.cluster')];
  const playCluster = (i) => {
    if (i >= clusters.length) { button.disabled = false; return; }
    const videos = [...clusters[i].querySelectorAll('video')];
    clusters[i].scrollIntoView({ block: 'nearest' });
    let left = videos.length;
    const done = () => { if (--left === 0) playCluster(i + 1); };
    for (const v of videos) {
      v.currentTime = 0;
      v.addEventListener('ended', done, { once: true });
      v.addEventListener('error', done, { once: true });
      setTimeout(() => v.play().catch(done), parseFloat(v.dataset.offset || '0') * 1000);
    }
  };
  button.addEventListener('click', () => { button.disabled = true; playCluster(0); });
})();
