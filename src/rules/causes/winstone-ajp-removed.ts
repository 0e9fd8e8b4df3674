import { defineRule, type SignalDef } from '../types.js';

/**
 * Jenkins' built-in server, Winstone, lost its AJP connector in the Jetty-based versions (Jenkins 2.x:
 * Jetty 9 has no AJP): an init script, cookbook or launcher that still passes `--ajp13Port` makes
 * Jenkins fail to start — `Failed to start a listener: winstone.Ajp13ConnectorFactory` while the
 * option was still parsed, `Unrecognized option: --ajp13Port…` once it was deleted (winstone#291).
 * (The old winstone.ajp13.Ajp13Listener of Winstone 0.9 failing is a bind problem: ajp-connector-port-in-use.)
 */
const winstoneAjp: SignalDef = {
  kind: 'winstone-ajp-option',
  source: 'tomcat',
  needles: ['winstone.Ajp13ConnectorFactory', 'Unrecognized option: --ajp13'],
  re: /Failed to start a listener: winstone\.Ajp13ConnectorFactory|Unrecognized option: (--ajp13\w*(?:=\S*)?)/,
  data: (m) => ({ option: m[1] }),
};

/** The cause under Winstone's `Failed to start a listener`: the port option given an empty value. */
const emptyNumber: SignalDef = {
  kind: 'java-number-format-empty',
  source: 'tomcat',
  needles: ['NumberFormatException: For input string: ""'],
  re: /NumberFormatException: For input string: ""/,
};

export default defineRule({
  id: 'winstone-ajp-removed',
  title: "Jenkins started with an AJP option its server (Winstone) no longer has",
  severity: 'error',
  needs: { logs: [winstoneAjp, emptyNumber] },
  docs: {
    summary:
      "Jenkins 2's embedded server (Winstone on Jetty 9) has no AJP connector, and newer Winstone does not even know the --ajp13Port option: a launcher, init script or cookbook that still passes it (often JENKINS_AJP_PORT in /etc/sysconfig/jenkins or /etc/default/jenkins) stops Jenkins from starting.",
    remedy: [
      'Remove --ajp13Port=… from JENKINS_ARGS / the service unit / the launcher, and JENKINS_AJP_PORT from /etc/sysconfig/jenkins (/etc/default/jenkins) or the cookbook / role that writes it.',
      'Front Jenkins over HTTP instead of AJP: ProxyPass /jenkins http://127.0.0.1:8080/jenkins nocanon, ProxyPassReverse, AllowEncodedSlashes NoDecode (mod_jk cannot reach it any more).',
    ],
    references: ['https://github.com/jenkinsci/winstone/pull/291', 'https://github.com/sous-chefs/jenkins/issues/669', 'https://www.jenkins.io/doc/book/system-administration/reverse-proxy-configuration-apache/'],
  },
  check(ctx) {
    const s = ctx.signals(winstoneAjp);
    if (!s.length) return [];
    const option = s.find((x) => x.d.option)?.d.option;
    // `Caused by: java.lang.NumberFormatException: For input string: ""` in the same trace (the same
    // event, its trace read with it, or a few lines on): the launcher passed --ajp13Port with no value (JENKINS_AJP_PORT empty in the
    // defaults file), which Winstone cannot parse.
    const empty = ctx.signals(emptyNumber).some((n) => s.some((x) => x.ev.path === n.ev.path && n.seq >= x.seq && n.ev.line - x.ev.line <= 40));
    if (empty && !option)
      return [
        ctx.finding({
          confidence: 'likely',
          explanation:
            'Jenkins could not start its AJP listener (winstone.Ajp13ConnectorFactory) because the AJP port it was given is empty (NumberFormatException for ""): the launcher passes --ajp13Port with no value, as when JENKINS_AJP_PORT is unset in /etc/default/jenkins or /etc/sysconfig/jenkins.',
          evidence: [...s, ...ctx.signals(emptyNumber)],
          remedy: ['Set JENKINS_AJP_PORT=-1 (AJP off) or remove --ajp13Port from JENKINS_ARGS; a cookbook or role that writes the defaults file must write a value.'],
        }),
      ];
    return [
      ctx.finding({
        confidence: 'likely',
        explanation: option
          ? `Jenkins refused to start on the option ${option}: its server (Winstone) no longer has an AJP connector, and the option itself was removed.`
          : "Jenkins could not start its AJP listener (winstone.Ajp13ConnectorFactory): its Jetty-based server has no AJP connector, so asking for one (--ajp13Port) aborts the start.",
        evidence: s,
      }),
    ];
  },
});
