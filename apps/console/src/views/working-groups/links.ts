/** The console address of a working group or one of its items, from its workflow id (alerts link there). */
export function workingGroupHref(objectId: string): string | null {
  const m = /^working-group\/([A-Z]+)\/(\d{4})(?:\/item\/(\d+))?$/.exec(objectId);
  return m ? `/working-groups?region=${m[1]}&year=${m[2]}${m[3] ? `&item=${m[3]}` : ''}` : null;
}
