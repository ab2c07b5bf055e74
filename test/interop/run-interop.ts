// Interoperability checks with the reference Python tools: the STIX bundle must pass the OASIS
// validator, and the TAXII server must serve the reference client, with the TLP rules.
// Starts its own PostgreSQL, Temporal, API and worker; `npm run test:interop` runs it.
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import path from 'node:path';
import globalSetup from '../setup/global-setup';
import globalTeardown from '../setup/global-teardown';
import { ANALYST, startStack, Stack } from '../support/harness';
import { startSmtpSink, SmtpSink } from '../support/smtp-sink';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const PYTHON = process.env.INTEROP_PYTHON ?? path.resolve(__dirname, '..', '..', '.tools', 'interop-venv', 'bin', 'python');

async function main(): Promise<number> {
  await globalSetup();
  let stack: Stack | undefined;
  let smtp: SmtpSink | undefined;
  try {
    smtp = await startSmtpSink();
    stack = await startStack({ env: { SMTP_URL: smtp.url, LOG_LEVEL: 'error' } });
    const analyst = await stack.token(ANALYST);
    const submit = async (tlp: string, title: string, indicators: Array<{ type: string; value: string }>) => {
      const res = await stack!.http('POST', '/api/v1/intel', {
        token: analyst,
        body: { title, summary: `${title}: details for the recipients.`, categories: ['malware', 'botnet'], indicators, priority: 'P2', tlp, source: { kind: 'cert', name: 'CERT-X', reliability: 'B' }, credibility: 2 },
      });
      if (res.status !== 201) throw new Error(`intake failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.id as string;
    };
    const amber = await submit('TLP:AMBER', 'Loader campaign with every indicator type', [
      { type: 'ipv4', value: '198.51.100.23' },
      { type: 'ipv6', value: '2001:DB8::23' },
      { type: 'cidr', value: '203.0.113.0/24' },
      { type: 'domain', value: 'loader[.]example' },
      { type: 'url', value: "hxxp://loader[.]example/gate.php?id=O'Brien" },
      { type: 'md5', value: 'D41D8CD98F00B204E9800998ECF8427E' },
      { type: 'sha1', value: 'da39a3ee5e6b4b0d3255bfef95601890afd80709' },
      { type: 'sha256', value: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
      { type: 'wallet', value: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq' },
      { type: 'email', value: 'Ops[at]Loader[.]example' },
    ]);
    const green = await submit('TLP:GREEN', 'Phishing kit domains', [{ type: 'domain', value: 'kit.example' }]);
    const sent = await stack.http('POST', `/api/v1/intel/${amber}/disseminate`, { token: analyst, body: { countries: ['TH'] } });
    if (sent.status !== 201) throw new Error(`dissemination failed: ${JSON.stringify(sent.body)}`);
    for (let i = 0; ; i++) {
      const d = await stack.http('GET', `/api/v1/disseminations/${sent.body.id}`, { token: analyst });
      if (d.body.recipients?.[0]?.deliveredAt) break;
      if (i > 150) throw new Error('not delivered');
      await sleep(200);
    }
    const env = {
      ...process.env,
      BASE_URL: stack.baseUrl,
      AMBER_ID: amber,
      GREEN_ID: green,
      TOKEN_ANALYST: analyst,
      TOKEN_RECIPIENT: await stack.token({ sub: 'officer@nrp.th', role: 'member', country: 'TH' }),
      TOKEN_OTHER: await stack.token({ sub: 'officer@nrp.br', role: 'member', country: 'BR' }),
    };
    // The checks call the API over HTTP while this process keeps serving: run them asynchronously.
    const result = await new Promise<number>((resolve) => {
      const child = spawn(PYTHON, [path.join(__dirname, 'check_stix_taxii.py')], { env, stdio: 'inherit' });
      child.on('exit', (code: number | null) => resolve(code ?? 1));
    });
    return result;
  } finally {
    await stack?.stop();
    await smtp?.close();
    await globalTeardown();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
