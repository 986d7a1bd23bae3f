/**
 * The rules of the postmortem lint (postmortemLint.ts): blaming language, the required and lessons-learned sections,
 * action items (owner, due date, vagueness) and root causes (more than one, not the trigger). Each reads the
 * document postmortemDoc.ts reads and reports through a {@link Push}.
 */
import type { PostmortemLintCode } from './postmortemLint';
import type { Cell, Doc, Section, SectionKey } from './postmortemDoc';
import { blocksOf, headingCols, isEmpty, isPlaceholder, isTableSeparator, normalize, splitRow } from './postmortemDoc';

/** 0-based line and columns, `end` exclusive. */
export type Push = (code: PostmortemLintCode, line: number, column: number, endColumn: number, message: string) => void;

// ---------------------------------------------------------------------------------------------------------------
// Blaming language
// ---------------------------------------------------------------------------------------------------------------

const FAIL_VERB = String.raw`(?:broke|forgot|missed|ignored|caused|failed(?![ \t]{1,3}over\b)|mistakenly|accidentally|neglected|didn['’]t|did[ \t]{1,3}not|overlooked|messed[ \t]{1,3}up|screwed[ \t]{1,3}up|botched)(?![\w'’-])`;
const BAD_OBJECT = String.raw`[a-z]{2,20}[ \t]{1,3}(?:(?:the|a|an|his|her|their)[ \t]{1,3})?(?:bad|wrong|broken|faulty|incorrect|buggy)(?![\w-])`;
const ROLE = String.raw`(?:[Tt]he[ \t]{1,3})?(?:on-?call(?:[ \t]{1,3}engineer)?|engineer|developer|operator|admin|administrator|reviewer|intern|contractor|responder|SRE)`;
/** 1: the person, 2: the failure. */
const BLAME_PERSON = new RegExp(String.raw`(?<![\w@.'’-])(@[A-Za-z0-9][\w.-]{0,38}|[A-Z][a-z]{1,20}(?:[ \t][A-Z][a-z]{1,20}){0,2}|he|she|someone|somebody|${ROLE})[ \t]{1,3}(${FAIL_VERB}|${BAD_OBJECT})`, 'g');

/** Capitalized words that start sentences or name things, not people. */
const NOT_A_NAME = new Set(
  (
    'the this that these those it its we our us they their them there here a an one each every everything everyone nothing no nobody none all some any both either neither another other ' +
    'and but or so if when while then because since after before during until at in on of for to from by with without also however which what who why how where ' +
    'yesterday today tonight later finally initially eventually unfortunately luckily again once still just only even never always sometimes first second third last next ' +
    'monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october november december ' +
    'traffic service services cache caches deploy deploys deployment system systems alert alerts alerting monitoring job jobs request requests query queries database server servers ' +
    'client clients pipeline build builds test tests config configuration migration script check checks retry retries load health rollout rollback release node nodes pod pods ' +
    'cluster queue worker workers network disk memory process update upgrade change changes patch certificate backup failover replica primary leader proxy gateway balancer ' +
    'router scheduler cron timer api app application frontend backend storage replication automation tooling validation canary page paging runbook dashboard ' +
    'kubernetes redis postgres postgresql mysql kafka grafana prometheus nginx envoy istio terraform jenkins github gitlab docker linux java python chrome safari firefox android ' +
    'cloudflare datadog sentry elasticsearch consul vault helm argo lambda cassandra mongo rabbitmq zookeeper varnish fastly akamai stripe slack jira opsgenie'
  ).split(' '),
);
const PRONOUNS = new Set(['he', 'she', 'someone', 'somebody']);

/** What a line must contain (in lower case) for {@link BLAME_PERSON} to have a chance: one cheap scan for most lines. */
const BLAME_PERSON_KEYS = /broke|forgot|missed|ignored|caused|failed|mistakenly|accidentally|neglected|didn|did[ \t]|overlooked|messed|screwed|botched|bad|wrong|faulty|incorrect|buggy/;

const PHRASES: readonly { readonly keys: RegExp; readonly re: RegExp; readonly code: PostmortemLintCode; readonly message: (q: string) => string }[] = [
  {
    keys: /should/, re: /\bshould(?:[ \t]{1,3}have|['’]ve)\b/gi, code: 'blame-hindsight',
    message: (q) => `"${q}" judges with hindsight what was not known at the time. Write what people knew and saw then, and what would make the right call easy next time (a check, an alert, a runbook step).`,
  },
  {
    keys: /failed/, re: /\bfailed[ \t]{1,3}to\b/gi, code: 'blame-failed-to',
    message: (q) => `"${q}" frames a gap as someone's failure. Say what happened and why the system allowed it, e.g. "the alert did not fire because its threshold was 5 s".`,
  },
  {
    keys: /human/, re: /\bhuman[ \t-]{1,3}errors?\b/gi, code: 'blame-human-error',
    message: (q) => `"${q}" ends the analysis where it should start. Name the conditions that made the mistake possible (no validation, a confusing tool, no review step) and turn them into action items.`,
  },
  {
    keys: /careless|negligen/, re: /\bcareless(?:ly|ness)?\b|\bnegligen(?:ce|t|tly)\b/gi, code: 'blame-careless',
    message: (q) => `"${q}" judges a person, not the system. Describe the conditions (time pressure, missing guardrails, unclear ownership) and what would catch the mistake next time.`,
  },
  {
    keys: /fault/, re: /\bfault[ \t]{1,3}of\b|\bat[ \t]{1,3}fault\b|(?<![\w'’])[\w-]{1,40}['’]s[ \t]{1,3}fault\b/gi, code: 'blame-fault',
    message: (q) => `"${q}" assigns blame. Describe the sequence of events and the conditions that allowed it, then fix the conditions.`,
  },
];

/** Every match of a global regular expression (shared, so no copy per line as `matchAll` makes). */
function eachMatch(re: RegExp, text: string, fn: (m: RegExpExecArray) => void): void {
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    fn(m);
    if (m[0] === '') re.lastIndex++;
  }
}

export function blameRules(doc: Doc, push: Push): void {
  for (let i = 0; i < doc.masked.length; i++) {
    const text = doc.masked[i] as string;
    if (text.length < 5) continue;
    const lower = text.toLowerCase();
    if (BLAME_PERSON_KEYS.test(lower)) eachMatch(BLAME_PERSON, text, (m) => blamePerson(doc, push, i, text, m));
    for (const p of PHRASES) if (p.keys.test(lower)) eachMatch(p.re, text, (m) => push(p.code, i, m.index, m.index + m[0].length, p.message(m[0])));
  }
}

function blamePerson(doc: Doc, push: Push, line: number, text: string, m: RegExpExecArray): void {
  const who = m[1] as string;
  let start = m.index;
  if (!who.startsWith('@') && /^[A-Z]/.test(who) && !/^(?:[Tt]he[ \t]|on-?call|engineer|SRE$)/.test(who)) {
    // A capitalized word: drop the leading words that are not names ("Then Alice"); keep known people.
    const words = who.split(/[ \t]/);
    let k = 0;
    while (k < words.length && !isPersonWord(doc, words[k] as string)) {
      start += (words[k] as string).length + 1;
      k++;
    }
    if (k === words.length) return;
  } else if (/^[Tt]he[ \t]/.test(who) && !ROLE_WORD_RE.test(who)) return;
  const end = m.index + m[0].length;
  const quote = text.slice(start, end);
  push('blame-person', line, start, end, `"${quote}" makes a person the subject of the failure. Describe what the system allowed instead: what made the action easy to get wrong and what would have caught it (e.g. "the deploy pipeline accepted the config without validating it").`);
}

const ROLE_WORD_RE = /on-?call|engineer|developer|operator|admin|reviewer|intern|contractor|responder|SRE/;

function isPersonWord(doc: Doc, w: string): boolean {
  const lower = w.toLowerCase();
  if (doc.people.has(w) || PRONOUNS.has(lower)) return true;
  return !NOT_A_NAME.has(lower) && !doc.lowerWords.has(lower);
}

// ---------------------------------------------------------------------------------------------------------------
// Sections: required, lessons learned
// ---------------------------------------------------------------------------------------------------------------

const REQUIRED: readonly (readonly [SectionKey, string, string, boolean])[] = [
  ['summary', 'Summary', 'what happened, in two or three sentences: the symptom, what made it possible, how it was fixed', true],
  ['impact', 'Impact', 'who was affected and how badly: users, requests, revenue, SLO budget spent, support tickets', true],
  ['rootCauses', 'Root causes', 'the conditions that made this possible, usually more than one', false],
  ['actionItems', 'Action items', 'the follow-ups that prevent, detect or mitigate this faster, each with an owner and a due date', false],
  ['timeline', 'Timeline', 'the key events in UTC: first bad minute, detection, escalations, mitigation, resolution', true],
];

export function sectionRules(doc: Doc, push: Push): void {
  const top = (line: number): [number, number] => [0, Math.max((doc.lines[line] ?? '').length, 1)];
  for (const [key, name, what, mustHaveText] of REQUIRED) {
    const s = doc.sections.get(key);
    if (s === undefined) {
      if (key === 'rootCauses' && doc.sections.has('contributing')) continue;
      push('missing-section', 0, ...top(0), `There is no "${name}" section: add "## ${name}" with ${what}.`);
    } else if (mustHaveText && isEmpty(doc, s.start, s.end)) push('empty-section', s.heading.line, ...headingCols(s.heading), `"${s.heading.title}" is empty: write ${what}.`);
  }
  const lucky = "what could have made it much worse and did not, by chance (the time of day, low traffic, a change that happened to be off). Luck is a risk to fix before it runs out";
  const lessons: readonly (readonly [SectionKey, PostmortemLintCode, string, string])[] = [
    ['wentWell', 'no-what-went-well', 'What went well', 'what helped (the alert that fired, the runbook step, the trace or dashboard that pointed the way, the quick escalation): it tells the team what to keep'],
    ['gotLucky', 'no-where-we-got-lucky', 'Where we got lucky', lucky],
  ];
  for (const [key, code, name, what] of lessons) {
    const s = doc.sections.get(key);
    if (s === undefined) {
      const at = doc.sections.get('lessons')?.heading;
      if (at !== undefined) push(code, at.line, ...headingCols(at), `There is no "${name}" section under "${at.title}": add "### ${name}" with ${what}.`);
      else push(code, 0, ...top(0), `There is no "${name}" section: add "### ${name}" with ${what}.`);
    } else if (isEmpty(doc, s.start, s.end)) push(code, s.heading.line, ...headingCols(s.heading), `"${s.heading.title}" is empty: write ${what}.`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Action items
// ---------------------------------------------------------------------------------------------------------------

const MISSING_OWNER = /^(?:tbd|tbc|todo|\?+|-+|—|–|n\/?a|none|nobody|unassigned|unknown|someone|anyone|everyone|all|team)(?![\w])/i;
const DONE = /^(?:done|closed|complete|completed|fixed|resolved|abandoned|cancell?ed|won['’]?t ?(?:do|fix)|wontfix|obsolete|n\/a)$/i;

export function actionItemRules(doc: Doc, push: Push): void {
  const s = doc.sections.get('actionItems');
  if (s === undefined) return;
  let count = 0;
  let placeholderAt: number | undefined;
  // Tables: a header row, a separator, then rows.
  for (let i = s.start; i < s.end - 1; i++) {
    if (!(doc.masked[i] as string).includes('|') || !isTableSeparator(doc.masked[i + 1] as string)) continue;
    const header = splitRow(doc.lines[i] as string).map((c) => c.text.toLowerCase().replace(/[*_]/g, ''));
    const col = (re: RegExp): number => header.findIndex((h) => re.test(h));
    const idCol = col(/^(?:id|#|no\.?|ref)$/);
    const ownerCol = col(/owner|assignee|who|responsible|dri/);
    const dueCol = col(/due|deadline|date|eta|\bby\b|when/);
    const statusCol = col(/status|state|done/);
    let descCol = col(/action|item|description|task|what|follow/);
    if (descCol < 0) descCol = header.findIndex((_, k) => k !== idCol && k !== ownerCol && k !== dueCol && k !== statusCol);
    const headerLine = doc.lines[i] as string;
    const hstart = headerLine.length - headerLine.trimStart().length;
    if (ownerCol < 0) push('action-item-no-owner', i, hstart, headerLine.trimEnd().length, 'The action items table has no Owner column: add one and name one person or team for each item, so each follow-up has someone to drive it.');
    if (dueCol < 0) push('action-item-no-due-date', i, hstart, headerLine.trimEnd().length, 'The action items table has no Due date column: add one with a date (YYYY-MM-DD) for each open item, so it gets scheduled instead of forgotten.');
    let r = i + 2;
    for (; r < s.end; r++) {
      const raw = doc.lines[r] as string;
      if (!(doc.masked[r] as string).includes('|') || raw.trim() === '') break;
      const cells = splitRow(raw);
      const at = (k: number): Cell | undefined => (k >= 0 ? cells[k] : undefined);
      const desc = at(descCol);
      if (desc === undefined || isPlaceholder(desc.text)) {
        placeholderAt ??= r;
        continue;
      }
      count++;
      const name = itemName(at(idCol)?.text, desc.text, count);
      const done = DONE.test((at(statusCol)?.text ?? '').replace(/[*_`]/g, '').trim());
      const owner = at(ownerCol);
      if (ownerCol >= 0) checkOwner(push, r, owner ?? { text: '', start: raw.trimEnd().length, end: raw.trimEnd().length + 1 }, name);
      const due = at(dueCol);
      if (dueCol >= 0 && !done) checkDue(push, r, due ?? { text: '', start: raw.trimEnd().length, end: raw.trimEnd().length + 1 }, name);
      checkVague(push, r, desc, name);
    }
    i = r - 1;
  }
  // Lists: "- [ ] Add a p99 alert on /api/checkout — owner: @alice, due: 2026-12-01".
  for (const item of blocksOf(doc, s.start, s.end).items) {
    if (isPlaceholder(item.text)) {
      placeholderAt ??= item.line;
      continue;
    }
    count++;
    const raw = doc.lines[item.line] as string;
    const first = raw.slice(item.col);
    const descEnd = firstIndex(first, [' — ', ' – ', ' - ', ' (', '; ', ' @', 'owner:', 'Owner:', 'due:', 'Due:', ', owner', ', due']);
    const descText = first.slice(0, descEnd).replace(/^\*{0,2}(?:AI-\d{1,6}|#\d{1,6})\*{0,2}[:.]?\s*/, '');
    const desc: Cell = { text: descText.trim(), start: item.col + (first.slice(0, descEnd).length - descText.length), end: item.col + descEnd };
    const name = itemName(/^(?:AI-\d{1,6})/.exec(first)?.[0], desc.text, count);
    const whole: Cell = { text: first.trim(), start: item.col, end: raw.trimEnd().length };
    // Owner: a labelled value, an @handle, or a name in emphasis after a dash ("— *Sam Okafor*").
    const ownerLabel = /\b(?:owners?|assignee|assigned to|dri)[ \t]{0,3}[:=][ \t]{0,3}([^,;|)\]]{0,80})/i.exec(first);
    if (ownerLabel !== null) {
      const v = (ownerLabel[1] as string).trim();
      const s0 = item.col + ownerLabel.index + ownerLabel[0].length - (ownerLabel[1] as string).length + ((ownerLabel[1] as string).length - (ownerLabel[1] as string).trimStart().length);
      checkOwner(push, item.line, { text: v, start: s0, end: s0 + Math.max(v.length, 1) }, name);
    } else if (!/(?<![\w])@[A-Za-z0-9]/.test(first) && !/[—–-][ \t]{1,3}[*_]{0,2}[A-Z][\w'’-]{1,30}/.test(first)) {
      push('action-item-no-owner', item.line, whole.start, whole.end, `${name} has no owner: add "owner: <name>" (one person or team who drives it to done).`);
    }
    if (!item.checked) {
      const dueLabel = /\b(?:due(?:[ \t]date)?|deadline|eta)(?:[ \t]{0,3}[:=][ \t]{0,3}|[ \t]{1,3}(?=\d))([^,;|)\]]{0,40})/i.exec(first);
      if (dueLabel !== null) {
        const v = (dueLabel[1] as string).trim();
        const s0 = item.col + dueLabel.index + dueLabel[0].length - (dueLabel[1] as string).length;
        checkDue(push, item.line, { text: v, start: s0, end: s0 + Math.max(v.length, 1) }, name);
      } else if (!/\b\d{4}-\d{2}-\d{2}\b/.test(first)) {
        push('action-item-no-due-date', item.line, whole.start, whole.end, `${name} has no due date: add "due: YYYY-MM-DD" so it gets scheduled instead of forgotten.`);
      }
    }
    checkVague(push, item.line, desc, name);
  }
  if (count === 0) {
    const line = placeholderAt ?? s.heading.line;
    const cols: [number, number] = placeholderAt !== undefined ? [0, (doc.lines[line] as string).length] : headingCols(s.heading);
    push('no-action-items', line, ...cols, 'There are no action items yet: add the follow-ups that prevent a recurrence, detect it sooner or mitigate it faster, each with an owner and a due date.');
  }
}

function firstIndex(s: string, needles: readonly string[]): number {
  let best = s.length;
  for (const n of needles) {
    const k = s.indexOf(n);
    if (k > 0 && k < best) best = k;
  }
  return best;
}

function itemName(id: string | undefined, desc: string, n: number): string {
  const short = desc.slice(0, 200).replace(/^[*_`]+|[*_`]+$/g, '').trim();
  const quoted = short.length > 64 ? `${short.slice(0, 63)}…` : short;
  return `Action item ${id !== undefined && id.trim() !== '' ? `${id.trim()} ` : `${n} `}("${quoted}")`;
}

function checkOwner(push: Push, line: number, c: Cell, name: string): void {
  const v = c.text.replace(/[*_`]/g, '').trim();
  if (v !== '' && !MISSING_OWNER.test(v)) return;
  push('action-item-no-owner', line, c.start, c.end, `${name} has no owner${v !== '' ? ` ("${v.length > 30 ? `${v.slice(0, 29)}…` : v}")` : ''}: name one person or team who drives it to done.`);
}

function checkDue(push: Push, line: number, c: Cell, name: string): void {
  const v = c.text.replace(/[*_`]/g, '').trim();
  if (isDate(v) || isDate(v.split(/\s/)[0] ?? '')) return;
  const why = v === '' || MISSING_OWNER.test(v) ? 'has no due date' : `has "${v.length > 30 ? `${v.slice(0, 29)}…` : v}" as due date, which is not a date`;
  push('action-item-no-due-date', line, c.start, c.end, `${name} ${why}: write a date (YYYY-MM-DD) so it gets scheduled instead of forgotten.`);
}

const MONTH = '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]{0,6}\\.?';
const DATE_PATTERNS: readonly RegExp[] = [
  /^\d{4}-\d{2}-\d{2}$/,
  /^\d{4}\/\d{1,2}\/\d{1,2}$/,
  /^\d{1,2}[./]\d{1,2}[./](?:\d{2}|\d{4})$/,
  /^\d{4}-w\d{2}$/i,
  /^(?:end of |eo)?q[1-4][ /-]?\d{4}$/i,
  new RegExp(`^(?:\\d{1,2}(?:st|nd|rd|th)?[ \\t]{1,3})?${MONTH}(?:[ \\t]{1,3}\\d{1,2}(?:st|nd|rd|th)?)?,?(?:[ \\t]{1,3}\\d{4})?$`, 'i'),
];

function isDate(v: string): boolean {
  if (v.length > 40 || !/\d/.test(v)) return false;
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);
  return DATE_PATTERNS.some((re) => re.test(v));
}

/** Phrases no follow-up can finish. */
const VAGUE_ALWAYS = /^(?:be (?:more )?careful|pay (?:more )?attention|try harder|communicate better|more (?:testing|monitoring|alerting|care)|better (?:monitoring|testing|alerting|communication|processes?)|(?:make sure|ensure) (?:this|it|that) (?:does not|doesn['’]t|never|won['’]t|will not) happen again|don['’]t do (?:this|it|that) again)\b/;
/** Verbs that are vague unless a concrete object follows. */
const VAGUE_VERB = /^(?:investigate|look into|looking into|monitor|review|improve|check|revisit|re-?evaluate|evaluate|explore|consider|discuss|analy[sz]e|understand|research|follow[ -]?up(?: on)?|fix|test|document|clean ?up|enhance|optimi[sz]e|update|address|work on|think about|figure out|ensure|make sure|audit)\b/;
/** Words that name no concrete thing. */
const GENERIC = new Set(
  (
    'the a an our its it this that these those more better further all any some things thing stuff issue issues problem problems process processes system systems incident incidents ' +
    'outage outages everything root cause causes situation again going forward future in and or of for on to with how what why we can could be is are was were around about ' +
    'monitoring alerting alerts logging logs testing tests reliability performance stability observability documentation docs communication resilience quality coverage ' +
    'handling error errors failure failures setup config configuration code infrastructure infra tooling practices procedures response playbooks runbooks'
  ).split(' '),
);

function checkVague(push: Push, line: number, c: Cell, name: string): void {
  const raw = c.text;
  const t = raw.toLowerCase().replace(/[*_]/g, '').replace(/[.!]+$/, '').trim();
  let vague = VAGUE_ALWAYS.test(t);
  if (!vague) {
    const verb = VAGUE_VERB.exec(t);
    if (verb !== null && !/\d|`|[/=%<>]|\w[._]\w|[a-z][A-Z]/.test(raw.slice(0, 300))) {
      const content = t.slice(verb[0].length, 300).split(/[^a-z0-9'-]+/).filter((w) => w.length >= 2 && !GENERIC.has(w));
      vague = content.length <= 2;
    }
  }
  if (!vague) return;
  push('action-item-vague', line, c.start, c.end, `${name} is too vague to finish or verify: say what will exist when it is done, with its object and measure (e.g. "Add a p99 latency alert on POST /api/checkout at 2 s").`);
}

// ---------------------------------------------------------------------------------------------------------------
// Root causes and the trigger
// ---------------------------------------------------------------------------------------------------------------

interface Cause {
  readonly line: number;
  readonly col: number;
  readonly endCol: number;
  readonly text: string;
}

export function rootCauseRules(doc: Doc, push: Push): void {
  const causes: Cause[] = [];
  let first: Section | undefined;
  for (const key of ['rootCauses', 'contributing'] as const) {
    const s = doc.sections.get(key);
    if (s === undefined) continue;
    first ??= s;
    const subs = doc.headings.filter((h) => h.line >= s.start && h.line < s.end && h.level > s.heading.level);
    const firstSub = subs[0]?.line ?? s.end;
    causes.push(...causesIn(doc, s.start, firstSub));
    let level = 7;
    for (const h of subs) level = Math.min(level, h.level);
    const top = subs.filter((h) => h.level <= level);
    top.forEach((h, k) => {
      const next = top[k + 1]?.line ?? s.end;
      if (/contributing|factors|causes/i.test(h.title)) causes.push(...causesIn(doc, h.line + 1, next));
      else {
        const body = blocksOf(doc, h.line + 1, next).blocks.map((b) => b.text);
        causes.push({ line: h.line, col: h.col, endCol: h.col + h.title.length, text: [h.title, ...body].join(' ') });
      }
    });
  }
  if (first !== undefined && causes.length < 2) {
    const h = first.heading;
    push(
      'single-root-cause', h.line, ...headingCols(h),
      causes.length === 0
        ? `"${h.title}" names no cause yet. Incidents rarely have one cause: name the contributing factors too — what made the system vulnerable, what made it worse, what delayed detection or mitigation.`
        : `"${h.title}" names a single cause. Incidents rarely have one cause: name the contributing factors too — what made the system vulnerable, what made it worse, what delayed detection or mitigation.`,
    );
  }
  const trigger = doc.sections.get('trigger');
  if (trigger === undefined || causes.length === 0) return;
  const tblocks = blocksOf(doc, trigger.start, trigger.end).blocks.filter((b) => !b.text.endsWith(':'));
  const units = tblocks.some((b) => b.kind === 'item') ? tblocks.filter((b) => b.kind === 'item').map((b) => b.text) : [tblocks.map((b) => b.text).join(' ')];
  // Bounded: the first 20 triggers against the first 200 causes is all a real postmortem has.
  const normCauses = causes.slice(0, 200).map((c) => ({ c, n: ` ${normalize(c.text)} ` }));
  const flagged = new Set<Cause>();
  for (const u of units.slice(0, 20)) {
    const n = normalize(u);
    if (n.split(' ').length < 3) continue;
    for (const { c, n: cn } of normCauses) {
      if (flagged.has(c) || !cn.includes(` ${n} `)) continue;
      flagged.add(c);
      const shown = u.replace(/[*_`]/g, '');
      push('trigger-is-root-cause', c.line, c.col, c.endCol, `This root cause repeats the trigger ("${shown.length > 60 ? `${shown.slice(0, 59)}…` : shown}"). The trigger set it off; a root cause is why the system let it hurt: say what made the trigger harmful (no canary, no validation, a missing limit).`);
    }
  }
}

/** The causes in lines [start, end): its list items and paragraphs; lead-ins ("Evidence:") and what they introduce do not count. */
function causesIn(doc: Doc, start: number, end: number): Cause[] {
  const out: Cause[] = [];
  let lead = '';
  for (const b of blocksOf(doc, start, end).blocks) {
    if (b.kind === 'paragraph') {
      lead = b.text;
      if (b.text.endsWith(':')) continue;
    } else if (/^(?:evidence|other hypotheses|supporting|see also|references?)\b/i.test(lead)) continue;
    const raw = doc.lines[b.line] as string;
    out.push({ line: b.line, col: b.col, endCol: Math.max(raw.trimEnd().length, b.col + 1), text: b.text });
  }
  return out;
}
