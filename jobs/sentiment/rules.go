package sentiment

import (
	"math"
	"strings"
)

// Damping factors for the rules. They are a-priori choices (how much weaker
// a possibility, a question or a contrasted clause is than a plain
// statement), not fitted to any data.
const (
	questionDamp   = 0.6  // every title word of a question
	summaryWeight  = 0.5  // summary words count half as much as title words
	maxTitleTokens = 64   // enough for any real headline
	maxSumTokens   = 48   // the lead of the summary carries its sentiment
	pctFull        = 10.0 // a 10% move has strength 1
)

// Dense features, computed by the rules; their weights are trained with the
// sparse ones.
const (
	dLexPos   = iota // sum of positive lexicon evidence after the rules
	dLexNeg          // sum of negative lexicon evidence (as a positive number)
	dPctUp           // strength of percentages that point up
	dPctDown         // strength of percentages that point down
	dQuestion        // the title is a question
	dHedge           // the title has a hedge word
	dNegation        // the title has a negator
	dFraming         // the title discusses rather than reports (see framing)
	dMaxPos          // the strongest single piece of positive evidence
	dMaxNeg          // the strongest single piece of negative evidence
	// dCat is the first of 2·nCat features: the positive and the negative
	// lexicon evidence of each lexicon category (see lexCat).
	dCat
	nDense = dCat + 2*int(nCat)
)

func denseName(i int) string {
	if i >= dCat {
		c, neg := (i-dCat)/2, (i-dCat)%2 == 1
		name := [nCat]string{"reg", "incident", "market", "business", "mood"}[c]
		if neg {
			return name + "neg"
		}
		return name + "pos"
	}
	return [dCat]string{"lexpos", "lexneg", "pctup", "pctdown", "question", "hedge", "negation", "framing", "maxpos", "maxneg"}[i]
}

// rule is everything the rules know about one n-gram of stems.
type rule struct {
	n        int8
	dir      int8 // +1 up / −1 down direction word (unigrams only)
	hasLex   bool
	lex      float64
	cat      lexCat
	name     bool    // also the name of a project or firm (see nameWords)
	frame    int8    // 1: frames a title when it starts it, 2: wherever it is (see framing)
	cost     bool    // a cost, whose fall is good news (see costWords)
	neg      float64 // negation factor, 0 when not a negator
	hedge    float64 // damping factor, 0 when not a hedge
	contrast float64 // discount factor, 0 when not a contrast word
}

// ruleSet is the lexicon and the rule word lists compiled into one hash
// table keyed by n-gram hash, so each position costs at most three lookups.
type ruleSet struct {
	byHash map[uint64]*rule
	maxN   int
	assets map[uint64]bool // stems of assetNames
}

func ngramHash(h uint64, next uint64) uint64 {
	h ^= next + 0x9e3779b97f4a7c15 + (h << 6) + (h >> 2)
	return h * fnvPrime
}

func newRuleSet() *ruleSet {
	rs := &ruleSet{byHash: make(map[uint64]*rule), maxN: 1, assets: make(map[uint64]bool)}
	for _, w := range strings.Split(assetNames(), "|") {
		toks, _ := tokenize(nil, w, 1)
		rs.assets[toks[0].h] = true
	}
	get := func(phrase string) *rule {
		toks, _ := tokenize(nil, phrase, 8)
		if len(toks) == 0 {
			return nil
		}
		h := toks[0].h
		for _, t := range toks[1:] {
			h = ngramHash(h, t.h)
		}
		r := rs.byHash[h]
		if r == nil {
			r = &rule{n: int8(len(toks))}
			rs.byHash[h] = r
		}
		if len(toks) > rs.maxN {
			rs.maxN = len(toks)
		}
		return r
	}
	for _, sec := range lexicon() {
		for _, e := range sec.entries {
			for _, p := range strings.Split(e.phrases, "|") {
				if r := get(p); r != nil && !r.hasLex {
					r.hasLex, r.lex, r.cat = true, e.weight, sec.cat
				}
			}
		}
	}
	for _, e := range negators() {
		for _, p := range strings.Split(e.phrases, "|") {
			if r := get(p); r != nil {
				r.neg = e.factor
			}
		}
	}
	for _, e := range hedges() {
		for _, p := range strings.Split(e.phrases, "|") {
			if r := get(p); r != nil {
				r.hedge = e.weight
			}
		}
	}
	for _, e := range contrasts() {
		for _, p := range strings.Split(e.phrases, "|") {
			if r := get(p); r != nil {
				r.contrast = e.weight
			}
		}
	}
	start, anywhere := framing()
	for _, p := range strings.Split(start, "|") {
		if r := get(p); r != nil {
			r.frame = 1
		}
	}
	for _, p := range strings.Split(anywhere, "|") {
		if r := get(p); r != nil {
			r.frame = 2
		}
	}
	for _, p := range strings.Split(nameWords(), "|") {
		if r := get(p); r != nil {
			r.name = true
		}
	}
	for _, p := range strings.Split(costWords(), "|") {
		if r := get(p); r != nil && r.n == 1 {
			r.cost = true
		}
	}
	up, down := directionWords()
	for _, p := range strings.Split(up, "|") {
		if r := get(p); r != nil && r.n == 1 {
			r.dir = 1
		}
	}
	for _, p := range strings.Split(down, "|") {
		if r := get(p); r != nil && r.n == 1 {
			r.dir = -1
		}
	}
	return rs
}

// match returns the longest rule starting at toks[i] that does not cross a
// clause boundary, and the unigram rule at i (for the direction of numbers).
func (rs *ruleSet) match(toks []token, i int) (longest, uni *rule) {
	h := toks[i].h
	uni = rs.byHash[h]
	longest = uni
	for n := 2; n <= rs.maxN && i+n <= len(toks); n++ {
		if toks[i+n-1].brk {
			break
		}
		h = ngramHash(h, toks[i+n-1].h)
		if r := rs.byHash[h]; r != nil && int(r.n) == n {
			longest = r
		}
	}
	return longest, uni
}

// frames reports whether a framing phrase (see framing) starts at title
// token i and frames the title from there: "anywhere" phrases at any i,
// "start" phrases only at 0.
func (rs *ruleSet) frames(title []token, i int) bool {
	h := title[i].h
	for n := 1; n <= rs.maxN && i+n <= len(title); n++ {
		if n > 1 {
			if title[i+n-1].brk {
				break
			}
			h = ngramHash(h, title[i+n-1].h)
		}
		if r := rs.byHash[h]; r != nil && int(r.n) == n && (r.frame == 2 || r.frame == 1 && i == 0) {
			return true
		}
	}
	return false
}

// pctStrength maps a percentage to a strength: 1% ≈ 0.29, 10% = 1,
// capped at 1.5 so "+2,633%" does not drown everything else.
func pctStrength(v float64) float64 {
	s := math.Log1p(math.Abs(v)) / math.Log1p(pctFull)
	return math.Max(0.2, math.Min(1.5, s))
}
