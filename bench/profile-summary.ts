/**
 * Where a server's CPU time went: sums a V8 .cpuprofile (node --cpu-prof, see harness.ts) by self
 * time into the parts of a conversation turn. A sample in native or Node-internal code (JSON.parse,
 * a RegExp, a socket write) counts for the nearest caller that is the project's code or a package,
 * so JSON.stringify called by botbuilder's state is state serialisation and the same called by
 * restify is HTTP. Idle time is left out of the shares.
 *
 *   node dist/bench/profile-summary.js <file.cpuprofile | directory> [--from 25 --to 50] [--turns 12000] [--top 30]
 *
 * --from / --to: seconds since the profile began (the conversation bench prints the load's window).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export const GROUPS = ['intent recognizer', 'procedure search', 'dialog stack', 'state serialisation', 'transcript writes', 'HTTP', 'GC', 'other'] as const;
export type Group = (typeof GROUPS)[number];

/** The group of a frame with a source of its own, or null for native and Node-internal frames (their caller decides). */
function groupOfFrame(frame: CallFrame): Group | null {
  const url = frame.url.replace(/\\/g, '/');
  if (frame.functionName === '(garbage collector)') return 'GC';
  if (!url || url.startsWith('node:internal/') || url.startsWith('node:')) {
    // The sockets and the HTTP parser are HTTP whoever called them.
    if (/^node:(_http|net|internal\/(http|stream_base_commons|js_stream_socket|streams))/.test(url)) return 'HTTP';
    return null;
  }
  if (/\/src\/domain\/search\/|\/src\/services\/procedure-search\.|\/src\/domain\/centre\/scope\./.test(url)) return 'procedure search';
  if (/\/src\/bot\/(recognizer|intent-classifier|conversation-acts|parse|short-answers)\.|\/src\/domain\/text\//.test(url)) return 'intent recognizer';
  // The prompts' recognizers (numbers, choices, yes/no) are botbuilder-dialogs' own.
  if (/\/node_modules\/(botbuilder-dialogs|@microsoft\/recognizers-text[^/]*)\//.test(url)) return 'dialog stack';
  if (/\/src\/channels\/directline\/directline-adapter\./.test(url)) return /record|sendActivities/.test(frame.functionName) ? 'transcript writes' : 'other';
  if (/\/src\/store\/embedded\/chat-logs\./.test(url)) {
    // The bot state and the transcripts share this file: the closures' names tell them apart (an
    // anonymous one is its caller's).
    if (!frame.functionName) return null;
    return /^(openTranscriptLog|forget|keep|sweep|append|after)$/.test(frame.functionName) ? 'transcript writes' : 'state serialisation';
  }
  // The group commit of the append logs (bot state and transcripts alike) runs on its own: store writes.
  if (/\/node_modules\/botbuilder(-core)?\/lib\/(botState|conversationState|userState|botStatePropertyAccessor|storage)|\/node_modules\/botbuilder-stdlib\/lib\/stringify|\/src\/bot\/store-storage\.|\/src\/store\//.test(url)) return 'state serialisation';
  // jose: the Direct Line token checked on every request.
  if (/\/node_modules\/(jose|restify|find-my-way|send|formidable|negotiator|csv|qs|mime|http-signature|spdy)\/|\/src\/http\/|\/src\/channels\/directline\/directline-routes\./.test(url)) return 'HTTP';
  return 'other';
}

export function summarise(
  profile: CpuProfile,
  fromSeconds = 0,
  toSeconds = Infinity,
): { ms: Record<Group, number>; idleMs: number; totalMs: number; functions: Map<string, { group: Group; ms: number }> } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const cache = new Map<number, Group | 'idle'>();
  const groupOf = (id: number): Group | 'idle' => {
    const known = cache.get(id);
    if (known) return known;
    const node = byId.get(id)!;
    const name = node.callFrame.functionName;
    let group: Group | 'idle';
    if (name === '(idle)') group = 'idle';
    else if (name === '(program)' || name === '(root)') group = 'other';
    else {
      let g = groupOfFrame(node.callFrame);
      for (let up = parent.get(id); g === null && up !== undefined; up = parent.get(up)) g = groupOfFrame(byId.get(up)!.callFrame);
      group = g ?? 'other';
    }
    cache.set(id, group);
    return group;
  };
  const ms = Object.fromEntries(GROUPS.map((g) => [g, 0])) as Record<Group, number>;
  const functions = new Map<string, { group: Group; ms: number }>();
  let idleMs = 0;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i];
    // A sample lasts until the next one.
    const duration = ((i + 1 < profile.timeDeltas.length ? profile.timeDeltas[i + 1] : 0) || 0) / 1000;
    const since = (at - profile.startTime) / 1e6;
    if (since < fromSeconds || since > toSeconds) continue;
    const group = groupOf(profile.samples[i]);
    if (group === 'idle') idleMs += duration;
    else {
      ms[group] += duration;
      const { functionName, url, lineNumber } = byId.get(profile.samples[i])!.callFrame;
      const name = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(node_modules|dist)\//, '')}:${lineNumber + 1}`;
      const f = functions.get(name) ?? { group, ms: 0 };
      f.ms += duration;
      functions.set(name, f);
    }
  }
  const totalMs = GROUPS.reduce((sum, g) => sum + ms[g], 0);
  return { ms, idleMs, totalMs, functions };
}

function flag(name: string): number | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : undefined;
}

function main(): void {
  const target = process.argv[2];
  if (!target) {
    console.error('usage: node dist/bench/profile-summary.js <file.cpuprofile | directory> [--from s --to s]');
    process.exit(2);
  }
  const files = statSync(target).isDirectory()
    ? readdirSync(target)
        .filter((f) => f.endsWith('.cpuprofile'))
        .map((f) => join(target, f))
    : [target];
  for (const file of files) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    const { ms, idleMs, totalMs, functions } = summarise(profile, flag('from'), flag('to'));
    const from = flag('from') ?? 0;
    const to = Math.min(flag('to') ?? Infinity, (profile.endTime - profile.startTime) / 1e6);
    console.log(`CPU profile, ${from.toFixed(0)}–${to.toFixed(0)} s: ${(totalMs / 1000).toFixed(1)} s busy, ${(idleMs / 1000).toFixed(1)} s idle`);
    // --turns N: the turns served in the window, for the CPU time per turn (steadier than turns/s on a shared machine).
    const turns = flag('turns');
    console.log(`| group | self time s | share |${turns ? ' ms per turn |' : ''}`);
    console.log(`|---|---:|---:|${turns ? '---:|' : ''}`);
    const row = (g: string, v: number) => `| ${g} | ${(v / 1000).toFixed(2)} | ${((100 * v) / (totalMs || 1)).toFixed(1)} % |${turns ? ` ${(v / turns).toFixed(3)} |` : ''}`;
    for (const g of GROUPS) console.log(row(g, ms[g]));
    console.log(row('all', totalMs));
    // --top N: the functions with the most self time, with their group.
    const top = flag('top');
    if (top) {
      console.log(`\ntop ${top} functions by self time:`);
      for (const [name, f] of [...functions].sort((a, b) => b[1].ms - a[1].ms).slice(0, top)) {
        console.log(`  ${((100 * f.ms) / (totalMs || 1)).toFixed(1).padStart(5)} %  ${f.group.padEnd(19)} ${name}`);
      }
    }
  }
}

if (require.main === module) main();
