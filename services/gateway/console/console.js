// The operator console (docs/architecture.md#the-operator-console): plain DOM, every text set with textContent
// (nothing the API answers is ever parsed as HTML), every call through the public API with the operator's key.

import { allEvents, ApiError, call, dropKey, storedKey, storeKey } from './api.js';
import { $, element } from './dom.js';
import { follow } from './followStream.js';

const FIELDS = ['id', 'name', 'email', 'locale', 'status', 'version', 'createdAt', 'updatedAt'];

/** What the console shows: the open user as last read, and the follow stream of that user. */
let current = null;
let stopFollowing = null;
let stopFollowingAll = null;
let reloadTimer = null;
/** How many lines the everybody pane keeps: the oldest go first. */
const ALL_EVENTS_SHOWN = 200;

function showMessage(text, ok = false) {
  $('message').textContent = text;
  $('message').className = ok ? 'ok' : '';
}

function describeError(error) {
  if (!(error instanceof ApiError)) return `Something went wrong: ${error.message}`;
  if (error.status === 412)
    return 'This user changed since the version shown here (412): it has been reloaded; check it and try again.';
  if (error.status === 401) return 'The API key is missing or not valid (401).';
  if (error.status === 403) return 'This API key lacks the scope for that (403).';
  return `${error.message} (${error.status})`;
}

function fillState(list, user, changed = new Set()) {
  list.replaceChildren();
  if (!user) return;
  for (const field of FIELDS) {
    list.append(
      element('dt', field),
      element('dd', String(user[field] ?? '—'), changed.has(field) ? 'changed' : ''),
    );
  }
}

/** A line for one event: what happened, in words; a correction says it is one. */
function describeEvent(event) {
  const data = event.data || {};
  switch (event.type) {
    case 'UserRegistered':
      return `registered as ${data.name} <${data.email}>`;
    case 'UserNameChanged':
      return `renamed from ${data.oldName} to ${data.newName}${data.reason ? ` (${data.reason})` : ''}`;
    case 'UserNameCorrected':
      return `correction: the name ${data.oldName} was wrong, it is ${data.newName} (${data.reason})`;
    case 'UserEmailChanged':
      return `email changed from ${data.oldEmail} to ${data.newEmail}`;
    case 'UserDeactivated':
      return `deactivated${data.reason ? ` (${data.reason})` : ''}`;
    case 'UserReactivated':
      return 'reactivated';
    case 'UserForgotten':
      return 'personal data forgotten';
    default:
      return event.type;
  }
}

function eventItem(event) {
  const item = element('li', undefined, event.type === 'UserNameCorrected' ? 'correction' : '');
  item.dataset.version = String(event.version);
  item.append(
    element('span', `v${event.version} `),
    element('span', describeEvent(event)),
    element('div', `${event.type} · ${event.occurredAt}`, 'meta'),
  );
  return item;
}

async function search(event) {
  event.preventDefault();
  const name = $('search-name').value.trim();
  const query = new URLSearchParams({ limit: '20', ...(name ? { name } : {}) });
  try {
    const { body } = await call('GET', `/v1/users?${query}`);
    $('search-results').replaceChildren(
      ...body.items.map((user) => {
        const button = element('button', `${user.name} · ${user.status}`);
        button.type = 'button';
        button.dataset.userId = user.id;
        button.addEventListener('click', () => void openUser(user.id));
        const item = element('li');
        item.append(button);
        return item;
      }),
    );
    if (body.items.length === 0) $('search-results').replaceChildren(element('li', 'No user found'));
  } catch (error) {
    $('search-results').replaceChildren(element('li', describeError(error)));
  }
}

/** Reads the open user again: state, audit trail, and the time travel's range. */
async function reload() {
  if (!current) return;
  const id = current.id;
  const { body: user } = await call('GET', `/v1/users/${id}`);
  const events = await allEvents(id);
  if (!current || current.id !== id) return;
  current = user;
  $('user-title').textContent = `User ${user.name}`;
  fillState($('user-state'), user);
  $('timeline').replaceChildren(...events.map(eventItem));
  const listed = document.querySelector(`#search-results button[data-user-id="${CSS.escape(id)}"]`);
  if (listed) listed.textContent = `${user.name} · ${user.status}`;
  if (events.some((event) => event.type === 'UserForgotten')) {
    // What the live pane showed before the forget held personal data: it shows the erased history instead.
    $('live-events').replaceChildren(...events.map(eventItem).reverse());
  }
  const slider = $('version-slider');
  const atLatest = slider.value === slider.max;
  slider.max = String(user.version);
  if (atLatest || Number(slider.value) > user.version) slider.value = String(user.version);
  await travel();
}

/** Shows the user at the slider's version, and what changed from the version before. */
async function travel() {
  if (!current) return;
  const version = Number($('version-slider').value);
  $('version-label').textContent = `${version} of ${current.version}`;
  try {
    const [{ body: then }, before] = await Promise.all([
      call('GET', `/v1/users/${current.id}?atVersion=${version}`),
      version > 1 ? call('GET', `/v1/users/${current.id}?atVersion=${version - 1}`) : Promise.resolve(null),
    ]);
    showTravel(then, before && before.body);
  } catch (error) {
    showMessage(describeError(error));
  }
}

async function travelToTime() {
  if (!current || !$('as-of').value) return;
  try {
    const asOf = new Date($('as-of').value).toISOString();
    const { body } = await call('GET', `/v1/users/${current.id}?asOf=${encodeURIComponent(asOf)}`);
    $('version-slider').value = String(body.version);
    $('version-label').textContent = `${body.version} of ${current.version} (as of ${asOf})`;
    showTravel(body, null);
  } catch (error) {
    showMessage(describeError(error));
  }
}

function showTravel(then, before) {
  const changed = new Set(
    before ? FIELDS.filter((f) => f !== 'version' && f !== 'updatedAt' && then[f] !== before[f]) : [],
  );
  fillState($('travel-state'), then, changed);
  $('travel-changes').replaceChildren(
    ...(before
      ? [...changed].map((f) => element('li', `${f}: ${String(before[f])} → ${String(then[f])}`))
      : [element('li', then.version === 1 ? 'The first version: registered' : 'State at that time')]),
  );
}

function onLiveEvent(type, event) {
  const item = eventItem(event);
  $('live-events').prepend(item);
  // The state and the trail follow the stream: a burst of events reloads once.
  if (current && event.version > current.version) {
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(() => void reload().catch((error) => showMessage(describeError(error))), 100);
  }
}

/**
 * A line of the everybody pane: which user, which version, what kind of event. Never a name or an address: a
 * forget elsewhere cannot reach lines already on the screen, so they hold nothing it would have to erase.
 */
function onEverybodyEvent(type, event) {
  const userId = String(event.streamId || '').replace(/^user-/, '');
  const item = element('li');
  item.dataset.userId = userId;
  item.dataset.version = String(event.version);
  const open = element('button', `${userId.slice(0, 8)} v${event.version}`);
  open.type = 'button';
  open.addEventListener('click', () => void openUser(userId));
  item.append(open, element('span', ` ${type}`), element('div', event.occurredAt || '', 'meta'));
  const list = $('all-events');
  list.prepend(item);
  while (list.children.length > ALL_EVENTS_SHOWN) list.lastElementChild.remove();
}

function followEverybody() {
  if (stopFollowingAll) {
    stopFollowingAll();
    stopFollowingAll = null;
    $('follow-all').textContent = 'Follow everybody';
    $('all-state').textContent = 'Stopped.';
    return;
  }
  $('follow-all').textContent = 'Stop following everybody';
  // The feed starts at the beginning of the stored history and goes on live; the pane keeps the latest lines.
  stopFollowingAll = follow('/v1/events?follow=true', {
    onEvent: onEverybodyEvent,
    onState: (text) => ($('all-state').textContent = text),
  });
}

async function openUser(id) {
  stopFollowing?.();
  current = { id, version: 0 };
  showMessage('');
  $('user-pane').hidden = false;
  $('live-events').replaceChildren();
  $('version-slider').value = '1';
  try {
    await reload();
  } catch (error) {
    showMessage(describeError(error));
  }
  stopFollowing = follow(`/v1/users/${id}/events?follow=true`, {
    onEvent: onLiveEvent,
    onState: (text) => ($('live-state').textContent = text),
  });
}

/** Sends a write with If-Match from the version shown: a concurrent change is a 412, never a silent overwrite. */
async function act(method, path, done) {
  if (!current) return;
  try {
    await call(method, path, { headers: { 'if-match': `"${current.version}"` } });
    showMessage(done, true);
  } catch (error) {
    showMessage(describeError(error));
  }
  await reload().catch(() => undefined);
}

function init() {
  const keyState = () => ($('key-state').textContent = storedKey() ? 'key set for this tab' : 'no key');
  $('key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const key = $('key').value.trim();
    if (key) storeKey(key);
    $('key').value = '';
    keyState();
  });
  $('drop-key').addEventListener('click', () => {
    dropKey();
    stopFollowing?.();
    stopFollowingAll?.();
    stopFollowingAll = null;
    $('follow-all').textContent = 'Follow everybody';
    keyState();
  });
  $('follow-all').addEventListener('click', () => followEverybody());
  keyState();
  $('search-form').addEventListener('submit', (event) => void search(event));
  $('version-slider').addEventListener('input', () => void travel());
  $('as-of-go').addEventListener('click', () => void travelToTime());
  $('deactivate').addEventListener(
    'click',
    () => void act('DELETE', `/v1/users/${current.id}`, 'Deactivated'),
  );
  $('reactivate').addEventListener(
    'click',
    () => void act('POST', `/v1/users/${current.id}/reactivation`, 'Reactivated'),
  );
  $('forget').addEventListener('click', () => {
    if (!current) return;
    const sure = window.confirm(
      `Forget the personal data of ${current.name}? Their name and email are erased everywhere; this cannot be undone.`,
    );
    if (sure) void act('DELETE', `/v1/users/${current.id}/personal-data`, 'Personal data forgotten');
  });
}

init();
