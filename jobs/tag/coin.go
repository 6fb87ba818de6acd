package tag

import (
	"strings"
)

// Coin is one tracked cryptocurrency.
type Coin struct {
	Ticker  string   // upper case: "BTC"
	Name    string   // display name: "Bitcoin"
	Aliases []string // other names LookupCoin accepts, lower case: "xbt", "ether", "ripple"
}

// caseRule says how a form's first word must be written.
type caseRule uint8

const (
	caseFold  caseRule = iota // any case: "bitcoin", "Bitcoin", "BITCOIN"
	caseTitle                 // starts upper-case: "Stellar", "STELLAR", not "stellar"
	caseUpper                 // all upper-case: "SOL", not "Sol" or "sol"
	caseExact                 // as spelled in the table, or all upper-case: "MiCA", "MICA"
)

// gate says what else an item needs before a form counts.
type gate uint8

const (
	gateNone gate = iota
	// gateCtx: the item must have crypto context elsewhere (an unambiguous
	// coin, a crypto word or firm, a crypto feed category), or a coin word
	// must sit beside it as for gateNear ("ether ETF").
	gateCtx
	// gateNear: a coin word or a quote currency must sit right beside it
	// ("OP token", "ARB/USDT", "Optimism (OP)").
	gateNear
)

// form is one way a coin is written in text.
type form struct {
	words string // lower-case words separated by single spaces
	cs    caseRule
	gate  gate
	stop  bool // blocks shorter matches and tags nothing ("Bitcoin SV")
}

func fold(w string) form       { return form{words: w} }
func foldCtx(w string) form    { return form{words: w, gate: gateCtx} }
func titleCtx(w string) form   { return form{words: w, cs: caseTitle, gate: gateCtx} }
func titleNear(w string) form  { return form{words: w, cs: caseTitle, gate: gateNear} }
func upper(w string) form      { return form{words: w, cs: caseUpper} }
func upperCtx(w string) form   { return form{words: w, cs: caseUpper, gate: gateCtx} }
func upperNear(w string) form  { return form{words: w, cs: caseUpper, gate: gateNear} }
func stopPhrase(w string) form { return form{words: w, stop: true} }

// coinSpec is a coin and how Tag finds it.
type coinSpec struct {
	Coin
	forms []form
	// veto words: when one occurs anywhere in the item, the coin's
	// context-gated forms do not count ("ADA" next to "disabilities").
	veto []string
}

// coinSpecs is the tracked coin list.
//
// The first 30 are the largest by market capitalization as of 2026, in rank
// order, as best judged from 2025–2026 rankings: stablecoins are included
// (USDT, USDC); wrapped, staked and bridged derivatives (WBTC, stETH, WETH)
// and exchange IOU tokens with little news of their own (LEO, BGB) are left
// out, as they would only duplicate or add noise. Ranks 10–30 move around
// month to month; the order there is approximate and only used to sort
// autocomplete suggestions.
//
// After them come four smaller coins the news still names often and that
// the team asked for (POL, ATOM, ARB, OP), all with strict matching rules.
// Harmony (ONE) is not tracked: it is nowhere near the top 30, and "one"
// is far more often a number than a coin, so "one", "ONE" and "$ONE" tag
// nothing.
//
// Ripple the company is not XRP the coin: "Ripple" alone does not tag XRP
// (Ripple's news is often about RLUSD, custody or payments), although it
// counts as a crypto firm for relevance, and LookupCoin("ripple") still
// answers XRP because a user typing it means the coin. Tether, by contrast,
// is the coin's common name and nearly all of the company's news is about
// USDT, so "Tether" tags USDT (capitalized, in an item with other crypto
// context). Circle does not tag USDC.
func coinSpecs() []coinSpec {
	return []coinSpec{
		{Coin: Coin{"BTC", "Bitcoin", []string{"xbt", "bitcoins"}},
			forms: []form{fold("bitcoin"), fold("bitcoins"), fold("btc"), fold("xbt"),
				// Other coins and a magazine that merely carry the name.
				// Bitcoin Gold and Bitcoin Diamond are long dead, while
				// "bitcoin-gold correlation" is common: not stopped.
				stopPhrase("bitcoin sv"), stopPhrase("bitcoin magazine")}},
		{Coin: Coin{"ETH", "Ethereum", []string{"ether"}},
			// Capitalized, "Ether" is the coin in market news ("Ether
			// steady ahead of options expiry"); lower-case "ether" may be
			// chemistry and needs context.
			forms: []form{fold("ethereum"), fold("eth"), {words: "ether", cs: caseTitle}, foldCtx("ether"),
				stopPhrase("eth zurich"), stopPhrase("eth zürich")}},
		{Coin: Coin{"USDT", "Tether", []string{"tether usd", "usd₮"}},
			// "Tether" is also a verb, a brand (Tether Tools) and a surname.
			forms: []form{fold("usdt"), titleCtx("tether")}},
		{Coin: Coin{"XRP", "XRP", []string{"ripple", "xrpl", "xrp ledger"}},
			forms: []form{fold("xrp"), fold("xrpl")}},
		{Coin: Coin{"BNB", "BNB", []string{"binance coin", "bnb chain"}},
			forms: []form{fold("bnb"), fold("binance coin")}},
		{Coin: Coin{"SOL", "Solana", nil},
			forms: []form{fold("solana"), upper("sol")}},
		{Coin: Coin{"USDC", "USD Coin", []string{"usdc"}},
			forms: []form{fold("usdc"), fold("usd coin")}},
		{Coin: Coin{"DOGE", "Dogecoin", []string{"doge"}},
			forms: []form{fold("dogecoin"), fold("dogecoins"), foldCtx("doge")},
			// The US Department of Government Efficiency is "DOGE" too.
			veto: []string{"efficiency"}},
		{Coin: Coin{"TRX", "TRON", []string{"tron", "tronix"}},
			forms: []form{fold("trx"), titleCtx("tron")}},
		{Coin: Coin{"ADA", "Cardano", []string{"ada"}},
			forms: []form{fold("cardano"), upperCtx("ada")},
			// Americans with Disabilities Act.
			veto: []string{"disabilities", "disability"}},
		{Coin: Coin{"HYPE", "Hyperliquid", nil},
			forms: []form{fold("hyperliquid"), upperCtx("hype")}},
		{Coin: Coin{"LINK", "Chainlink", nil},
			forms: []form{fold("chainlink"), upperCtx("link")}},
		{Coin: Coin{"XLM", "Stellar", []string{"stellar lumens", "lumens"}},
			forms: []form{fold("xlm"), fold("stellar lumens"), titleCtx("stellar")}},
		{Coin: Coin{"BCH", "Bitcoin Cash", nil},
			forms: []form{fold("bch"), fold("bitcoin cash")}},
		{Coin: Coin{"SUI", "Sui", nil},
			forms: []form{titleCtx("sui")}},
		{Coin: Coin{"AVAX", "Avalanche", nil},
			forms: []form{fold("avax"), titleCtx("avalanche")}},
		{Coin: Coin{"HBAR", "Hedera", []string{"hedera hashgraph", "hashgraph"}},
			forms: []form{fold("hbar"), fold("hedera"), fold("hashgraph")}},
		{Coin: Coin{"LTC", "Litecoin", nil},
			forms: []form{fold("ltc"), fold("litecoin"), fold("litecoins")}},
		{Coin: Coin{"TON", "Toncoin", []string{"the open network"}},
			forms: []form{fold("toncoin"), fold("the open network"), upperCtx("ton")},
			veto:  []string{"tonnes", "tons"}},
		{Coin: Coin{"SHIB", "Shiba Inu", []string{"shiba"}},
			// "Shiba Inu" the dog breed is rare in news feeds; the coin is not.
			forms: []form{fold("shib"), fold("shiba inu"), fold("shibarium")}},
		{Coin: Coin{"XMR", "Monero", nil},
			forms: []form{fold("xmr"), fold("monero")}},
		{Coin: Coin{"ZEC", "Zcash", nil},
			forms: []form{fold("zec"), fold("zcash")}},
		{Coin: Coin{"DOT", "Polkadot", nil},
			forms: []form{fold("polkadot"), upperCtx("dot")},
			// US Department of Transportation.
			veto: []string{"transportation", "transport"}},
		{Coin: Coin{"UNI", "Uniswap", nil},
			forms: []form{fold("uniswap"), upperCtx("uni")},
			veto:  []string{"university", "universities", "college", "campus"}},
		{Coin: Coin{"AAVE", "Aave", nil},
			forms: []form{fold("aave")}},
		{Coin: Coin{"NEAR", "NEAR Protocol", []string{"near"}},
			forms: []form{fold("near protocol"), fold("near intents"), upperCtx("near")}},
		{Coin: Coin{"APT", "Aptos", nil},
			forms: []form{fold("aptos"), upperNear("apt")}},
		{Coin: Coin{"PEPE", "Pepe", nil},
			forms: []form{fold("pepecoin"), fold("pepe coin"), upperCtx("pepe")}},
		{Coin: Coin{"ETC", "Ethereum Classic", nil},
			forms: []form{fold("ethereum classic"), upperNear("etc")}},
		{Coin: Coin{"ONDO", "Ondo", nil},
			forms: []form{titleCtx("ondo")},
			veto:  []string{"nigeria", "nigerian"}},
		// Beyond the top 30.
		{Coin: Coin{"POL", "Polygon", []string{"matic"}},
			forms: []form{fold("matic"), titleCtx("polygon"), upperNear("pol")}},
		{Coin: Coin{"ATOM", "Cosmos", nil},
			forms: []form{fold("cosmos hub"), titleCtx("cosmos"), upperNear("atom")}},
		{Coin: Coin{"ARB", "Arbitrum", nil},
			forms: []form{fold("arbitrum"), upperNear("arb")}},
		{Coin: Coin{"OP", "Optimism", nil},
			forms: []form{fold("op mainnet"), titleNear("optimism"), upperNear("op")}},
	}
}

// coinWords are the words that, right after an ambiguous ticker or name,
// make it a coin ("OP token", "NEAR ETF", "Optimism mainnet").
func coinWords() []string {
	return []string{"token", "tokens", "coin", "coins", "price", "prices", "holders",
		"whales", "etf", "etfs", "futures", "staking", "stakers", "airdrop", "unlock",
		"unlocks", "mainnet", "testnet", "network", "ecosystem", "foundation", "stack",
		"superchain", "collective", "blockchain", "chain", "l2", "rollup", "dao"}
}

// quoteCurrencies make "XXX/USD" or "XXX-USDT" a trading pair.
func quoteCurrencies() []string {
	return []string{"usd", "usdt", "usdc", "eur", "btc", "eth", "krw", "jpy", "gbp"}
}

// Coins returns the tracked coins in rank order (see coinSpecs for how the
// list was chosen). The caller may modify the result.
func Coins() []Coin {
	specs := lex().coins
	out := make([]Coin, len(specs))
	for i, s := range specs {
		out[i] = s.Coin
		out[i].Aliases = append([]string(nil), s.Aliases...)
	}
	return out
}

// normalizeQuery trims spaces and one leading '$', and lower-cases.
func normalizeQuery(q string) string {
	q = strings.TrimSpace(q)
	q = strings.TrimPrefix(q, "$")
	return strings.ToLower(strings.TrimSpace(q))
}

// LookupCoin finds a coin by ticker, name or alias, case-insensitively,
// with an optional leading '$': "btc", "Bitcoin", "$ETH", "ether".
func LookupCoin(q string) (Coin, bool) {
	t := lex()
	i, ok := t.lookup[normalizeQuery(q)]
	if !ok {
		return Coin{}, false
	}
	c := t.coins[i].Coin
	c.Aliases = append([]string(nil), c.Aliases...)
	return c, true
}

// SearchCoins suggests coins for Discord autocomplete: first those whose
// ticker, name or an alias starts with prefix, then those whose ticker or
// name contains it, each group in rank order, at most max in all. An empty
// prefix lists the top max coins; max <= 0 returns nothing.
func SearchCoins(prefix string, max int) []Coin {
	if max <= 0 {
		return nil
	}
	q := normalizeQuery(prefix)
	t := lex()
	var out []Coin
	taken := make([]bool, len(t.coins))
	pass := func(match func(s *coinSpec) bool) {
		for i := range t.coins {
			if len(out) == max {
				return
			}
			if taken[i] || !match(&t.coins[i]) {
				continue
			}
			taken[i] = true
			c := t.coins[i].Coin
			c.Aliases = append([]string(nil), c.Aliases...)
			out = append(out, c)
		}
	}
	pass(func(s *coinSpec) bool {
		if strings.HasPrefix(strings.ToLower(s.Ticker), q) || strings.HasPrefix(strings.ToLower(s.Name), q) {
			return true
		}
		for _, a := range s.Aliases {
			if strings.HasPrefix(a, q) {
				return true
			}
		}
		return false
	})
	pass(func(s *coinSpec) bool {
		return strings.Contains(strings.ToLower(s.Ticker), q) || strings.Contains(strings.ToLower(s.Name), q)
	})
	return out
}
