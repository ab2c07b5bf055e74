import { Injectable } from '@nestjs/common';
import { Prisma } from '@prisma/client';
import { PrismaService } from './prisma.service';
import { AuditEntry, auditRow } from '../../../activities/audit';

export type { AuditEntry };

/** Appends to the audit trail; the table itself refuses updates and deletes. */
@Injectable()
export class AuditService {
  constructor(private readonly prisma: PrismaService) {}

  async append(entry: AuditEntry, tx: Prisma.TransactionClient = this.prisma.client): Promise<void> {
    await tx.auditEvent.createMany({ data: [auditRow(entry)], skipDuplicates: true });
  }
}
