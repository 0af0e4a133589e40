"""Rewrite interview text so a TTS voice says it the way an interviewer would.

Piper (through espeak-ng) reads "L2" as "l two" at best and "A/B" as "a slash b";
these rules spell out the vocabulary of ML interviews before synthesis.
"""

from __future__ import annotations

import re

# Whole-token replacements, matched case-sensitively on word boundaries.
_TERMS = [
    (r"\bA/B\b", "A B"),
    (r"\bp-values?\b", lambda m: "p values" if m.group(0).endswith("s") else "p value"),
    (r"\bk-NN\b|\bkNN\b|\bKNN\b", "k nearest neighbours"),
    (r"\bk-means\b", "k means"),
    (r"\bXGBoost\b", "X G Boost"),
    (r"\bLightGBM\b", "Light G B M"),
    (r"\bROC[- ]AUC\b", "R O C A U C"),
    (r"\bPR[- ]AUC\b", "P R A U C"),
    (r"\bAUC\b", "A U C"),
    (r"\bROC\b", "R O C"),
    (r"\bNDCG\b", "N D C G"),
    (r"\bMAP@(\d+)\b", r"map at \1"),
    (r"\b(recall|precision)@(\d+)\b", r"\1 at \2"),
    (r"\bF1\b", "F one"),
    (r"\bL([12])\b", lambda m: "L " + ("one" if m.group(1) == "1" else "two")),
    (r"\bSGD\b", "S G D"),
    (r"\bMLE\b", "M L E"),
    (r"\bML\b", "M L"),
    (r"\bAI\b", "A I"),
    (r"\bLLMs?\b", lambda m: "L L M" + ("s" if m.group(0).endswith("s") else "")),
    (r"\bGPUs?\b", lambda m: "G P U" + ("s" if m.group(0).endswith("s") else "")),
    (r"\bCTR\b", "click-through rate"),
    (r"\bCUPED\b", "cuped"),
    (r"\bSTAR\b", "star"),
    (r"\bTF-IDF\b", "T F I D F"),
    (r"\bPCA\b", "P C A"),
    (r"\bRMSE\b", "R M S E"),
    (r"\bMSE\b", "M S E"),
    (r"\be\.g\.", "for example"),
    (r"\bi\.e\.", "that is"),
    (r"\bvs\.?\b", "versus"),
]

_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def number_words(n: int) -> str:
    if n < 0:
        return "minus " + number_words(-n)
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    for size, word in ((10**9, "billion"), (10**6, "million"), (1000, "thousand"), (100, "hundred")):
        if n >= size:
            rest = n % size
            head = number_words(n // size) + " " + word
            return head if rest == 0 else head + (" and " if rest < 100 else " ") + number_words(rest)
    return str(n)


def _money(m: re.Match) -> str:
    amount = m.group(1).replace(",", "")
    scale = {"k": " thousand", "K": " thousand", "M": " million", "B": " billion"}.get(m.group(2) or "", "")
    return _spoken_number(amount) + scale + " dollars"


def _spoken_number(text: str) -> str:
    text = text.replace(",", "")
    if "." in text:
        whole, frac = text.split(".", 1)
        return number_words(int(whole or 0)) + " point " + " ".join(_ONES[int(d)] for d in frac)
    return number_words(int(text))


def normalize_for_speech(text: str) -> str:
    for pattern, repl in _TERMS:
        text = re.sub(pattern, repl, text)
    text = re.sub(r"\$(\d[\d,]*(?:\.\d+)?)\s*([kKMB])?\b", _money, text)
    text = re.sub(r"(\d[\d,]*(?:\.\d+)?)\s*%", lambda m: _spoken_number(m.group(1)) + " percent", text)
    text = re.sub(r"\b(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\b", lambda m: _spoken_number(m.group(1)), text)
    text = text.replace("&", " and ").replace("/", " or ")
    return re.sub(r"\s+", " ", text).strip()


def split_sentences(text: str) -> list[str]:
    """Sentence-sized pieces so the first one can play while the rest are synthesised."""
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z0-9\"'])", text.strip())
    return [p for p in parts if p.strip()]
