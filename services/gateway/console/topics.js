// The gateway's /asyncapi.json as a page a person reads: every topic eventfold owns, public or internal, with its
// Kafka settings, the messages it carries (each an Avro schema in schemas/) and who writes and reads it. Every text
// is set with textContent; the document is the one the gateway serves, no copy.

import { $, element } from './dom.js';

/** Resolves a local `$ref` (`#/components/messages/X`) in the document. */
function resolve(document, ref) {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce((node, key) => (node ? node[key] : undefined), document);
}

function describeChannel(document, key, channel) {
  const section = element('article', undefined, 'topic');
  section.dataset.topic = channel.address;
  const tags = (channel.tags || []).map((t) => t.name);
  section.append(element('h3', `${channel.address} · ${tags.join(', ') || 'untagged'}`));
  if (channel.description) section.append(element('p', channel.description));
  const kafka = (channel.bindings && channel.bindings.kafka) || {};
  const settings = kafka.topicConfiguration || {};
  const facts = element('dl');
  const fact = (name, value) => facts.append(element('dt', name), element('dd', String(value)));
  fact('partitions', kafka.partitions ?? '—');
  fact('cleanup policy', (settings['cleanup.policy'] || ['—']).join(', '));
  const retention = settings['retention.ms'];
  if (retention !== undefined) fact('retention', retention < 0 ? 'forever' : `${retention} ms`);
  const operations = Object.values(document.operations || {}).filter(
    (op) => op.channel && op.channel.$ref === `#/channels/${key}`,
  );
  for (const op of operations) fact(op.action === 'send' ? 'written by' : 'read by', op.summary || '—');
  section.append(facts);
  const messages = element('ul', undefined, 'messages');
  for (const ref of Object.values(channel.messages || {})) {
    const message = ref.$ref ? resolve(document, ref.$ref) : ref;
    if (!message) continue;
    const item = element('li');
    item.append(
      element('strong', message.name || message.title || '?'),
      element('span', ` ${message.summary || ''}`),
    );
    messages.append(item);
  }
  section.append(messages);
  return section;
}

async function show() {
  try {
    const response = await fetch('/asyncapi.json');
    if (!response.ok) throw new Error(`the gateway answered ${response.status}`);
    const document = await response.json();
    $('topics-title').textContent =
      `${document.info.title} ${document.info.version} (AsyncAPI ${document.asyncapi})`;
    $('topics-description').textContent = document.info.description || '';
    // The public contract first, then the internal topics.
    const channels = Object.entries(document.channels).sort(([, a], [, b]) => {
      const isPublic = (c) => (c.tags || []).some((t) => t.name === 'public');
      return Number(isPublic(b)) - Number(isPublic(a));
    });
    $('topics').replaceChildren(...channels.map(([key, channel]) => describeChannel(document, key, channel)));
  } catch (error) {
    $('topics-title').textContent = `The AsyncAPI document could not be read: ${error.message}`;
  }
}

void show();
