package cluster

import (
	"math"
	"time"
)

// RankHalfLife is how long a story takes to lose half its rank. Twelve hours
// keeps a well-covered story from yesterday above a single-outlet item from
// this morning, but not above one from this hour.
const RankHalfLife = 12 * time.Hour

// OutletWeight is how much coverage by an outlet counts towards a story's
// rank. Unknown outlets count 1. Primary sources (regulators, central banks)
// and newsrooms that break stories count more; press-release wires, which
// publish whatever they are paid to, count less. outlet is a registrable
// domain ("coindesk.com"); "www." and case are ignored.
func OutletWeight(outlet string) float64 {
	switch normOutlet(outlet) {
	case "sec.gov", "federalreserve.gov", "cftc.gov", "treasury.gov", "ecb.europa.eu", "esma.europa.eu":
		return 2
	case "reuters.com", "bloomberg.com", "wsj.com", "ft.com", "cnbc.com":
		return 1.8
	case "coindesk.com", "theblock.co", "blockworks.co", "dlnews.com":
		return 1.5
	case "decrypt.co", "cointelegraph.com", "bitcoinmagazine.com", "ethnews.com", "cryptobriefing.com":
		return 1.2
	case "u.today", "crypto-news.net", "bankinnovation.net":
		return 0.8
	case "prnewswire.com", "globenewswire.com", "businesswire.com", "accesswire.com", "newsfilecorp.com":
		return 0.5
	}
	return 1
}

// Rank orders stories: the sum of OutletWeight over the distinct outlets
// covering a story, decayed by the age of its first article with half-life
// RankHalfLife. It grows with outletWeights and shrinks as now moves away
// from firstPublished; a firstPublished in the future counts as age zero.
func Rank(outletWeights float64, firstPublished, now time.Time) float64 {
	age := now.Sub(firstPublished)
	if age < 0 {
		age = 0
	}
	return outletWeights * math.Exp2(-float64(age)/float64(RankHalfLife))
}
