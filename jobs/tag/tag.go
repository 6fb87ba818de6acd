package tag

import "sort"

// Tags is what Tag found in one item.
type Tags struct {
	Coins    []string // tickers, sorted, unique; nil when none
	Topics   []string // topic ids in TopicIDs order; "other" only when nothing else matched
	OffTopic bool     // not about crypto or markets
}

// topicIDs returns the ids indexed by the topic* constants.
func topicIDs() [nTopics]string {
	return [nTopics]string{
		topicRegulation:  "regulation",
		topicLegal:       "legal",
		topicETF:         "etf",
		topicSecurity:    "security",
		topicMining:      "mining",
		topicMacro:       "macro",
		topicMarkets:     "markets",
		topicAdoption:    "adoption",
		topicDeFi:        "defi",
		topicStablecoins: "stablecoins",
		topicFunding:     "funding",
		topicOther:       "other",
	}
}

// TopicIDs returns the topic ids in their fixed order: regulation, legal,
// etf, security, mining, macro, markets, adoption, defi, stablecoins,
// funding, other.
func TopicIDs() []string {
	ids := topicIDs()
	return ids[:]
}

// IsTopic reports whether id is one of TopicIDs.
func IsTopic(id string) bool {
	for _, t := range topicIDs() {
		if t == id {
			return true
		}
	}
	return false
}

// threshold is the score a topic or a relevance counter needs.
const threshold = 2

// Tag finds the coins and topics of one item from its plain-text title and
// summary and its feed categories, and whether it is about crypto or
// markets at all. It is pure and safe for concurrent use.
//
// An item is on topic when it has crypto evidence (a coin, a crypto word or
// firm, a crypto feed category) or macro evidence (the Fed, rates,
// inflation, jobs data). General tech, company press releases, stock-only
// news and bank-supervision notices are off topic.
func Tag(title, summary string, categories []string) Tags {
	t := lex()
	n := len(title) + len(summary)
	z := tokenizer{
		toks:  make([]token, 0, n/4+2*len(categories)+8),
		lower: make([]byte, 0, n+16),
	}
	z.add(title, segTitle)
	z.add(summary, segSummary)
	text := len(z.toks)
	z.lookup(t, 0)

	var m matcher
	m.coins(t, &z, text)
	m.keywords(t, &z, 0, text)
	for _, c := range categories {
		from := len(z.toks)
		z.add(c, segCategory)
		z.lookup(t, from)
		m.catSeen = 0
		m.keywords(t, &z, from, len(z.toks))
	}
	return m.result(t)
}

// matcher accumulates the evidence for one item.
type matcher struct {
	hits    uint64 // coins found outright
	pending uint64 // coins found by a context-gated form
	veto    uint64 // coins whose context-gated forms are vetoed
	ctx     bool   // the item has crypto context

	w       [nWeights]int // keyword scores from the title and summary
	ctxW    [nWeights]int // the same from context-gated keywords
	cat     [nWeights]int // number of categories naming each topic
	catSeen uint32        // indices already counted for the current category
}

// lookup finds the table entries of tokens [from, len).
func (z *tokenizer) lookup(t *tables, from int) {
	for i := from; i < len(z.toks); i++ {
		tk := &z.toks[i]
		lw := z.lower[tk.lo:tk.hi]
		if h := wordHash(lw); t.maybe[h>>6]&(1<<(h&63)) != 0 {
			tk.ent = t.words[string(lw)]
		}
	}
}

// phraseAt reports whether words match the tokens from i on, without a
// phrase break inside.
func (z *tokenizer) phraseAt(i int, words []string, end int) bool {
	if i+len(words) > end {
		return false
	}
	for k, w := range words {
		tk := &z.toks[i+k]
		if k > 0 && tk.flags&tBreak != 0 {
			return false
		}
		if string(z.lower[tk.lo:tk.hi]) != w {
			return false
		}
	}
	return true
}

// caseOK applies a case rule to the first word of a match.
func (z *tokenizer) caseOK(cs caseRule, exact string, tk *token) bool {
	switch cs {
	case caseTitle:
		return tk.flags&tTitle != 0
	case caseUpper:
		return tk.flags&tUpper != 0
	case caseExact:
		return tk.flags&tUpper != 0 || tk.seg < segCategory && z.orig(tk) == exact
	}
	return true
}

// coins runs the coin forms over the title and summary tokens [0, end).
func (m *matcher) coins(t *tables, z *tokenizer, end int) {
	for i := 0; i < end; {
		tk := &z.toks[i]
		lw := z.lower[tk.lo:tk.hi]
		if tk.flags&tDollar != 0 {
			if c, ok := t.tickers[string(lw)]; ok {
				m.hits |= 1 << c
				tk.flags |= tCoinEnd
				i++
				continue
			}
		}
		if tk.flags&tUpper != 0 && len(lw) >= 5 {
			if c, ok := pairTicker(t, lw); ok {
				m.hits |= 1 << c
				tk.flags |= tCoinEnd
				i++
				continue
			}
		}
		if (tk.sep == '/' || tk.sep == '-') && i > 0 && z.toks[i-1].flags&tCoinEnd != 0 && isStableQuote(lw) {
			// The quote side of "SOL/USDT" is not what the item is about.
			i++
			continue
		}
		matched := 0
		if tk.ent == 0 {
			if coinSuffix(lw) {
				m.ctx = true
				m.w[relCrypto] += strong
			}
			i++
			continue
		}
		for _, e := range t.entries[tk.ent-1].coin {
			if !z.phraseAt(i, e.words, end) || !z.caseOK(e.cs, "", tk) {
				continue
			}
			matched = len(e.words)
			if e.coin < 0 {
				break
			}
			g := e.gate
			if e.cs == caseUpper && z.caps[tk.seg] {
				// In an all-caps text upper case proves nothing.
				g = gateNear
			}
			bit := uint64(1) << e.coin
			switch {
			case g == gateNone:
				m.hits |= bit
			case g == gateCtx:
				// A coin word beside it is context enough: "ether ETF".
				if z.nearCoin(t, i+matched, end, e.coin) {
					m.hits |= bit
				} else {
					m.pending |= bit
				}
			case z.nearCoin(t, i+matched, end, e.coin):
				m.hits |= bit
			}
			z.toks[i+matched-1].flags |= tCoinEnd
			break
		}
		if matched == 0 {
			matched = 1
		}
		i += matched
	}
}

// coinSuffix reports a word ending in "coin" or "coins" that is longer than
// that ("IBCoin", "memecoins"): no English word does, so it is a crypto
// asset, tracked or not.
func coinSuffix(lw []byte) bool {
	n := len(lw)
	if n > 0 && lw[n-1] == 's' {
		n--
	}
	return n >= 6 && string(lw[n-4:n]) == "coin"
}

func isStableQuote(lw []byte) bool {
	return string(lw) == "usdt" || string(lw) == "usdc"
}

// pairTicker reads a run-together trading pair such as "SOLUSDT".
func pairTicker(t *tables, lw []byte) (int, bool) {
	for _, q := range [...]string{"usdt", "usdc", "usd"} {
		if len(lw) > len(q)+1 && string(lw[len(lw)-len(q):]) == q {
			c, ok := t.tickers[string(lw[:len(lw)-len(q)])]
			return c, ok
		}
	}
	return 0, false
}

// nearCoin reports whether the token at j makes the match just before it a
// coin: a coin word ("token"), a quote currency after '/' or '-' ("/USDT"),
// or the coin's own ticker in parentheses ("Optimism (OP)").
func (z *tokenizer) nearCoin(t *tables, j, end, coin int) bool {
	if j >= end {
		return false
	}
	tk := &z.toks[j]
	lw := string(z.lower[tk.lo:tk.hi])
	switch {
	case tk.flags&tBreak == 0 && t.coinWords[lw]:
		return true
	case (tk.sep == '/' || tk.sep == '-') && t.quotes[lw]:
		return true
	case tk.sep == '(' && tk.flags&tUpper != 0:
		c, ok := t.tickers[lw]
		return ok && c == coin
	}
	return false
}

// moneyAt reports an amount at token j: "$5M", "$4.5 million", "10 million".
func (z *tokenizer) moneyAt(j, end int) bool {
	if j >= end {
		return false
	}
	tk := &z.toks[j]
	if tk.flags&tBreak != 0 {
		return false
	}
	if tk.flags&tDollar != 0 {
		return true
	}
	if tk.flags&tDigit != 0 && j+1 < end {
		switch string(z.lower[z.toks[j+1].lo:z.toks[j+1].hi]) {
		case "million", "billion", "m", "bn", "mn":
			return true
		}
	}
	return false
}

// keywords runs the keyword table over tokens [from, end) of one segment
// group (the title and summary, or one category).
func (m *matcher) keywords(t *tables, z *tokenizer, from, end int) {
	for i := from; i < end; {
		tk := &z.toks[i]
		if tk.ent == 0 {
			i++
			continue
		}
		best := 0
		es := t.entries[tk.ent-1].kw
		for k := range es {
			e := &es[k]
			if best > 0 && len(e.words) < best {
				break
			}
			if e.catOnly && tk.seg != segCategory {
				continue
			}
			if !z.phraseAt(i, e.words, end) {
				continue
			}
			if tk.seg != segCategory && !z.caseOK(e.cs, e.exact, tk) {
				continue
			}
			if e.prevCoin && (i == from || tk.flags&tBreak != 0 || z.toks[i-1].flags&tCoinEnd == 0) {
				continue
			}
			if e.nextMoney && !z.moneyAt(i+len(e.words), end) {
				continue
			}
			best = len(e.words)
			m.apply(e, tk.seg)
		}
		if best == 0 {
			best = 1
		}
		i += best
	}
}

func (m *matcher) apply(e *kwEntry, seg uint8) {
	m.veto |= e.veto
	if seg == segCategory {
		// A category is a deliberate label: no case or context rules, and
		// each counts once per topic.
		for k, w := range e.w {
			if w > 0 && m.catSeen&(1<<k) == 0 {
				m.catSeen |= 1 << k
				m.cat[k]++
			}
		}
		if e.w[relCrypto] >= strong {
			m.ctx = true
		}
		return
	}
	dst := &m.w
	if e.needCtx {
		dst = &m.ctxW
	} else if e.w[relCrypto] >= strong {
		m.ctx = true
	}
	mult := 1
	if seg == segTitle {
		mult = 2
	}
	for k, w := range e.w {
		if w == 0 {
			continue
		}
		if k < nTopics {
			dst[k] += int(w) * mult
		} else {
			dst[k] += int(w)
		}
	}
}

func (m *matcher) result(t *tables) Tags {
	if m.hits != 0 {
		m.ctx = true
	}
	coins := m.hits
	w := m.w
	if m.ctx {
		coins |= m.pending &^ m.veto
		for k := range w {
			w[k] += m.ctxW[k]
		}
	}
	var out Tags
	if coins != 0 {
		for i, c := range t.coins {
			if coins&(1<<i) != 0 {
				out.Coins = append(out.Coins, c.Ticker)
			}
		}
		sort.Strings(out.Coins)
	}
	for k := 0; k < topicOther; k++ {
		if w[k]+m.cat[k] >= threshold {
			out.Topics = append(out.Topics, t.topicIDs[k])
		}
	}
	if len(out.Topics) == 0 {
		out.Topics = []string{t.topicIDs[topicOther]}
	}
	crypto := coins != 0 || w[relCrypto]+m.cat[relCrypto] >= threshold
	out.OffTopic = !crypto && w[relMacro] < threshold
	return out
}
