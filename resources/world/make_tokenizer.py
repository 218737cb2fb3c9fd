#!/usr/bin/env python3
"""Builds resources/world/tokenizer.json: a byte-level BPE in Hugging Face format for the
countdown world, shaped like Llama 3's (Split with Llama 3's regex, then ByteLevel), so the
project's tokenizer code loads it with no special case.

Vocabulary: the 256 byte symbols (any text can be encoded), merges learned from generated puzzle
questions and solutions (never across or into digits), the ChatML specials <|endoftext|>,
<|im_start|>, <|im_end|>, and then one token for every number of up to three digits, as Llama 3's
vocabulary has: its pre-tokenizer splits digits into runs of at most three, so "144" is one token
and "1000" is "100" + "0". Number tokens made the from-scratch base policy's arithmetic and
copying learnable within its budget (held-out pass@1 0.051 -> 0.155 after the same 2,500 steps;
digit by digit it wrote "7 * 3 = 35" and copied numbers it was not given).

Usage (needs the Python `regex` module (Debian python3-regex) for \\p{L}):
  for k in 3 4 5; do astro world generate --seed $k --numbers $k --out /tmp/c$k --train 1000 --test 0; done
  python3 resources/world/make_tokenizer.py /tmp/c3/train.jsonl /tmp/c4/train.jsonl /tmp/c5/train.jsonl
  python3 resources/world/make_tokenizer.py --add-numbers   # number, chat-word and phrase-word
                                                            # tokens for the existing file
                                                            # (idempotent)
The committed file's 96 learned merges came from the questions' earlier long form (which spelt
the rules out); `--add-numbers` added the number tokens and the chat words to it without
relearning them, and later the phrase words (PHRASE_WORDS) the same way.
"""
import collections
import json
import pathlib
import sys

import regex

LLAMA3_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}|"
                  r" ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")
MERGES = 96          # enough for every word of the question and step templates
MIN_PAIR_COUNT = 20  # a pair rarer than this is not worth a token
SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
CHAT_WORDS = ["user", "assistant"]
# The words of the countdown domain's phrase set (countdown-compact-v1,
# core/domain/countdown_phrases.cpp), as the pre-tokenizer cuts them: a pretrained LLM's
# vocabulary has each as one token, and spelt in letters ("W", "a", "i", "t", ...: 36 tokens for
# "Wait, is this right? Yes, it is right.") a from-scratch policy garbled them (issue #21).
PHRASE_WORDS = ["Wait", " is", " this", " right", " Yes", " it", " No", " Back", " to", " Start",
                " over", " So", " the", " answer"]
HERE = pathlib.Path(__file__).resolve().parent


def bytes_to_unicode():
    """GPT-2's printable stand-ins for the 256 bytes."""
    printable = (list(range(ord("!"), ord("~") + 1)) + list(range(ord("\xa1"), ord("\xac") + 1)) +
                 list(range(ord("\xae"), ord("\xff") + 1)))
    chars = printable[:]
    extra = 0
    for byte in range(256):
        if byte not in printable:
            printable.append(byte)
            chars.append(256 + extra)
            extra += 1
    return {byte: chr(char) for byte, char in zip(printable, chars)}


def learn_merges(texts, byte_symbol):
    words = collections.Counter()
    for text in texts:
        for piece in regex.findall(LLAMA3_PATTERN, text):
            words[tuple(byte_symbol[b] for b in piece.encode("utf-8"))] += 1
    merges = []
    for _ in range(MERGES):
        pairs = collections.Counter()
        for word, count in words.items():
            for left, right in zip(word, word[1:]):
                if any(c.isdigit() for c in left + right):
                    continue
                pairs[(left, right)] += count
        if not pairs:
            break
        # Highest count first, ties by the pair itself so the result never depends on hashing.
        (left, right), count = min(pairs.items(), key=lambda item: (-item[1], item[0]))
        if count < MIN_PAIR_COUNT:
            break
        merges.append((left, right))
        merged = collections.Counter()
        for word, word_count in words.items():
            out = []
            i = 0
            while i < len(word):
                if i + 1 < len(word) and word[i] == left and word[i + 1] == right:
                    out.append(left + right)
                    i += 2
                else:
                    out.append(word[i])
                    i += 1
            merged[tuple(out)] += word_count
        words = merged
    return merges


def add_number_tokens(vocab, merges, first_id):
    """Every string of two digits and every number of three (100-999) as one token, ids from
    `first_id` on. A three-digit run merges whichever pair BPE picks first ("14"+"4" or "1"+"44"),
    so both merges lead to it."""
    next_id = first_id
    def add(token):
        nonlocal next_id
        if token not in vocab:
            vocab[token] = next_id
            next_id += 1
    for left in "0123456789":
        for right in "0123456789":
            merges.append((left, right))
            add(left + right)
    for number in range(100, 1000):
        text = str(number)
        merges.append((text[:2], text[2]))
        merges.append((text[0], text[1:]))
        add(text)


def bpe_symbols(word, merges):
    """`word`'s symbols after BPE with `merges` (lowest rank first, leftmost on ties)."""
    ranks = {pair: rank for rank, pair in enumerate(merges)}
    symbols = list(word)
    while True:
        candidates = [(ranks[pair], i) for i, pair in enumerate(zip(symbols, symbols[1:]))
                      if pair in ranks]
        if not candidates:
            return symbols
        _, i = min(candidates)
        symbols[i:i + 2] = [symbols[i] + symbols[i + 1]]


def add_words(vocab, merges, byte_symbol, words):
    """Each of `words` as one token: merges appended after every existing one, so they only join
    what the earlier merges left of these words and no other text encodes differently."""
    for word in words:
        symbols = bpe_symbols([byte_symbol[b] for b in word.encode("utf-8")], merges)
        while len(symbols) > 1:
            merges.append((symbols[0], symbols[1]))
            symbols[0:2] = [symbols[0] + symbols[1]]
            if symbols[0] not in vocab:
                vocab[symbols[0]] = max(vocab.values()) + 1


def add_chat_words(vocab, merges, byte_symbol):
    """The ChatML role words as one token each: every example's template costs 2 tokens fewer for
    "user" and 7 fewer for "assistant" (9 of a base example's ~89)."""
    add_words(vocab, merges, byte_symbol, CHAT_WORDS)


def add_numbers_to_committed_file():
    path = HERE / "tokenizer.json"
    tokenizer = json.loads(path.read_text(encoding="utf-8"))
    vocab = tokenizer["model"]["vocab"]
    merges = [tuple(pair) for pair in tokenizer["model"]["merges"]]
    if "144" not in vocab:
        first_id = max(max(vocab.values()), max(t["id"] for t in tokenizer["added_tokens"])) + 1
        add_number_tokens(vocab, merges, first_id)
    if "assistant" not in vocab:
        add_chat_words(vocab, merges, bytes_to_unicode())
    if "Wait" not in vocab:
        add_words(vocab, merges, bytes_to_unicode(), PHRASE_WORDS)
    tokenizer["model"]["merges"] = [[left, right] for left, right in merges]
    path.write_text(json.dumps(tokenizer, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{len(merges)} merges, vocab {len(vocab) + len(tokenizer['added_tokens'])} with specials")


def main(paths):
    texts = []
    for path in paths:
        for line in open(path, encoding="utf-8"):
            record = json.loads(line)
            texts += [record["problem"], record["solution"]]
    byte_symbol = bytes_to_unicode()
    vocab = {byte_symbol[b]: b for b in range(256)}
    merges = learn_merges(texts, byte_symbol)
    for left, right in merges:
        vocab[left + right] = len(vocab)
    added = [{"id": len(vocab) + i, "content": token, "single_word": False, "lstrip": False,
              "rstrip": False, "normalized": False, "special": True}
             for i, token in enumerate(SPECIALS)]
    add_number_tokens(vocab, merges, len(vocab) + len(SPECIALS))
    add_chat_words(vocab, merges, byte_symbol)
    add_words(vocab, merges, byte_symbol, PHRASE_WORDS)
    tokenizer = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added,
        "normalizer": None,
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": LLAMA3_PATTERN}, "behavior": "Isolated",
             "invert": False},
            {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True,
             "use_regex": False}]},
        "post_processor": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": False,
                           "use_regex": True},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True,
                    "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": None,
                  "continuing_subword_prefix": None, "end_of_word_suffix": None,
                  "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                  "vocab": vocab, "merges": [[left, right] for left, right in merges]},
    }
    (HERE / "tokenizer.json").write_text(json.dumps(tokenizer, ensure_ascii=False, indent=2) +
                                         "\n", encoding="utf-8")
    print(f"{len(merges)} merges, vocab {len(vocab) + len(SPECIALS)} with specials")


if __name__ == "__main__":
    if sys.argv[1:] == ["--add-numbers"]:
        add_numbers_to_committed_file()
    else:
        main(sys.argv[1:])
