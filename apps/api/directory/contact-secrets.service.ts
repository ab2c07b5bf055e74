import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { contactSecretKey, encryptSecret, generateSigningSecret } from '../../../activities/notifications/signing-keys';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../../../activities/notifications/notifier';
import type { AppConfig } from '../../config/config';
import type { Principal } from '../auth/principal';
import { AuditService } from '../infra/audit.service';
import { APP_CONFIG } from '../infra/config.module';
import { PrismaService } from '../infra/prisma.service';

/** Issues a contact's own webhook signing secret; the answer is the only time it is shown. */
@Injectable()
export class ContactSecretsService {
  private readonly key: Buffer;

  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.key = contactSecretKey(config.WEBHOOK_SIGNING_SECRET);
  }

  async rotate(user: Principal, contactId: string, requestId?: string) {
    const secret = generateSigningSecret();
    const rotatedAt = new Date();
    await this.prisma.client.$transaction(async (tx) => {
      const before = await tx.contact.findUnique({ where: { id: contactId }, select: { signingSecretRotatedAt: true } });
      if (!before) throw new NotFoundException(`no contact ${contactId}`);
      await tx.contact.update({ where: { id: contactId }, data: { signingSecret: encryptSecret(this.key, secret), signingSecretRotatedAt: rotatedAt } });
      // The audit row says that and when, never the secret.
      await this.audit.append(
        {
          actor: user,
          action: before.signingSecretRotatedAt ? 'contact.signing_secret.rotate' : 'contact.signing_secret.issue',
          objectType: 'contact',
          objectId: contactId,
          data: { rotatedAt: rotatedAt.toISOString(), previousRotatedAt: before.signingSecretRotatedAt?.toISOString() ?? null },
          requestId,
        },
        tx,
      );
    });
    return {
      contactId,
      secret,
      rotatedAt: rotatedAt.toISOString(),
      verification: `HMAC-SHA256 over "<${TIMESTAMP_HEADER}>.<raw body>", hex, sent as ${SIGNATURE_HEADER}: sha256=<hex>`,
    };
  }
}
