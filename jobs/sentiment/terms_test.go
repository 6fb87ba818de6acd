package sentiment_test

import (
	"strings"
	"testing"

	"github.com/pulsebot/pulsebot/jobs/sentiment"
	"github.com/pulsebot/pulsebot/jobs/sentiment/corpus"
)

// assetWords are coin, token, chain, exchange and firm names, and words
// for an asset class. Users see Terms as the reason for a verdict, and
// "bitcoin" or "ETF" is what a headline is about, never why it is bullish.
// Names that are also market words (Optimism, Bullish, Jump) are left to
// TestNameWords.
const assetWords = "bitcoin btc ether eth ethereum solana sol xrp ripple cardano ada dogecoin doge shiba inu shib " +
	"bnb binance coinbase kraken okx bybit tether usdt usdc circle litecoin ltc polkadot dot avalanche avax " +
	"chainlink link polygon matic tron trx toncoin ton sui aptos arbitrum near cosmos atom monero xmr " +
	"zcash zec stellar xlm uniswap aave lido maker pepe crypto cryptocurrency cryptocurrencies token tokens coin " +
	"coins altcoin altcoins stablecoin stablecoins memecoin memecoins nft nfts defi etf etfs etp fund funds " +
	"blackrock fidelity grayscale microstrategy strategy tesla"

// TestTermsAreMarketWords scores every headline the team wrote and checks
// that no term is an asset or firm name: terms come only from the market
// lexicon and percentages with a direction (see doc.terms).
func TestTermsAreMarketWords(t *testing.T) {
	names := map[string]bool{}
	for _, w := range strings.Fields(assetWords) {
		names[w] = true
	}
	ex, err := corpus.ReadOwnHeadlines("testdata/own_headlines.tsv")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range scoreCases {
		ex = append(ex, sentiment.Example{Title: tc.title})
	}
	m := sentiment.Default()
	terms := 0
	for _, e := range ex {
		for _, term := range m.Score(e.Title, "").Terms {
			terms++
			if names[term.Text] {
				t.Errorf("Score(%q) explains itself with the name %q (terms %v)", e.Title, term.Text, m.Score(e.Title, "").Terms)
			}
		}
	}
	if terms < len(ex) {
		t.Errorf("%d headlines gave only %d terms; the filter hides too much", len(ex), terms)
	}
}

// TestNameWords checks the rule for lexicon words that are also project
// names: a capital inside a sentence-case title makes them a name.
func TestNameWords(t *testing.T) {
	for _, tc := range []struct {
		title, term string
		want        bool
	}{
		{"Coinbase adds Optimism and Arbitrum tokens", "optimism", false},
		{"Investor optimism returns as bitcoin climbs", "optimism", true},
		{"Exchange Bullish files for IPO", "bullish", false},
		{"Traders turn bullish on ether", "bullish on", true},
		{"Market maker Jump Crypto moves $300 million of ether to exchanges", "jump", false},
		{"Solana jumps 12% on ETF news", "jumps 12%", true},
		// Title Case: a capital says nothing, the word counts
		{"Bitcoin Gains 5% After CPI", "gains 5%", true},
		// the first word of a title may be either: it counts (a known limit)
		{"Optimism airdrop draws record claims", "optimism", true},
	} {
		got := false
		res := sentiment.Default().Score(tc.title, "")
		for _, term := range res.Terms {
			if term.Text == tc.term {
				got = true
			}
		}
		if got != tc.want {
			t.Errorf("Score(%q).Terms = %v; has %q = %v, want %v", tc.title, res.Terms, tc.term, got, tc.want)
		}
	}
}
