import { adminHttp, Stack, startStack } from './harness';
import { phPrimaryToWebhook } from './fixtures';
import { startSmtpSink, SmtpSink } from './smtp-sink';
import { startWebhookSink, WebhookSink } from './webhook-sink';

// The notification-outage tests: a stack whose outbox polls and retries fast, an SMTP sink for
// everyone and a signed webhook for PH, both of which the test can switch to failing.

export interface OutageRig {
  stack: Stack;
  smtp: SmtpSink;
  webhook: WebhookSink;
  /** While true both receivers refuse everything. */
  setFailing(failing: boolean): void;
  stop(): Promise<void>;
}

export async function startOutageRig(): Promise<OutageRig> {
  const smtp = await startSmtpSink();
  const webhook = await startWebhookSink();
  const stack = await startStack({ env: { SMTP_URL: smtp.url, NOTIFY_POLL_MS: '200', NOTIFY_RETRY_INITIAL_MS: '500', NOTIFY_RETRY_MAX_MS: '2000' } });
  const contact = await phPrimaryToWebhook(stack.prisma, adminHttp(stack), `${webhook.url}/nrp/ph`);
  return {
    stack,
    smtp,
    webhook,
    setFailing(failing) {
      smtp.failing = failing;
      webhook.failing = failing;
    },
    async stop() {
      await contact.restore();
      await stack.stop();
      await smtp.close();
      await webhook.close();
    },
  };
}
