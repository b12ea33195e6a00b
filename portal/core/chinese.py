"""Chinese in either script: converting between Traditional (Hong Kong usage) and
Simplified with OpenCC, so a search typed in one script finds text stored in the other."""

import functools


@functools.cache
def _converter(config: str):
    # Building a converter loads its dictionaries; a converter holds no data of ours.
    import opencc

    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    return _converter("hk2s").convert(text)


def to_traditional(text: str) -> str:
    return _converter("s2hk").convert(text)


def script_variants(text: str) -> set[str]:
    """The text as typed plus its Simplified and Traditional forms (陳 finds 陈)."""
    return {text, to_simplified(text), to_traditional(text)}


def script_of(text: str) -> str:
    """"zh-hant" or "zh-hans" when the text is written in one Chinese script only
    (converting it to the other changes it), "" when it reads the same in both
    or has no Chinese."""
    if to_simplified(text) != text:
        return "zh-hant"
    if to_traditional(text) != text:
        return "zh-hans"
    return ""
