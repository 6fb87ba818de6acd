package tag

import (
	"encoding/csv"
	"os"
	"strings"
	"testing"
	"unicode"

	"github.com/pulsebot/pulsebot/internal/shareddata"
)

// TestHeadlinesRelevance runs Tag on the 1,001 dated headlines of the shared
// sentiment data (found by a news search for bitcoin, ethereum, xrp,
// tether, litecoin, binance, usdcoin and namecoin, so some are about
// tethered drones). Every headline naming bitcoin, ethereum, XRP or
// litecoin must be on topic and carry that coin; the rest is logged.
func TestHeadlinesRelevance(t *testing.T) {
	p := shareddata.Path(t, "headlines-dated.csv")
	f, err := os.Open(p)
	if err != nil {
		t.Fatalf("open %s: %v", p, err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("read %s: %v", p, err)
	}
	named := map[string]string{"bitcoin": "BTC", "ethereum": "ETH", "xrp": "XRP", "litecoin": "LTC"}
	on := 0
	for _, r := range rows[1:] {
		headline := r[2]
		got := Tag(headline, "", nil)
		if !got.OffTopic {
			on++
		}
		words := strings.FieldsFunc(strings.ToLower(headline), func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r)
		})
		for k, w := range words {
			ticker, ok := named[w]
			if !ok || k+1 < len(words) && (words[k+1] == "cash" || words[k+1] == "sv") {
				// "Bitcoin Cash" and "Bitcoin SV" are other coins.
				continue
			}
			if got.OffTopic || !containsString(got.Coins, ticker) {
				t.Errorf("headline %q naming %s: coins %v, off-topic %t", headline, w, got.Coins, got.OffTopic)
			}
		}
	}
	t.Logf("%d of %d headlines on topic", on, len(rows)-1)
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
