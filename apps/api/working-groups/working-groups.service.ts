import { ConflictException, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { ApplicationFailure, WorkflowIdReusePolicy } from '@temporalio/common';
import { Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Region } from '../../../workflows/common/domain';
import { parseDurationMs } from '../../../workflows/common/duration';
import {
  attendanceUpdate,
  getWorkingGroupQuery,
  holdUpdate,
  INVALID_ATTENDANCE,
  WorkingGroupInput,
  WorkingGroupSnapshot,
  workingGroupWorkflowId,
  type WorkingGroupWorkflow,
} from '../../../workflows/working-group/working-group.messages';
import { OutOfScopeException, RefusedException } from '../auth/denials';
import type { Principal } from '../auth/principal';
import type { FieldProblem } from '../common/errors';
import { PrismaService } from '../infra/prisma.service';
import { InjectTemporalClient, TemporalClientHolder } from '../infra/temporal.module';
import { WorkflowUpdates } from '../infra/workflow-updates';
import { actorOf } from '../support-requests/support-requests.service';
import type { AttendanceDto, ScheduleMeetingDto, WorkingGroupScheduledDto } from './working-groups.dto';

const DEFAULT_REMINDER_BEFORE = '3d';
const DEFAULT_ESCALATION_STEP = '1d';

@Injectable()
export class WorkingGroupsService {
  constructor(
    private readonly prisma: PrismaService,
    @InjectTemporalClient() private readonly temporal: Client,
    private readonly temporalHolder: TemporalClientHolder,
    private readonly updates: WorkflowUpdates,
  ) {}

  /** A coordinator of the region or a global one (or a supervisor) schedules the annual meeting. */
  async schedule(user: Principal, dto: ScheduleMeetingDto, requestId?: string): Promise<WorkingGroupScheduledDto> {
    const id = workingGroupWorkflowId(dto.region, dto.year);
    if (user.role === 'coordinator' && user.region && user.region !== dto.region) {
      throw new RefusedException(`a coordinator of ${user.region} schedules its own region's working group only`, { objectType: 'working_group', objectId: id });
    }
    const meetingAt = Date.parse(dto.meetingDate);
    const deadline = Date.parse(dto.attendanceDeadline);
    const problems: FieldProblem[] = [];
    if (meetingAt <= Date.now()) problems.push({ field: 'meetingDate', problem: 'meetingDate must be in the future' });
    if (new Date(meetingAt).getUTCFullYear() !== dto.year) problems.push({ field: 'year', problem: 'year must be the (UTC) year of meetingDate' });
    if (deadline <= Date.now()) problems.push({ field: 'attendanceDeadline', problem: 'attendanceDeadline must be in the future' });
    if (deadline >= meetingAt) problems.push({ field: 'attendanceDeadline', problem: 'attendanceDeadline must be before meetingDate' });
    const regionCountries = await this.prisma.client.country.findMany({ where: { region: dto.region }, select: { iso: true }, orderBy: { iso: 'asc' } });
    let countries = regionCountries.map((c) => c.iso);
    if (dto.countries) {
      const requested = [...new Set(dto.countries)];
      const known = new Set((await this.prisma.client.country.findMany({ where: { iso: { in: requested } }, select: { iso: true } })).map((c) => c.iso));
      const unknown = requested.filter((iso) => !known.has(iso));
      if (unknown.length) problems.push({ field: 'countries', problem: `unknown member countries: ${unknown.join(', ')}` });
      countries = requested.sort();
    }
    // Each field is well-formed; together they name an impossible meeting: 422.
    if (problems.length) throw new UnprocessableEntityException({ message: `invalid ${[...new Set(problems.map((p) => p.field))].join(', ')}`, details: problems });

    const input: WorkingGroupInput = {
      region: dto.region,
      year: dto.year,
      meetingDate: new Date(meetingAt).toISOString(),
      agenda: dto.agenda,
      countries,
      attendanceDeadline: new Date(deadline).toISOString(),
      reminderBeforeMs: parseDurationMs(dto.reminderBefore ?? DEFAULT_REMINDER_BEFORE),
      scheduledBy: actorOf(user, requestId),
      escalationStepMs: parseDurationMs(dto.escalationStep ?? DEFAULT_ESCALATION_STEP),
    };
    try {
      await this.temporal.workflow.start<WorkingGroupWorkflow>('workingGroupWorkflow', {
        workflowId: id,
        taskQueue: this.temporalHolder.taskQueue,
        args: [input],
        // One meeting per region and year, even after it was held.
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      });
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) throw new ConflictException(`the ${dto.region} working group of ${dto.year} is already scheduled`);
      throw error;
    }
    return { id, region: dto.region, year: dto.year, status: 'scheduled', meetingDate: input.meetingDate, attendanceDeadline: input.attendanceDeadline, countries };
  }

  /** Supervisors and analysts see every meeting, coordinators their region's (or all), members their country's row. */
  async view(user: Principal, region: Region, year: number): Promise<WorkingGroupSnapshot> {
    const id = workingGroupWorkflowId(region, year);
    const snapshot = await this.snapshot(id);
    if (user.role === 'coordinator' && user.region && user.region !== region) throw new OutOfScopeException(`${id} not found`, { objectType: 'working_group', objectId: id });
    if (user.role === 'member') {
      const own = snapshot.countries.filter((c) => c.iso === user.country);
      if (own.length === 0) throw new OutOfScopeException(`${id} not found`, { objectType: 'working_group', objectId: id });
      return { ...snapshot, countries: own };
    }
    return snapshot;
  }

  async attendance(user: Principal, region: Region, year: number, iso: string, dto: AttendanceDto, requestId?: string): Promise<WorkingGroupSnapshot> {
    const id = workingGroupWorkflowId(region, year);
    await this.snapshot(id);
    const target = { objectType: 'working_group', objectId: `${id}/${iso}` };
    if (user.role === 'member' && user.country !== iso) throw new OutOfScopeException(`${iso} is not visible in ${id}`, target);
    if (user.role === 'coordinator' && user.region && user.region !== region) throw new OutOfScopeException(`${id} not found`, target);
    try {
      const result = await this.temporal.workflow
        .getHandle(id)
        .executeUpdate(attendanceUpdate, { args: [{ actor: actorOf(user, requestId), iso, attending: dto.attending, delegate: dto.delegate }] });
      return user.role === 'member' ? { ...result, countries: result.countries.filter((c) => c.iso === iso) } : result;
    } catch (error) {
      const cause = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
      if (cause instanceof ApplicationFailure && cause.type === INVALID_ATTENDANCE) throw new ConflictException(cause.message);
      if (error instanceof WorkflowNotFoundError || (error as Error)?.name === 'WorkflowNotFoundError') throw new ConflictException(`${id} has ended; attendance is closed`);
      throw error;
    }
  }

  /** A coordinator of the region (or global) or a supervisor marks the meeting held once attendance has closed. */
  async hold(user: Principal, region: Region, year: number, requestId?: string): Promise<WorkingGroupSnapshot> {
    const stamp = this.updates.stamp();
    const id = workingGroupWorkflowId(region, year);
    await this.snapshot(id);
    if (user.role === 'coordinator' && user.region && user.region !== region) throw new OutOfScopeException(`${id} not found`, { objectType: 'working_group', objectId: id });
    try {
      return await this.updates.execute(id, holdUpdate, { actor: actorOf(user, requestId), ...stamp });
    } catch (error) {
      const cause = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
      if (cause instanceof ApplicationFailure && cause.type === INVALID_ATTENDANCE) throw new ConflictException(cause.message);
      if (error instanceof WorkflowNotFoundError || (error as Error)?.name === 'WorkflowNotFoundError') throw new ConflictException(`${id} has been held already`);
      throw error;
    }
  }

  /** The meeting's state (404 when there is none); callers check the caller's scope themselves. */
  meeting(id: string): Promise<WorkingGroupSnapshot> {
    return this.snapshot(id);
  }

  private async snapshot(id: string): Promise<WorkingGroupSnapshot> {
    try {
      return await this.temporal.workflow.getHandle(id).query(getWorkingGroupQuery);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError || (error as Error)?.name === 'WorkflowNotFoundError') throw new OutOfScopeException(`${id} not found`, { objectType: 'working_group', objectId: id });
      throw error;
    }
  }
}
