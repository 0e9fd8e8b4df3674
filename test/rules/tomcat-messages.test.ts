import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  TOMCAT_LOCALES,
  TOMCAT_MESSAGES,
  formatMessage,
  matchMessage,
  messagePattern,
  messageWordings,
  minNeedleLength,
  printedParts,
} from '../../src/rules/tomcat-messages.js';

const fixture = (rel: string): string => readFileSync(new URL(`../fixtures/${rel}`, import.meta.url), 'utf8');
const printed = (format: string): string =>
  printedParts(format)
    .map((p) => ('lit' in p ? p.lit : `{${p.arg}}`))
    .join('')
    .trim();

const KEYS = [
  'ajpmessage.invalid', 'ajpprocessor.header.tooLong', 'ajpmessage.overflow', 'ajpprocessor.unknownAttribute',
  'ajpprotocol.noSecret', 'ajpprocessor.httpupgrade.notsupported', 'standardService.connector.initFailed',
  'standardService.connector.startFailed', 'lifecycleBase.initFail', 'lifecycleBase.startFail',
  'coyoteConnector.protocolHandlerInitializationFailed', 'coyoteConnector.protocolHandlerStartFailed',
  'abstractProtocolHandler.initError', 'abstractProtocolHandler.startError', 'abstractProtocolHandler.init',
  'abstractProtocolHandler.start', 'abstractProtocolHandler.pause', 'abstractProtocolHandler.stop', 'catalina.startup',
  'standardService.stop.name', 'threadpool.busy', 'endpoint.info.maxThreads',
];

describe('TOMCAT_MESSAGES data', () => {
  it('covers every key the rules need, each with English wordings and a source', () => {
    expect(Object.keys(TOMCAT_MESSAGES).sort()).toEqual([...KEYS].sort());
    for (const [key, m] of Object.entries(TOMCAT_MESSAGES)) {
      expect(m.en.length, key).toBeGreaterThan(0);
      expect(m.source, key).toMatch(/LocalStrings\[_xx\]\.properties; keys /);
      for (const lang of Object.keys(m.translations)) expect(TOMCAT_LOCALES as readonly string[], `${key} ${lang}`).toContain(lang);
    }
  });

  it('stores decoded text (no \\uXXXX escapes left) and translations use the placeholders of an English wording', () => {
    for (const key of KEYS) {
      const en = TOMCAT_MESSAGES[key].en.map((f) => JSON.stringify(printedParts(f).flatMap((p) => ('arg' in p ? [p.arg] : [])).sort()));
      for (const w of messageWordings(key)) {
        expect(w.format, key).not.toMatch(/\\u[0-9a-fA-F]{4}/);
        expect(en, `${key} ${w.lang}: ${w.format}`).toContain(JSON.stringify([...w.placeholders].sort()));
      }
    }
  });

  it('has the CJK translations the task is about', () => {
    expect(TOMCAT_MESSAGES['ajpmessage.invalid'].translations.ja).toEqual(['署名[{0}]で無効なメッセージが受信されました。']);
    expect(TOMCAT_MESSAGES['ajpmessage.invalid'].translations.zh_CN).toEqual(['收到无效的带有签名[{0}]的消息']);
    expect(TOMCAT_MESSAGES['ajpprocessor.unknownAttribute'].translations.ko).toEqual([
      '리버스 프록시 서버로부터 알 수 없는 요청 속성 [{0}]이(가) 접수되어 요청 처리를 거부합니다.',
    ]);
    expect(TOMCAT_MESSAGES['threadpool.busy'].translations.ja).toEqual([
      'すべてのスレッド ({0}) が現在稼働中で待機しています。maxThreads ({1}) を増やすか、そのサーブレットのステータスをチェックしてください',
    ]);
  });
});

describe('printedParts / formatMessage (java.text.MessageFormat rules)', () => {
  it("turns '' into ' and keeps quoted braces literal when the wording has placeholders", () => {
    expect(printedParts("a ''b'' {0} '{1}' c")).toEqual([{ lit: "a 'b' " }, { arg: 0 }, { lit: ' {1} c' }]);
    expect(formatMessage("Echec d''initialisation du composant [{0}]", ['X'])).toBe("Echec d'initialisation du composant [X]");
  });
  it('prints a wording without placeholders raw (Tomcat calls getString(key) without arguments)', () => {
    expect(printedParts("L''initialisation du gestionnaire de protocole a échoué")).toEqual([
      { lit: "L''initialisation du gestionnaire de protocole a échoué" },
    ]);
  });
});

describe('messagePattern needles', () => {
  for (const key of KEYS) {
    it(`${key}: every needle occurs in a printed wording, every wording holds a needle, lengths >= 6 (CJK >= 4)`, () => {
      const p = messagePattern(key);
      const texts = p.wordings.map((w) => printed(w.format));
      expect(p.needles.length).toBeGreaterThan(0);
      for (const n of p.needles) {
        expect(texts.some((t) => t.includes(n)), `${key} needle ${JSON.stringify(n)}`).toBe(true);
        expect(n.length, `${key} needle ${JSON.stringify(n)}`).toBeGreaterThanOrEqual(minNeedleLength(n));
      }
      for (const t of texts) expect(p.needles.some((n) => t.includes(n)), `${key}: ${t}`).toBe(true);
    });
  }
});

describe('lines constructed from each language\'s format string', () => {
  for (const key of KEYS) {
    it(`${key}: a line built from every wording (every language, every version) matches re, its own RegExp and gives the arguments back`, () => {
      const p = messagePattern(key);
      p.wordings.forEach((w, i) => {
        const args = ['8,192', 'Connector[AJP/1.3-8009]', '127.0.0.1'].map((v, n) => `${v}#${n}`);
        const line = `05-Dec-2026 00:10:00.000 SEVERE [main] org.apache.Some.method ${formatMessage(w.format, args)}`;
        expect(p.re.test(line), `${key} ${w.lang}: ${line}`).toBe(true);
        expect(p.res[i].test(line), `${key} ${w.lang}: ${line}`).toBe(true);
        const m = matchMessage(key, line);
        expect(m, `${key} ${w.lang}: ${line}`).toBeDefined();
        for (const n of w.placeholders) expect(m!.args[n], `${key} ${w.lang} {${n}}: ${line}`).toBe(args[n]);
      });
    });
  }

  it('ja and zh_CN ajpmessage.overflow print {1} before {0}: arguments still come back by number (constructed from the format strings)', () => {
    const ja = matchMessage('ajpmessage.overflow', 'SEVERE [ajp-nio-8009-exec-4] org.apache.coyote.ajp.AjpMessage.checkOverflow バッファーの位置 [552] へ [88,728] バイトのデータを追加しようとして、オーバーフローエラーが発生しました。');
    expect(ja?.lang).toBe('ja');
    expect(ja?.args).toEqual(['88,728', '552']);
    const zh = matchMessage('ajpmessage.overflow', '严重 [ajp-nio-8009-exec-4] org.apache.coyote.ajp.AjpMessage.checkOverflow 在缓冲区[552]位置添加[88,728]字节时发生溢出错误');
    expect(zh?.lang).toBe('zh_CN');
    expect(zh?.args).toEqual(['88,728', '552']);
  });

  it('German grouping and French quotes as printed (constructed from the format strings)', () => {
    expect(matchMessage('ajpmessage.overflow', 'SCHWERWIEGEND: Überlauffehler im Puffer beim Hinzufügen von [88.728] Bytes an Position [552]')?.args).toEqual(['88.728', '552']);
    expect(matchMessage('lifecycleBase.initFail', "GRAVE: Echec d'initialisation du composant [Connector[AJP/1.3-8009]]")?.args).toEqual(['Connector[AJP/1.3-8009]']);
    // Without arguments the text is printed raw: 7.0.21–7.0.96 / 8.5.0–8.5.43 / 9.0.0-M1–9.0.10 really print the doubled quote.
    expect(matchMessage('coyoteConnector.protocolHandlerInitializationFailed', "org.apache.catalina.LifecycleException: L''initialisation du gestionnaire de protocole a échoué")?.lang).toBe('fr');
    expect(matchMessage('coyoteConnector.protocolHandlerInitializationFailed', "org.apache.catalina.LifecycleException: L'initialisation du gestionnaire de protocole a échoué")?.lang).toBe('fr');
  });

  it('prefers the most specific wording: a bracketed signature comes out without its brackets', () => {
    expect(matchMessage('ajpmessage.invalid', 'Invalid message received with signature [18,245]')?.args).toEqual(['18,245']);
    expect(matchMessage('ajpmessage.invalid', 'Invalid message received with signature 18245')?.args).toEqual(['18245']);
    expect(matchMessage('ajpmessage.invalid', '署名[18,245]で無効なメッセージが受信されました。')?.args).toEqual(['18,245']);
  });

  it('does not match unrelated lines and throws on an unknown key', () => {
    expect(matchMessage('ajpmessage.invalid', 'Invalid message received')).toBeUndefined();
    expect(matchMessage('threadpool.busy', 'INFO: Server startup in 534 ms')).toBeUndefined();
    expect(() => messagePattern('no.such.key')).toThrow(/unknown/);
  });
});

describe('real translated lines from published logs', () => {
  // http://ripjyr.hatenablog.com/entry/20070901/1188582331 (Japanese catalina.out quoted in an @IT article, Tomcat 5.x/6.0),
  // kept as test/fixtures/logs/pastes/r2p-ja-ripjyr-atmarkit-maxthreads-two-webservers.txt.
  const RIPJYR = '致命的: すべてのスレッド (200) が現在稼働中で待機しています。maxThreads (200) を増やすか、そのサーブレットのステータスをチェックしてください';
  it('ja threadpool.busy (ThreadPool.logFull, Tomcat 5.5/6.0)', () => {
    expect(fixture('logs/pastes/r2p-ja-ripjyr-atmarkit-maxthreads-two-webservers.txt').split('\n')).toContain(RIPJYR);
    const m = matchMessage('threadpool.busy', RIPJYR);
    expect(m?.lang).toBe('ja');
    expect(m?.args).toEqual(['200', '200']);
  });

  // https://trinityt.hatenablog.jp/entry/20080909/1220932636: the blog wrapped the same message mid-sentence;
  // joined again it matches (test/fixtures/logs/pastes/r2p-ja-trinityt-proxy-ajp-threadpool-logfull.txt, lines 2–3).
  it('ja threadpool.busy, wrapped by a blog, matches once the two lines are joined', () => {
    const lines = fixture('logs/pastes/r2p-ja-trinityt-proxy-ajp-threadpool-logfull.txt').split('\n');
    expect(lines[1]).toBe('致命的: すべてのスレッド (200) が現在稼働中で待機しています。maxThreads (200) を増やすか、そのサーブレットのステータスを');
    expect(matchMessage('threadpool.busy', lines[1])).toBeUndefined();
    expect(matchMessage('threadpool.busy', lines[1] + lines[2])?.args).toEqual(['200', '200']);
  });

  // Japanese Tomcat 9.0.31 log in a Markdown note "Apache Tomcat 9.0.31以降のAJP接続について" (2020-05-17; code index
  // file-id 8058665366), kept as test/fixtures/logs/pastes/r2c-ja-tomcat9031-ajp-start-failed-localized.txt.
  const JA_9031 = [
    ['lifecycleBase.startFail', '    重大: コンポーネント[Connector[AJP/1.3-8009]]の開始に失敗しました。', ['Connector[AJP/1.3-8009]']],
    ['coyoteConnector.protocolHandlerStartFailed', '    org.apache.catalina.LifecycleException: プロトコルハンドラの起動に失敗しました', []],
    ['catalina.startup', '    情報: サーバーの起動 [1,417]ms', ['1,417']],
  ] as const;
  for (const [key, line, args] of JA_9031) {
    it(`ja ${key} (Tomcat 9.0.31): ${line.trim()}`, () => {
      expect(fixture('logs/pastes/r2c-ja-tomcat9031-ajp-start-failed-localized.txt').split('\n')).toContain(line);
      const m = matchMessage(key, line);
      expect(m?.lang).toBe('ja');
      expect(m?.args).toEqual(args);
    });
  }
});

describe('English wordings still match the English lines of test/fixtures', () => {
  const CASES: [file: string, key: string, args: string[]][] = [
    ['rules/published/openattestation-28-catalina.out', 'ajpmessage.invalid', ['18245']],
    ['rules/published/openattestation-28-catalina.out', 'abstractProtocolHandler.start', ['"ajp-bio-8009"']],
    ['rules/published/openattestation-28-catalina.out', 'catalina.startup', ['3820']],
    ['logs/pastes/iis-boncode-large-header-packetsize.txt', 'ajpmessage.invalid', ['514']],
    ['rules/constructed/packet-size-mismatch.catalina.out', 'ajpprocessor.header.tooLong', ['12,000', '8,192']],
    ['logs/pastes/r2g-boncode-lucee-response-header-88k-overflow.txt', 'ajpmessage.overflow', ['88728', '552']],
    ['rules/constructed/unknown-request-attribute-rejected.catalina.out', 'ajpprocessor.unknownAttribute', ['MY_SSO_USER']],
    ['logs/excerpts/E24-tomcat-8.5.51.log', 'standardService.connector.startFailed', ['Connector[AJP/1.3-8009]']],
    ['logs/excerpts/E24-tomcat-8.5.51.log', 'coyoteConnector.protocolHandlerStartFailed', []],
    ['logs/excerpts/E24-tomcat-8.5.51.log', 'ajpprotocol.noSecret', []],
    ['logs/pastes/r2c-houbb-dubbo-second-tomcat-ajp-8009-in-use.txt', 'abstractProtocolHandler.init', ['"ajp-nio-8009"']],
    ['logs/pastes/r2c-houbb-dubbo-second-tomcat-ajp-8009-in-use.txt', 'coyoteConnector.protocolHandlerInitializationFailed', []],
    ['logs/pastes/tc-modcluster-testsuite-ajp-port-offset.txt', 'standardService.connector.initFailed', ['Connector[AJP/1.3-8009]']],
    ['logs/pastes/tc-smarttomcat-second-instance-ajp-8009-oneline.txt', 'lifecycleBase.initFail', ['Connector[AJP/1.3-8009]']],
    ['logs/pastes/i18n-ru-freeipa-pki-journald-secretrequired.txt', 'lifecycleBase.startFail', ['Connector[AJP/1.3-8009]']],
    ['logs/pastes/tc-apdplat-ajp-nio-bind-in-use.txt', 'abstractProtocolHandler.initError', ['"http-nio-8080"']],
    ['logs/pastes/gh-lucee-docker-ghostcat-secret-stripped-stamps.txt', 'catalina.startup', ['14,192']],
    ['logs/pastes/gh-lucee-docker-ghostcat-secret-stripped-stamps.txt', 'abstractProtocolHandler.pause', ['"http-nio-8888"']],
    ['logs/pastes/gh-lucee-docker-ghostcat-secret-stripped-stamps.txt', 'standardService.stop.name', ['Catalina']],
    ['logs/pastes/tc-vaadin-push-websocket-over-ajp.txt', 'ajpprocessor.httpupgrade.notsupported', []],
    // Tomcat 6.0.33 under a Chinese locale: Tomcat 6 had no zh translations, so it printed English.
    ['logs/pastes/i18n-zh-tomcat6-apr-https-ajp-healthy.txt', 'abstractProtocolHandler.initError', []],
    ['logs/pastes/i18n-zh-tomcat6-apr-https-ajp-healthy.txt', 'standardService.connector.initFailed', ['Connector[HTTP/1.1-8443]']],
    ['logs/pastes/i18n-zh-tomcat6-apr-https-ajp-healthy.txt', 'coyoteConnector.protocolHandlerInitializationFailed', ['java.lang.Exception: No Certificate file specified or invalid file format']],
    ['logs/pastes/i18n-zh-tomcat6-apr-https-ajp-healthy.txt', 'abstractProtocolHandler.init', ['ajp-8009']],
    ['logs/pastes/i18n-zh-tomcat6-apr-https-ajp-healthy.txt', 'abstractProtocolHandler.start', ['ajp-8009']],
    ['logs/pastes/i18n-zh-tomcat6-apr-https-ajp-healthy.txt', 'catalina.startup', ['534']],
  ];
  for (const [file, key, args] of CASES) {
    it(`${key} in ${file}`, () => {
      const p = messagePattern(key);
      const line = fixture(file).split('\n').find((l) => p.needles.some((n) => l.includes(n)) && p.re.test(l));
      expect(line, `${key} in ${file}`).toBeDefined();
      const m = matchMessage(key, line!);
      expect(m?.lang).toBe('en');
      expect(m?.args.filter((a) => a !== undefined)).toEqual(args);
    });
  }
});
