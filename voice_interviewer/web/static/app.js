// voice-interviewer in the browser: the page's half of the conversation.
// The server runs the interview; this page shows what it publishes (typed session events
// as JSON), streams the microphone (16 kHz int16 from mic-worklet.js) and plays the
// interviewer's voice, telling the server when each line has played or was cut short.
'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  if (params.has('token')) { // the server has set its cookie: keep the token out of the address bar and history
    const rest = new URLSearchParams(params); rest.delete('token');
    history.replaceState(null, '', location.pathname + (rest.toString() ? `?${rest}` : ''));
  }
  // ?timeline=1 keeps timestamps of audio in and out for measurements (window.viTimeline)
  const timeline = params.get('timeline') === '1' ? [] : null;
  window.viTimeline = timeline;
  const mark = (what, extra) => { if (timeline) timeline.push({ t: performance.now(), what, ...extra }); };

  const state = {
    ws: null, config: null, running: false, ctx: null, mic: null, sent: 0, playing: null,
    micMode: params.get('mic') === 'turn' ? 'turn' : 'session', // turn: the mic is open only while you answer
    listening: null, plan: 0, clockTimer: null, lastLevel: 0, youOnUntil: 0, intOffTimer: null,
    pendingLine: null, lastLine: null, autoStarted: false, session: null, playback: null,
    expect: null, // what the next interviewer line probably is: 'question' after QuestionStarted, 'reply' after a turn
  };

  // --- connection ----------------------------------------------------------------------------------
  function setLink(kind, text) { $('link').className = `link ${kind}`; $('link-text').textContent = text; }

  function connect() {
    const ws = new WebSocket(`ws://${location.host}/ws`);
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => { state.ws = ws; setLink('ok', 'connected'); markReady(); maybeAutoStart(); };
    ws.onclose = () => {
      state.ws = null;
      setLink('bad', 'server not reachable, retrying…');
      if (state.running) endLive('The connection to the server was lost; what was said so far is saved.');
      setTimeout(connect, 1500);
    };
    ws.onmessage = (m) => (typeof m.data === 'string' ? onMessage(JSON.parse(m.data)) : onAudio(m.data));
  }
  const send = (obj) => { if (state.ws && state.ws.readyState === 1) state.ws.send(JSON.stringify(obj)); };

  // --- audio: the context, the microphone, playback ----------------------------------------------------
  async function ensureContext() {
    if (!state.ctx) {
      state.ctx = new AudioContext({ latencyHint: 'interactive' });
      await state.ctx.audioWorklet.addModule('/static/mic-worklet.js');
    }
    if (state.ctx.state !== 'running') { try { await state.ctx.resume(); } catch (e) { /* needs a click */ } }
    const running = state.ctx.state === 'running';
    if (running && !state.playback) { // the echo canceller's route for the interviewer's voice (playback.js)
      state.playback = window.viPlayback.setup(state.ctx, { direct: params.get('playback') === 'direct', mark })
        .then((route) => { showMicNote(); return route; });
    }
    return running;
  }

  function soundGate() {
    return new Promise((resolve) => {
      $('sound-gate').hidden = false;
      $('sound-on').focus();
      $('sound-on').onclick = async () => { await state.ctx.resume(); $('sound-gate').hidden = true; resolve(); };
    });
  }

  async function openMic() {
    if (state.mic) return;
    const stream = await navigator.mediaDevices.getUserMedia({
      // ?aec=off: only to measure what the browser's echo cancellation does (docs/benchmarks.md, Browser)
      audio: { echoCancellation: params.get('aec') !== 'off', noiseSuppression: true, autoGainControl: true, channelCount: 1 },
    });
    const ctx = state.ctx;
    const source = ctx.createMediaStreamSource(stream);
    const node = new AudioWorkletNode(ctx, 'mic-16k', { numberOfInputs: 1, numberOfOutputs: 1 });
    const mute = ctx.createGain(); mute.gain.value = 0; // keeps the node pulled without making a sound
    source.connect(node); node.connect(mute); mute.connect(ctx.destination);
    node.port.onmessage = (e) => onMicChunk(e.data);
    state.mic = { stream, source, node, mute };
    mark('mic_open', { samples: state.sent });
    showMicNote();
  }

  function showMicNote() {
    if (!state.mic) return;
    const track = state.mic.stream.getAudioTracks()[0];
    const s = track.getSettings ? track.getSettings() : {};
    const voice = window.viPlayback.route === 'loopback' ? ', the interviewer’s voice included' : '';
    $('mic-live-note').textContent = `${track.label || 'microphone'} · echo cancellation ${s.echoCancellation ? 'on' : 'off'}${voice}`;
  }

  function closeMic() {
    if (!state.mic) return;
    state.mic.stream.getTracks().forEach((t) => t.stop());
    state.mic.source.disconnect(); state.mic.node.disconnect(); state.mic.mute.disconnect();
    state.mic = null;
    showLevel(0);
    mark('mic_close', { samples: state.sent });
  }

  function onMicChunk({ pcm, rms }) {
    const db = 20 * Math.log10(Math.max(rms, 1e-5));
    showLevel(Math.max(0, Math.min(1, (db + 60) / 55)));
    if (db > -42) state.youOnUntil = performance.now() + 400;
    if (!state.running) return;
    if (state.micMode === 'turn' && !state.listening) return;
    if (state.ws && state.ws.readyState === 1) {
      state.ws.send(pcm);
      state.sent += pcm.byteLength / 2;
      mark('mic', { samples: state.sent, db: Math.round(db * 10) / 10 });
    }
  }

  function showLevel(x) {
    state.lastLevel = x;
    const pct = `${Math.round(x * 100)}%`;
    $('setup-meter').style.width = pct;
    $('live-meter').style.width = pct;
  }

  function onAudio(buffer) {
    const head = new DataView(buffer, 0, 8);
    const id = head.getUint32(0, true), rate = head.getUint32(4, true);
    const pcm = new Int16Array(buffer, 8);
    mark('audio_in', { id, n: pcm.length, rate });
    const ctx = state.ctx;
    const duration = pcm.length / rate;
    if (!ctx || ctx.state !== 'running') { // no sound here: keep the conversation's pace anyway
      setTimeout(() => send({ type: 'played', id, played_s: duration }), duration * 1000);
      return;
    }
    const buf = ctx.createBuffer(1, pcm.length, rate);
    const ch = buf.getChannelData(0);
    for (let i = 0; i < pcm.length; i++) ch[i] = pcm[i] / 32768;
    const node = ctx.createBufferSource();
    node.buffer = buf;
    node.connect(window.viPlayback.output(ctx));
    if (timeline) window.viPlayback.watch(ctx, node, (ms) => mark('audible', { id, ms: Math.round(ms) }));
    const play = { id, node, startAt: ctx.currentTime, duration, cut: null };
    node.onended = () => {
      const heard = play.cut === null ? duration : play.cut;
      send({ type: 'played', id, played_s: heard, interrupted: play.cut !== null });
      mark('played', { id, interrupted: play.cut !== null });
      if (state.playing === play) { state.playing = null; speaking('int', false); }
    };
    node.start();
    state.playing = play;
    speaking('int', true);
  }

  function stopAudio(id) { // the server heard the candidate start talking
    const play = state.playing;
    if (!play || play.id !== id) { send({ type: 'played', id, played_s: 0, interrupted: true }); return; }
    play.cut = Math.max(0, state.ctx.currentTime - play.startAt);
    play.node.stop();
    status('You cut in: the interviewer stopped to listen.');
  }

  function speaking(who, on) {
    if (who === 'int') {
      clearTimeout(state.intOffTimer);
      if (on) setWho('int', true, 'speaking');
      else state.intOffTimer = setTimeout(() => setWho('int', false, state.running ? 'listening' : 'waiting'), 350);
    }
  }
  function setWho(who, on, text) {
    $(who === 'int' ? 'who-int' : 'who-you').classList.toggle('on', on);
    $(who === 'int' ? 'int-state' : 'you-state').textContent = text;
  }
  setInterval(() => { // the candidate's "speaking" light, from the page's own microphone
    if (!state.running) return;
    const on = performance.now() < state.youOnUntil && (!!state.listening || state.micMode === 'session');
    setWho('you', on, on ? 'speaking' : (state.listening ? 'your turn' : 'waiting'));
  }, 120);

  // --- messages from the server -------------------------------------------------------------------------
  function onMessage(msg) {
    switch (msg.type) {
      case 'hello': if (msg.running && !state.running) status('A session is running in another tab.'); break;
      case 'started': state.running = true; break;
      case 'event': mark('event', { type: msg.event.type, event: msg.event }); onEvent(msg.event); break;
      case 'log': onLog(msg.text); break;
      case 'stop_audio': stopAudio(msg.id); break;
      case 'error': showError(msg.message, msg.hint); break;
      case 'editor_open': window.viEditor.open(String(msg.problem_id || ''), String(msg.starter || '')); break;
      case 'editor_close': window.viEditor.close(); break;
      case 'finished': onFinished(msg); break;
      default: break;
    }
  }

  function onLog(text) { // what the terminal would print: progress notes go to the status line
    const line = String(text).trim();
    if (!line) return;
    if (/^(interviewer:|candidate:|session folder:|\s*question|[-=]{3,})/.test(line) || line.includes('\n')) return; // the events caption these
    status(line);
  }

  // The interviewer starts a line (SpeechActivity carries its text): caption it now, as it is
  // heard; the LineSaid event at its end confirms it and says what kind of line it was.
  function onLineStarts(text) {
    state.pendingLine = addCaption('int', text, null, true);
    if (state.expect === 'question') setQuestion(text, 'Question');
    else if (state.expect === 'reply') setFollowUp(text);
    else if ($('q-kicker').textContent === 'Getting ready') { // the welcome, before any question
      setQuestion(text, 'Welcome'); $('q-number').textContent = 'Starting';
    }
    state.expect = null;
    status('');
  }

  function onEvent(e) {
    switch (e.type) {
      case 'session_started':
        state.plan = (e.plan || []).length; drawDots(0); break;
      case 'question_started':
        state.plan = e.of || state.plan;
        $('q-number').textContent = e.number && state.plan ? `Question ${e.number} of ${state.plan}` : 'Question';
        $('q-stage').textContent = (e.stage || '').replace(/-/g, ' ');
        $('q-kicker').textContent = 'Question';
        setFollowUp('');
        state.expect = 'question';
        drawDots(e.number || 0);
        // Assumes the coding round publishes QuestionStarted before it opens the editor.
        if (e.coding) window.viEditor.prepare(); else window.viEditor.close();
        break;
      case 'code_run': window.viEditor.showResult(e); break;
      case 'interviewer_said': onLineSaid(e); break;
      case 'follow_up_withdrawn': onWithdrawn(e); break;
      case 'listening_started': onListening(e); break;
      case 'partial_transcript': $('partial').textContent = e.text || ''; break;
      case 'candidate_turn': onTurn(e); break;
      case 'transcript_revised': onRevised(e); break;
      case 'decision': addDecision(describeDecision(e)); break;
      case 'score': if (e.scores && e.scores.overall != null) addDecision(`Scored: ${e.scores.overall.toFixed(1)} / 5 overall`); break;
      case 'note': status(e.text); break;
      case 'speech_activity':
        if (e.speaker !== 'interviewer') break;
        speaking('int', e.active);
        if (e.active && e.text) onLineStarts(e.text);
        break;
      case 'session_ended': status('Finishing the scores and the report…'); stopClock(); break;
      default: break;
    }
  }

  function onLineSaid(e) {
    const kinds = { follow_up: 'follow-up', challenge: 'challenge', cut_in: 'time', clarification: 'clarifying', deeper: 'deeper' };
    let item = state.pendingLine;
    if (item && item.dataset.text === e.text) { item.classList.remove('pending'); } else { item = addCaption('int', e.text); }
    state.pendingLine = null;
    state.lastLine = item; // a follow_up_withdrawn event may come next and take this line back
    if (kinds[e.kind]) item.querySelector('.who-label').insertAdjacentHTML('beforeend', ` <span class="tag">${kinds[e.kind]}</span>`);
    if (e.heard_s != null) item.querySelector('.who-label').insertAdjacentHTML('beforeend', ' <span class="tag">cut short</span>');
    if (e.kind === 'question') setQuestion(e.text, 'Question');
    else if (['follow_up', 'challenge', 'clarification', 'deeper'].includes(e.kind)) setFollowUp(e.text);
    else setFollowUp('');
  }

  // The candidate cut into the start of a follow-up: they were still answering, so the interviewer
  // takes the line back and their next words continue the answer. Strike the line out (caption and
  // the follow-up box) so they see there is nothing to answer and they can go on.
  function onWithdrawn(e) {
    const item = state.lastLine && state.lastLine.dataset.text === e.text ? state.lastLine
      : [...document.querySelectorAll('#captions li.int')].reverse().find((li) => li.dataset.text === e.text);
    if (item) strikeOut(item);
    if ($('q-follow-text').textContent === e.text) {
      $('q-follow').classList.add('withdrawn');
      $('q-follow').querySelector('.kicker').textContent = 'Withdrawn — go on with your answer';
    }
    status('The interviewer took that back: go on with your answer.'); // read out (role=status); the captions only announce new lines
  }

  // A withdrawn line's caption, the same live and in a replay: its words struck out, a note in its label.
  function strikeOut(item) {
    if (item.classList.contains('withdrawn')) return;
    item.classList.add('withdrawn');
    const said = [...item.childNodes].find((n) => n.nodeType === Node.TEXT_NODE);
    if (said) { const s = document.createElement('s'); item.replaceChild(s, said); s.append(said); } // not the label
    const label = item.querySelector('.who-label');
    label.querySelectorAll('.tag').forEach((t) => { if (t.textContent === 'cut short') t.remove(); }); // said better below
    label.insertAdjacentHTML('beforeend', ' <span class="tag go-on">withdrawn — go on</span>');
  }

  function setQuestion(text, kicker) { $('q-text').textContent = text; $('q-kicker').textContent = kicker; }
  function setFollowUp(text) {
    $('q-follow-text').textContent = text; $('q-follow').hidden = !text;
    $('q-follow').classList.remove('withdrawn'); $('q-follow').querySelector('.kicker').textContent = 'Follow-up'; // a new line stands
  }

  async function onListening(e) {
    state.listening = { start: performance.now(), total: e.time_box_s || 0 };
    $('done').disabled = false;
    setWho('you', false, 'your turn');
    $('partial').textContent = '';
    startClock();
    if (state.micMode === 'turn') { try { await openMic(); } catch (err) { micFailed(err); } }
  }

  function onTurn(e) {
    state.listening = null;
    if (state.micMode === 'turn') closeMic();
    $('done').disabled = true;
    $('partial').textContent = '';
    stopClock();
    const reasons = { done: 'you handed back', time_box: 'time was up', no_answer: 'no answer', silence: '' };
    const item = addCaption('you', e.text || '(no answer heard)');
    item.dataset.turnStart = String(e.start);
    if (reasons[e.end_reason]) item.querySelector('.who-label').insertAdjacentHTML('beforeend', ` <span class="tag">${reasons[e.end_reason]}</span>`);
    setWho('you', false, 'waiting');
    state.expect = 'reply';
  }

  // The whole answer, decoded again while the interviewer replied: truer words at the chunk cuts.
  function onRevised(e) {
    const item = [...document.querySelectorAll('#captions li.you')].find((li) => li.dataset.turnStart === String(e.turn_start));
    if (!item || !e.text) return;
    item.lastChild.textContent = e.text;
    item.dataset.text = e.text;
  }

  function describeDecision(e) {
    const what = { probe: 'Probing', deeper: 'Going deeper', challenge: 'Challenging', move_on: 'Moving on' }[e.action] || e.action;
    return `${what}${e.key_point ? ` on “${e.key_point}”` : ''}${e.reason ? ` — ${e.reason}` : ''}`;
  }

  function onFinished(msg) {
    state.running = false;
    window.viEditor.close();
    closeMic();
    stopClock();
    if (msg.error && !msg.session) { showView('setup'); showError(msg.error, msg.hint); return; }
    state.session = msg.session;
    if (msg.error) status(`${msg.error} ${msg.hint || ''}`);
    showDone(msg.session, msg.status);
  }

  function endLive(note) {
    state.running = false; state.listening = null;
    closeMic(); stopClock();
    status(note);
  }

  // --- captions ----------------------------------------------------------------------------------------
  function addCaption(who, text, tag, pending) {
    const li = document.createElement('li');
    li.className = who === 'int' ? 'int' : 'you';
    if (pending) li.classList.add('pending');
    li.dataset.text = text;
    const label = document.createElement('span');
    label.className = 'who-label';
    label.textContent = who === 'int' ? 'Interviewer' : 'You';
    li.append(label, document.createTextNode(text));
    appendCaption(li);
    return li;
  }

  function addDecision(text) {
    const li = document.createElement('li');
    li.className = 'decision';
    li.textContent = text;
    li.hidden = !$('show-decisions').checked;
    appendCaption(li);
  }
  // The captions follow the conversation (scrolling their own box, never the page) unless you
  // scrolled up to read something; they follow again once you are back at the end.
  let pinned = true, userAt = 0;
  const captionsBox = $('captions');
  ['wheel', 'touchmove', 'keydown', 'pointerdown'].forEach((k) => captionsBox.addEventListener(k, () => { userAt = performance.now(); }));
  captionsBox.addEventListener('scroll', () => { // only the reader's own scrolling unpins (ours, or a resize, never does)
    if (performance.now() - userAt > 1000) return;
    pinned = captionsBox.scrollHeight - captionsBox.scrollTop - captionsBox.clientHeight < 40;
  });
  const follow = () => { if (pinned) captionsBox.scrollTop = captionsBox.scrollHeight; };
  new ResizeObserver(follow).observe(captionsBox);
  function appendCaption(li) { captionsBox.append(li); follow(); }
  $('show-decisions').addEventListener('change', (e) => {
    document.querySelectorAll('#captions .decision').forEach((li) => { li.hidden = !e.target.checked; });
  });

  function status(text) { $('status-line').textContent = text || ''; }

  // --- the clock and the progress dots -----------------------------------------------------------------
  const ARC = 2 * Math.PI * 52;
  function startClock() {
    stopClock();
    document.querySelector('.clock').classList.remove('idle');
    tick();
    state.clockTimer = setInterval(tick, 250);
    $('clock-note').textContent = 'for this answer, thinking included';
  }
  function stopClock() {
    clearInterval(state.clockTimer); state.clockTimer = null;
    $('clock-note').textContent = 'starts when it is your turn';
    $('clock-text').textContent = '–:––';
    $('clock-arc').style.strokeDashoffset = '0'; // a whole grey ring while no answer is timed
    document.querySelector('.clock').classList.add('idle');
  }
  function tick() {
    const l = state.listening;
    if (!l || !l.total) return;
    const left = Math.max(0, l.total - (performance.now() - l.start) / 1000);
    const m = Math.floor(left / 60), s = Math.floor(left % 60);
    $('clock-text').textContent = `${m}:${String(s).padStart(2, '0')}`;
    $('clock-text').setAttribute('aria-label', `${m} minutes ${s} seconds left`);
    $('clock-arc').style.strokeDashoffset = String(ARC * (1 - left / l.total));
    document.querySelector('.clock').classList.toggle('low', left < 15);
  }
  function drawDots(current) {
    const ol = $('q-dots');
    ol.textContent = '';
    for (let i = 1; i <= state.plan; i++) {
      const li = document.createElement('li');
      if (i < current) li.className = 'done'; else if (i === current) li.className = 'now';
      ol.append(li);
    }
  }

  // --- views ---------------------------------------------------------------------------------------------
  const VIEWS = ['setup', 'live', 'done', 'sessions', 'progress'];
  function showView(name) {
    VIEWS.forEach((v) => { $(`view-${v}`).hidden = v !== name; });
    const tab = ['setup', 'live', 'done'].includes(name) ? 'interview' : name;
    document.querySelectorAll('.tab').forEach((b) => {
      if (b.dataset.view === tab) b.setAttribute('aria-current', 'page'); else b.removeAttribute('aria-current');
    });
  }
  document.querySelectorAll('.tab').forEach((b) => b.addEventListener('click', () => {
    const v = b.dataset.view;
    if (v === 'interview') showView(state.running ? 'live' : (state.session && !$('view-done').hidden ? 'done' : 'setup'));
    else if (v === 'sessions') { showView('sessions'); loadSessions(); }
    else { showView('progress'); $('progress').src = '/progress'; }
    $('main').focus({ preventScroll: true });
  }));

  function showDone(session, status_) {
    showView('done');
    $('done-note').textContent = `Session ${session} · ${status_}`;
    const url = `/report/${encodeURIComponent(session)}`;
    $('report').src = url;
    $('report-open').href = url;
    $('done-title').focus && $('again').focus();
  }
  $('again').addEventListener('click', () => { state.session = null; showView('setup'); $('start').focus(); });

  // --- setting up and starting ----------------------------------------------------------------------------
  async function loadConfig() {
    const res = await fetch('/api/config');
    if (!res.ok) { showError('The server refused this page.', 'open the full address printed by voice-interviewer serve'); return; }
    const c = await res.json();
    state.config = c;
    fill($('f-track'), c.tracks.map((t) => [t, label(t)]));
    fill($('f-profile'), c.profiles.map((p) => [p.id, p.title]));
    const f = $('setup'), d = c.defaults;
    f.track.value = d.track; f.profile.value = d.profile; f.count.value = d.count; f.minutes.value = d.minutes;
    if (d.seconds) f.seconds.value = d.seconds;
    f.llm.value = d.llm; f.patience.value = d.patience;
    if (!c.browser_ready) showError('This version cannot hold the interview in the browser yet.', 'use the terminal: voice-interviewer drill');
    modeChanged();
    markReady();
    maybeAutoStart();
  }
  function markReady() { // usable: the form is filled and the socket is open (tests and benchmarks wait for this)
    if (state.config && state.ws) document.body.dataset.ready = '1';
  }
  function label(id) { // "ml-system-design" -> "ML system design"
    const words = id.split('-').map((w) => (w === 'ml' ? 'ML' : w));
    return words.join(' ').replace(/^./, (c) => c.toUpperCase());
  }
  function fill(select, pairs) {
    select.textContent = '';
    pairs.forEach(([value, text]) => { const o = document.createElement('option'); o.value = value; o.textContent = text; select.append(o); });
  }
  function modeChanged() {
    const drill = $('setup').mode.value === 'drill';
    document.querySelectorAll('.for-drill').forEach((el) => { el.hidden = !drill; });
    document.querySelectorAll('.for-screen').forEach((el) => { el.hidden = drill; });
  }
  document.querySelectorAll('input[name="mode"]').forEach((r) => r.addEventListener('change', modeChanged));

  function formOptions() {
    const f = $('setup');
    const o = { mode: f.mode.value, llm: f.llm.value, patience: f.patience.value };
    if (o.mode === 'drill') Object.assign(o, { track: f.track.value, count: f.count.value, seconds: f.seconds.value || null });
    else Object.assign(o, { profile: f.profile.value, minutes: f.minutes.value });
    return o;
  }

  async function start(options) {
    hideError();
    try {
      if (!(await ensureContext())) await soundGate();
      if (state.micMode === 'session') await openMic();
    } catch (err) { micFailed(err); return; }
    if (!state.ws) { showError('Not connected to the server.', 'is `voice-interviewer serve` still running?'); return; }
    resetLive();
    showView('live');
    send({ type: 'start', options });
    mark('start');
    $('done').focus();
  }

  function micFailed(err) {
    showView('setup');
    showError(`The page could not use your microphone (${err && err.name ? err.name : err}).`,
      'allow the microphone for this page (the icon in the address bar), then start again');
  }

  function resetLive() {
    $('captions').textContent = ''; $('partial').textContent = ''; status('Loading the interviewer’s voice and ears…');
    setQuestion('Loading the interviewer’s voice and ears…', 'Getting ready'); setFollowUp(''); state.expect = null;
    $('q-number').textContent = 'Getting ready'; $('q-stage').textContent = ''; $('q-dots').textContent = '';
    $('clock-text').textContent = '–:––'; $('clock-arc').style.strokeDashoffset = '0';
    setWho('int', false, 'waiting'); setWho('you', false, 'waiting');
    window.viEditor.close();
  }

  function maybeAutoStart() { // ?start=drill&count=1&llm=none...: kiosks and tests start without a click
    const mode = params.get('start');
    if (!mode || state.autoStarted || !state.ws || !state.config) return;
    state.autoStarted = true;
    const o = { mode };
    ['track', 'count', 'seconds', 'profile', 'minutes', 'llm', 'patience', 'stt', 'random', 'questions'].forEach((k) => {
      if (params.has(k)) o[k] = params.get(k);
    });
    start(o);
  }

  $('setup').addEventListener('submit', (e) => { e.preventDefault(); start(formOptions()); });
  $('mic-test').addEventListener('click', async () => {
    try {
      await ensureContext();
      if (state.mic) { closeMic(); $('mic-test').textContent = 'Test microphone'; $('mic-note').textContent = ''; return; }
      await openMic();
      $('mic-test').textContent = 'Stop the test';
      $('mic-note').textContent = 'Say something: the bar should move.';
    } catch (err) { micFailed(err); }
  });

  function showError(message, hint) {
    const p = $('setup-error');
    p.textContent = hint ? `${message} → ${hint}` : message;
    p.hidden = false;
    if (state.running || !$('view-live').hidden) status(p.textContent);
  }
  function hideError() { $('setup-error').hidden = true; }

  // --- "I'm done", stop, keys -------------------------------------------------------------------------------
  $('done').addEventListener('click', () => { send({ type: 'done' }); mark('done'); status('Handing the turn back…'); });
  $('stop').addEventListener('click', () => {
    if (!state.running || confirm('End the session now? Everything said so far is kept.')) send({ type: 'stop' });
  });
  document.addEventListener('keydown', (e) => {
    if (e.code !== 'Space' || e.repeat || e.altKey || e.ctrlKey || e.metaKey) return;
    const t = e.target;
    if (t.closest && t.closest('input, select, textarea, button, a, summary, [contenteditable]')) return;
    if ($('view-live').hidden || $('done').disabled) return;
    e.preventDefault();
    $('done').click();
  });

  // --- past sessions and replay ------------------------------------------------------------------------------
  async function loadSessions() {
    const rows = $('session-rows');
    rows.textContent = '';
    const list = await (await fetch('/api/sessions')).json();
    $('no-sessions').hidden = list.length > 0;
    list.forEach((s) => {
      const tr = document.createElement('tr');
      const score = s.overall != null ? `${s.overall.toFixed(1)} / 5` : (s.covered_share != null ? `${Math.round(s.covered_share * 100)}% covered` : '–');
      [formatWhen(s.started_at), s.mode.replace(/-/g, ' '), String(s.questions), score, s.status].forEach((text, i) => {
        const td = document.createElement('td'); td.textContent = text; if (i === 3) td.className = 'score'; tr.append(td);
      });
      const td = document.createElement('td'); td.className = 'actions';
      const replay = document.createElement('button'); replay.type = 'button'; replay.className = 'ghost'; replay.textContent = 'Replay';
      replay.setAttribute('aria-label', `Replay the session of ${formatWhen(s.started_at)}`);
      replay.addEventListener('click', () => openReplay(s.name));
      const report = document.createElement('a'); report.className = 'button ghost'; report.textContent = 'Report';
      report.href = `/report/${encodeURIComponent(s.name)}`; report.target = '_blank'; report.rel = 'noopener';
      td.append(replay, report); tr.append(td); rows.append(tr);
    });
  }
  function formatWhen(iso) {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? (iso || '?') : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  }

  async function openReplay(name) {
    const data = await (await fetch(`/api/sessions/${encodeURIComponent(name)}`)).json();
    $('replay').hidden = false;
    $('replay-title').textContent = `Replay · ${formatWhen(data.started_at)} · ${data.mode.replace(/-/g, ' ')}`;
    $('replay-report').href = `/report/${encodeURIComponent(name)}`;
    const ol = $('replay-turns');
    ol.textContent = '';
    state.replay = data.turns.map((t) => {
      const li = document.createElement('li');
      li.className = t.speaker === 'interviewer' ? 'int' : 'you';
      const label = document.createElement('span'); label.className = 'who-label';
      label.textContent = `${t.speaker === 'interviewer' ? 'Interviewer' : 'You'} · ${clock(t.start)}`;
      li.append(label, document.createTextNode(t.text || '(nothing heard)'));
      if (t.withdrawn_s != null) strikeOut(li); // as the live page showed it: the next answer goes on with this one
      if (t.audio) {
        const b = document.createElement('button'); b.type = 'button'; b.className = 'ghost turn-play'; b.textContent = '▶ Play';
        b.setAttribute('aria-label', `Play this ${t.speaker === 'interviewer' ? 'line' : 'answer'}`);
        b.addEventListener('click', () => playTurns([{ t, li }]));
        li.append(document.createElement('br'), b);
      }
      ol.append(li);
      return { t, li };
    });
    $('play-all').focus();
  }
  $('play-all').addEventListener('click', () => playTurns((state.replay || []).filter((x) => x.t.audio)));

  function playTurns(queue) {
    const audio = $('replay-audio');
    document.querySelectorAll('.replay-turns li.playing').forEach((li) => li.classList.remove('playing'));
    const next = () => {
      document.querySelectorAll('.replay-turns li.playing').forEach((li) => li.classList.remove('playing'));
      const item = queue.shift();
      if (!item) return;
      item.li.classList.add('playing');
      item.li.scrollIntoView({ block: 'nearest' });
      audio.src = item.t.audio;
      audio.onended = next;
      audio.play().catch(next);
    };
    next();
  }
  const clock = (t) => `${Math.floor(t / 60)}:${String(Math.floor(t % 60)).padStart(2, '0')}`;

  window.viEditor.init(send);
  connect();
  loadConfig();
})();
