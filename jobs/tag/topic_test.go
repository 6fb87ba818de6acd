package tag

import (
	"slices"
	"testing"
)

// TestTagTopics is the topic and relevance table, on headlines written for
// it (never copied from the fixtures).
func TestTagTopics(t *testing.T) {
	tests := []struct {
		name           string
		title, summary string
		categories     []string
		want           []string
		offTopic       bool
	}{
		{"regulator sues an exchange", "SEC sues crypto exchange over unregistered securities", "", nil,
			[]string{"regulation", "legal"}, false},
		{"spot ETF approval", "Regulators approve the first spot ether ETF", "", nil,
			[]string{"regulation", "etf"}, false},
		{"class action", "Class action filed against a crypto lender", "", nil,
			[]string{"legal"}, false},
		{"sentenced", "Former exchange boss sentenced to 25 years in prison", "The crypto fraud cost customers billions.", nil,
			[]string{"legal"}, false},
		{"indicted", "Crypto token founder indicted on wire fraud charges", "", nil,
			[]string{"legal"}, false},
		{"Fed holds rates, bitcoin slips", "Fed holds interest rates steady; bitcoin slips", "", nil,
			[]string{"macro", "markets"}, false},
		{"CPI", "Hot CPI print sends bitcoin lower", "", nil,
			[]string{"macro", "markets"}, false},
		{"DeFi exploit", "DeFi protocol drained of $12M in flash loan exploit", "", nil,
			[]string{"security", "defi"}, false},
		{"phishing scam", "Phishing scam targets MetaMask users", "", nil,
			[]string{"security"}, false},
		{"rug pull", "Rug pull: memecoin developers vanish with $3M", "", nil,
			[]string{"security"}, false},
		{"hashrate and halving", "Bitcoin hashrate hits record as miners brace for the halving", "", nil,
			[]string{"mining"}, false},
		{"Series A", "Crypto wallet startup raises $20M in Series A led by Paradigm", "", nil,
			[]string{"funding"}, false},
		{"acquisition", "Coinbase acquires an options exchange", "", nil,
			[]string{"funding"}, false},
		{"raises a price target is not funding", "Citi raises its bitcoin price target", "", nil,
			[]string{"markets"}, false},
		{"stablecoin supply", "Stablecoin supply tops $300 billion", "", nil,
			[]string{"stablecoins"}, false},
		{"GENIUS Act", "Senate passes the GENIUS Act", "The bill sets reserve rules for payment stablecoins.", nil,
			[]string{"regulation", "stablecoins"}, false},
		{"MiCA", "MiCA rules take effect for exchanges", "Crypto firms in Europe need a licence.", nil,
			[]string{"regulation"}, false},
		{"all-time high", "Bitcoin surges to a new all-time high above $120K", "", nil,
			[]string{"markets"}, false},
		{"liquidations", "$1 billion in crypto liquidations as ether plunges", "", nil,
			[]string{"markets"}, false},
		{"TVL and DEX", "Uniswap TVL tops $10 billion as DEX activity grows", "", nil,
			[]string{"defi"}, false},
		{"staking", "Lido staking deposits hit a record", "", nil,
			[]string{"defi"}, false},
		{"legal tender", "El Salvador adopts bitcoin as legal tender", "", nil,
			[]string{"adoption"}, false},
		{"partnership and stablecoin payments", "Visa partners with Circle to settle payments in USDC", "", nil,
			[]string{"adoption", "stablecoins"}, false},
		{"bitcoin treasury", "MicroStrategy adds 10,000 BTC to its bitcoin treasury", "", nil,
			[]string{"adoption"}, false},
		{"ETF inflows", "BlackRock's IBIT sees record inflows", "", nil,
			[]string{"etf", "markets"}, false},
		{"tariffs", "Tariff fears send stocks and bitcoin lower", "", nil,
			[]string{"macro", "markets"}, false},
		{"Treasury yields are macro, not a treasury", "Treasury yields jump after the jobs report", "", nil,
			[]string{"macro", "markets"}, false},
		{"funding rates are markets, not funding", "Funding rates turn negative on bitcoin perps", "", nil,
			[]string{"markets"}, false},
		{"security tokens are not a hack", "Security tokens set to grow in the crypto space", "", nil,
			[]string{"regulation"}, false},
		{"S&P holds together", "Bitcoin tracks the S&P 500 lower", "", nil,
			[]string{"markets"}, false},
		{"hackathon is not a hack", "Ethereum hackathon awards its prizes", "", nil,
			[]string{"other"}, false},
		{"fed up is not the Fed", "Bitcoin holders fed up with sideways markets", "", nil,
			[]string{"other"}, false},
		{"nothing matches", "Ethereum developers pick a name for the next fork", "", nil,
			[]string{"other"}, false},
		{"weak word in the summary only", "Bitcoin developers meet", "They talked about support.", nil,
			[]string{"other"}, false},
		{"two categories decide", "A note on the week", "The crypto industry waited.", []string{"Policy", "Regulation"},
			[]string{"regulation"}, false},
		{"one category does not", "A note on the week", "The crypto industry waited.", []string{"Markets"},
			[]string{"other"}, false},

		// Relevance.
		{"AI news", "OpenAI releases a new reasoning model", "The model writes a million tokens per reply.", []string{"Artificial Intelligence"},
			[]string{"other"}, true},
		{"AI news that mentions crypto", "AI agent pays for its own compute in crypto", "", []string{"Artificial Intelligence"},
			[]string{"other"}, false},
		{"Fed monetary policy", "Federal Reserve issues FOMC statement", "The Committee decided to maintain the target range for the federal funds rate.", nil,
			[]string{"macro"}, false},
		{"Fed bank supervision", "Federal Reserve Board announces approval of a bank merger", "", []string{"Orders on Banking Applications"},
			[]string{"funding"}, true},
		{"stock-only news", "Nvidia stock hits a record high", "", nil,
			[]string{"markets"}, true},
		{"shareholder alert of an unrelated firm", "Acme Corp Shareholder Alert: Reminds Investors of Class Action Lawsuit Deadline", "", nil,
			[]string{"legal"}, true},
		{"shareholder alert of a bitcoin miner", "Bitdeer Shareholder Alert: Reminds Investors of Class Action Lawsuit Deadline", "", nil,
			[]string{"legal", "mining"}, false},
		{"Google's Gemini is not the exchange", "Gemini 4 tops AI benchmarks", "", nil,
			[]string{"other"}, true},
		{"Gemini the exchange", "Crypto exchange Gemini passes a security audit", "", nil,
			[]string{"security"}, false},
		{"German IT news", "Quartalszahlen: Intel legt Rekord vor", "Intel erzielte mehr Umsatz als jemals zuvor.", nil,
			[]string{"other"}, true},
		{"German crypto news", "Bitcoin-Kurs steigt über 100.000 Dollar", "", nil,
			[]string{"other"}, false},
		{"unknown coin by its -coin name", "Police arrest 15 over IBCoin scheme", "", nil,
			[]string{"legal"}, false},
		{"EDGAR 8-K of an unrelated company", "8-K - ACME ROBOTICS INC (0001234567) (Filer)", "Item 7.01: Regulation FD Disclosure", []string{"form type"},
			[]string{"regulation"}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Tag(tc.title, tc.summary, tc.categories)
			if !slices.Equal(got.Topics, tc.want) || got.OffTopic != tc.offTopic {
				t.Errorf("Tag(%q, %q, %q) = topics %v, off-topic %t; want %v, %t",
					tc.title, tc.summary, tc.categories, got.Topics, got.OffTopic, tc.want, tc.offTopic)
			}
		})
	}
}

func TestTopicIDs(t *testing.T) {
	want := []string{"regulation", "legal", "etf", "security", "mining", "macro", "markets",
		"adoption", "defi", "stablecoins", "funding", "other"}
	if got := TopicIDs(); !slices.Equal(got, want) {
		t.Fatalf("TopicIDs() = %v, want %v", got, want)
	}
	for _, id := range want {
		if !IsTopic(id) {
			t.Errorf("IsTopic(%q) = false", id)
		}
	}
	for _, id := range []string{"", "Regulation", "nft", "other "} {
		if IsTopic(id) {
			t.Errorf("IsTopic(%q) = true", id)
		}
	}
	ids := TopicIDs()
	ids[0] = "mutated"
	if TopicIDs()[0] != "regulation" {
		t.Errorf("TopicIDs() shares its array with callers")
	}
}
