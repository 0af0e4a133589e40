// Where the interviewer's voice is played, so that the browser's echo canceller can remove it.
// Chromium's canceller takes as its reference only audio that comes out of a peer connection
// (crbug 687574; on Linux there is no "chrome-wide" canceller): a line played straight from
// WebAudio reaches the microphone uncancelled. So in Chromium the voice goes through a loopback
// pair of RTCPeerConnections inside this page into an <audio> element, as video-call apps do.
// Firefox and Safari cancel whatever they play: there, and with ?playback=direct, WebAudio plays it.
// If the loopback does not connect within CONNECT_MS the page plays directly and says so.
'use strict';
window.viPlayback = (() => {
  const CONNECT_MS = 8000;
  let out = null, route = 'direct', loop = null, probe = null;

  const chromium = () => !!(navigator.userAgentData && navigator.userAgentData.brands.some((b) => /Chrom/.test(b.brand)))
    || /Chrome\//.test(navigator.userAgent);

  async function connectLoopback(ctx) {
    const dest = ctx.createMediaStreamDestination();
    const a = new RTCPeerConnection(), b = new RTCPeerConnection();
    a.onicecandidate = (e) => e.candidate && b.addIceCandidate(e.candidate).catch(() => {});
    b.onicecandidate = (e) => e.candidate && a.addIceCandidate(e.candidate).catch(() => {});
    const element = new Audio();
    element.autoplay = true;
    const received = new Promise((resolve) => { b.ontrack = (e) => resolve(e.track); });
    dest.stream.getAudioTracks().forEach((t) => a.addTrack(t, dest.stream));
    await a.setLocalDescription(await a.createOffer());
    await b.setRemoteDescription(a.localDescription);
    await b.setLocalDescription(await b.createAnswer());
    await a.setRemoteDescription(b.localDescription);
    const track = await received;
    element.srcObject = new MediaStream([track]);
    const t0 = performance.now();
    while (a.connectionState !== 'connected') {
      if (a.connectionState === 'failed' || performance.now() - t0 > CONNECT_MS) { a.close(); b.close(); return null; }
      await new Promise((r) => setTimeout(r, 50));
    }
    element.play().catch(() => {}); // autoplay is allowed: the page already has a running AudioContext
    return { dest, a, b, element, track };
  }

  // Called once the AudioContext runs; lines played before it resolves go out directly.
  async function setup(ctx, { direct = false, mark = () => {} } = {}) {
    out = ctx.destination;
    if (direct || !chromium() || !window.RTCPeerConnection) { mark('playback', { route }); return route; }
    const t0 = performance.now();
    try { loop = await connectLoopback(ctx); } catch (err) { loop = null; }
    if (loop) { out = loop.dest; route = 'loopback'; }
    mark('playback', { route, connect_ms: Math.round(performance.now() - t0) });
    return route;
  }

  // Measurements only (?timeline=1): when a line's first sound reaches the output, per route.
  function watch(ctx, node, onAudible) {
    if (!probe) {
      const source = loop ? ctx.createMediaStreamSource(new MediaStream([loop.track])) : null;
      probe = ctx.createAnalyser();
      probe.fftSize = 256;
      if (source) source.connect(probe);
    }
    if (!loop) node.connect(probe);
    const data = new Float32Array(probe.fftSize), t0 = performance.now();
    const poll = () => {
      probe.getFloatTimeDomainData(data);
      if (data.some((x) => Math.abs(x) > 0.01)) onAudible(performance.now() - t0);
      else if (performance.now() - t0 < 3000) setTimeout(poll, 2);
    };
    poll();
  }

  return {
    setup, watch,
    output: (ctx) => out || ctx.destination,
    get route() { return route; },
  };
})();
