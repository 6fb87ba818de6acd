package tag

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// coinEntry is a compiled coin form.
type coinEntry struct {
	words []string
	cs    caseRule
	gate  gate
	coin  int // index into tables.coins; -1 for a stop phrase
}

// kwEntry is a compiled keyword: its words, when it may match, and what it
// adds when it does.
type kwEntry struct {
	words     []string
	exact     string // the spelling for caseExact
	cs        caseRule
	needCtx   bool
	catOnly   bool
	prevCoin  bool
	nextMoney bool
	w         [nWeights]int8
	veto      uint64 // coins whose context-gated forms this word vetoes
}

// tables is everything Tag and the coin lookups read. It is built once, on
// first use, and never changed afterwards, so concurrent callers share it.
type tables struct {
	coins   []coinSpec
	lookup  map[string]int // ticker, name or alias (lower case) -> coin
	tickers map[string]int // lower-case ticker -> coin
	// words maps a first word to the coin forms and keywords starting
	// with it, longest first, so each token costs one map lookup.
	words   map[string]int32 // index+1 into entries
	entries []wordEntries
	// maybe is a bitset over wordHash of the keys of words: most tokens
	// ("the", "of", "2026") miss it and skip the map lookup.
	maybe     [1 << (wordHashBits - 6)]uint64
	coinWords map[string]bool
	quotes    map[string]bool
	topicIDs  [nTopics]string
}

// lex returns the compiled tables. sync.OnceValue rather than init(): no
// work at import time, and the result is immutable once built.
var lex = sync.OnceValue(compile)

func compile() *tables {
	t := &tables{
		coins:     coinSpecs(),
		lookup:    map[string]int{},
		tickers:   map[string]int{},
		words:     map[string]int32{},
		coinWords: setOf(coinWords()),
		quotes:    setOf(quoteCurrencies()),
		topicIDs:  topicIDs(),
	}
	if len(t.coins) > 64 {
		panic(fmt.Sprintf("tag: %d coins do not fit the 64-bit coin masks", len(t.coins)))
	}
	for i, c := range t.coins {
		for _, k := range append([]string{c.Ticker, c.Name}, c.Aliases...) {
			k = strings.ToLower(k)
			if _, dup := t.lookup[k]; !dup {
				t.lookup[k] = i
			}
		}
		t.tickers[strings.ToLower(c.Ticker)] = i
		for _, f := range c.forms {
			words := strings.Fields(f.words)
			e := coinEntry{words: words, cs: f.cs, gate: f.gate, coin: i}
			if f.stop {
				e.coin = -1
			}
			we := t.entry(words[0])
			we.coin = append(we.coin, e)
		}
	}

	byKey := map[string]*kwEntry{}
	var order []string
	get := func(raw string) *kwEntry {
		e := parseKeyword(raw)
		key := fmt.Sprintf("%v|%s|%d|%t%t%t%t", e.words, e.exact, e.cs, e.needCtx, e.catOnly, e.prevCoin, e.nextMoney)
		if have, ok := byKey[key]; ok {
			return have
		}
		byKey[key] = &e
		order = append(order, key)
		return &e
	}
	for _, g := range keywordGroups() {
		for _, raw := range g.words {
			e := get(raw)
			if e.w[g.idx] < g.w {
				e.w[g.idx] = g.w
			}
		}
	}
	for i, c := range t.coins {
		for _, v := range c.veto {
			get(v).veto |= 1 << i
		}
	}
	// A phrase is at least as much about crypto as its words: "crypto
	// market" (a markets phrase) still counts as crypto. Stop phrases stay
	// empty ("ripple effect").
	single := map[string]int8{}
	for _, key := range order {
		if e := byKey[key]; len(e.words) == 1 && !e.needCtx && !e.catOnly && e.cs == caseFold {
			single[e.words[0]] = max(single[e.words[0]], e.w[relCrypto])
		}
	}
	for _, key := range order {
		e := byKey[key]
		if len(e.words) > 1 && e.w != ([nWeights]int8{}) {
			for _, w := range e.words {
				e.w[relCrypto] = max(e.w[relCrypto], single[w])
			}
		}
	}
	for _, key := range order {
		e := byKey[key]
		we := t.entry(e.words[0])
		we.kw = append(we.kw, *e)
	}
	for w := range t.words {
		h := wordHash([]byte(w))
		t.maybe[h>>6] |= 1 << (h & 63)
	}
	for i := range t.entries {
		we := &t.entries[i]
		sort.SliceStable(we.coin, func(a, b int) bool { return len(we.coin[a].words) > len(we.coin[b].words) })
		sort.SliceStable(we.kw, func(a, b int) bool { return len(we.kw[a].words) > len(we.kw[b].words) })
	}
	return t
}

const wordHashBits = 14

// wordHash mixes a word's length and its first, second and last bytes into
// wordHashBits bits.
func wordHash(w []byte) uint32 {
	n := len(w)
	if n == 0 {
		return 0
	}
	h := uint32(n)*0x9e3779b1 ^ uint32(w[0])*0x85ebca77 ^ uint32(w[n-1])*0xc2b2ae3d
	if n > 1 {
		h ^= uint32(w[1]) * 0x27d4eb2f
	}
	h ^= h >> 15
	h *= 0x2c1b3c6d
	return h >> (32 - wordHashBits)
}

// wordEntries is what may start at one word.
type wordEntries struct {
	coin []coinEntry
	kw   []kwEntry
}

func (t *tables) entry(w string) *wordEntries {
	k := t.words[w]
	if k == 0 {
		t.entries = append(t.entries, wordEntries{})
		k = int32(len(t.entries))
		t.words[w] = k
	}
	return &t.entries[k-1]
}

// parseKeyword reads the markers documented on kwGroup.
func parseKeyword(raw string) kwEntry {
	var e kwEntry
	for len(raw) > 0 {
		switch raw[0] {
		case '?':
			e.needCtx = true
		case '@':
			e.catOnly = true
		case '<':
			e.prevCoin = true
		case '>':
			e.nextMoney = true
		case '^':
			e.cs = caseUpper
		case '~':
			e.cs = caseTitle
		case '=':
			e.cs = caseExact
		default:
			goto words
		}
		raw = raw[1:]
	}
words:
	if e.cs == caseExact {
		e.exact = strings.Fields(raw)[0]
	}
	e.words = strings.Fields(strings.ToLower(raw))
	return e
}

func setOf(words []string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}
