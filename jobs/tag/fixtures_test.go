package tag

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"

	"github.com/pulsebot/pulsebot/internal/shareddata"
)

// fixtureItem is one item of a shared feed fixture, reduced to what Tag
// sees at ingest: plain-text title and summary, and the categories.
type fixtureItem struct {
	file, guid string
	title      string
	summary    string
	categories []string
}

// fixtureFiles returns the shared feed fixtures, in a fixed order.
func fixtureFiles() []string {
	return []string{
		"bankinnovation-201804.xml", "bitcoinmagazine-202610.xml", "coindesk-201901.xml",
		"coindesk-202609.xml", "cointelegraph-201901.xml", "cryptobriefing-201901.xml",
		"cryptonews-201901.xml", "decrypt-202610.xml", "ethnews-201901.xml",
		"federalreserve-202609.xml", "golem-201810.xml", "prnewswire-202512.xml",
		"secedgar-202609.xml", "theblock-202610.xml", "utoday-202610.xml",
	}
}

// loadFixture reads one shared feed with gofeed, skipping when the shared
// data is absent.
func loadFixture(tb testing.TB, file string) []fixtureItem {
	tb.Helper()
	p := shareddata.Path(tb, "feeds", file)
	f, err := os.Open(p)
	if err != nil {
		tb.Fatalf("open %s: %v", p, err)
	}
	defer f.Close()
	feed, err := gofeed.NewParser().Parse(f)
	if err != nil {
		tb.Fatalf("parse %s: %v", file, err)
	}
	items := make([]fixtureItem, 0, len(feed.Items))
	for _, it := range feed.Items {
		summary := it.Description
		if strings.TrimSpace(summary) == "" {
			summary = it.Content
		}
		items = append(items, fixtureItem{
			file:       filepath.Base(p),
			guid:       it.GUID,
			title:      plainText(it.Title, 0),
			summary:    plainText(summary, 1000),
			categories: it.Categories,
		})
	}
	return items
}

// loadAllFixtures reads every shared feed.
func loadAllFixtures(tb testing.TB) []fixtureItem {
	tb.Helper()
	var all []fixtureItem
	for _, f := range fixtureFiles() {
		all = append(all, loadFixture(tb, f)...)
	}
	return all
}

// plainText turns feed HTML into text roughly as jobs/ingest does (which
// this leaf package may not import): text nodes joined by spaces, scripts
// and styles dropped, at most maxRunes runes (0 for no limit).
func plainText(s string, maxRunes int) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			out := strings.Join(strings.Fields(b.String()), " ")
			if r := []rune(out); maxRunes > 0 && len(r) > maxRunes {
				out = string(r[:maxRunes])
			}
			return out
		case html.StartTagToken:
			if n, _ := z.TagName(); string(n) == "script" || string(n) == "style" {
				skip++
			}
			b.WriteByte(' ')
		case html.EndTagToken:
			if n, _ := z.TagName(); (string(n) == "script" || string(n) == "style") && skip > 0 {
				skip--
			}
			b.WriteByte(' ')
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		}
	}
}

// findItem returns the item with the given GUID.
func findItem(tb testing.TB, items []fixtureItem, guid string) fixtureItem {
	tb.Helper()
	for _, it := range items {
		if it.guid == guid {
			return it
		}
	}
	tb.Fatalf("no item with GUID %q", guid)
	return fixtureItem{}
}

// TestFixtureStories checks the tags of named items of the shared feeds,
// the stories the team cares about across outlets. Coins and topics listed
// must be present; notTopics must be absent.
func TestFixtureStories(t *testing.T) {
	tests := []struct {
		name      string
		file      string
		guid      string
		coins     []string
		topics    []string
		notTopics []string
	}{
		// The Federal Reserve's GENIUS Act proposals: stablecoin regulation,
		// not monetary policy.
		{"Fed GENIUS Act proposals", "federalreserve-202609.xml",
			"https://www.federalreserve.gov/newsevents/pressreleases/bcreg20260924a.htm",
			nil, []string{"regulation", "stablecoins"}, []string{"macro"}},

		// NEAR Intents exploit, three outlets.
		{"NEAR Intents exploit, U.Today", "utoday-202610.xml",
			"https://u.today/near-intents-breaks-silence-on-38-million-exploit-near-token-slumps-75",
			[]string{"NEAR"}, []string{"security"}, nil},
		{"NEAR Intents hack, Decrypt", "decrypt-202610.xml", "https://decrypt.co/?p=379822",
			[]string{"NEAR"}, []string{"security"}, nil},
		{"NEAR Intents hack, Decrypt newsletter", "decrypt-202610.xml", "https://decrypt.co/?p=379929",
			[]string{"NEAR"}, []string{"security"}, nil},
		{"NEAR Intents exploit, The Block", "theblock-202610.xml", "3d64d498-86a3-5f0f-8d69-a1c2276b17c5",
			[]string{"NEAR"}, []string{"security"}, nil},

		// The Bitget hack.
		{"Bitget hack, wallet freeze", "coindesk-202609.xml", "a0b4a6ba-5569-4fef-940c-e402f9698d89",
			[]string{"USDC", "USDT"}, []string{"security"}, nil},
		{"Bitget hack traced", "decrypt-202610.xml", "https://decrypt.co/?p=380005",
			nil, []string{"security"}, nil},
		{"Bitget hacker moves to Zcash", "decrypt-202610.xml", "https://decrypt.co/?p=379759",
			[]string{"ZEC"}, []string{"security"}, nil},

		// The SEC's crypto custody proposal, four outlets.
		{"SEC custody proposal, Decrypt", "decrypt-202610.xml", "https://decrypt.co/?p=379899",
			nil, []string{"regulation"}, []string{"funding"}},
		{"SEC custody proposal, Bitcoin Magazine", "bitcoinmagazine-202610.xml", "https://bitcoinmagazine.com/?p=55463",
			nil, []string{"regulation"}, nil},
		{"SEC custody proposal, U.Today", "utoday-202610.xml", "https://u.today/sec-proposes-new-crypto-custody-framework",
			nil, []string{"regulation"}, nil},
		{"SEC custody proposal, The Block", "theblock-202610.xml", "786fb9a5-c91d-534f-996e-ab123a7447de",
			nil, []string{"regulation"}, []string{"funding"}},

		// Bitcoin rallies on weak US jobs data, four outlets.
		{"jobs-data rally, Bitcoin Magazine", "bitcoinmagazine-202610.xml", "https://bitcoinmagazine.com/?p=55489",
			[]string{"BTC"}, []string{"macro", "markets"}, nil},
		{"jobs-data rally, The Block", "theblock-202610.xml", "9f0613ab-c7fc-56dd-9bb1-814bb1e7c159",
			[]string{"BTC"}, []string{"macro", "markets"}, nil},
		{"jobs-data rally, U.Today", "utoday-202610.xml", "https://u.today/bitcoin-reclaims-87k-following-shocking-us-jobs-data",
			[]string{"BTC"}, []string{"macro", "markets"}, nil},
		{"jobs-data rally, Decrypt", "decrypt-202610.xml", "https://decrypt.co/?p=379936",
			[]string{"BTC"}, []string{"macro", "markets"}, nil},

		// Evernorth's XRP treasury.
		{"XRP treasury, Decrypt", "decrypt-202610.xml", "https://decrypt.co/?p=379856",
			[]string{"XRP"}, []string{"adoption"}, nil},
		{"XRP treasury, The Block", "theblock-202610.xml", "1b371388-8bda-5b0d-9af5-8d91229bff0b",
			[]string{"XRP"}, []string{"adoption"}, nil},
		{"XRP treasury, U.Today", "utoday-202610.xml",
			"https://u.today/xrp-holders-mark-your-calendars-for-october-8-nasdaq-listing-is-coming-for-ripple-backed-treasury",
			[]string{"XRP"}, []string{"adoption"}, nil},

		// Circle and the MiCA review.
		{"Circle on MiCA, Decrypt", "decrypt-202610.xml", "https://decrypt.co/?p=379984",
			nil, []string{"regulation", "stablecoins"}, nil},
		{"Circle on MiCA, The Block", "theblock-202610.xml", "17418412-bc03-52a7-b4a2-863be3c25cba",
			nil, []string{"regulation", "stablecoins"}, nil},

		// Citi raises its bitcoin target: a price call, not a fundraise.
		{"Citi target, Decrypt", "decrypt-202610.xml", "https://decrypt.co/?p=379808",
			[]string{"BTC", "ETH"}, []string{"markets"}, []string{"funding"}},
		{"Citi target, U.Today", "utoday-202610.xml", "https://u.today/banking-behemoth-citibank-raises-bitcoin-target",
			[]string{"BTC"}, []string{"markets"}, []string{"funding"}},

		// Price analyses name many coins at once.
		{"multi-coin price analysis", "cointelegraph-201901.xml",
			"https://cointelegraph.com/news/bitcoin-ripple-ethereum-eos-bitcoin-cash-litecoin-tron-stellar-bitcoin-sv-cardano-price-analysis-jan-30",
			[]string{"ADA", "BCH", "BTC", "ETH", "LTC", "TRX", "XLM"}, []string{"markets"}, nil},
	}
	cache := map[string][]fixtureItem{}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			items, ok := cache[tc.file]
			if !ok {
				items = loadFixture(t, tc.file)
				cache[tc.file] = items
			}
			it := findItem(t, items, tc.guid)
			got := Tag(it.title, it.summary, it.categories)
			if got.OffTopic {
				t.Errorf("%s %s: OffTopic = true, want false", tc.file, tc.guid)
			}
			for _, c := range tc.coins {
				if !slices.Contains(got.Coins, c) {
					t.Errorf("%s %s: Coins = %v, want %s among them", tc.file, tc.guid, got.Coins, c)
				}
			}
			for _, tp := range tc.topics {
				if !slices.Contains(got.Topics, tp) {
					t.Errorf("%s %s: Topics = %v, want %s among them", tc.file, tc.guid, got.Topics, tp)
				}
			}
			for _, tp := range tc.notTopics {
				if slices.Contains(got.Topics, tp) {
					t.Errorf("%s %s: Topics = %v, want no %s", tc.file, tc.guid, got.Topics, tp)
				}
			}
		})
	}
}

// mentionsCrypto is a deliberately crude second opinion on relevance, used
// to check the AI-tagged items: does the text name crypto at all?
func mentionsCrypto(it fixtureItem) bool {
	s := strings.ToLower(it.title + " " + it.summary)
	for _, w := range []string{"crypto", "bitcoin", "blockchain", "ethereum", "stablecoin"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// TestFixtureRelevance checks OffTopic over whole feeds and logs the
// on/off-topic count per file.
func TestFixtureRelevance(t *testing.T) {
	// Items expected off topic, by file; "*" means every item. Everything
	// else is expected on topic.
	off := map[string][]string{
		// 8-K filings of companies unrelated to crypto.
		"secedgar-202609.xml": {"*"},
		// Bank supervision, not monetary policy; the GENIUS Act item stays.
		"federalreserve-202609.xml": {
			"https://www.federalreserve.gov/newsevents/pressreleases/enforcement20260924a.htm",
			"https://www.federalreserve.gov/newsevents/pressreleases/orders20260922a.htm",
		},
		// AI and general tech or crime stories without crypto.
		"decrypt-202610.xml": {
			"https://decrypt.co/?p=380001", "https://decrypt.co/?p=379983", "https://decrypt.co/?p=379998",
			"https://decrypt.co/?p=379975", "https://decrypt.co/?p=379892", "https://decrypt.co/?p=379890",
			"https://decrypt.co/?p=379868", "https://decrypt.co/?p=379857", "https://decrypt.co/?p=379784",
			"https://decrypt.co/?p=379769", "https://decrypt.co/?p=379739",
		},
	}
	// prnewswire: every release is off topic except the shareholder alerts
	// naming a crypto firm (Bitdeer, a bitcoin miner; DeFi Technologies).
	prOn := []string{"-302640431.html", "-302640425.html"}

	for _, file := range fixtureFiles() {
		items := loadFixture(t, file)
		nOn, nOff := 0, 0
		for _, it := range items {
			got := Tag(it.title, it.summary, it.categories)
			if got.OffTopic {
				nOff++
			} else {
				nOn++
			}
			var wantOff bool
			switch {
			case file == "golem-201810.xml":
				// German IT news: off topic unless it mentions crypto
				// (none of the 40 items does).
				wantOff = !mentionsCrypto(it)
			case file == "prnewswire-202512.xml":
				wantOff = !slices.ContainsFunc(prOn, func(s string) bool { return strings.HasSuffix(it.guid, s) })
			case slices.Contains(off[file], "*"):
				wantOff = true
			default:
				wantOff = slices.Contains(off[file], it.guid)
			}
			if got.OffTopic != wantOff {
				t.Errorf("%s %s: OffTopic = %t, want %t (topics %v, coins %v)", file, it.guid, got.OffTopic, wantOff, got.Topics, got.Coins)
			}
			// Decrypt's AI-tagged items are off topic unless they mention crypto.
			if slices.Contains(it.categories, "Artificial Intelligence") && got.OffTopic == mentionsCrypto(it) {
				t.Errorf("%s %s: AI item OffTopic = %t but mentionsCrypto = %t", file, it.guid, got.OffTopic, mentionsCrypto(it))
			}
		}
		t.Logf("%-28s %3d items: %3d on topic, %3d off topic", file, len(items), nOn, nOff)
	}
}
