// The real-code tree of the wire benchmark: released sources of real services and the frameworks they use, fetched
// once from the two registries this project's machines reach (Debian's archive, npm) and kept outside the clone,
// keyed by the list below. Nothing of it is committed: it is other people's code, read only to time the scan.
//
// The other bench tree (copies of test/fixtures/wire) is a worst case: every file there is a handler file, one
// route every 16 lines. In real code (this tree) one file in four or five can hold routes and a route comes every
// few hundred lines — what an on-call engineer's repository looks like.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Debian 12 (bookworm) packages that ship sources: Go, PHP, Python, Ruby services and frameworks. */
export const DEBIAN = [
  ['golang-github-gin-gonic-gin-dev', '1.8.1-1'],
  ['golang-github-go-chi-chi-dev', '5.0.7-1'],
  ['golang-github-gorilla-mux-dev', '1.8.0-1'],
  ['golang-github-labstack-echo-dev', '4.2.1-3'],
  ['golang-google-grpc-dev', '1.33.3-2'],
  ['golang-github-prometheus-alertmanager-dev', '0.25.0-1'],
  ['php-laravel-framework', '8.83.26+dfsg-2'],
  ['php-symfony-http-kernel', '5.4.53+dfsg-0+deb12u1'],
  ['php-symfony-routing', '5.4.53+dfsg-0+deb12u1'],
  ['python3-django-hyperkitty', '1.3.7-1'],
  ['python3-django-postorius', '1.3.8-3+deb12u1'],
  ['python3-fastapi', '0.92.0-1'],
  ['python3-flask', '2.2.2-3'],
  ['redmine', '5.0.4-5+deb12u1'],
  ['ruby-grape', '1.6.2-3'],
  ['ruby-sinatra', '3.0.5-3+deb12u1'],
];

/** npm packages: Ghost (a Node service), Node-RED's editor API, Fastify's Swagger UI plugin. */
export const NPM = [
  ['ghost', '5.130.6'],
  ['@node-red/editor-api', '4.1.15'],
  ['@fastify/swagger-ui', '6.1.3'],
];

/** Where the tree is kept: ONCALL_BENCH_REAL_DIR, or the user's cache, by a key of the list above. */
export function realTreeDir() {
  const key = crypto.createHash('sha256').update(JSON.stringify([DEBIAN, NPM])).digest('hex').slice(0, 12);
  return process.env.ONCALL_BENCH_REAL_DIR ?? path.join(os.homedir(), '.cache', 'oncall-lens', 'bench-real', key);
}

/**
 * The tree, fetched when it is not there yet: `{ dir, sources }` (each source with the version actually fetched: a
 * pinned Debian version the archive no longer has is replaced by the one it has), or `{ problem }` naming what failed.
 */
export function realTree(log = (line) => console.error(line)) {
  const dir = realTreeDir();
  const manifest = path.join(dir, 'sources.json');
  if (fs.existsSync(manifest)) return { dir, sources: JSON.parse(fs.readFileSync(manifest, 'utf8')) };
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'oncall-bench-real-'));
  const tree = path.join(work, 'tree');
  fs.mkdirSync(tree);
  try {
    const sources = [];
    log(`Fetching the real-code bench tree into ${dir} (once; ${DEBIAN.length} Debian and ${NPM.length} npm packages)…`);
    for (const [name, version] of DEBIAN) {
      let got = spawnSync('apt-get', ['download', `${name}=${version}`], { cwd: work, encoding: 'utf8' });
      if (got.status !== 0) got = spawnSync('apt-get', ['download', name], { cwd: work, encoding: 'utf8' });
      if (got.error) return { problem: `apt-get could not be run (${got.error.message}): the real-code tree needs Debian's archive` };
      const deb = fs.readdirSync(work).find((f) => f.startsWith(`${name}_`) && f.endsWith('.deb'));
      if (got.status !== 0 || !deb) return { problem: `apt-get download ${name} failed: ${(got.stderr || got.stdout).trim().split('\n').pop()}` };
      const dest = path.join(tree, name);
      const x = spawnSync('dpkg-deb', ['-x', path.join(work, deb), dest], { encoding: 'utf8' });
      if (x.status !== 0) return { problem: `dpkg-deb -x ${deb} failed: ${x.stderr?.trim() || x.error?.message}` };
      for (const d of ['usr/share/doc', 'usr/share/man', 'usr/share/lintian']) fs.rmSync(path.join(dest, d), { recursive: true, force: true });
      sources.push({ name, version: decodeURIComponent(deb.split('_')[1]), from: 'debian' });
      fs.rmSync(path.join(work, deb));
    }
    for (const [name, version] of NPM) {
      const packed = spawnSync('npm', ['pack', `${name}@${version}`, '--silent'], { cwd: work, encoding: 'utf8' });
      const tgz = packed.stdout?.trim().split('\n').pop();
      if (packed.status !== 0 || !tgz) return { problem: `npm pack ${name}@${version} failed: ${(packed.stderr || packed.error?.message || '').trim().split('\n').pop()}` };
      const dest = path.join(tree, name.replace(/^@/, '').replace('/', '-'));
      fs.mkdirSync(dest, { recursive: true });
      const x = spawnSync('tar', ['xzf', path.join(work, tgz), '-C', dest], { encoding: 'utf8' });
      if (x.status !== 0) return { problem: `tar xzf ${tgz} failed: ${x.stderr?.trim()}` };
      sources.push({ name, version, from: 'npm' });
      fs.rmSync(path.join(work, tgz));
    }
    fs.writeFileSync(path.join(tree, 'sources.json'), JSON.stringify(sources, null, 1));
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(tree, dir);
    return { dir, sources };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
