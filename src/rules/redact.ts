/**
 * Evidence lines end up in tickets: hide session ids, cookies and AJP secrets before they leave the tool.
 */
const PATTERNS: [RegExp, (m: string, ...g: string[]) => string][] = [
  // Cookie / Set-Cookie / Authorization header values (whole value up to end of line or a closing quote)
  [/\b(Cookie|Set-Cookie|Authorization|Proxy-Authorization)(["']?\s*[:=]\s*)([^"'\r\n]*)/gi, (_m, h: string, sep: string) => `${h}${sep}[redacted]`],
  // JSESSIONID=..., jsessionid=... (cookie or ;jsessionid= path parameter)
  [/\b(jsessionid)=([^;&?#\s"',]+)/gi, (_m, k: string) => `${k}=[redacted]`],
  // secret=..., requiredSecret=..., worker.x.secret=...
  [/\b((?:required)?secret)(\s*=\s*)("[^"]*"|'[^']*'|[^\s,;&]+)/gi, (_m, k: string, sep: string) => `${k}${sep}[redacted]`],
];

export function redact(text: string): string {
  let out = text;
  for (const [re, f] of PATTERNS) out = out.replace(re, f as (m: string, ...g: string[]) => string);
  return out;
}
