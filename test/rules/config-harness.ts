/** Runs the configuration checks over configuration texts given inline (path → text), as `ajp-inspect config` does. */
import { readConfigs, type FileAccess } from '../../src/config/index.js';
import { configRules, diagnose, type Finding } from '../../src/rules/index.js';

/** A file system made of the given texts (Includes resolve among them). */
export function memFiles(files: Record<string, string>): FileAccess {
  const has = (p: string): boolean => p in files;
  return {
    read: (p) => {
      if (!has(p)) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT', path: p });
      return files[p]!;
    },
    exists: (p) => has(p) || Object.keys(files).some((k) => k.startsWith(p.replace(/\/$/, '') + '/')),
    isDir: (p) => !has(p) && Object.keys(files).some((k) => k.startsWith(p.replace(/\/$/, '') + '/')),
    real: (p) => p,
    list: (d) => Object.keys(files).filter((k) => k.startsWith(d + '/') && !k.slice(d.length + 1).includes('/')).sort(),
    glob: (pattern) => {
      const re = new RegExp('^' + pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*') + '$');
      return Object.keys(files).filter((k) => re.test(k)).sort();
    },
  };
}

/** The configuration findings of these files (every file is given, in this order). */
export function auditConfig(files: Record<string, string>): Finding[] {
  const fs = memFiles(files);
  const facts = readConfigs(Object.entries(files).map(([path, text]) => ({ path, text })), fs);
  return diagnose({ events: [], config: facts }, { rules: configRules }).findings;
}

export function ids(findings: readonly Finding[], minSeverity: 'info' | 'warning' = 'info'): string[] {
  return [...new Set(findings.filter((f) => minSeverity === 'info' || f.severity !== 'info').map((f) => f.id))].sort();
}
