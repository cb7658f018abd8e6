import { AvroSchemaParser } from '@asyncapi/avro-schema-parser';
import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { publishedAsyncApi } from './publishedAsyncApi';

describe('the published AsyncAPI document', () => {
  it('is valid AsyncAPI 3.0 to the AsyncAPI project’s own parser, Avro payloads included', async () => {
    const parser = new Parser();
    parser.registerSchemaParser(AvroSchemaParser());
    const { document, diagnostics } = await parser.parse(JSON.stringify(publishedAsyncApi));
    const errors = diagnostics.filter((d) => Number(d.severity) === Number(DiagnosticSeverity.Error));
    expect(errors.map((d) => `${d.path.join('.')}: ${d.message}`)).toEqual([]);
    expect(document).toBeDefined();
    const channels = document!.channels().all();
    expect(channels.map((c) => c.address()).sort()).toEqual([
      'users.command-results',
      'users.commands',
      'users.events',
      'users.events.dlq',
      'users.integration.v1',
      'users.snapshots',
    ]);
    const publicChannels = channels.filter((c) =>
      (c.json<{ tags?: { name: string }[] }>().tags ?? []).some((t) => t.name === 'public'),
    );
    expect(publicChannels.map((c) => c.address())).toEqual(['users.integration.v1']);
    expect(
      publicChannels[0]!
        .messages()
        .all()
        .map((m) => m.name())
        .sort(),
    ).toEqual(['UserErased', 'UserJoined', 'UserLeft', 'UserProfileChanged', 'UserReturned']);
  });
});
