// The work one request may cost. Every loop over structure a client controls stops at one of these and says what it
// cut in a problem; the bytes themselves are always kept. The numbers sit far above anything Kaltura sends (an entry
// notification has tens of fields, a legacy batch a handful of notifications) and far below what hurts.

/** Notifications split out of one legacy multi-notification request. */
export const MAX_NOTIFICATIONS_PER_REQUEST = 1000;
/** Form fields decoded from one body (a multi-notification of 1,000 parts has about 10 fields each). */
export const MAX_FORM_FIELDS = 10_000;
/** XML elements, text nodes and attributes in one body. */
export const MAX_XML_NODES = 10_000;
/** Places after a '?' tried as the signed query of a GET notification (a template URL has one or two). */
export const MAX_SIGNED_QUERY_CANDIDATES = 8;
/** Problems kept per request; the rest are counted in one last problem. */
export const MAX_PROBLEMS = 20;
/** Characters of client text quoted inside one problem. */
export const MAX_QUOTED_CHARS = 40;

/** A bounded list of problems: distinct, at most MAX_PROBLEMS, then one line that counts what was left out. */
export class ProblemList {
  private readonly seen = new Set<string>();
  private dropped = 0;

  add(problem: string): void {
    if (this.seen.has(problem)) return;
    if (this.seen.size >= MAX_PROBLEMS) {
      this.dropped++;
      return;
    }
    this.seen.add(problem);
  }

  addAll(problems: Iterable<string>): void {
    for (const p of problems) this.add(p);
  }

  list(): string[] {
    const out = [...this.seen];
    if (this.dropped > 0) out.push(`… and ${this.dropped} more problem${this.dropped === 1 ? '' : 's'} of the same kinds, not listed`);
    return out;
  }
}

/** Client text quoted in a problem: cut to MAX_QUOTED_CHARS. */
export function quoteClip(s: string, max = MAX_QUOTED_CHARS): string {
  return s.length > max ? s.slice(0, max) + '…' : s;
}
