import { defineRule, type Signal } from '../types.js';
import { managerMemError, nodeMemAnswer } from '../mcmp-signals.js';
import { list, plural, span } from '../helpers.js';
import { captureSpan, framesOf } from './capture-util.js';
import { exchangesOf, messages, nodeLogged, SAME_WORKER_MESS } from './mcmp-util.js';

/**
 * mod_manager answered MEM: it could not read or store a node, host or context in its shared-memory
 * tables (mod_manager.c: `MEM: Can't read node with "%s" JVMRoute`, `MEM: Can't update or insert
 * node with "%s" JVMRoute`, `… host alias`, `… context`). The Java side sets the proxy to ERROR
 * and resets it (INFO, CONFIG, ENABLE-APP) on its next status round.
 */
export default defineRule({
  id: 'mcmp-mem-error',
  title: "httpd (mod_cluster) cannot find or store a node in its shared memory (MEM)",
  severity: 'error',
  needs: { logs: [managerMemError, nodeMemAnswer], capture: ['mcmp-mem-error', 'mcmp-node-unknown'] },
  docs: {
    summary:
      "mod_manager answered an MCMP request with 500 and `Type: MEM`. `Can't read node` means httpd does not know the node (it was removed, purged, or httpd restarted and lost its tables) although the node still sends STATUS or *-APP; `Can't update or insert` means a shared-memory table (nodes, host aliases, contexts) is full. Until the node registers again, httpd routes nothing to it.",
    remedy: [
      "`MEM: Can't read node with \"X\" JVMRoute`: the node must send CONFIG again; the mod_cluster listener does so on its next status round after an error answer (WildFly mod_cluster status-interval, Tomcat backgroundProcessorDelay × status-frequency, 10 s by default). If it keeps failing, check that CONFIG itself succeeds and that jvmRoute is the same in CONFIG and STATUS.",
      "`MEM: Can't update or insert …`: raise the table sizes in httpd (mod_manager `Maxnode`, `Maxhost`, `Maxcontext`; restart needed) — removed nodes keep their slot until httpd purges them — and make sure `MemManagerFile` points to a writable directory.",
      'If httpd restarted (see mcmp-httpd-restart), `PersistSlots On` keeps the tables across restarts.',
    ],
    references: [
      'mod_proxy_cluster native/mod_manager/mod_manager.c (MEM error strings, process_status(), process_appl_cmd())',
      'mod_cluster core DefaultMCMPHandler (error answer → proxy ERROR → reset on the next status)',
      'https://docs.modcluster.io/',
    ],
  },
  check(ctx) {
    // (a worker or jvmRoute another node holds is mod-cluster-duplicate-node-address's: not a table's fault)
    const own = (x: Signal): boolean => !SAME_WORKER_MESS.test(String(x.d.mess));
    const httpd = ctx.signals(managerMemError).filter(own);
    // the node's side (MODCLUSTER000042 with Type MEM): the same answer, read where it arrived
    const node = ctx.signals(nodeMemAnswer).filter(own);
    const sigs = [...httpd, ...node];
    const cap = ctx.capture('mcmp-mem-error').filter((c) => !SAME_WORKER_MESS.test(String(c.fields?.mess ?? '')));
    if (!sigs.length && !cap.length) return [];
    const mess = messages(cap, sigs);
    // the nodes httpd did not know (`Can't read node`; `Can't update or insert` is a full table, not an unknown node)
    const notKnown = (mess: unknown): boolean => typeof mess !== 'string' || /can't read/i.test(mess);
    const nodes = [...new Set([...cap.filter((c) => notKnown(c.fields?.mess)).map((c) => c.fields?.node), ...sigs.filter((s) => notKnown(s.d.mess)).map((s) => s.d.node)].filter((n): n is string => typeof n === 'string' && n !== ''))];
    const unknown = ctx.capture('mcmp-node-unknown').filter((u) => cap.some((c) => c.fields?.exchange === u.fields?.exchange));
    const finding = ctx.finding({
      confidence: cap.length ? 'confirmed' : 'likely',
      explanation:
        (cap.length
          ? `httpd answered ${plural(cap.length, 'MCMP request')} with 500 Type: MEM${captureSpan(cap)} (${exchangesOf(cap)}, ${framesOf(cap)}): ${list(mess.map((m) => `"${m}"`))}.`
          : httpd.length
            ? `mod_manager logged ${plural(httpd.length, 'MEM error')}${span(httpd)}: ${list(mess.map((m) => `"${m}"`))}.`
            : `${nodeLogged(node, 'MEM answer', 'MODCLUSTER000042')}${span(node)}: ${list(mess.map((m) => `"${m}"`))}; httpd was reached and refused the node's ${list([...new Set(node.map((s) => String(s.d.method)))])}.`) +
        (nodes.length ? ` httpd did not know ${nodes.length === 1 ? 'node' : 'nodes'} ${list(nodes)} at that moment: until ${nodes.length === 1 ? 'it registers' : 'they register'} again (CONFIG), httpd routes nothing to ${nodes.length === 1 ? 'it' : 'them'}.` : ''),
      evidence: [...cap, ...unknown, ...sigs],
    });
    return [finding];
  },
});
