/**
 * Answer bodies written byte for byte from mod_manager's printf formats (mod_proxy_cluster
 * native/mod_manager/mod_manager.c: process_info, process_dump, print_app_cmd_response,
 * process_status, process_version) in their text and XML (Accept: text/xml) forms.
 */
import { describe, expect, it } from 'vitest';
import { decodeBody, mcmpError, parseAmpersand } from '../../src/mcmp/index.js';

describe('INFO', () => {
  const text =
    'Node: [1],Name: node1,Balancer: mycluster,LBGroup: dom1,Host: 10.0.0.7,Port: 8009,Type: ajp,Flushpackets: Auto,Flushwait: 10,Ping: 10,Smax: -1,Ttl: 60,Elected: 12,Read: 3400,Transfered: 20,Connected: 1,Load: 97\n' +
    'Node: [2],Name: node2,Balancer: mycluster,LBGroup: ,Host: [fe80::1],Port: 8080,Type: http,Flushpackets: Off,Flushwait: 10,Ping: 10,Smax: -1,Ttl: 60,Elected: 0,Read: 0,Transfered: 0,Connected: 0,Load: -1\n' +
    'Vhost: [1:1:1], Alias: localhost\n' +
    'Vhost: [1:1:2], Alias: www.example.com\n' +
    'Context: [1:1:1], Context: /app, Status: ENABLED\n' +
    'Context: [1:1:2], Context: /, Status: STOPPED\n';

  it('reads the text form: nodes with every field, aliases and contexts with their ids', () => {
    const d = decodeBody('INFO', 200, 'text/plain', text);
    expect(d.kind).toBe('info');
    if (d.kind !== 'info') return;
    expect(d.nodes.map((n) => [n.id, n.name, n.lbGroup, n.host, n.port, n.type, n.flushpackets, n.elected, n.load])).toEqual([
      [1, 'node1', 'dom1', '10.0.0.7', '8009', 'ajp', 'Auto', '12', '97'],
      [2, 'node2', '', '[fe80::1]', '8080', 'http', 'Off', '0', '-1'],
    ]);
    expect(d.vhosts).toEqual([
      { node: 1, vhost: 1, id: 1, alias: 'localhost' },
      { node: 1, vhost: 1, id: 2, alias: 'www.example.com' },
    ]);
    expect(d.contexts).toEqual([
      { node: 1, vhost: 1, id: 1, path: '/app', status: 'ENABLED' },
      { node: 1, vhost: 1, id: 2, path: '/', status: 'STOPPED' },
    ]);
    expect(d.unparsed).toEqual([]);
  });

  it('reads the XML form', () => {
    const xml =
      '<?xml version="1.0" standalone="yes" ?>\n<Info><Nodes>' +
      '<Node id="1" name="node1"><Balancer>mycluster</Balancer><LBGroup></LBGroup><Host>10.0.0.7</Host><Port>8009</Port><Type>ajp</Type>' +
      '<Flushpackets>Off</Flushpackets><Flushwait>10</Flushwait><Ping>10</Ping><Smax>-1</Smax><Ttl>60</Ttl>' +
      '<Elected>0</Elected><Read>0</Read><Transfered>0</Transfered><Connected>0</Connected><Load>100</Load></Node>' +
      '</Nodes><Vhosts><Vhost id="1" alias="localhost"><Node id="1"/></Vhost></Vhosts>' +
      '<Contexts><Context id="1"><Status id="1">ENABLED</Status><Context>/app</Context><Node id="1"/><Vhost id="1"/></Context></Contexts></Info>';
    const d = decodeBody('INFO', 200, 'text/xml', xml);
    expect(d.kind === 'info' && [d.nodes[0].name, d.nodes[0].host, d.nodes[0].load, d.vhosts[0].alias, d.contexts[0]]).toEqual([
      'node1', '10.0.0.7', '100', 'localhost', { node: 1, vhost: 1, id: 1, path: '/app', status: 'ENABLED' },
    ]);
  });

  it('reads an empty INFO (httpd knows no node) as empty', () => {
    expect(decodeBody('INFO', 200, 'text/plain', '')).toEqual({ kind: 'empty' });
  });
});

describe('DUMP', () => {
  it('reads the text form', () => {
    const text =
      'balancer: [1] Name: mycluster Sticky: 1 [JSESSIONID]/[jsessionid] remove: 0 force: 0 Timeout: 0 maxAttempts: 1\n' +
      'node: [1:1],Balancer: mycluster,JVMRoute: node1,LBGroup: [],Host: 10.0.0.7,Port: 8009,Type: ajp,flushpackets: 0,flushwait: 10,ping: 10,smax: -1,ttl: 60,timeout: 0\n' +
      'host: 1 [localhost] vhost: 1 node: 1\n' +
      'context: 1 [/app] vhost: 1 node: 1 status: 1\n';
    const d = decodeBody('DUMP', 200, 'text/plain', text);
    expect(d.kind).toBe('dump');
    if (d.kind !== 'dump') return;
    expect(d.balancers[0].fields).toMatchObject({ Name: 'mycluster', Sticky: '1', StickySessionCookie: 'JSESSIONID', StickySessionPath: 'jsessionid', remove: '0', force: '0', Timeout: '0', maxAttempts: '1' });
    expect(d.nodes[0].fields).toMatchObject({ JVMRoute: 'node1', LBGroup: '[]', Port: '8009', timeout: '0' });
    expect(d.hosts).toEqual([{ id: 1, alias: 'localhost', vhost: 1, node: 1 }]);
    expect(d.contexts).toEqual([{ id: 1, path: '/app', vhost: 1, node: 1, status: 1 }]);
  });

  it('reads the XML form, including the Host element httpd prints with embedded spaces', () => {
    const xml =
      '<?xml version="1.0" standalone="yes" ?>\n<Dump><Balancers><Balancer id="1" name="mycluster"><StickySession><Enabled>1</Enabled><Cookie>JSESSIONID</Cookie><Path>jsessionid</Path><Remove>0</Remove><Force>0</Force></StickySession><Timeout>0</Timeout><MaxAttempts>1</MaxAttempts></Balancer></Balancers>' +
      '<Nodes><Node id="1"><Balancer>mycluster</Balancer><JVMRoute>node1</JVMRoute><LBGroup></LBGroup><Host>10.0.0.7</Host><Port>8009</Port><Type>ajp</Type><FlushPackets>0</FlushPackets><FlushWait>10</FlushWait><Ping>10</Ping><Smax>-1</Smax><Ttl>60</Ttl><Timeout>0</Timeout></Node></Nodes>' +
      '<Hosts><Host id="1" alias="localhost">                               <Vhost>1</Vhost>                               <Node>1</Node>                           </Host></Hosts>' +
      '<Contexts><Context id="1" path="/app"><Vhost>1</Vhost><Node>1</Node><Status id="1">ENABLED</Status></Context></Contexts></Dump>';
    const d = decodeBody('DUMP', 200, 'text/xml', xml);
    expect(d.kind).toBe('dump');
    if (d.kind !== 'dump') return;
    expect(d.balancers[0].fields).toMatchObject({ Sticky: '1', force: '0', maxAttempts: '1' });
    expect(d.nodes[0].fields).toMatchObject({ JVMRoute: 'node1', flushpackets: '0', timeout: '0' });
    expect(d.hosts).toEqual([{ id: 1, alias: 'localhost', vhost: 1, node: 1 }]);
    expect(d.contexts).toEqual([{ id: 1, path: '/app', vhost: 1, node: 1, status: 1 }]);
  });
});

describe('*-APP, STATUS, PING, VERSION and errors', () => {
  it('reads main\'s newline *-APP answer with several aliases (a blank line after each)', () => {
    const body = 'Type=ENABLE-APP-RSP\nJvmRoute=node1\nAlias=localhost Contexts=/app,/b\n\nAlias=example.com Contexts=/app\n\n';
    expect(decodeBody('ENABLE-APP', 200, 'text/plain', body)).toEqual({
      kind: 'app-rsp',
      type: 'ENABLE-APP-RSP',
      jvmRoute: 'node1',
      aliases: [
        { alias: 'localhost', contexts: ['/app', '/b'] },
        { alias: 'example.com', contexts: ['/app'] },
      ],
    });
  });

  it('keeps an unexpected line of a newline answer as unparsable, with the reason', () => {
    const d = decodeBody('STOP-APP', 200, 'text/plain', 'Type=STOP-APP-RSP\nJvmRoute=node1\nRequests 3\n');
    expect(d).toMatchObject({ kind: 'unparsable', reason: 'unexpected line in STOP-APP-RSP: "Requests 3"' });
  });

  it('splits ampersand answers at the first "=" of each pair, so 2.x\'s garbage Alias stays one value', () => {
    const f = parseAmpersand('Type=STOP-APP-RSP&JvmRoute=node2&Alias==p\n\x14s\x7f&Context=/shop&Requests=0\n');
    expect(f.fields).toEqual([['Type', 'STOP-APP-RSP'], ['JvmRoute', 'node2'], ['Alias', '=p\n\x14s\x7f'], ['Context', '/shop'], ['Requests', '0']]);
    expect(f.type).toBe('STOP-APP-RSP');
  });

  it('reads 1.3\'s negative 32-bit id and the PING answer without JVMRoute', () => {
    const s = decodeBody('STATUS', 200, 'text/plain', 'Type=STATUS-RSP&JVMRoute=node1&State=NOTOK&id=-1294967296\n');
    expect(s.kind === 'fields' && s.fields.fields).toEqual([['Type', 'STATUS-RSP'], ['JVMRoute', 'node1'], ['State', 'NOTOK'], ['id', '-1294967296']]);
    const p = decodeBody('PING', 200, 'text/plain', 'Type=PING-RSP&State=OK&id=1782712345123456\n');
    expect(p.kind === 'fields' && p.fields.type).toBe('PING-RSP');
  });

  it('reads VERSION in both releases\' words', () => {
    expect(decodeBody('VERSION', 200, 'text/plain', 'release: mod_proxy_cluster/2.0.0.Dev, protocol: 0.2.1\n')).toEqual({
      kind: 'version', release: 'mod_proxy_cluster/2.0.0.Dev', protocol: '0.2.1',
    });
    expect(decodeBody('VERSION', 200, 'text/plain', 'protocol: 0.2.1\n')).toEqual({ kind: 'version', protocol: '0.2.1' });
  });

  it('takes the MCMP error from a 500\'s headers only', () => {
    expect(mcmpError(500, [['Version', '0.2.1'], ['Type', 'SYNTAX'], ['Mess', 'SYNTAX: Command is not supported']])).toEqual({
      version: '0.2.1', type: 'SYNTAX', mess: 'SYNTAX: Command is not supported',
    });
    expect(mcmpError(200, [['Type', 'x']])).toBeUndefined();
    expect(mcmpError(500, [['Content-Type', 'text/html']])).toBeUndefined();
  });
});
