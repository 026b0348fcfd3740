// Shared helpers for the AvLedger end-to-end tests: start/stop the real
// server (`./avledger serve`), talk to its HTTP API, make sample media and
// drive tus uploads with the real tus-js-client.
//
// Everything talks to 127.0.0.1 only.
//
// Environment (all optional):
//   AVLEDGER_E2E_BIN            executable to run instead of ./avledger
//   AVLEDGER_E2E_START_TIMEOUT  seconds to wait for GET /healthz (default 120)
//   AVLEDGER_TEST_LOGDIR        where server logs go (default: a temp dir)
//   AVLEDGER_TEST_PIDDIR        test.sh's registry of spawned servers; each
//                               server writes "<pid> <starttime>" to
//                               <pid>.pid there so test.sh can kill leftovers.

import { spawn, execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tus from 'tus-js-client';

export { tus };

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// AVLEDGER_E2E_BIN overrides the executable (e.g. a published build).
export const AVLEDGER = process.env.AVLEDGER_E2E_BIN || path.join(REPO_ROOT, 'avledger');

export const MiB = 1024 * 1024;

// Fixture identities (see setupFixtures). Sample files made by
// `./avledger samples` are named DEVICE_BADGE_yyyyMMddHHmmss.mp4 with these.
export const UNIT = { code: 'U01', name: '一大队' };
export const OFFICER = {
  username: 'officer1',
  password: 'Officer-pass-1',
  roles: ['officer'],
  name: '张三',
  badge: '500101',
  unitCode: 'U01',
};
const INITIAL_PASSWORD = 'Initial-pass-1';
export const DEVICE = { code: 'DSJ-0001', kind: 'bodyWornRecorder', unitCode: 'U01' };
// One of the server's ActivityTypes codes (src/AvLedger.Core/Records/ActivityTypes.cs).
export const ACTIVITY_TYPE = 'inspection';

const START_TIMEOUT_MS = Number(process.env.AVLEDGER_E2E_START_TIMEOUT || 120) * 1000;

// ---------------------------------------------------------------------------
// small utilities

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function makeTempDir(prefix) {
  return fsp.mkdtemp(path.join(os.tmpdir(), `avledger-e2e-${prefix}-`));
}

export async function removeDir(dir) {
  if (dir) await fsp.rm(dir, { recursive: true, force: true });
}

/** Finds a free TCP port on 127.0.0.1 by binding port 0 and closing again. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export function sha256Buffer(buf) {
  return crypto.createHash('sha256').update(buf).digest('hex');
}

export async function sha256File(file) {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk);
  return hash.digest('hex');
}

/** Races a promise against a timeout; rejects with `what` in the message. */
export async function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function execFileP(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 64 * MiB, ...opts }, (err, stdout, stderr) => {
      if (err) {
        err.message += `\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`;
        reject(err);
      } else {
        resolve({ stdout, stderr });
      }
    });
  });
}

// ---------------------------------------------------------------------------
// plain HTTP (node:http with agent:false: every request has its own
// connection, so nothing stale survives a server kill/restart)

/**
 * @returns {Promise<{status:number, headers:object, body:Buffer, text:()=>string, json:()=>any}>}
 */
export function request(method, url, { headers = {}, body, token, timeoutMs = 30_000 } = {}) {
  return new Promise((resolve, reject) => {
    const h = { ...headers };
    if (token) h.Authorization = `Bearer ${token}`;
    let payload = body;
    if (body !== undefined && !Buffer.isBuffer(body) && typeof body !== 'string') {
      payload = JSON.stringify(body);
      h['Content-Type'] = 'application/json';
    }
    if (payload !== undefined) h['Content-Length'] = Buffer.byteLength(payload);
    const req = http.request(url, { method, headers: h, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const buf = Buffer.concat(chunks);
        resolve({
          status: res.statusCode,
          headers: res.headers,
          body: buf,
          text: () => buf.toString('utf8'),
          json: () => {
            try {
              return JSON.parse(buf.toString('utf8'));
            } catch (e) {
              throw new Error(`${method} ${url}: response is not JSON (${res.statusCode}): ${buf.toString('utf8').slice(0, 500)}`);
            }
          },
        });
      });
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${url}: no response within ${timeoutMs} ms`)));
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

function describeResponse(res) {
  return `HTTP ${res.status}: ${res.text().slice(0, 1000)}`;
}

// ---------------------------------------------------------------------------
// server lifecycle

const liveServers = new Set(); // servers whose process may be running
const allServers = []; // every server started by this test file (for logs)

function procStartTime(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // field 22 (starttime); fields after the ")" that ends comm start at 3
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    return '';
  }
}

// If the test process exits without stopping a server (crash, forgotten
// after-hook), kill its whole process group synchronously.
process.on('exit', () => {
  for (const s of liveServers) {
    try {
      process.kill(-s.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
});

export class Server {
  constructor({ dataDir, port, adminPassword, logFile, ownsDataDir }) {
    this.dataDir = dataDir;
    this.port = port;
    this.adminPassword = adminPassword;
    this.logFile = logFile;
    this.ownsDataDir = ownsDataDir;
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.tusEndpoint = `${this.baseUrl}/api/v1/uploads`;
    this.child = null;
    this.pid = null;
    this.exited = null; // promise resolving when the current process exits
    this.exitInfo = null;
    this.starts = 0;
  }

  url(p) {
    return `${this.baseUrl}${p}`;
  }

  /** Spawns `./avledger serve` and waits until GET /healthz answers 200. */
  async start() {
    if (this.child && !this.exitInfo) throw new Error('server already running');
    this.starts += 1;
    fs.appendFileSync(
      this.logFile,
      `\n===== [e2e] start #${this.starts} at ${new Date().toISOString()}: ./avledger serve --data-dir ${this.dataDir} --urls ${this.baseUrl}\n`,
    );
    const fd = fs.openSync(this.logFile, 'a');
    let child;
    try {
      child = spawn(AVLEDGER, ['serve', '--data-dir', this.dataDir, '--urls', this.baseUrl], {
        cwd: REPO_ROOT,
        env: { ...process.env, AVLEDGER_ADMIN_PASSWORD: this.adminPassword },
        stdio: ['ignore', fd, fd],
        // Own process group: stop()/kill9() signal the whole group, so the
        // real server dies even if ./avledger does not `exec` it.
        detached: true,
      });
    } finally {
      fs.closeSync(fd);
    }
    this.child = child;
    this.exitInfo = null;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        liveServers.delete(this);
        this._unregisterPid(child.pid);
        resolve(this.exitInfo);
      });
      child.once('error', (err) => {
        this.exitInfo = { code: null, signal: null, error: err };
        liveServers.delete(this);
        resolve(this.exitInfo);
      });
    });
    if (child.pid === undefined) {
      await this.exited;
      throw new Error(`could not spawn ${AVLEDGER}: ${this.exitInfo.error?.message}`);
    }
    this.pid = child.pid;
    liveServers.add(this);
    this._registerPid(child.pid);

    const deadline = Date.now() + START_TIMEOUT_MS;
    let last = 'no answer yet';
    while (Date.now() < deadline) {
      if (this.exitInfo) {
        throw new Error(
          `server exited during startup (${JSON.stringify(this.exitInfo)})\n${this.logTail()}`,
        );
      }
      try {
        const res = await request('GET', this.url('/healthz'), { timeoutMs: 5000 });
        if (res.status === 200) return this;
        last = describeResponse(res);
      } catch (err) {
        last = err.message;
      }
      await sleep(250);
    }
    await this.kill9();
    throw new Error(
      `server not healthy within ${START_TIMEOUT_MS / 1000} s (last: ${last})\n${this.logTail()}`,
    );
  }

  get running() {
    return this.child !== null && this.exitInfo === null;
  }

  /** SIGTERM the process group, SIGKILL after 10 s. */
  async stop() {
    if (!this.running) return this.exitInfo;
    this._signal('SIGTERM');
    const res = await Promise.race([this.exited, sleep(10_000).then(() => null)]);
    if (res) return res;
    return this.kill9();
  }

  /**
   * SIGKILL the server at once (synchronously sends the signal; the returned
   * promise resolves when the process is gone). ./avledger is a bash script
   * that ends in `exec dotnet ...`, so the spawned pid *is* the server; the
   * whole process group is signalled anyway in case of a wrapper.
   */
  kill9() {
    if (!this.running) return Promise.resolve(this.exitInfo);
    this._signal('SIGKILL');
    return this.exited;
  }

  /** Starts again on the same data dir, port and admin password. */
  async restart() {
    await this.stop();
    return this.start();
  }

  _signal(sig) {
    try {
      process.kill(-this.pid, sig);
    } catch {
      try {
        process.kill(this.pid, sig);
      } catch {
        /* gone */
      }
    }
  }

  _registerPid(pid) {
    const dir = process.env.AVLEDGER_TEST_PIDDIR;
    if (!dir) return;
    try {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `${pid}.pid`), `${pid} ${procStartTime(pid)}\n`);
    } catch {
      /* best effort */
    }
  }

  _unregisterPid(pid) {
    const dir = process.env.AVLEDGER_TEST_PIDDIR;
    if (!dir) return;
    fs.rmSync(path.join(dir, `${pid}.pid`), { force: true });
  }

  logTail(lines = 200) {
    let text = '';
    try {
      text = fs.readFileSync(this.logFile, 'utf8');
    } catch {
      return `(no server log at ${this.logFile})`;
    }
    const all = text.split('\n');
    const tail = all.slice(-lines).join('\n');
    return `----- server log ${this.logFile} (last ${Math.min(lines, all.length)} lines) -----\n${tail}\n----- end of server log -----`;
  }

  /** Stops the server and removes its data dir (if we created it). */
  async dispose() {
    await this.stop();
    if (this.ownsDataDir) await removeDir(this.dataDir);
  }
}

let logDirPromise = null;
function logDir() {
  if (process.env.AVLEDGER_TEST_LOGDIR) {
    fs.mkdirSync(process.env.AVLEDGER_TEST_LOGDIR, { recursive: true });
    return Promise.resolve(process.env.AVLEDGER_TEST_LOGDIR);
  }
  logDirPromise ??= makeTempDir('logs');
  return logDirPromise;
}

/**
 * Starts a fresh server: new temp data dir, free port, random admin password.
 * @returns {Promise<Server>}
 */
export async function startServer({ dataDir, port, adminPassword, name = 'server' } = {}) {
  const ownsDataDir = !dataDir;
  const dir = dataDir ?? (await makeTempDir('data'));
  const p = port ?? (await freePort());
  const logFile = path.join(
    await logDir(),
    `${path.basename(process.argv[1] ?? 'e2e', '.mjs')}-${name}-${p}-${process.pid}.log`,
  );
  const server = new Server({
    dataDir: dir,
    port: p,
    adminPassword: adminPassword ?? `Adm1n-${crypto.randomBytes(12).toString('hex')}`,
    logFile,
    ownsDataDir,
  });
  allServers.push(server);
  try {
    await server.start();
  } catch (err) {
    await server.dispose();
    throw err;
  }
  return server;
}

/** Prints the logs of every server this test file started (to stderr). */
export function dumpServerLogs() {
  for (const s of allServers) process.stderr.write(`${s.logTail()}\n`);
}

/** Wraps a test/hook body so that a failure prints the server logs first. */
export function withLogs(fn) {
  return async (...args) => {
    try {
      return await fn(...args);
    } catch (err) {
      dumpServerLogs();
      throw err;
    }
  };
}

// ---------------------------------------------------------------------------
// API helpers

export async function getToken(server, username, password) {
  const res = await request('POST', server.url('/api/v1/auth/token'), { body: { username, password } });
  if (res.status !== 200) throw new Error(`POST /api/v1/auth/token as ${username}: ${describeResponse(res)}`);
  const json = res.json();
  if (typeof json.accessToken !== 'string' || !json.accessToken) {
    throw new Error(`token response has no accessToken: ${res.text()}`);
  }
  return json.accessToken;
}

export function adminToken(server) {
  return getToken(server, 'admin', server.adminPassword);
}

export function officerToken(server) {
  return getToken(server, OFFICER.username, OFFICER.password);
}

async function postCreated(server, token, p, body) {
  const res = await request('POST', server.url(p), { token, body });
  if (res.status !== 201) throw new Error(`POST ${p} ${JSON.stringify(body)}: expected 201, got ${describeResponse(res)}`);
  return res;
}

/**
 * Creates unit U01, officer officer1 (badge 500101) and device DSJ-0001, and
 * returns the officer's bearer token.
 */
export async function setupFixtures(server) {
  const admin = await adminToken(server);
  await postCreated(server, admin, '/api/v1/units', UNIT);
  await postCreated(server, admin, '/api/v1/users', { ...OFFICER, password: INITIAL_PASSWORD });
  // An administrator-set password must be replaced by its owner before the first sign-in.
  const changed = await request('POST', server.url('/api/v1/auth/password'), {
    body: { username: OFFICER.username, currentPassword: INITIAL_PASSWORD, newPassword: OFFICER.password },
  });
  if (changed.status !== 204) throw new Error(`password change: expected 204, got ${describeResponse(changed)}`);
  await postCreated(server, admin, '/api/v1/devices', DEVICE);
  return { adminToken: admin, officerToken: await officerToken(server) };
}

/** Upload id = last path segment of the tus upload URL. */
export function uploadIdFromUrl(url) {
  const segs = new URL(url).pathname.split('/').filter(Boolean);
  return decodeURIComponent(segs[segs.length - 1]);
}

/** GET /api/v1/uploads/{id}. */
export async function uploadStatus(server, token, id) {
  const res = await request('GET', server.url(`/api/v1/uploads/${encodeURIComponent(id)}`), { token });
  if (res.status !== 200) throw new Error(`GET /api/v1/uploads/${id}: ${describeResponse(res)}`);
  return res.json();
}

/** Polls GET /api/v1/uploads/{id} until state is stored or rejected. */
export async function waitForUploadState(server, token, id, { timeoutMs = 120_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last = null;
  while (Date.now() < deadline) {
    try {
      last = await uploadStatus(server, token, id);
      if (last.state === 'stored' || last.state === 'rejected') return last;
    } catch (err) {
      last = { pollError: err.message };
    }
    await sleep(250);
  }
  throw new Error(`upload ${id} not stored/rejected within ${timeoutMs / 1000} s; last status: ${JSON.stringify(last)}`);
}

/** HEAD on a tus upload URL → {status, offset, length}. */
export async function headUpload(url, token) {
  const res = await request('HEAD', url, { token, headers: { 'Tus-Resumable': '1.0.0' } });
  const num = (h) => (res.headers[h] === undefined ? null : Number.parseInt(res.headers[h], 10));
  return { status: res.status, offset: num('upload-offset'), length: num('upload-length'), headers: res.headers };
}

/**
 * HEADs until Upload-Offset is the same twice in a row (an aborted PATCH may
 * still be draining on the server side).
 */
export async function settledOffset(url, token, { timeoutMs = 10_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let prev = await headUpload(url, token);
  while (Date.now() < deadline) {
    await sleep(300);
    const cur = await headUpload(url, token);
    if (cur.status === prev.status && cur.offset === prev.offset) return cur;
    prev = cur;
  }
  return prev;
}

export async function getRecord(server, token, recordId) {
  const res = await request('GET', server.url(`/api/v1/records/${encodeURIComponent(recordId)}`), { token });
  if (res.status !== 200) throw new Error(`GET /api/v1/records/${recordId}: ${describeResponse(res)}`);
  return res.json();
}

/** Streams GET /api/v1/records/{id}/content → {status, size, sha256, headers}. */
export function downloadContent(server, token, recordId, { range } = {}) {
  return new Promise((resolve, reject) => {
    const headers = { Authorization: `Bearer ${token}` };
    if (range) headers.Range = range;
    const url = server.url(`/api/v1/records/${encodeURIComponent(recordId)}/content`);
    const req = http.request(url, { method: 'GET', headers, agent: false }, (res) => {
      const hash = crypto.createHash('sha256');
      let size = 0;
      const keep = [];
      res.on('data', (c) => {
        hash.update(c);
        size += c.length;
        if (range || res.statusCode >= 400) keep.push(c);
      });
      res.on('error', reject);
      res.on('end', () =>
        resolve({
          status: res.statusCode,
          headers: res.headers,
          size,
          sha256: hash.digest('hex'),
          body: keep.length ? Buffer.concat(keep) : null,
        }),
      );
    });
    req.setTimeout(120_000, () => req.destroy(new Error(`GET ${url}: timed out`)));
    req.on('error', reject);
    req.end();
  });
}

// ---------------------------------------------------------------------------
// media

/** `./avledger samples DIR --count N --seconds S` → sorted list of .mp4 paths. */
export async function makeSamples(dir, { count = 1, seconds = 20 } = {}) {
  await fsp.mkdir(dir, { recursive: true });
  await execFileP(AVLEDGER, ['samples', dir, '--count', String(count), '--seconds', String(seconds)], {
    cwd: REPO_ROOT,
    timeout: 300_000,
  });
  const files = (await fsp.readdir(dir)).filter((f) => f.endsWith('.mp4')).sort();
  if (files.length < count) throw new Error(`./avledger samples wrote ${files.length} .mp4 files to ${dir}, expected ${count}`);
  return files.map((f) => path.join(dir, f));
}

/**
 * Makes an H.264/AAC MP4 with ffmpeg (no shell). `tag` goes into the
 * container's comment so files made with the same settings differ.
 * Named like the samples: DSJ-0001_500101_yyyyMMddHHmmss.mp4.
 */
export async function makeMp4(dir, { seconds = 10, size = '1280x720', bitrate = '8M', stamp, tag } = {}) {
  const ts = stamp ?? '20261126100000';
  const out = path.join(dir, `${DEVICE.code}_${OFFICER.badge}_${ts}.mp4`);
  const args = [
    '-hide_banner', '-loglevel', 'error', '-nostdin', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=25`,
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-t', String(seconds),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-b:v', bitrate, '-pix_fmt', 'yuv420p',
    '-c:a', 'aac', '-b:a', '128k',
    '-metadata', `comment=${tag ?? crypto.randomBytes(8).toString('hex')}`,
    '-shortest', out,
  ];
  await execFileP('ffmpeg', args, { timeout: 300_000 });
  return out;
}

/** yyyyMMddHHmmss in the file name → RFC 3339 with +08:00, else now (UTC). */
export function recordedAtFor(file) {
  const m = /_(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})\.mp4$/i.exec(path.basename(file));
  if (!m) return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+08:00`;
}

/** Upload-Metadata for a file (override any key, e.g. a wrong sha256). */
export function metadataFor(file, sha256, overrides = {}) {
  return {
    filename: path.basename(file),
    sha256,
    deviceCode: DEVICE.code,
    officerBadge: OFFICER.badge,
    recordedAt: recordedAtFor(file),
    activityType: ACTIVITY_TYPE,
    ...overrides,
  };
}

// ---------------------------------------------------------------------------
// tus

/**
 * Starts a tus-js-client upload of `file` (a path, sent as fs.ReadStream).
 * Returns {upload, done, state}: `done` resolves with the upload URL on
 * success and rejects on error (it never settles after upload.abort()).
 * `state.firstProgress` is the first byte count reported (= resume offset).
 */
export function startTusUpload(server, token, file, opts = {}) {
  const {
    metadata,
    chunkSize = MiB,
    uploadUrl = null,
    retryDelays = [0, 500, 1000, 2000, 3000],
    onProgress,
    onChunkComplete,
  } = opts;
  const state = { firstProgress: null, lastProgress: null, error: null };
  let upload;
  const done = new Promise((resolve, reject) => {
    upload = new tus.Upload(fs.createReadStream(file), {
      // No endpoint when resuming: a failed resume must fail, not silently
      // create a fresh upload.
      endpoint: uploadUrl ? null : server.tusEndpoint,
      uploadUrl,
      chunkSize,
      retryDelays,
      headers: { Authorization: `Bearer ${token}` },
      metadata,
      onProgress: (sent, total) => {
        if (state.firstProgress === null) state.firstProgress = sent;
        state.lastProgress = sent;
        onProgress?.(sent, total, upload);
      },
      onChunkComplete: (chunk, accepted, total) => onChunkComplete?.(chunk, accepted, total, upload),
      onSuccess: () => resolve(upload.url),
      onError: (err) => {
        state.error = err;
        reject(err);
      },
    });
  });
  upload.start();
  return { upload, done, state };
}

/** Uploads `file` completely; returns the upload URL. */
export async function tusUpload(server, token, file, opts = {}) {
  const { done } = startTusUpload(server, token, file, opts);
  return withTimeout(done, opts.timeoutMs ?? 120_000, `tus upload of ${path.basename(file)}`);
}
