// Checks patches/kafkajs@2.2.4.patch: kafkajs 2.2.4 kept the bytes of a response cut short by a connection reset
// and parsed the next connection's bytes after them (every response misaligned from then on: requests never
// answered, "Response without match", or a RangeError thrown from the socket's data event, which crashes the
// process). Seen through the TCP fault proxy of tests/faults/networkFaults.fault.spec.ts.
import net from 'node:net';

/* eslint-disable @typescript-eslint/no-require-imports -- kafkajs internals, not part of its typed API */
const Connection = require('kafkajs/src/network/connection');
const socketFactory = require('kafkajs/src/network/socketFactory');
const { createLogger, LEVELS } = require('kafkajs/src/loggers');
const apiVersions = require('kafkajs/src/protocol/requests/apiVersions');
/* eslint-enable @typescript-eslint/no-require-imports */

type Answer = (socket: net.Socket, correlationId: number) => void;

/** A server that hands the n-th connection's requests to the n-th answer. */
async function fakeBroker(answers: Answer[]) {
  let connections = 0;
  const server = net.createServer((socket) => {
    const answer = answers[connections++]!;
    socket.on('error', () => undefined);
    socket.on('data', (request: Buffer) => answer(socket, request.readInt32BE(8)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An ApiVersions v0 response: size, correlation id, error code 0, no api versions. */
function apiVersionsResponse(correlationId: number): Buffer {
  const frame = Buffer.alloc(14);
  frame.writeInt32BE(10, 0);
  frame.writeInt32BE(correlationId, 4);
  frame.writeInt16BE(0, 8);
  frame.writeInt32BE(0, 10);
  return frame;
}

function connectionTo(port: number) {
  return new Connection({
    host: '127.0.0.1',
    port,
    logger: createLogger({ level: LEVELS.NOTHING, logCreator: () => () => undefined }),
    socketFactory: socketFactory(),
    requestTimeout: 2000,
    connectionTimeout: 1000,
  });
}

const send = (connection: { send(p: unknown): Promise<{ errorCode: number }> }) =>
  connection.send(apiVersions.protocol({ version: 0 })());

describe('kafkajs connection (patched)', () => {
  it('starts each socket with an empty buffer: a response cut by a reset does not prefix the next one', async () => {
    const broker = await fakeBroker([
      (socket, id) => {
        socket.write(apiVersionsResponse(id).subarray(0, 9)); // size, correlation id, half the body
        setTimeout(() => socket.resetAndDestroy(), 50);
      },
      (socket, id) => socket.write(apiVersionsResponse(id)),
    ]);
    const connection = connectionTo(broker.port);
    try {
      await connection.connect();
      await expect(send(connection)).rejects.toThrow(/Connection error|Closed connection/);
      await connection.connect();
      await expect(send(connection)).resolves.toMatchObject({ errorCode: 0 });
    } finally {
      await connection.disconnect();
      await broker.close();
    }
  });

  it('ends the connection on a response it cannot parse, instead of throwing from the socket event', async () => {
    const thrown: unknown[] = [];
    const onUncaught = (error: unknown) => thrown.push(error);
    process.on('uncaughtException', onUncaught);
    const broker = await fakeBroker([
      (socket) => socket.write(Buffer.from([0, 0, 0, 2, 0, 0])), // a frame too short for a correlation id
    ]);
    const connection = connectionTo(broker.port);
    try {
      await connection.connect();
      await expect(send(connection)).rejects.toThrow(/outside buffer bounds|Connection error/);
      expect(thrown).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
      await connection.disconnect();
      await broker.close();
    }
  });
});
