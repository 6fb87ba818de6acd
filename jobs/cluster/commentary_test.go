package cluster

import "testing"

func TestIsCommentary(t *testing.T) {
	tests := []struct {
		title string
		want  bool
	}{
		{"Morning Minute: Exchange X Hacked for $5M", true},
		{"Top Weekly Crypto News: BTC Reclaims $90K, SHIB Burns Soar", true},
		{"Main Crypto News This Morning: ETF Flows Turn Positive", true},
		{"Curated Blockchain News – Week 12'26", true},
		{"Distributed Digest: Monday, March 9, 2026", true},
		{"Weekly Round-up: Five Stories You Missed", true},
		{"Bitcoin, Ether, Solana, XRP: Price Analysis, March 9", true},
		{"Ontology / USD Technical Analysis: Breaking Support", true},
		{"Will Ether Reach $5,000 in April?", true},
		{"It's the Start of Spring. Can Bitcoin Keep Rallying?", true},
		{"SEC Approves First Spot Solana ETFs", false},
		{"Exchange X Breaks Silence on $5M Hack, Promises Refunds", false},
		{"What's Next for XRP After the Escrow Unlock", false},
		{"Why Bitcoin Fell 5% Today", false},
		{"Market Makers Pull Liquidity From Altcoins", false},
	}
	for _, tt := range tests {
		if got := IsCommentary(tt.title); got != tt.want {
			t.Errorf("IsCommentary(%q) = %v, want %v", tt.title, got, tt.want)
		}
	}
}
