package sentiment

// Feature keys mix a kind salt into the token hashes so that unigram,
// negated-unigram and bigram features live in one table without colliding.
const (
	saltUni    uint64 = 0x75 // 'u'
	saltNegUni uint64 = 0x6e // 'n'
	saltBi     uint64 = 0x62 // 'b'
)

func keyUni(h uint64) uint64     { return ngramHash(saltUni, h) }
func keyNegUni(h uint64) uint64  { return ngramHash(saltNegUni, h) }
func keyBi(h1, h2 uint64) uint64 { return ngramHash(ngramHash(saltBi, h1), h2) }

// emitter receives the features of one document. i and j are token indexes
// the feature is attributed to (j < 0 when there is one token, i < 0 when
// none); link asks for tokens i..j to be shown as one term.
type emitter interface {
	sparse(key uint64, kind byte, i, j int, v float64)
	dense(d int, v float64, i, j int)
	link(i, j int)
}

// doc is the scratch space for one Score call, reused through a pool.
type doc struct {
	title, summary string
	toks           []token
	nTitle         int
	mod            []float64 // per-token damping (question, hedge, contrast, summary)
	neg            []float64 // per-token negation factor, 0 when not negated
	negSrc         []int32   // the negator's first token, for terms
	dirUsed        []bool    // a direction word whose strength a percentage carries
	attr           []float64 // per-token attribution, for terms
	links          []bool    // token i is shown together with token i+1
	market         []bool    // token is part of market evidence a reader can be shown (see terms)
	question       bool
	framed         bool // see framing
	sentenceCase   bool // the title is written in sentence case, not Title Case
}

func (d *doc) reset(title, summary string) {
	d.title, d.summary = title, summary
	d.toks = d.toks[:0]
	var q bool
	d.toks, q = tokenize(d.toks, title, maxTitleTokens)
	d.nTitle = len(d.toks)
	d.toks, _ = tokenize(d.toks, summary, maxSumTokens)
	if d.nTitle < len(d.toks) {
		d.toks[d.nTitle].brk = true
	}
	n := len(d.toks)
	d.mod = resize(d.mod, n)
	d.neg = resize(d.neg, n)
	d.attr = resize(d.attr, n)
	d.negSrc = resizeInt(d.negSrc, n)
	d.dirUsed = resizeBool(d.dirUsed, n)
	d.links = resizeBool(d.links, n)
	d.market = resizeBool(d.market, n)
	for i := range n {
		d.mod[i] = 1
		if i >= d.nTitle {
			d.mod[i] = summaryWeight
		} else if q {
			d.mod[i] = questionDamp
		}
	}
	d.question = q
	d.sentenceCase = isSentenceCase(d.toks[:d.nTitle])
}

// isSentenceCase reports whether at least half of the longer words of a
// title after the first are written in lower case ("Exchange lists Sui
// token"), as opposed to Title Case ("Exchange Lists Sui Token"). Only in
// sentence case does a capital inside the title mark a name. Names count
// as capitalised words, hence "at least half".
func isSentenceCase(title []token) bool {
	lower, upper := 0, 0
	for _, t := range title[min(1, len(title)):] {
		if t.kind != kindWord || t.end-t.start < 4 {
			continue
		}
		if t.upper {
			upper++
		} else {
			lower++
		}
	}
	return lower > 0 && lower >= upper
}

// isName reports whether token i, a lexicon word that is also the name of
// a crypto project or firm (see nameWords), is written as a name: with a
// capital, not at the start of a clause, inside a sentence-case title or in
// the summary (prose, so always sentence case).
func (d *doc) isName(i int) bool {
	t := d.toks[i]
	return t.upper && !t.brk && (i >= d.nTitle || d.sentenceCase)
}

// text returns the input a token's span refers to.
func (d *doc) text(i int) string {
	if i < d.nTitle {
		return d.title
	}
	return d.summary
}

// extract runs the rules over a reset doc and emits its features.
func (d *doc) extract(rs *ruleSet, e emitter) {
	toks := d.toks
	n := len(toks)
	for i := range toks {
		if toks[i].kind == kindWord && rs.assets[toks[i].h] {
			toks[i].kind, toks[i].h = kindAsset, classHash(kindAsset)
		}
	}
	d.framed = false
	for i := 0; i < d.nTitle && !d.framed; i++ {
		d.framed = rs.frames(toks[:d.nTitle], i)
	}
	if d.framed && !d.question { // a question is damped already
		for i := range d.nTitle {
			d.mod[i] *= questionDamp
		}
	}
	// Pass 1: rules that change how later words count (negation, hedges,
	// contrast), and the lexicon hits.
	type hit struct {
		i, n int
		w    float64
		cat  lexCat
	}
	var hitsBuf [16]hit
	hits := hitsBuf[:0]
	hasHedge, hasNeg := -1, -1
	for i := 0; i < n; {
		longest, _ := rs.match(toks, i)
		if longest == nil || longest.name && longest.n == 1 && d.isName(i) {
			i++
			continue
		}
		end := i + int(longest.n) // exclusive
		if longest.hasLex && longest.lex != 0 {
			hits = append(hits, hit{i, int(longest.n), longest.lex, longest.cat})
		}
		if longest.neg != 0 {
			if i < d.nTitle && hasNeg < 0 {
				hasNeg = i
			}
			for k, seen := end, 0; k < n && !toks[k].brk && seen < negationScope; k++ {
				d.neg[k] = longest.neg
				d.negSrc[k] = int32(i)
				seen++
			}
		}
		if longest.hedge != 0 {
			if i < d.nTitle && hasHedge < 0 {
				hasHedge = i
			}
			for k := end; k < n && !toks[k].brk; k++ {
				d.mod[k] *= longest.hedge
			}
		}
		if longest.contrast != 0 {
			for k := end; k < n && !toks[k].brk; k++ {
				d.mod[k] *= longest.contrast
			}
		}
		i = end
	}
	// Pass 2: percentages with a direction.
	for k := range n {
		t := toks[k]
		if t.kind != kindPct {
			continue
		}
		dir, at := int(t.sign), -1
		for j := k - 1; dir == 0 && j >= 0 && j >= k-3 && !toks[j+1].brk; j-- {
			if _, u := rs.match(toks, j); u != nil && u.dir != 0 {
				dir, at = int(u.dir), j
			}
		}
		for j := k + 1; dir == 0 && j < n && j <= k+2 && !toks[j].brk; j++ {
			if _, u := rs.match(toks, j); u != nil && u.dir != 0 {
				dir, at = int(u.dir), j
			}
		}
		if dir == 0 {
			continue
		}
		// "cuts fees by 90%", "losses fall 20%": a cost going down is good news
		if at >= 0 && (at+1 < n && !toks[at+1].brk && isCost(rs, toks, at+1) || !toks[at].brk && isCost(rs, toks, at-1)) {
			dir = -dir
		}
		s := pctStrength(t.val) * d.mod[k]
		lo, hi := k, k
		d.market[k] = true
		if at >= 0 {
			d.dirUsed[at] = true
			d.market[at] = true
			lo, hi = min(at, k), max(at, k)
			e.link(lo, hi)
		}
		if dir > 0 {
			e.dense(dPctUp, s, lo, hi)
		} else {
			e.dense(dPctDown, s, lo, hi)
		}
	}
	// Pass 3: lexicon evidence after negation and damping. A direction word
	// whose percentage was counted above does not count twice. Besides the
	// sums, the strongest single hit each way is a feature of its own: one
	// "ban" should be able to outweigh the prior, whatever else is around.
	var maxPos, maxNeg float64
	maxPosAt, maxNegAt := [2]int{-1, -1}, [2]int{-1, -1}
	for _, h := range hits {
		if h.n == 1 && d.dirUsed[h.i] {
			continue
		}
		w := h.w * d.mod[h.i]
		lo, hi := h.i, h.i+h.n-1
		if f := d.neg[h.i]; f != 0 {
			w *= f
			lo = int(d.negSrc[h.i])
		}
		if lo != hi {
			e.link(lo, hi)
		}
		for k := h.i; k < h.i+h.n; k++ {
			d.market[k] = true
		}
		if w != 0 {
			if w > 0 {
				e.dense(dCat+2*int(h.cat), w, lo, hi)
			} else {
				e.dense(dCat+2*int(h.cat)+1, -w, lo, hi)
			}
		}
		if w > 0 {
			e.dense(dLexPos, w, lo, hi)
			if w > maxPos {
				maxPos, maxPosAt = w, [2]int{lo, hi}
			}
		} else if w < 0 {
			e.dense(dLexNeg, -w, lo, hi)
			if -w > maxNeg {
				maxNeg, maxNegAt = -w, [2]int{lo, hi}
			}
		}
	}
	if maxPos > 0 {
		e.dense(dMaxPos, maxPos, maxPosAt[0], maxPosAt[1])
	}
	if maxNeg > 0 {
		e.dense(dMaxNeg, maxNeg, maxNegAt[0], maxNegAt[1])
	}
	if d.question {
		e.dense(dQuestion, 1, -1, -1)
	}
	if hasHedge >= 0 {
		e.dense(dHedge, 1, hasHedge, -1)
	}
	if d.framed {
		e.dense(dFraming, 1, -1, -1)
	}
	if hasNeg >= 0 {
		e.dense(dNegation, 1, hasNeg, -1)
	}
	// Pass 4: sparse unigrams (negated inside a negation scope) and bigrams.
	for i := range n {
		t := toks[i]
		v := d.mod[i]
		if d.neg[i] != 0 {
			e.sparse(keyNegUni(t.h), 'n', i, -1, v)
		} else {
			e.sparse(keyUni(t.h), 'u', i, -1, v)
		}
		if i+1 < n && !toks[i+1].brk {
			e.sparse(keyBi(t.h, toks[i+1].h), 'b', i, i+1, min(v, d.mod[i+1]))
		}
	}
}

// isCost reports whether toks[i] exists and is one of costWords.
func isCost(rs *ruleSet, toks []token, i int) bool {
	if i < 0 || i >= len(toks) {
		return false
	}
	_, u := rs.match(toks, i)
	return u != nil && u.cost
}

func resize(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	s = s[:n]
	clear(s)
	return s
}

func resizeInt(s []int32, n int) []int32 {
	if cap(s) < n {
		return make([]int32, n)
	}
	s = s[:n]
	clear(s)
	return s
}

func resizeBool(s []bool, n int) []bool {
	if cap(s) < n {
		return make([]bool, n)
	}
	s = s[:n]
	clear(s)
	return s
}
