/**
 * The UTC offset a log's own stamps state. httpd's access and request logs (`%t`: `[13/May/2024:12:38:06
 * -0400]`, mod_log_config's default, and ssl_request_log) carry the server's offset; its error_log,
 * mod_jk's log and catalina.out carry none, and are written in the same local time. A paste or a
 * set of files from one server that holds both tells the zone of the stamps without one, where the
 * machine reading them (a support engineer's, elsewhere) would guess its own.
 */

/** `[dd/Mon/yyyy:HH:MM:SS ±hhmm]` (mod_log_config's %t, Tomcat's AccessLogValve %t). */
const CLF_STAMP = /\[\d{1,2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2}(?:\.\d+)? ([+-])(\d{2})(\d{2})\]/g;

/** Lines of a text looked at, at most (its head: the zone does not change within a log, DST aside). */
const MAX_LOOK = 65_536;

/**
 * The offsets the stamps of `text` state (its first MAX_LOOK characters), as `±hh:mm`, each with how
 * many stamps state it.
 */
export function statedOffsets(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const head = text.length > MAX_LOOK ? text.slice(0, MAX_LOOK) : text;
  for (const m of head.matchAll(CLF_STAMP)) {
    const off = `${m[1]}${m[2]}:${m[3]}`;
    out.set(off, (out.get(off) ?? 0) + 1);
  }
  return out;
}

/**
 * The one offset the texts' stamps state (several texts of one server, or one paste), or undefined
 * when they state none, or disagree (servers in different zones, or a DST change: then no guess).
 */
export function statedZone(texts: Iterable<string>): string | undefined {
  const all = new Set<string>();
  for (const t of texts) for (const off of statedOffsets(t).keys()) all.add(off);
  return all.size === 1 ? [...all][0] : undefined;
}
