/**
 * The incident file: `.oncall/incidents/INC-YYYY-MM-DD-NN.md`, Markdown with YAML front matter, made to be read in a
 * pull request and on GitHub, to diff line by line, and to survive hand edits and `git pull`.
 *
 * ```markdown
 * ---
 * id: INC-2026-11-23-01
 * title: Checkout 504s and p99 over 2 s
 * severity: SEV-2
 * status: mitigated
 * phase: diagnose
 * commander: Lena Fischer
 * detected_by: alert
 * alert: CheckoutLatencyHigh
 * started: 2026-11-23T03:12:00Z
 * detected: 2026-11-23T03:12:41Z
 * mitigated: 2026-11-23T03:31:40Z
 * services: [checkout-service, pricing-service]
 * ---
 *
 * # INC-2026-11-23-01: Checkout 504s and p99 over 2 s
 *
 * ## Summary
 *
 * Markdown, as written.
 *
 * ## Impact
 *
 * Markdown, as written.
 *
 * ## Observations
 *
 * - 2026-11-23 03:12:41Z · p99 of POST /api/checkout at 3.0 s — *Grafana* [grafana.example.com/d/checkout-red](https://grafana.example.com/d/checkout-red) <!-- o-k3x9 -->
 * - 2026-11-23 03:15:10Z · First line of a longer observation,
 *   the next lines indented two spaces; source, link and ID end the last line. <!-- o-7fq2 -->
 *
 * ## Hypotheses
 *
 * ### H1 · The catalog cache entry expired for every request at once <!-- h-2m7q -->
 *
 * - Status: confirmed
 * - Raised: 2026-11-23 03:19:30Z
 * - Probability: 70 %
 * - Prediction (would falsify it): the slow traces show cache hits.
 * - Test: open three slow traces; look at PriceCache.getCatalog.
 * - Shape: cache-stampede
 * - Evidence:
 *   - 2026-11-23 03:24:00Z · supports · 16 concurrent fetchCatalog spans [trace 9cf35a0a](vscode://…) <!-- e-p0d3 -->
 * - Verdict: Markdown, indented like the other fields when it has more lines.
 *
 * ## Actions
 *
 * ### Mitigation
 *
 * - [x] 2026-11-23 03:27:00Z · done · Set PRICING_MAX_ATTEMPTS=1 — *Sam Okafor* <!-- a-r2c8 -->
 *
 * ### Diagnosis
 *
 * ### Fix
 *
 * ## Timeline (UTC)
 *
 * - 2026-11-23 03:12:41Z · detect · Alert CheckoutLatencyHigh fired <!-- t-0 -->
 * - 2026-11-23 03:41:02Z · verdict · H2 falsified: … <!-- t-k3x9 ref=h-2m7q -->
 *
 * ## Notes
 *
 * Any Markdown the format does not model, kept as written.
 * ```
 *
 * - **Front matter** holds the scalar metadata (formatFrontMatter.ts). Times there and in the model are
 *   `2026-11-23T03:12:00Z`; the body shows `2026-11-23 03:12:00Z`.
 * - **IDs are invisible**: the trailing `<!-- id -->` of an entry (`ref=` names what a timeline entry is about). An
 *   entry written by hand without one gets a stable ID derived from its content.
 * - **Links** are one Markdown link before the ID comment (formatLinks.ts): a file link is a real relative link from
 *   `.oncall/incidents/` (`../../src/x.go#L42`) that GitHub opens; traces open in VS Code.
 * - **Entries of one line** (hypothesis statement, action, timeline entry, source, who) write a line break as `<br>`;
 *   the timeline has exactly one line per entry. **Longer texts** (observation, evidence, prediction, test, verdict)
 *   continue on lines indented two spaces. Summary and impact are the section's Markdown.
 * - **Escapes** (formatText.ts) are a backslash added to what would read as structure and taken off when read: a
 *   section-like `## …` line in the summary or impact, `<!--` in an entry, a typed `<br>` in a one-line text, a known
 *   section heading in the notes; an entry whose text ends like a source or link token gets `<!-- -->` after the text.
 *   The common case is written as typed.
 * - **Actions** are grouped Mitigation / Diagnosis / Fix, `[x]` when done; the status word follows the time.
 * - **Notes**: content the format does not model — an unknown `## …` section, text before the first section — is
 *   kept, in file order, in `notes`, and written last: under `## Notes`, or as is when it starts with its own
 *   `## …` heading.
 *
 * The round trip is exact: `parseIncident(serializeIncident(x)).incident` deep-equals `x` for every valid `x`: texts
 * normalized (text.ts: trimmed, `\n` line ends), optional texts absent rather than empty, IDs unique, actions grouped
 * by kind (ops.ts keeps them so), the timeline sorted by time, links valid (links.ts).
 *
 * Reading is tolerant: a problem has a 1-based line and column; a malformed entry is read as well as it can be (a
 * missing time becomes the previous entry's, an unknown kind the default) with a warning, text that fits nowhere
 * moves to the notes with a warning, and the file is unusable only without front matter or an `id`.
 */
import type { Action, ActionKind, Evidence, Hypothesis, HypothesisStatus, Incident, Observation, TimelineEntry } from './model';
import { ACTION_KINDS, HYPOTHESIS_STATUSES } from './model';
import { sortTimeline } from './ops';
import { normalizeText, oneLine } from './text';
import { readFrontMatter, writeFrontMatter, type IncidentProblem } from './formatFrontMatter';
import { IdPool, readAction, readEvidence, readObservation, readTimeline, splitItems, writeAction, writeEvidence, writeObservation, writeTimeline, type ItemContext, type Line, type Push } from './formatItems';
import {
  decodeInline, decodeItemText, decodeNotes, decodeSectionText, encodeInline, encodeItemText, encodeNotes, encodeSectionText, idComment, isH2, isH3, knownSection, readTime, showTime, splitIdComment,
  type SectionName,
} from './formatText';

export type { IncidentProblem } from './formatFrontMatter';
/** The same as {@link IncidentProblem} (the name the store uses). */
export type FormatProblem = IncidentProblem;

export interface ParsedIncident {
  /** Undefined only when the file has no usable front matter (no `id`). */
  readonly incident?: Incident;
  /** Sorted by line and column. */
  readonly problems: IncidentProblem[];
}

const ACTION_GROUPS: Readonly<Record<ActionKind, string>> = { mitigation: 'Mitigation', diagnosis: 'Diagnosis', fix: 'Fix' };

// ---------------------------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------------------------

/** The incident as the Markdown file (ends with a line break). */
export function serializeIncident(inc: Incident): string {
  // The heading is for people only (the front matter holds both): one line.
  const title = oneLine(inc.title);
  const id = oneLine(inc.id);
  const blocks: string[] = [title === '' ? `# ${id}` : `# ${id}: ${title}`];
  const section = (heading: string, body: string): string => (body === '' ? `## ${heading}` : `## ${heading}\n\n${body}`);
  blocks.push(section('Summary', encodeSectionText(inc.summary)));
  blocks.push(section('Impact', encodeSectionText(inc.impact)));
  blocks.push(section('Observations', inc.observations.flatMap(writeObservation).join('\n')));
  blocks.push(section('Hypotheses', inc.hypotheses.map((h, i) => writeHypothesis(h, i + 1)).join('\n\n')));
  blocks.push(
    section(
      'Actions',
      ACTION_KINDS.map((k) => {
        const items = inc.actions.filter((a) => a.kind === k).flatMap(writeAction);
        return items.length === 0 ? `### ${ACTION_GROUPS[k]}` : `### ${ACTION_GROUPS[k]}\n\n${items.join('\n')}`;
      }).join('\n\n'),
    ),
  );
  blocks.push(section('Timeline (UTC)', inc.timeline.flatMap(writeTimeline).join('\n')));
  if (inc.notes !== '') {
    const notes = encodeNotes(inc.notes);
    const firstLine = notes.split('\n', 1)[0] as string;
    blocks.push(isH2(firstLine) && knownSection(firstLine) === undefined ? notes : section('Notes', notes));
  }
  return `${writeFrontMatter(inc)}\n${blocks.join('\n\n')}\n`;
}

/** `- Label: text`, more lines indented two spaces. */
function field(label: string, lines: readonly string[]): string[] {
  const [first = '', ...more] = lines;
  return [first === '' && more.length === 0 ? `- ${label}:` : `- ${label}: ${first}`, ...more.map((l) => (l === '' ? '' : `  ${l}`))];
}

function writeHypothesis(h: Hypothesis, n: number): string {
  const lines = [`### H${n} · ${encodeInline(h.statement)}${idComment(h.id)}`, ''];
  lines.push(`- Status: ${h.status}`, `- Raised: ${showTime(h.at)}`);
  if (h.probability !== undefined) lines.push(`- Probability: ${h.probability} %`);
  lines.push(...field('Prediction (would falsify it)', encodeItemText(h.prediction)), ...field('Test', encodeItemText(h.test)));
  if (h.shape !== undefined) lines.push(`- Shape: ${encodeInline(h.shape)}`);
  if (h.evidence.length === 0) lines.push('- Evidence: none');
  else lines.push('- Evidence:', ...h.evidence.flatMap(writeEvidence).map((l) => (l === '' ? '' : `  ${l}`)));
  if (h.verdict !== undefined) lines.push(...field('Verdict', encodeItemText(h.verdict)));
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------------------------

/** Reads an incident file; never throws. */
export function parseIncident(text: string): ParsedIncident {
  const problems: IncidentProblem[] = [];
  const push: Push = (p) => problems.push(p);
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lines = src.split(/\r\n|\r|\n/);
  const fm = readFrontMatter(lines, push, (bodyIndex) => h1Title(lines, bodyIndex));
  const sorted = (): IncidentProblem[] => problems.sort((a, b) => a.line - b.line || a.column - b.column);
  if (!fm.meta) return { problems: sorted() };
  const body = readBody(lines, fm.bodyIndex, fm.meta.started, push);
  return { incident: { ...fm.meta, ...body }, problems: sorted() };
}

/** The title of the first `# INC-…: title` heading before any section. */
function h1Title(lines: readonly string[], from: number): string | undefined {
  for (let i = from; i < lines.length; i++) {
    const l = lines[i] as string;
    if (isH2(l)) return undefined;
    const m = /^#[ \t]+(?:INC-[\w-]+[ \t]*:[ \t]*)?(.*)$/.exec(l);
    if (m) return normalizeText(m[1] as string);
  }
  return undefined;
}

interface Block {
  readonly kind: SectionName | 'prelude' | 'unknown';
  readonly lines: Line[];
}

type Body = Pick<Incident, 'summary' | 'impact' | 'observations' | 'hypotheses' | 'actions' | 'timeline' | 'notes'>;

function readBody(all: readonly string[], start: number, started: string, push: Push): Body {
  const lines: Line[] = all.slice(start).map((text, i) => ({ text, no: start + i + 1, col: 1 }));
  // IDs written anywhere in the body: derived IDs keep off them.
  const written = new Set<string>();
  for (const l of lines) for (const m of l.text.matchAll(/<!-- ([a-z]-[a-z0-9]{1,16})(?: ref=[a-z]-[a-z0-9]{1,16})? -->/g)) written.add(m[1] as string);
  const ids = new IdPool(written);

  // Sections: a known `## …` heading starts one; any other `## …` starts an unknown one, which (like the notes) runs
  // until the next known heading.
  const blocks: Block[] = [{ kind: 'prelude', lines: [] }];
  for (const l of lines) {
    const known = knownSection(l.text);
    const cur = blocks[blocks.length - 1] as Block;
    if (known !== undefined) blocks.push({ kind: known, lines: [] });
    else if (isH2(l.text) && cur.kind !== 'unknown' && cur.kind !== 'notes') blocks.push({ kind: 'unknown', lines: [l] });
    else cur.lines.push(l);
  }

  const notes: string[] = [];
  /** Keeps lines in the notes as the file has them (indentation and list markers included). */
  const keep = (chunk: readonly Line[]): void => {
    const nos = [...new Set(chunk.map((l) => l.no))];
    const t = nos.map((no) => all[no - 1] as string).join('\n').replace(/^(?:[ \t]*\n)+/, '').trimEnd();
    if (t.trim() !== '') notes.push(t);
  };
  const stray = (where: string) => (chunk: Line[]): void => {
    const first = chunk[0] as Line;
    push({ line: first.no, column: first.col, severity: 'warning', code: 'stray-text', message: `This text is not ${where}; it is kept in the notes at the end of the file.` });
    keep(chunk);
  };
  const body: { summary: string[]; impact: string[]; observations: Observation[]; hypotheses: Hypothesis[]; actions: Action[]; timeline: TimelineEntry[] } = { summary: [], impact: [], observations: [], hypotheses: [], actions: [], timeline: [] };

  for (const b of blocks) {
    switch (b.kind) {
      case 'prelude': {
        const h1 = b.lines.findIndex((l) => l.text.trim() !== '');
        const rest = h1 >= 0 && /^#[ \t]/.test((b.lines[h1] as Line).text) ? b.lines.slice(h1 + 1) : b.lines;
        if (rest.some((l) => l.text.trim() !== '')) stray('in a section')(rest.slice(rest.findIndex((l) => l.text.trim() !== '')));
        break;
      }
      case 'unknown':
      case 'notes':
        keep(b.lines);
        break;
      case 'summary':
      case 'impact': {
        const t = normalizeText(decodeSectionText(b.lines.map((l) => l.text).join('\n')));
        if (t !== '') body[b.kind].push(t);
        break;
      }
      case 'observations': {
        let prevAt = body.observations.at(-1)?.at ?? started;
        for (const item of splitItems(b.lines, stray('an observation (- 2026-11-24 03:12:09Z · what was seen)'))) {
          const o = readObservation(item, { push, ids, prevAt });
          body.observations.push(o);
          prevAt = o.at;
        }
        break;
      }
      case 'hypotheses':
        readHypotheses(b.lines, { push, ids, prevAt: started }, stray, keep, body.hypotheses);
        break;
      case 'actions':
        readActions(b.lines, { push, ids, prevAt: started }, stray, body.actions);
        break;
      case 'timeline': {
        let prevAt = body.timeline.at(-1)?.at ?? started;
        for (const item of splitItems(b.lines, stray('a timeline entry (- 2026-11-24 03:12:09Z · note · what happened)'))) {
          const t = readTimeline(item, { push, ids, prevAt });
          body.timeline.push(t);
          prevAt = t.at;
        }
        break;
      }
    }
  }
  return {
    summary: body.summary.join('\n\n'),
    impact: body.impact.join('\n\n'),
    observations: body.observations,
    hypotheses: body.hypotheses,
    actions: ACTION_KINDS.flatMap((k) => body.actions.filter((a) => a.kind === k)),
    timeline: sortTimeline(body.timeline),
    notes: normalizeText(decodeNotes(notes.join('\n\n'))),
  };
}

/** Splits a section at its `### …` headings: the lines before the first, then each heading with its lines. */
function byH3(lines: readonly Line[]): { before: Line[]; parts: Array<{ heading: Line; lines: Line[] }> } {
  const before: Line[] = [];
  const parts: Array<{ heading: Line; lines: Line[] }> = [];
  for (const l of lines) {
    if (isH3(l.text)) parts.push({ heading: l, lines: [] });
    else if (parts.length > 0) (parts[parts.length - 1] as { lines: Line[] }).lines.push(l);
    else before.push(l);
  }
  return { before, parts };
}

type Stray = (where: string) => (chunk: Line[]) => void;

function readActions(lines: readonly Line[], ctx: ItemContext, stray: Stray, out: Action[]): void {
  const { before, parts } = byH3(lines);
  let prevAt = ctx.prevAt;
  const read = (ls: readonly Line[], kind: ActionKind, outside: boolean): void => {
    for (const item of splitItems(ls, stray('an action (- [ ] 2026-11-24 03:12:09Z · planned · what to do)'))) {
      if (outside) {
        const first = item[0] as Line;
        ctx.push({ line: first.no, column: 1, severity: 'warning', code: 'action-group', message: 'This action is not under ### Mitigation, ### Diagnosis or ### Fix; read as diagnosis.' });
      }
      const a = readAction(item, { ...ctx, prevAt }, kind);
      out.push(a);
      prevAt = a.at;
    }
  };
  read(before, 'diagnosis', true);
  for (const p of parts) {
    const title = p.heading.text.replace(/^###[ \t]*/, '').trim().toLowerCase();
    const kind: ActionKind | undefined = /^mitigat/.test(title) ? 'mitigation' : /^diagnos/.test(title) ? 'diagnosis' : /^fix/.test(title) ? 'fix' : undefined;
    if (kind === undefined) ctx.push({ line: p.heading.no, column: 5, severity: 'warning', code: 'action-group', message: `Unknown group "${title.slice(0, 40)}" (Mitigation, Diagnosis or Fix); its actions are read as diagnosis.` });
    read(p.lines, kind ?? 'diagnosis', false);
  }
}

const FIELD_KEYS: ReadonlyMap<string, string> = new Map([
  ['status', 'status'], ['raised', 'raised'], ['since', 'raised'], ['written', 'raised'], ['at', 'raised'], ['time', 'raised'], ['probability', 'probability'], ['likelihood', 'probability'],
  ['prediction', 'prediction'], ['test', 'test'], ['experiment', 'test'], ['shape', 'shape'], ['evidence', 'evidence'], ['verdict', 'verdict'],
]);

function readHypotheses(lines: readonly Line[], ctx: ItemContext, stray: Stray, keep: (chunk: readonly Line[]) => void, out: Hypothesis[]): void {
  const { before, parts } = byH3(lines);
  if (before.some((l) => l.text.trim() !== '')) stray('under a hypothesis (### H1 · statement)')(before.slice(before.findIndex((l) => l.text.trim() !== '')));
  for (const p of parts) {
    const heading = p.heading;
    let text = heading.text.replace(/^###[ \t]*/, '');
    const split = splitIdComment(text);
    if (split) text = split.rest;
    const statement = normalizeText(decodeInline(text.replace(/^H\d+[ \t]*(?:[·:.]|[-–—](?=[ \t]))[ \t]*/, '')));
    let id: string;
    if (split && ctx.ids.claim(split.id)) id = split.id;
    else {
      if (split) ctx.push({ line: heading.no, column: 1, severity: 'warning', code: 'duplicate-id', message: `The ID ${split.id} is used by an earlier entry; this hypothesis gets a new ID.` });
      id = ctx.ids.derive('h', heading.text);
    }
    let at: string | undefined;
    let status: HypothesisStatus | undefined;
    let probability: number | undefined;
    let prediction = '';
    let test = '';
    let shape: string | undefined;
    let verdict: string | undefined;
    const evidence: Evidence[] = [];
    for (const item of splitItems(p.lines, stray(`a field of hypothesis "${statement.slice(0, 40)}"`))) {
      const first = item[0] as Line;
      const m = /^([^:\n]{1,60}?)[ \t]*:(?:[ \t]+|$)/.exec(first.text);
      // "Prediction (would falsify it)" is "prediction": what is in parentheses does not count.
      const key = m ? FIELD_KEYS.get((m[1] as string).replace(/\([^)]*\)/g, '').trim().toLowerCase().replace(/\s+/g, ' ')) : undefined;
      if (!m || key === undefined) {
        ctx.push({ line: first.no, column: first.col, severity: 'warning', code: 'unknown-field', message: `Unknown hypothesis field${m ? ` "${(m[1] as string).trim().slice(0, 40)}"` : ''} (Status, Raised, Probability, Prediction, Test, Shape, Evidence, Verdict); kept in the notes at the end of the file.` });
        keep(item);
        continue;
      }
      const value = first.text.slice(m[0].length);
      const valueCol = first.col + m[0].length;
      const textValue = (): string => normalizeText(decodeItemText([value, ...item.slice(1).map((l) => l.text)]));
      switch (key) {
        case 'status': {
          const v = value.trim().toLowerCase();
          if ((HYPOTHESIS_STATUSES as readonly string[]).includes(v)) status = v as HypothesisStatus;
          else ctx.push({ line: first.no, column: valueCol, severity: 'warning', code: 'unknown-value', message: `Unknown hypothesis status "${value.trim().slice(0, 40)}" (${HYPOTHESIS_STATUSES.join(', ')}); read as open.` });
          break;
        }
        case 'raised': {
          const t = readTime(value.trim(), ctx.prevAt);
          if (t === undefined) ctx.push({ line: first.no, column: valueCol, severity: 'warning', code: 'bad-time', message: `"${value.trim().slice(0, 40)}" is not a time (2026-11-24 03:12:09Z); read as ${showTime(ctx.prevAt)}.` });
          else at = t;
          break;
        }
        case 'probability': {
          const pm = /^(\d{1,3})(?:[.,]0+)?[ \t]*%?$/.exec(value.trim());
          if (pm && Number(pm[1]) <= 100) probability = Number(pm[1]);
          else if (value.trim() !== '' && value.trim() !== '—' && value.trim() !== '-') ctx.push({ line: first.no, column: valueCol, severity: 'warning', code: 'bad-probability', message: `The probability must be a whole percentage from 0 to 100 ("70 %"), not "${value.trim().slice(0, 20)}"; ignored.` });
          break;
        }
        case 'prediction':
          prediction = textValue();
          break;
        case 'test':
          test = textValue();
          break;
        case 'shape': {
          const s = normalizeText(decodeInline(value));
          shape = s === '' ? undefined : s;
          break;
        }
        case 'verdict': {
          const v = textValue();
          verdict = v === '' ? undefined : v;
          break;
        }
        case 'evidence': {
          if (value.trim() !== '' && value.trim().toLowerCase() !== 'none') {
            ctx.push({ line: first.no, column: valueCol, severity: 'warning', code: 'stray-text', message: 'Evidence is listed below "- Evidence:", one item each; this line is kept in the notes at the end of the file.' });
            keep([first]);
          }
          let prevAt = at ?? ctx.prevAt;
          for (const ev of splitItems(item.slice(1), stray('evidence (  - 2026-11-24 03:12:09Z · supports · what was found)'))) {
            const e = readEvidence(ev, { ...ctx, prevAt });
            evidence.push(e);
            prevAt = e.at;
          }
          break;
        }
      }
    }
    if (status === undefined) {
      status = 'open';
      if (!p.lines.some((l) => /^[-*+][ \t]+status[ \t]*:/i.test(l.text))) ctx.push({ line: heading.no, column: 1, severity: 'warning', code: 'no-status', message: 'This hypothesis has no "- Status:" line; read as open.' });
    }
    if (at === undefined) {
      at = ctx.prevAt;
      if (!p.lines.some((l) => /^[-*+][ \t]+(?:raised|since|written|at|time)[ \t]*:/i.test(l.text))) ctx.push({ line: heading.no, column: 1, severity: 'warning', code: 'no-time', message: `This hypothesis has no "- Raised:" time; read as ${showTime(at)}.` });
    }
    out.push({ id, at, statement, prediction, test, ...(probability !== undefined ? { probability } : {}), status, ...(shape !== undefined ? { shape } : {}), evidence, ...(verdict !== undefined ? { verdict } : {}) });
  }
}
