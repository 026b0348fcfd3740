// tus interop: the real tus-js-client against the real AvLedger server.
//
//   (a) plain chunked upload → stored, record metadata and bytes round-trip
//   (b) upload aborted at ~30 %, resumed from the server's offset
//   (c) the same bytes again → stored, duplicate: true, same recordId
//   (d) wrong sha256 in Upload-Metadata → rejected with error, no record

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
  MiB,
  downloadContent,
  getRecord,
  makeMp4,
  makeSamples,
  makeTempDir,
  metadataFor,
  removeDir,
  settledOffset,
  setupFixtures,
  sha256Buffer,
  sha256File,
  startServer,
  startTusUpload,
  tusUpload,
  uploadIdFromUrl,
  waitForUploadState,
  withLogs,
  withTimeout,
} from './server.mjs';

const TEST_TIMEOUT = 180_000;

/** A chunk size that gives at least `minChunks` PATCH requests, at most 1 MiB. */
function chunkSizeFor(size, minChunks) {
  return Math.max(64 * 1024, Math.min(MiB, Math.floor(size / minChunks)));
}

async function assertRecordMatches(server, token, recordId, file, sha) {
  const size = fs.statSync(file).size;
  const record = await getRecord(server, token, recordId);
  assert.equal(record.sha256, sha, 'record sha256');
  assert.equal(Number(record.size), size, 'record size');
  const dl = await downloadContent(server, token, recordId);
  assert.equal(dl.status, 200, 'GET content status');
  assert.equal(dl.size, size, 'downloaded size');
  assert.equal(dl.sha256, sha, 'downloaded bytes sha256');
}

describe('tus-js-client interop', () => {
  let server;
  let token;
  let mediaDir;
  // file A: ./avledger samples; B, D: made with ffmpeg (distinct bytes)
  const files = {};
  let recordA = null;

  before(
    withLogs(async () => {
      server = await startServer({ name: 'interop' });
      ({ officerToken: token } = await setupFixtures(server));
      mediaDir = await makeTempDir('media');
      const [a] = await makeSamples(path.join(mediaDir, 'samples'), { count: 1, seconds: 20 });
      const b = await makeMp4(path.join(mediaDir), { seconds: 8, bitrate: '6M', stamp: '20261126101500', tag: 'interop-b' });
      const dDir = path.join(mediaDir, 'd');
      fs.mkdirSync(dDir);
      const d = await makeMp4(dDir, { seconds: 3, bitrate: '2M', stamp: '20261126103000', tag: 'interop-d' });
      for (const [k, f] of Object.entries({ a, b, d })) {
        files[k] = { path: f, size: fs.statSync(f).size, sha256: await sha256File(f) };
      }
    }),
  );

  after(async () => {
    await server?.dispose();
    await removeDir(mediaDir);
  });

  test('(a) chunked upload is stored and round-trips byte for byte', { timeout: TEST_TIMEOUT }, withLogs(async () => {
    const f = files.a;
    const chunkSize = chunkSizeFor(f.size, 4);
    let chunks = 0;
    const url = await tusUpload(server, token, f.path, {
      metadata: metadataFor(f.path, f.sha256),
      chunkSize,
      onChunkComplete: () => {
        chunks += 1;
      },
    });
    assert.ok(chunks >= 2, `expected several PATCH requests, got ${chunks} (size ${f.size}, chunk ${chunkSize})`);
    assert.ok(url.startsWith(`${server.tusEndpoint}/`), `upload URL ${url} is under ${server.tusEndpoint}/`);

    const status = await waitForUploadState(server, token, uploadIdFromUrl(url));
    assert.equal(status.state, 'stored', `status: ${JSON.stringify(status)}`);
    assert.ok(status.recordId, `stored status has a recordId: ${JSON.stringify(status)}`);
    assert.ok(!status.duplicate, 'first upload is not a duplicate');
    recordA = status.recordId;

    await assertRecordMatches(server, token, recordA, f.path, f.sha256);

    // Range request → 206 with exactly those bytes.
    const part = await downloadContent(server, token, recordA, { range: 'bytes=100-1123' });
    assert.equal(part.status, 206, 'Range request status');
    assert.equal(part.size, 1024, 'Range response length');
    const fd = fs.openSync(f.path, 'r');
    const want = Buffer.alloc(1024);
    fs.readSync(fd, want, 0, 1024, 100);
    fs.closeSync(fd);
    assert.equal(part.sha256, sha256Buffer(want), 'Range bytes match the file');
  }));

  test('(b) an aborted upload resumes from the server offset', { timeout: TEST_TIMEOUT }, withLogs(async () => {
    const f = files.b;
    const chunkSize = chunkSizeFor(f.size, 6);
    const metadata = metadataFor(f.path, f.sha256);

    let abortedAt = null;
    let signalAborted;
    const aborted = new Promise((resolve) => {
      signalAborted = resolve;
    });
    const first = startTusUpload(server, token, f.path, {
      metadata,
      chunkSize,
      onProgress: (sent, total, upload) => {
        if (abortedAt === null && sent > 0.3 * total) {
          abortedAt = sent;
          upload.abort().then(signalAborted, signalAborted);
        }
      },
    });
    first.done.catch(() => {}); // never settles after abort(); errors are reported below
    await withTimeout(Promise.race([aborted, first.done.then(() => {
      throw new Error('upload finished before it could be aborted');
    })]), 60_000, 'abort at 30 %');
    const url = first.upload.url;
    assert.ok(url, 'upload URL known after abort');

    const head = await settledOffset(url, token);
    assert.ok(head.status >= 200 && head.status < 300, `HEAD status ${head.status}`);
    assert.equal(head.headers['tus-resumable'], '1.0.0', 'HEAD Tus-Resumable');
    assert.equal(head.length, f.size, 'HEAD Upload-Length');
    assert.ok(head.offset > 0 && head.offset < f.size, `offset after abort: 0 < ${head.offset} < ${f.size} (aborted at ${abortedAt})`);

    const second = startTusUpload(server, token, f.path, { metadata, chunkSize, uploadUrl: url });
    const url2 = await withTimeout(second.done, 120_000, 'resumed upload');
    assert.equal(url2, url, 'resumed the same upload');
    assert.ok(second.state.firstProgress >= head.offset, `resume started at ${second.state.firstProgress}, server offset ${head.offset}`);

    const status = await waitForUploadState(server, token, uploadIdFromUrl(url));
    assert.equal(status.state, 'stored', `status: ${JSON.stringify(status)}`);
    assert.ok(status.recordId, 'recordId');
    await assertRecordMatches(server, token, status.recordId, f.path, f.sha256);
  }));

  test('(c) the same bytes again are a duplicate of the same record', { timeout: TEST_TIMEOUT }, withLogs(async () => {
    const f = files.a;
    if (recordA === null) {
      // (a) failed; make this test stand on its own.
      const url = await tusUpload(server, token, f.path, { metadata: metadataFor(f.path, f.sha256) });
      const s = await waitForUploadState(server, token, uploadIdFromUrl(url));
      assert.equal(s.state, 'stored', `first upload: ${JSON.stringify(s)}`);
      recordA = s.recordId;
    }
    const url = await tusUpload(server, token, f.path, { metadata: metadataFor(f.path, f.sha256) });
    const status = await waitForUploadState(server, token, uploadIdFromUrl(url));
    assert.equal(status.state, 'stored', `status: ${JSON.stringify(status)}`);
    assert.equal(status.duplicate, true, `duplicate flag: ${JSON.stringify(status)}`);
    assert.equal(status.recordId, recordA, 'same recordId as the first upload');
  }));

  test('(d) a wrong sha256 is rejected and creates no record', { timeout: TEST_TIMEOUT }, withLogs(async () => {
    const f = files.d;
    const wrong = sha256Buffer(Buffer.from('these are not the bytes you are looking for'));
    assert.notEqual(wrong, f.sha256);

    // The server may accept every byte and reject afterwards, or fail the
    // last PATCH; either way the upload's status must end `rejected`.
    const up = startTusUpload(server, token, f.path, {
      metadata: metadataFor(f.path, wrong),
      retryDelays: null,
    });
    try {
      await withTimeout(up.done, 120_000, 'upload with wrong sha256');
    } catch (err) {
      if (!up.upload.url) throw err; // failed before the upload existed
    }
    const status = await waitForUploadState(server, token, uploadIdFromUrl(up.upload.url));
    assert.equal(status.state, 'rejected', `status: ${JSON.stringify(status)}`);
    assert.equal(typeof status.error, 'string', `rejected status has an error: ${JSON.stringify(status)}`);
    assert.ok(status.error.length > 0, 'error message is not empty');
    assert.ok(status.recordId == null, `no recordId on rejection: ${JSON.stringify(status)}`);

    // No record was created for these bytes: the correct upload now is new.
    const url = await tusUpload(server, token, f.path, { metadata: metadataFor(f.path, f.sha256) });
    const ok = await waitForUploadState(server, token, uploadIdFromUrl(url));
    assert.equal(ok.state, 'stored', `correct upload: ${JSON.stringify(ok)}`);
    assert.ok(!ok.duplicate, `the rejected upload left no record behind: ${JSON.stringify(ok)}`);
    await assertRecordMatches(server, token, ok.recordId, f.path, f.sha256);
  }));
});
