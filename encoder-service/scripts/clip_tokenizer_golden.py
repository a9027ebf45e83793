#!/usr/bin/python3
"""Writes the CLIP tokenizer golden file used by ClipTokenizerGoldenTest.

A build-time tool only (nothing Python runs in the service). It re-implements OpenAI's
clip/simple_tokenizer.py and clip.tokenize(truncate=True) from the original BPE file
(bpe_simple_vocab_16e6.txt.gz), so the expected ids do NOT come from the Hugging Face
tokenizers library that the service uses.

Cleaning: OpenAI runs ftfy.fix_text (NFC + mojibake/quote/width/ligature fixes, and one more
HTML unescape when the text has no '<') and then html.unescape twice. ftfy is not packaged here,
so this script does NFC + html.unescape twice (Python's own html module, the HTML5 entity table);
the strings below avoid mojibake, curly-quote, full-width and ligature fixes and texts that ftfy
would unescape a third time. The service cleans the same way (ClipTextCleaner) before the
tokenizer.json BPE; the HTML entity cases check that step against Python's html.unescape.

Needs Debian's python3 and python3-regex (apt-get install python3-regex):
  /usr/bin/python3 encoder-service/scripts/clip_tokenizer_golden.py \\
      testdata/clip/bpe_simple_vocab_16e6.txt.gz \\
      encoder-service/src/test/resources/tokenizer/clip-golden.json
"""
import gzip
import html
import json
import sys
import unicodedata
from functools import lru_cache

import regex as re

CONTEXT_LENGTH = 77


@lru_cache()
def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(2 ** 8):
        if b not in bs:
            bs.append(b)
            cs.append(2 ** 8 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


def get_pairs(word):
    pairs = set()
    prev = word[0]
    for char in word[1:]:
        pairs.add((prev, char))
        prev = char
    return pairs


def basic_clean(text):
    # ftfy.fix_text would go here (see the module docstring); its NFC step is kept.
    text = unicodedata.normalize("NFC", text)
    text = html.unescape(html.unescape(text))
    return text.strip()


def whitespace_clean(text):
    text = re.sub(r"\s+", " ", text)
    return text.strip()


class SimpleTokenizer:
    def __init__(self, bpe_path):
        self.byte_encoder = bytes_to_unicode()
        merges = gzip.open(bpe_path).read().decode("utf-8").split("\n")
        merges = merges[1 : 49152 - 256 - 2 + 1]
        merges = [tuple(merge.split()) for merge in merges]
        vocab = list(bytes_to_unicode().values())
        vocab = vocab + [v + "</w>" for v in vocab]
        for merge in merges:
            vocab.append("".join(merge))
        vocab.extend(["<|startoftext|>", "<|endoftext|>"])
        self.encoder = dict(zip(vocab, range(len(vocab))))
        self.bpe_ranks = dict(zip(merges, range(len(merges))))
        self.cache = {"<|startoftext|>": "<|startoftext|>", "<|endoftext|>": "<|endoftext|>"}
        self.pat = re.compile(
            r"""<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+""",
            re.IGNORECASE,
        )

    def bpe(self, token):
        if token in self.cache:
            return self.cache[token]
        word = tuple(token[:-1]) + (token[-1] + "</w>",)
        pairs = get_pairs(word)
        if not pairs:
            return token + "</w>"
        while True:
            bigram = min(pairs, key=lambda pair: self.bpe_ranks.get(pair, float("inf")))
            if bigram not in self.bpe_ranks:
                break
            first, second = bigram
            new_word = []
            i = 0
            while i < len(word):
                try:
                    j = word.index(first, i)
                    new_word.extend(word[i:j])
                    i = j
                except ValueError:
                    new_word.extend(word[i:])
                    break
                if word[i] == first and i < len(word) - 1 and word[i + 1] == second:
                    new_word.append(first + second)
                    i += 2
                else:
                    new_word.append(word[i])
                    i += 1
            word = tuple(new_word)
            if len(word) == 1:
                break
            pairs = get_pairs(word)
        word = " ".join(word)
        self.cache[token] = word
        return word

    def encode(self, text):
        bpe_tokens = []
        text = whitespace_clean(basic_clean(text)).lower()
        for token in re.findall(self.pat, text):
            token = "".join(self.byte_encoder[b] for b in token.encode("utf-8"))
            bpe_tokens.extend(self.encoder[bpe_token] for bpe_token in self.bpe(token).split(" "))
        return bpe_tokens


def tokenize(tokenizer, text):
    """clip.tokenize(text, truncate=True) without the zero padding."""
    sot = tokenizer.encoder["<|startoftext|>"]
    eot = tokenizer.encoder["<|endoftext|>"]
    tokens = [sot] + tokenizer.encode(text) + [eot]
    truncated = len(tokens) > CONTEXT_LENGTH
    if truncated:
        tokens = tokens[:CONTEXT_LENGTH]
        tokens[-1] = eot
    return tokens, truncated


TEXTS = [
    # docs/models.md section 2.3 (the first five are transformers.js' own vectors)
    "How are you doing?",
    "You should've done this",
    "The company was founded in 2016.",
    "UNwantéd,running",
    "Hello World",
    "a photo of a cat.",
    "a photo of a cup of coffee.",
    "",
    "   ",
    "a",
    "A",
    # punctuation
    "Hello, world! How's it going?!?",
    "wait... what?!",
    "(parentheses) [brackets] {braces} <angles>",
    "semi;colon:colon -- dash_underscore",
    "e-mail: someone@example.com, url: https://example.org/path?q=1&x=2#frag",
    "\"quoted\" and 'single quoted'",
    "#hashtag @mention $100 50% ^caret ~tilde `backtick` |pipe| \\backslash/",
    "!!!???...,,,;;;",
    # contractions and case
    "I'm sure they'll say we'd've IT'S DONE",
    "SHOUTING IN CAPITALS",
    "camelCaseWordsAndPascalCase",
    # digits
    "3.14159 is pi",
    "Call 555-0199 before 23:59 on 2024-02-29",
    "1234567890",
    "version v1.2.3-rc4 build #42",
    "x^2 + y^2 = z^2",
    # whitespace
    "tabs\tand\nnew\r\nlines   and    spaces",
    "  leading and trailing  ",
    # accents and Latin extensions
    "café crème brûlée",
    "naïve résumé façade",
    "Ångström Øresund Ærø",
    "Straße und Fußgänger",
    "Łódź, Kraków, Gdańsk",
    "São Paulo, Conceição",
    "İstanbul ve Iğdır",
    "Cafe\u0301 with a combining accent",
    # non-Latin scripts
    "Привет, как дела?",
    "Γειά σου Κόσμε",
    "ΟΔΟΣ",
    "你好，世界",
    "東京タワーの写真",
    "こんにちは",
    "안녕하세요 세계",
    "مرحبا بالعالم",
    "שלום עולם",
    "नमस्ते दुनिया",
    "สวัสดีชาวโลก",
    "Ελληνικά και English mixed 中文",
    # emoji and symbols
    "I love pizza 🍕🍕",
    "😀😃😄😁",
    "family: 👨‍👩‍👧‍👦",
    "thumbs up 👍🏽",
    "flags 🇫🇷🇯🇵",
    "snowman ☃ and heart ❤️",
    "math ∑∫√∞ ≤ ≥ ≠",
    "arrows → ← ↑ ↓",
    "currency € £ ¥ ₹",
    "©2024 ™ ®",
    # HTML entities (html.unescape twice) and whitespace collapsing, as OpenAI cleans
    "&amp; &lt;html&gt; entities",
    "&amp;amp;",
    "&amp;lt;b&amp;gt;bold&amp;lt;/b&amp;gt;",
    "  many   spaces\t\n",
    "fish &amp chips &ampersand",
    "caf&eacute; cr&egrave;me &copy 2024 &REG;",
    "it&apos;s &quot;fine&quot; &#39;ok&#39;",
    "&#8220;quoted&#8221; &#x2014; &#X2013 dash",
    "&#150; &#128; windows-1252 range",
    "AT&T &notanentity; &#xZZ; &#; & alone",
    "pizza &#x1F355; &#127829;",
    "nul &#0; bad &#x110000; surrogate &#xD800; dropped&#1;&#x7f;&#xFFFE;",
    "line1\r\nline2\u00a0nbsp\u2003em\u3000ideographic",
    # typical queries
    "a red circle",
    "a blue square",
    "a dog running in the park",
    "a photo of the Eiffel Tower at night",
    # long texts (truncated to 77 keeping the end token)
    "cat " * 200,
    "The quick brown fox jumps over the lazy dog. " * 12,
    "antidisestablishmentarianism " * 30,
    "1 2 3 4 5 6 7 8 9 0 " * 10,
    "数" * 100,
    "🍕" * 40,
    # exactly at the boundary: 75 words + 2 specials = 77, and one more
    " ".join(["dog"] * 75),
    " ".join(["dog"] * 76),
]


def main():
    bpe_path, out_path = sys.argv[1], sys.argv[2]
    tokenizer = SimpleTokenizer(bpe_path)
    cases = []
    for text in TEXTS:
        ids, truncated = tokenize(tokenizer, text)
        cases.append({"text": text, "ids": ids, "truncated": truncated})
    with open(out_path, "w", encoding="utf-8") as out:
        json.dump(
            {
                "generator": "encoder-service/scripts/clip_tokenizer_golden.py",
                "reference": "OpenAI clip/simple_tokenizer.py + clip.tokenize(truncate=True), unpadded",
                "cases": cases,
            },
            out,
            ensure_ascii=False,
            indent=1,
        )
        out.write("\n")
    print(f"wrote {len(cases)} cases to {out_path}")


if __name__ == "__main__":
    main()
