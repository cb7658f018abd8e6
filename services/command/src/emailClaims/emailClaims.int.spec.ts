import { randomUUID } from 'node:crypto';
import { confluentSchemaRegistry, loadSchemaCatalog, singleRecordCodec } from '@eventfold/avro';
import { partitionForKey } from '@eventfold/core';
import { randomName, testEndpoints, testKafka, testKeyEnvironment, waitFor } from '@eventfold/testing';
import { userStreamId } from '@eventfold/users-domain';
import { readCommandServiceConfig } from '../config';
import { envelopeToRecord } from '../processing/wire';
import { checkStreams, readStreamEventLog } from '../testing/eventLog';
import { send, startTestCommandService } from '../testing/testCommandService';
import { emailStreamIdsFor } from './emailStreamIds';

jest.setTimeout(240_000);

const TIMEOUT_MS = 8000;

describe('one account per email address, on Kafka (decision 0016)', () => {
  let ctx: Awaited<ReturnType<typeof startTestCommandService>>;
  const emailStreamOf = emailStreamIdsFor(
    readCommandServiceConfig({ ...testKeyEnvironment() }, 'test').keys.masterKey,
  );
  const address = () => `${randomName('shared')}@example.com`;
  const register = (email: string, name = 'Ada Lovelace') =>
    send(ctx.service.url, 'POST', '/v1/users', { name, email });
  const eventsOf = async (streamId: string) =>
    (await readStreamEventLog(ctx.topics, ctx.partitions))
      .filter((e) => e.event.metadata.streamId === streamId)
      .map((e) => e.event);

  beforeAll(async () => {
    ctx = await startTestCommandService({ env: { EMAIL_RESERVATION_TIMEOUT_MS: String(TIMEOUT_MS) } });
  });
  afterAll(async () => {
    await ctx?.service.stop();
    expect(ctx?.fatal ?? []).toEqual([]);
  });

  it('of 100 concurrent registrations of one address, one is 201 and 99 are 409 EMAIL_TAKEN, with one reservation', async () => {
    const email = address();
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => register(email, `User ${i}`)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(99);
    const refused = answers.find((a) => a.status === 409)!;
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({
      status: 409,
      code: 'EMAIL_TAKEN',
      type: 'https://eventfold.dev/problems/email-taken',
    });
    const winner = answers.find((a) => a.status === 201)!.body!.id as string;
    expect(JSON.stringify(refused.body)).not.toContain(winner);
    await waitFor(async () => (await eventsOf(emailStreamOf(email))).length === 2, {
      timeoutMs: 30_000,
      description: 'the confirmation to be written',
    });
    const log = await readStreamEventLog(ctx.topics, ctx.partitions);
    expect(checkStreams(log).problems).toEqual([]);
    const registered = log.filter((e) => e.event.type === 'UserRegistered' && e.event.data.email === email);
    expect(registered.map((e) => e.event.metadata.streamId)).toEqual([userStreamId(winner)]);
    expect((await eventsOf(emailStreamOf(email))).map((e) => [e.type, e.data.userId])).toEqual([
      ['EmailReserved', winner],
      ['EmailReservationConfirmed', winner],
    ]);
  });

  it('of 50 users changing to one address at once, one is 200 and 49 are 409; the old addresses of the 49 stay theirs', async () => {
    const users = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const email = address();
        const r = await register(email);
        expect(r.status).toBe(201);
        return { id: r.body!.id as string, email };
      }),
    );
    const target = address();
    const answers = await Promise.all(
      users.map((u) => send(ctx.service.url, 'PUT', `/v1/users/${u.id}/email`, { email: target })),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409 && a.body?.code === 'EMAIL_TAKEN')).toHaveLength(49);
    const moved = users[answers.findIndex((a) => a.status === 200)]!;
    // The mover's old address is released and can be taken; a refused user's old address is still held.
    await waitFor(async () => (await register(moved.email)).status === 201, {
      timeoutMs: 30_000,
      description: "the mover's old address to be released",
    });
    const stayed = users.find((u) => u !== moved)!;
    expect((await register(stayed.email)).status).toBe(409);
  });

  it('a deactivated user keeps its address and can be reactivated; forgetting releases it for another user', async () => {
    const email = address();
    const id = (await register(email)).body!.id as string;
    expect((await send(ctx.service.url, 'DELETE', `/v1/users/${id}`, { reason: null })).status).toBe(200);
    expect((await register(email)).status).toBe(409);
    expect((await send(ctx.service.url, 'POST', `/v1/users/${id}/reactivation`)).status).toBe(200);
    const forget = await send(ctx.service.url, 'DELETE', `/v1/users/${id}/personal-data`, {
      reason: 'erasure',
    });
    expect(forget.status).toBe(200);
    let next = '';
    await waitFor(
      async () => {
        const r = await register(email);
        if (r.status === 201) next = r.body!.id as string;
        return r.status === 201;
      },
      { timeoutMs: 30_000, description: 'the forgotten user’s address to be released' },
    );
    expect((await eventsOf(emailStreamOf(email))).map((e) => [e.type, e.data.userId])).toEqual([
      ['EmailReserved', id],
      ['EmailReservationConfirmed', id],
      ['EmailReleased', id],
      ['EmailReserved', next],
      ['EmailReservationConfirmed', next],
    ]);
  });

  it('a reservation whose claim died before the user command is settled after the timeout, and the address is free again', async () => {
    const email = address();
    const emailStreamId = emailStreamOf(email);
    const ghost = randomUUID();
    // What a command service killed right after the reservation leaves: a ReserveEmail, and no RegisterUser.
    const codec = await singleRecordCodec(
      confluentSchemaRegistry(testEndpoints().schemaRegistryUrl),
      loadSchemaCatalog(),
      ctx.topics.commands,
      'UserCommandEnvelope',
    );
    const claimId = randomUUID();
    const reservedAt = Date.now();
    const value = codec.encode(
      'eventfold.users.UserCommandEnvelope',
      envelopeToRecord({
        streamId: emailStreamId,
        expectedVersion: null,
        command: {
          type: 'ReserveEmail',
          data: { userId: ghost, claimId },
          metadata: {
            commandId: `${claimId}/reserve`,
            now: reservedAt,
            actor: 'test',
            correlationId: claimId,
            causationId: claimId,
          },
        },
        requestFingerprint: null,
      }),
    );
    const producer = testKafka('orphan-reservation').producer();
    await producer.connect();
    try {
      await producer.send({
        topic: ctx.topics.commands,
        acks: -1,
        messages: [{ key: emailStreamId, value, partition: partitionForKey(emailStreamId, ctx.partitions) }],
      });
    } finally {
      await producer.disconnect();
    }
    // Held once decided: a registration with the address is refused (and writes nothing) until the timeout.
    await waitFor(async () => (await register(email)).status === 409, {
      timeoutMs: TIMEOUT_MS,
      description: 'the orphan reservation to be decided',
    });
    // The sweeper settles the claim with the ghost's stream, which refuses its command for good and expires it.
    let winner = '';
    await waitFor(
      async () => {
        const r = await register(email);
        if (r.status === 201) winner = r.body!.id as string;
        return r.status === 201;
      },
      { timeoutMs: 60_000, description: 'the orphan reservation to be settled' },
    );
    expect(Date.now() - reservedAt).toBeGreaterThanOrEqual(TIMEOUT_MS);
    expect((await eventsOf(emailStreamId)).map((e) => [e.type, e.data.userId])).toEqual([
      ['EmailReserved', ghost],
      ['EmailReleased', ghost],
      ['EmailReserved', winner],
      ['EmailReservationConfirmed', winner],
    ]);
    expect(await eventsOf(userStreamId(ghost))).toEqual([]);
  });
});
