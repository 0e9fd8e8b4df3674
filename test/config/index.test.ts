import { describe, expect, it } from 'vitest';
import { ConfigError, MAX_CONFIG_BYTES, MIN_READ_BYTES, readConfigs, type FileAccess } from '../../src/config/index.js';
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
