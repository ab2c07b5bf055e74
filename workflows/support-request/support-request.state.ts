import { ApplicationFailure } from '@temporalio/common';
import { ClockData, SlaClock, PauseReason, Threshold } from '../sla/sla-clock';
import {
  ActionCommand,
  AssignCommand,
  ClockName,
  CLOCKS,
  Command,
  Deconfliction,
  InfoRequest,
  PauseCommand,
  ProvideInfoCommand,
  ReasonCommand,
  RequestInfoCommand,
  ResolveCommand,
  SupportAction,
  SupportRequestInput,
  SupportRequestSnapshot,
  SupportRequestStatus,
  TERMINAL_STATUSES,
  TriageCommand,
} from './support-request.messages';
import { ALLOWED_FROM } from './support-request.rules';

// The request's state machine, without any Temporal calls except the failure type:
// validators use `check*`, handlers use `apply*`, the workflow turns the result into activities.

export const INVALID_TRANSITION = 'InvalidTransition';

export { ALLOWED_FROM } from './support-request.rules';

export interface TransitionEvent {
  action: string;
  actor: Command['actor'];
  before: SupportRequestStatus;
  after: SupportRequestStatus;
  data?: Record<string, unknown>;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The live state keeps the last this many actions and info requests; the read model keeps all. */
export const KEPT_NOTES = 20;
const keepLast = <T>(items: T[]) => (items.length > KEPT_NOTES ? items.slice(-KEPT_NOTES) : items);

/** Everything the workflow must carry across continue-as-new. */
export interface SupportRequestStateData {
  status: SupportRequestStatus;
  assignee: string | null;
  duplicateOf: string | null;
  triageReason: string | null;
  resolution: string | null;
  cancelReason: string | null;
  resolvedAt: number | null;
  actions: SupportAction[];
  actionCount: number;
  infoRequests: InfoRequest[];
  infoRequestCount: number;
  deconfliction: Deconfliction | null;
  clocks: Record<ClockName, ClockData>;
  submittedAt: number;
  updatedAt: number;
  version: number;
  externalPause: PauseReason | null;
}

export class SupportRequestState {
  status: SupportRequestStatus = 'submitted';
  assignee: string | null = null;
  duplicateOf: string | null = null;
  triageReason: string | null = null;
  resolution: string | null = null;
  cancelReason: string | null = null;
  resolvedAt: number | null = null;
  actions: SupportAction[] = [];
  actionCount = 0;
  infoRequests: InfoRequest[] = [];
  infoRequestCount = 0;
  deconfliction: Deconfliction | null = null;
  readonly clocks: Record<ClockName, SlaClock>;
  updatedAt: number;
  version = 0;
  /** Pauses of the resolution clock that are not the requester's (partner, legal process). */
  externalPause: PauseReason | null = null;

  constructor(
    readonly input: SupportRequestInput,
    readonly submittedAt: number,
  ) {
    const p = input.policy;
    this.clocks = {
      triage: SlaClock.start(p.triageMs, p.warnAt, submittedAt),
      firstResponse: SlaClock.start(p.firstResponseMs, p.warnAt, submittedAt),
      resolution: SlaClock.start(p.resolutionMs, p.warnAt, submittedAt),
    };
    this.updatedAt = submittedAt;
  }

  static fromData(input: SupportRequestInput, data: SupportRequestStateData): SupportRequestState {
    const state = new SupportRequestState(input, data.submittedAt);
    const { clocks, submittedAt: _s, ...rest } = data;
    Object.assign(state, rest);
    for (const name of CLOCKS) state.clocks[name] = new SlaClock(clocks[name]);
    return state;
  }

  toData(): SupportRequestStateData {
    return {
      status: this.status,
      assignee: this.assignee,
      duplicateOf: this.duplicateOf,
      triageReason: this.triageReason,
      resolution: this.resolution,
      cancelReason: this.cancelReason,
      resolvedAt: this.resolvedAt,
      actions: this.actions,
      actionCount: this.actionCount,
      infoRequests: this.infoRequests,
      infoRequestCount: this.infoRequestCount,
      deconfliction: this.deconfliction,
      clocks: { triage: this.clocks.triage.data, firstResponse: this.clocks.firstResponse.data, resolution: this.clocks.resolution.data },
      submittedAt: this.submittedAt,
      updatedAt: this.updatedAt,
      version: this.version,
      externalPause: this.externalPause,
    };
  }

  get terminal(): boolean {
    return TERMINAL_STATUSES.includes(this.status);
  }

  check(change: string): void {
    const allowed = ALLOWED_FROM[change];
    if (!allowed.includes(this.status)) {
      const name = change.replace(':', ' ');
      throw ApplicationFailure.nonRetryable(
        `cannot ${name} a request that is ${this.status} (allowed from: ${allowed.join(', ')})`,
        INVALID_TRANSITION,
      );
    }
  }

  checkTriage(cmd: TriageCommand): void {
    this.check(`triage:${cmd.decision}`);
    if (cmd.decision === 'duplicate' && cmd.duplicateOf === this.input.id) {
      throw ApplicationFailure.nonRetryable('a request cannot duplicate itself', INVALID_TRANSITION);
    }
  }

  checkPause(cmd: PauseCommand): void {
    this.check('pause');
    if (this.externalPause) {
      throw ApplicationFailure.nonRetryable(`the resolution clock is already paused (${this.externalPause})`, INVALID_TRANSITION);
    }
    if (cmd.reason === 'awaiting_requester') {
      throw ApplicationFailure.nonRetryable('awaiting_requester pauses come from request-info', INVALID_TRANSITION);
    }
  }

  checkResume(): void {
    this.check('resume');
    if (!this.externalPause) throw ApplicationFailure.nonRetryable('the resolution clock is not paused', INVALID_TRANSITION);
  }

  private move(to: SupportRequestStatus, action: string, actor: Command['actor'], now: number, data?: Record<string, unknown>): TransitionEvent {
    const before = this.status;
    this.status = to;
    this.updatedAt = now;
    this.version++;
    if (TERMINAL_STATUSES.includes(to)) for (const name of CLOCKS) this.clocks[name].meet(now);
    return { action, actor, before, after: to, data };
  }

  private responded(now: number): void {
    this.clocks.firstResponse.meet(now);
  }

  applyTriage(cmd: TriageCommand, now: number): TransitionEvent {
    this.clocks.triage.meet(now);
    this.triageReason = cmd.reason ?? null;
    if (cmd.decision === 'accept') return this.move('triaged', 'triage.accept', cmd.actor, now, { reason: cmd.reason });
    if (cmd.decision === 'reject') return this.move('rejected', 'triage.reject', cmd.actor, now, { reason: cmd.reason });
    this.duplicateOf = cmd.duplicateOf ?? null;
    return this.move('duplicate', 'triage.duplicate', cmd.actor, now, { duplicateOf: cmd.duplicateOf, reason: cmd.reason });
  }

  applyAssign(cmd: AssignCommand, now: number): TransitionEvent {
    const previous = this.assignee;
    this.assignee = cmd.assignee;
    const to = this.status === 'triaged' ? 'in_progress' : this.status;
    return this.move(to, previous ? 'reassign' : 'assign', cmd.actor, now, { assignee: cmd.assignee, previous });
  }

  applyAction(cmd: ActionCommand, now: number): TransitionEvent {
    this.responded(now);
    const action: SupportAction = {
      seq: ++this.actionCount,
      kind: cmd.kind,
      note: cmd.note,
      startsAt: cmd.startsAt,
      endsAt: cmd.endsAt,
      team: cmd.team,
      by: cmd.actor.sub,
      at: iso(now),
    };
    this.actions = keepLast([...this.actions, action]);
    return this.move(this.status, 'action.add', cmd.actor, now, { action });
  }

  applyRequestInfo(cmd: RequestInfoCommand, now: number): TransitionEvent {
    this.responded(now);
    this.infoRequestCount++;
    this.infoRequests = keepLast([...this.infoRequests, { question: cmd.question, askedBy: cmd.actor.sub, askedAt: iso(now), answer: null, answeredBy: null, answeredAt: null }]);
    this.clocks.resolution.pause('awaiting_requester', now);
    return this.move('awaiting_requester', 'info.request', cmd.actor, now, { question: cmd.question });
  }

  applyProvideInfo(cmd: ProvideInfoCommand, now: number): TransitionEvent {
    const open = [...this.infoRequests].reverse().find((r) => r.answer === null);
    if (open) Object.assign(open, { answer: cmd.answer, answeredBy: cmd.actor.sub, answeredAt: iso(now) });
    if (!this.externalPause) this.clocks.resolution.resume(now);
    return this.move('in_progress', 'info.provide', cmd.actor, now, { answer: cmd.answer });
  }

  applyResolve(cmd: ResolveCommand, now: number): TransitionEvent {
    this.responded(now);
    this.clocks.resolution.meet(now);
    this.resolution = cmd.summary;
    this.resolvedAt = now;
    return this.move('resolved', 'resolve', cmd.actor, now, { summary: cmd.summary });
  }

  applyClose(cmd: Command, now: number, automatic = false): TransitionEvent {
    return this.move('closed', automatic ? 'close.automatic' : 'close', cmd.actor, now);
  }

  applyCancel(cmd: ReasonCommand, now: number): TransitionEvent {
    this.cancelReason = cmd.reason;
    return this.move('cancelled', 'cancel', cmd.actor, now, { reason: cmd.reason });
  }

  applyReopen(cmd: ReasonCommand, now: number): TransitionEvent {
    this.resolution = null;
    this.resolvedAt = null;
    this.clocks.resolution.restart(now);
    return this.move('in_progress', 'reopen', cmd.actor, now, { reason: cmd.reason });
  }

  applyPause(cmd: PauseCommand, now: number): TransitionEvent {
    this.externalPause = cmd.reason;
    this.clocks.resolution.pause(cmd.reason, now);
    return this.move(this.status, 'clock.pause', cmd.actor, now, { reason: cmd.reason });
  }

  applyResume(cmd: Command, now: number): TransitionEvent {
    const reason = this.externalPause;
    this.externalPause = null;
    // The requester's own pause keeps holding the clock until they answer.
    if (this.status !== 'awaiting_requester') this.clocks.resolution.resume(now);
    return this.move(this.status, 'clock.resume', cmd.actor, now, { reason });
  }

  /** Earliest instant at which a clock crosses a threshold; null when none is running. */
  nextClockDueAt(): number | null {
    const times = CLOCKS.map((c) => this.clocks[c].nextDueAt()).filter((t): t is number => t !== null);
    return times.length ? Math.min(...times) : null;
  }

  takeDue(now: number): Array<{ clock: ClockName; threshold: Threshold }> {
    return CLOCKS.flatMap((clock) => this.clocks[clock].takeDue(now).map((threshold) => ({ clock, threshold })));
  }

  snapshot(now: number, workflowId: string, openAlerts: SupportRequestSnapshot['openAlerts']): SupportRequestSnapshot {
    const i = this.input;
    return {
      id: i.id,
      workflowId,
      status: this.status,
      country: i.country,
      region: i.region,
      requester: i.requester.sub,
      priority: i.priority,
      category: i.category,
      mode: i.mode,
      title: i.title,
      description: i.description,
      indicators: i.indicators,
      relatedRefs: i.relatedRefs,
      onSite: i.onSite,
      assignee: this.assignee,
      duplicateOf: this.duplicateOf,
      triageReason: this.triageReason,
      actions: this.actions,
      actionCount: this.actionCount,
      infoRequests: this.infoRequests,
      infoRequestCount: this.infoRequestCount,
      resolution: this.resolution,
      cancelReason: this.cancelReason,
      deconfliction: this.deconfliction,
      policy: { priority: i.policy.priority, version: i.policy.version, warnAt: i.policy.warnAt },
      sla: {
        triage: this.clocks.triage.snapshot(now),
        firstResponse: this.clocks.firstResponse.snapshot(now),
        resolution: this.clocks.resolution.snapshot(now),
      },
      openAlerts,
      submittedAt: iso(this.submittedAt),
      updatedAt: iso(this.updatedAt),
      version: this.version,
      idempotency: i.idempotency,
    };
  }
}

/**
 * The live state keeps only the last notes; the read model keeps every one. Merges what the
 * read model had with a newer snapshot (actions by sequence number, questions by when asked).
 */
export function mergeNotes(older: Pick<SupportRequestSnapshot, 'actions' | 'infoRequests'> | null | undefined, newer: SupportRequestSnapshot): SupportRequestSnapshot {
  if (!older) return newer;
  const seqs = new Set(newer.actions.map((a) => a.seq));
  const asked = new Set(newer.infoRequests.map((r) => r.askedAt));
  return {
    ...newer,
    actions: [...(older.actions ?? []).filter((a) => !seqs.has(a.seq)), ...newer.actions],
    infoRequests: [...(older.infoRequests ?? []).filter((r) => !asked.has(r.askedAt)), ...newer.infoRequests],
  };
}
