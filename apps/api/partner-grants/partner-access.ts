import { Injectable } from '@nestjs/common';
import type { PartnerGrant, Prisma } from '@prisma/client';
import type { GrantObjectType } from '../../../workflows/partner-grant/partner-grant.messages';
import { OutOfScopeException } from '../auth/denials';
import type { Principal } from '../auth/principal';
import { AuditService } from '../infra/audit.service';
import { PrismaService } from '../infra/prisma.service';

/**
 * What a partner may reach, asked on every partner request: a grant of its organisation on the
 * object, active in the read model AND not past its end date now (so a projection that has not
 * yet recorded the expiry cannot extend access), naming the caller if it names anyone.
 */
export function liveGrantsWhere(user: Principal, now = new Date()): Prisma.PartnerGrantWhereInput {
  return { org: user.org ?? '--', status: 'active', endsAt: { gt: now }, OR: [{ namedSubs: { isEmpty: true } }, { namedSubs: { has: user.sub } }] };
}

@Injectable()
export class PartnerAccess {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
  ) {}

  async grantFor(user: Principal, objectType: GrantObjectType, objectId: string): Promise<PartnerGrant | null> {
    return this.prisma.client.partnerGrant.findFirst({ where: { ...liveGrantsWhere(user), objectType, objectId }, orderBy: { endsAt: 'desc' } });
  }

  /** The grant, or 404 (audited): not granted, another organisation's, expired and revoked all look like nothing. */
  async requireGrant(user: Principal, objectType: GrantObjectType, objectId: string, what: string): Promise<PartnerGrant> {
    const grant = await this.grantFor(user, objectType, objectId);
    if (!grant) throw new OutOfScopeException(`${what} not found`, { objectType, objectId });
    return grant;
  }

  /** The objects of one type the partner may reach now, each with its grant. */
  async granted(user: Principal, objectType: GrantObjectType): Promise<Map<string, PartnerGrant>> {
    const rows = await this.prisma.client.partnerGrant.findMany({ where: { ...liveGrantsWhere(user), objectType }, orderBy: { endsAt: 'asc' } });
    return new Map(rows.map((g) => [g.objectId, g]));
  }

  /** Every partner read is on the audit trail, with its organisation and grant (the originator's "who accessed it"). */
  async auditReads(user: Principal, objectType: string, reads: Array<{ objectId: string; grantId: string | null }>, via: string, requestId?: string): Promise<void> {
    if (reads.length === 0) return;
    await this.prisma.client.$transaction(async (tx) => {
      for (const r of reads) {
        await this.audit.append({ actor: user, action: `${objectType}.read`, objectType, objectId: r.objectId, afterState: 'read', data: { via, org: user.org ?? null, grantId: r.grantId }, requestId }, tx);
      }
    });
  }
}
