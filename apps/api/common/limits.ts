// Size limits of every request: one place, used by the DTOs, the OpenAPI document and the body
// parser. They keep workflow histories bounded (a workflow carries what it is sent) and answer
// 400/413 instead of letting a client fill a history or exhaust memory.

/** Characters per text field, by kind of field. */
export const TEXT = {
  /** Names and titles. */
  title: 200,
  /** Short labels: an assignee, a point of contact, a team member, a reference, an id filter. */
  label: 200,
  /** Free-text notes, reasons, questions, action notes, feedback. */
  note: 4_000,
  /** Long narrative: a request's description, an answer, a resolution or final-report summary, an objective. */
  narrative: 10_000,
} as const;

/** Items per array in one request. */
export const ITEMS = {
  indicators: 100,
  /** Every member country fits (the directory holds fewer than 200). */
  countries: 250,
  groups: 20,
  regions: 4,
  categories: 6,
  team: 20,
  relatedRefs: 20,
} as const;

/** Largest count a country may report for one result kind in one report. */
export const MAX_RESULT_COUNT = 100_000;
/** Result reports one country may send in one operation: its workflow carries each of them. */
export const MAX_REPORTS_PER_COUNTRY = 100;
/** Largest team a country may declare ready. */
export const MAX_TEAM_SIZE = 10_000;

/** JSON request bodies: largest size and deepest nesting accepted (the deepest DTO nests 3 levels). */
export const BODY = { maxBytes: 512 * 1024, maxDepth: 16 } as const;
