// Plays a view-only person's watermarked HLS stream (the original is never sent to them).
// Chromium has no native HLS, so hls.js feeds the <video> through Media Source Extensions.
(() => {
  const videos = document.querySelectorAll('video[data-watch]');
  videos.forEach(video => {
    const url = video.dataset.watch;
    if (window.Hls && window.Hls.isSupported()) {
      const hls = new window.Hls({ enableWorker: true });
      hls.on(window.Hls.Events.ERROR, (_, data) => { if (data.fatal) video.dataset.watchError = data.details; });
      hls.loadSource(url);
      hls.attachMedia(video);
    } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
      video.src = url;
    } else {
      video.dataset.watchError = 'unsupported';
    }
  });
})();
