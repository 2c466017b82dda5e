// SPDX-License-Identifier: MIT
// The example page's logic: connect with socket.io-client, join one event, draw its seat map from
// `room-snapshot` and keep it current with `update-seat-status` (README, "Protocol summary").
'use strict';

const params = new URLSearchParams(location.search);
const server = params.get('server') || `${location.protocol}//${location.hostname}:3000`;
const eventId = params.get('event');
const $ = (id) => document.getElementById(id);

// The room as last drawn: seat id -> {id, tag, state}, and the room's sequence number.
const room = { seats: new Map(), seq: -1 };

// "B12" -> {row: "B", number: 12}; other tags are legal and go to a last row of their own.
function parseTag(tag) {
  const m = /^([A-Za-z]+)(\d+)$/.exec(tag || '');
  return m ? { row: m[1].toUpperCase(), number: Number(m[2]) } : { row: null, number: 0 };
}

function draw() {
  const rows = new Map();
  for (const seat of room.seats.values()) {
    const { row, number } = parseTag(seat.tag);
    const key = row ?? '\uffff';
    if (!rows.has(key)) rows.set(key, []);
    rows.get(key).push({ seat, number });
  }
  const map = $('map');
  map.replaceChildren();
  for (const key of [...rows.keys()].sort()) {
    const line = document.createElement('div');
    line.className = 'row';
    line.innerHTML = `<span class="row-label">${key === '\uffff' ? '…' : key}</span>`;
    rows.get(key).sort((a, b) => a.number - b.number || String(a.seat.tag).localeCompare(b.seat.tag));
    for (const { seat } of rows.get(key)) line.append(seatElement(seat));
    map.append(line);
  }
  drawCounts();
}

function seatElement(seat) {
  const el = document.createElement('div');
  el.className = 'seat';
  el.dataset.id = seat.id;
  el.dataset.state = seat.state;
  el.title = `${seat.tag || seat.id}: ${seat.state}`;
  el.textContent = seat.tag || seat.id.slice(0, 4);
  return el;
}

function drawCounts() {
  const counts = { AVAILABLE: 0, PENDING: 0, OCCUPIED: 0 };
  for (const seat of room.seats.values()) counts[seat.state] = (counts[seat.state] || 0) + 1;
  $('counts').textContent = Object.entries(counts).map(([s, n]) => `${s.toLowerCase()} ${n}`).join(' · ');
  $('seq').textContent = room.seq;
}

function setConnection(state, text = state) {
  $('connection').dataset.state = state;
  $('connection').textContent = text;
}

function showTransport(socket) {
  $('transport').textContent = socket.io.engine?.transport?.name ?? '-';
}

function onSnapshot(snapshot) {
  if (snapshot.eventId !== eventId) return;
  room.seats = new Map(snapshot.seats.map((s) => [s.id, s]));
  room.seq = snapshot.seq;
  $('viewers').textContent = snapshot.viewers;
  $('error').textContent = snapshot.complete ? '' : 'seat map incomplete: the events service did not answer yet';
  draw();
}

function onUpdate(update) {
  if (update.eventId && update.eventId !== eventId) return;
  // A change the snapshot already holds: it was broadcast before the snapshot was taken.
  if (update.seq !== undefined && update.seq <= room.seq) return;
  const seat = room.seats.get(update.id) ?? { id: update.id, tag: update.tag };
  seat.state = update.state;
  if (update.tag) seat.tag = update.tag;
  const isNew = !room.seats.has(update.id);
  room.seats.set(update.id, seat);
  if (update.seq !== undefined) room.seq = update.seq;
  if (isNew) draw(); else redrawSeat(seat);
  logChange(update);
}

function redrawSeat(seat) {
  const old = document.querySelector(`.seat[data-id="${CSS.escape(seat.id)}"]`);
  const el = seatElement(seat);
  el.classList.add('changed');
  old.replaceWith(el);
  requestAnimationFrame(() => requestAnimationFrame(() => el.classList.remove('changed')));
  drawCounts();
}

function logChange(update) {
  const item = document.createElement('li');
  item.dataset.seq = update.seq;
  item.dataset.id = update.id;
  item.dataset.state = update.state;
  item.textContent = `${new Date().toLocaleTimeString()}  ${update.tag || update.id}  ${update.state}  seq ${update.seq}`;
  $('log').prepend(item);
}

function join(socket) {
  socket.emit('join-event-room', { eventId }, (answer) => {
    if (answer && answer.error) $('error').textContent = `join refused: ${answer.error}`;
  });
}

// Without an event id: links to the service's upcoming events, from `list-events`.
function listEvents(socket) {
  socket.emit('list-events', {}, (events) => {
    if (!Array.isArray(events)) return;
    const list = document.createElement('ul');
    for (const e of events) {
      const link = new URL(location.href);
      link.searchParams.set('event', e.id);
      list.insertAdjacentHTML('beforeend', '<li><a></a></li>');
      list.lastChild.firstChild.href = link;
      list.lastChild.firstChild.textContent = `${e.name || e.id} (${e.date || ''})`;
    }
    $('map').replaceChildren('Pick an event:', list);
  });
}

function start() {
  $('event').textContent = eventId ?? '(none: add ?event=<id>)';
  const options = {};
  const transports = params.get('transports');
  if (transports) options.transports = transports.split(',');
  // For trying out JWT_SECRET; a real frontend gets its token from its login, not the URL.
  if (params.get('token')) options.auth = { token: params.get('token') };
  const socket = io(server, options);
  window.reservoSocket = socket; // for the browser test and the devtools console

  socket.on('connect', () => {
    setConnection('connected', socket.recovered ? 'connected (recovered)' : 'connected');
    $('connection').dataset.recovered = socket.recovered;
    showTransport(socket);
    socket.io.engine.once('upgrade', () => showTransport(socket));
    // A recovered connection got its room back and the updates it missed; otherwise join (again),
    // which brings a fresh snapshot.
    if (socket.recovered) return;
    if (eventId) join(socket); else listEvents(socket);
  });
  socket.on('disconnect', (reason) => setConnection('disconnected', `disconnected (${reason})`));
  socket.on('connect_error', (error) => {
    // Refused by the service (CONNECT_ERROR, e.g. a bad token): socket.io does not retry these.
    setConnection(socket.active ? 'connecting' : 'refused', socket.active ? 'retrying' : 'refused');
    $('error').textContent = error.message;
  });
  socket.on('room-snapshot', onSnapshot);
  socket.on('update-seat-status', onUpdate);
  socket.on('room-presence', (p) => { if (p.eventId === eventId) $('viewers').textContent = p.viewers; });
  // The events service does not know the event: the server dropped the room.
  socket.on('room-error', (e) => { if (e.eventId === eventId) $('error').textContent = e.error; });
}

start();
