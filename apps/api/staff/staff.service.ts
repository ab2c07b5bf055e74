import { randomBytes } from 'node:crypto';
import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { Prisma, StaffOfficer } from '@prisma/client';
import type { Principal } from '../auth/principal';
import { AuditService } from '../infra/audit.service';
import { PrismaService } from '../infra/prisma.service';
import type { CreateOfficerDto, StaffQuery, UpdateOfficerDto } from './staff.dto';

export function officerView(o: StaffOfficer) {
  return { ...o, createdAt: o.createdAt.toISOString(), updatedAt: o.updatedAt.toISOString() };
}

const isUniqueViolation = (e: unknown) => e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002';

/** The staff directory: the officers work may be assigned to and escalations page. */
@Injectable()
export class StaffService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
  ) {}

  async list(query: StaffQuery) {
    const rows = await this.prisma.client.staffOfficer.findMany({
      where: { role: query.role, region: query.region, active: query.active },
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
    });
    return { items: rows.map(officerView), nextCursor: null };
  }

  async get(id: string) {
    return officerView(await this.find(id));
  }

  /**
   * The active officer named by `assignee` (their e-mail, any case), or a 400 naming the field:
   * an assignee becomes a recipient of SLA pages, so it must be someone the directory knows.
   */
  async activeOfficer(email: string, field = 'assignee'): Promise<StaffOfficer> {
    const officer = await this.prisma.client.staffOfficer.findUnique({ where: { email: email.trim().toLowerCase() } });
    if (!officer || !officer.active) {
      throw new BadRequestException({
        message: `invalid ${field}`,
        details: [{ field, problem: officer ? 'this officer is deactivated' : 'not an officer in the staff directory (GET /api/v1/staff)' }],
      });
    }
    return officer;
  }

  async create(user: Principal, dto: CreateOfficerDto, requestId?: string) {
    try {
      return await this.prisma.client.$transaction(async (tx) => {
        const row = await tx.staffOfficer.create({
          data: { id: `OF-${randomBytes(5).toString('hex').toUpperCase()}`, name: dto.name, email: dto.email, role: dto.role, region: dto.region ?? null, updatedBy: user.sub },
        });
        await this.audit.append({ actor: user, action: 'staff.create', objectType: 'staff_officer', objectId: row.id, afterState: 'active', data: { after: officerView(row) }, requestId }, tx);
        return officerView(row);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictException(`an officer with e-mail ${dto.email} already exists`);
      throw error;
    }
  }

  async update(user: Principal, id: string, dto: UpdateOfficerDto, requestId?: string) {
    if (Object.values(dto).every((v) => v === undefined)) {
      throw new BadRequestException({ message: 'nothing to change', details: [{ field: 'body', problem: 'name at least one of name, role, region, active' }] });
    }
    return this.prisma.client.$transaction(async (tx) => {
      const before = await this.find(id, tx);
      const after = await tx.staffOfficer.update({
        where: { id },
        data: { name: dto.name, role: dto.role, region: dto.region, active: dto.active, updatedBy: user.sub },
      });
      const action = before.active && !after.active ? 'staff.deactivate' : !before.active && after.active ? 'staff.reactivate' : 'staff.update';
      await this.audit.append(
        {
          actor: user,
          action,
          objectType: 'staff_officer',
          objectId: id,
          beforeState: before.active ? 'active' : 'inactive',
          afterState: after.active ? 'active' : 'inactive',
          data: { before: officerView(before), after: officerView(after) },
          requestId,
        },
        tx,
      );
      return officerView(after);
    });
  }

  deactivate(user: Principal, id: string, requestId?: string) {
    return this.update(user, id, { active: false }, requestId);
  }

  private async find(id: string, tx: Prisma.TransactionClient = this.prisma.client): Promise<StaffOfficer> {
    const row = await tx.staffOfficer.findUnique({ where: { id } });
    if (!row) throw new NotFoundException(`no officer ${id}`);
    return row;
  }
}
