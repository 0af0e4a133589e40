"""Sentence embeddings with all-MiniLM-L6-v2 (int8 ONNX): no torch, about 10 ms a sentence.

onnxruntime and tokenizers already come with faster-whisper.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from voice_interviewer.models import store as model_store


class Embedder:
    def __init__(self, threads: int = 1):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        folder = model_store.resolve("minilm-int8", progress=False)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads  # leave the other core to Whisper and the LLM
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = ort.InferenceSession(str(folder / "model.onnx"), opts, providers=["CPUExecutionProvider"])
        self._tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tok.enable_truncation(max_length=256)
        self._tok.enable_padding()
        self._cache: dict[str, np.ndarray] = {}

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit-length vectors, one row per text; repeated texts come from a cache."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            enc = self._tok.encode_batch(missing)
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            out = self._session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
            pooled = (out * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1)
            pooled /= np.linalg.norm(pooled, axis=1, keepdims=True) + 1e-12
            self._cache.update(zip(missing, pooled.astype(np.float32)))
        return np.stack([self._cache[t] for t in texts]) if texts else np.zeros((0, 384), np.float32)


@lru_cache(maxsize=1)
def shared_embedder() -> Embedder:
    return Embedder()
