// The microphone, as the server wants it: 16 kHz mono int16, in 30 ms chunks.
// Runs on the audio thread. Resampling keeps its state from block to block (a resampler
// started afresh per block clicks at every edge): a 4th-order low-pass below 8 kHz first
// (two biquads), then linear interpolation at the fractional read position.
const OUT_RATE = 16000;
const CHUNK = 480; // 30 ms at 16 kHz

class Biquad {
  constructor(rate, cutoff) {
    const w = 2 * Math.PI * cutoff / rate, q = Math.SQRT1_2;
    const a = Math.sin(w) / (2 * q), c = Math.cos(w), a0 = 1 + a;
    this.b0 = (1 - c) / 2 / a0; this.b1 = (1 - c) / a0; this.b2 = this.b0;
    this.a1 = -2 * c / a0; this.a2 = (1 - a) / a0;
    this.x1 = this.x2 = this.y1 = this.y2 = 0;
  }
  step(x) {
    const y = this.b0 * x + this.b1 * this.x1 + this.b2 * this.x2 - this.a1 * this.y1 - this.a2 * this.y2;
    this.x2 = this.x1; this.x1 = x; this.y2 = this.y1; this.y1 = y;
    return y;
  }
}

class MicProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.step = sampleRate / OUT_RATE; // input samples per output sample
    const cutoff = Math.min(7200, sampleRate / 2 * 0.9);
    this.filters = this.step > 1 ? [new Biquad(sampleRate, cutoff), new Biquad(sampleRate, cutoff)] : [];
    this.pos = 0;        // where the next output sample falls, in input samples from `prev`
    this.prev = 0;       // the last filtered input sample of the previous block
    this.out = new Int16Array(CHUNK);
    this.n = 0;
    this.sumSquares = 0;
  }

  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (!channel) return true; // no input yet (the track is starting)
    const x = new Float32Array(channel.length + 1);
    x[0] = this.prev;
    for (let i = 0; i < channel.length; i++) {
      let v = channel[i];
      for (const f of this.filters) v = f.step(v);
      x[i + 1] = v;
    }
    // x[0] is the previous block's last sample, so positions in [0, length) interpolate across the edge.
    while (this.pos < channel.length) {
      const i = Math.floor(this.pos), frac = this.pos - i;
      const v = x[i] + (x[i + 1] - x[i]) * frac;
      const s = Math.max(-1, Math.min(1, v));
      this.out[this.n++] = s < 0 ? s * 32768 : s * 32767;
      this.sumSquares += s * s;
      if (this.n === CHUNK) this.flush();
      this.pos += this.step;
    }
    this.pos -= channel.length;
    this.prev = x[channel.length];
    return true;
  }

  flush() {
    const rms = Math.sqrt(this.sumSquares / CHUNK);
    const pcm = this.out.buffer.slice(0);
    this.port.postMessage({ pcm, rms }, [pcm]);
    this.n = 0;
    this.sumSquares = 0;
  }
}

registerProcessor('mic-16k', MicProcessor);
