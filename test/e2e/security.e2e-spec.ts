import { Writable } from 'node:stream';
import { HmacJwt } from '../../src/common/auth/hmac-jwt';
import { createTask, mintStreamToken } from '../factories/tasks';
import { expectEventually } from '../utils/expect-eventually';
import { openStream } from '../utils/sse-client';
import { TEST_JWT_SECRET, TEST_WEBHOOK_SECRET } from '../utils/test-app';
import { useGatewayWithWorker } from '../utils/gateway-with-worker';
import { bearer, userToken } from '../utils/tokens';
import { chunk, postWebhook } from '../utils/webhook-client';

const ROTATED_SECRET = 'rotated-webhook-secret-0123456789';
const alice = userToken({ sub: 'alice', orgs: ['acme'] });
const mallory = userToken({ sub: 'mallory', orgs: ['evil'] });

describe('security', () => {
  const logLines: string[] = [];
  const logs = new Writable({
    write(chunkOfLog: Buffer, _encoding, done) {
      logLines.push(chunkOfLog.toString());
      done();
    },
  });

  const api = (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${setup.gateway.baseUrl}${path}`, init);
  const streamToken = (claims: Record<string, unknown>, expiresIn: number): string =>
    new HmacJwt(setup.gateway.config.STREAM_TOKEN_SECRET).sign(claims, { expiresIn });

  const setup = useGatewayWithWorker(
    { LOG_LEVEL: 'info', WEBHOOK_SECRET: `${ROTATED_SECRET},${TEST_WEBHOOK_SECRET}` },
    { logDestination: logs },
  );

  describe('webhook signatures', () => {
    let taskId: string;
    beforeAll(async () => {
      taskId = (await createTask(setup.gateway.baseUrl, alice, 'acme', 'writer', 'go')).id;
    });

    it('refuses a missing signature, a wrong one and a stale timestamp with 401', async () => {
      const body = chunk(taskId, 1, 'x');
      const missing = await fetch(`${setup.gateway.baseUrl}/internal/webhook/stream`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(missing.status).toBe(401);
      expect(await missing.json()).toEqual({
        error: {
          code: 'INVALID_SIGNATURE',
          message: 'X-Webhook-Timestamp and X-Webhook-Signature headers are required',
        },
      });
      const wrongKey = await postWebhook(setup.gateway.baseUrl, body, {
        secret: 'not-the-secret-at-all-0123456789',
      });
      expect(wrongKey).toEqual({
        status: 401,
        body: {
          error: {
            code: 'INVALID_SIGNATURE',
            message: 'X-Webhook-Signature does not match the body',
          },
        },
      });
      const tampered = await postWebhook(setup.gateway.baseUrl, body, {
        raw: JSON.stringify(chunk(taskId, 1, 'tampered')),
        signature: (await import('../../libs/contracts/src')).signWebhook(
          TEST_WEBHOOK_SECRET,
          '1',
          JSON.stringify(body),
        ),
        timestamp: '1',
      });
      expect(tampered.status).toBe(401);
      const stale = await postWebhook(setup.gateway.baseUrl, body, {
        timestamp: (Date.now() - 6 * 60_000).toString(),
      });
      expect(stale.status).toBe(401);
      expect((stale.body as { error: { code: string } }).error.code).toBe('STALE_TIMESTAMP');
      const future = await postWebhook(setup.gateway.baseUrl, body, {
        timestamp: (Date.now() + 6 * 60_000).toString(),
      });
      expect(future.status).toBe(401);
    });

    it('accepts every key of a rotation', async () => {
      expect(
        (
          await postWebhook(setup.gateway.baseUrl, chunk(taskId, 1, 'a'), {
            secret: ROTATED_SECRET,
          })
        ).status,
      ).toBe(200);
      expect((await postWebhook(setup.gateway.baseUrl, chunk(taskId, 2, 'b'))).status).toBe(200);
    });
  });

  describe('tenants', () => {
    it("answers 404 for every route of another org's task and 403 for creating there", async () => {
      const task = await createTask(setup.gateway.baseUrl, alice, 'acme', 'writer', 'secret plans');
      const root = `/agent-to-agent/acme/writer/tasks/${task.id}`;
      const asMallory = { headers: bearer(mallory) };
      for (const [method, path] of [
        ['GET', root],
        ['GET', `${root}/stream`],
        ['GET', `${root}/messages`],
        ['POST', `${root}/stream-token`],
        ['POST', `${root}/cancel`],
      ]) {
        const response = await api(path, { method, ...asMallory });
        expect([method, path, response.status]).toEqual([method, path, 404]);
      }
      const create = await api('/agent-to-agent/acme/writer/tasks', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(mallory) },
        body: JSON.stringify({ message: { role: 'ROLE_USER', parts: [{ text: 'hi' }] } }),
      });
      expect(create.status).toBe(403);
      const list = (await (await api('/agent-to-agent/acme/writer/tasks', asMallory)).json()) as {
        tasks: unknown[];
      };
      expect(list.tasks).toEqual([]);
    });
  });

  describe('agents', () => {
    it("answers 404 with the error for a task's stream and messages under another agent's path", async () => {
      const task = await createTask(setup.gateway.baseUrl, alice, 'acme', 'writer', 'mine');
      for (const route of ['stream', 'messages']) {
        const response = await api(`/agent-to-agent/acme/reader/tasks/${task.id}/${route}`, {
          headers: bearer(alice),
        });
        expect([route, response.status, await response.json()]).toEqual([
          route,
          404,
          { error: { code: 'TASK_NOT_FOUND', message: `Task ${task.id} not found` } },
        ]);
      }
    });
  });

  describe('stream tokens', () => {
    it('binds a token to its task, agent and org', async () => {
      const a = await createTask(setup.gateway.baseUrl, alice, 'acme', 'writer', 'a');
      const b = await createTask(setup.gateway.baseUrl, alice, 'acme', 'writer', 'b');
      const { token } = await mintStreamToken(setup.gateway.baseUrl, alice, 'acme', 'writer', a.id);
      const onB = await api(`/agent-to-agent/acme/writer/tasks/${b.id}/stream?token=${token}`);
      expect(onB.status).toBe(403);
      expect(await onB.json()).toEqual({
        error: { code: 'FORBIDDEN', message: 'This stream token is for another task' },
      });
      expect(
        (await api(`/agent-to-agent/acme/echo/tasks/${a.id}/stream?token=${token}`)).status,
      ).toBe(403);
      expect(
        (await api(`/agent-to-agent/evil/writer/tasks/${a.id}/stream?token=${token}`)).status,
      ).toBe(403);
      expect(
        (
          await api(`/agent-to-agent/acme/writer/tasks/${a.id}/messages`, {
            headers: bearer(token),
          })
        ).status,
      ).toBe(200);
    });

    it('answers 401 to an expired stream token, an expired user token and garbage', async () => {
      const task = await createTask(setup.gateway.baseUrl, alice, 'acme', 'writer', 'x');
      const claims = { typ: 'stream', sub: 'alice', org: 'acme', agent: 'writer', task: task.id };
      const expired = streamToken(claims, -10);
      const response = await api(
        `/agent-to-agent/acme/writer/tasks/${task.id}/stream?token=${expired}`,
      );
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        error: { code: 'TOKEN_EXPIRED', message: 'Token expired' },
      });
      const expiredUser = userToken({ sub: 'alice', orgs: ['acme'] }, { expiresIn: -10 });
      expect(
        (
          await api(`/agent-to-agent/acme/writer/tasks/${task.id}`, {
            headers: bearer(expiredUser),
          })
        ).status,
      ).toBe(401);
      expect(
        (await api(`/agent-to-agent/acme/writer/tasks/${task.id}/stream?token=garbage`)).status,
      ).toBe(401);
      expect((await api(`/agent-to-agent/acme/writer/tasks/${task.id}/stream`)).status).toBe(401);
    });

    it('checks a token by what it is signed with, not by the kind it claims to be', async () => {
      const task = await createTask(setup.gateway.baseUrl, alice, 'acme', 'writer', 'x');
      const claims = { typ: 'stream', sub: 'alice', org: 'acme', agent: 'writer', task: task.id };
      const path = `/agent-to-agent/acme/writer/tasks/${task.id}/messages`;
      const forged = new HmacJwt('not-a-secret-of-this-gateway').sign(claims, { expiresIn: 60 });
      const forgedAnswer = await api(path, { headers: bearer(forged) });
      expect([forgedAnswer.status, await forgedAnswer.json()]).toEqual([
        401,
        { error: { code: 'UNAUTHENTICATED', message: 'Invalid token' } },
      ]);
      // A user token that carries typ 'stream' is still a user token of a member of the org.
      const member = new HmacJwt(TEST_JWT_SECRET).sign(
        { ...claims, orgs: ['acme'], roles: [] },
        { expiresIn: 60 },
      );
      expect((await api(path, { headers: bearer(member) })).status).toBe(200);
      expect((await api(path, { headers: bearer(streamToken(claims, 60)) })).status).toBe(200);
    });

    it('keeps an open stream going after its token expires; a reconnect needs a valid one', async () => {
      const task = await createTask(setup.gateway.baseUrl, alice, 'acme', 'writer', 'x');
      const token = streamToken(
        { typ: 'stream', sub: 'alice', org: 'acme', agent: 'writer', task: task.id },
        // Long enough for the stream to open on a loaded machine, then waited out.
        3,
      );
      const url = `${setup.gateway.baseUrl}/agent-to-agent/acme/writer/tasks/${task.id}/stream?token=${token}`;
      const stream = openStream(url);
      await expectEventually(() => expect(stream.events).toHaveLength(1));
      await new Promise((resolve) => setTimeout(resolve, 3100));
      expect(
        (await postWebhook(setup.gateway.baseUrl, chunk(task.id, 1, 'after expiry'))).status,
      ).toBe(200);
      await expectEventually(() => expect(stream.events).toHaveLength(2));
      stream.close();
      expect((await fetch(url)).status).toBe(401);
    });

    it('rate limits minting per user and task with 429 and Retry-After', async () => {
      const task = await createTask(setup.gateway.baseUrl, alice, 'acme', 'writer', 'x');
      const mint = (): Promise<Response> =>
        api(`/agent-to-agent/acme/writer/tasks/${task.id}/stream-token`, {
          method: 'POST',
          headers: bearer(alice),
        });
      const statuses: number[] = [];
      for (let i = 0; i < setup.gateway.config.STREAM_TOKEN_RATE_LIMIT; i++)
        statuses.push((await mint()).status);
      expect(statuses.every((s) => s === 201)).toBe(true);
      const limited = await mint();
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await limited.json()) as { error: { code: string } }).error.code).toBe(
        'RATE_LIMITED',
      );
      const other = await createTask(setup.gateway.baseUrl, alice, 'acme', 'writer', 'y');
      expect(
        (await mintStreamToken(setup.gateway.baseUrl, alice, 'acme', 'writer', other.id)).token,
      ).toBeTruthy();
    });
  });

  it('never writes a token or a signature to the log', async () => {
    const task = await createTask(setup.gateway.baseUrl, alice, 'acme', 'writer', 'x');
    const { token, streamUrl } = await mintStreamToken(
      setup.gateway.baseUrl,
      alice,
      'acme',
      'writer',
      task.id,
    );
    await api(`${streamUrl}&lastEventId=0`, { headers: { 'last-event-id': '1' } }).then((r) =>
      r.body?.cancel(),
    );
    await api(`/agent-to-agent/acme/writer/tasks/${task.id}/messages?token=${token}`);
    await api(`/agent-to-agent/acme/writer/tasks/${task.id}/messages?token=${token}x`);
    const signed = chunk(task.id, 1, 'x');
    const reply = await postWebhook(setup.gateway.baseUrl, signed);
    expect(reply.status).toBe(200);

    await expectEventually(() => expect(logLines.join('')).toContain('/messages?token=[REDACTED]'));
    const all = logLines.join('');
    expect(all).not.toContain(token);
    expect(all).not.toContain(alice);
    expect(all).not.toContain(token.split('.')[2]);
    expect(all).not.toMatch(/sha256=[0-9a-f]{64}/);
  });
});
