// The upload page: Uppy's Dashboard with tus. Each file's SHA-256 is computed in the browser first,
// streamed in 8 MiB slices through hash-wasm so multi-gigabyte recordings never sit in memory; the
// server refuses to store bytes that do not match it.
(() => {
  const root = document.getElementById('uploader');
  if (!root) return;
  const cfg = root.dataset;
  const text = JSON.parse(cfg.text);
  const results = document.getElementById('upload-results');
  const field = id => document.getElementById(id).value.trim();
  const SLICE = 8 * 1024 * 1024;

  const uppy = new Uppy.Uppy({
    locale: cfg.lang === 'zh' ? Uppy.locales.zh_CN : undefined,
    restrictions: { maxFileSize: Number(cfg.maxSize) },
  });
  uppy.use(Uppy.Dashboard, {
    inline: true, target: '#uppy', width: '100%', height: 360,
    proudlyDisplayPoweredByUppy: false, showProgressDetails: true, note: text.Note,
  });
  uppy.use(Uppy.Tus, {
    endpoint: cfg.endpoint,
    headers: { RequestVerificationToken: cfg.csrf },
    chunkSize: 16 * 1024 * 1024,
    retryDelays: [0, 1000, 3000, 5000, 10000, 20000],
    removeFingerprintOnSuccess: true,
    allowedMetaFields: ['filename', 'sha256'],
    // A refusal (4xx other than a lost lock or rate limit) will not change on retry.
    onShouldRetry: (err, retryAttempt, options, next) => {
      const status = err?.originalResponse?.getStatus?.() ?? 0;
      if (status >= 400 && status < 500 && status !== 409 && status !== 423 && status !== 429) return false;
      return next(err);
    },
  });

  async function sha256(file, onProgress) {
    const hasher = await hashwasm.createSHA256();
    hasher.init();
    for (let offset = 0; offset < file.size; offset += SLICE) {
      hasher.update(new Uint8Array(await file.slice(offset, offset + SLICE).arrayBuffer()));
      onProgress(Math.min(1, (offset + SLICE) / file.size));
    }
    return hasher.digest('hex');
  }

  uppy.addPreProcessor(async fileIDs => {
    const meta = {
      deviceCode: field('deviceCode'), officerBadge: field('officerBadge'),
      activityType: field('activityType'), recordedAt: field('recordedAt'),
    };
    for (const key of Object.keys(meta)) if (meta[key] === '') delete meta[key];
    // Only fields with a value go to the server: an empty recordedAt would be refused as malformed.
    uppy.getPlugin('Tus').setOptions({ allowedMetaFields: ['filename', 'sha256', ...Object.keys(meta)] });
    for (const id of fileIDs) {
      const file = uppy.getFile(id);
      if (file.meta.sha256) continue;
      try {
        const digest = await sha256(file.data, value =>
          uppy.emit('preprocess-progress', file, { mode: 'determinate', message: text.Hashing, value }));
        uppy.setFileMeta(id, { ...meta, filename: file.name, sha256: digest });
      } catch (e) {
        uppy.info(`${text.HashFailed} ${file.name}`, 'error', 10000);
        throw e;
      } finally {
        uppy.emit('preprocess-complete', uppy.getFile(id));
      }
    }
  });

  function report(file, html, kind) {
    let li = results.querySelector(`li[data-file="${CSS.escape(file.id)}"]`);
    if (!li) {
      li = document.createElement('li');
      li.dataset.file = file.id;
      results.appendChild(li);
    }
    li.className = kind;
    li.dataset.state = kind;
    li.replaceChildren(...html);
  }

  const span = t => Object.assign(document.createElement('span'), { textContent: t });
  const link = (href, t) => Object.assign(document.createElement('a'), { href, textContent: t });

  function problemText(response) {
    try {
      const p = JSON.parse(response?.getBody?.() ?? '');
      const title = cfg.lang === 'zh' ? p.title : (p.titleEn ?? p.title);
      const detail = cfg.lang === 'zh' ? p.detail : (p.detailEn ?? p.detail);
      return [title, detail].filter(Boolean).join(cfg.lang === 'zh' ? '：' : ': ');
    } catch {
      return null;
    }
  }

  uppy.on('upload-error', (file, error) => {
    const message = problemText(error?.originalResponse) ?? error?.message ?? String(error);
    report(file, [span(`${file.name}：${text.Failed} ${message}`)], 'error');
    uppy.info(`${file.name}：${message}`, 'error', 15000);
  });

  // After the last byte the server verifies and stores; the record appears once processing ends.
  uppy.on('upload-success', async (file, response) => {
    report(file, [span(`${file.name}：${text.Processing}`)], 'processing');
    const url = response.uploadURL;
    for (let wait = 500; ; wait = Math.min(wait * 2, 5000)) {
      let status;
      try {
        const r = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
        status = r.ok ? await r.json() : null;
      } catch { status = null; }
      if (status?.state === 'stored' && status.recordId) {
        report(file, [span(`${file.name}：${status.duplicate ? text.Duplicate : text.Stored} `), link(`/records/${status.recordId}`, text.OpenRecord)], 'stored');
        return;
      }
      if (status?.state === 'rejected') {
        report(file, [span(`${file.name}：${text.Rejected} ${status.error ?? ''}`)], 'error');
        return;
      }
      await new Promise(resolve => setTimeout(resolve, wait));
    }
  });
})();
