// One scenario, end to end: ticket, agent launch and send, the requester in Chromium, the manager if asked, and
// the outcome as the database and the ticket record it.
import type { BrowserContext } from 'playwright-core';
import { Agent, AGENTS, HarnessError, messageTo } from './agent';
import { LOCALE, newDeviceContext, type Browsers, type Device } from './devices';
import { ATTESTATION_TIMEOUT_MINUTES, type EvalEnv } from './env';
import type { Addresses, People, Requester } from './people';
import {
  openLink,
  person,
  startAndAnswer,
  waitForResultPage,
  type Answered,
  type CodeBehaviour,
} from './requester';
import type { Rng } from './rng';
import { knowledgeFor, type Scenario } from './scenarios';

export interface Outcome {
  label: string;
  cls: Scenario['cls'];
  family: string;
  publicId: string;
  requester: string;
  ticket: string;
  ip: string;
  state: string;
  outcome: string | null;
  riskLevel: string | null;
  riskScore: number | null;
  topSignals: string[];
  reasons: string[];
  verifiedBlockedBy: string[];
  stepUp: boolean;
  managerDecision: 'approve' | 'deny' | 'none' | null;
  ticketStatus: string | null;
  ticketRiskLevel: string | null;
  asked: Array<Pick<Answered, 'kind' | 'picked' | 'thinkMs'> & { right: boolean | null }>;
  verdict: 'pass' | 'miss' | 'acceptable';
  durationMs: number;
}

export interface FlowCtx {
  env: EvalEnv;
  browsers: Browsers;
  people: People;
  addresses: Addresses;
  rng: Rng;
  index: number;
  /** Resolved when a scenario has sent its link (for `after`) */
  sent: Map<string, { promise: Promise<void>; resolve: () => void }>;
}

const TERMINAL = new Set(['passed', 'failed', 'incomplete', 'timed_out', 'canceled']);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let typedCounter = 0;
const newPhone = () => `+1202555${String(1000 + typedCounter++).slice(-4)}`;
const newEmail = (p: Requester) => `${p.userName.replace(/\W/g, '')}.private${typedCounter++}@example.net`;

interface Row {
  state: string;
  outcome: string | null;
  risk_level: string | null;
  risk_score: number | null;
  reasons: unknown;
  report: unknown;
  step: string | null;
}

async function row(env: EvalEnv, publicId: string): Promise<Row> {
  return (await env.deps.db
    .selectFrom('verifications')
    .select(['state', 'outcome', 'risk_level', 'risk_score', 'reasons', 'report', 'step'])
    .where('public_id', '=', publicId)
    .executeTakeFirstOrThrow()) as Row;
}

interface Sig {
  id: string;
  points: number;
  floor: string | null;
}

/** The fired signals, strongest first: points, then a floor. */
function signalsOf(report: unknown): Sig[] {
  const r = (report ?? {}) as Record<string, { signals?: Sig[] } | undefined>;
  return ['network', 'endpoint', 'persona', 'challenge']
    .flatMap((k) => r[k]?.signals ?? [])
    .filter((s) => s.points > 0 || s.floor)
    .sort((a, b) => b.points - a.points || (b.floor ? 1 : 0) - (a.floor ? 1 : 0));
}

async function finalRow(env: EvalEnv, publicId: string, timeoutMs: number): Promise<Row> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await row(env, publicId);
    if (TERMINAL.has(r.state) || Date.now() > until) return r;
    await sleep(500);
  }
}

async function ticketFields(env: EvalEnv, sysId: string, state: string) {
  const until = Date.now() + 20_000;
  for (;;) {
    const t = env.instance.store.get('incident', sysId);
    const status = t?.x_imper_verify_status ? String(t.x_imper_verify_status) : null;
    const risk = t?.x_imper_verify_risk_level ? String(t.x_imper_verify_risk_level) : null;
    if (status === state || Date.now() > until) return { status, risk };
    await sleep(300);
  }
}

function paceOf(rng: Rng, pace: Scenario['pace']) {
  if (pace === 'bot') return { readMs: rng.int(200, 500), thinkMs: () => rng.int(200, 800) };
  if (pace === 'slow') return { readMs: rng.int(3000, 8000), thinkMs: () => rng.int(20_000, 40_000) };
  return { readMs: rng.int(1500, 4000), thinkMs: () => rng.int(2000, 8000) };
}

export async function runScenario(s: Scenario, c: FlowCtx): Promise<Outcome> {
  const t0 = Date.now();
  const { env, people, addresses, rng } = c;
  const contexts: BrowserContext[] = [];
  try {
    const who = people.take(s.country);
    const ticket = await people.openTicket(who, c.index);
    const knowledge = people.knowledge(who);
    const agent = new Agent(env, AGENTS[c.index % AGENTS.length]!);
    await agent.launch(ticket);

    // Where the link goes.
    let to: string;
    let body: { channel: 'email' | 'sms'; contactKey?: string; destination?: string };
    if (s.mobileChangedDaysAgo !== undefined)
      await people.changeMobile(who, newPhone(), s.mobileChangedDaysAgo);
    if (s.destination === 'typed') {
      to = s.typed ?? (s.channel === 'sms' ? newPhone() : newEmail(who));
      body = { channel: s.channel, destination: to };
    } else {
      to = s.channel === 'sms' ? who.mobile : who.email;
      body = { channel: s.channel, contactKey: s.channel === 'sms' ? 'mobile_phone' : 'email' };
    }
    if (s.after) await c.sent.get(s.after)?.promise;
    const publicId = await agent.send(body);
    c.sent.get(s.label)?.resolve();
    const message = await messageTo(env, to);

    // The device that starts it.
    const ip = addresses.next(s.address, s.addressCountry ?? s.country);
    const device: Device = { kind: s.device, ip, ...LOCALE[s.deviceCountry ?? s.country] };
    if (s.forwarded) {
      // The employee opens it on their own phone first, then forwards it.
      const own = await newDeviceContext(c.browsers, {
        kind: 'phone',
        ip: addresses.next('residential', s.country),
        ...LOCALE[s.country],
      });
      contexts.push(own);
      await openLink(own, message.link);
      await sleep(rng.int(2000, 5000));
    }
    const context = await newDeviceContext(c.browsers, device);
    contexts.push(context);
    const page = await openLink(context, message.link);

    let code: CodeBehaviour = { code: null };
    const answer = person(
      rng,
      knowledgeFor(s.knows, knowledge),
      () => (s.code === 'agent' ? code : s.code),
      s.mistakeAt === undefined ? {} : { mistakeAt: s.mistakeAt },
    );
    const pace = paceOf(rng, s.pace);
    // The agent reads the code out once the requester has pressed Start (it is on their page from then on).
    const readCode = (async () => {
      for (let i = 0; i < 100; i++) {
        const v = await agent.view();
        if (v.verification?.callCode) return v.verification.callCode;
        if (v.verification && TERMINAL.has(v.verification.state)) return null;
        await sleep(300);
      }
      return null;
    })().then(async (fromView) => {
      code = { code: fromView ? await agent.callCode() : null };
    });
    const run = await startAndAnswer(page, answer, {
      ...pace,
      afterStart: () => readCode,
    });

    // The step-up: the manager's email, their decision in their own browser.
    let managerDecision: Outcome['managerDecision'] = null;
    const stepUp = run.ended === 'waiting';
    if (stepUp) {
      managerDecision = s.manager;
      const mail = await messageTo(env, who.manager.email, { subjectHas: ticket.number, linkPath: '/m/' });
      if (s.manager !== 'none') {
        const boss = await newDeviceContext(c.browsers, {
          kind: 'desktop',
          ip: addresses.next('residential', who.country),
          ...LOCALE[who.country],
        });
        contexts.push(boss);
        const mp = await openLink(boss, mail.link);
        await sleep(rng.int(3000, 10_000));
        await mp
          .locator(`form[data-step="attestation"] button[name="decision"][value="${s.manager}"]`)
          .click();
        await mp.locator('section.result').waitFor({ timeout: 15_000 });
        await waitForResultPage(page, 30_000);
      }
    }
    const waitMs = stepUp && s.manager === 'none' ? (ATTESTATION_TIMEOUT_MINUTES + 1) * 60_000 : 30_000;
    const r = await finalRow(env, publicId, waitMs);
    if (!TERMINAL.has(r.state) && !(stepUp && s.manager === 'none'))
      throw new HarnessError(`verification ${publicId} still ${r.state}/${r.step} after the flow`);
    const tf = await ticketFields(env, ticket.sys_id, r.state);
    const sigs = signalsOf(r.report);
    const reasons = Array.isArray(r.reasons) ? (r.reasons as string[]) : [];
    const verified = r.state === 'passed' && r.risk_level === 'verified';
    const verdict: Outcome['verdict'] =
      s.cls === 'attack'
        ? verified
          ? 'miss'
          : 'pass'
        : verified
          ? 'pass'
          : s.acceptableMedium && r.state === 'passed' && r.risk_level === 'medium'
            ? 'acceptable'
            : 'miss';
    const truths = knowledge;
    return {
      label: s.label,
      cls: s.cls,
      family: s.family,
      publicId,
      requester: who.userName,
      ticket: ticket.number,
      ip,
      state: r.state,
      outcome: r.outcome,
      riskLevel: r.risk_level,
      riskScore: r.risk_score === null ? null : Number(r.risk_score),
      topSignals: (sigs.length ? sigs.map((x) => `${x.id}(${x.points})`) : reasons).slice(0, 3),
      reasons,
      verifiedBlockedBy: ((r.report as { verifiedBlockedBy?: string[] } | null)?.verifiedBlockedBy ?? []).map(
        String,
      ),
      stepUp,
      managerDecision,
      ticketStatus: tf.status,
      ticketRiskLevel: tf.risk,
      asked: run.asked.map((q) => ({
        kind: q.kind,
        picked: q.picked,
        thinkMs: q.thinkMs,
        right:
          q.kind === 'call_code'
            ? typeof code === 'object' && code.code !== null
              ? q.picked === code.code
              : null
            : (truths[q.kind as keyof typeof truths] ?? []).includes(q.picked) ||
              (q.picked === 'None of these' &&
                !q.choices.some((x) => (truths[q.kind as keyof typeof truths] ?? []).includes(x))),
      })),
      verdict,
      durationMs: Date.now() - t0,
    };
  } finally {
    c.sent.get(s.label)?.resolve();
    for (const ctx of contexts) await ctx.close().catch(() => {});
  }
}
