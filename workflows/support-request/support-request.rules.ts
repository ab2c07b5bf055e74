// Who may make each support-request change and from which states: pure data, shared by the
// workflow's validators, the API's role check and the console (which shows only allowed actions).
import type { Role } from '../common/domain';
import type { LifecycleChange, SupportRequestStatus } from './support-request.messages';

/** Where each change may start from; anything else is refused before it is recorded. */
export const ALLOWED_FROM: Record<string, readonly SupportRequestStatus[]> = {
  'triage:accept': ['submitted'],
  'triage:reject': ['submitted', 'triaged'],
  'triage:duplicate': ['submitted', 'triaged'],
  assign: ['triaged', 'in_progress', 'awaiting_requester'],
  actions: ['in_progress', 'awaiting_requester'],
  'request-info': ['in_progress'],
  'provide-info': ['awaiting_requester'],
  resolve: ['in_progress', 'awaiting_requester'],
  close: ['resolved'],
  cancel: ['submitted', 'triaged', 'in_progress', 'awaiting_requester'],
  reopen: ['resolved'],
  pause: ['in_progress', 'awaiting_requester', 'triaged'],
  resume: ['in_progress', 'awaiting_requester', 'triaged'],
};

/** Roles that may make each change; others get 403. */
export const CHANGE_ROLES: Record<LifecycleChange, readonly Role[]> = {
  triage: ['coordinator', 'supervisor'],
  assign: ['coordinator', 'supervisor'],
  actions: ['coordinator', 'supervisor'],
  'request-info': ['coordinator', 'supervisor'],
  'provide-info': ['member'],
  resolve: ['coordinator', 'supervisor'],
  close: ['member', 'coordinator', 'supervisor'],
  cancel: ['member'],
  reopen: ['member', 'coordinator', 'supervisor'],
  'pause-clock': ['coordinator', 'supervisor'],
  'resume-clock': ['coordinator', 'supervisor'],
};
