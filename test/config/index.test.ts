import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, MAX_CONFIG_BYTES, MAX_INCLUDE_DEPTH, MAX_INCLUDE_ENTRIES, MIN_READ_BYTES, nodeFiles, readConfigs, type FileAccess } from '../../src/config/index.js';
import { memFiles } from '../rules/config-harness.js';

/** A file system of the given texts that counts its reads, and refuses to go on past `most` (the old reader went on for minutes). */
function counted(files: Record<string, string>, most: number): FileAccess & { reads: () => number } {
  const fs = memFiles(files);
  let reads = 0;
  return {
    ...fs,
    read: (p) => {
      if (++reads > most) throw new Error(`${reads} reads: not bounded`);
      return fs.read(p);
    },
    reads: () => reads,
  };
}

/** httpd.conf including l0.conf, each l<i>.conf including l<i+1>.conf `fan` times, l<depth>.conf empty (hunt3 gincl.sh). */
function includeTree(depth: number, fan: number): Record<string, string> {
  const files: Record<string, string> = { '/srv/httpd.conf': 'ServerRoot /srv\nListen 80\nInclude l0.conf\n' };
  for (let i = 0; i < depth; i++) files[`/srv/l${i}.conf`] = `Include l${i + 1}.conf\n`.repeat(fan);
  files[`/srv/l${depth}.conf`] = '';
  return files;
}

describe('readConfigs: each file read counts MIN_READ_BYTES at least', () => {
  it('an Include tree of tiny files that doubles per level is a one-line error after MAX_CONFIG_BYTES / MIN_READ_BYTES reads, not 2^depth reads', () => {
    const files = includeTree(24, 2);
    const most = MAX_CONFIG_BYTES / MIN_READ_BYTES;
    const fs = counted(files, most + 1);
    const main = { path: '/srv/httpd.conf', text: files['/srv/httpd.conf']! };
    let err: unknown;
    try {
      readConfigs([main], fs);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as ConfigError).message;
    expect(msg.split('\n')).toHaveLength(1);
    expect(msg).toMatch(/^\/srv\/l\d+\.conf: more configuration than one run reads \(16 MiB of text in all, with what the files include and name, here \d+ files read: a file counts as 256 bytes at least/);
    // the main file's 42 characters count too: the read that goes past is the 65,536th
    expect(fs.reads()).toBe(most);
  }, 10_000);

  it('a file included twice is still read twice, and a file of its own size still counts its size', () => {
    const files = { '/srv/httpd.conf': 'ServerRoot /srv\nInclude a.conf\nInclude a.conf\n', '/srv/a.conf': 'JkMount /a/* w1\n' };
    const main = { path: '/srv/httpd.conf', text: files['/srv/httpd.conf'] };
    const facts = readConfigs([main], memFiles(files));
    expect(facts.mounts.map((m) => m.uri)).toEqual(['/a/*', '/a/*']);
    expect(facts.files[0]!.included?.files).toEqual(['/srv/a.conf', '/srv/a.conf']);
    // 46 + 2 × 256 fits in 600; a third read would not
    expect(readConfigs([main], memFiles(files), { maxBytes: 46 + 2 * MIN_READ_BYTES }).mounts).toHaveLength(2);
    expect(() => readConfigs([main], memFiles(files), { maxBytes: 46 + 2 * MIN_READ_BYTES - 1 })).toThrow(/^\/srv\/a\.conf: more configuration than one run reads \(0 MiB of text in all, with what the files include and name, here 2 files read/);
    // text past the bound says so without the count of reads (as before)
    const big = { '/srv/httpd.conf': main.text, '/srv/a.conf': 'JkMount /a/* w1\n'.repeat(100) };
    expect(() => readConfigs([main], memFiles(big), { maxBytes: 2000 })).toThrow(/^\/srv\/a\.conf: more configuration than one run reads \(0 MiB of text in all, with what the files include and name\): give/);
  });
});

describe('readConfigs: Include wildcards and folders look at MAX_INCLUDE_ENTRIES directory entries at most (issue 14)', () => {
  /** A real folder (the walk is nodeFiles'): httpd.conf with `include`, conf.d/ of `n` files, vhosts/ of `n` folders of one file. */
  const tree = (n: number, include: string): { root: string; main: { path: string; text: string } } => {
    const root = mkdtempSync(join(tmpdir(), 'ajp-inspect-glob-'));
    mkdirSync(join(root, 'conf.d'));
    for (let i = 0; i < n; i++) writeFileSync(join(root, 'conf.d', `site${String(i).padStart(3, '0')}.conf`), `JkMount /s${i}/* w\n`);
    for (let i = 0; i < n; i++) {
      mkdirSync(join(root, 'vhosts', `v${i}`), { recursive: true });
      writeFileSync(join(root, 'vhosts', `v${i}`, 'site.conf'), `JkMount /v${i}/* w\n`);
    }
    const text = `ServerRoot ${root}\n${include}\n`;
    writeFileSync(join(root, 'httpd.conf'), text);
    return { root, main: { path: join(root, 'httpd.conf'), text } };
  };

  it('a wildcard past the bound is a one-line ConfigError naming it; within it, read as before', () => {
    const { root, main } = tree(30, 'Include vhosts/*/*.conf');
    try {
      // the segments before the first wildcard (one look each: …/vhosts), vhosts/ (30 entries) and its 30 folders (1 each)
      const n = root.split('/').filter(Boolean).length + 1 + 60;
      expect(readConfigs([main], nodeFiles, { maxIncludeEntries: n }).mounts).toHaveLength(30);
      expect(() => readConfigs([main], nodeFiles, { maxIncludeEntries: n - 1 })).toThrow(
        new ConfigError(`${root}/vhosts/*/*.conf: Include wildcards and folders look at more than ${n - 1} directory entries in all (every folder a wildcard names is read): name the folder that holds the configuration (conf.d/*.conf), not a walk of the disk`),
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('the bound is for the run: Includes of a folder count too, each time', () => {
    const { root, main } = tree(30, 'Include conf.d/\nInclude conf.d/*.conf');
    try {
      // conf.d/ (30), then the segments to conf.d (one look each) and its 30 entries again
      expect(readConfigs([main], nodeFiles, { maxIncludeEntries: 60 + root.split('/').filter(Boolean).length + 1 }).mounts).toHaveLength(60);
      expect(() => readConfigs([main], nodeFiles, { maxIncludeEntries: 45 })).toThrow(/conf\.d\/\*\.conf: Include wildcards and folders look at more than 45 directory entries/);
      expect(() => readConfigs([main], nodeFiles, { maxIncludeEntries: 20 })).toThrow(/conf\.d\/: Include wildcards and folders look at more than 20 directory entries/);
      expect(MAX_INCLUDE_ENTRIES).toBe(1_048_576);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('readHttpd: Includes nest as deep as httpd allows (server/core.c AP_MAX_INCLUDE_DEPTH)', () => {
  /** httpd.conf including n1.conf, n1 including n2 …: `depth` Includes one inside the other. */
  const nested = (depth: number): Record<string, string> => {
    const files: Record<string, string> = { '/srv/httpd.conf': 'ServerRoot /srv\nInclude n1.conf\n' };
    for (let i = 1; i < depth; i++) files[`/srv/n${i}.conf`] = `Include n${i + 1}.conf\n`;
    files[`/srv/n${depth}.conf`] = 'JkMount /deep/* w\n';
    return files;
  };
  it('128 nested Includes are read (32 were an error), the 129th is the one line httpd gives', () => {
    const ok = nested(MAX_INCLUDE_DEPTH);
    expect(readConfigs([{ path: '/srv/httpd.conf', text: ok['/srv/httpd.conf']! }], memFiles(ok)).mounts.map((m) => `${m.path} ${m.uri}`)).toEqual(['/srv/n128.conf /deep/*']);
    const deep = nested(MAX_INCLUDE_DEPTH + 1);
    expect(() => readConfigs([{ path: '/srv/httpd.conf', text: deep['/srv/httpd.conf']! }], memFiles(deep))).toThrow(
      new ConfigError('/srv/n128.conf:1: Include n129.conf: Includes nested deeper than 128 (httpd refuses to start: "Exceeded maximum include depth of 128")'),
    );
  });
});
