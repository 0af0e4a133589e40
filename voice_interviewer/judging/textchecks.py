"""Cheap checks on an answer's text that need no model: language, keyword lists, repetition, clauses.

Language is told by stopword shares: spoken English is about 40% function words; a Spanish,
French, German, Italian or Portuguese answer has few English ones and many of its own.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-zà-öø-ÿ']+")
STOPWORDS = {
    "English": set("""the a an of to and or in on for with is are was were be it its that this as at from by
        but so if then than you your we our i me my they them their he she his her not no do does did have has had
        what which who when where how why would could should will can just like um uh about there here these those
        because really very also into more one all some any get got going know think yeah okay""".split()),
    "Spanish": set("""el la los las un una unos unas de del y o en con por para es son está están que se lo le
        les su sus pero si no más muy como cuando porque también entonces bueno yo hay ser fue""".split()),
    "French": set("""le la les un une des de du et ou en dans avec pour par est sont que qui ce cette ces se
        il elle on nous vous ils pas plus très comme quand parce aussi alors donc mais si ne au aux c'est""".split()),
    "German": set("""der die das den dem des ein eine einen einem und oder in im mit für von zu ist sind war
        nicht auch wenn weil aber also ich wir sie es er dass auf bei nach wie sehr haben hat""".split()),
    "Italian": set("""il lo la gli le un una di del della e o in con per che non è sono come quando perché
        anche ma se più molto questo quello""".split()),
    "Portuguese": set("""o a os as um uma de do da dos das e ou em no na com por para que não é são como quando
        porque também mas se mais muito isso este""".split()),
}
FUNCTION = STOPWORDS["English"] | set("""each other only same over under then while whereas after before both
    either every until up down out off again once i'd you'd it's that's don't doesn't isn't""".split())


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def language(text: str) -> tuple[str, str]:
    """(language, why): 'English' unless another language's stopwords clearly outnumber English ones."""
    ws = words(text)
    if len(ws) < 8:
        return "English", "too short to tell"
    share = {lang: sum(w in sw for w in ws) / len(ws) for lang, sw in STOPWORDS.items()}
    other = max((l for l in share if l != "English"), key=share.get)
    if share[other] >= 0.18 and share[other] > 1.5 * share["English"]:
        return other, (f"{share[other]:.0%} of its words are common {other} words and only "
                       f"{share['English']:.0%} common English ones")
    return "English", f"{share['English']:.0%} common English words"


def function_share(text: str) -> float:
    ws = words(text)
    return sum(w in FUNCTION for w in ws) / len(ws) if ws else 0.0


def is_keyword_list(text: str) -> bool:
    """A list of terms with almost no words joining them: it names ideas without stating any."""
    ws = words(text)
    return len(ws) >= 6 and function_share(text) < 0.15


def is_term_list(text: str) -> bool:
    """Stricter than is_keyword_list, for one clause: a short plain statement such as "k means always
    finds the global optimum" has few function words too, yet it says something."""
    ws = words(text)
    return len(ws) >= 10 and function_share(text) < 0.1


def repetition(text: str) -> float:
    """Share of the answer's word 4-grams that repeat an earlier one (0 = none, near 1 = loops)."""
    ws = words(text)
    grams = [tuple(ws[i:i + 4]) for i in range(len(ws) - 3)]
    return 1.0 - len(set(grams)) / len(grams) if grams else 0.0


_CLAUSE = re.compile(r"(?<=[.?!;])\s+|,\s*(?=(?:and|but|whereas|while|whilst)\b)|\s+(?=(?:whereas|while)\b)", re.I)


def clauses(text: str) -> list[str]:
    """Sentences cut further at 'and/but/whereas/while' after a comma; repeats dropped, order kept."""
    out = []
    for c in _CLAUSE.split(text):
        c = c.strip(" ,")
        if len(c.split()) >= 3 and c.lower() not in (o.lower() for o in out):
            out.append(c)
    return out


def norm(text: str) -> str:
    """Lowercase, hyphens and slashes as spaces, other punctuation dropped: what a cue is matched on."""
    text = text.lower().replace("-", " ").replace("/", " ").replace("%", " percent")
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9' ]+", " ", text)).strip()
