"""Audio at the edges: clips, files, live devices and the virtual device.

Everything inside the pipeline is 16 kHz mono int16, cut into 30 ms frames.
"""

from voice_interviewer.audio.clip import FRAME_BYTES, FRAME_MS, FRAME_SAMPLES, SAMPLE_RATE, AudioClip

__all__ = ["AudioClip", "SAMPLE_RATE", "FRAME_MS", "FRAME_SAMPLES", "FRAME_BYTES"]
