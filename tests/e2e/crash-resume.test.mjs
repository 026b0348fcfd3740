// Crash resume: kill -9 the server in the middle of a tus upload, restart it
// on the same data dir and port, and finish the upload from the offset the
// server kept. The stored record must be byte-identical to the file.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';

import {
  MiB,
  downloadContent,
  getRecord,
  headUpload,
  makeMp4,
  makeTempDir,
  metadataFor,
  officerToken,
  removeDir,
  setupFixtures,
  sha256File,
  startServer,
  startTusUpload,
  uploadIdFromUrl,
  waitForUploadState,
  withLogs,
  withTimeout,
} from './server.mjs';

describe('crash resume', () => {
  let server;
  let token;
  let mediaDir;
  let file;

  before(
    withLogs(async () => {
      server = await startServer({ name: 'crash' });
      ({ officerToken: token } = await setupFixtures(server));
      mediaDir = await makeTempDir('crash-media');
      // 30 s of 1280x720 at 8 Mbit/s ≈ 30 MB.
      const p = await makeMp4(mediaDir, { seconds: 30, bitrate: '8M', stamp: '20261126110000', tag: 'crash-resume' });
      file = { path: p, size: fs.statSync(p).size, sha256: await sha256File(p) };
      assert.ok(file.size >= 20 * MiB, `test file is big enough (${file.size} bytes)`);
    }),
  );

  after(async () => {
    await server?.dispose();
    await removeDir(mediaDir);
  });

  test('kill -9 at ~40 %, restart, resume → stored and intact', { timeout: 180_000 }, withLogs(async () => {
    const metadata = metadataFor(file.path, file.sha256);
    const deadPid = server.pid;

    let killedAt = null;
    let killed;
    let signalKilled;
    const killedP = new Promise((resolve) => {
      signalKilled = resolve;
    });
    const first = startTusUpload(server, token, file.path, {
      metadata,
      chunkSize: MiB,
      retryDelays: [],
      onProgress: (sent, total, upload) => {
        if (killedAt === null && sent > 0.4 * total) {
          killedAt = sent;
          killed = server.kill9(); // SIGKILL is sent synchronously, here
          upload.abort(); // stop the client's own error/retry handling
          signalKilled();
        }
      },
    });
    first.done.catch(() => {}); // an error from the dying connection is expected
    await withTimeout(
      Promise.race([
        killedP,
        first.done.then(() => {
          throw new Error('upload finished before the crash point');
        }),
      ]),
      60_000,
      'upload reaching 40 %',
    );
    const exit = await withTimeout(killed, 15_000, 'server to die after SIGKILL');
    assert.equal(exit.signal, 'SIGKILL', `server process ${deadPid} died of SIGKILL (${JSON.stringify(exit)})`);
    const url = first.upload.url;
    assert.ok(url, 'upload URL known before the crash');

    await server.start(); // same data dir, port and admin password
    token = await officerToken(server); // fresh token after restart

    const head = await headUpload(url, token);
    assert.ok(head.status >= 200 && head.status < 300, `HEAD after restart: ${head.status}`);
    assert.equal(head.headers['tus-resumable'], '1.0.0', 'HEAD Tus-Resumable');
    assert.equal(head.length, file.size, 'Upload-Length survived the crash');
    assert.ok(
      head.offset > 0 && head.offset <= file.size,
      `offset after crash: 0 < ${head.offset} <= ${file.size} (killed at ${killedAt} sent)`,
    );

    const second = startTusUpload(server, token, file.path, { metadata, chunkSize: MiB, uploadUrl: url });
    assert.equal(await withTimeout(second.done, 120_000, 'resumed upload'), url, 'resumed the same upload');
    assert.ok(second.state.firstProgress >= head.offset, `resume started at ${second.state.firstProgress}, server offset ${head.offset}`);

    const status = await waitForUploadState(server, token, uploadIdFromUrl(url));
    assert.equal(status.state, 'stored', `status: ${JSON.stringify(status)}`);
    assert.ok(status.recordId, 'recordId');

    const record = await getRecord(server, token, status.recordId);
    assert.equal(record.sha256, file.sha256, 'record sha256');
    assert.equal(Number(record.size), file.size, 'record size');
    const dl = await downloadContent(server, token, status.recordId);
    assert.equal(dl.status, 200, 'GET content status');
    assert.equal(dl.size, file.size, 'downloaded size');
    assert.equal(dl.sha256, file.sha256, 'downloaded bytes sha256');
  }));
});
